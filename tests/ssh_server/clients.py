"""Plain helpers shared by the transport tests: a tiny line CLI, the ServerFactory type and
the client helpers. The fixtures that start servers live in conftest.py.

The tests drive the transports with real clients over loopback sockets; only the CLI is a
stand-in, small enough that what a test sees is the transport's doing.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from typing import Any

import asyncssh

from emulator.cli.channel import Channel, Peer
from emulator.testing import missing_tool, require

BANNER = b"(C) Copyright 2024 Test Networks\r\n"
PROMPT = b"T# "
MAX_LINE = 1024
FLOOD_CHUNK = b"x" * 65536
STALL_TIMEOUT = 1.0
USERS = {"manager": ("secret", "manager"), "operator": ("op", "operator")}


async def authenticate(address: str, username: str, password: str) -> str | None:
    """The SSH server's authenticator, minus the switch's logging and delay."""
    expected, level = USERS.get(username, (None, None))
    return level if password == expected else None


def listening_socket() -> socket.socket:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(512)
    return sock


@dataclass
class LineCli:
    """Echoes lines after a ProCurve-like banner and prompt. `flood` writes until drain()
    stalls for STALL_TIMEOUT, recording how much got written: that is the back-pressure
    check. It reports a login at once, as a switch without passwords does, unless
    `logs_in` is False: then telnet's pre-login limits stay on a connection until it says
    `login`."""

    logs_in: bool = True
    peers: list[Peer] = field(default_factory=list)
    received: bytearray = field(default_factory=bytearray)
    finished: int = 0
    stalled: asyncio.Event = field(default_factory=asyncio.Event)
    flooded: int = 0

    async def __call__(self, channel: Channel, peer: Peer) -> None:
        self.peers.append(peer)
        try:
            await self._session(channel, peer)
        finally:
            self.finished += 1

    async def _session(self, channel: Channel, peer: Peer) -> None:
        if self.logs_in:
            channel.logged_in()
        channel.write(BANNER)
        if peer.command is not None:
            await self._run(channel, peer, peer.command.encode())
            return
        channel.write(PROMPT)
        await channel.drain()
        line = bytearray()
        while data := await channel.read():
            self.received += data
            for byte in data:
                if byte not in b"\r\n":
                    line += bytes([byte])[: MAX_LINE - len(line)]
                    continue
                if line and not await self._run(channel, peer, bytes(line)):
                    return
                line.clear()
                channel.write(PROMPT)
                await channel.drain()

    async def _run(self, channel: Channel, peer: Peer, command: bytes) -> bool:
        """Returns False when the session should end."""
        if command == b"exit":
            return False
        if command == b"flood":
            await self._flood(channel)
            return False
        if command == b"login":
            channel.logged_in()
        reply = {
            b"size": f"{channel.width}x{channel.height}".encode(),
            b"peer": f"{peer.transport} {peer.address} {peer.username} {peer.level} "
                     f"pty={peer.pty}".encode(),
            b"ff": b"\xff",
            b"login": b"logged in",
        }.get(command, b"said: " + command[:40] + b" len=%d" % len(command))
        channel.write(reply + b"\r\n")
        await channel.drain()
        return True

    async def _flood(self, channel: Channel) -> None:
        while True:
            channel.write(FLOOD_CHUNK)
            self.flooded += len(FLOOD_CHUNK)
            try:
                await asyncio.wait_for(channel.drain(), STALL_TIMEOUT)
            except TimeoutError:
                self.stalled.set()
                return


ServerFactory = Callable[..., AbstractAsyncContextManager[tuple[Any, int]]]


BASE_OPTIONS = [
    "-F", "/dev/null",
    "-o", "LogLevel=ERROR",
    "-o", "PubkeyAuthentication=no",
    "-o", "ConnectTimeout=5",
]
SSH_OPTIONS = [*BASE_OPTIONS, "-o", "StrictHostKeyChecking=no",
               "-o", "UserKnownHostsFile=/dev/null"]
"""ssh takes the first value of an option: tests that pin keys start from BASE_OPTIONS."""


async def openssh(port: int, *args: str, password: str = "secret", stdin: bytes = b"",
                  options: list[str] = SSH_OPTIONS) -> tuple[int, bytes, bytes]:
    """OpenSSH's client, its password typed by sshpass: both must be installed."""
    require(missing_tool("sshpass"), missing_tool("ssh", "openssh-client"))
    process = await asyncio.create_subprocess_exec(
        "sshpass", "-p", password, "ssh", *options, "-p", str(port), *args,
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    stdout, stderr = await asyncio.wait_for(process.communicate(stdin), 20)
    assert process.returncode is not None
    return process.returncode, stdout, stderr


async def connect(port: int, username: str = "manager", password: str = "secret",
                  **options: Any) -> asyncssh.SSHClientConnection:
    return await asyncssh.connect(
        "127.0.0.1", port, username=username, password=password, known_hosts=None,
        client_keys=None, agent_path=None, config=None, **options)


async def shell(conn: asyncssh.SSHClientConnection,
                **options: Any) -> asyncssh.SSHClientProcess[bytes]:
    process = await conn.create_process(encoding=None, **options)
    assert (await process.stdout.readuntil(PROMPT)).startswith(BANNER)
    return process


async def command(process: asyncssh.SSHClientProcess[bytes], line: bytes) -> bytes:
    process.stdin.write(line + b"\r")
    return (await process.stdout.readuntil(PROMPT))[: -len(PROMPT)]


async def closed_by_server(reader: asyncio.StreamReader) -> bytes:
    """Everything the server sent before closing the connection (b"" when it reset it)."""
    try:
        return await asyncio.wait_for(reader.read(-1), 5)
    except ConnectionResetError:
        return b""


async def read_until(reader: asyncio.StreamReader, marker: bytes) -> bytes:
    return await asyncio.wait_for(reader.readuntil(marker), 5)
