"""Clients that misbehave must not take the SSH server down or make it grow without bound."""

from __future__ import annotations

import asyncio
import os

import asyncssh

from ssh_server.startups import MaxStartups
from tests.ssh_server.clients import (
    PROMPT,
    LineCli,
    ServerFactory,
    closed_by_server,
    command,
    connect,
    shell,
)

VERSION_LINE = b"SSH-2.0-Mocana SSH 6.3\r\n"
CLIENT_VERSION = b"SSH-2.0-OpenSSH_9.2\r\n"
BOUNDED = 16 * 1024 * 1024
"""Output a never-reading client may make the server hold: windows plus socket buffers."""


async def open_raw(port: int) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    return await asyncio.open_connection("127.0.0.1", port)


async def still_serves(port: int) -> None:
    async with await connect(port) as conn:
        process = await shell(conn)
        assert await command(process, b"hello") == b"said: hello len=5\r\n"


def test_connections_beyond_the_per_source_preauth_cap_are_closed_at_once(
    ssh_server: ServerFactory,
) -> None:
    async def main() -> None:
        async with ssh_server(LineCli(), startups=MaxStartups(8, 64, 30, 64)) as (_, port):
            held = [await open_raw(port) for _ in range(8)]
            for reader, _ in held:
                assert await reader.readline() == VERSION_LINE
            extra = [await open_raw(port) for _ in range(200)]
            results = await asyncio.gather(*(closed_by_server(r) for r, _ in extra))
            assert set(results) <= {VERSION_LINE, b""}
            for _, writer in [*held, *extra]:
                writer.close()
            await until_login_works(port)

    asyncio.run(main())


async def until_login_works(port: int) -> None:
    """The server sees the held connections go a moment after the client closes them."""
    deadline = asyncio.get_running_loop().time() + 5
    while True:
        try:
            await still_serves(port)
            return
        except (asyncssh.Error, OSError):
            if asyncio.get_running_loop().time() > deadline:
                raise
            await asyncio.sleep(0.05)


def test_idle_connections_are_dropped_at_login_timeout(ssh_server: ServerFactory) -> None:
    async def main() -> None:
        async with ssh_server(LineCli(), login_timeout=0.5) as (_, port):
            reader, writer = await open_raw(port)
            writer.write(CLIENT_VERSION)
            assert (await closed_by_server(reader)).startswith(VERSION_LINE)
            writer.close()

    asyncio.run(main())


def test_garbage_and_huge_version_lines_are_dropped(ssh_server: ServerFactory) -> None:
    async def main() -> None:
        async with ssh_server(LineCli()) as (_, port):
            for payload in (
                os.urandom(65536),
                b"x" * (1024 * 1024),
                CLIENT_VERSION + os.urandom(65536),
            ):
                reader, writer = await open_raw(port)
                writer.write(payload)
                await closed_by_server(reader)  # a reset, as the server leaves input unread
                writer.close()
            await still_serves(port)

    asyncio.run(main())


def test_megabyte_command_line(ssh_server: ServerFactory) -> None:
    async def main() -> None:
        async with ssh_server(LineCli()) as (_, port), await connect(port) as conn:
            process = await shell(conn, term_type="vt100")
            process.stdin.write(b"y" * (1024 * 1024) + b"\r")
            assert await process.stdout.readuntil(PROMPT) == b"said: " + b"y" * 40 + (
                b" len=1024\r\n" + PROMPT)
            assert await command(process, b"size") == b"80x24\r\n"

    asyncio.run(main())


def test_client_that_never_reads_stalls_drain(ssh_server: ServerFactory) -> None:
    async def main() -> None:
        cli = LineCli()
        async with ssh_server(cli) as (_, port), await connect(port) as conn:
            process = await shell(conn, term_type="vt100")
            process.stdin.write(b"flood\r")
            await asyncio.wait_for(cli.stalled.wait(), 20)
            assert cli.flooded < BOUNDED
            await still_serves(port)

    asyncio.run(main())
