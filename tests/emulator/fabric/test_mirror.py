"""Port mirroring in the fabric process: a monitored port's received frames (in), sent frames
(out) or both are copied to the session's destination port, which is otherwise outside the
VLAN here; reprogramming without the session stops the copies. The wires are in-memory
recorders (the command side is tests/emulator/commands/test_mirror.py)."""

from __future__ import annotations

from emulator.fabric.process import Fabric
from emulator.ipc.messages import FabricProgram
from emulator.portspec import parse_backend
from tests.emulator.fabric.test_trunks import BROADCAST, RecordingWire, frame, inject

HOST_A = bytes.fromhex("020000000001")
HOST_B = bytes.fromhex("020000000002")


def _fabric(mirror_in: dict[str, list[str]], mirror_out: dict[str, list[str]]) -> Fabric:
    ports = ("A1", "A2", "A3")
    f = Fabric({p: parse_backend(f"tap:x{p}") for p in ports}, 300, mac=bytes(range(6)))
    for port in ports:
        f.plug(port, RecordingWire())  # type: ignore[arg-type]
    f.program(FabricProgram(pvid={"A1": 1, "A2": 1}, tagged={}, lldp_run=False,
                            mirror_in=mirror_in, mirror_out=mirror_out))
    return f


def _data(f: Fabric, port: str) -> list[bytes]:
    wire = f.wires[port]
    assert isinstance(wire, RecordingWire)
    return [data for data in wire.sent if data[:5] != b"\x01\x80\xc2\x00\x00"]


def test_both_directions_are_copied_to_the_destination() -> None:
    f = _fabric({"A1": ["A3"]}, {"A1": ["A3"]})
    sent_in = frame(BROADCAST, HOST_A)
    inject(f, "A1", sent_in)  # received on A1: flooded to A2, copied to A3
    assert _data(f, "A2") == [sent_in] and _data(f, "A3") == [sent_in]
    sent_out = frame(HOST_A, HOST_B)
    inject(f, "A2", sent_out)  # to A1 (learned there): sent on A1, copied to A3
    assert _data(f, "A1") == [sent_out]
    assert _data(f, "A3") == [sent_in, sent_out]


def test_ingress_only_and_the_session_removed() -> None:
    f = _fabric({"A1": ["A3"]}, {})
    inject(f, "A2", frame(BROADCAST, HOST_B))  # sent on A1: not copied
    assert _data(f, "A3") == []
    f.program(FabricProgram(pvid={"A1": 1, "A2": 1}, tagged={}, lldp_run=False))
    inject(f, "A1", frame(BROADCAST, HOST_A))
    assert _data(f, "A3") == [] and len(_data(f, "A2")) == 1
