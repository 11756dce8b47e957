"""UDP tunnel ports: one raw Ethernet frame per datagram, as GNS3's UDP tunnels, qemu's
`-netdev dgram/socket` and VPCS exchange them. No privileges needed."""

from __future__ import annotations

import socket
from dataclasses import dataclass

from emulator.fabric.offload import STANDARD_FRAME, SuperFrame


@dataclass
class UdpPort:
    name: str
    sock: socket.socket

    @classmethod
    def open(cls, name: str, local_port: int, remote_host: str, remote_port: int) -> UdpPort:
        """Bound to LPORT, connected to RHOST:RPORT, so that only the peer's datagrams are
        frames of this port and `send` needs no address per frame."""
        family, kind, proto, _, address = socket.getaddrinfo(
            remote_host, remote_port, type=socket.SOCK_DGRAM)[0]
        sock = socket.socket(family, kind, proto)
        try:
            sock.bind(("::" if family == socket.AF_INET6 else "0.0.0.0", local_port))
            sock.connect(address)
        except OSError:
            sock.close()
            raise
        sock.setblocking(False)
        return cls(name, sock)

    def fileno(self) -> int:
        return self.sock.fileno()

    def read(self) -> bytes:
        """One frame; BlockingIOError when drained. A refused send shows up here as
        ConnectionRefusedError (the peer is not up yet): the caller treats it as no frame."""
        return self.sock.recv(65535)

    def send(self, frame: bytes) -> None:
        """A super-frame (offload.py) is cut here: a tunnel's peer takes only real frames."""
        if len(frame) > STANDARD_FRAME and isinstance(frame, SuperFrame):
            for segment in frame.segments():
                self.sock.send(segment)
        else:
            self.sock.send(frame)

    def set_carrier(self, up: bool) -> None:
        """A tunnel has no carrier: the peer learns of a down port by silence."""

    def close(self) -> None:
        self.sock.close()
