"""The interface modules: the process that owns every port and forwards frames.

It outlives management-module crashes, as the real chassis' interface modules keep their
ports while a management module reboots. Today `process.py` only knows which ports are wired
to which back-end (`tap:NAME`, `afpacket:IFNAME`, `udp:LPORT:RHOST:RPORT`) and reports them;
the forwarding loop arrives with the data-plane work.
"""
