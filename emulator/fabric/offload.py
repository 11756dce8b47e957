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
"""

from __future__ import annotations

import struct
import sys
from array import array
from typing import Final

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
_BIG_ENDIAN: Final = sys.byteorder == "big"


class OffloadError(ValueError):
    """A frame whose offload work cannot be done (not TCP over IPv4/IPv6, or inconsistent):
    the port drops it and counts a receive error."""


def ones_complement_sum(data: bytes | bytearray | memoryview, start: int = 0) -> int:
    """One's-complement sum of 16-bit big-endian words, folded to 16 bits."""
    if len(data) % 2:
        data = bytes(data) + b"\x00"
    words = array("H", bytes(data))
    if not _BIG_ENDIAN:
        words.byteswap()
    total = start + sum(words)
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return total


def internet_checksum(data: bytes | bytearray | memoryview, start: int = 0) -> int:
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


def segment_tcp(frame: bytes, gso_size: int) -> list[bytes]:
    """Cut a TCP super-frame into frames of at most `gso_size` payload bytes, as a NIC's TSO
    would: sequence numbers advance, IPv4 ids count up, FIN/PSH only on the last, CWR only on
    the first, every length and checksum recomputed."""
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


def finish(header: bytes, frame: bytes) -> list[bytes]:
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
