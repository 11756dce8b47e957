"""AF_PACKET ports on a veth pair in a namespace the test makes: batches of frames read with
recvmmsg come out in order, 802.1Q tags rebuilt from PACKET_AUXDATA, our own frames unseen."""

from __future__ import annotations

import ctypes
import os
import select
import shutil
import socket
import struct
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest

from emulator.fabric import afpacket
from emulator.fabric.afpacket import AfPacketPort

pytestmark = pytest.mark.skipif(
    os.geteuid() != 0 or shutil.which("ip") is None,
    reason="namespaces and packet sockets need root and iproute2")

CLONE_NEWNET = 0x40000000
T = TypeVar("T")


@pytest.fixture
def netns() -> Iterator[str]:
    """A namespace with a veth pair `host` <-> `port`, both up."""
    name = f"pcvt-afp-{os.getpid()}"
    subprocess.run(["ip", "netns", "add", name], check=True)
    try:
        subprocess.run(["ip", "-n", name, "link", "add", "host", "type", "veth", "peer", "name",
                        "port"], check=True)
        for dev in ("host", "port"):
            subprocess.run(["ip", "-n", name, "link", "set", dev, "up"], check=True)
        yield name
    finally:
        subprocess.run(["ip", "netns", "delete", name], check=False)


def inside(netns: str, make: Callable[[], T]) -> T:
    """`make()` run by a thread that entered `netns` (setns changes only the calling thread):
    sockets it opens, and programs it starts, belong to the namespace."""
    made: list[T] = []

    def run() -> None:
        libc = ctypes.CDLL(None, use_errno=True)
        fd = os.open(Path("/run/netns") / netns, os.O_RDONLY)
        try:
            assert libc.setns(fd, CLONE_NEWNET) == 0, os.strerror(ctypes.get_errno())
        finally:
            os.close(fd)
        made.append(make())

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return made[0]


def raw_socket(ifname: str) -> socket.socket:
    sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(afpacket.ETH_P_ALL))
    sock.bind((ifname, afpacket.ETH_P_ALL))
    return sock


def frame(n: int, vid: int | None) -> bytes:
    tag = struct.pack("!HH", 0x8100, 0x6000 | vid) if vid else b""  # priority 3
    return b"\x02\x00\x00\x00\x00\x02" + b"\x02\x00\x00\x00\x00\x01" + tag + b"\x88\xb5" \
        + n.to_bytes(4, "big") + bytes(42)


def read_all(port: AfPacketPort, count: int) -> list[bytes]:
    frames: list[bytes] = []
    deadline = time.monotonic() + 10
    while len(frames) < count and time.monotonic() < deadline:
        select.select([port.fileno()], [], [], 0.5)
        while True:
            try:
                frames.append(port.read())
            except BlockingIOError:
                break
    return frames


def test_batches_keep_order_and_tags_and_skip_our_own_frames(netns: str) -> None:
    port = inside(netns, lambda: AfPacketPort.open("A1", "port"))
    host = inside(netns, lambda: raw_socket("host"))
    try:
        sent = [frame(n, 20 if n % 3 == 0 else None) for n in range(afpacket.BATCH * 3 + 7)]
        port.send(frame(9999, None))  # out of the port: the port must not read it back
        for data in sent:
            host.send(data)
        assert read_all(port, len(sent)) == sent
        with pytest.raises(BlockingIOError):
            port.read()
    finally:
        host.close()
        port.close()
