"""The backplane's wire: frames on Unix sockets between the chassis, the fabric and the modules.

A frame is a 4-byte big-endian length and a JSON object naming its message type
(emulator/ipc/messages.py). Listening sockets and the console relay travel beside a frame as
SCM_RIGHTS file descriptors, so that a module which is granted mastership serves the very
sockets the chassis bound (clients queued in the backlog while a module rebooted are not lost).
Decoding checks every field against the type its message declares: a frame that is not one of
ours is refused with IpcError, and the link is dropped.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import itertools
import json
import os
import socket
import struct
import types
import typing
from collections.abc import Awaitable, Callable, Iterator, Sequence
from enum import Enum
from pathlib import Path
from typing import Any, Final, Generic, TypeVar

from emulator.ipc.messages import REGISTRY, Message, Reply, Request

HEADER: Final = struct.Struct(">I")
MAX_FRAME: Final = 4 * 1024 * 1024
"""A peer that announces more than this is not one of ours; the link is dropped."""
MAX_FDS: Final = 16
RECV_CHUNK: Final = 65536
UNIX_PATH_MAX: Final = 107
"""sun_path holds 108 bytes with the NUL; longer paths go through /proc/self/fd (see below)."""


class IpcError(Exception):
    """The peer sent something that is not a frame of this protocol, or hung up mid-frame."""


class _Wrong(Exception):
    """A value is not of its field's type (turned into IpcError by decode)."""


Check = Callable[[Any], Any]
"""Takes a decoded JSON value, answers it as the field's Python value, or raises _Wrong."""


def _exactly(kind: type) -> Check:
    def check(value: Any) -> Any:
        if type(value) is not kind:  # not isinstance: True is no int on this wire
            raise _Wrong(f"{value!r:.40} is not {kind.__name__}")
        return value

    return check


def _number(value: Any) -> Any:
    if type(value) not in (int, float):
        raise _Wrong(f"{value!r:.40} is not a number")
    return float(value)


def _anything(value: Any) -> Any:
    return value


def _checker(hint: Any) -> Check:
    """The check for one declared field type: the types messages use, and no others."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if hint is Any:
        return _anything
    if hint is float:
        return _number
    if hint in (bool, int, str, type(None)):
        return _exactly(hint)
    if isinstance(hint, type) and issubclass(hint, Enum):
        enum = hint

        def member(value: Any) -> Any:
            try:
                return enum(value)
            except (ValueError, TypeError):
                raise _Wrong(f"{value!r:.40} is not a {enum.__name__}") from None

        return member
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return _record(hint)
    if origin in (types.UnionType, typing.Union):
        options = [_checker(option) for option in args]

        def one_of(value: Any) -> Any:
            for option in options:
                with contextlib.suppress(_Wrong):
                    return option(value)
            raise _Wrong(f"{value!r:.40} is not {hint}")

        return one_of
    if origin is list:
        item = _checker(args[0])

        def items(value: Any) -> Any:
            if type(value) is not list:
                raise _Wrong(f"{value!r:.40} is not a list")
            return [item(v) for v in value]

        return items
    if origin is dict and args[0] is str:
        entry = _checker(args[1])

        def entries(value: Any) -> Any:
            if type(value) is not dict:  # JSON object keys are always text
                raise _Wrong(f"{value!r:.40} is not an object")
            return {k: entry(v) for k, v in value.items()}

        return entries
    raise TypeError(f"no wire form for {hint}")


def _record(cls: type) -> Check:
    """A dataclass from a JSON object: each field checked; names it lacks are ignored (a
    newer peer may send more), a required field missing is wrong."""
    hints = typing.get_type_hints(cls)
    checks = {f.name: _checker(hints[f.name]) for f in dataclasses.fields(cls)}

    def build(value: Any) -> Any:
        if type(value) is not dict:
            raise _Wrong(f"{value!r:.40} is not an object")
        try:
            return cls(**{name: checks[name](v) for name, v in value.items() if name in checks})
        except TypeError as exc:  # a required field missing
            raise _Wrong(str(exc)) from None

    return build


_DECODERS: Final = {kind: _record(cls) for kind, cls in REGISTRY.items()}


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def encode(msg: Message) -> bytes:
    """A frame: the header and the message as JSON (enums as their values)."""
    body = {"type": msg.kind, **dataclasses.asdict(msg)}  # type: ignore[call-overload]
    data = json.dumps(body, separators=(",", ":")).encode()
    return HEADER.pack(len(data)) + data


def decode(data: bytes) -> Message:
    """A frame's body as its message; IpcError for anything else, whatever the bytes."""
    try:
        body = json.loads(data, parse_constant=_no_constant)
        kind = body.pop("type")
        build = _DECODERS[kind]
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        # RecursionError: json's scanner recurses per nesting level ("[" * 100000)
        raise IpcError(f"not a message: {data[:80]!r}") from exc
    try:
        msg: Message = build(body)
    except _Wrong as exc:
        raise IpcError(f"bad {kind}: {exc}") from None
    return msg


