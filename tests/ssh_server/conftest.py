"""Fixtures that start the transport servers on loopback sockets for the transport tests.

The helpers they use (the line CLI, ServerFactory, the clients) live in clients.py.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

from ssh_server.hostkeys import load_or_create_host_keys
from ssh_server.ssh import start_ssh_server
from ssh_server.telnet import start_telnet_server
from tests.ssh_server.clients import LineCli, ServerFactory, authenticate, listening_socket


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
        options.setdefault("login_timeout", 10)
        handle = await start_telnet_server(sock, cli, **options)
        try:
            yield handle, port
        finally:
            handle.close()
            await handle.wait_closed()

    return run
