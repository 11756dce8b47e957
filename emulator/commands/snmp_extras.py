"""SNMP statements real configs carry beyond the snmp_server and snmpv3 families:
`snmpv3 engineid "..."` (kept and written after the snmp-server lines; the agent keeps its own
engine ID) and `snmp-server contact "C" location "L"`, the one-line form K.15 configs use."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from emulator.cli.grammar import Command, Level, Text, Where
from emulator.commands.format import refused

if TYPE_CHECKING:
    from emulator.cli.context import Call


def set_engine_id(call: Call) -> None:
    with refused():
        call.device.running.set_snmpv3_engine_id(call.text("engine-id"))


def set_contact_and_location(call: Call) -> None:
    """The contact's parameter shares the name of the `snmp-server contact <text>` row's, so
    both rows are one path in the grammar tree. Both or neither is set: a bad location leaves
    the contact as it was."""
    candidate = call.device.running.copy()
    with refused():
        candidate.set_contact(call.text("text"))
        candidate.set_location(call.text("location-text"))
    call.device.running.set_contact(candidate.snmp_contact)
    call.device.running.set_location(candidate.snmp_location)


HELP: Final = {
    "engineid": "Set the SNMPv3 engine ID the saved credentials belong to.",
    "engine-id": "Colon-separated hexadecimal octets.",
    "location-text": "The system location.",
}

ROWS: Final = (
    Command("snmpv3 engineid <engine-id>", set_engine_id, where=Where.CONFIG,
            level=Level.MANAGER, params={"engine-id": Text()}),
    Command("snmp-server contact <text> location <location-text>",
            set_contact_and_location, where=Where.CONFIG, level=Level.MANAGER,
            params={"text": Text(), "location-text": Text()}),
)