R = TypeVar("R")
T = TypeVar("T")
M = TypeVar("M", bound=Message)
R_ = TypeVar("R_", bound=Request)
Handler = Callable[[R, M, list[socket.socket]], Awaitable[T]]


class Handlers(Generic[R, T]):
    """A receiver's dispatch table: message type -> the receiver's handler for it.

    Handlers are registered in the receiver's class body (`@HANDLERS.on(Hello)`); each takes
    the receiver, the message and the sockets that came with it, and answers a T."""

    def __init__(self) -> None:
        self.table: dict[type[Message], Callable[[R, Any, list[socket.socket]],
                                                 Awaitable[T]]] = {}

    def on(self, kind: type[M]) -> Callable[[Handler[R, M, T]], Handler[R, M, T]]:
        def register(handler: Handler[R, M, T]) -> Handler[R, M, T]:
            self.table[kind] = handler
            return handler

        return register

    async def dispatch(self, receiver: R, msg: Message, socks: list[socket.socket],
                       unhandled: T) -> T:
        """What `msg`'s handler answers; `unhandled` (and the sockets closed) if it has none."""
        handler = self.table.get(type(msg))
        if handler is None:
            for sock in socks:
                sock.close()
            return unhandled
        return await handler(receiver, msg, socks)


class Asker:
    """Numbers the requests sent on one link and pairs each reply with its request.

    A reply that names no request pending here is dropped (the request timed out, or the peer
    is confused); it never resolves another request."""

    def __init__(self) -> None:
        self.ids = itertools.count(1)
        self.pending: dict[int, asyncio.Future[Reply]] = {}

    def number(self, request: R_) -> tuple[R_, asyncio.Future[Reply]]:
        """`request` under the next number (a copy), and the future its reply resolves."""
        numbered = dataclasses.replace(request, id=next(self.ids))
        waiter: asyncio.Future[Reply] = asyncio.get_running_loop().create_future()
        self.pending[numbered.id] = waiter
        return numbered, waiter

    def resolve(self, reply: Reply) -> bool:
        """Whether `reply` answered a pending request."""
        waiter = self.pending.pop(reply.reply_to, None)
        if waiter is None or waiter.done():
            return False
        waiter.set_result(reply)
        return True

    def forget(self, numbered: Request) -> None:
        self.pending.pop(numbered.id, None)

    def fail_all(self, why: str) -> None:
        for waiter in self.pending.values():
            if not waiter.done():
                waiter.set_exception(EOFError(why))
        self.pending.clear()


class _Framer:
    """Splits a byte stream into frames and pairs each frame with the fds that came before it.

    The kernel delivers SCM_RIGHTS with the first byte of the sendmsg() that carried them, so
    fds are always in hand by the time their frame is complete; a message takes them in order.
    """

    def __init__(self) -> None:
        self.buffer = bytearray()
        self.fds: list[int] = []

    def feed(self, data: bytes, fds: list[int]) -> None:
        self.buffer += data
        self.fds.extend(fds)

    def next(self) -> Message | None:
        if len(self.buffer) < HEADER.size:
            return None
        (length,) = HEADER.unpack_from(self.buffer)
        if length > MAX_FRAME:
            raise IpcError(f"frame of {length} bytes")
        if len(self.buffer) < HEADER.size + length:
            return None
        data = bytes(self.buffer[HEADER.size : HEADER.size + length])
        del self.buffer[: HEADER.size + length]
        return decode(data)

    def take_fds(self, count: int) -> list[int]:
        if count > len(self.fds):
            raise IpcError(f"message expects {count} fds, {len(self.fds)} arrived")
        taken, self.fds = self.fds[:count], self.fds[count:]
        return taken

    def close(self) -> None:
        for fd in self.fds:
            os.close(fd)
        self.fds.clear()


