"""A TACACS+ client (RFC 8907): ASCII login authentication (START, the server's GETUSER /
GETPASS prompts answered with CONTINUE, then PASS or FAIL) and, with `aaa authentication login
privilege-mode`, an authorization request whose `priv-lvl` names the level (15 is the manager,
anything lower the operator, as K.15 reads it). Bodies are obfuscated with the shared key
(RFC 8907 4.5); without a key the UNENCRYPTED flag is set. One TCP connection per exchange;
a server that cannot be reached or does not answer within `timeout` is skipped, and none
answering is `UNREACHABLE` (the login may then fall back to the local passwords).
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import struct
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Final

from emulator.aaa.radius import Answer, Outcome

VERSION: Final = 0xC0
"""Major version 12, minor version 0 (ASCII login)."""
AUTHEN: Final = 1
AUTHOR: Final = 2
ACCT: Final = 3
ACCT_START: Final = 0x02
ACCT_STOP: Final = 0x04
ACCT_SUCCESS: Final = 0x01
UNENCRYPTED: Final = 0x01
HEADER: Final = struct.Struct("!BBBBII")
MAX_BODY: Final = 65536

ACTION_LOGIN: Final = 1
TYPE_ASCII: Final = 1
SERVICE_LOGIN: Final = 1
SERVICE_ENABLE: Final = 2
METHOD_TACACSPLUS: Final = 6
PRIV_USER: Final = 1
PRIV_MAX: Final = 15

STATUS_PASS: Final = 1
STATUS_GETDATA: Final = 3
STATUS_GETUSER: Final = 4
STATUS_GETPASS: Final = 5
STATUS_ERROR: Final = 7
"""The server could not decide (RFC 8907 5.2): the next server is asked, as for one that does
not answer; any other status but PASS and the prompts is a refusal."""
AUTHOR_PASS_ADD: Final = 1
AUTHOR_PASS_REPL: Final = 2
MAX_ROUNDS: Final = 5
"""Prompts answered before a conversation is given up (a server asking forever)."""


class ProtocolError(Exception):
    """An answer that does not parse or does not belong to our session."""


def pad(session_id: int, key: bytes, version: int, seq_no: int, length: int) -> bytes:
    """RFC 8907 4.5: MD5_1 = MD5(session_id, key, version, seq_no), MD5_n adds MD5_n-1."""
    seed = struct.pack("!I", session_id) + key + bytes([version, seq_no])
    out = b""
    previous = b""
    while len(out) < length:
        previous = hashlib.md5(seed + previous).digest()
        out += previous
    return out[:length]


def obfuscate(body: bytes, session_id: int, key: bytes, version: int, seq_no: int) -> bytes:
    """Its own inverse: the same call reveals an obfuscated body."""
    if not key:
        return body
    mask = pad(session_id, key, version, seq_no, len(body))
    return bytes(a ^ b for a, b in zip(body, mask, strict=True))


def packet(kind: int, seq_no: int, session_id: int, key: bytes, body: bytes) -> bytes:
    flags = 0 if key else UNENCRYPTED
    return HEADER.pack(VERSION, kind, seq_no, flags, session_id, len(body)) + obfuscate(
        body, session_id, key, VERSION, seq_no)


def authen_start(user: str, port: str, address: str, service: int) -> bytes:
    fields = [user.encode()[:255], port.encode()[:255], address.encode()[:255]]
    priv = PRIV_MAX if service == SERVICE_ENABLE else PRIV_USER
    return bytes([ACTION_LOGIN, priv, TYPE_ASCII, service, *(len(f) for f in fields), 0]) + \
        b"".join(fields)


def authen_continue(data: str) -> bytes:
    encoded = data.encode()[:65535]
    return struct.pack("!HHB", 0, len(encoded), 0) + encoded


def author_request(user: str, port: str, address: str, args: list[str]) -> bytes:
    fields = [user.encode()[:255], port.encode()[:255], address.encode()[:255]]
    encoded = [arg.encode()[:255] for arg in args]
    return bytes([METHOD_TACACSPLUS, PRIV_USER, TYPE_ASCII, SERVICE_LOGIN,
                  *(len(f) for f in fields), len(encoded), *(len(a) for a in encoded)]) + \
        b"".join(fields) + b"".join(encoded)


def acct_request(flags: int, user: str, port: str, address: str, args: list[str]) -> bytes:
    """RFC 8907 7.1: a start or stop record of a shell session."""
    fields = [user.encode()[:255], port.encode()[:255], address.encode()[:255]]
    encoded = [arg.encode()[:255] for arg in args]
    return bytes([flags, METHOD_TACACSPLUS, PRIV_USER, TYPE_ASCII, SERVICE_LOGIN,
                  *(len(f) for f in fields), len(encoded), *(len(a) for a in encoded)]) + \
        b"".join(fields) + b"".join(encoded)


def acct_status(body: bytes) -> int:
    if len(body) < 5:
        raise ProtocolError("short accounting reply")
    message_len, data_len, status = struct.unpack_from("!HHB", body)
    if 5 + message_len + data_len != len(body):
        raise ProtocolError("accounting reply lengths")
    return int(status)


def authen_status(body: bytes) -> int:
    if len(body) < 6:
        raise ProtocolError("short authentication reply")
    status, _flags, message_len, data_len = struct.unpack_from("!BBHH", body)
    if 6 + message_len + data_len != len(body):
        raise ProtocolError("authentication reply lengths")
    return int(status)


def author_args(body: bytes) -> tuple[int, list[str]]:
    """(status, the AV pairs) of an authorization reply."""
    if len(body) < 6:
        raise ProtocolError("short authorization reply")
    status, count, message_len, data_len = struct.unpack_from("!BBHH", body)
    lengths = body[6:6 + count]
    position = 6 + count + message_len + data_len
    args = []
    for length in lengths:
        args.append(body[position:position + length].decode("utf-8", "replace"))
        position += length
    if position != len(body):
        raise ProtocolError("authorization reply lengths")
    return int(status), args


def privilege(args: list[str]) -> str:
    """`priv-lvl=15` is the manager; lower, or none given, the operator."""
    for arg in args:
        name, _, value = arg.replace("*", "=", 1).partition("=")
        if name == "priv-lvl" and value.isdigit():
            return "manager" if int(value) >= PRIV_MAX else "operator"
    return "operator"


@dataclass(frozen=True)
class Server:
    address: str
    port: int
    key: bytes


@dataclass
class Counters:
    """One server's numbers, as `show tacacs` prints them."""

    opens: int = 0
    closes: int = 0
    aborts: int = 0
    errors: int = 0
    packets_in: int = 0
    packets_out: int = 0


