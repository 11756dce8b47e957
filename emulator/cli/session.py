"""One CLI session (SSH, telnet or console): the login dance, what `?` and Tab mean in the
current mode, paging, and running each line through the dispatcher. Keys become lines in the
line editor (editor.py); the session writes the ProCurve byte stream back and is the only
place that does terminal I/O for commands.

Back-pressure: every write is followed by `drain()`, so a client that never reads stalls
this session only, with bounded memory.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from emulator.aaa import chain
from emulator.cli import login
from emulator.cli.channel import Channel, Peer
from emulator.cli.context import EXEC, Level, Mode, mode_stack
from emulator.cli.dispatch import dispatch
from emulator.cli.editor import CR, CTRL_C, LF, HangUp, Keys, LineEditor
from emulator.cli.filters import split_filter
from emulator.cli.grammar import CliError, Output
from emulator.cli.parser import CommandTable, HelpLine, ParseError, tokenize
from emulator.cli.terminal import CRLF, Terminal, crlf
from emulator.hardware import LOGIN_BANNER

if TYPE_CHECKING:
    from emulator.device import Device, ManagementSession

class CliSession:
    def __init__(self, device: Device, table: CommandTable, channel: Channel, peer: Peer) -> None:
        self.device = device
        self.table = table
        self.channel = channel
        self.peer = peer
        self.term = Terminal(channel.width or 80, channel.height or 24, peer.pty)
        self._level = Level.MANAGER if peer.level == "manager" else Level.OPERATOR
        self._modes: list[Mode] = [EXEC]
        self._paging = True
        self._page_length: int | None = None
        self._closing = False
        self.keys = Keys(channel)
        self.editor = LineEditor(self.keys, self._write, self.term, self)
        self._failures = 0
        """Passwords refused in a row in this session (login and `enable`)."""
        self._record: ManagementSession | None = None
        """This session in the device's list (`show telnet`), once logged in."""
        self._user = peer.username or ""
        """Who logged in (accounting names them)."""

    # -- SessionControl ---------------------------------------------------------------------

    @property
    def level(self) -> Level:
        return self._level

    @property
    def mode(self) -> Mode:
        return self._modes[-1]

    @property
    def transport(self) -> str:
        return self.peer.transport

    @property
    def session_number(self) -> int | None:
        return None if self._record is None else self._record.number

    @property
    def interactive(self) -> bool:
        return True

    def set_level(self, level: Level) -> None:
        self._level = level
        if self._record is not None:
            self._record.level = level.name.lower()
        if level is Level.OPERATOR:
            self._modes = [EXEC]

    def enter(self, mode: Mode) -> None:
        self._modes = mode_stack(mode)

    def exit_mode(self) -> None:
        if len(self._modes) > 1:
            self._modes.pop()

    def end(self) -> None:
        self._modes = [EXEC]

    def set_paging(self, on: bool) -> None:
        self._paging = on

    def set_terminal(self, *, width: int | None = None, length: int | None = None) -> None:
        if width is not None:
            self.term.width = width
        if length is not None:
            self._page_length = length

    async def confirm(self, question: str) -> bool:
        await self._write(question)
        while True:
            key = await self.keys.key()
            if key in b"yY":
                await self._write(chr(key))
                return True
            if key in b"nN" or key == CTRL_C:
                await self._write("n" if key != CTRL_C else "")
                return False

    async def ask(self, prompt: str, *, echo: bool = True) -> str:
        await self._write(prompt)
        return await self.editor.read_line(prompt, echo=echo, editing=False)

    async def emit(self, text: str) -> None:
        await self._write(CRLF + crlf(text))

    def hang_up(self) -> None:
        self._closing = True

    def history(self) -> list[str]:
        return self.editor.history[:-1]

    async def check_password(self, user: str, secret: str,
                             level: str | None = None) -> str | None:
        """Logged and delayed when refused; the `aaa authentication num-attempts`-th refusal in a
        row ends the
        session, as the switch closes it."""
        result = await login.check_password(self.device, self.peer.transport,
                                            self.peer.address, user, secret, level)
        self._failures = 0 if result is not None else self._failures + 1
        if self._failures >= self.device.running.aaa.num_attempts:
            self.hang_up()
        return result

    # -- the session --------------------------------------------------------------------------

    async def run(self) -> None:
        try:
            if self.peer.command is not None:
                await self._run_line(self.peer.command)
                await self._write(CRLF)
                return
            self.keys.idle = self._idle_limit()
            await self._write(crlf(LOGIN_BANNER) + self._banner("motd") + self.term.any_key())
            await self.keys.key()
            if self.peer.transport != "ssh" and not await self._login():
                return
            self.channel.logged_in()
            self._log_login()
            self._record = self.device.open_session(self.peer.transport, self.peer.address,
                                                    self.peer.port)
            self._record.level = self._level.name.lower()
            started = self.device.uptime()
            accounting = chain.new_session_id()
            self._account(accounting, None)
            await self._write(self._banner("exec") + self.term.setup())
            while not self._closing:
                self.keys.idle = self._idle_limit()
                line = await self.editor.read_line(self._prompt())
                await self._run_line(line)
        except HangUp:
            pass
        finally:
            if self._record is not None:
                self.device.close_session(self._record)
                self._account(accounting, started)

    def _account(self, session_id: str, started: float | None) -> None:
        """The exec session's start (started None) or stop record, sent in the background."""
        chain.account_later(self.device, self.peer.transport, self._user, self.peer.address,
                            session_id, started)

    def _banner(self, kind: str) -> str:
        """`banner motd` before the key press, `banner exec` after the login; the config
        writes a line break as `\\n`."""
        text = self.device.running.banners.get(kind)
        return crlf("\n" + text.replace("\\n", "\n") + "\n") if text else ""

    def _idle_limit(self) -> float | None:
        """`console inactivity-timer` minutes as seconds of silence; 0 is no limit. Read at
        every prompt, so a change applies to the sessions already open."""
        minutes = int(self.device.running.console.get("inactivity-timer", "0"))
        return minutes * self.device.timing.minute or None

    def _log_login(self) -> None:
        """`mgr: SME SSH from 10.1.1.1 - MANAGER Mode`, as the switch logs each login."""
        source = f" from {self.peer.address}" if self.peer.address else ""
        self.device.events.log(
            "mgr", f"SME {self.peer.transport.upper()}{source} - {self._level.name} Mode")

    def _prompt(self) -> str:
        return self.mode.prompt(self.device.running.hostname, self._level)

    async def _login(self) -> bool:
        """Telnet and console log in at the CLI: `Username:`/`Password:` as the switch asks,
        until a login or the last refusal the session is allowed."""
        if not self.device.credentials.levels() and chain.local_only(
                self.device, self.peer.transport, "login"):
            self._level = Level.MANAGER
            return True
        while not self._closing:
            user = await self.ask(CRLF + "Username: ")
            secret = await self.ask(CRLF + "Password: ", echo=False)
            level = await self.check_password(user, secret)
            if level is not None:
                self._user = user
                self._level = Level.MANAGER if level == "manager" else Level.OPERATOR
                return True
            await self._write(CRLF + "Invalid password")
        return False

    async def _run_line(self, line: str) -> None:
        tokens = tokenize(line)
        if not tokens:
            return
        self.editor.remember(line)
        await self.device.refresh()
        try:
            command, output_filter = split_filter(tokens)
            for output in await dispatch(self.table, self.device, self, command):
                await self._show(output_filter.apply(output) if output_filter and output
                                 else output)
        except (ParseError, CliError) as error:
            await self._show(str(error))
        await self.device.commit()

    # -- output -------------------------------------------------------------------------------

    async def _write(self, text: str) -> None:
        if text:
            self.channel.write(text.encode("utf-8", "replace"))
            await self.channel.drain()

    async def _show(self, text: Output) -> None:
        """Command output, paged at the terminal length unless `no page`."""
        if not text:
            return
        lines = crlf(text).split(CRLF)
        page = (self._page_length or self.term.height) - 1
        if not self._paging or not self.term.vt100 or len(lines) <= page:
            await self._write(CRLF + CRLF.join(lines))
            return
        shown, budget, lead = 0, page, CRLF
        while shown < len(lines):
            chunk = lines[shown:shown + budget]
            await self._write(lead + CRLF.join(chunk))
            shown += len(chunk)
            if shown >= len(lines):
                return
            await self._write(CRLF + self.term.pager())
            key = await self.keys.key()
            await self._write(self.term.erase_line())
            if key in (CTRL_C, ord("q"), ord("Q")):
                return
            # the erased pager row takes the next line, so no leading line break
            budget, lead = (1 if key in (CR, LF) else page), ""

    # -- Assist: what `?` and Tab mean here ------------------------------------------------

    def _split_partial(self, text: str) -> tuple[list[str], str]:
        tokens = tokenize(text)
        if text and not text[-1].isspace() and tokens:
            return tokens[:-1], tokens[-1]
        return tokens, ""

    def help(self, typed: str) -> str:
        tokens, partial = self._split_partial(typed)
        try:
            lines = self.table.help(tokens, partial, self.mode.kind, self._level)
        except ParseError as error:
            return str(error)
        return CRLF.join(help_line(line, self.term.width) for line in lines)

    def complete(self, typed: str) -> tuple[list[str], str]:
        tokens, partial = self._split_partial(typed)
        try:
            return self.table.complete(tokens, partial, self.mode.kind, self._level), partial
        except ParseError:
            return [], partial


HELP_TEXT_COLUMN = 23
"""Where `?` starts each description: a space, then the word in 22 columns."""
HELP_TEXT_MIN = 20
"""The narrowest description column, for terminals too narrow to hold the word column."""


def help_line(line: HelpLine, width: int) -> str:
    """One `?` entry; a description longer than the terminal is wrapped at a word boundary,
    its further lines starting under the first, as the switch prints them (never in the
    terminal's last column, where a VT100 would wrap on its own)."""
    room = max(width - 1 - HELP_TEXT_COLUMN, HELP_TEXT_MIN)
    parts = textwrap.wrap(line.text, room, break_on_hyphens=False) or [""]
    first = f" {line.word:<{HELP_TEXT_COLUMN - 1}}{parts[0]}".rstrip()
    return CRLF.join([first, *(" " * HELP_TEXT_COLUMN + part for part in parts[1:])])
