"""Command families: each module declares its grammar rows (`ROWS`) and keyword help
(`HELP`); `command_table()` assembles them into the one table every session shares.
A new family is one new module added to FAMILIES."""

from __future__ import annotations

from types import ModuleType

from emulator.cli.parser import CommandTable
from emulator.commands import (
    ip,
    lldp,
    mac_address,
    management,
    running_config,
    show_interfaces,
    show_system,
    snmp_server,
    vlan,
)

FAMILIES: tuple[ModuleType, ...] = (
    management,
    running_config,
    show_system,
    show_interfaces,
    vlan,
    mac_address,
    ip,
    lldp,
    snmp_server,
)


def command_table() -> CommandTable:
    rows = [row for family in FAMILIES for row in family.ROWS]
    help_texts: dict[str, str] = {}
    for family in FAMILIES:
        for word, text in getattr(family, "HELP", {}).items():
            help_texts.setdefault(word, text)
    return CommandTable(rows, help_texts)
