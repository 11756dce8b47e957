"""SSH access to the CLI, as a ProCurve offers it: password login, one raw byte stream per
session, and nothing else (no public keys, no keyboard-interactive, no forwarding), but SFTP
and SCP on the switch's files for a manager while `ip ssh filetransfer` is on (sftp.py).

The session is a raw VT100 byte stream because the CLI draws its own prompts and echo:
asyncssh's line editor and text decoding are off, so what the CLI writes is exactly what the
client receives and bad UTF-8 from a client cannot raise.

Neither asyncssh nor a lab client limits anything, so the server does: connections that have
not logged in yet are admitted per source address and with a random early drop
(startups.py; refused ones are dropped as soon as they connect, as OpenSSH does), and so are
logged-in connections, each of which may hold one session at a time, as on a real switch. A
connection gets `aaa authentication num-attempts` password tries; the authenticator logs and
delays each refusal.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from collections.abc import Awaitable, Callable

import asyncssh
from asyncssh.channel import SSHChannel
from asyncssh.encryption import get_encryption_algs
from asyncssh.mac import get_mac_algs
from asyncssh.sftp import MIN_SFTP_VERSION
from asyncssh.stream import SSHServerStreamSession

from emulator.cli.channel import Peer, SessionHandler
from emulator.cli.login import NUM_ATTEMPTS
from ssh_server.startups import LAB_STARTUPS, MaxStartups, Startups

log = logging.getLogger(__name__)

Admission = Callable[[str], bool]
"""(client address) -> whether the switch serves it at all now (`ip authorized-managers`,
`no ip ssh`); a refused client's connection is dropped as soon as it arrives."""
Authenticator = Callable[[str, str, str], Awaitable[str | None]]
"""(client address, username, password) -> the privilege level ("manager"/"operator"), or
None to refuse (after logging and delaying the refusal)."""
SftpGate = Callable[[str | None], Callable[["SSHChannel[bytes]"],
                                           asyncssh.SFTPServer] | None]
"""A logged-in user's level -> the SFTP/SCP server their session may start, or None (the
`sftp` subsystem and `scp` commands are then refused, as on a switch without `ip ssh
filetransfer`)."""

DEFAULT_WIDTH = 80
DEFAULT_HEIGHT = 24
"""What a session without a pty, or whose client reported 0x0, gets: a ProCurve's default."""

READ_SIZE = 4096
WINDOW = 256 * 1024
"""Receive window per session: how much input a client can push before the CLI reads it. It
bounds input memory per session; a CLI needs far less than asyncssh's 2 MiB default."""


class SshChannel:
    """One SSH session as the `Channel` the CLI runs on."""

    def __init__(self, stdin: asyncssh.SSHReader[bytes], stdout: asyncssh.SSHWriter[bytes]):
        chan = stdout.channel
        assert isinstance(chan, asyncssh.SSHServerChannel)
        self._chan: asyncssh.SSHServerChannel[bytes] = chan
        self._stdin = stdin
        self._stdout = stdout
        width, height, _, _ = chan.get_terminal_size()
        self.width = width or DEFAULT_WIDTH
        self.height = height or DEFAULT_HEIGHT

    def peer(self, username: str, level: str | None) -> Peer:
        """Who is on this session and how the client started it: an exec request carries a
        command, and a client may ask for no pty (then the CLI sends plain text)."""
        chan = self._chan
        address, port = chan.get_extra_info("peername")[:2]
        return Peer("ssh", address, username, level, command=chan.get_command(),
                    pty=chan.get_terminal_type() is not None, port=port)

    async def read(self) -> bytes:
        """asyncssh reports window changes, breaks and signals as exceptions out of the read;
        the CLI only wants bytes, so those are absorbed here (the size lands in width/height,
        break and signals are ignored as on the switch)."""
        while True:
            try:
                return await self._stdin.read(READ_SIZE)
            except asyncssh.TerminalSizeChanged as change:
                self.width = change.width or self.width
                self.height = change.height or self.height
            except (asyncssh.BreakReceived, asyncssh.SignalReceived):
                continue
            except (asyncssh.DisconnectError, OSError):
                return b""

    def write(self, data: bytes) -> None:
        """Output to a client that has gone is dropped: the CLI learns of the end from read()
        and should not need an error path for every write."""
        with contextlib.suppress(BrokenPipeError):
            self._stdout.write(data)

    async def drain(self) -> None:
        with contextlib.suppress(asyncssh.DisconnectError, OSError):
            await self._stdout.drain()

    def logged_in(self) -> None:
        """asyncssh counted the login already (password authentication)."""

    def close(self) -> None:
        """End the session with exit status 0 (asyncssh sends it after the pending output), so
        OpenSSH prints everything and exits successfully."""
        self._chan.exit(0)


