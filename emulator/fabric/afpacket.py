"""AF_PACKET ports: an existing interface (containerlab's eth1..N veths) as a switch port.

Three kernel facts shape this file (notes/dataplane.md): the kernel strips 802.1Q tags before a
packet socket sees a frame, so the tag is rebuilt from PACKET_AUXDATA; a packet socket also
sees the frames we send, so outgoing ones are ignored; and a host on the other end of a veth
hands over TCP super-frames and frames with unfinished checksums, which offload.py finishes
from the PACKET_VNET_HDR header each frame then carries (our own side's offloads are turned
off when `ethtool` is there to do it).

Frames are read in batches with recvmmsg(2) through ctypes (Python's socket module has no
recvmmsg): one system call for up to BATCH frames, where socket.recvmsg made one call per frame
and, for a packet socket, an ioctl more to name the interface in the address it returns.
Measured on a veth, 3.3 us of fabric CPU a frame became 2.0 (notes in
benchmarks/results/dataplane.md).
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import mmap
import os
import shutil
import socket
import struct
import subprocess
import sys
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final

from emulator.fabric.offload import NO_VNET_HDR, VNET_HDR_LEN, OffloadError, finish

_libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)

ETH_P_ALL: Final = 0x0003
SOL_PACKET: Final = 263
PACKET_AUXDATA: Final = 8
PACKET_VNET_HDR: Final = 15
PACKET_IGNORE_OUTGOING: Final = 23
PACKET_OUTGOING: Final = 4
TP_STATUS_VLAN_VALID: Final = 0x10
TP_STATUS_VLAN_TPID_VALID: Final = 0x40
AUXDATA: Final = struct.Struct("IIIHHHH")
"""struct tpacket_auxdata: status, len, snaplen, mac, net, vlan_tci, vlan_tpid."""
TPID_8021Q: Final = 0x8100
OFFLOADS: Final = ("gro", "gso", "tso", "tx")
SO_RCVBUFFORCE: Final = 33
RECEIVE_BUFFER: Final = 4 << 20
"""Bytes the kernel may queue for us while the fabric is off the CPU: +30 % 64-byte no-drop
rate measured (benchmarks/results/dataplane.md)."""
READ_SIZE: Final = VNET_HDR_LEN + 65536 + 64
"""A TCP super-frame is at most 64 KiB of IP packet plus the Ethernet header."""
BATCH: Final = 64
"""Frames one recvmmsg may return: the fabric's drain takes as many per wake-up."""
MSG_DONTWAIT: Final = 0x40
SOCKADDR_LL_SIZE: Final = 20
PKTTYPE_AT: Final = 10
"""sll_pkttype in struct sockaddr_ll."""
CMSG_HEADER: Final = ctypes.sizeof(ctypes.c_size_t) + 8
"""struct cmsghdr: cmsg_len, cmsg_level, cmsg_type; the data follows."""
CONTROL_SIZE: Final = socket.CMSG_SPACE(AUXDATA.size)
STATUS_LOW_BYTE: Final = 0 if sys.byteorder == "little" else 3
"""Where tp_status' flag bits are in the auxdata's bytes."""


class _IoVec(ctypes.Structure):
    _fields_ = [("base", ctypes.c_void_p), ("len", ctypes.c_size_t)]


class _MsgHdr(ctypes.Structure):
    _fields_ = [("name", ctypes.c_void_p), ("namelen", ctypes.c_uint32),
                ("iov", ctypes.POINTER(_IoVec)), ("iovlen", ctypes.c_size_t),
                ("control", ctypes.c_void_p), ("controllen", ctypes.c_size_t),
                ("flags", ctypes.c_int)]


class _MMsgHdr(ctypes.Structure):
    _fields_ = [("hdr", _MsgHdr), ("len", ctypes.c_uint)]


_recvmmsg = _libc.recvmmsg
_recvmmsg.argtypes = [ctypes.c_int, ctypes.POINTER(_MMsgHdr), ctypes.c_uint, ctypes.c_int,
                      ctypes.c_void_p]
_recvmmsg.restype = ctypes.c_int


