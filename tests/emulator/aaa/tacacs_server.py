"""A minimal TACACS+ server (RFC 8907) for the tests: no server is packaged in the registries
these machines reach, so this one answers the switch's client the way the RFC says a server
does. ASCII login (GETUSER, GETPASS, then PASS or FAIL), the enable service, and shell
authorization answering the user's `priv-lvl`; bodies obfuscated with the key (section 4.5,
written here from the RFC rather than taken from the client, so the two are checked against
each other). A body that does not decode (a wrong key) closes the connection."""

from __future__ import annotations

import asyncio
import hashlib
import struct
from dataclasses import dataclass, field

HEADER = struct.Struct("!BBBBII")


def _xor(body: bytes, session_id: int, key: bytes, version: int, seq_no: int) -> bytes:
    if not key:
        return body
    stream = b""
    last = b""
    while len(stream) < len(body):
        last = hashlib.md5(session_id.to_bytes(4, "big") + key + bytes([version, seq_no])
                           + last).digest()
        stream += last
    return bytes(a ^ b for a, b in zip(body, stream, strict=False))


@dataclass
class TacacsServer:
    key: bytes
    users: dict[str, tuple[str, int]]
    """name -> (password, priv-lvl)."""
    enable_password: str = "enable"
    seen: list[tuple[int, str]] = field(default_factory=list)
    """(packet type, user) of every request."""
    records: list[tuple[int, str]] = field(default_factory=list)
    """(flags: 2 start, 4 stop, user) of every accounting request."""
    server: asyncio.Server | None = None

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> int:
        self.server = await asyncio.start_server(self._serve, host, port)
        return int(self.server.sockets[0].getsockname()[1])

    async def stop(self) -> None:
        if self.server is not None:
            self.server.close()
            await self.server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await self._conversation(reader, writer)
        except (asyncio.IncompleteReadError, ValueError, IndexError, UnicodeDecodeError):
            pass
        finally:
            writer.close()

    async def _read(self, reader: asyncio.StreamReader) -> tuple[tuple[int, ...], bytes]:
        header = HEADER.unpack(await reader.readexactly(HEADER.size))
        version, _kind, seq_no, _flags, session_id, length = header
        return header, _xor(await reader.readexactly(length), session_id, self.key, version,
                            seq_no)

    def _send(self, writer: asyncio.StreamWriter, request: tuple[int, ...], seq_no: int,
              body: bytes) -> None:
        version, kind, _, flags, session_id, _ = request
        writer.write(HEADER.pack(version, kind, seq_no, flags, session_id, len(body))
                     + _xor(body, session_id, self.key, version, seq_no))

    @staticmethod
    def _reply(status: int) -> bytes:
        return struct.pack("!BBHH", status, 0, 0, 0)

    async def _conversation(self, reader: asyncio.StreamReader,
                            writer: asyncio.StreamWriter) -> None:
        header, body = await self._read(reader)
        if header[1] == 2:  # authorization
            self._authorize(writer, header, body)
            return
        if header[1] == 3:  # accounting
            self._account(writer, header, body)
            return
        service, user_len = body[3], body[4]
        if body[0] != 1 or body[2] != 1:
            raise ValueError("not an ASCII login")
        user = body[8:8 + user_len].decode()
        seq = header[2]
        if not user:
            self._send(writer, header, seq + 1, self._reply(4))  # GETUSER
            header, body = await self._read(reader)
            user, seq = self._continued(body), header[2]
        self.seen.append((1, user))
        self._send(writer, header, seq + 1, self._reply(5))  # GETPASS
        header, body = await self._read(reader)
        password = self._continued(body)
        if service == 2:  # enable
            good = password == self.enable_password
        else:
            good = user in self.users and self.users[user][0] == password
        self._send(writer, header, header[2] + 1, self._reply(1 if good else 2))
        await writer.drain()

    @staticmethod
    def _continued(body: bytes) -> str:
        message_len, data_len, _flags = struct.unpack_from("!HHB", body)
        return body[5:5 + message_len].decode() if message_len else \
            body[5:5 + data_len].decode()

    def _account(self, writer: asyncio.StreamWriter, header: tuple[int, ...],
                 body: bytes) -> None:
        flags, user_len, count = body[0], body[5], body[8]
        user = body[9 + count:9 + count + user_len].decode()
        self.records.append((flags, user))
        self._send(writer, header, header[2] + 1, struct.pack("!HHB", 0, 0, 1))

    def _authorize(self, writer: asyncio.StreamWriter, header: tuple[int, ...],
                   body: bytes) -> None:
        user_len, _port_len, _addr_len, count = body[4:8]
        user = body[8 + count:8 + count + user_len].decode()
        self.seen.append((2, user))
        if user not in self.users:
            self._send(writer, header, header[2] + 1, struct.pack("!BBHH", 0x10, 0, 0, 0))
            return
        arg = f"priv-lvl={self.users[user][1]}".encode()
        self._send(writer, header, header[2] + 1,
                   struct.pack("!BBHHB", 1, 1, 0, 0, len(arg)) + arg)
