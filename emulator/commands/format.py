"""Helpers every command family shares, kept in one place so that the families print numbers,
`label : value` blocks and port-list refusals the same way the switch does everywhere.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from emulator.cli.grammar import CliError
from emulator.config.model import PORT_NOT_PRESENT, ConfigError

if TYPE_CHECKING:
    from emulator.device import Device

SHOW_HELP: Final = "Display switch operation information."
"""`show` appears in most families; its `?` text must read the same in all of them."""


def thousands(number: int) -> str:
    """Counters and byte sizes print with thousands commas (`128,380,928`)."""
    return f"{number:,}"


def yes_no(flag: bool) -> str:
    return "Yes" if flag else "No"


@dataclass(frozen=True)
class Fields:
    """A ProCurve `label : value` block: labels padded to `width`, then ` : `; an optional
    right-hand pair starts at column `right_at` with its value padded to `right_value_width`
    (the real screens keep that padding, parsers accept it)."""

    indent: int
    width: int
    right_at: int = 0
    right_value_width: int = 0

    def line(self, label: str, value: str = "", right: tuple[str, str] | None = None) -> str:
        left = " " * self.indent + (f"{label:<{self.width}} : {value}" if label else "")
        if right is None:
            return left
        right_label, right_value = right
        return (f"{left:<{self.right_at}}{right_label:<{self.width}} : "
                f"{right_value:<{self.right_value_width}}")


def installed_ports(ports: list[str], device: Device) -> list[str]:
    """The ports of a well-formed list (grammar.PortList), or the switch's refusal of the first
    one whose module is not installed."""
    for port in ports:
        if not device.inventory.has_port(port):
            raise CliError(PORT_NOT_PRESENT.format(port=port))
    return ports


def port_label(device: Device, port: str) -> str:
    """A port as the port screens name it: a trunk member as `D1-Trk1` (trunks and LACP,
    commands/trunk.py)."""
    trunk = device.running.trunk_of(port)
    return port if trunk is None else f"{port}-{trunk}"


def member_ports(ports: list[str], device: Device) -> list[str]:
    """`installed_ports` where a trunk may stand for a port (a VLAN's members): `Trk1` is
    taken while the trunk exists (trunks and LACP, commands/trunk.py)."""
    installed_ports([port for port in ports if port not in device.running.trunks], device)
    return ports


@contextmanager
def refused() -> Iterator[None]:
    """The config model speaks the switch's error texts; the CLI prints them as they are."""
    try:
        yield
    except ConfigError as exc:
        raise CliError(str(exc)) from exc