class Batch:
    """Buffers for one recvmmsg: BATCH slots of READ_SIZE in anonymous memory (pages are
    touched only as large frames arrive, so an idle port costs little), each with room for
    the sender's address and the PACKET_AUXDATA message. `receive` fills them and yields each
    frame's bytes (the vnet header first), packet type and auxiliary data."""

    def __init__(self) -> None:
        self.memory = mmap.mmap(-1, BATCH * READ_SIZE)
        self.names = ctypes.create_string_buffer(BATCH * SOCKADDR_LL_SIZE)
        self.control = ctypes.create_string_buffer(BATCH * CONTROL_SIZE)
        self.vectors = (_IoVec * BATCH)()
        self.messages = (_MMsgHdr * BATCH)()
        base = ctypes.addressof(ctypes.c_char.from_buffer(self.memory))
        for i in range(BATCH):
            self.vectors[i].base, self.vectors[i].len = base + i * READ_SIZE, READ_SIZE
            header = self.messages[i].hdr
            header.name = ctypes.addressof(self.names) + i * SOCKADDR_LL_SIZE
            header.namelen = SOCKADDR_LL_SIZE
            header.iov, header.iovlen = ctypes.pointer(self.vectors[i]), 1
            header.control = ctypes.addressof(self.control) + i * CONTROL_SIZE
            header.controllen = CONTROL_SIZE
        self.template = bytes(self.messages)
        """The headers as the kernel must find them: it shortens namelen and controllen."""
        self.blank_control = bytes(len(self.control))
        self.view = memoryview(self.memory)
        self.lengths = memoryview(self.messages).cast("B").cast("I")
        self.stride = ctypes.sizeof(_MMsgHdr) // 4
        self.length_at = _MMsgHdr.len.offset // 4

    def close(self) -> None:
        self.view.release()
        self.lengths.release()
        with contextlib.suppress(BufferError):  # a frame slice still alive: the GC frees it
            self.memory.close()

    def receive(self, fd: int) -> list[tuple[bytes, int, bytes]]:
        """Up to BATCH (data, packet type, auxdata or b"") tuples; BlockingIOError when none
        wait, OSError for any other failure."""
        ctypes.memmove(self.messages, self.template, len(self.template))
        ctypes.memmove(self.control, self.blank_control, len(self.blank_control))
        count = _recvmmsg(fd, self.messages, BATCH, MSG_DONTWAIT, None)
        if count < 0:
            error = ctypes.get_errno()
            if error in (errno.EAGAIN, errno.EINTR):  # EINTR: epoll wakes us again
                raise BlockingIOError(error, os.strerror(error))
            raise OSError(error, os.strerror(error))
        names, control, lengths = self.names.raw, self.control.raw, self.lengths
        frames = []
        for i in range(count):
            start = i * READ_SIZE
            data = self.view[start:start + lengths[i * self.stride + self.length_at]].tobytes()
            aux_at = i * CONTROL_SIZE + CMSG_HEADER
            frames.append((data, names[i * SOCKADDR_LL_SIZE + PKTTYPE_AT],
                           control[aux_at:aux_at + AUXDATA.size]))
        return frames


@dataclass
class AfPacketPort:
    name: str
    sock: socket.socket
    pending: deque[bytes] = field(default_factory=deque)
    """Frames of the last batch (and segments of super-frames) not yet handed to the bridge."""
    batch: Batch = field(default_factory=Batch)
    on_error: Callable[[], None] = lambda: None
    """Counts a frame dropped here (the fabric points it at the port's rx_errors)."""

    @classmethod
    def open(cls, name: str, ifname: str) -> AfPacketPort:
        sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
        try:
            sock.bind((ifname, ETH_P_ALL))
            sock.setsockopt(SOL_PACKET, PACKET_AUXDATA, 1)
            sock.setsockopt(SOL_PACKET, PACKET_VNET_HDR, 1)
            with contextlib.suppress(OSError):  # needs CAP_NET_ADMIN, which we have as root
                sock.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, RECEIVE_BUFFER)
            with contextlib.suppress(OSError):  # older kernels: filtered in read() instead
                sock.setsockopt(SOL_PACKET, PACKET_IGNORE_OUTGOING, 1)
        except OSError:
            sock.close()
            raise
        sock.setblocking(False)
        _offloads_off(ifname)
        return cls(name, sock)

    def fileno(self) -> int:
        return self.sock.fileno()

    def read(self) -> bytes:
        """One frame with its 802.1Q tag put back; BlockingIOError when drained."""
        while not self.pending:
            self.take(self.batch.receive(self.sock.fileno()))
        return self.pending.popleft()

    def take(self, batch: list[tuple[bytes, int, bytes]]) -> None:
        """A batch's frames into `pending`, ready for the bridge."""
        pending = self.pending
        for data, packet_type, aux in batch:
            if packet_type == PACKET_OUTGOING:
                continue
            frame = data[VNET_HDR_LEN:]
            if data[0] or data[1]:  # a checksum to finish or a super-frame to cut
                try:
                    frames = finish(data[:VNET_HDR_LEN], frame)
                except OffloadError:
                    self.on_error()
                    continue
            else:
                frames = [frame]
            if aux[STATUS_LOW_BYTE] & TP_STATUS_VLAN_VALID:
                status, _, _, _, _, tci, tpid = AUXDATA.unpack(aux)
                if not status & TP_STATUS_VLAN_TPID_VALID:
                    tpid = TPID_8021Q
                tag = struct.pack("!HH", tpid, tci)
                frames = [f[:12] + tag + f[12:] for f in frames]
            pending.extend(frames)

    def send(self, frame: bytes) -> None:
        self.sock.sendmsg([NO_VNET_HDR, frame])

    def set_carrier(self, up: bool) -> None:
        """The far end of a veth has no carrier we could drive without touching its admin
        state; a disabled port simply forwards nothing."""

    def close(self) -> None:
        self.sock.close()
        self.batch.close()


def _offloads_off(ifname: str) -> None:
    ethtool = shutil.which("ethtool")
    if ethtool is None:
        return
    for offload in OFFLOADS:
        subprocess.run([ethtool, "-K", ifname, offload, "off"], capture_output=True,
                       check=False)
