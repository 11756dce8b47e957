"""AF_PACKET ports: an existing interface (containerlab's eth1..N veths) as a switch port.

Three kernel facts shape this file (notes/dataplane.md): the kernel strips 802.1Q tags before a
packet socket sees a frame, so the tag is rebuilt from PACKET_AUXDATA; a packet socket also
sees the frames we send, so outgoing ones are ignored; and a host on the other end of a veth
hands over TCP super-frames and frames with unfinished checksums, which come with the
PACKET_VNET_HDR header: a super-frame crosses the fabric whole and leaves an AF_PACKET port
with its header again (offload.py, which also finishes what other egresses cannot take). Our
own side keeps its segmentation offloads (the kernel passes a super-frame we send on to the
veth peer whole) and has GRO turned off, when `ethtool` is there to do it.

Frames move in batches (mmsg.py): the reads of one wake-up in one recvmmsg, and the frames
sent to a port while the fabric handles them in one sendmmsg at the loop's next turn.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import shutil
import socket
import struct
import subprocess
import sys
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from emulator.fabric.mmsg import AUXDATA, BATCH, Incoming, Outgoing
from emulator.fabric.offload import VNET_HDR_LEN, OffloadError, receive

ETH_P_ALL: Final = 0x0003
SOL_PACKET: Final = 263
PACKET_AUXDATA: Final = 8
PACKET_VNET_HDR: Final = 15
PACKET_IGNORE_OUTGOING: Final = 23
PACKET_OUTGOING: Final = 4
TP_STATUS_VLAN_VALID: Final = 0x10
TP_STATUS_VLAN_TPID_VALID: Final = 0x40
TPID_8021Q: Final = 0x8100
SIOCGIFFLAGS: Final = 0x8913
SIOCSIFFLAGS: Final = 0x8914
IFF_UP: Final = 0x1
IFF_NOARP: Final = 0x80
RTMGRP_LINK: Final = 1
"""Netlink multicast group of link changes (an interface made, renamed, deleted)."""
IFREQ: Final = struct.Struct("16sH22x")
"""struct ifreq with ifr_flags (40 octets on Linux)."""
OFFLOADS: Final = (("gro", "off"), ("tx", "on"), ("tso", "on"), ("gso", "on"))
"""Our end of a veth: frames as the peer sent them (no merging on our side), and super-frames
we send passed on whole."""
SO_RCVBUFFORCE: Final = 33
RECEIVE_BUFFER: Final = 4 << 20
"""Bytes the kernel may queue for us while the fabric is off the CPU: +30 % 64-byte no-drop
rate measured (benchmarks/results/dataplane.md)."""
STATUS_LOW_BYTE: Final = 0 if sys.byteorder == "little" else 3
"""Where tp_status' flag bits are in the auxdata's bytes."""


@dataclass
class AfPacketPort:
    name: str
    sock: socket.socket
    ifname: str = ""
    """The interface the socket is bound to (its admin state is the port's link)."""
    ifindex: int = 0
    """Its index: an interface of the same name made anew (a re-wired link) has another."""
    pending: deque[bytes] = field(default_factory=deque)
    """Frames of the last batch (and segments of super-frames) not yet handed to the bridge."""
    incoming: Incoming = field(default_factory=Incoming)
    outgoing: Outgoing = field(default_factory=Outgoing)
    on_tx_drop: Callable[[int], None] = lambda count: None
    """Counts frames a batched send lost (the fabric points it at the port's tx_drops)."""
    on_error: Callable[[], None] = lambda: None
    """Counts a frame dropped here (the fabric points it at the port's rx_errors)."""

    @classmethod
    def open(cls, name: str, ifname: str) -> AfPacketPort:
        # Protocol 0 until bound: a socket made for ETH_P_ALL hears every interface's frames
        # in the moment before bind() narrows it to ours.
        sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, 0)
        try:
            ifindex = socket.if_nametoindex(ifname)
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
        _set_offloads(ifname)
        port = cls(name, sock, ifname=ifname, ifindex=ifindex)
        port.silence()
        return port

    def silence(self) -> None:
        """No IP presence on the interface: a switch port neither answers ARP for addresses
        the host's stack holds on other interfaces (a container's VLAN addresses live beside
        its ports) nor speaks IPv6 (link-local address, router solicitations, MLD). Without
        the privilege (no CAP_NET_ADMIN, /proc/sys read-only) the port still switches."""
        self._change_flags(IFF_NOARP, 0)
        with contextlib.suppress(OSError):
            Path(f"/proc/sys/net/ipv6/conf/{self.ifname}/disable_ipv6").write_text("1")
        ip = shutil.which("ip")
        if ip is not None:
            subprocess.run([ip, "-4", "addr", "flush", "dev", self.ifname], capture_output=True,
                           check=False)

    def fileno(self) -> int:
        return self.sock.fileno()

    def read(self) -> bytes:
        """One frame with its 802.1Q tag put back; BlockingIOError when drained."""
        while not self.pending:
            self.take(self.incoming.receive(self.sock.fileno()))
        return self.pending.popleft()

    def take(self, batch: list[tuple[memoryview, int, bytes]]) -> None:
        """A batch's frames (views of the receive slots) into `pending` as bytes, ready for
        the bridge: each frame copied out of its slot once."""
        pending = self.pending
        for data, packet_type, aux in batch:
            if packet_type == PACKET_OUTGOING:
                continue
            if data[0] or data[1]:  # a checksum to finish or a super-frame
                try:
                    frames = receive(data)
                except OffloadError:
                    self.on_error()
                    continue
            else:
                frames = [data[VNET_HDR_LEN:].tobytes()]
            if aux[STATUS_LOW_BYTE] & TP_STATUS_VLAN_VALID:
                status, _, _, _, _, tci, tpid = AUXDATA.unpack(aux)
                if not status & TP_STATUS_VLAN_TPID_VALID:
                    tpid = TPID_8021Q
                tag = struct.pack("!HH", tpid, tci)
                frames = [f[:12] + tag + f[12:] for f in frames]
            pending.extend(frames)

    def send(self, frame: bytes) -> None:
        """Queued, and sent with the frames that join it before the event loop's next turn
        (or at once when the batch is full, or when no loop runs)."""
        waiting = self.outgoing.queue(frame)
        if waiting == BATCH:
            self.flush()
        elif waiting == 1:
            try:
                asyncio.get_running_loop().call_soon(self.flush)
            except RuntimeError:
                self.flush()

    def flush(self) -> None:
        if self.outgoing.count:
            lost = self.outgoing.send(self.sock.fileno())
            if lost:
                self.on_tx_drop(lost)

    def set_carrier(self, up: bool) -> None:
        """Our end of a veth administratively down is NO-CARRIER at the far end, which is all
        a host sees of link loss; nothing else uses our end. Without the privilege to do it
        (no CAP_NET_ADMIN), a disabled port just forwards nothing."""
        self._change_flags(IFF_UP if up else 0, 0 if up else IFF_UP)

    def _change_flags(self, on: int, off: int) -> None:
        with contextlib.suppress(OSError):
            request = IFREQ.pack(self.ifname.encode(), 0)
            _, flags = IFREQ.unpack(fcntl.ioctl(self.sock, SIOCGIFFLAGS, request))
            wanted = (flags | on) & ~off
            if wanted != flags:
                fcntl.ioctl(self.sock, SIOCSIFFLAGS, IFREQ.pack(self.ifname.encode(), wanted))

    def close(self) -> None:
        self.sock.close()
        self.incoming.close()
        self.outgoing.close()


def if_index(ifname: str) -> int | None:
    """The interface's index in this namespace, None when there is no such interface."""
    try:
        return socket.if_nametoindex(ifname)
    except OSError:
        return None


def link_events() -> socket.socket:
    """A non-blocking netlink socket that turns readable whenever an interface of this
    namespace appears, changes (a rename, up or down) or disappears."""
    events = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE)
    try:
        events.bind((0, RTMGRP_LINK))
    except OSError:
        events.close()
        raise
    events.setblocking(False)
    return events


def drain_events(events: socket.socket) -> None:
    """Read and drop what the kernel queued: the caller looks at the interfaces themselves."""
    with contextlib.suppress(OSError):  # drained (BlockingIOError), or ENOBUFS: overflowed
        while events.recv(65536):
            pass


def _set_offloads(ifname: str) -> None:
    ethtool = shutil.which("ethtool")
    if ethtool is None:
        return
    for offload, state in OFFLOADS:
        subprocess.run([ethtool, "-K", ifname, offload, state], capture_output=True,
                       check=False)