class Session:
    """One TCP conversation with a server: numbered packets both ways under one session id."""

    def __init__(self, server: Server, reader: asyncio.StreamReader,
                 writer: asyncio.StreamWriter, counts: Counters) -> None:
        self.server = server
        self.reader = reader
        self.writer = writer
        self.counts = counts
        self.session_id = int.from_bytes(os.urandom(4), "big")
        self.seq_no = 1

    async def send(self, kind: int, body: bytes) -> None:
        self.writer.write(packet(kind, self.seq_no, self.session_id, self.server.key, body))
        await self.writer.drain()
        self.counts.packets_out += 1

    async def receive(self, kind: int) -> bytes:
        header = await self.reader.readexactly(HEADER.size)
        version, got_kind, seq_no, _flags, session_id, length = HEADER.unpack(header)
        if (got_kind != kind or seq_no != self.seq_no + 1 or session_id != self.session_id
                or version >> 4 != VERSION >> 4 or length > MAX_BODY):
            raise ProtocolError("reply out of sequence")
        body = obfuscate(await self.reader.readexactly(length), session_id, self.server.key,
                         version, seq_no)
        self.counts.packets_in += 1
        self.seq_no += 2
        return body


Connector = Callable[[str, int], Awaitable[tuple[asyncio.StreamReader, asyncio.StreamWriter]]]
"""Opens a TCP connection in the switch's IP stack."""