class _Registry:
    """What every connection of one server shares: the limits and the live connections and
    sessions, so the handle can drop them all and wait for them."""

    def __init__(self, startups: MaxStartups, max_sessions: int, admit: Admission,
                 attempts: Callable[[], int]) -> None:
        self.startups = Startups(startups)
        self.admit = admit
        self.attempts = attempts
        """Password tries a connection gets (`aaa authentication num-attempts`)."""
        self.max_sessions = max_sessions
        self.authenticated = 0
        self.connections: set[asyncssh.SSHServerConnection] = set()
        self.sessions: set[asyncio.Task[None]] = set()


class _Connection(asyncssh.SSHServer):
    """asyncssh's per-connection callbacks: admission, password check, session start."""

    def __init__(self, registry: _Registry, authenticate: Authenticator,
                 handler: SessionHandler, sftp: SftpGate | None) -> None:
        self._registry = registry
        self._authenticate = authenticate
        self._handler = handler
        self._sftp = sftp
        self._conn: asyncssh.SSHServerConnection | None = None
        self._address = ""
        self._authenticated = False
        self._level: str | None = None
        self._failures = 0
        self._in_session = False

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        address = conn.get_extra_info("peername")[0]
        if not self._registry.admit(address) or not self._registry.startups.admit(address):
            # asyncssh sends its version line right after this callback; abort after that.
            asyncio.get_running_loop().call_soon(conn.abort)
            return
        self._conn = conn
        self._address = address
        self._registry.connections.add(conn)

    def connection_lost(self, exc: Exception | None) -> None:
        if self._conn is None:
            return
        self._registry.connections.discard(self._conn)
        if self._authenticated:
            self._registry.authenticated -= 1
        else:
            self._registry.startups.release(self._address)

    def begin_auth(self, username: str) -> bool:
        return True

    def password_auth_supported(self) -> bool:
        return True

    async def validate_password(self, username: str, password: str) -> bool:
        """The last refusal a connection is allowed disconnects it, as the switch closes a
        session after `num-attempts` failures."""
        self._level = await self._authenticate(self._address, username, password)
        if self._level is not None:
            return True
        self._failures += 1
        if self._failures >= self._registry.attempts() and self._conn is not None:
            # Before the refusal goes out: a client told "try again" would ask its user.
            self._conn.disconnect(asyncssh.DISC_NO_MORE_AUTH_METHODS_AVAILABLE,
                                  "Too many authentication failures")
        return False

    def auth_completed(self) -> None:
        assert self._conn is not None
        self._authenticated = True
        self._registry.startups.release(self._address)
        self._registry.authenticated += 1
        if self._registry.authenticated > self._registry.max_sessions:
            conn = self._conn
            asyncio.get_running_loop().call_soon(
                conn.disconnect, asyncssh.DISC_TOO_MANY_CONNECTIONS, "Too many sessions")

    def session_requested(
        self,
    ) -> Callable[[asyncssh.SSHReader[bytes], asyncssh.SSHWriter[bytes],
                   asyncssh.SSHWriter[bytes]], Awaitable[None]] | asyncssh.SSHServerSession[
                       bytes] | bool:
        """One session per connection, as on the switch: that keeps the session count bounded
        by the connection count. A user the file transfer is open to may make it an `sftp`
        subsystem or an `scp` command instead of the CLI."""
        if self._in_session:
            return False
        self._in_session = True
        factory = self._sftp(self._level) if self._sftp is not None else None
        if factory is None:
            return self._run_session
        return SSHServerStreamSession(self._run_session, factory, MIN_SFTP_VERSION, True)

    async def _run_session(self, stdin: asyncssh.SSHReader[bytes],
                           stdout: asyncssh.SSHWriter[bytes],
                           _stderr: asyncssh.SSHWriter[bytes]) -> None:
        assert self._conn is not None
        task = asyncio.current_task()
        assert task is not None
        self._registry.sessions.add(task)
        channel = SshChannel(stdin, stdout)
        peer = channel.peer(self._conn.get_extra_info("username"), self._level)
        try:
            await self._handler(channel, peer)
        except Exception:
            log.exception("SSH session from %s failed", peer.address)
        finally:
            channel.close()
            self._in_session = False
            self._registry.sessions.discard(task)


