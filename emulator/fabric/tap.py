"""TAP ports: a persistent TAP device per port, held open by the fabric process.

Persistent, so that the host-side interface (and its addresses) never vanish while management
modules come and go; link state is the carrier, driven with TUNSETCARRIER, which the host sees
as real link loss (`NO-CARRIER`). The fabric removes the devices it created when it stops.

A port's TAP is opened with IFF_VNET_HDR and TUNSETOFFLOAD (checksum and TCP segmentation):
the host's stack then hands over TCP super-frames of up to 64 KiB with a virtio_net_hdr, and
takes them back the same way (offload.py), so bulk TCP crosses the fabric as one frame per
64 KiB instead of 45. The switch's own interfaces (inband.py) are opened without: what they
send is always finished, and a super-frame sent to them is cut first.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import struct
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from emulator.fabric.offload import (
    NO_VNET_HDR,
    STANDARD_FRAME,
    VNET_HDR_LEN,
    OffloadError,
    SuperFrame,
    receive,
)

TUN_DEVICE: Final = "/dev/net/tun"
TUNSETIFF: Final = 0x400454CA
TUNSETPERSIST: Final = 0x400454CB
TUNSETCARRIER: Final = 0x400454E2
TUNSETOFFLOAD: Final = 0x400454D0
IFF_TAP: Final = 0x0002
IFF_NO_PI: Final = 0x1000
IFF_VNET_HDR: Final = 0x4000
TUN_F_CSUM: Final = 0x01
TUN_F_TSO4: Final = 0x02
TUN_F_TSO6: Final = 0x04
TUN_F_TSO_ECN: Final = 0x08
READ_SIZE: Final = VNET_HDR_LEN + 65536 + 64
"""A TCP super-frame is at most 64 KiB of IP packet plus the Ethernet header."""


GONE: Final = frozenset({errno.EBADFD, errno.ENODEV})
"""What a TAP fd answers once its device is deleted (or its namespace removed): from then on
it is always ready and always fails."""


class TapError(OSError):
    """The TAP device cannot be opened (no /dev/net/tun, no privilege, bad name)."""


class PortGone(OSError):
    """The port's device no longer exists: the fabric takes the port out of service."""


@dataclass
class TapPort:
    name: str
    fd: int
    created: bool
    """This fabric made the device (and removes it at a clean stop)."""
    vnet: bool = False
    """Frames come and go behind a virtio_net_hdr (IFF_VNET_HDR)."""
    pending: deque[bytes] = field(default_factory=deque)
    """Segments of a short super-frame cut at ingress, not yet handed to the bridge."""
    on_error: Callable[[], None] = lambda: None
    """Counts a frame dropped here (the fabric points it at the port's rx_errors)."""

    @classmethod
    def open(cls, name: str, persistent: bool = True, offload: bool = True) -> TapPort:
        """`persistent=False` for a device that should vanish with this process (the switch's
        own interfaces); ports are persistent so a host never loses its interface.
        `offload`: with the virtio_net_hdr and the host's checksum and TSO offloads."""
        existed = Path("/sys/class/net", name).exists()
        try:
            fd = os.open(TUN_DEVICE, os.O_RDWR | os.O_NONBLOCK | os.O_CLOEXEC)
        except OSError as exc:
            raise TapError(exc.errno, f"cannot open {TUN_DEVICE}: {exc.strerror}") from None
        try:
            flags = IFF_TAP | IFF_NO_PI | (IFF_VNET_HDR if offload else 0)
            fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(), flags))
            fcntl.ioctl(fd, TUNSETPERSIST, int(persistent))  # by value, unlike TUNSETCARRIER
            # By value too; without it (a device reopened without IFF_VNET_HDR) the host
            # finishes every frame itself.
            fcntl.ioctl(fd, TUNSETOFFLOAD, TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6 | TUN_F_TSO_ECN
                        if offload else 0)
        except OSError as exc:
            os.close(fd)
            raise TapError(exc.errno, f"cannot attach TAP {name}: {exc.strerror}") from None
        port = cls(name, fd, created=not existed, vnet=offload)
        port.set_carrier(False)
        return port

    def fileno(self) -> int:
        return self.fd

    def read(self) -> bytes:
        """One frame; BlockingIOError when drained, PortGone when the device is."""
        if self.pending:
            return self.pending.popleft()
        while True:
            try:
                data = os.read(self.fd, READ_SIZE)
            except OSError as exc:
                if exc.errno in GONE:
                    raise PortGone(exc.errno, f"TAP {self.name} is gone") from None
                raise
            if not self.vnet:
                return data
            if not (data[0] or data[1]):
                return data[VNET_HDR_LEN:]
            try:  # a checksum to finish or a super-frame
                frames = receive(data)
            except OffloadError:
                self.on_error()
                continue
            self.pending.extend(frames[1:])
            return frames[0]

    def send(self, frame: bytes) -> None:
        if len(frame) > STANDARD_FRAME and isinstance(frame, SuperFrame):
            if self.vnet:  # gathered by the kernel: prepending the header copied 64 KiB
                os.writev(self.fd, (frame.vnet_header(), frame))
            else:
                for segment in frame.segments():
                    os.write(self.fd, segment)
        elif self.vnet:
            os.write(self.fd, NO_VNET_HDR + frame)
        else:
            os.write(self.fd, frame)

    def set_carrier(self, up: bool) -> None:
        """Link up/down as the host sees it; the host's admin state is left alone. A device
        that is gone has no link to show (read() reports it)."""
        with contextlib.suppress(OSError):
            fcntl.ioctl(self.fd, TUNSETCARRIER, struct.pack("i", 1 if up else 0))

    def close(self) -> None:
        try:
            if self.created:
                with contextlib.suppress(OSError):  # gone already: nothing to remove
                    fcntl.ioctl(self.fd, TUNSETPERSIST, 0)
        finally:
            os.close(self.fd)
