"""Finishing what a sender's offloads left undone, for frames read from an AF_PACKET socket.

A Linux host sending on a veth leaves the TCP/UDP checksum to "the hardware" (CHECKSUM_PARTIAL)
and hands over TCP super-frames of up to 64 KiB for "the hardware" to cut (TSO). A packet socket
on the other end of the veth sees them that way. Forwarded as is, the checksum is wrong at the
receiver and the super-frame is a giant no port takes: TCP between hosts would not work. We
cannot turn the offloads off on the host's side (it is another container), so the packet
socket is opened with PACKET_VNET_HDR: each frame comes with a virtio_net_hdr that says where
the checksum goes and how to cut, and this module does the hardware's job in software.

This runs only for frames that carry such work (the virtio header's flags or GSO type set);
the forwarding loop's common case never calls it.

A super-frame longer than a standard frame is not cut at ingress: it crosses the bridge whole as
a `SuperFrame` (the bytes with the virtio header's fields) and each egress decides. A port
whose back-end speaks virtio_net_hdr (an AF_PACKET socket, a TAP opened with IFF_VNET_HDR) hands
it to the kernel with the header, which cuts it in C or passes it on whole (a veth peer, a
host's stack); any other egress (a UDP tunnel, the switch's own interfaces) cuts it here with
`SuperFrame.segments`. One 64 KiB frame then crosses the Python path instead of 45.

Copies of a super-frame are what the fabric pays for it beyond its system calls (~1.5 us each
for 64 KiB on a warm cache, several times that on a cold one), so each is counted: a TAP read
is sliced past its header and made a SuperFrame (a bytes subclass built from bytes copies them
once), and written with os.writev behind its header; an AF_PACKET read is made a SuperFrame
straight from its receive slot (two copies: from a view, a bytes subclass goes through a
temporary bytes) and sent from its own bytes, not copied into a send slot (mmsg.py).
"""

from __future__ import annotations

import struct
from typing import Final, SupportsIndex, TypeAlias, overload

Buffer: TypeAlias = bytes | bytearray | memoryview
"""What a frame may be read from: the bytes of a read, or a view of a receive buffer."""
VNET_HDR: Final = struct.Struct("<BBHHHH")
"""struct virtio_net_hdr: flags, gso_type, hdr_len, gso_size, csum_start, csum_offset; a packet
socket writes it in the CPU's byte order (little-endian legacy virtio on the hosts we run on)."""
VNET_HDR_LEN: Final = VNET_HDR.size
NO_VNET_HDR: Final = bytes(VNET_HDR_LEN)
"""A header that asks nothing of the kernel: what precedes every frame we send (the untouched,
zeroed head of each mmsg.Outgoing slot)."""
NEEDS_CSUM: Final = 1
GSO_NONE: Final = 0
GSO_TCPV4: Final = 1
GSO_TCPV6: Final = 4
GSO_ECN: Final = 0x80
ETH_HEADER: Final = 14
ETHERTYPE_IPV4: Final = b"\x08\x00"
ETHERTYPE_IPV6: Final = b"\x86\xdd"
IPPROTO_TCP: Final = 6
MIN_HEADER: Final = 20
"""The shortest IPv4 or TCP header."""
TCP_FIN_PSH: Final = 0x09
TCP_CWR: Final = 0x80
STANDARD_FRAME: Final = 1514
"""The longest untagged standard frame (no FCS). Every SuperFrame is longer (a shorter one is
cut at ingress), so an egress tests a frame's type only past this length: the common path
pays one length comparison at most."""
TAG_AT: Final = 12
TAG_LEN: Final = 4
TCP_CHECKSUM_AT: Final = 16
"""Offset of the checksum in a TCP header."""


class OffloadError(ValueError):
    """A frame whose offload work cannot be done (not TCP over IPv4/IPv6, or inconsistent):
    the port drops it and counts a receive error."""


