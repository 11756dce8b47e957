"""SNMPv2-MIB (RFC 3418): the system group (identity from hardware.py, name/contact/location
from the running config, writable as the switch allows) and the snmp group counters."""

from __future__ import annotations

from typing import Final

from emulator import hardware
from emulator.config.model import SwitchConfig
from snmp.ber import Value
from snmp.mib import (
    Column,
    Row,
    Snapshot,
    counter32,
    integer,
    object_id,
    octets,
    parse_oid,
    scalars,
    text_of,
    timeticks,
)

SYSTEM: Final = (1, 3, 6, 1, 2, 1, 1)
SNMP_GROUP: Final = (1, 3, 6, 1, 2, 1, 11)
SYS_SERVICES: Final = 74
"""Layers 2, 4 and 7 (physical bridge with management), as ProCurve switches report."""
def _set_contact(config: SwitchConfig, row: Row, value: Value) -> None:
    config.set_contact(text_of(value))


def _set_name(config: SwitchConfig, row: Row, value: Value) -> None:
    config.set_hostname(text_of(value))


def _set_location(config: SwitchConfig, row: Row, value: Value) -> None:
    config.set_location(text_of(value))


SYSTEM_COLUMNS: Final = (
    Column(1, "sysDescr", lambda s: octets(s.device.sys_descr())),
    Column(2, "sysObjectID", lambda s: object_id(parse_oid(hardware.SYS_OBJECT_ID))),
    Column(3, "sysUpTime", lambda s: timeticks(s.uptime)),
    Column(4, "sysContact", lambda s: octets(s.device.running.snmp_contact), _set_contact),
    Column(5, "sysName", lambda s: octets(s.device.running.hostname), _set_name),
    Column(6, "sysLocation", lambda s: octets(s.device.running.snmp_location), _set_location),
    Column(7, "sysServices", lambda s: integer(SYS_SERVICES)),
)

SNMP_COUNTERS: Final = {
    1: "snmpInPkts", 2: "snmpOutPkts", 3: "snmpInBadVersions", 4: "snmpInBadCommunityNames",
    5: "snmpInBadCommunityUses", 6: "snmpInASNParseErrs", 8: "snmpInTooBigs",
    9: "snmpInNoSuchNames", 10: "snmpInBadValues", 11: "snmpInReadOnlys", 12: "snmpInGenErrs",
    13: "snmpInTotalReqVars", 14: "snmpInTotalSetVars", 15: "snmpInGetRequests",
    16: "snmpInGetNexts", 17: "snmpInSetRequests", 18: "snmpInGetResponses", 19: "snmpInTraps",
    20: "snmpOutTooBigs", 21: "snmpOutNoSuchNames", 22: "snmpOutBadValues",
    24: "snmpOutGenErrs", 25: "snmpOutGetRequests", 26: "snmpOutGetNexts",
    27: "snmpOutSetRequests", 28: "snmpOutGetResponses", 29: "snmpOutTraps",
    31: "snmpSilentDrops", 32: "snmpProxyDrops",
}
"""The snmp group's Counter32 objects by sub-identifier (7 and 23 are not used by RFC 1213)."""


def _counter(name: str) -> Column:
    return Column(next(k for k, v in SNMP_COUNTERS.items() if v == name), name,
                  lambda s: counter32(s.device.snmp_counters.get(name, 0)))


def _authen_traps(snap: Snapshot) -> Value:
    """snmpEnableAuthenTraps: enabled(1) / disabled(2), `snmp-server enable traps
    authentication` in the config."""
    return integer(1 if snap.device.running.snmp_auth_traps else 2)


TABLES: Final = (
    scalars(SYSTEM, SYSTEM_COLUMNS),
    scalars(SNMP_GROUP, (*(_counter(name) for name in SNMP_COUNTERS.values()),
                         Column(30, "snmpEnableAuthenTraps", _authen_traps))),
)
