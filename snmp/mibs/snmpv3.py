"""The SNMPv3 architecture's own objects: snmpEngine (SNMP-FRAMEWORK-MIB, RFC 3411), the
message processing and USM error counters (SNMP-MPD-MIB, SNMP-USER-BASED-SM-MIB) and
snmpUnknownContexts (SNMP-TARGET-MIB). Managers read snmpEngineID/Boots/Time to check the
engine they talk to; the counters are the ones the reports in snmp/usm.py carry."""

from __future__ import annotations

from typing import Final

from snmp.ber import MAX_MESSAGE
from snmp.mib import Column, counter32, integer, octets, scalars
from snmp.users import engine_id
from snmp.usm import (
    MPD_COUNTERS,
    MPD_STATS,
    UNKNOWN_CONTEXTS,
    UNKNOWN_CONTEXTS_OID,
    USM_COUNTERS,
    USM_STATS,
)

SNMP_ENGINE: Final = (1, 3, 6, 1, 6, 3, 10, 2, 1)


def _counter(sub: int, name: str) -> Column:
    return Column(sub, name, lambda s: counter32(s.device.snmp_counters.get(name, 0)))


def _counters(group: dict[int, str]) -> tuple[Column, ...]:
    return tuple(_counter(sub, name) for sub, name in group.items())


ENGINE_COLUMNS: Final = (
    Column(1, "snmpEngineID", lambda s: octets(engine_id(s.device.inventory))),
    Column(2, "snmpEngineBoots", lambda s: integer(s.device.snmp_counters.get("snmpEngineBoots",
                                                                              1))),
    Column(3, "snmpEngineTime", lambda s: integer(s.device.engine_time())),
    Column(4, "snmpEngineMaxMessageSize", lambda s: integer(MAX_MESSAGE)),
)

TABLES: Final = (
    scalars(SNMP_ENGINE, ENGINE_COLUMNS),
    scalars(MPD_STATS, _counters(MPD_COUNTERS)),
    scalars(UNKNOWN_CONTEXTS_OID[:-2], _counters({UNKNOWN_CONTEXTS_OID[-2]: UNKNOWN_CONTEXTS})),
    scalars(USM_STATS, _counters(USM_COUNTERS)),
)
