"""recvmmsg(2) and sendmmsg(2) for packet sockets, through ctypes (Python's socket module has
neither): one system call moves up to BATCH frames.

On these machines a system call costs about a microsecond, and socket.recvmsg on a packet
socket makes one more (an ioctl to name the interface in the address it returns). Batched
reads and sends took the fabric's CPU per frame through two AF_PACKET ports from 10.9 to 7.4
us (benchmarks/results/dataplane.md).

Each batch owns BATCH slots of SLOT bytes in private anonymous memory: pages are touched only
as large frames are read, and given back once they stop, so a port costs little resident
memory. Reads come out as views of their slots, for the port to copy each frame out once; a
long frame is sent from its own bytes (the message gathers its header from the slot), so a
super-frame is not copied into a send slot at all.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import mmap
import os
import socket
import struct
from typing import Final

from emulator.fabric.offload import NO_VNET_HDR, STANDARD_FRAME, VNET_HDR_LEN, SuperFrame

BATCH: Final = 64
"""Frames one call moves: the fabric's drain takes as many per wake-up."""
SLOT: Final = VNET_HDR_LEN + 65536 + 64
"""A TCP super-frame is at most 64 KiB of IP packet plus the Ethernet header."""
LONG: Final = VNET_HDR_LEN + STANDARD_FRAME
"""Past this many octets a queued frame may be a SuperFrame (offload.STANDARD_FRAME)."""
MSG_DONTWAIT: Final = 0x40
SOCKADDR_LL_SIZE: Final = 20
PKTTYPE_AT: Final = 10
"""sll_pkttype in struct sockaddr_ll."""
AUXDATA: Final = struct.Struct("IIIHHHH")
"""struct tpacket_auxdata: status, len, snaplen, mac, net, vlan_tci, vlan_tpid."""
CMSG_HEADER: Final = ctypes.sizeof(ctypes.c_size_t) + 8
"""struct cmsghdr: cmsg_len, cmsg_level, cmsg_type; the data follows."""
CONTROL_SIZE: Final = socket.CMSG_SPACE(AUXDATA.size)
QUEUE_ERRORS: Final = frozenset({errno.EAGAIN, errno.ENOBUFS, errno.ENETDOWN, errno.ENXIO,
                                 errno.ENODEV})
"""sendmmsg failures that no later frame of the batch would escape."""
WORD: Final = ctypes.sizeof(ctypes.c_size_t)
NATIVE_WORD: Final = "Q" if WORD == 8 else "I"

_libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)


class _IoVec(ctypes.Structure):
    _fields_ = [("base", ctypes.c_void_p), ("len", ctypes.c_size_t)]


class _MsgHdr(ctypes.Structure):
    _fields_ = [("name", ctypes.c_void_p), ("namelen", ctypes.c_uint32),
                ("iov", ctypes.POINTER(_IoVec)), ("iovlen", ctypes.c_size_t),
                ("control", ctypes.c_void_p), ("controllen", ctypes.c_size_t),
                ("flags", ctypes.c_int)]


class _MMsgHdr(ctypes.Structure):
    _fields_ = [("hdr", _MsgHdr), ("len", ctypes.c_uint)]


_MESSAGES = ctypes.POINTER(_MMsgHdr)
_recvmmsg = _libc.recvmmsg
_recvmmsg.argtypes = [ctypes.c_int, _MESSAGES, ctypes.c_uint, ctypes.c_int, ctypes.c_void_p]
_recvmmsg.restype = ctypes.c_int
_sendmmsg = _libc.sendmmsg
_sendmmsg.argtypes = [ctypes.c_int, _MESSAGES, ctypes.c_uint, ctypes.c_int]
_sendmmsg.restype = ctypes.c_int