def ones_complement_sum(data: Buffer, start: int = 0) -> int:
    """One's-complement sum of 16-bit big-endian words, folded to 16 bits.

    As one integer: 2**16 is 1 modulo 0xFFFF, so the words' end-around-carry sum is the
    data's value modulo 0xFFFF, with 0xFFFF (one's-complement zero) for a non-zero multiple.
    A third of the time of summing an array of words, at any length (partial checksums of
    a host's ACKs are finished per frame)."""
    if len(data) % 2:
        data = bytes(data) + b"\x00"
    total = start + int.from_bytes(data, "big")
    folded = total % 0xFFFF
    return 0xFFFF if folded == 0 and total else folded


def internet_checksum(data: Buffer, start: int = 0) -> int:
    return ~ones_complement_sum(data, start) & 0xFFFF


def complete_checksum(frame: bytes, csum_start: int, csum_offset: int) -> bytes:
    """CHECKSUM_PARTIAL done: the field already holds the pseudo-header sum, so the checksum
    is the complement of the sum from `csum_start` to the end, stored in that field."""
    at = csum_start + csum_offset
    if not (csum_start >= ETH_HEADER and at + 2 <= len(frame)):
        raise OffloadError("checksum offsets outside the frame")
    csum = internet_checksum(memoryview(frame)[csum_start:])
    return frame[:at] + struct.pack("!H", csum or 0xFFFF) + frame[at + 2:]


def _pseudo_sum(frame: bytes, ipv6: bool, length: int) -> int:
    """The pseudo-header's contribution to a TCP checksum (addresses, protocol, length)."""
    if ipv6:
        addresses = frame[ETH_HEADER + 8:ETH_HEADER + 40]
    else:
        addresses = frame[ETH_HEADER + 12:ETH_HEADER + 20]
    return ones_complement_sum(addresses, IPPROTO_TCP + length)


def tcp_layout(frame: Buffer, gso_size: int) -> tuple[bool, int, int, int]:
    """(IPv6, IP header length, TCP header offset, TCP header length) of an untagged TCP
    super-frame; OffloadError when it is not one that can be cut in `gso_size` pieces."""
    ethertype = frame[12:14]
    ipv6 = ethertype == ETHERTYPE_IPV6
    if ethertype == ETHERTYPE_IPV4:
        ip_len = (frame[ETH_HEADER] & 0x0F) * 4
        protocol = frame[ETH_HEADER + 9]
    elif ipv6:
        ip_len, protocol = 40, frame[ETH_HEADER + 6]
    else:
        raise OffloadError("segmentation offload of a frame that is not IP")
    if protocol != IPPROTO_TCP or gso_size <= 0:
        raise OffloadError("segmentation offload of a frame that is not TCP")
    tcp_at = ETH_HEADER + ip_len
    if ip_len < MIN_HEADER or len(frame) < tcp_at + MIN_HEADER:
        raise OffloadError("truncated TCP super-frame")
    tcp_len = (frame[tcp_at + 12] >> 4) * 4
    if tcp_len < MIN_HEADER or len(frame) < tcp_at + tcp_len:
        raise OffloadError("bad TCP header length")
    return ipv6, ip_len, tcp_at, tcp_len


