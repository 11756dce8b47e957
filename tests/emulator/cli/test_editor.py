"""The line editor on its own (no session, no grammar): keys in, a line out, echo, erase,
history on the arrow keys, and `?`/Tab asked of whatever assists it."""

from __future__ import annotations

import asyncio

import pytest

from emulator.cli.editor import HISTORY, MAX_LINE, HangUp, Keys, LineEditor
from emulator.cli.terminal import Terminal
from tests.emulator.cli.test_session import PipeChannel


class Words:
    """An assist that knows two words."""

    def help(self, typed: str) -> str:
        return f"help for [{typed}]"

    def complete(self, typed: str) -> tuple[list[str], str]:
        partial = typed.split(" ")[-1]
        return [w for w in ("alpha", "alps") if partial and w.startswith(partial)], partial


def _editor(keys: bytes) -> tuple[LineEditor, PipeChannel]:
    channel = PipeChannel()
    channel.inbox.put_nowait(keys)
    channel.inbox.put_nowait(b"")  # then the peer hangs up
    async def write(text: str) -> None:
        channel.write(text.encode())

    return LineEditor(Keys(channel), write, Terminal(vt100=False), Words()), channel


async def _lines(editor: LineEditor, count: int, **kwargs: bool) -> list[str]:
    lines = []
    for _ in range(count):
        lines.append(await editor.read_line("> ", **kwargs))
        editor.remember(lines[-1])
    return lines


def test_keys_become_lines_with_erase_and_crlf_folded() -> None:
    editor, channel = _editor(b"shw\x7fo\x08ow x\x15show\r\nnext\r\x00")
    assert asyncio.run(_lines(editor, 2)) == ["show", "next"]
    assert "shw\b \bo\b \bow x" in channel.text()


def test_password_answers_are_not_echoed() -> None:
    editor, channel = _editor(b"s3cret\r")
    assert asyncio.run(editor.read_line("Password: ", echo=False, editing=False)) == "s3cret"
    assert "s3cret" not in channel.text()


def test_arrows_recall_history_and_it_stays_bounded() -> None:
    typed = b"".join(f"cmd {i}\r".encode() for i in range(HISTORY + 5))
    editor, _ = _editor(typed + b"\x1b[A\x1b[A\x1b[B\r")
    lines = asyncio.run(_lines(editor, HISTORY + 6))
    assert lines[-1] == f"cmd {HISTORY + 4}"
    assert len(editor.history) == HISTORY


def test_help_and_tab_ask_the_assist() -> None:
    editor, channel = _editor(b"al?\tps\t\r")
    assert asyncio.run(editor.read_line("> ")) == "alps "
    text = channel.text()
    assert "help for [al]" in text and " alpha\r\n alps" in text


def test_an_over_long_line_is_cut_and_a_hang_up_ends_reading() -> None:
    editor, _ = _editor(b"x" * (MAX_LINE + 100) + b"\r")
    assert asyncio.run(editor.read_line("> ")) == "x" * MAX_LINE
    with pytest.raises(HangUp):
        asyncio.run(editor.read_line("> "))
