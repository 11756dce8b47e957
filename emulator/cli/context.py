"""What a command handler is given: the matched arguments, the device, and the session it may
steer (modes, questions, paging). The session implements `SessionControl`; handlers never see
a transport."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from emulator.cli.grammar import Level, ModeKind

if TYPE_CHECKING:
    from emulator.device import Device


@dataclass(frozen=True)
class Mode:
    kind: ModeKind
    value: str | int | None = None

    def prompt(self, hostname: str, level: Level) -> str:
        if self.kind is ModeKind.EXEC:
            return f"{hostname}{'#' if level is Level.MANAGER else '>'} "
        if self.kind is ModeKind.CONFIG:
            return f"{hostname}(config)# "
        return f"{hostname}({self.kind.value}-{self.value})# "


EXEC = Mode(ModeKind.EXEC)
CONFIG = Mode(ModeKind.CONFIG)


class SessionControl(Protocol):
    @property
    def level(self) -> Level: ...

    @property
    def mode(self) -> Mode: ...

    @property
    def transport(self) -> str:
        """`ssh`, `telnet` or `console`."""
        ...

    def set_level(self, level: Level) -> None: ...

    def enter(self, mode: Mode) -> None: ...

    def exit_mode(self) -> None:
        """`exit`: context -> config -> exec; at exec level it is the logout question."""
        ...

    def end(self) -> None: ...

    def set_paging(self, on: bool) -> None: ...

    def set_terminal(self, *, width: int | None = None, length: int | None = None) -> None: ...

    async def confirm(self, question: str) -> bool:
        """Print `question` (e.g. `Do you want to continue [y/n]? `) and read one y/n key."""
        ...

    async def ask(self, prompt: str, *, echo: bool = True) -> str:
        """Print `prompt` and read one line (passwords with echo=False)."""
        ...

    async def emit(self, text: str) -> None:
        """Write text now, unpaged (progress lines of ping and the like)."""
        ...

    def hang_up(self) -> None:
        """End the session after this command."""
        ...

    async def check_password(self, user: str, secret: str,
                             level: str | None = None) -> str | None:
        """The level these credentials log in at (only `level` counts when given); None when
        refused, which the switch logs, delays and counts against the session."""
        ...


@dataclass(frozen=True)
class Call:
    device: Device
    session: SessionControl
    args: dict[str, object]
    words: tuple[str, ...]
    negated: bool = False

    def arg(self, name: str) -> object:
        return self.args[name]
