"""A tiny line CLI and server starters shared by the transport tests.

The tests drive the transports with real clients over loopback sockets; only the CLI is a
stand-in, small enough that what a test sees is the transport's doing.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from emulator.cli.channel import Channel, Peer
from ssh_server.hostkeys import load_or_create_host_keys
from ssh_server.ssh import start_ssh_server
from ssh_server.telnet import start_telnet_server

BANNER = b"(C) Copyright 2024 Test Networks\r\n"
PROMPT = b"T# "
MAX_LINE = 1024
FLOOD_CHUNK = b"x" * 65536
STALL_TIMEOUT = 1.0
USERS = {"manager": ("secret", "manager"), "operator": ("op", "operator")}


def authenticate(username: str, password: str) -> str | None:
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
    check."""

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
        reply = {
            b"size": f"{channel.width}x{channel.height}".encode(),
            b"peer": f"{peer.transport} {peer.address} {peer.username} {peer.level} "
                     f"pty={peer.pty}".encode(),
            b"ff": b"\xff",
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


@pytest.fixture(scope="session")
def keys_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("flash") / "security"
    load_or_create_host_keys(path)
    return path


@pytest.fixture
def ssh_server(keys_dir: Path) -> ServerFactory:
    """`async with ssh_server(cli, **options) as (handle, port):` a server on 127.0.0.1."""

    @asynccontextmanager
    async def run(cli: LineCli, **options: Any) -> AsyncIterator[tuple[Any, int]]:
        sock = listening_socket()
        port: int = sock.getsockname()[1]
        options.setdefault("login_timeout", 10)
        handle = await start_ssh_server(
            sock, load_or_create_host_keys(keys_dir), authenticate, cli, **options
        )
        try:
            yield handle, port
        finally:
            handle.close()
            await handle.wait_closed()

    return run


@pytest.fixture
def telnet_server() -> ServerFactory:
    """`async with telnet_server(cli, **options) as (handle, port):` a server on 127.0.0.1."""

    @asynccontextmanager
    async def run(cli: LineCli, **options: Any) -> AsyncIterator[tuple[Any, int]]:
        sock = listening_socket()
        port: int = sock.getsockname()[1]
        handle = await start_telnet_server(sock, cli, **options)
        try:
            yield handle, port
        finally:
            handle.close()
            await handle.wait_closed()

    return run
