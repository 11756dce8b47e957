"""`clear statistics PORT-LIST|global`: the port counters `show interfaces` prints restart
from zero (the CLI's view only: IF-MIB keeps counting from boot, as on the switch)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Final

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


HELP: Final = {
    "clear": "Clear table/statistics or authorized client public keys.",
    "statistics": "Reset the port counters.",
    "global": "Reset the counters of every port.",
}

ROWS: tuple[Command, ...] = (
    Command("clear statistics <port-list>", clear_statistics, level=Level.MANAGER,
            params={"port-list": PORT_LIST}),
    Command("clear statistics global", clear_statistics, level=Level.MANAGER),
)
