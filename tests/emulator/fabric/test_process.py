"""The fabric process' own logic: draining ports and the switch's VLAN interfaces."""

from __future__ import annotations

import asyncio
import os
from collections import deque
from pathlib import Path

import pytest

from emulator.fabric.bridge import Bridge
from emulator.fabric.inband import VlanInterfaces
from emulator.fabric.process import DRAIN, Fabric


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


@pytest.mark.skipif(os.geteuid() != 0 or not Path("/dev/net/tun").exists(),
                    reason="TAP devices need root and /dev/net/tun")
def test_a_vlan_interface_the_system_refuses_is_reported_not_fatal() -> None:
    bridge = Bridge(["A1"], 300)
    interfaces = VlanInterfaces("pcv-no-such-namespace", bridge, bytes(6), lambda p, w: None)

    async def run() -> None:
        await interfaces.apply({10: "10.9.9.9/24"}, "10.9.9.1")

    asyncio.run(run())
    assert interfaces.interfaces == {} and interfaces.gateway is None
    with pytest.raises(KeyError):
        bridge.counters("vlan10")
