"""The line editor: keys in, one line out, with echo, erase, Ctrl-C/Ctrl-U, history on the
arrow keys and the `?`/Tab hooks. It knows no command and no mode: what `?` lists and Tab
completes is its `Assist`'s answer (the session's grammar), so the same editor serves any
line-oriented prompt (asyncssh's SSHLineEditor is the model).
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from typing import Final, Protocol

from emulator.cli.channel import Channel
from emulator.cli.terminal import CRLF, Terminal

MAX_LINE: Final = 1024
"""Characters the line editor keeps; the rest of an over-long line is dropped, not stored."""
YIELD_EVERY: Final = 4096
"""Keys processed before letting the loop run others: a megabyte pasted into one session
must not starve the module's heartbeats (the chassis would fence it as hung)."""
HISTORY: Final = 32
CTRL_C, BS, TAB, LF, CR, ESC, DEL = 0x03, 0x08, 0x09, 0x0A, 0x0D, 0x1B, 0x7F
CTRL_U: Final = 0x15
ARROW_UP, ARROW_DOWN = b"A", b"B"
PLAIN_RUN: Final = re.compile(rb"[\x20-\x3e\x40-\x7e]+")
"""Printable characters but `?` (which asks for help): taken as one run, not key by key."""


class HangUp(Exception):
    """The peer went away, or the session is over (logout)."""


class Keys:
    """One key at a time from a channel; CR LF (and CR NUL) count as one Enter."""

    def __init__(self, channel: Channel) -> None:
        self.channel = channel
        self._pending = b""
        self._position = 0
        self._after_cr = False
        self.idle: float | None = None
        """Seconds of silence after which the session ends (`console inactivity-timer`);
        None: no limit."""

    async def key(self) -> int:
        while True:
            while self._position >= len(self._pending):
                try:
                    self._pending = await asyncio.wait_for(self.channel.read(), self.idle)
                except TimeoutError:
                    raise HangUp from None
                self._position = 0
                if not self._pending:
                    raise HangUp
            key = self._pending[self._position]
            self._position += 1
            if not self._position % YIELD_EVERY:
                await asyncio.sleep(0)
            if key == LF and self._after_cr:
                self._after_cr = False
                continue
            self._after_cr = key == CR
            return key

    def plain_run(self) -> str:
        """The printable characters (but `?`) that have already arrived after the last key,
        taken at once: a pasted or megabyte-long line costs one step, not one per byte."""
        match = PLAIN_RUN.match(self._pending, self._position)
        if match is None:
            return ""
        self._position = match.end()
        self._after_cr = False
        return match.group().decode("ascii")

    async def escape(self) -> bytes:
        """The rest of an ESC sequence (arrows, a terminal's answers), so none of it lands in
        the line."""
        first = await self.key()
        if first != ord("["):
            return bytes([first])
        body = bytearray()
        while True:
            key = await self.key()
            body.append(key)
            if 0x40 <= key <= 0x7E or len(body) > 16:
                return bytes(body)


class Assist(Protocol):
    """What `?` and Tab mean for the line typed so far."""

    def help(self, typed: str) -> str:
        """The listing `?` prints (or the error the line already has)."""
        ...

    def complete(self, typed: str) -> tuple[list[str], str]:
        """The words the last partial word can become, and that partial word."""
        ...


class LineEditor:
    def __init__(self, keys: Keys, write: Callable[[str], Awaitable[None]], term: Terminal,
                 assist: Assist) -> None:
        self.keys = keys
        self.write = write
        self.term = term
        self.assist = assist
        self.history: list[str] = []

    def remember(self, line: str) -> None:
        self.history.append(line)
        del self.history[:-HISTORY]

    async def read_line(self, prompt: str, *, echo: bool = True, editing: bool = True) -> str:
        """A command line (`editing`: prompt painted, history, `?` and Tab) or a plain answer
        (a username; a password with echo=False)."""
        if editing:
            await self.write(self.term.prompt(prompt))
        line: list[str] = []
        recall = len(self.history)
        while True:
            key = await self.keys.key()
            if key in (CR, LF):
                return "".join(line)
            if key == 0 or (not editing and key == TAB):
                continue
            if key in (BS, DEL):
                if line:
                    line.pop()
                    if echo:
                        await self.write(self.term.backspace())
            elif key == CTRL_C:
                if not editing:
                    return ""
                line.clear()
                await self.write(self.term.prompt(prompt))
            elif key == CTRL_U:
                await self.write(self.term.backspace() * len(line) if echo else "")
                line.clear()
            elif key == ESC:
                sequence = await self.keys.escape()
                if editing and sequence in (ARROW_UP, ARROW_DOWN) and self.history:
                    recall = max(0, recall - 1) if sequence == ARROW_UP else min(
                        len(self.history), recall + 1)
                    text = self.history[recall] if recall < len(self.history) else ""
                    await self.write(self.term.backspace() * len(line) + text)
                    line = list(text)
            elif editing and key == ord("?") and line.count('"') % 2 == 0:
                typed = "".join(line)
                await self.write(CRLF + self.assist.help(typed) + self.term.prompt(prompt, typed))
            elif editing and key == TAB:
                line = list(await self._complete("".join(line), prompt))
            elif 0x20 <= key < 0x7F:
                text = (chr(key) + self.keys.plain_run())[:max(0, MAX_LINE - len(line))]
                line.extend(text)
                if echo and text:
                    await self.write(text)

    async def _complete(self, typed: str, prompt: str) -> str:
        """One candidate: completed in place; several: listed, the line redrawn."""
        words, partial = self.assist.complete(typed)
        if len(words) == 1:
            addition = words[0][len(partial):] + " "
            await self.write(addition)
            return typed + addition
        if words:
            listing = CRLF.join(f" {word}" for word in words)
            await self.write(CRLF + listing + self.term.prompt(prompt, typed))
        return typed
