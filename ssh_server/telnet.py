"""Telnet access to the CLI (RFC 854), negotiated as a ProCurve does it.

The switch offers to echo and to suppress go-ahead (character-at-a-time mode, since the CLI
draws its own echo and prompt) and asks for the window size (NAWS, RFC 1073), which sets the
session's width and height. There is no login here: the CLI asks for Username/Password itself
and reports the login (`Channel.logged_in`). Until then a connection holds a pre-login slot
(startups.py: per source address, random early drop) and is closed at the login timeout, as
SSH's are; after it, a session slot.

The CLI sees plain terminal input: every IAC sequence is removed, and Enter arrives as a bare
CR whichever way the client sends it (CR NUL or CR LF, RFC 854's two forms). Output 0xFF bytes
are doubled so the client does not read them as commands.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import socket
from collections.abc import Callable
from dataclasses import dataclass

from emulator.cli.channel import Peer, SessionHandler
from ssh_server.startups import LAB_STARTUPS, MaxStartups, Startups

log = logging.getLogger(__name__)

IAC, DONT, DO, WONT, WILL, SB, SE = 255, 254, 253, 252, 251, 250, 240
ECHO, SGA, NAWS = 1, 3, 31
CR, LF, NUL = 13, 10, 0

GREETING = bytes([IAC, WILL, ECHO, IAC, WILL, SGA, IAC, DO, NAWS])
LOCAL_OPTIONS = frozenset({ECHO, SGA})
"""Options the switch performs."""
REMOTE_OPTIONS = frozenset({NAWS})
"""Options the switch wants the client to perform."""

MAX_SUBNEGOTIATION = 64
"""NAWS needs 5 bytes; longer subnegotiations are cut so a client cannot grow the buffer."""
READ_SIZE = 4096
DEFAULT_WIDTH = 80
DEFAULT_HEIGHT = 24

_DATA_SPECIAL = re.compile(rb"[\r\xff]")


@dataclass
class Decoded:
    """What one chunk from the client amounts to."""

    data: bytes
    """Terminal input for the CLI."""
    replies: bytes
    """Negotiation answers to send back."""
    size: tuple[int, int] | None
    """The last window size (width, height) the client reported; 0 means unknown."""


class TelnetCodec:
    """The telnet byte protocol without I/O, so split sequences and odd clients can be tested
    byte by byte. State carries over between chunks: a TCP read may end anywhere, even in the
    middle of a subnegotiation or between CR and its NUL/LF.

    Negotiation follows RFC 854's rule against loops: answer only what changes an option's
    state, and refuse every option we do not support. The options in our greeting count as
    agreed, so the client's acknowledgements get no reply.
    """

    def __init__(self) -> None:
        self._state = self._data
        self._verb = 0
        self._subneg = bytearray()
        self._after_cr = False
        self._local = set(LOCAL_OPTIONS)
        self._remote = set(REMOTE_OPTIONS)
        self._data_out = bytearray()
        self._replies = bytearray()
        self._size: tuple[int, int] | None = None

    def feed(self, chunk: bytes) -> Decoded:
        pos = 0
        while pos < len(chunk):
            pos = self._state(chunk, pos)
        decoded = Decoded(bytes(self._data_out), bytes(self._replies), self._size)
        self._data_out.clear()
        self._replies.clear()
        self._size = None
        return decoded

    def _data(self, chunk: bytes, pos: int) -> int:
        """Copies runs of plain bytes at once: a 1 MB paste must not cost a Python step per
        byte."""
        if self._after_cr:
            self._after_cr = False
            if chunk[pos] in (NUL, LF):
                return pos + 1
        special = _DATA_SPECIAL.search(chunk, pos)
        end = special.start() if special else len(chunk)
        self._data_out += chunk[pos:end]
        if special is None:
            return end
        if chunk[end] == CR:
            self._data_out.append(CR)
            self._after_cr = True
        else:
            self._state = self._command
        return end + 1

    def _command(self, chunk: bytes, pos: int) -> int:
        byte = chunk[pos]
        self._state = self._data
        if byte == IAC:
            self._data_out.append(IAC)
        elif byte in (WILL, WONT, DO, DONT):
            self._verb = byte
            self._state = self._option
        elif byte == SB:
            self._subneg.clear()
            self._state = self._subnegotiation
        # Other commands (NOP, GA, AYT, BRK, IP...) mean nothing to the CLI.
        return pos + 1

    def _option(self, chunk: bytes, pos: int) -> int:
        self._negotiate(self._verb, chunk[pos])
        self._state = self._data
        return pos + 1

    def _subnegotiation(self, chunk: bytes, pos: int) -> int:
        byte = chunk[pos]
        if byte == IAC:
            self._state = self._subnegotiation_iac
        elif len(self._subneg) < MAX_SUBNEGOTIATION:
            self._subneg.append(byte)
        return pos + 1

    def _subnegotiation_iac(self, chunk: bytes, pos: int) -> int:
        byte = chunk[pos]
        if byte == SE:
            self._end_subnegotiation()
            self._state = self._data
            return pos + 1
        self._state = self._subnegotiation
        if byte == IAC and len(self._subneg) < MAX_SUBNEGOTIATION:
            self._subneg.append(IAC)
        return pos + 1

    def _end_subnegotiation(self) -> None:
        if len(self._subneg) == 5 and self._subneg[0] == NAWS:
            width = self._subneg[1] << 8 | self._subneg[2]
            height = self._subneg[3] << 8 | self._subneg[4]
            self._size = (width, height)

    def _negotiate(self, verb: int, option: int) -> None:
        if verb == DO:
            if option not in LOCAL_OPTIONS:
                self._reply(WONT, option)
            elif option not in self._local:
                self._local.add(option)
                self._reply(WILL, option)
        elif verb == DONT:
            if option in self._local:
                self._local.discard(option)
                self._reply(WONT, option)
        elif verb == WILL:
            if option not in REMOTE_OPTIONS:
                self._reply(DONT, option)
            elif option not in self._remote:
                self._remote.add(option)
                self._reply(DO, option)
        elif option in self._remote:
            self._remote.discard(option)
            self._reply(DONT, option)

    def _reply(self, verb: int, option: int) -> None:
        self._replies += bytes([IAC, verb, option])


def escape(data: bytes) -> bytes:
    """0xFF in output is data, not the start of a command."""
    return data.replace(b"\xff", b"\xff\xff")


class TelnetChannel:
    """One telnet connection as the `Channel` the CLI runs on."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                 on_login: Callable[[], None]) -> None:
        self.width = DEFAULT_WIDTH
        self.height = DEFAULT_HEIGHT
        self._reader = reader
        self._writer = writer
        self._codec = TelnetCodec()
        self._on_login = on_login
        writer.write(GREETING)

    async def read(self) -> bytes:
        """Negotiation answers are drained here, so a client that floods requests and never
        reads stalls its own session instead of growing the send buffer."""
        while True:
            try:
                chunk = await self._reader.read(READ_SIZE)
            except OSError:
                return b""
            if not chunk:
                return b""
            decoded = self._codec.feed(chunk)
            if decoded.size:
                self.width = decoded.size[0] or self.width
                self.height = decoded.size[1] or self.height
            if decoded.replies:
                self._writer.write(decoded.replies)
                await self.drain()
            if decoded.data:
                return decoded.data

    def write(self, data: bytes) -> None:
        """Output after the connection closed is dropped; read() reports the end."""
        if not self._writer.is_closing():
            self._writer.write(escape(data))

    async def drain(self) -> None:
        with contextlib.suppress(ConnectionError):
            await self._writer.drain()

    def logged_in(self) -> None:
        self._on_login()

    def close(self) -> None:
        self._writer.close()


