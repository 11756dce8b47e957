"""A TPACKET_V3 receive ring for packet sockets: the kernel copies each frame into memory we
share with it, and hands us whole blocks of frames; reading them makes no system call.

recvmmsg (mmsg.py) costs a system call per batch and, in the kernel, a socket buffer queued
and dequeued per frame; with a ring the kernel writes the frame where we read it. The ring is
a few blocks of BLOCK_SIZE octets. The kernel fills one block at a time and retires it (its
status word turns TP_STATUS_USER, and the socket polls readable) when the next frame does not
fit or RETIRE_MS after the block took its first frame; we read a retired block by walking its
tpacket3_hdr chain, then hand it back by zeroing the status word (TP_STATUS_KERNEL).

Each frame comes out as mmsg.Incoming gives it, (virtio_net_hdr + frame, packet type, auxdata)
with the data a view of the ring, so that AfPacketPort.take() treats both alike (it copies each
frame out once; the block is handed back at the next read). The socket has PACKET_VNET_HDR on,
so the kernel writes the header just before the frame (tp_mac - 10, af_packet.c's
tpacket_rcv), and the tag it stripped is in the frame header's hv1, which we put where
PACKET_AUXDATA has it.
"""

from __future__ import annotations

import contextlib
import mmap
import os
import socket
import struct
from collections.abc import Callable
from typing import Final

from emulator.fabric.mmsg import AUXDATA
from emulator.fabric.offload import VNET_HDR_LEN

SOL_PACKET: Final = 263
PACKET_RX_RING: Final = 5
PACKET_VERSION: Final = 10
TPACKET_V3: Final = 2
TP_STATUS_USER: Final = 1
TP_STATUS_VLAN_VALID: Final = 0x10
BLOCK_SIZE: Final = 128 << 10
"""The smallest block (a power of two: the kernel allocates blocks by page order) that holds a
64 KiB TCP super-frame behind its headers (block descriptor, tpacket3_hdr, sockaddr_ll, the
virtio_net_hdr: 140 octets). A 64-octet frame takes 160 octets of it: 819 per block."""
BLOCKS: Final = 4
"""Blocks per ring: one being read, the kernel filling the others. 512 KiB of kernel memory per
port for the port's life (against the 4 MiB receive buffer the socket may otherwise fill)."""
RETIRE_MS: Final = 1
"""How long a block that holds frames waits for more before the kernel retires it anyway: the
latency a lone frame pays (the shortest the kernel takes; a kernel that times it in jiffies
rounds it up to a tick). RTT median through the switch 0.23 -> 0.84 ms, for 4.45 -> 2.49 us of
fabric CPU per frame (benchmarks/results/dataplane.md)."""
FRAME_SIZE: Final = 2048
"""Only checked by the kernel (V3 frames are packed in a block, each as long as it is)."""
REQ3: Final = struct.Struct("7I")
"""struct tpacket_req3: block size, block count, frame size, frame count, retire timeout (ms),
size of the block's private area, feature word."""
BLOCK: Final = struct.Struct("=8xIII")
"""struct tpacket_block_desc: block_status, num_pkts, offset_to_first_pkt."""
STATUS_AT: Final = 8
"""block_status in struct tpacket_block_desc."""
FRAME: Final = struct.Struct("=I8xIIIH6xIH20xB")
"""struct tpacket3_hdr: tp_next_offset, tp_snaplen, tp_len, tp_status, tp_mac, hv1.tp_vlan_tci,
hv1.tp_vlan_tpid; then, at 48, the struct sockaddr_ll's sll_pkttype."""
UNTAGGED: Final = bytes(AUXDATA.size)
KERNEL: Final = bytes(4)
"""TP_STATUS_KERNEL: the block is the kernel's again."""


class Ring:
    """The receive ring of a bound packet socket that has PACKET_VNET_HDR on."""

    def __init__(self, sock: socket.socket) -> None:
        """OSError when the kernel refuses the ring (no TPACKET_V3, or no memory for it): the
        socket then has none (its TPACKET version matters only to a ring), and the caller
        reads it with recvmmsg."""
        sock.setsockopt(SOL_PACKET, PACKET_VERSION, TPACKET_V3)
        frames = BLOCK_SIZE // FRAME_SIZE * BLOCKS
        sock.setsockopt(SOL_PACKET, PACKET_RX_RING,
                        REQ3.pack(BLOCK_SIZE, BLOCKS, FRAME_SIZE, frames, RETIRE_MS, 0, 0))
        try:
            self.memory = mmap.mmap(sock.fileno(), BLOCK_SIZE * BLOCKS, mmap.MAP_SHARED,
                                    mmap.PROT_READ | mmap.PROT_WRITE)
        except OSError:
            sock.setsockopt(SOL_PACKET, PACKET_RX_RING, REQ3.pack(0, 0, 0, 0, 0, 0, 0))
            raise
        self.view = memoryview(self.memory)
        self.sock = sock
        self.block = 0
        """The next block to read: the kernel retires them in turn."""
        self.held: int | None = None
        """Where the block last read starts: its frames are views until the next read."""

    def receive(self, on_clipped: Callable[[], None]) -> list[tuple[memoryview, int, bytes]]:
        """The frames of the next retired block, in order, as (virtio_net_hdr + frame, packet
        type, auxdata), each data a view of the ring valid until the next call (which hands
        the block back to the kernel). BlockingIOError when none is retired,
        or the error the socket holds (ENETDOWN after the interface was down), as recvmmsg
        would report it: taking it clears it, or epoll would report the socket ready for good.
        A frame longer than a block (the kernel keeps its head only) is dropped, and counted
        by `on_clipped`."""
        memory, view = self.memory, self.view
        if self.held is not None:
            memory[self.held + STATUS_AT:self.held + STATUS_AT + 4] = KERNEL
            self.held = None
        at = self.block * BLOCK_SIZE
        status, count, offset = BLOCK.unpack_from(memory, at)
        if not status & TP_STATUS_USER:
            error = self.sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            if error:
                raise OSError(error, os.strerror(error))
            raise BlockingIOError
        frames = []
        unpack = FRAME.unpack_from
        offset += at
        for _ in range(count):
            step, snaplen, length, flags, mac, tci, tpid, packet_type = unpack(memory, offset)
            start = offset + mac
            if snaplen != length:
                on_clipped()
            elif flags & TP_STATUS_VLAN_VALID:
                frames.append((view[start - VNET_HDR_LEN:start + snaplen], packet_type,
                               AUXDATA.pack(flags, length, snaplen, 0, 0, tci, tpid)))
            else:
                frames.append((view[start - VNET_HDR_LEN:start + snaplen], packet_type,
                               UNTAGGED))
            offset += step
        self.held = at
        self.block = (self.block + 1) % BLOCKS
        return frames

    def close(self) -> None:
        self.view.release()
        with contextlib.suppress(BufferError):  # a frame's view still exported: the GC frees it
            self.memory.close()
