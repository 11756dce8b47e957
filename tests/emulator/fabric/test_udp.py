"""UDP tunnel ports (emulator/fabric/udp.py): a tunnel's peer takes only real frames, so a
super-frame leaves as its segments, one datagram each."""

from __future__ import annotations

import socket

from emulator.fabric.udp import UdpPort
from tests.emulator.fabric.test_offload import super_frame


def test_a_super_frame_leaves_a_tunnel_as_its_segments() -> None:
    ours, peer = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
    with ours, peer:
        whole = super_frame()
        UdpPort("A24", ours).send(whole)
        peer.setblocking(False)
        received = [peer.recv(65536) for _ in range(whole.frames())]
        assert received == whole.segments()
        UdpPort("A24", ours).send(b"f" * 60)
        assert peer.recv(65536) == b"f" * 60
