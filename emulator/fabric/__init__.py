"""The interface modules: the process that owns every port and forwards frames.

It outlives management-module crashes, as the real chassis' interface modules keep their
ports while a management module reboots. `process.py` is the process (ports, reset, program,
LLDP); `bridge.py` forwards; `tap.py`, `afpacket.py` (with `mmsg.py` and `offload.py`) and
`udp.py` are the port back-ends; `inband.py` wires the switch's own IP stack into the bridge.
`client.py` is the other end of the wire: the active management module's side.
"""