def fd_count(msg: Message) -> int:
    """How many fds travel with `msg`: one per name in its `sockets` field, if it has one."""
    sockets: list[str] = getattr(msg, "sockets", [])
    return len(sockets)


class Link:
    """One end of an IPC connection, used from an asyncio loop.

    asyncio's streams cannot carry fds, so the link waits for readiness with add_reader and
    calls recv_fds/sendmsg on the non-blocking socket itself.
    """

    def __init__(self, sock: socket.socket) -> None:
        sock.setblocking(False)
        self.sock = sock
        self._framer = _Framer()
        self._send_lock = asyncio.Lock()
        self._ids = itertools.count(1)

    async def _ready(self, writing: bool) -> None:
        loop = asyncio.get_running_loop()
        waiter: asyncio.Future[None] = loop.create_future()
        fd = self.sock.fileno()

        def wake() -> None:
            if not waiter.done():
                waiter.set_result(None)

        (loop.add_writer if writing else loop.add_reader)(fd, wake)
        try:
            await waiter
        finally:
            (loop.remove_writer if writing else loop.remove_reader)(fd)

    async def recv(self) -> tuple[Message, list[socket.socket]]:
        """The next message and the sockets that came with it; EOFError when the peer is gone."""
        while True:
            msg = self._framer.next()
            if msg is not None:
                fds = self._framer.take_fds(fd_count(msg))
                return msg, [socket.socket(fileno=fd) for fd in fds]
            try:
                data, fds, _flags, _addr = socket.recv_fds(self.sock, RECV_CHUNK, MAX_FDS)
            except (BlockingIOError, InterruptedError):
                await self._ready(writing=False)
                continue
            except ConnectionError as exc:
                raise EOFError(str(exc)) from exc
            self._framer.feed(data, fds)
            if not data:
                raise EOFError("peer closed the link")

    async def recv_message(self) -> Message:
        """The next message on a link where no sockets are expected (any sent are closed)."""
        msg, socks = await self.recv()
        for sock in socks:
            sock.close()
        return msg

    async def exchange(self, request: Request) -> Reply:
        """Send `request` numbered, and take its reply: on a link where this end asks one
        question at a time and the peer only answers, the next message must be the reply that
        names it (anything else is IpcError)."""
        numbered = dataclasses.replace(request, id=next(self._ids))
        await self.send(numbered)
        reply = await self.recv_message()
        if not isinstance(reply, Reply) or reply.reply_to != numbered.id:
            raise IpcError(f"{reply.kind} does not answer {request.kind} {numbered.id}")
        return reply

    async def send(self, msg: Message, socks: Sequence[socket.socket | int] | None = None) -> None:
        """`msg` with the descriptors it names: sockets, or bare fds (a pipe, a terminal)."""
        frame = encode(msg)
        fds = _numbers(socks)
        if len(fds) != fd_count(msg):
            raise ValueError(f"{msg.kind} names {fd_count(msg)} sockets, {len(fds)} given")
        loop = asyncio.get_running_loop()
        async with self._send_lock:
            try:
                while True:
                    try:
                        sent = _send_frame(self.sock, frame, fds)
                        break
                    except (BlockingIOError, InterruptedError):
                        await self._ready(writing=True)
                if sent < len(frame):
                    await loop.sock_sendall(self.sock, frame[sent:])
            except (BrokenPipeError, ConnectionError) as exc:
                raise EOFError(str(exc)) from exc

    def close(self) -> None:
        self._framer.close()
        self.sock.close()


# --- blocking helpers: `procurve-emu status` and tests ------------------------------------


