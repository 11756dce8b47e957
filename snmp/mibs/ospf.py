"""OSPF-MIB (RFC 1850): the general group, the area, interface and neighbour tables pollers
walk, from the OSPF engine's last answers (Device.ospf_state, FRR's JSON: emulator/ospf.py).
With OSPF off the general group says disabled and the tables are empty."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from typing import Any, Final

from emulator.config.model import BACKBONE
from snmp.ber import Oid
from snmp.mib import (
    Column,
    Snapshot,
    Table,
    counter32,
    gauge32,
    integer,
    ip_address,
    scalars,
    truth,
)

OSPF: Final = (1, 3, 6, 1, 2, 1, 14)
GENERAL: Final = (*OSPF, 1)
AREA_ENTRY: Final = (*OSPF, 2, 1)
IF_ENTRY: Final = (*OSPF, 7, 1)
NBR_ENTRY: Final = (*OSPF, 10, 1)
ENABLED, DISABLED = 1, 2
VERSION: Final = 2
ACTIVE: Final = 1
BROADCAST: Final = 1
IMPORT_EXTERNAL: Final = 1
NO_AREA_SUMMARY: Final = 1
DYNAMIC: Final = 2
IF_STATES: Final = {"Down": 1, "Loopback": 2, "Waiting": 3, "Point-To-Point": 4, "DR": 5,
                    "Backup": 6, "DROther": 7}
NBR_STATES: Final = {"Down": 1, "Attempt": 2, "Init": 3, "2-Way": 4, "ExStart": 5,
                     "Exchange": 6, "Loading": 7, "Full": 8}
MS: Final = 1000


def _packed(text: object) -> bytes:
    try:
        return ipaddress.IPv4Address(str(text).split("/")[0].strip()).packed
    except ValueError:
        return bytes(4)


def _general(snap: Snapshot) -> dict[str, Any]:
    return snap.device.ospf_state.get("general", {})


def _running(snap: Snapshot) -> bool:
    return bool(_general(snap)) and snap.device.running.ospf.enabled


def area_rows(snap: Snapshot) -> Iterator[tuple[Oid, tuple[str, dict[str, Any]]]]:
    for dotted, area in _general(snap).get("areas", {}).items():
        yield tuple(_packed(dotted)), (dotted, area)


def if_rows(snap: Snapshot) -> Iterator[tuple[Oid, dict[str, Any]]]:
    """Indexed by the interface's address and 0 (no unnumbered interfaces)."""
    interfaces = snap.device.ospf_state.get("interfaces", {}).get("interfaces", {})
    for interface in interfaces.values():
        if interface.get("ospfEnabled"):
            yield (*_packed(interface.get("ipAddress")), 0), interface


def nbr_rows(snap: Snapshot) -> Iterator[tuple[Oid, tuple[str, dict[str, Any]]]]:
    neighbors = snap.device.ospf_state.get("neighbors", {}).get("neighbors", {})
    for router, entries in neighbors.items():
        for entry in entries:
            yield (*_packed(entry.get("ifaceAddress")), 0), (router, entry)


def _nbr_state(entry: dict[str, Any]) -> int:
    return NBR_STATES.get(str(entry.get("nbrState", "")).split("/")[0], 1)


def _area_id(interface: dict[str, Any]) -> bytes:
    area = str(interface.get("area", "0.0.0.0")).split(" ")[0]
    return _packed("0.0.0.0" if area == BACKBONE else area)


