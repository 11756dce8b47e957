"""AF_PACKET ports: an existing interface (containerlab's eth1..N veths) as a switch port.

Three kernel facts shape this file (notes/dataplane.md): the kernel strips 802.1Q tags before a
packet socket sees a frame, so the tag is rebuilt from PACKET_AUXDATA; a packet socket also
sees the frames we send, so outgoing ones are ignored; and a host on the other end of a veth
hands over TCP super-frames and frames with unfinished checksums, which offload.py finishes
from the PACKET_VNET_HDR header each frame then carries (our own side's offloads are turned
off when `ethtool` is there to do it).
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import struct
import subprocess
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final

from emulator.fabric.offload import NO_VNET_HDR, VNET_HDR_LEN, OffloadError, finish

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


@dataclass
class AfPacketPort:
    name: str
    sock: socket.socket
    pending: deque[bytes] = field(default_factory=deque)
    """Segments of a super-frame not yet handed to the bridge."""
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
        if self.pending:
            return self.pending.popleft()
        while True:
            data, ancillary, _flags, address = self.sock.recvmsg(
                READ_SIZE, socket.CMSG_SPACE(AUXDATA.size))
            if address[2] == PACKET_OUTGOING:
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
            for level, kind, cdata in ancillary:
                if level != SOL_PACKET or kind != PACKET_AUXDATA:
                    continue
                status, _, _, _, _, tci, tpid = AUXDATA.unpack_from(cdata)
                if status & TP_STATUS_VLAN_VALID:
                    if not status & TP_STATUS_VLAN_TPID_VALID:
                        tpid = TPID_8021Q
                    tag = struct.pack("!HH", tpid, tci)
                    frames = [f[:12] + tag + f[12:] for f in frames]
            self.pending.extend(frames[1:])
            return frames[0]

    def send(self, frame: bytes) -> None:
        self.sock.sendmsg([NO_VNET_HDR, frame])

    def set_carrier(self, up: bool) -> None:
        """The far end of a veth has no carrier we could drive without touching its admin
        state; a disabled port simply forwards nothing."""

    def close(self) -> None:
        self.sock.close()


def _offloads_off(ifname: str) -> None:
    ethtool = shutil.which("ethtool")
    if ethtool is None:
        return
    for offload in OFFLOADS:
        subprocess.run([ethtool, "-K", ifname, offload, "off"], capture_output=True,
                       check=False)