def _send_frame(sock: socket.socket, frame: bytes, fds: list[int]) -> int:
    """The first send of a frame: it carries the fds, so they arrive with the frame's first byte."""
    return socket.send_fds(sock, [frame], fds) if fds else sock.send(frame)


def _numbers(socks: Sequence[socket.socket | int] | None) -> list[int]:
    """The descriptors to pass: sockets' numbers, or bare fds (a pipe, a log file)."""
    return [s if isinstance(s, int) else s.fileno() for s in socks or []]


def send_blocking(
    sock: socket.socket, msg: Message, socks: Sequence[socket.socket | int] | None = None
) -> None:
    frame = encode(msg)
    sent = _send_frame(sock, frame, _numbers(socks))
    if sent < len(frame):
        sock.sendall(frame[sent:])


def recv_blocking(sock: socket.socket) -> tuple[Message, list[socket.socket]]:
    """One message, reading exactly its frame so the next call finds the next one intact."""
    msg, fds = recv_blocking_fds(sock)
    return msg, [socket.socket(fileno=fd) for fd in fds]


def recv_blocking_fds(sock: socket.socket) -> tuple[Message, list[int]]:
    """recv_blocking with the fds bare: those of a Spawn need not be sockets."""
    fds: list[int] = []

    def exactly(count: int) -> bytes:
        data = b""
        while len(data) < count:
            chunk, more, _flags, _addr = socket.recv_fds(sock, count - len(data), MAX_FDS)
            fds.extend(more)
            if not chunk:
                for fd in fds:
                    os.close(fd)
                raise EOFError("peer closed the link")
            data += chunk
        return data

    (length,) = HEADER.unpack(exactly(HEADER.size))
    if length > MAX_FRAME:
        raise IpcError(f"frame of {length} bytes")
    framer = _Framer()
    framer.feed(HEADER.pack(length) + exactly(length), fds)
    msg = framer.next()
    assert msg is not None
    taken = framer.take_fds(fd_count(msg))
    framer.close()
    return msg, taken


@contextlib.contextmanager
def _sun_path(path: Path) -> Iterator[str]:
    """A name bind/connect accept for `path`: itself, or via an open fd of its directory when
    the absolute path is longer than sun_path (deep pytest or container data dirs)."""
    text = str(path)
    if len(os.fsencode(text)) <= UNIX_PATH_MAX:
        yield text
        return
    dir_fd = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        yield f"/proc/self/fd/{dir_fd}/{path.name}"
    finally:
        os.close(dir_fd)


def _unix_socket(path: Path, use: Callable[[socket.socket, str], None]) -> socket.socket:
    """A Unix stream socket that `use` binds or connects to `path`; closed if that fails."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        with _sun_path(path) as name:
            use(sock, name)
    except OSError:
        sock.close()
        raise
    return sock


def bind_unix(path: Path) -> socket.socket:
    """A listening Unix socket at `path`, replacing a stale one left by a killed chassis."""
    def listen(sock: socket.socket, name: str) -> None:
        path.unlink(missing_ok=True)
        sock.bind(name)
        os.chmod(path, 0o600)
        sock.listen(16)

    return _unix_socket(path, listen)


def connect_unix(path: Path, timeout: float | None = None) -> socket.socket:
    def connect(sock: socket.socket, name: str) -> None:
        sock.settimeout(timeout)
        sock.connect(name)

    return _unix_socket(path, connect)


def request(path: Path, msg: Request, timeout: float | None = None) -> Reply:
    """One request/reply on a control socket (what `procurve-emu status` does)."""
    msg = dataclasses.replace(msg, id=1)  # one request per connection
    with connect_unix(path, timeout) as sock:
        send_blocking(sock, msg)
        reply, socks = recv_blocking(sock)
        for s in socks:
            s.close()
    if not isinstance(reply, Reply) or reply.reply_to != msg.id:
        raise IpcError(f"{reply.kind} does not answer {msg.kind}")
    return reply


def pair() -> tuple[socket.socket, socket.socket]:
    """A connected pair for a parent and the child it spawns (the child's end is inheritable)."""
    parent, child = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    child.set_inheritable(True)
    return parent, child
