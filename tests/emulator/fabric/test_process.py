"""The fabric process' own logic: draining ports and the switch's VLAN interfaces."""

from __future__ import annotations

import asyncio
import os
import subprocess
from collections import deque
from typing import Any

import pytest

from emulator.fabric.bridge import Bridge
from emulator.fabric.inband import VlanInterfaces
from emulator.fabric.process import DRAIN, Fabric
from emulator.portspec import parse_backend
from emulator.testing import missing_file, missing_root


class BufferedWire:
    """A port back-end that holds frames of its own (as an AF_PACKET port holds the rest of a
    super-frame it cut up) and whose fd never becomes readable."""

    def __init__(self, count: int) -> None:
        self.frames = deque(b"\xff" * 6 + b"\x02" * 6 + b"\x08\x00" + bytes(46)
                            for _ in range(count))

    def read(self) -> bytes:
        if not self.frames:
            raise BlockingIOError
        return self.frames.popleft()


def test_frames_a_port_buffers_beyond_one_drain_are_all_forwarded() -> None:
    fabric = Fabric({}, 300)
    seen: list[str] = []
    fabric.bridge.receive = lambda port, frame: seen.append(port)  # type: ignore[method-assign]
    wire = BufferedWire(DRAIN * 2 + 5)

    async def run() -> None:
        fabric.drain("A1", wire)  # type: ignore[arg-type]
        for _ in range(10):  # a few loop turns, no more: nothing else would wake the port
            await asyncio.sleep(0)

    asyncio.run(run())
    assert len(seen) == DRAIN * 2 + 5


@pytest.mark.requires(missing_root("TAP devices"), missing_file("/dev/net/tun"))
def test_a_vlan_interface_the_system_refuses_is_reported_not_fatal() -> None:
    bridge = Bridge(["A1"], 300)
    interfaces = VlanInterfaces("pcv-no-such-namespace", bridge, bytes(6), lambda p, w: None)

    async def run() -> None:
        await interfaces.apply({10: "10.9.9.9/24"}, ["10.9.0.0/16 via 10.9.9.1 metric 1"], True)

    asyncio.run(run())
    assert interfaces.interfaces == {} and interfaces.routes is None  # tried again next time
    assert not interfaces.forwarding
    with pytest.raises(KeyError):
        bridge.counters("vlan10")


@pytest.mark.requires(missing_root("TAP devices"), missing_file("/dev/net/tun"))
def test_a_tap_whose_device_is_deleted_is_taken_out_of_service() -> None:
    """A deleted TAP's fd is always ready and always fails: drained once, the port leaves
    the loop and the bridge (no busy loop), and reset/program/close still work."""
    name = f"pcvt{os.getpid() % 100000}g"
    fabric = Fabric({"A1": parse_backend(f"tap:{name}")}, 300)

    async def run() -> int:
        fabric.open()
        fabric.start()
        subprocess.run(["ip", "link", "del", name], check=True)
        calls = 0
        original = fabric.drain

        def counted(port: str, wire: Any) -> None:
            nonlocal calls
            calls += 1
            original(port, wire)

        fabric.drain = counted  # type: ignore[method-assign]
        loop = asyncio.get_running_loop()
        loop.remove_reader(fabric.wires["A1"].fileno())
        loop.add_reader(fabric.wires["A1"].fileno(), counted, "A1", fabric.wires["A1"])
        for _ in range(50):
            await asyncio.sleep(0)
        fabric.reset()
        return calls

    try:
        assert asyncio.run(run()) == 1
        assert "A1" not in fabric.wires and fabric.carrier["A1"] is False
    finally:
        fabric.close()
        subprocess.run(["ip", "link", "del", name], capture_output=True, check=False)
