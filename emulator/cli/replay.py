"""The startup config read the way the switch reads it: as CLI commands. Each line runs
through the one command table in a session of its own (manager level, config context, nobody
at the keyboard), so a statement has one grammar row, one validator and one renderer.

A line the switch cannot take never aborts the boot: it is reported with the CLI's error text
and skipped, and the switch comes up with everything else - the behaviour of a real K.15 box
booting a hand-edited or foreign config. What only a file says is the replay's business:
`;` comment lines (the `; J8697A Configuration Editor; Created on release #K.15...` header)
and `exit`, which closes a `vlan`/`interface` context.
"""

from __future__ import annotations

from collections.abc import Coroutine
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final, TypeVar

from emulator.cli.context import CONFIG, EXEC, Level, Mode, ModeKind, mode_stack
from emulator.cli.dispatch import dispatch
from emulator.cli.grammar import CliError, Where
from emulator.cli.parser import CommandTable, ParseError, tokenize
from emulator.device import LineError

if TYPE_CHECKING:
    from emulator.device import Device

COMMENT: Final = ";"
EXIT: Final = "exit"
TRANSPORT: Final = "config"
WOULD_WAIT: Final = "Command not allowed in a configuration file."
"""A handler that waits (on the network, a peer module ...) has no place in a boot."""

T = TypeVar("T")


@dataclass
class ReplaySession:
    """The session the config runs in: manager level, never below the config context."""

    _modes: list[Mode] = field(default_factory=lambda: [EXEC, CONFIG])

    @property
    def level(self) -> Level:
        return Level.MANAGER

    @property
    def mode(self) -> Mode:
        return self._modes[-1]

    @property
    def transport(self) -> str:
        return TRANSPORT

    @property
    def session_number(self) -> int | None:
        return None

    @property
    def interactive(self) -> bool:
        return False

    def set_level(self, level: Level) -> None:
        """A file's lines all run at manager level."""

    def enter(self, mode: Mode) -> None:
        self._modes = mode_stack(CONFIG if mode.kind is ModeKind.EXEC else mode)

    def exit_mode(self) -> None:
        if self.mode.kind not in _TOP:
            self._modes.pop()

    def end(self) -> None:
        self._modes = [EXEC, CONFIG]

    def set_paging(self, on: bool) -> None:
        """No terminal to page."""

    def set_terminal(self, *, width: int | None = None, length: int | None = None) -> None:
        """No terminal to size."""

    async def confirm(self, question: str) -> bool:
        """A line in the config is meant (`no redundancy management-module` asks first)."""
        return True

    async def ask(self, prompt: str, *, echo: bool = True) -> str:
        raise CliError(WOULD_WAIT)

    async def emit(self, text: str) -> None:
        """Progress lines have no reader."""

    def hang_up(self) -> None:
        """There is no session to end."""

    def history(self) -> list[str]:
        """A file has no typed lines."""
        return []

    async def check_password(self, user: str, secret: str,
                             level: str | None = None) -> str | None:
        return None


_TOP: Final = (ModeKind.EXEC, ModeKind.CONFIG)


@dataclass(frozen=True)
class ConfigReplay:
    """Runs config text on a device through `table`; the refused lines come back."""

    table: CommandTable

    def __call__(self, device: Device, text: str) -> list[LineError]:
        session = ReplaySession()
        errors: list[LineError] = []
        refused_context: ModeKind | None = None
        """A context whose header was refused: its body is skipped quietly instead of
        repeating one mistake once per line."""
        for lineno, line in enumerate(text.splitlines(), start=1):
            if line.lstrip().startswith(COMMENT):
                continue
            tokens = tokenize(line)
            if not tokens:
                continue
            if tokens[0].lower() == EXIT and len(tokens) == 1:
                session.exit_mode()
                refused_context = None
                continue
            if refused_context is not None and self._in_context(tokens, refused_context):
                continue
            try:
                _run_now(dispatch(self.table, device, session, tokens, config_only=True))
                if session.mode.kind is not ModeKind.CONFIG:
                    refused_context = None
            except (ParseError, CliError) as error:
                errors.append(LineError(lineno, line, str(error)))
                refused_context = self.table.opens(tokens[0]) or refused_context
        return errors

    def _in_context(self, tokens: list[str], kind: ModeKind) -> bool:
        """Whether the line is a statement of a `kind` context (not a global one)."""
        try:
            match = self.table.match(tokens, kind, Level.MANAGER, config_only=True)
        except ParseError:
            return False
        return match.command.where is not Where.CONFIG


def _run_now(step: Coroutine[Any, Any, T]) -> T:
    """Runs a line without an event loop (boot is synchronous): a config statement only
    changes the device, so its coroutine finishes at the first step; one that would wait is
    refused."""
    try:
        step.send(None)
    except StopIteration as done:
        result: T = done.value
        return result
    step.close()
    raise CliError(WOULD_WAIT)
