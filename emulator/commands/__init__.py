"""Command families: each module declares its grammar rows (`ROWS`) and keyword help
(`HELP`); `command_table()` assembles them into the one table every session shares.
A new family is one new module named in FAMILIES."""

from __future__ import annotations

import functools
from dataclasses import replace
from importlib import import_module
from typing import Final

from emulator.cli.grammar import Command
from emulator.cli.parser import CommandTable
from emulator.cli.replay import ConfigReplay

FAMILIES: Final = (
    "management",
    "modules",
    "mib",
    "running_config",
    "show_system",
    "show_interfaces",
    "show_ports",
    "show_environment",
    "show_tech",
    "show_lldp",
    "show_poe",
    "show_session",
    "clear",
    "show_cdp",
    "chassislocate",
    "port_settings",
    "vlan",
    "vlan_roles",
    "vlan_settings",
    "mac_address",
    "cdp",
    "console",
    "poe",
    "banner",
    "web_management",
    "clock",
    "system_settings",
    "ip",
    "dns",
    "lldp",
    "lldp_settings",
    "qos",
    "gvrp",
    "sflow",
    "dhcp_snooping",
    "openflow",
    "mirror",
    "fault_finder",
    "snmp_server",
    "snmpv3",
    "snmp_extras",
    "redundancy",
    # syslog and time (issue 17)
    "logging",
    "sntp",
    "file_transfer",
    # --- trunks and LACP ---
    "trunk",
    # --- loop protection ---
    "loop_protect",
    # --- spanning tree ---
    "spanning_tree",
    "acl",
    "dhcp_relay",
    # access control and AAA (issue 17)
    "access",
    "ssh",
    "aaa",
    "radius",
    "tacacs",
    "routing",
    "ospf",
)


@functools.cache
def command_table() -> CommandTable:
    """Built once per process and shared by every session, the startup config's replay and
    `copy command-output` (nothing changes a table once built); importing a single family
    does not pull in the rest. The lab's zygote builds it before it forks its switches
    (emulator/chassis/zygote.py), so theirs is one table in shared pages, ready at boot and
    at takeover. A family declares its keyword help once (`HELP`): each of its rows reads it
    first (a row's own `help` wins), so `name` is the VLAN's name in the vlan rows and the
    port's in the interface rows; words a family leaves out take the first family's text."""
    rows: list[Command] = []
    help_texts: dict[str, str] = {}
    for name in FAMILIES:
        family = import_module(f"{__name__}.{name}")
        family_help: dict[str, str] = getattr(family, "HELP", {})
        rows.extend(replace(row, help=family_help | row.help) for row in family.ROWS)
        for word, text in family_help.items():
            help_texts.setdefault(word, text)
    return CommandTable(rows, help_texts)


def startup_replay() -> ConfigReplay:
    """How a module reads its startup config: as CLI commands, through this table
    (`Device.boot(..., replay=startup_replay())`)."""
    return ConfigReplay(command_table())
