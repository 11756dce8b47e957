"""The backplane's wires: Unix-socket messages between the chassis, the fabric and the modules.

A frame is a 4-byte big-endian length and a JSON object naming its message type. Listening
sockets and the console relay travel beside a frame as SCM_RIGHTS file descriptors, so that a
module which is granted mastership serves the very sockets the chassis bound (clients queued in
the backlog while a module rebooted are not lost). Every message the processes exchange is one
of the dataclasses below: a new conversation means a new named type here, never a loose dict.
Standard library only, so that the chassis and `procurve-emu status` stay cheap to start.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import socket
import struct
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, ClassVar, Final, TypeVar

HEADER: Final = struct.Struct(">I")
MAX_FRAME: Final = 4 * 1024 * 1024
"""A peer that announces more than this is not one of ours; the link is dropped."""
MAX_FDS: Final = 16
RECV_CHUNK: Final = 65536
UNIX_PATH_MAX: Final = 107
"""sun_path holds 108 bytes with the NUL; longer paths go through /proc/self/fd (see below)."""


class IpcError(Exception):
    """The peer sent something that is not a frame of this protocol, or hung up mid-frame."""


class Message:
    """Base of every message; `kind` is the name on the wire."""

    kind: ClassVar[str] = ""


_REGISTRY: dict[str, type[Message]] = {}


M = TypeVar("M", bound=Message)


def message(cls: type[M]) -> type[M]:
    """Register a message dataclass under its wire name."""
    cls.kind = cls.__name__
    _REGISTRY[cls.kind] = cls
    return cls


# --- module <-> chassis -------------------------------------------------------------------


@message
@dataclass
class Hello(Message):
    """A child process is up; a module says so after its selftest."""

    slot: str
    pid: int
    selftest_passed: bool = True
    ever_booted: bool = False
    """Booted in this chassis before (election rule 4)."""
    active_last_boot: bool = False
    last_boot: float = 0.0


@message
@dataclass
class Grant(Message):
    """The chassis makes a module active: the attached fds are the sockets named in `sockets`,
    in order (`ssh`, `telnet`, `snmp`, `console`). `startup_config` and `hostname` are the
    first-boot seeds from the command line; the module applies them only when its flash holds
    no startup config yet."""

    role: str
    sockets: list[str] = field(default_factory=list)
    startup_config: str | None = None
    hostname: str | None = None
    takeover_from: str | None = None
    """Set when this grant is a switchover: the slot that was active."""
    reason: str = ""
    """Why the election or switchover chose this module; logged on the new active."""
    mgmt_netns: str | None = None
    """Where the switch's in-band IP stack lives (emulator/inband.py), if it has one."""


@message
@dataclass
class Roles(Message):
    """Every management slot's role (active/standby/failed/offline/booting/not-present), sent
    to the active module whenever one changes."""

    roles: dict[str, str] = field(default_factory=dict)


@message
@dataclass
class PeerLink(Message):
    """The module-to-module wire (file sync) between the active and the standby: one fd."""

    sockets: list[str] = field(default_factory=lambda: ["peer"])


@message
@dataclass
class FileSync(Message):
    """Active -> standby: a flash file (path relative to the flash root), base64; `data` None
    deletes it. The standby answers SyncAck once it is durable."""

    path: str
    data: str | None
    mode: int = 0o644


@message
@dataclass
class SyncAck(Message):
    path: str


@message
@dataclass
class Switchover(Message):
    """The active asks the chassis to hand mastership to the standby (it reboots itself)."""

    reason: str


@message
@dataclass
class RebootModule(Message):
    """Reboot one module's process (`boot standby`) or, with slot None, both (`boot system`)."""

    slot: str | None
    reason: str


@message
@dataclass
class FabricLink(Message):
    """The wire between the active module and the fabric (one fd to each side)."""

    sockets: list[str] = field(default_factory=lambda: ["fabric"])


@message
@dataclass
class FabricReset(Message):
    """Reset the interface modules: every port loses carrier, counters and MACs are cleared."""


@message
@dataclass
class FabricProgram(Message):
    """The active module's port and VLAN settings: a wired port has carrier iff it is
    enabled; `pvid` is the VLAN a port is untagged in, `tagged` the VLANs it carries tagged.
    The fabric answers with a PortsReply."""

    enabled: dict[str, bool] = field(default_factory=dict)
    pvid: dict[str, int | None] = field(default_factory=dict)
    tagged: dict[str, list[int]] = field(default_factory=dict)
    mac_age: int = 300
    addresses: dict[str, str] = field(default_factory=dict)
    """The switch's own addresses: VLAN id (as text, a JSON key) -> `A.B.C.D/M`."""
    gateway: str | None = None
    system_name: str = ""
    """What LLDP advertises: the hostname, and the management address if a VLAN has one."""
    management_address: str | None = None
    jumbo: list[int] = field(default_factory=list)
    """VLANs that forward jumbo frames."""


