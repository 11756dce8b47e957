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


# --- super-frames passed on whole (offload.SuperFrame) ---

def super_frame(payload: int = 5000, gso_size: int = 1448) -> offload.SuperFrame:
    """What a host's TSO hands over: the TCP checksum field holds the pseudo-header's sum."""
    data = bytes(range(256)) * (payload // 256 + 1)
    frame = raw(ETH / IP(src="10.0.0.1", dst="10.0.0.2", id=7)
                / TCP(sport=40000, dport=5201, seq=1000, flags="PA") / Raw(data[:payload]))
    tcp_at = 14 + 20
    pseudo = offload.ones_complement_sum(frame[14 + 12:14 + 20], 6 + len(frame) - tcp_at)
    frame = frame[:tcp_at + 16] + pseudo.to_bytes(2, "big") + frame[tcp_at + 18:]
    header = offload.VNET_HDR.pack(offload.NEEDS_CSUM, offload.GSO_TCPV4, 0, gso_size,
                                   tcp_at, 16)
    [whole] = offload.receive(header + frame)
    assert isinstance(whole, offload.SuperFrame)
    return whole


def header_fields(frame: offload.SuperFrame) -> tuple[int, ...]:
    return offload.VNET_HDR.unpack(frame.vnet_header())


def test_a_read_through_a_view_is_copied_out_once_and_whole() -> None:
    """A receive slot read through a view (AF_PACKET): what comes out is bytes that keep
    their content when the slot is overwritten, the super-frame and the finished frame
    byte-identical to those read from bytes."""
    whole = super_frame()
    ack = raw(ETH / IP(src="10.0.0.2", dst="10.0.0.1") / TCP(flags="A"))
    for header, frame in ((whole.vnet_header(), bytes(whole)),
                          (offload.VNET_HDR.pack(offload.NEEDS_CSUM, 0, 0, 0, 34, 16), ack)):
        slot = bytearray(header + frame)
        frames = offload.receive(memoryview(slot))
        expected = offload.receive(bytes(slot))
        slot[:] = bytes(len(slot))
        assert frames == expected and [type(f) for f in frames] == [type(f) for f in expected]
    assert isinstance(offload.receive(whole.vnet_header() + whole)[0], offload.SuperFrame)


def test_super_frame_header_names_its_headers() -> None:
    frame = super_frame()
    flags, gso_type, hdr_len, gso_size, csum_start, csum_offset = header_fields(frame)
    assert (flags, gso_type, hdr_len, gso_size, csum_start, csum_offset) == (
        offload.NEEDS_CSUM, offload.GSO_TCPV4, 54, 1448, 34, 16)
    assert frame.frames() == 4  # 5000 = 3 * 1448 + 656
    assert frame.wire_length(len(frame)) == len(frame) + 3 * 54


def test_tag_edits_shift_the_offsets_by_four() -> None:
    """The bridge's two edits, as it writes them: a tag added, a tag removed."""
    frame = super_frame()
    tag = b"\x81\x00\x00\x0a"
    with_tag = frame[:12] + tag + frame[12:]
    assert isinstance(with_tag, offload.SuperFrame) and with_tag.shift() == 4
    assert header_fields(with_tag)[2::2] == (58, 38)  # hdr_len, csum_start
    assert header_fields(with_tag)[3] == 1448 and with_tag.frames() == 4
    assert with_tag.wire_length(len(with_tag)) == len(with_tag) + 3 * 58
    untagged = with_tag[:12] + with_tag[16:]
    assert isinstance(untagged, offload.SuperFrame) and untagged == frame
    assert header_fields(untagged) == header_fields(frame)
    retagged = with_tag[:14] + b"\x20\x0a" + with_tag[16:]  # a new TCI: same length
    assert header_fields(retagged) == header_fields(with_tag)


def test_addresses_sliced_from_a_super_frame_are_plain_bytes() -> None:
    frame = super_frame()
    assert type(frame[:6]) is bytes and type(frame[6:12]) is bytes
    assert type(frame[26:30]) is bytes and isinstance(frame[12], int)


@pytest.mark.parametrize("tag", [b"", b"\x81\x00\x20\x0a"])
def test_super_frame_cut_in_software_keeps_its_tag(tag: bytes) -> None:
    frame = super_frame()
    edited = frame[:12] + tag + frame[12:] if tag else frame
    segments = edited.segments()
    assert len(segments) == edited.frames() == 4
    assert all(s[12:12 + len(tag)] == tag for s in segments)
    plain = [s[:12] + s[12 + len(tag):] for s in segments]
    assert all(checksums_valid(s) for s in plain)
    assert sum(len(s) for s in segments) == edited.wire_length(len(edited))
    assert b"".join(raw(Ether(s)[TCP].payload) for s in plain) == (
        bytes(range(256)) * 20)[:5000]


def test_only_long_tcp_super_frames_pass_whole() -> None:
    """A super-frame no longer than a standard frame is cut at once (every egress then takes
    it), and a partial checksum alone is finished: a SuperFrame is always long."""
    short = raw(ETH / IP() / TCP() / Raw(b"s" * 1000))
    header = offload.VNET_HDR.pack(offload.NEEDS_CSUM, offload.GSO_TCPV4, 0, 500, 34, 16)
    frames = offload.receive(header + short)
    assert len(frames) == 2 and not any(isinstance(f, offload.SuperFrame) for f in frames)
    wrong_offset = offload.VNET_HDR.pack(offload.NEEDS_CSUM, offload.GSO_TCPV4, 0, 1448, 34, 6)
    long = raw(ETH / IP() / TCP() / Raw(b"l" * 4000))
    assert not any(isinstance(f, offload.SuperFrame)
                   for f in offload.receive(wrong_offset + long))


@given(st.sampled_from([offload.GSO_TCPV4, offload.GSO_TCPV6, offload.GSO_TCPV4 | 0x80]),
       st.integers(0, 2000), st.sampled_from([34, 0, 54]), st.sampled_from([16, 6]),
       st.binary(min_size=60, max_size=60), st.integers(1400, 3000))
def test_any_long_read_passes_whole_finishes_or_is_refused(
        gso: int, size: int, start: int, offset: int, head: bytes, length: int) -> None:
    """Long reads reach the pass-whole path: a SuperFrame it makes always cuts cleanly."""
    header = offload.VNET_HDR.pack(offload.NEEDS_CSUM, gso, 0, size, start, offset)
    frame = head[:12] + b"\x08\x00\x45" + head[15:23] + b"\x06" + head[24:] + bytes(length)
    try:
        frames = offload.receive(header + frame)
    except offload.OffloadError:
        return
    assert frames
    for f in frames:
        if isinstance(f, offload.SuperFrame):
            assert len(f.segments()) == f.frames()
            assert f.wire_length(len(f)) == sum(len(s) for s in f.segments())
