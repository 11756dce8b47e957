"""TFTP (RFC 1350) in the switch's own IP stack (its in-band namespace, emulator/inband.py)
when it has one, as the syslog and SNTP clients send: the client behind `copy ... tftp ...`
(octet mode, 512-octet blocks, lock-step with retransmission) and the server `tftp server`
runs on port 69, which hands out the switch's files (`/cfg/running-config`, `/os/primary`
...) and takes none, so another switch or a host can fetch them.

A transfer never hangs its command: every packet is sent at most TRIES times, RETRANSMIT
seconds apart, so a server that is down, unreachable or silent ends the transfer after
TRIES x RETRANSMIT seconds with a TftpError; a server's ERROR packet ends it at once with the
server's own text. A download never grows past `limit` octets (the flash it is meant for), and
nothing is written anywhere here: the caller stores the whole file, atomically, or nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import struct
from collections.abc import Callable
from dataclasses import dataclass
from ipaddress import IPv4Address
from typing import Final

from emulator import inband

TFTP_PORT: Final = 69
BLOCK: Final = 512
RETRANSMIT: Final = 1.0
"""Seconds a sent packet waits for its answer before it is sent again."""
TRIES: Final = 5
"""Sends of one packet before the transfer is given up."""
MODE: Final = b"octet"
RRQ, WRQ, DATA, ACK, ERROR = 1, 2, 3, 4, 5
HEADER: Final = struct.Struct("!HH")
"""Opcode and block number (or error code) of DATA, ACK and ERROR packets."""
NOT_FOUND: Final = 1
ACCESS_VIOLATION: Final = 2
DISK_FULL: Final = 3
UNKNOWN_TID: Final = 5
MAX_TRANSFERS: Final = 4
"""Transfers the server runs at once; a request beyond them is refused (error 0)."""
MAX_PACKET: Final = 4 + BLOCK
TIMED_OUT: Final = "timed out"
TOO_BIG: Final = "file too large"


class TftpError(Exception):
    """The transfer failed; the text says why (the server's message, or TIMED_OUT ...)."""


@dataclass(frozen=True)
class Server:
    """Where a transfer goes: the server's address and port, the switch's stack, its timers."""

    address: IPv4Address
    netns: str | None = None
    port: int = TFTP_PORT
    retransmit: float = RETRANSMIT
    tries: int = TRIES


def request(opcode: int, filename: str) -> bytes:
    return struct.pack("!H", opcode) + filename.encode() + b"\0" + MODE + b"\0"


def data_packet(block: int, payload: bytes) -> bytes:
    return HEADER.pack(DATA, block % 65536) + payload


def ack_packet(block: int) -> bytes:
    return HEADER.pack(ACK, block % 65536)


def error_packet(code: int, text: str) -> bytes:
    return HEADER.pack(ERROR, code) + text.encode() + b"\0"


def error_text(packet: bytes) -> str | None:
    """The message of an ERROR packet (its code's meaning when it has none), else None."""
    if len(packet) < HEADER.size or HEADER.unpack_from(packet)[0] != ERROR:
        return None
    text = packet[HEADER.size:].split(b"\0", 1)[0].decode("ascii", "replace").strip()
    return text or f"error {HEADER.unpack_from(packet)[1]}"


def _socket(netns: str | None) -> socket.socket:
    """A non-blocking UDP socket in the switch's IP stack (InbandError, an OSError, when its
    namespace is gone)."""
    with inband.entered(netns) if netns is not None else contextlib.nullcontext():
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setblocking(False)
    return sock


Accept = Callable[[bytes], bool]


class _Transfer:
    """One transfer's socket and the server's transfer ID (the port it answers from)."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.sock = _socket(server.netns)
        self.tid: tuple[str, int] | None = None

    async def exchange(self, packet: bytes, accept: Accept) -> bytes:
        """Send `packet` (to the server's port until it has answered, then to its transfer
        ID) until a packet `accept` takes comes back; an ERROR packet fails the transfer."""
        loop = asyncio.get_running_loop()
        server = self.server
        for _ in range(server.tries):
            target = self.tid or (str(server.address), server.port)
            try:
                await loop.sock_sendto(self.sock, packet, target)
            except OSError as exc:
                raise TftpError(exc.strerror or str(exc)) from None
            try:
                async with asyncio.timeout(server.retransmit):
                    while True:
                        answer = await self._receive()
                        if answer is None:
                            continue
                        failure = error_text(answer)
                        if failure is not None:
                            raise TftpError(failure)
                        if accept(answer):
                            return answer
            except TimeoutError:
                continue
        raise TftpError(TIMED_OUT)

    async def _receive(self) -> bytes | None:
        """The next packet of this transfer; None for a stray one (another transfer ID is
        told so, RFC 1350 section 4)."""
        loop = asyncio.get_running_loop()
        try:
            answer, sender = await loop.sock_recvfrom(self.sock, MAX_PACKET + 1)
        except OSError:  # an ICMP error for an earlier datagram: keep waiting
            return None
        if sender[0] != str(self.server.address):
            return None
        if self.tid is None:
            self.tid = sender
        elif sender != self.tid:
            with contextlib.suppress(OSError):
                self.sock.sendto(error_packet(UNKNOWN_TID, "Unknown transfer ID"), sender)
            return None
        return answer

    def abort(self, code: int, text: str) -> None:
        if self.tid is not None:
            with contextlib.suppress(OSError):
                self.sock.sendto(error_packet(code, text), self.tid)

    def close(self) -> None:
        self.sock.close()


def _is(opcode: int, block: int) -> Accept:
    def accept(packet: bytes) -> bool:
        return len(packet) >= HEADER.size and HEADER.unpack_from(packet) == (
            opcode, block % 65536)
    return accept


async def _send_blocks(transfer: _Transfer, data: bytes) -> None:
    """`data` in lock-step blocks, each acknowledged; a short (or empty) block ends it."""
    block = 1
    while True:
        payload = data[(block - 1) * BLOCK:block * BLOCK]
        await transfer.exchange(data_packet(block, payload), _is(ACK, block))
        if len(payload) < BLOCK:
            return
        block += 1


async def get(server: Server, filename: str, limit: int) -> bytes:
    """The whole file `filename` from the server; TftpError when it fails or exceeds
    `limit` octets."""
    try:
        transfer = _Transfer(server)
    except OSError as exc:
        raise TftpError(exc.strerror or str(exc)) from None
    try:
        received = bytearray()
        packet, block = request(RRQ, filename), 1
        while True:
            answer = await transfer.exchange(packet, _is(DATA, block))
            payload = answer[HEADER.size:]
            received += payload
            if len(received) > limit:
                transfer.abort(DISK_FULL, "Disk full or allocation exceeded")
                raise TftpError(TOO_BIG)
            packet = ack_packet(block)
            if len(payload) < BLOCK:
                with contextlib.suppress(OSError):  # the last ACK is not answered
                    transfer.sock.sendto(packet, transfer.tid or (str(server.address),
                                                                  server.port))
                return bytes(received)
            block += 1
    finally:
        transfer.close()


async def put(server: Server, filename: str, data: bytes) -> None:
    """Store `data` as `filename` on the server; TftpError when it fails."""
    try:
        transfer = _Transfer(server)
    except OSError as exc:
        raise TftpError(exc.strerror or str(exc)) from None
    try:
        await transfer.exchange(request(WRQ, filename), _is(ACK, 0))
        await _send_blocks(transfer, data)
    finally:
        transfer.close()


# -- the server -----------------------------------------------------------------------------

Files = Callable[[str], bytes | None]
"""A file's content by the name a client asks for (`/cfg/running-config`), None if none."""


def parse_request(packet: bytes) -> tuple[int, str] | None:
    """(opcode, file name) of an RRQ or WRQ, None for anything else."""
    if len(packet) < 4:
        return None
    opcode = struct.unpack_from("!H", packet)[0]
    fields = packet[2:].split(b"\0")
    if opcode not in (RRQ, WRQ) or len(fields) < 3:
        return None
    return opcode, fields[0].decode("ascii", "replace")


def server_socket(netns: str) -> socket.socket:
    """Port 69 of the switch's stack, for `serve` (OSError when it cannot be had)."""
    sock = _socket(netns)
    try:
        sock.bind(("", TFTP_PORT))
    except OSError:
        sock.close()
        raise
    return sock


async def serve(sock: socket.socket, files: Files, enabled: Callable[[], bool],
                netns: str | None, retransmit: float = RETRANSMIT, tries: int = TRIES) -> None:
    """Answer requests on `sock` (port 69 of the switch's stack) while `enabled()` says so
    (`no tftp server`: requests go unanswered): a read is sent from a port of its own, at
    most MAX_TRANSFERS at once; a write is refused, the switch's files are replaced by the
    copy commands and scp only, where they are checked."""
    loop = asyncio.get_running_loop()
    running: set[asyncio.Task[None]] = set()
    try:
        while True:
            try:
                packet, client = await loop.sock_recvfrom(sock, MAX_PACKET)
            except OSError:
                continue
            asked = parse_request(packet)
            if not enabled() or asked is None:
                continue
            if len(running) >= MAX_TRANSFERS:
                with contextlib.suppress(OSError):
                    sock.sendto(error_packet(0, "Server busy"), client)
                continue
            peer = Server(IPv4Address(client[0]), netns, client[1], retransmit, tries)
            task = asyncio.create_task(_answer(peer, *asked, files))
            running.add(task)
            task.add_done_callback(running.discard)
    finally:
        sock.close()
        for task in running:
            task.cancel()


async def _answer(peer: Server, opcode: int, name: str, files: Files) -> None:
    """One request, from a transfer socket of its own (its port is the transfer ID)."""
    try:
        transfer = _Transfer(peer)
    except OSError:
        return
    transfer.tid = (str(peer.address), peer.port)
    try:
        data = files("/" + name.lstrip("/")) if opcode == RRQ else None
        if opcode == WRQ or data is None:
            code, text = ((ACCESS_VIOLATION, "Access violation") if opcode == WRQ
                          else (NOT_FOUND, "File not found"))
            with contextlib.suppress(OSError):
                transfer.sock.sendto(error_packet(code, text), transfer.tid)
            return
        await _send_blocks(transfer, data)
    except TftpError:  # the client went away: nothing to do
        return
    finally:
        transfer.close()
