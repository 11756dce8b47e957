"""`show lldp info remote-device detail`: every neighbour's detail block, the screen
`show lldp info remote-device PORT-LIST` prints for the ports named (commands/lldp.py), for
all ports at once; ntc-templates' detail template reads either."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from emulator.cli.grammar import Command
from emulator.commands.format import SHOW_HELP
from emulator.commands.lldp import render_remote_detail

if TYPE_CHECKING:
    from emulator.cli.context import Call


def show_remote_detail(call: Call) -> str:
    return render_remote_detail(call.device, call.device.inventory.ports())


HELP: Final = {
    "show": SHOW_HELP,
    "detail": "Show detailed information of all remote devices.",
}

ROWS: tuple[Command, ...] = (
    Command("show lldp info remote-device detail", show_remote_detail),
)
