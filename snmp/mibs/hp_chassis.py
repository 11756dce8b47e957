"""HP-ICF-CHASSIS (slot and sensor tables) and the NETSWITCH-MIB CPU and memory objects that
LibreNMS and napalm's get_environment poll; the numbers are the ones `show system` and
`show cpu` print, so the CLI and SNMP agree."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

from emulator import hardware
from emulator.hardware import IDLE_CPU_PERCENT, MEMORY_FREE
from snmp.ber import Oid
from snmp.mib import (
    Column,
    Snapshot,
    Table,
    counter32,
    integer,
    object_id,
    octets,
    scalars,
    timeticks,
)
from snmp.mibs.entity import module_vendor_type

HPICF_CHASSIS: Final = (1, 3, 6, 1, 4, 1, 11, 2, 14, 11, 1, 2)
SLOT_ENTRY: Final = (*HPICF_CHASSIS, 3, 1)
SENSOR_ENTRY: Final = (*HPICF_CHASSIS, 6, 1)
ICF_SENSORS: Final = (1, 3, 6, 1, 4, 1, 11, 2, 3, 7, 8, 3)
POWER_SUPPLY, FAN, TEMPERATURE = (*ICF_SENSORS, 1), (*ICF_SENSORS, 2), (*ICF_SENSORS, 3)
GOOD, NOT_PRESENT = 4, 5
SENSORS: Final = (
    (FAN, "Fan Sensor", GOOD),
    (POWER_SUPPLY, "Power Supply 1 Sensor", GOOD),
    (POWER_SUPPLY, "Power Supply 2 Sensor", GOOD),
    (POWER_SUPPLY, "Power Supply 3 Sensor", NOT_PRESENT),
    (POWER_SUPPLY, "Power Supply 4 Sensor", NOT_PRESENT),
    (TEMPERATURE, "Over-temperature Sensor", GOOD),
)
"""(hpicfSensorObjectId, hpicfSensorDescr, hpicfSensorStatus) of an 8212zl with two of its
four power supplies fitted; descriptions as in real walks."""

NETSWITCH: Final = (1, 3, 6, 1, 4, 1, 11, 2, 14, 11, 5, 1)
CPU_STAT: Final = (*NETSWITCH, 9, 6)
SWITCH_INFO: Final = (*NETSWITCH, 1)
"""hpSwitchOsVersion (.3) is here: pollers read the firmware version from it."""
SEMI_HTTP_MANAGEABLE: Final = (1, 3, 6, 1, 4, 1, 11, 2, 36, 1, 1, 2)
"""SEMI-MIB's hpHttpMgDeviceInfo: hpHttpMgSerialNumber (.9), where pollers find the serial."""
LOCAL_MEM_ENTRY: Final = (*NETSWITCH, 1, 2, 1, 1, 1)
GLOBAL_MEM_ENTRY: Final = (*NETSWITCH, 1, 2, 2, 1, 1)
MEMORY_SLABS: Final = (3966, 166, 3803)
"""hpLocalMemSlabCnt, FreeSegCnt, AllocSegCnt (a real zl walk's figures)."""


def slot_rows(snap: Snapshot) -> Iterator[tuple[Oid, tuple[int, str]]]:
    for number, slot in enumerate(hardware.SLOTS, 1):
        product = snap.device.inventory.modules.get(slot)
        if product is not None:
            yield (number,), (number, product)


def sensor_rows(snap: Snapshot) -> Iterator[tuple[Oid, tuple[int, Oid, str, int]]]:
    for number, (kind, descr, status) in enumerate(SENSORS, 1):
        yield (number,), (number, kind, descr, status)


def memory_rows(snap: Snapshot) -> Iterator[tuple[Oid, int]]:
    yield (1,), 1


MEMORY_COLUMNS: Final = (
    Column(1, "SlotIndex", lambda n: integer(n)),
    Column(2, "SlabCnt", lambda n: counter32(MEMORY_SLABS[0])),
    Column(3, "FreeSegCnt", lambda n: counter32(MEMORY_SLABS[1])),
    Column(4, "AllocSegCnt", lambda n: counter32(MEMORY_SLABS[2])),
    Column(5, "TotalBytes", lambda n: integer(hardware.MEMORY_TOTAL)),
    Column(6, "FreeBytes", lambda n: integer(MEMORY_FREE)),
    Column(7, "AllocBytes", lambda n: integer(hardware.MEMORY_TOTAL - MEMORY_FREE)),
)


def _memory(prefix: str) -> tuple[Column, ...]:
    return tuple(Column(c.sub, f"{prefix}{c.name}", c.get) for c in MEMORY_COLUMNS)


TABLES: Final = (
    scalars(HPICF_CHASSIS, (Column(2, "hpicfChassisNumSlots",
                                   lambda s: integer(len(hardware.SLOTS))),)),
    Table(SLOT_ENTRY, (
        Column(1, "hpicfSlotIndex", lambda r: integer(r[0])),
        Column(2, "hpicfSlotObjectId",
               lambda r: object_id(module_vendor_type(r[1]))),
        Column(3, "hpicfSlotLastChange", lambda r: timeticks(0)),
        Column(4, "hpicfSlotDescr",
               lambda r: octets(hardware.MODULE_TYPES[r[1]].description)),
    ), slot_rows),
    Table(SENSOR_ENTRY, (
        Column(1, "hpicfSensorIndex", lambda r: integer(r[0])),
        Column(2, "hpicfSensorObjectId", lambda r: object_id(r[1])),
        Column(3, "hpicfSensorNumber", lambda r: integer(1)),
        Column(4, "hpicfSensorStatus", lambda r: integer(r[3])),
        Column(5, "hpicfSensorWarnings", lambda r: counter32(0)),
        Column(6, "hpicfSensorFailures", lambda r: counter32(0)),
        Column(7, "hpicfSensorDescr", lambda r: octets(r[2])),
    ), sensor_rows),
    scalars(SWITCH_INFO, (Column(3, "hpSwitchOsVersion",
                                 lambda s: octets(s.device.software_version())),)),
    scalars(CPU_STAT, (Column(1, "hpSwitchCpuStat", lambda s: integer(IDLE_CPU_PERCENT)),)),
    Table(LOCAL_MEM_ENTRY, _memory("hpLocalMem"), memory_rows),
    Table(GLOBAL_MEM_ENTRY, _memory("hpGlobalMem"), memory_rows),
    scalars(SEMI_HTTP_MANAGEABLE, (Column(9, "hpHttpMgSerialNumber",
                                          lambda s: octets(s.device.inventory.serial)),)),
)
