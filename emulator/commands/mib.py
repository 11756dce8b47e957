"""`getMIB` (manager level): the SNMP view of the switch read through the CLI, as
napalm-procurve uses it. Only the system group is served until the SNMP agent brings the
whole MIB view; unknown objects get the switch's `No such name.`"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from emulator import hardware
from emulator.cli.context import Call
from emulator.cli.grammar import CliError, Command, Level, Text
from emulator.device import Device

NO_SUCH_NAME: Final = "No such name."

SYSTEM_GROUP: Final[dict[str, Callable[[Device], str]]] = {
    "sysDescr.0": lambda d: hardware.SYS_DESCR,
    "sysObjectID.0": lambda d: hardware.SYS_OBJECT_ID,
    "sysUpTime.0": lambda d: f"{int(d.uptime() * 100):,}",
    "sysContact.0": lambda d: d.running.snmp_contact,
    "sysName.0": lambda d: d.running.hostname,
    "sysLocation.0": lambda d: d.running.snmp_location,
}

HELP: Final = {"getMIB": "Get and display MIB objects."}


def get_mib(call: Call) -> str:
    name = str(call.args["object"])
    lookup = {key.lower(): (key, value) for key, value in SYSTEM_GROUP.items()}
    found = lookup.get(name.lower())
    if found is None:
        raise CliError(NO_SUCH_NAME)
    key, value = found
    return f"{key} = {value(call.device)}"


ROWS: Final = (
    Command("getmib <object>", get_mib, level=Level.MANAGER, params={"object": Text("OBJECT")},
            help={"getmib": HELP["getMIB"]}),
)