TABLES: Final = (
    scalars(GENERAL, (
        Column(1, "ospfRouterId", lambda s: ip_address(_packed(_general(s).get("routerId")))),
        Column(2, "ospfAdminStat", lambda s: integer(ENABLED if _running(s) else DISABLED)),
        Column(3, "ospfVersionNumber", lambda s: integer(VERSION)),
        Column(4, "ospfAreaBdrRtrStatus",
               lambda s: truth(len(_general(s).get("areas", {})) > 1)),
        Column(5, "ospfASBdrRtrStatus", lambda s: truth(bool(_general(s).get("asbrRouter")))),
        Column(6, "ospfExternLsaCount",
               lambda s: gauge32(int(_general(s).get("lsaExternalCounter", 0)))),
        Column(7, "ospfExternLsaCksumSum",
               lambda s: integer(int(_general(s).get("lsaExternalChecksum", 0)))),
        Column(8, "ospfTOSSupport", lambda s: truth(False)),
    )),
    Table(AREA_ENTRY, (
        Column(1, "ospfAreaId", lambda a: ip_address(_packed(a[0]))),
        Column(2, "ospfAuthType", lambda a: integer(0)),
        Column(3, "ospfImportAsExtern", lambda a: integer(IMPORT_EXTERNAL)),
        Column(4, "ospfSpfRuns", lambda a: counter32(int(a[1].get("spfExecutedCounter", 0)))),
        Column(5, "ospfAreaBdrRtrCount", lambda a: gauge32(int(a[1].get("abrCount", 0)))),
        Column(6, "ospfAsBdrRtrCount", lambda a: gauge32(int(a[1].get("asbrCount", 0)))),
        Column(7, "ospfAreaLsaCount", lambda a: gauge32(int(a[1].get("lsaNumber", 0)))),
        Column(8, "ospfAreaLsaCksumSum", lambda a: integer(0)),
        Column(9, "ospfAreaSummary", lambda a: integer(NO_AREA_SUMMARY)),
        Column(10, "ospfAreaStatus", lambda a: integer(ACTIVE)),
    ), area_rows),
    Table(IF_ENTRY, (
        Column(1, "ospfIfIpAddress", lambda i: ip_address(_packed(i.get("ipAddress")))),
        Column(2, "ospfAddressLessIf", lambda i: integer(0)),
        Column(3, "ospfIfAreaId", lambda i: ip_address(_area_id(i))),
        Column(4, "ospfIfType", lambda i: integer(BROADCAST)),
        Column(5, "ospfIfAdminStat", lambda i: integer(ENABLED)),
        Column(6, "ospfIfRtrPriority", lambda i: integer(int(i.get("priority", 1)))),
        Column(7, "ospfIfTransitDelay", lambda i: integer(int(i.get("transmitDelaySecs", 1)))),
        Column(8, "ospfIfRetransInterval",
               lambda i: integer(int(i.get("timerRetransmitSecs", 5)))),
        Column(9, "ospfIfHelloInterval",
               lambda i: integer(int(i.get("timerMsecs", 10 * MS)) // MS)),
        Column(10, "ospfIfRtrDeadInterval", lambda i: integer(int(i.get("timerDeadSecs", 40)))),
        Column(12, "ospfIfState", lambda i: integer(IF_STATES.get(str(i.get("state")), 1))),
        Column(13, "ospfIfDesignatedRouter", lambda i: ip_address(_packed(i.get("drAddress")))),
        Column(14, "ospfIfBackupDesignatedRouter",
               lambda i: ip_address(_packed(i.get("bdrAddress")))),
        Column(17, "ospfIfStatus", lambda i: integer(ACTIVE)),
    ), if_rows),
    Table(NBR_ENTRY, (
        Column(1, "ospfNbrIpAddr", lambda n: ip_address(_packed(n[1].get("ifaceAddress")))),
        Column(2, "ospfNbrAddressLessIndex", lambda n: integer(0)),
        Column(3, "ospfNbrRtrId", lambda n: ip_address(_packed(n[0]))),
        Column(5, "ospfNbrPriority", lambda n: integer(int(n[1].get("nbrPriority", 1)))),
        Column(6, "ospfNbrState", lambda n: integer(_nbr_state(n[1]))),
        Column(7, "ospfNbrEvents", lambda n: counter32(int(n[1].get("stateChangeCounter", 0)))),
        Column(8, "ospfNbrLsRetransQLen",
               lambda n: gauge32(int(n[1].get("retransmitCounter", 0)))),
        Column(9, "ospfNbmaNbrStatus", lambda n: integer(ACTIVE)),
        Column(10, "ospfNbmaNbrPermanence", lambda n: integer(DYNAMIC)),
    ), nbr_rows),
)
