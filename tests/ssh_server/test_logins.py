"""Logins cannot be locked out or guessed, at the transports: telnet's login timeout, pre-login
slots per source address (SSH and telnet), and SSH's password tries per connection, with real
clients (OpenSSH, raw sockets as the idle flood)."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest

from emulator.cli.login import NUM_ATTEMPTS
from emulator.testing import missing_tool
from ssh_server.startups import LAB_STARTUPS
from tests.ssh_server.clients import (
    PROMPT,
    SSH_OPTIONS,
    LineCli,
    ServerFactory,
    closed_by_server,
    openssh,
    read_until,
)

FLOOD = 64
OTHER_SOURCE = "127.0.0.2"
"""Another source address on loopback: the whole 127/8 reaches a socket bound to 127.0.0.1."""
VERSION_LINE = b"SSH-2.0-Mocana SSH 6.3\r\n"

pytestmark = pytest.mark.requires(missing_tool("sshpass"))


async def telnet_from(port: int, source: str = "127.0.0.1",
                      ) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    return await asyncio.open_connection("127.0.0.1", port, local_addr=(source, 0))


async def held(reader: asyncio.StreamReader) -> bool:
    """Whether the server kept the telnet connection (it drew its prompt) or dropped it."""
    try:
        await read_until(reader, PROMPT)
    except (asyncio.IncompleteReadError, ConnectionError):
        return False
    return True


def test_telnet_closes_a_connection_that_does_not_log_in_by_the_timeout(
        telnet_server: ServerFactory) -> None:
    async def main() -> None:
        async with telnet_server(LineCli(logs_in=False), login_timeout=0.5) as (_, port):
            idle, idle_writer = await telnet_from(port)
            user, user_writer = await telnet_from(port)
            assert await held(idle) and await held(user)
            user_writer.write(b"login\r\0")
            assert await read_until(user, PROMPT) == b"logged in\r\n" + PROMPT
            await closed_by_server(idle)  # fails with TimeoutError if it stays open
            user_writer.write(b"peer\r\0")
            assert (await read_until(user, PROMPT)).startswith(b"telnet 127.0.0.1")
            for writer in (idle_writer, user_writer):
                writer.close()

    asyncio.run(main())


def test_telnet_idle_flood_from_one_source_leaves_room_for_another(
        telnet_server: ServerFactory) -> None:
    async def main() -> None:
        async with telnet_server(LineCli(logs_in=False)) as (_, port):
            flood = [await telnet_from(port) for _ in range(FLOOD)]
            kept = [await held(reader) for reader, _ in flood]
            assert sum(kept) == LAB_STARTUPS.per_source
            late, late_writer = await telnet_from(port)
            assert not await held(late)
            other, other_writer = await telnet_from(port, OTHER_SOURCE)
            assert await held(other)
            other_writer.write(b"peer\r\0")
            assert (await read_until(other, PROMPT)).startswith(b"telnet 127.0.0.2")
            for _, writer in [*flood, (late, late_writer), (other, other_writer)]:
                writer.close()

    asyncio.run(main())


def test_ssh_idle_flood_from_one_source_leaves_room_for_another(
        ssh_server: ServerFactory) -> None:
    async def main() -> None:
        async with ssh_server(LineCli()) as (_, port):
            flood = [await asyncio.open_connection("127.0.0.1", port) for _ in range(FLOOD)]
            for reader, _ in flood:
                assert await reader.readline() == VERSION_LINE
            late, late_writer = await asyncio.open_connection("127.0.0.1", port)
            assert await closed_by_server(late) in (VERSION_LINE, b"")
            status, out, err = await openssh(port, "-b", OTHER_SOURCE, "manager@127.0.0.1",
                                             "peer")
            assert status == 0, err
            assert out.splitlines()[-1] == b"ssh 127.0.0.2 manager manager pty=False"
            for _, writer in [*flood, (late, late_writer)]:
                writer.close()

    asyncio.run(main())


def test_openssh_gets_num_attempts_password_tries(ssh_server: ServerFactory,
                                                  tmp_path: Path) -> None:
    """OpenSSH would ask ten times; the server disconnects after the switch's number."""
    asked = tmp_path / "asked"
    askpass = tmp_path / "askpass"
    askpass.write_text(f"#!/bin/sh\necho >> {asked}\necho wrong\n")
    askpass.chmod(0o700)

    async def main() -> None:
        async with ssh_server(LineCli()) as (_, port):
            process = await asyncio.create_subprocess_exec(
                "ssh", *SSH_OPTIONS, "-o", "NumberOfPasswordPrompts=10",
                "-o", "PreferredAuthentications=password", "-p", str(port),
                "manager@127.0.0.1", "peer",
                stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE, start_new_session=True,
                env={**os.environ, "SSH_ASKPASS": str(askpass),
                     "SSH_ASKPASS_REQUIRE": "force", "DISPLAY": ":0"})
            out, _ = await asyncio.wait_for(process.communicate(), 20)
            assert process.returncode == 255 and not out

    asyncio.run(main())
    assert asked.read_text().count("\n") == NUM_ATTEMPTS
