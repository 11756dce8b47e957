"""The command grammar as data: each command family declares `Command` rows; this file only
describes what a row is. The engine (parser.py) turns the rows into a tree, and the session
hands a matched row's handler a `Call`.

Syntax strings use a small notation so that a row reads like the manual's syntax line:
    word            a keyword (abbreviable, completed by Tab, listed by `?`)
    <name>          a parameter; its type is `Command.params[name]`
    [ ... ]         an optional group (expanded into the rows with and without it)
    {a|b|c}         a choice of keywords; the chosen keyword is in `Call.args[first word]`
                    unless the group is named: {name: a|b}
"""

from __future__ import annotations

import ipaddress
import itertools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Protocol

from emulator.cli.context import Call
from emulator.cli.context import Level as Level  # a row's level and context, re-exported
from emulator.cli.context import ModeKind as ModeKind
from emulator.hardware import PortListError, parse_port_list


class Where(Enum):
    """Where a row is accepted. EXEC rows work in every mode (a ProCurve runs `show` from
    config contexts too); CONFIG rows in config and in every context; context rows only
    inside their context."""

    EXEC = "exec"
    CONFIG = "config"
    VLAN = "vlan"
    INTERFACE = "eth"
    # --- access lists (commands/acl.py) ---
    ACL_STANDARD = "config-std-nacl"
    ACL_EXTENDED = "config-ext-nacl"
    # --- OSPF (commands/ospf.py) ---
    OSPF = "ospf"
    # --- OpenFlow (commands/openflow.py) ---
    OPENFLOW = "openflow"
    OPENFLOW_INSTANCE = "of-inst"


class ParamType(Protocol):
    """A typed parameter: `placeholder` is what `?` shows, `parse` raises ValueError."""

    @property
    def placeholder(self) -> str: ...

    def parse(self, token: str) -> object: ...


@dataclass(frozen=True)
class IntRange:
    low: int
    high: int
    label: str = ""

    @property
    def placeholder(self) -> str:
        return self.label or f"<{self.low}-{self.high}>"

    def parse(self, token: str) -> int:
        """ASCII digits only (a `-` first where the range goes below zero): str.isdigit()
        also passes "٣" (which int() reads as 3) and "²" (which it refuses); a token longer
        than the bounds' digits is out of range unread."""
        digits = token[1:] if token.startswith("-") and self.low < 0 else token
        widest = max(len(str(self.low)), len(str(self.high)))
        if (not digits.isascii() or not digits.isdigit() or len(token) > widest
                or not self.low <= int(token) <= self.high):
            raise ValueError(token)
        return int(token)


@dataclass(frozen=True)
class Text:
    """Any single token (quoted tokens may contain spaces)."""

    label: str = "ASCII-STR"
    max_length: int = 255

    @property
    def placeholder(self) -> str:
        return self.label

    def parse(self, token: str) -> str:
        if len(token) > self.max_length:
            raise ValueError(token)
        return token


@dataclass(frozen=True)
class IpAddress:
    label: str = "IP-ADDR"

    @property
    def placeholder(self) -> str:
        return self.label

    def parse(self, token: str) -> ipaddress.IPv4Address:
        try:
            return ipaddress.IPv4Address(token)
        except ValueError as exc:
            raise ValueError(token) from exc


@dataclass(frozen=True)
class Either:
    """What the first of `kinds` makes of the token (`source <IP_ADDR|VLAN-ID>`)."""

    kinds: tuple[ParamType, ...]
    label: str

    @property
    def placeholder(self) -> str:
        return self.label

    def parse(self, token: str) -> object:
        for kind in self.kinds:
            try:
                return kind.parse(token)
            except ValueError:
                continue
        raise ValueError(token)


@dataclass(frozen=True)
class IpInterface:
    """`10.0.0.1/24` (the mask form `10.0.0.1 255.255.255.0` is two tokens: see rows)."""

    label: str = "IP-ADDR/MASK-LENGTH"

    @property
    def placeholder(self) -> str:
        return self.label

    def parse(self, token: str) -> ipaddress.IPv4Interface:
        if "/" not in token:
            raise ValueError(token)
        try:
            return ipaddress.IPv4Interface(token)
        except ValueError as exc:
            raise ValueError(token) from exc


@dataclass(frozen=True)
class PortList:
    """`A1-A4,B2`: the port names in chassis order. Only the syntax is checked here (`A1-B3`
    is invalid input); whether the modules are installed is the handler's question, which the
    switch answers with its own error."""

    label: str = "[ethernet] PORT-LIST"

    @property
    def placeholder(self) -> str:
        return self.label

    def parse(self, token: str) -> list[str]:
        try:
            return parse_port_list(token)
        except PortListError as exc:
            raise ValueError(token) from exc


PORT_LIST = PortList()
VLAN_ID = IntRange(1, 4094, "VLAN-ID")


def any_order(*options: str) -> list[str]:
    """Syntax tails for options a statement takes in any order, each at most once (`snmpv3
    targetaddress ... udp-port 1162 taglist a`): one row per ordered choice of them."""
    return [" ".join(chosen) for size in range(len(options) + 1)
            for chosen in itertools.permutations(options, size)]


Output = str | None
Handler = Callable[["Call"], Output | Awaitable[Output]]


@dataclass(frozen=True)
class Command:
    """One grammar row.

    `run` handles the plain form; `negate` (if given) handles the `no ...` form. `enters`
    marks a row that opens a context (`vlan 10`, `interface A1`): the rest of the line, if
    any, is then parsed as a command inside that context without leaving the current mode.
    `help` maps a keyword of this row to its `?` text (keywords not listed take the shared
    text from the family's HELP table, then the engine's default).
    """

    syntax: str
    run: Handler | None
    where: Where = Where.EXEC
    level: Level = Level.OPERATOR
    params: dict[str, ParamType] = field(default_factory=dict)
    help: dict[str, str] = field(default_factory=dict)
    negate: Handler | None = None
    enters: ModeKind | None = None
    hidden: bool = False


class CliError(Exception):
    """A refusal printed to the user as-is (the switch's own error text); the session goes on."""
