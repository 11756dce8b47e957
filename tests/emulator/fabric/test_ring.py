"""The TPACKET_V3 ring's walk of a retired block, on a block laid out as the kernel's
tpacket_rcv writes one (no packet socket needed): frames in order behind their virtio_net_hdr,
the tag from the frame header, a clipped frame counted and left out, the block handed back."""

from __future__ import annotations

import mmap
import socket
import struct
from collections.abc import Iterator

import pytest

from emulator.fabric import ring
from emulator.fabric.afpacket import AfPacketPort
from emulator.fabric.mmsg import AUXDATA
from emulator.fabric.offload import NO_VNET_HDR, VNET_HDR_LEN

MAC_AT = 92
"""Where tpacket_rcv puts an Ethernet frame behind a tpacket3_hdr when the socket has
PACKET_VNET_HDR on: TPACKET_ALIGN(68 + 16) + 10 - 14."""
FIRST_AT = 48
"""The first frame follows the block descriptor (no private area)."""
PACKET_HOST = 0
PACKET_OUTGOING = 4
VLAN_AND_TPID = ring.TP_STATUS_VLAN_VALID | 0x40


def ethernet(n: int) -> bytes:
    return b"\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01\x88\xb5" + bytes([n]) * 50


@pytest.fixture
def the_ring() -> Iterator[ring.Ring]:
    """A ring on anonymous memory, over a socket that holds no error."""
    sock, peer = socket.socketpair()
    made = ring.Ring.__new__(ring.Ring)
    made.memory = mmap.mmap(-1, ring.BLOCK_SIZE * ring.BLOCKS)
    made.view = memoryview(made.memory)
    made.sock = sock
    made.block = 0
    made.held = None
    yield made
    made.close()
    sock.close()
    peer.close()


def retire(the_ring: ring.Ring, block: int,
           frames: list[tuple[bytes, int, int, int, int, int]]) -> None:
    """Lay out `block` as the kernel retires it: (frame, length on the wire, packet type,
    tp_status, tci, tpid) each, 16-octet aligned one after the other."""
    at = block * ring.BLOCK_SIZE
    offset = at + FIRST_AT
    for n, (data, length, packet_type, status, tci, tpid) in enumerate(frames):
        step = (MAC_AT + len(data) + 15) // 16 * 16 if n < len(frames) - 1 else 0
        ring.FRAME.pack_into(the_ring.memory, offset, step, len(data), length, status,
                             MAC_AT, tci, tpid, packet_type)
        start = offset + MAC_AT
        the_ring.memory[start - VNET_HDR_LEN:start + len(data)] = NO_VNET_HDR + data
        offset += step
    struct.pack_into("=III", the_ring.memory, at + ring.STATUS_AT, ring.TP_STATUS_USER | 2,
                     len(frames), FIRST_AT)


def test_a_retired_block_is_read_in_order_and_handed_back(the_ring: ring.Ring) -> None:
    clipped: list[None] = []
    retire(the_ring, 0, [(ethernet(1), 64, PACKET_HOST, 0, 0, 0),
                         (ethernet(2), 64, PACKET_HOST, VLAN_AND_TPID, 0x6014, 0x88A8),
                         (ethernet(3)[:40], 70000, PACKET_HOST, 0, 0, 0),
                         (ethernet(4), 64, PACKET_OUTGOING, 0, 0, 0)])
    frames = the_ring.receive(lambda: clipped.append(None))
    assert [(bytes(data), packet_type) for data, packet_type, _ in frames] == [
        (NO_VNET_HDR + ethernet(1), PACKET_HOST), (NO_VNET_HDR + ethernet(2), PACKET_HOST),
        (NO_VNET_HDR + ethernet(4), PACKET_OUTGOING)]
    status, _, _, _, _, tci, tpid = AUXDATA.unpack(frames[1][2])
    assert (status, tci, tpid) == (VLAN_AND_TPID, 0x6014, 0x88A8)
    assert frames[0][2] == frames[2][2] == ring.UNTAGGED
    assert clipped == [None]
    assert the_ring.block == 1
    assert struct.unpack_from("=I", the_ring.memory, ring.STATUS_AT) != (0,)  # views of it
    with pytest.raises(BlockingIOError):
        the_ring.receive(lambda: None)
    assert struct.unpack_from("=I", the_ring.memory, ring.STATUS_AT) == (0,)  # the kernel's


def test_blocks_are_read_in_turn_round_the_ring(the_ring: ring.Ring) -> None:
    for turn in range(ring.BLOCKS + 1):
        block = turn % ring.BLOCKS
        retire(the_ring, block, [(ethernet(turn), 64, PACKET_HOST, 0, 0, 0)])
        assert [bytes(data) for data, _, _ in the_ring.receive(lambda: None)] == \
            [NO_VNET_HDR + ethernet(turn)]
    assert the_ring.block == 1


def test_a_port_on_a_ring_puts_the_tag_back_and_skips_its_own_frames(
        the_ring: ring.Ring) -> None:
    port = AfPacketPort("A1", the_ring.sock, ring=the_ring)
    retire(the_ring, 0, [(ethernet(1), 64, PACKET_OUTGOING, 0, 0, 0),
                         (ethernet(2), 64, PACKET_HOST, VLAN_AND_TPID, 0x6014, 0x88A8),
                         (ethernet(3), 64, PACKET_HOST, ring.TP_STATUS_VLAN_VALID, 0x0007, 0)])
    assert [port.read(), port.read()] == [
        ethernet(2)[:12] + b"\x88\xa8\x60\x14" + ethernet(2)[12:],
        ethernet(3)[:12] + b"\x81\x00\x00\x07" + ethernet(3)[12:]]
    with pytest.raises(BlockingIOError):
        port.read()