def _failure() -> OSError:
    """The errno of the call that just failed; BlockingIOError when it would have blocked or
    was interrupted (epoll wakes the caller again)."""
    error = ctypes.get_errno()
    if error in (errno.EAGAIN, errno.EINTR):
        return BlockingIOError(error, os.strerror(error))
    return OSError(error, os.strerror(error))


class _Slots:
    """BATCH messages of one buffer each, SLOT bytes apart; with `gather` > 1, each message's
    first iovec is its slot and the others (empty until set) point elsewhere."""

    def __init__(self, gather: int = 1) -> None:
        # Private: MADV_DONTNEED frees a private mapping's pages (they read as zeros after);
        # a shared one's stay allocated as shared memory, only unmapped from this process.
        self.memory = mmap.mmap(-1, BATCH * SLOT, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
        self.view = memoryview(self.memory)
        self.vectors = (_IoVec * (BATCH * gather))()
        self.messages = (_MMsgHdr * BATCH)()
        base = ctypes.addressof(ctypes.c_char.from_buffer(self.memory))
        for i in range(BATCH):
            first = self.vectors[i * gather]
            first.base, first.len = base + i * SLOT, SLOT
            self.messages[i].hdr.iov, self.messages[i].hdr.iovlen = \
                ctypes.pointer(first), gather

    def close(self) -> None:
        self.view.release()
        with contextlib.suppress(BufferError):  # a view still exported: the GC frees it
            self.memory.close()


class Incoming(_Slots):
    """recvmmsg with each frame's sender address (its packet type) and PACKET_AUXDATA."""

    def __init__(self) -> None:
        super().__init__()
        self.names = ctypes.create_string_buffer(BATCH * SOCKADDR_LL_SIZE)
        self.control = ctypes.create_string_buffer(BATCH * CONTROL_SIZE)
        for i in range(BATCH):
            header = self.messages[i].hdr
            header.name = ctypes.addressof(self.names) + i * SOCKADDR_LL_SIZE
            header.namelen = SOCKADDR_LL_SIZE
            header.control = ctypes.addressof(self.control) + i * CONTROL_SIZE
            header.controllen = CONTROL_SIZE
        self.template = bytes(self.messages)
        """The headers as the kernel must find them: it shortens namelen and controllen."""
        self.blank_control = bytes(len(self.control))
        """A message without auxdata must not show the last batch's."""
        self.lengths = memoryview(self.messages).cast("B").cast("I")
        self.touched = False
        """A batch held a frame longer than a page since the pages were last given back."""
        self.release = False
        """The pages are to be given back before the next batch is read into them."""
        self.stride = ctypes.sizeof(_MMsgHdr) // 4
        self.length_at = _MMsgHdr.len.offset // 4

    def close(self) -> None:
        self.lengths.release()
        super().close()

    def receive(self, fd: int) -> list[tuple[memoryview, int, bytes]]:
        """Up to BATCH (data, packet type, auxdata) of a non-blocking socket; BlockingIOError
        when none wait. Each data is a view of its slot, valid until the next call: the caller
        copies out what it keeps, once (taking each read out as bytes first, then the frame
        out of that, cost a copy more per frame: ~1.5 us for a 64 KiB super-frame)."""
        if self.release:
            self.memory.madvise(mmap.MADV_DONTNEED)
            self.release = False
        ctypes.memmove(self.messages, self.template, len(self.template))
        ctypes.memmove(self.control, self.blank_control, len(self.blank_control))
        count = _recvmmsg(fd, self.messages, BATCH, MSG_DONTWAIT, None)
        if count < 0:
            raise _failure()
        view, names, control, lengths = self.view, self.names.raw, self.control.raw, self.lengths
        frames = []
        longest = 0
        for i in range(count):
            start = i * SLOT
            length = lengths[i * self.stride + self.length_at]
            longest = max(longest, length)
            aux_at = i * CONTROL_SIZE + CMSG_HEADER
            frames.append((view[start:start + length],
                           names[i * SOCKADDR_LL_SIZE + PKTTYPE_AT],
                           control[aux_at:aux_at + AUXDATA.size]))
        if longest > mmap.PAGESIZE:
            self.touched = True
        elif self.touched:
            # Super-frames touched up to 64 KiB per slot: give the pages back once they stop
            # (the first batch of small frames after them), or a port that once carried bulk
            # TCP would hold 4 MiB for good. Not after every batch that held one: while bulk
            # TCP flows, faulting 16 fresh pages in per super-frame cost a fifth of the
            # throughput (afpacket TCP 3.2 -> 4.1 Gbit/s, benchmarks/results/dataplane.md).
            # At the next call, not now: this batch's views read those pages until then.
            self.release = True
            self.touched = False
        return frames


class Outgoing(_Slots):
    """Frames queued behind a zero virtio_net_hdr (the socket has PACKET_VNET_HDR on) and
    sent by one sendmmsg; a SuperFrame behind its own header (the kernel cuts it, or passes
    it on whole), which is zeroed again once sent.

    A frame longer than a standard one is not copied into its slot: the message gathers the
    slot's header and the frame's own bytes (held until sent), which spares the fabric a copy
    of up to 64 KiB per super-frame. Shorter frames are copied: taking a frame's address
    costs more than copying 1.5 KiB."""

    def __init__(self) -> None:
        super().__init__(gather=2)
        self.count = 0
        self.words = memoryview(self.vectors).cast("B").cast(NATIVE_WORD)
        """The iovecs as (base, length) words: message i's slot at 4i, its frame at 4i + 2."""
        self.headed: list[int] = []
        """Slots whose header is not zero (a SuperFrame's)."""
        self.held: list[bytes] = []
        """Frames the messages point at, kept alive until sent."""
        self.gathered: list[int] = []
        """Word offsets of the iovecs that point at a held frame."""

    def close(self) -> None:
        self.words.release()
        super().close()

    def queue(self, frame: bytes) -> int:
        """How many frames wait now; OSError (EMSGSIZE) for a frame no slot holds."""
        size = VNET_HDR_LEN + len(frame)
        at = self.count * SLOT
        word = 4 * self.count
        if size > LONG:
            if size > SLOT:
                raise OSError(errno.EMSGSIZE, os.strerror(errno.EMSGSIZE))
            if isinstance(frame, SuperFrame):
                self.view[at:at + VNET_HDR_LEN] = frame.vnet_header()
                self.headed.append(at)
            self.held.append(frame)
            self.gathered.append(word + 2)
            self.words[word + 1] = VNET_HDR_LEN
            self.words[word + 2] = ctypes.cast(ctypes.c_char_p(frame), ctypes.c_void_p).value or 0
            self.words[word + 3] = len(frame)
        else:
            self.view[at + VNET_HDR_LEN:at + size] = frame
            self.words[word + 1] = size
        self.count += 1
        return self.count

    def send(self, fd: int) -> int:
        """Send what waits; how many frames of it were lost. The kernel stops a batch at the
        first frame it refuses: one it cannot take (too big for the interface) is skipped and
        the rest still go; a full send queue or an interface that is down loses the rest."""
        count, self.count = self.count, 0
        try:
            return self._send(fd, count)
        finally:
            if self.headed:
                for at in self.headed:
                    self.view[at:at + VNET_HDR_LEN] = NO_VNET_HDR
                self.headed.clear()
            if self.held:
                for word in self.gathered:
                    self.words[word] = self.words[word + 1] = 0
                self.gathered.clear()
                self.held.clear()

    def _send(self, fd: int, count: int) -> int:
        at = lost = 0
        while at < count:
            done = _sendmmsg(fd, ctypes.byref(self.messages[at]), count - at, MSG_DONTWAIT)
            if done > 0:
                at += done
            elif ctypes.get_errno() in QUEUE_ERRORS:
                return lost + count - at
            else:
                at, lost = at + 1, lost + 1
        return lost

