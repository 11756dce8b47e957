"""`clear statistics PORT-LIST|global`: the port counters `show interfaces` prints restart
from zero (the CLI's view only: IF-MIB keeps counting from boot, as on the switch).
`clear arp`: the dynamic entries of the switch's ARP table go (the in-band stack's neighbour
cache, emulator/inband.py); static ones stay, as `ip neigh flush` leaves permanent entries."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Final

from emulator import inband
from emulator.cli.grammar import PORT_LIST, Command, Level
from emulator.commands.format import installed_ports

if TYPE_CHECKING:
    from emulator.cli.context import Call


def clear_statistics(call: Call) -> None:
    device = call.device
    ports = (installed_ports(call.ports("port-list"), device) if "port-list" in call.args
             else device.inventory.ports())
    for port in ports:
        device.cleared_counters[port] = replace(device.ports[port].counters)


FLUSH_TIMEOUT: Final = 5.0
"""Seconds `ip neigh flush` may take before the command gives up on it."""


async def clear_arp(call: Call) -> None:
    device = call.device
    device.arp_table = [entry for entry in device.arp_table if not entry.dynamic]
    if device.mgmt_netns is not None:
        await inband.run(inband.ip_command(device.mgmt_netns, "-4", "neigh", "flush", "all"),
                         FLUSH_TIMEOUT)


HELP: Final = {
    "clear": "Clear table/statistics or authorized client public keys.",
    "statistics": "Reset the port counters.",
    "global": "Reset the counters of every port.",
    "arp": "Remove all dynamic ARP entries from the ARP table.",
}

ROWS: tuple[Command, ...] = (
    Command("clear statistics <port-list>", clear_statistics, level=Level.MANAGER,
            params={"port-list": PORT_LIST}),
    Command("clear statistics global", clear_statistics, level=Level.MANAGER),
    Command("clear arp", clear_arp, level=Level.MANAGER),
)
