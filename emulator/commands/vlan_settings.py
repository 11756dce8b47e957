"""`ip igmp` and `voice` in the `vlan` context (`vlan 20 voice` in one line): per-VLAN flags
real configs carry, written in the VLAN's block and shown by `show vlans` (the Voice column).
Kept and written back; the fabric floods multicast and LLDP-MED is not spoken, so nothing
else reads them yet."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from emulator.cli.grammar import Command, Level, Where
from emulator.commands.vlan import context_vid

if TYPE_CHECKING:
    from emulator.cli.context import Call


def set_igmp(call: Call) -> None:
    call.device.running.vlan_set_igmp(context_vid(call), not call.negated)


def set_voice(call: Call) -> None:
    call.device.running.vlan_set_voice(context_vid(call), not call.negated)


HELP: Final = {
    "ip": "Configure various IP parameters for the VLAN.",
    "igmp": "Enable/disable IGMP snooping on this VLAN.",
    "voice": "Designate this VLAN as a voice VLAN.",
}

ROWS: Final = (
    Command("ip igmp", set_igmp, where=Where.VLAN, level=Level.MANAGER, negate=set_igmp),
    Command("voice", set_voice, where=Where.VLAN, level=Level.MANAGER, negate=set_voice),
)