def segment_tcp(frame: bytes, gso_size: int) -> list[bytes]:
    """Cut a TCP super-frame into frames of at most `gso_size` payload bytes, as a NIC's TSO
    would: sequence numbers advance, IPv4 ids count up, FIN/PSH only on the last, CWR only on
    the first, every length and checksum recomputed."""
    ipv6, ip_len, tcp_at, tcp_len = tcp_layout(frame, gso_size)
    payload_at = tcp_at + tcp_len
    payload = memoryview(frame)[payload_at:]
    (seq,) = struct.unpack_from("!I", frame, tcp_at + 4)
    flags = frame[tcp_at + 13]
    ip_id = 0 if ipv6 else struct.unpack_from("!H", frame, ETH_HEADER + 4)[0]
    segments: list[bytes] = []
    chunks = range(0, max(len(payload), 1), gso_size)
    for index, offset in enumerate(chunks):
        chunk = payload[offset:offset + gso_size]
        last = index == len(chunks) - 1
        head = bytearray(frame[:payload_at])
        if ipv6:
            struct.pack_into("!H", head, ETH_HEADER + 4, tcp_len + len(chunk))
        else:
            struct.pack_into("!HH", head, ETH_HEADER + 2, ip_len + tcp_len + len(chunk),
                             (ip_id + index) & 0xFFFF)
            struct.pack_into("!H", head, ETH_HEADER + 10, 0)
            struct.pack_into("!H", head, ETH_HEADER + 10,
                             internet_checksum(head[ETH_HEADER:tcp_at]))
        struct.pack_into("!I", head, tcp_at + 4, (seq + offset) & 0xFFFFFFFF)
        mask = 0xFF & ~(0 if last else TCP_FIN_PSH) & ~(TCP_CWR if index else 0)
        head[tcp_at + 13] = flags & mask
        struct.pack_into("!H", head, tcp_at + 16, 0)
        segment = bytes(head) + bytes(chunk)
        csum = internet_checksum(memoryview(segment)[tcp_at:],
                                 _pseudo_sum(segment, ipv6, tcp_len + len(chunk)))
        segments.append(segment[:tcp_at + 16] + struct.pack("!H", csum) + segment[tcp_at + 18:])
    return segments


