"""TAP ports' framing (emulator/fabric/tap.py), on a pipe instead of /dev/net/tun: with
IFF_VNET_HDR every frame goes behind a virtio_net_hdr, a super-frame behind its own; without
it (the switch's own interfaces) a super-frame is cut first."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from emulator.fabric import offload
from emulator.fabric.tap import TapPort
from tests.emulator.fabric.test_offload import super_frame


@pytest.fixture
def pipe() -> Iterator[tuple[int, int]]:
    read, write = os.pipe()
    yield read, write
    os.close(read)
    os.close(write)


def written(read: int) -> bytes:
    os.set_blocking(read, False)
    return os.read(read, 1 << 20)


def test_a_vnet_tap_sends_frames_behind_a_header(pipe: tuple[int, int]) -> None:
    read, write = pipe
    port = TapPort("t", write, created=False, vnet=True)
    port.send(b"f" * 60)
    assert written(read) == offload.NO_VNET_HDR + b"f" * 60
    whole = super_frame()
    port.send(whole)
    assert written(read) == whole.vnet_header() + whole


def test_a_plain_tap_gets_a_super_frame_cut(pipe: tuple[int, int]) -> None:
    read, write = pipe
    port = TapPort("t", write, created=False)
    whole = super_frame()
    port.send(whole)
    assert written(read) == b"".join(whole.segments())


def test_a_vnet_tap_reads_a_short_super_frame_as_segments(pipe: tuple[int, int]) -> None:
    """Short super-frames are cut at ingress (every egress then takes them); the rest of
    them wait in `pending` for the fabric's next read."""
    read, write = pipe
    long = super_frame()
    short = bytes(long)[:14 + 20 + 20 + 1000]
    header = offload.VNET_HDR.pack(offload.NEEDS_CSUM, offload.GSO_TCPV4, 0, 500, 34, 16)
    os.write(write, header + short)
    port = TapPort("t", read, created=False, vnet=True)
    os.set_blocking(read, False)
    frames = [port.read(), port.read()]
    assert [len(f) for f in frames] == [14 + 40 + 500, 14 + 40 + 500]
    with pytest.raises(BlockingIOError):
        port.read()
