"""`getMIB`, `walkMIB` and `setMIB` (manager level): the SNMP agent's MIB view read and written
through the CLI, as napalm-procurve uses it. Objects are named as the switch names them
(`ifName.1`, `sysDescr.0`) or given as dotted OIDs; answers are `name.index = value` lines with
counters and gauges in thousands commas (INTEGERs plain: napalm-procurve reads `ifMtu` with
int()), MACs as spaced hex octets, time ticks in words and known OIDs by name. Errors are the
switch's: `No such name.` (getMIB) and `Cannot translate` (walkMIB)."""

from __future__ import annotations

import asyncio
from typing import Final

from emulator.cli.context import Call
from emulator.cli.grammar import CliError, Command, Level, Text
from emulator.commands.format import thousands
from emulator.device import Device
from snmp import ber
from snmp.ber import Oid
from snmp.mib import Snapshot, parse_oid
from snmp.mibs import view

NO_SUCH_NAME: Final = "No such name."
CANNOT_TRANSLATE: Final = "Cannot translate {name}"
BAD_VALUE: Final = "Bad value: {value}"
SET_FAILED: Final = "Error setting {name}: {status}"
TICKS_PER_SECOND: Final = 100
TICK_UNITS: Final = ((86_400, "days"), (60, "mins"), (1, "secs"))
"""How the switch words a TimeTicks value: the largest unit that fits (`65 days`, `82 mins`),
minutes counting up to a day."""
OID_NAMES: Final = {
    "1.3.6.1.4.1.11.2.3.7.8.3.1": "icfPowerSupplySensor",
    "1.3.6.1.4.1.11.2.3.7.8.3.2": "icfFanSensor",
    "1.3.6.1.4.1.11.2.3.7.8.3.3": "icfTemperatureSensor",
    "1.3.6.1.4.1.11.2.3.7.11.72": "hpSwitchJ9091A",
}
"""OID values the switch prints by name (HP-ICF-OID)."""
GROUPED_TAGS: Final = frozenset({ber.COUNTER32, ber.GAUGE32, ber.COUNTER64})
GROUPED_INTEGERS: Final = frozenset(f"{table}{column}" for table in ("hpLocalMem", "hpGlobalMem")
                                    for column in ("TotalBytes", "FreeBytes", "AllocBytes"))
"""INTEGER objects the switch nevertheless prints in thousands commas (napalm-procurve's
captures: `hpLocalMemAllocBytes.1 = 10,420,528` beside `ifMtu.1 = 1500`)."""
SET_ERRORS: Final = {ber.WRONG_TYPE: "wrongType", ber.WRONG_VALUE: "wrongValue",
                      ber.NOT_WRITABLE: "notWritable", ber.WRONG_LENGTH: "wrongLength"}
"""RFC 3416 error-status names setMIB reports."""
WALK_SLICE: Final = 2000
"""Instances walkMIB renders before letting the module's loop serve others: a walk of the
whole view with a full address table is a quarter of a million lines."""


def resolve(name: str) -> Oid | None:
    """`ifName.1` (a column name, case-insensitive, and an index) or a dotted OID."""
    head, _, rest = name.partition(".")
    found = view().names.get(head.lower())
    try:
        if found is not None:
            return (*found.oid, *(parse_oid(rest) if rest else ()))
        return parse_oid(name)
    except ValueError:
        return None


def label(oid: Oid) -> str:
    """`ifName.1` for an OID inside a named column, the dotted OID otherwise."""
    located = view().locate(oid)
    if located is None:
        return ".".join(map(str, oid))
    obj, index = located
    return ".".join([obj.column.name, *map(str, index)])


def render(oid: Oid, tag: int, data: object, column: str | None = None) -> str:
    """The value of `oid` (an instance of `column`, when the caller knows it) as getMIB
    prints it."""
    if isinstance(data, int):
        if tag == ber.TIMETICKS:
            seconds = data // TICKS_PER_SECOND
            size, unit = next((s, u) for s, u in TICK_UNITS if seconds >= s or s == 1)
            return f"{seconds // size} {unit}"
        if tag in GROUPED_TAGS or (column or label(oid).split(".")[0]) in GROUPED_INTEGERS:
            return thousands(data)
        return str(data)
    if isinstance(data, tuple):
        text = ".".join(map(str, data))
        return OID_NAMES.get(text, text)
    if isinstance(data, bytes):
        if tag == ber.IP_ADDRESS:
            return ".".join(map(str, data))
        if all(32 <= b < 127 for b in data):
            return data.decode()
        return " ".join(f"{b:02x}" for b in data)
    return ""


def get_value(device: Device, oid: Oid) -> str | None:
    """The printed value, or None when the instance does not exist."""
    value = view().get(Snapshot(device), oid)
    if value.tag in (ber.NO_SUCH_OBJECT, ber.NO_SUCH_INSTANCE):
        return None
    return render(oid, value.tag, value.data)


def get_mib(call: Call) -> str:
    oid = resolve(call.text("object"))
    value = None if oid is None else get_value(call.device, oid)
    if oid is None or value is None:
        raise CliError(NO_SUCH_NAME)
    return f"{label(oid)} = {value}"


async def walk_mib(call: Call) -> str:
    name = call.text("object")
    root = resolve(name)
    if root is None:
        raise CliError(CANNOT_TRANSLATE.format(name=name))
    lines: list[str] = []
    for obj, index, value in view().instances(Snapshot(call.device), root):
        column = obj.column.name
        lines.append(f"{'.'.join([column, *map(str, index)])} = "
                     f"{render((*obj.oid, *index), *value, column)}")
        if len(lines) % WALK_SLICE == 0:
            await asyncio.sleep(0)
    return "\n".join(lines)


def set_mib(call: Call) -> str:
    """Writes the running config as an SNMP SET with a manager community would."""
    name, kind, text = (call.text(k) for k in ("object", "type", "value"))
    oid = resolve(name)
    if oid is None:
        raise CliError(NO_SUCH_NAME)
    if kind.lower() == "-i":
        try:
            value = ber.Value(ber.INTEGER, int(text.replace(",", "")))
        except ValueError:
            raise CliError(BAD_VALUE.format(value=text)) from None
    else:
        value = ber.Value(ber.OCTET_STRING, text.encode())
    mib, snap = view(), Snapshot(call.device)
    if mib.get(snap, oid).tag in (ber.NO_SUCH_OBJECT, ber.NO_SUCH_INSTANCE):
        raise CliError(NO_SUCH_NAME)
    status, _ = mib.set(snap, call.device.running.copy(), [(oid, value)])
    if status != ber.NO_ERROR:
        raise CliError(SET_FAILED.format(name=name, status=SET_ERRORS.get(status, status)))
    mib.set(snap, call.device.running, [(oid, value)])
    return f"{label(oid)} = {get_value(call.device, oid)}"


HELP: Final = {
    "getmib": "Get and display MIB objects.",
    "walkmib": "Walk and display MIB objects.",
    "setmib": "Set MIB objects.",
}

ROWS: Final = (
    Command("getmib <object>", get_mib, level=Level.MANAGER,
            params={"object": Text("OBJECT")}),
    Command("walkmib <object>", walk_mib, level=Level.MANAGER,
            params={"object": Text("OBJECT")}),
    Command("setmib <object> {type: -i|-d} <value>", set_mib, level=Level.MANAGER,
            params={"object": Text("OBJECT"), "value": Text()}),
)
