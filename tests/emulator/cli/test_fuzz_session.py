"""A CLI session (line editor, escape sequences, `?`, Tab, history, paging, confirmations,
the telnet login) fed any keystrokes, cut into reads anywhere, by a manager, an operator, a
telnet user at the login prompt or an SSH exec request. The session ends when the input does,
never with an exception; the line it keeps and its history stay within their limits."""

from __future__ import annotations

import asyncio
import functools

from hypothesis import given
from hypothesis import strategies as st

from emulator.cli.channel import Peer
from emulator.cli.editor import HISTORY, MAX_LINE
from emulator.cli.session import CliSession
from emulator.device import Device
from tests.emulator.cli.test_fuzz_parser import table, words
from tests.emulator.cli.test_session import PipeChannel
from tests.fuzzing import booted_device

SESSION_DEADLINE = 30.0
"""Generous: a session that has not ended this long after its input did is hung."""
KEYS = (b"\r", b"\n", b"\r\n", b"?", b"\t", b"\x03", b"\x08", b"\x7f", b"\x15", b"\x00",
        b"\x1b[A", b"\x1b[B", b"\x1b[", b"\x1bO", b" ", b"q", b"y", b"n", b'"')
PEERS = (Peer("ssh", "192.0.2.7", "manager", "manager"),
         Peer("ssh", "192.0.2.7", "operator", "operator"),
         Peer("telnet", "192.0.2.7"), Peer("ssh", "192.0.2.7", "manager", "manager", pty=False))


@functools.cache
def device() -> Device:
    return booted_device("cli")


def typed(word: str) -> bytes:
    return word.encode("utf-8", "replace")


keystrokes = st.lists(st.one_of(st.sampled_from(KEYS), words.map(typed), st.binary(max_size=20)),
                      max_size=40).map(b"".join)
# `ping` waits out its timeout on a switch without an IP stack: not a parser's business
keystrokes = keystrokes.filter(lambda data: b"pi" not in data.lower())


async def run(peer: Peer, chunks: list[bytes]) -> CliSession:
    channel = PipeChannel()
    session = CliSession(device(), table(), channel, peer)
    for chunk in [b"\n", *chunks, b""]:  # any key past the banner; b"": the peer hangs up
        channel.inbox.put_nowait(chunk)
    await asyncio.wait_for(session.run(), SESSION_DEADLINE)
    return session


@given(st.sampled_from(PEERS), keystrokes, st.lists(st.integers(1, 16), max_size=10))
def test_fuzz_session_ends_with_its_input(peer: Peer, data: bytes, cuts: list[int]) -> None:
    chunks, at = [], 0
    for size in cuts:
        chunks.append(data[at:at + size])
        at += size
    chunks.append(data[at:])
    session = asyncio.run(run(peer, [c for c in chunks if c]))
    assert len(session.editor.history) <= HISTORY
    assert all(len(line) <= MAX_LINE for line in session.editor.history)


@given(words.map(str), st.booleans())
def test_fuzz_exec_request_runs_one_line(line: str, pty: bool) -> None:
    """`ssh switch 'LINE'`: whatever the line, one answer and the end."""
    if "pi" in line.lower():
        return
    asyncio.run(run(Peer("ssh", "192.0.2.7", "manager", "manager", line, pty), []))


def test_megabyte_without_newline_keeps_one_bounded_line() -> None:
    session = asyncio.run(run(PEERS[0], [b"x" * 1_000_000, b"\r", b"show ver\r"]))
    assert [len(line) for line in session.editor.history] == [MAX_LINE, len("show ver")]