class SuperFrame(bytes):
    """A TCP super-frame crossing the fabric whole: its bytes, and the virtio_net_hdr fields
    that say how to cut it (offsets counted in a frame `base` octets long).

    The bridge edits a frame only by adding or removing an 802.1Q tag at octet 12, ahead of
    every offset the header holds, and it does so by slicing and concatenating. So a slice
    that keeps the frame's start through octet 12, or that runs to its end, is a SuperFrame
    again, and so is a SuperFrame plus bytes: the edited frame's offsets are the header's
    shifted by its change in length (`shift`). Other slices (the addresses the bridge learns
    and looks up) are plain bytes, so no SuperFrame ends up in a table.
    """

    gso_type: int
    gso_size: int
    csum_start: int
    csum_offset: int
    hdr_len: int
    """Ethernet, IP and TCP headers: what every segment repeats."""
    base: int

    def __new__(cls, data: Buffer, gso_type: int, gso_size: int, csum_start: int,
                csum_offset: int, hdr_len: int, base: int | None = None) -> SuperFrame:
        frame = super().__new__(cls, data)
        frame.gso_type, frame.gso_size = gso_type, gso_size
        frame.csum_start, frame.csum_offset, frame.hdr_len = csum_start, csum_offset, hdr_len
        frame.base = len(data) if base is None else base
        return frame

    def _like(self, data: bytes) -> SuperFrame:
        return SuperFrame(data, self.gso_type, self.gso_size, self.csum_start, self.csum_offset,
                          self.hdr_len, self.base)

    @overload
    def __getitem__(self, key: SupportsIndex) -> int: ...

    @overload
    def __getitem__(self, key: slice) -> bytes: ...

    def __getitem__(self, key: SupportsIndex | slice) -> int | bytes:
        piece = bytes.__getitem__(self, key)
        if isinstance(piece, int) or not isinstance(key, slice) or key.step is not None:
            return piece
        start = key.start or 0
        if (start == 0 and len(piece) >= TAG_AT) or (key.stop is None
                                                     and 0 <= start <= TAG_AT + TAG_LEN):
            return self._like(piece)
        return piece

    def __add__(self, other: bytes) -> SuperFrame:  # type: ignore[override]
        return self._like(bytes.__add__(self, other))

    def shift(self) -> int:
        """Octets added (a tag) or removed ahead of the headers' offsets since ingress."""
        return len(self) - self.base

    def frames(self) -> int:
        """How many frames it stands for on the wire (what the switch counts)."""
        payload = len(self) - self.hdr_len - self.shift()
        return max(1, -(-payload // self.gso_size))

    def wire_length(self, length: int) -> int:
        """Octets on the wire of the segments a copy of `length` octets (this frame, or the
        same with a tag added or removed) stands for: each repeats the headers."""
        return length + (self.frames() - 1) * (self.hdr_len + length - self.base)

    def vnet_header(self) -> bytes:
        """The virtio_net_hdr to send it with: the kernel finishes the checksum and cuts."""
        shift = self.shift()
        return VNET_HDR.pack(NEEDS_CSUM, self.gso_type, self.hdr_len + shift, self.gso_size,
                             self.csum_start + shift, self.csum_offset)

    def segments(self) -> list[bytes]:
        """Cut in software, for an egress that cannot take a super-frame: with the frame's
        802.1Q tag, if it has one, on every segment."""
        whole = bytes(self)
        if whole[TAG_AT:TAG_AT + 2] != b"\x81\x00":
            return segment_tcp(whole, self.gso_size)
        tag = whole[TAG_AT:TAG_AT + TAG_LEN]
        return [s[:TAG_AT] + tag + s[TAG_AT:]
                for s in segment_tcp(whole[:TAG_AT] + whole[TAG_AT + TAG_LEN:], self.gso_size)]


def super_frame(header: Buffer, frame: Buffer) -> SuperFrame | None:
    """The read as a SuperFrame to pass on whole: a TCP super-frame (checksum left partial)
    longer than a standard frame, with headers that hold together. None for anything else,
    which `finish` deals with. `frame` may be a view of a receive buffer: the SuperFrame is
    its one copy."""
    _, gso_type, _, gso_size, csum_start, csum_offset = VNET_HDR.unpack_from(header)
    if (gso_type & ~GSO_ECN not in (GSO_TCPV4, GSO_TCPV6) or len(frame) <= STANDARD_FRAME
            or gso_size <= 0):
        return None
    try:
        _, _, tcp_at, tcp_len = tcp_layout(frame, gso_size)
    except (OffloadError, IndexError):
        return None
    if csum_start != tcp_at or csum_offset != TCP_CHECKSUM_AT:
        return None
    return SuperFrame(frame, gso_type, gso_size, csum_start, csum_offset, tcp_at + tcp_len)


def finish(header: Buffer, frame: bytes) -> list[bytes]:
    """The frames a virtio_net_hdr-prefixed read stands for, ready for the wire. Any frame
    whose headers do not hold together raises OffloadError, never anything else."""
    flags, gso_type, _, gso_size, csum_start, csum_offset = VNET_HDR.unpack_from(header)
    try:
        if gso_type & ~GSO_ECN in (GSO_TCPV4, GSO_TCPV6):
            return segment_tcp(frame, gso_size)
        if gso_type != GSO_NONE:
            raise OffloadError(f"segmentation offload type {gso_type} is not supported")
        if flags & NEEDS_CSUM:
            return [complete_checksum(frame, csum_start, csum_offset)]
    except (IndexError, struct.error) as exc:
        raise OffloadError(f"truncated frame: {exc}") from None
    return [frame]


def receive(data: Buffer) -> list[bytes]:
    """The frames a virtio_net_hdr-prefixed read stands for: one SuperFrame to pass on
    whole, or what `finish` makes of it. OffloadError as `finish`.

    `data` may be a view of a receive buffer (an AF_PACKET slot): nothing is copied out of
    it but the frame that goes on (bytes read whole are sliced once, and a bytes subclass
    made from bytes copies them once more; from a view it copies twice, which is still one
    copy fewer than taking the read out of the buffer first)."""
    frame = data[VNET_HDR_LEN:]
    whole = super_frame(data, frame) if data[1] else None  # gso_type: a checksum alone?
    return [whole] if whole is not None else finish(data, bytes(frame))