class SSHServerHandle:
    """A running SSH server: stop listening, drop sessions, wait for the end."""

    def __init__(self, acceptor: asyncssh.SSHAcceptor, registry: _Registry) -> None:
        self._acceptor = acceptor
        self._registry = registry

    def update(self, host_keys: list[asyncssh.SSHKey], ciphers: list[str] | None,
               macs: list[str] | None, login_timeout: float) -> None:
        """New connections get these host keys (`crypto key generate ssh`), algorithms
        (`ip ssh cipher|mac`; None: asyncssh's own list) and login timeout (`ip ssh
        timeout`); connections already up keep theirs."""
        known_ciphers = {name.decode() for name in get_encryption_algs()}
        known_macs = {name.decode() for name in get_mac_algs()}
        self._acceptor.update(
            server_host_keys=host_keys,
            encryption_algs=() if ciphers is None else [c for c in ciphers if c in known_ciphers],
            mac_algs=() if macs is None else [m for m in macs if m in known_macs],
            login_timeout=login_timeout)

    def close_connections(self) -> None:
        """Drop every connection at once, as a management-module switchover does: clients see
        the TCP connection reset, the CLI sessions see the end of input."""
        for conn in list(self._registry.connections):
            conn.abort()

    def close(self) -> None:
        """Stop listening (closing the socket handed in) and drop every connection."""
        self._acceptor.close()
        self.close_connections()

    async def wait_closed(self) -> None:
        """Wait for the listener and for every session handler to return."""
        await self._acceptor.wait_closed()
        if self._registry.sessions:
            await asyncio.wait(set(self._registry.sessions))


async def start_ssh_server(
    sock: socket.socket,
    host_keys: list[asyncssh.SSHKey],
    authenticate: Authenticator,
    handler: SessionHandler,
    *,
    login_timeout: float,
    startups: MaxStartups = LAB_STARTUPS,
    max_sessions: int = 64,
    server_version: str = "Mocana SSH 6.3",
    sftp: SftpGate | None = None,
    admit: Admission = lambda address: True,
    attempts: Callable[[], int] = lambda: NUM_ATTEMPTS,
) -> SSHServerHandle:
    """Serve SSH on `sock`, an already bound and listening TCP socket the server now owns.

    `server_version` is what a K.15 ProCurve announces (`SSH-2.0-Mocana SSH 6.3`); scripts
    sometimes look at it. `login_timeout` drops connections that have not logged in by then,
    which together with `startups` keeps idle or stalled clients from locking everyone out.
    """
    registry = _Registry(startups, max_sessions, admit, attempts)
    acceptor = await asyncssh.listen(
        sock=sock,
        config=None,
        server_factory=lambda: _Connection(registry, authenticate, handler, sftp),
        server_host_keys=host_keys,
        server_version=server_version,
        login_timeout=login_timeout,
        password_auth=True,
        kbdint_auth=False,
        public_key_auth=False,
        allow_pty=True,
        agent_forwarding=False,
        line_editor=False,
        encoding=None,
        window=WINDOW,
    )
    return SSHServerHandle(acceptor, registry)
