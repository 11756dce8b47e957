"""TAP ports: a persistent TAP device per port, held open by the fabric process.

Persistent, so that the host-side interface (and its addresses) never vanish while management
modules come and go; link state is the carrier, driven with TUNSETCARRIER, which the host sees
as real link loss (`NO-CARRIER`). The fabric removes the devices it created when it stops.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Final

TUN_DEVICE: Final = "/dev/net/tun"
TUNSETIFF: Final = 0x400454CA
TUNSETPERSIST: Final = 0x400454CB
TUNSETCARRIER: Final = 0x400454E2
IFF_TAP: Final = 0x0002
IFF_NO_PI: Final = 0x1000


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

    @classmethod
    def open(cls, name: str, persistent: bool = True) -> TapPort:
        """`persistent=False` for a device that should vanish with this process (the switch's
        own interfaces); ports are persistent so a host never loses its interface."""
        existed = Path("/sys/class/net", name).exists()
        try:
            fd = os.open(TUN_DEVICE, os.O_RDWR | os.O_NONBLOCK | os.O_CLOEXEC)
        except OSError as exc:
            raise TapError(exc.errno, f"cannot open {TUN_DEVICE}: {exc.strerror}") from None
        try:
            fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(), IFF_TAP | IFF_NO_PI))
            fcntl.ioctl(fd, TUNSETPERSIST, int(persistent))  # by value, unlike TUNSETCARRIER
        except OSError as exc:
            os.close(fd)
            raise TapError(exc.errno, f"cannot attach TAP {name}: {exc.strerror}") from None
        port = cls(name, fd, created=not existed)
        port.set_carrier(False)
        return port

    def fileno(self) -> int:
        return self.fd

    def read(self) -> bytes:
        """One frame (a TAP read never returns more); BlockingIOError when drained, PortGone
        when the device is."""
        try:
            return os.read(self.fd, 65535)
        except OSError as exc:
            if exc.errno in GONE:
                raise PortGone(exc.errno, f"TAP {self.name} is gone") from None
            raise

    def send(self, frame: bytes) -> None:
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