class _Registry:
    """The live connections and sessions of one server and its limits, shared by the accept
    callback and the handle."""

    def __init__(self, login_timeout: float, startups: MaxStartups, max_sessions: int,
                 admit: Callable[[str], bool]) -> None:
        self.login_timeout = login_timeout
        self.admit = admit
        """(client address) -> whether the switch serves it now (`ip authorized-managers`,
        `no telnet-server`)."""
        self.startups = Startups(startups)
        self.max_sessions = max_sessions
        self.authenticated = 0
        self.writers: set[asyncio.StreamWriter] = set()
        self.sessions: set[asyncio.Task[None]] = set()


class _Slot:
    """One connection's place in the limits: a pre-login slot and the login timer until the
    CLI reports a login, a session slot after it."""

    def __init__(self, registry: _Registry, address: str, writer: asyncio.StreamWriter) -> None:
        self._registry = registry
        self._address = address
        self._transport = writer.transport
        self._timer = asyncio.get_running_loop().call_later(
            registry.login_timeout, self._transport.abort)
        self._pending = True

    def logged_in(self) -> None:
        """Pre-login slot -> session slot; beyond `max_sessions` the connection is closed."""
        if not self._pending:
            return
        self._pending = False
        self._timer.cancel()
        self._registry.startups.release(self._address)
        self._registry.authenticated += 1
        if self._registry.authenticated > self._registry.max_sessions:
            self._transport.abort()

    def release(self) -> None:
        self._timer.cancel()
        if self._pending:
            self._registry.startups.release(self._address)
        else:
            self._registry.authenticated -= 1


