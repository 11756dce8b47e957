"""What a command handler is given: the matched arguments, the device, and the session it may
steer (modes, questions, paging). The session implements `SessionControl`; handlers never see
a transport."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, IntEnum
from ipaddress import IPv4Address, IPv4Interface
from typing import TYPE_CHECKING, Protocol, TypeVar

if TYPE_CHECKING:
    from emulator.device import Device

T = TypeVar("T")


class Level(IntEnum):
    OPERATOR = 1
    MANAGER = 2


class ModeKind(Enum):
    EXEC = "exec"
    CONFIG = "config"
    VLAN = "vlan"
    INTERFACE = "eth"
    # --- access lists (commands/acl.py): the prompt names the kind of list, not the list ---
    ACL_STANDARD = "config-std-nacl"
    ACL_EXTENDED = "config-ext-nacl"
    # --- OSPF (commands/ospf.py): `router ospf` ---
    OSPF = "ospf"
    # --- OpenFlow (commands/openflow.py): `openflow`, and its `instance NAME` inside it ---
    OPENFLOW = "openflow"
    OPENFLOW_INSTANCE = "of-inst"


PARENTS: dict[ModeKind, ModeKind] = {ModeKind.OPENFLOW_INSTANCE: ModeKind.OPENFLOW}
"""Contexts opened inside another: their `exit` goes back to it, not to config."""


@dataclass(frozen=True)
class Mode:
    kind: ModeKind
    value: str | int | None = None

    def prompt(self, hostname: str, level: Level) -> str:
        if self.kind is ModeKind.EXEC:
            return f"{hostname}{'#' if level is Level.MANAGER else '>'} "
        if self.kind is ModeKind.CONFIG:
            return f"{hostname}(config)# "
        if self.kind in (ModeKind.ACL_STANDARD, ModeKind.ACL_EXTENDED, ModeKind.OSPF,
                         ModeKind.OPENFLOW):
            return f"{hostname}({self.kind.value})# "
        return f"{hostname}({self.kind.value}-{self.value})# "


EXEC = Mode(ModeKind.EXEC)
CONFIG = Mode(ModeKind.CONFIG)


def mode_stack(mode: Mode) -> list[Mode]:
    """The modes `exit` walks back through from `mode`: exec, config, the parent context of
    a nested one (`openflow` for an OpenFlow instance), the mode itself."""
    if mode.kind is ModeKind.EXEC:
        return [EXEC]
    if mode.kind is ModeKind.CONFIG:
        return [EXEC, CONFIG]
    parent = PARENTS.get(mode.kind)
    return [EXEC, CONFIG, *([Mode(parent)] if parent else []), mode]


class SessionControl(Protocol):
    @property
    def level(self) -> Level: ...

    @property
    def mode(self) -> Mode: ...

    @property
    def transport(self) -> str:
        """`ssh`, `telnet`, `console`, or `config` for the startup config's replay."""
        ...

    @property
    def session_number(self) -> int | None:
        """This session's number in `show telnet` (None for the startup config's replay)."""
        ...

    @property
    def interactive(self) -> bool:
        """False while the startup config is replayed: no one answers a question, and a line
        such as `password manager` states what the security files hold instead of asking."""
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

    def history(self) -> list[str]:
        """The lines typed before this one, oldest first (`show history`)."""
        ...

    async def check_password(self, user: str, secret: str,
                             level: str | None = None) -> str | None:
        """The level these credentials log in at (only `level` counts when given); None when
        refused, which the switch logs, delays and counts against the session."""
        ...


@dataclass(frozen=True)
class Call:
    """`args` holds what each parameter's type made of its token (grammar.py): the accessors
    hand a handler that Python type, checked, so no handler re-reads a token."""

    device: Device
    session: SessionControl
    args: dict[str, object]
    words: tuple[str, ...]
    negated: bool = False

    def value(self, name: str, kind: type[T], default: T | None = None) -> T:
        """A parameter of type `kind` (a family's own type too), checked; `default` when the
        line left an optional parameter out."""
        if name not in self.args and default is not None:
            return default
        value = self.args[name]
        assert isinstance(value, kind), f"{name} is {type(value).__name__}, not {kind.__name__}"
        return value

    def text(self, name: str, default: str | None = None) -> str:
        """A Text parameter, or the keyword chosen from a `{a|b}` group."""
        return self.value(name, str, default)

    def number(self, name: str, default: int | None = None) -> int:
        """An IntRange parameter."""
        return self.value(name, int, default)

    def ports(self, name: str) -> list[str]:
        """A PortList parameter: port names in chassis order."""
        return self.value(name, list)

    def address(self, name: str) -> IPv4Address:
        """An IpAddress parameter."""
        return self.value(name, IPv4Address)

    def interface(self, name: str) -> IPv4Interface:
        """An IpInterface parameter (`10.0.0.1/24`)."""
        return self.value(name, IPv4Interface)
