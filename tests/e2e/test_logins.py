"""Logins cannot be locked out or guessed, on a running chassis with real clients: an idle
flood from one address leaves logins for others, and every refused password (SSH, telnet,
`enable`) is in `show log` with its source, delayed, and ends the session at the limit."""

from __future__ import annotations

import asyncio
import re
import time
from typing import Any

import pytest

from emulator.cli.login import NUM_ATTEMPTS
from emulator.testing import missing_tool
from emulator.timing import PROFILES
from tests.ssh_server.clients import closed_by_server, openssh, read_until

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.requires(missing_tool("sshpass")),
]

FLOOD = 64
DELAY = PROFILES["fast"].login_failure_delay
FAILED = (r"^W \d\d/\d\d/\d\d \d\d:\d\d:\d\d 00419 auth: Invalid user name/password on "
          r"{session} session User '{user}' is trying to login from {source}$")
Stream = tuple[asyncio.StreamReader, asyncio.StreamWriter]


async def telnet(chassis: Any, source: str) -> Stream:
    """A telnet connection from `source` (any 127/8 address) at the Username prompt."""
    reader, writer = await asyncio.open_connection(
        chassis.host, chassis.telnet_port, local_addr=(source, 0))
    await read_until(reader, b"Press any key to continue")
    writer.write(b" ")
    await read_until(reader, b"Username: ")
    return reader, writer


async def answer(stream: Stream, user: str, password: str, expect: bytes) -> float:
    """Username and password at their prompts; seconds until `expect` after the password."""
    reader, writer = stream
    writer.write(user.encode() + b"\r")
    await read_until(reader, b"Password: ")
    sent = time.monotonic()
    writer.write(password.encode() + b"\r")
    await read_until(reader, expect)
    return time.monotonic() - sent


def failures(chassis: Any, session: str, user: str, source: str) -> int:
    shown = chassis.show("show log")
    pattern = FAILED.format(session=session, user=re.escape(user), source=re.escape(source))
    return len(re.findall(pattern, shown, re.MULTILINE))


def test_refused_passwords_are_logged_with_their_source(chassis: Any) -> None:
    async def main() -> None:
        status, _, _ = await openssh(chassis.ssh_port, "-b", "127.0.0.2",
                                     "manager@127.0.0.1", "show version", password="guess")
        assert status != 0
        stream = await telnet(chassis, "127.0.0.3")
        await answer(stream, "operator", "guess", b"Invalid password")
        await answer(stream, "operator", "operator", b"HP-8212zl> ")
        stream[1].write(b"enable\r")
        await read_until(stream[0], b"Username: ")
        await answer(stream, "manager", "guess", b"Invalid password")
        stream[1].close()

    asyncio.run(main())
    assert failures(chassis, "SSH", "manager", "127.0.0.2") == 1
    assert failures(chassis, "TELNET", "operator", "127.0.0.3") == 1
    assert failures(chassis, "TELNET", "manager", "127.0.0.3") == 1


def test_enable_guesses_are_delayed_and_end_the_session(chassis: Any) -> None:
    async def main() -> None:
        stream = await telnet(chassis, "127.0.0.4")
        await answer(stream, "operator", "operator", b"HP-8212zl> ")
        for _ in range(NUM_ATTEMPTS):
            stream[1].write(b"enable\r")
            await read_until(stream[0], b"Username: ")
            assert await answer(stream, "manager", "guess", b"Invalid password") >= DELAY
        await closed_by_server(stream[0])  # TimeoutError if the session stayed open
        stream[1].close()

    asyncio.run(main())
    assert failures(chassis, "TELNET", "manager", "127.0.0.4") == NUM_ATTEMPTS


def test_idle_flood_from_one_address_leaves_logins_for_others(chassis: Any) -> None:
    async def main() -> None:
        flood = [await asyncio.open_connection(chassis.host, port)
                 for port in (chassis.ssh_port, chassis.telnet_port) for _ in range(FLOOD)]
        status, out, err = await openssh(chassis.ssh_port, "-b", "127.0.0.2",
                                         "manager@127.0.0.1", "show version",
                                         password="manager")
        assert status == 0 and b"K.15" in out, err
        stream = await telnet(chassis, "127.0.0.2")
        await answer(stream, "manager", "manager", b"HP-8212zl# ")
        for _, writer in [*flood, stream]:
            writer.close()

    asyncio.run(main())