class TelnetServerHandle:
    """A running telnet server: stop listening, drop sessions, wait for the end."""

    def __init__(self, server: asyncio.Server, registry: _Registry) -> None:
        self._server = server
        self._registry = registry

    def close_connections(self) -> None:
        """Drop every connection at once, as a management-module switchover does."""
        for writer in list(self._registry.writers):
            writer.transport.abort()

    def close(self) -> None:
        """Stop listening (closing the socket handed in) and drop every connection."""
        self._server.close()
        self.close_connections()

    async def wait_closed(self) -> None:
        """Wait for the listener and for every session handler to return."""
        await self._server.wait_closed()
        if self._registry.sessions:
            await asyncio.wait(set(self._registry.sessions))


async def start_telnet_server(
    sock: socket.socket,
    handler: SessionHandler,
    *,
    login_timeout: float,
    startups: MaxStartups = LAB_STARTUPS,
    max_sessions: int = 64,
    admit: Callable[[str], bool] = lambda address: True,
) -> TelnetServerHandle:
    """Serve telnet on `sock`, an already bound and listening TCP socket the server now owns.

    A connection that has not logged in after `login_timeout` seconds is closed; `startups`
    admits connections that have not logged in yet. Connections are closed as soon as they
    arrive when `admit` or `startups` refuses them or `max_sessions` are logged in."""
    registry = _Registry(login_timeout, startups, max_sessions, admit)

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        address = writer.get_extra_info("peername")[0]
        if (not registry.admit(address) or registry.authenticated >= registry.max_sessions
                or not registry.startups.admit(address)):
            writer.transport.abort()
            return
        task = asyncio.current_task()
        assert task is not None
        registry.writers.add(writer)
        registry.sessions.add(task)
        slot = _Slot(registry, address, writer)
        channel = TelnetChannel(reader, writer, slot.logged_in)
        peer = Peer("telnet", address, port=writer.get_extra_info("peername")[1])
        try:
            await handler(channel, peer)
        except Exception:
            log.exception("telnet session from %s failed", peer.address)
        finally:
            slot.release()
            channel.close()
            registry.writers.discard(writer)
            registry.sessions.discard(task)

    return TelnetServerHandle(await asyncio.start_server(serve, sock=sock), registry)
