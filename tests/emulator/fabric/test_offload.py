"""Offload work finished in software, checked with scapy: what a NIC would have put on the wire."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scapy.layers.inet import IP, TCP, UDP
from scapy.layers.inet6 import IPv6
from scapy.layers.l2 import Ether
from scapy.packet import Packet, Raw, raw

from emulator.fabric import offload

ETH = Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02")


def checksums_valid(frame: bytes) -> bool:
    """scapy recomputes every checksum when the fields are deleted; equal means valid."""
    packet = Ether(frame)
    fresh = packet.copy()
    for layer in (IP, TCP, UDP):
        if fresh.haslayer(layer):
            del fresh[layer].chksum
    return raw(fresh) == frame


@pytest.mark.parametrize("network", [IP(src="10.0.0.1", dst="10.0.0.2", id=7),
                                     IPv6(src="fd00::1", dst="fd00::2")])
def test_super_frame_cut_like_tso(network: Packet) -> None:
    data = bytes(range(256)) * 20  # 5120 bytes
    tcp = TCP(sport=40000, dport=5201, seq=1000, flags="PA", options=[("NOP", None)] * 4)
    frame = raw(ETH / network / tcp / Raw(data))
    segments = offload.segment_tcp(frame, 1448)
    assert [len(Ether(s)[TCP].payload) for s in segments] == [1448, 1448, 1448, 776]
    assert b"".join(raw(Ether(s)[TCP].payload) for s in segments) == data
    assert [Ether(s)[TCP].seq for s in segments] == [1000, 2448, 3896, 5344]
    assert [str(Ether(s)[TCP].flags) for s in segments] == ["A", "A", "A", "PA"]
    assert all(checksums_valid(s) for s in segments)
    if network.haslayer(IP):
        assert [Ether(s)[IP].id for s in segments] == [7, 8, 9, 10]


def test_partial_checksum_completed() -> None:
    packet = ETH / IP(src="10.0.0.1", dst="10.0.0.2") / UDP(sport=1, dport=2) / Raw(b"x" * 33)
    good = raw(packet)
    csum_start = 14 + 20
    # What the sending host leaves in the field: the pseudo-header's sum, not complemented.
    pseudo = offload.ones_complement_sum(good[14 + 12:14 + 20], 17 + 8 + 33)
    partial = good[:csum_start + 6] + pseudo.to_bytes(2, "big") + good[csum_start + 8:]
    assert not checksums_valid(partial)
    assert offload.complete_checksum(partial, csum_start, 6) == good


def test_vnet_header_decides_the_work() -> None:
    plain = raw(ETH / IP() / UDP() / Raw(b"y"))
    assert offload.finish(offload.NO_VNET_HDR, plain) == [plain]
    header = offload.VNET_HDR.pack(0, offload.GSO_TCPV4, 54, 100, 0, 0)
    big = raw(ETH / IP() / TCP() / Raw(b"z" * 250))
    assert len(offload.finish(header, big)) == 3


@pytest.mark.parametrize("frame", [
    raw(ETH / IP() / UDP() / Raw(b"u" * 100)),  # not TCP
    raw(Ether(type=0x0806) / Raw(b"a" * 40)),  # not IP
    raw(ETH / IP() / TCP())[:40],  # cut short
])
def test_work_that_cannot_be_done_is_refused(frame: bytes) -> None:
    with pytest.raises(offload.OffloadError):
        offload.segment_tcp(frame, 100)


def test_checksum_offsets_outside_the_frame_are_refused() -> None:
    with pytest.raises(offload.OffloadError):
        offload.complete_checksum(b"\x00" * 40, 34, 16)


@given(st.sampled_from([offload.GSO_TCPV4, offload.GSO_TCPV6, offload.GSO_NONE, 3]),
       st.integers(0, 3), st.integers(0, 2000), st.integers(0, 200), st.integers(0, 200),
       st.binary(max_size=120))
def test_any_frame_either_finishes_or_is_refused(gso: int, flags: int, size: int,
                                                 start: int, offset: int, frame: bytes) -> None:
    header = offload.VNET_HDR.pack(flags, gso, 0, size, start, offset)
    try:
        frames = offload.finish(header, frame)
    except offload.OffloadError:
        return
    assert all(isinstance(f, bytes) for f in frames)