@message
@dataclass
class FabricQuery(Message):
    """Ask the fabric for its live tables (answered with FabricState)."""


@message
@dataclass
class FabricState(Message):
    macs: list[list[str | int]] = field(default_factory=list)
    """[mac, port, vid] rows of the address table."""
    counters: dict[str, dict[str, int]] = field(default_factory=dict)
    neighbors: list[dict[str, Any]] = field(default_factory=list)
    """LLDP remote devices, each as device.LldpNeighbor's fields (tuples as lists)."""


@message
@dataclass
class SetRedundancy(Message):
    """`[no] redundancy management-module`: disabled, the standby is held offline."""

    enabled: bool


@message
@dataclass
class Fault(Message):
    """`procurve-emu fault ACTION TARGET`: one of FAULT_ACTIONS on mm1/mm2/active/standby."""

    action: str
    target: str


FAULT_ACTIONS: Final = ("kill", "hang", "fail-selftest", "pull", "insert")


@message
@dataclass
class Ready(Message):
    """The module has finished booting into its role: the active one serves its CLI
    (`hostname` and `password_hint` feed the how-to-connect line the chassis prints), a
    standby has its role in flash (election rule 5 reads it at the next boot)."""

    slot: str
    hostname: str = ""
    manager_user: str | None = None
    password_hint: str | None = None


# --- chassis <-> fabric -------------------------------------------------------------------


@message
@dataclass
class PortsRequest(Message):
    """Ask the fabric for its ports."""


@message
@dataclass
class PortReport(Message):
    port: str
    backend: str
    link_up: bool = False


@message
@dataclass
class PortsReply(Message):
    ports: list[PortReport] = field(default_factory=list)


# --- `procurve-emu status` <-> chassis ----------------------------------------------------


@message
@dataclass
class StatusRequest(Message):
    pass


@message
@dataclass
class StatusReply(Message):
    status: dict[str, Any] = field(default_factory=dict)


@message
@dataclass
class Failure(Message):
    """A request the receiver could not serve; `reason` is one line for a human."""

    reason: str


def encode(msg: Message) -> bytes:
    body = {"type": msg.kind, **asdict(msg)}  # type: ignore[call-overload]
    data = json.dumps(body, separators=(",", ":")).encode()
    return HEADER.pack(len(data)) + data


def decode(data: bytes) -> Message:
    try:
        body = json.loads(data)
        cls = _REGISTRY[body.pop("type")]
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        # RecursionError: json's scanner recurses per nesting level ("[" * 100000)
        raise IpcError(f"not a message: {data[:80]!r}") from exc
    names = {f.name for f in fields(cls)}  # type: ignore[arg-type]
    try:
        if cls is PortsReply:
            body["ports"] = [PortReport(**p) for p in body.get("ports", [])]
        return cls(**{k: v for k, v in body.items() if k in names})
    except TypeError as exc:
        raise IpcError(f"bad {cls.kind}: {exc}") from exc


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

    async def send(self, msg: Message, socks: list[socket.socket] | None = None) -> None:
        frame = encode(msg)
        fds = [s.fileno() for s in socks or []]
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


def send_blocking(
    sock: socket.socket, msg: Message, socks: list[socket.socket] | None = None
) -> None:
    frame = encode(msg)
    sent = _send_frame(sock, frame, [s.fileno() for s in socks or []])
    if sent < len(frame):
        sock.sendall(frame[sent:])


def recv_blocking(sock: socket.socket) -> tuple[Message, list[socket.socket]]:
    """One message, reading exactly its frame so the next call finds the next one intact."""
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
    socks = [socket.socket(fileno=fd) for fd in framer.take_fds(fd_count(msg))]
    framer.close()
    return msg, socks


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


def request(path: Path, msg: Message, timeout: float | None = None) -> Message:
    """One request/reply on a control socket (what `procurve-emu status` does)."""
    with connect_unix(path, timeout) as sock:
        send_blocking(sock, msg)
        reply, socks = recv_blocking(sock)
        for s in socks:
            s.close()
        return reply


def pair() -> tuple[socket.socket, socket.socket]:
    """A connected pair for a parent and the child it spawns (the child's end is inheritable)."""
    parent, child = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    child.set_inheritable(True)
    return parent, child
