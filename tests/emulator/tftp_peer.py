"""A TFTP server on loopback for the unit tests (RFC 1350, octet mode, lock-step), in a thread
of its own so that a test's event loops come and go around it: serves `files` and stores what
is uploaded into it. `silent` answers nothing (a server that is down)."""

from __future__ import annotations

import socket
import struct
import threading
from ipaddress import IPv4Address

from emulator import tftp


class TftpPeer:
    def __init__(self, files: dict[str, bytes] | None = None, *, silent: bool = False) -> None:
        self.files = dict(files or {})
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.port: int = self.sock.getsockname()[1]
        self.requests: list[tuple[int, str]] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        if not silent:
            self.thread.start()

    def server(self) -> tftp.Server:
        """Where the client sends, with timers short enough for tests."""
        return tftp.Server(IPv4Address("127.0.0.1"), None, self.port, retransmit=0.2,
                           tries=3)

    def _serve(self) -> None:
        while True:
            try:
                packet, client = self.sock.recvfrom(1024)
            except OSError:
                return
            opcode = struct.unpack_from("!H", packet)[0]
            name = packet[2:].split(b"\0")[0].decode()
            self.requests.append((opcode, name))
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as transfer:
                transfer.bind(("127.0.0.1", 0))
                transfer.settimeout(2.0)
                try:
                    if opcode == tftp.RRQ:
                        self._send(transfer, client, name)
                    elif opcode == tftp.WRQ:
                        self._receive(transfer, client, name)
                except OSError:
                    continue

    def _send(self, transfer: socket.socket, client: tuple[str, int], name: str) -> None:
        if name not in self.files:
            transfer.sendto(tftp.error_packet(1, "File not found"), client)
            return
        data, block = self.files[name], 1
        while True:
            payload = data[(block - 1) * tftp.BLOCK:block * tftp.BLOCK]
            transfer.sendto(tftp.data_packet(block, payload), client)
            answer, _ = transfer.recvfrom(1024)
            if answer != tftp.ack_packet(block):
                return
            if len(payload) < tftp.BLOCK:
                return
            block += 1

    def _receive(self, transfer: socket.socket, client: tuple[str, int], name: str) -> None:
        received, block = bytearray(), 1
        transfer.sendto(tftp.ack_packet(0), client)
        while True:
            packet, _ = transfer.recvfrom(1024)
            if packet[:4] != tftp.data_packet(block, b""):
                return
            received += packet[4:]
            transfer.sendto(tftp.ack_packet(block), client)
            if len(packet) - 4 < tftp.BLOCK:
                self.files[name] = bytes(received)
                return
            block += 1

    def close(self) -> None:
        self.sock.close()