@dataclass
class TacacsClient:
    connect: Connector
    timeout: float
    counters: dict[str, Counters] = field(default_factory=dict)

    async def authenticate(self, servers: list[Server], user: str, password: str,
                           service: int, port: str, address: str,
                           privilege_mode: bool) -> Answer:
        for server in servers:
            counts = self.counters.setdefault(server.address, Counters())
            try:
                return await asyncio.wait_for(self._converse(
                    server, counts, user, password, service, port, address, privilege_mode),
                    self.timeout)
            except (OSError, TimeoutError, asyncio.IncompleteReadError, ProtocolError):
                counts.errors += 1
        return Answer(Outcome.UNREACHABLE)

    async def _converse(self, server: Server, counts: Counters, user: str, password: str,
                        service: int, port: str, address: str,
                        privilege_mode: bool) -> Answer:
        reader, writer = await self.connect(server.address, server.port)
        counts.opens += 1
        try:
            session = Session(server, reader, writer, counts)
            await session.send(AUTHEN, authen_start(user, port, address, service))
            for _ in range(MAX_ROUNDS):
                status = authen_status(await session.receive(AUTHEN))
                if status == STATUS_PASS:
                    break
                if status == STATUS_ERROR:
                    raise ProtocolError("the server reported an error")
                if status in (STATUS_GETUSER, STATUS_GETPASS, STATUS_GETDATA):
                    await session.send(AUTHEN, authen_continue(
                        user if status == STATUS_GETUSER else password))
                    continue
                return Answer(Outcome.REJECT, server=server.address)
            else:
                return Answer(Outcome.REJECT, server=server.address)
            level = "manager" if service == SERVICE_ENABLE else "operator"
            if privilege_mode and service == SERVICE_LOGIN:
                level = await self._authorize(server, counts, user, port, address)
            return Answer(Outcome.ACCEPT, level, server.address)
        finally:
            writer.close()
            counts.closes += 1

    async def _authorize(self, server: Server, counts: Counters, user: str, port: str,
                         address: str) -> str:
        """A shell authorization on a new session: the level its `priv-lvl` grants."""
        reader, writer = await self.connect(server.address, server.port)
        counts.opens += 1
        try:
            session = Session(server, reader, writer, counts)
            await session.send(AUTHOR, author_request(user, port, address,
                                                      ["service=shell", "cmd*"]))
            status, args = author_args(await session.receive(AUTHOR))
            if status in (AUTHOR_PASS_ADD, AUTHOR_PASS_REPL):
                return privilege(args)
            return "operator"
        finally:
            writer.close()
            counts.closes += 1

    async def account(self, servers: list[Server], user: str, port: str, address: str,
                      task_id: str, elapsed: int | None) -> bool:
        """A START (elapsed is None) or STOP record of a shell session, to the first server
        that takes it."""
        flags = ACCT_START if elapsed is None else ACCT_STOP
        args = [f"task_id={task_id}", "service=shell"]
        if elapsed is not None:
            args.append(f"elapsed_time={elapsed}")
        for server in servers:
            counts = self.counters.setdefault(server.address, Counters())
            try:
                if await asyncio.wait_for(self._record(server, counts, flags, user, port,
                                                       address, args), self.timeout):
                    return True
            except (OSError, TimeoutError, asyncio.IncompleteReadError, ProtocolError):
                counts.errors += 1
        return False

    async def _record(self, server: Server, counts: Counters, flags: int, user: str,
                      port: str, address: str, args: list[str]) -> bool:
        reader, writer = await self.connect(server.address, server.port)
        counts.opens += 1
        try:
            session = Session(server, reader, writer, counts)
            await session.send(ACCT, acct_request(flags, user, port, address, args))
            return acct_status(await session.receive(ACCT)) == ACCT_SUCCESS
        finally:
            writer.close()
            counts.closes += 1
