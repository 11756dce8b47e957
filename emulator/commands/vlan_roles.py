"""`primary-vlan N` and `management-vlan N`: the VLAN the switch reads DHCP-learnt settings on
and the one reserved for management, written after the VLAN blocks and shown at the head of
`show vlans`. Kept and written back; the in-band management plane does not filter by them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from emulator.cli.grammar import VLAN_ID, Command, Level, Where
from emulator.commands.format import refused

if TYPE_CHECKING:
    from emulator.cli.context import Call


def set_primary(call: Call) -> None:
    with refused():
        call.device.running.set_primary_vlan(call.number("vlan-id"))


def set_management(call: Call) -> None:
    with refused():
        call.device.running.set_management_vlan(call.number("vlan-id"))


def clear_management(call: Call) -> None:
    call.device.running.set_management_vlan(None)


HELP: Final = {
    "primary-vlan": "Change the primary VLAN.",
    "management-vlan": "Set the management VLAN.",
    "vlan-id": "The VLAN identifier.",
}

ROWS: Final = (
    Command("primary-vlan <vlan-id>", set_primary, where=Where.CONFIG, level=Level.MANAGER,
            params={"vlan-id": VLAN_ID}),
    Command("management-vlan <vlan-id>", set_management, where=Where.CONFIG,
            level=Level.MANAGER, params={"vlan-id": VLAN_ID}, negate=clear_management),
    Command("management-vlan", None, where=Where.CONFIG, level=Level.MANAGER,
            negate=clear_management),
)
