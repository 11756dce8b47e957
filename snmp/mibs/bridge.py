"""BRIDGE-MIB (RFC 4188) and Q-BRIDGE-MIB (RFC 4363) over the running VLANs and the fabric's
address table. dot1dBasePort equals the port's ifIndex, as on ProCurve switches, so PortList
bitmaps set bit ifIndex (most significant bit of the first octet is port 1)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Final

from emulator import hardware
from emulator.config.model import DEFAULT_VLAN_ID, MAX_VID, Vlan
from emulator.device import MacEntry
from snmp.ber import Oid
from snmp.mib import (
    Column,
    Snapshot,
    Table,
    counter32,
    gauge32,
    integer,
    object_id,
    octets,
    scalars,
    timeticks,
)
from snmp.mibs.if_mib import PortRow, port_rows

DOT1D_BRIDGE: Final = (1, 3, 6, 1, 2, 1, 17)
DOT1D_BASE: Final = (*DOT1D_BRIDGE, 1)
DOT1D_BASE_PORT_ENTRY: Final = (*DOT1D_BRIDGE, 1, 4, 1)
DOT1D_TP: Final = (*DOT1D_BRIDGE, 4)
DOT1D_TP_FDB_ENTRY: Final = (*DOT1D_BRIDGE, 4, 3, 1)
Q_BRIDGE: Final = (*DOT1D_BRIDGE, 7, 1)
DOT1Q_BASE: Final = (*Q_BRIDGE, 1)
DOT1Q_TP_FDB_ENTRY: Final = (*Q_BRIDGE, 2, 2, 1)
DOT1Q_VLAN: Final = (*Q_BRIDGE, 4)
DOT1Q_VLAN_CURRENT_ENTRY: Final = (*Q_BRIDGE, 4, 2, 1)
DOT1Q_VLAN_STATIC_ENTRY: Final = (*Q_BRIDGE, 4, 3, 1)
DOT1Q_PORT_VLAN_ENTRY: Final = (*Q_BRIDGE, 4, 5, 1)

TRANSPARENT_ONLY: Final = 2
LEARNED: Final = 3
PERMANENT: Final = 2
ROW_ACTIVE: Final = 1
ADMIT_ALL: Final = 1
FALSE: Final = 2
VLAN_VERSION: Final = 1
GVRP_DISABLED: Final = 2
PORT_LIST_OCTETS: Final = -(-(hardware.TRUNK_IF_INDEX_BASE + hardware.MAX_TRUNKS) // 8)
"""A PortList's bit n-1 is the port whose ifIndex is n: every port, then every trunk (trunks
and LACP, commands/trunk.py)."""


def port_list(ports: Iterable[str]) -> bytes:
    bits = bytearray(PORT_LIST_OCTETS)
    for port in ports:
        index = hardware.if_index(port) - 1
        bits[index // 8] |= 0x80 >> (index % 8)
    return bytes(bits)


def base_port_rows(snap: Snapshot) -> Iterator[tuple[Oid, PortRow]]:
    for row in port_rows(snap):
        yield (row.index,), row


def _fdb(entries: list[MacEntry]) -> Iterator[tuple[Oid, MacEntry]]:
    for entry in entries:
        yield tuple(hardware.mac_bytes(entry.mac)), entry


def fdb_rows(snap: Snapshot) -> Iterator[tuple[Oid, MacEntry]]:
    """dot1dTpFdbTable is indexed by MAC alone: the first VLAN's entry stands for the MAC
    (the fabric lists the table by VID), later ones are left out."""
    seen: set[Oid] = set()
    for key, entry in _fdb(snap.device.mac_table):
        if key not in seen:
            seen.add(key)
            yield key, entry


def q_fdb_rows(snap: Snapshot) -> Iterator[tuple[Oid, MacEntry]]:
    """dot1qTpFdbTable: (FDB id = VLAN id, MAC), independent VLAN learning."""
    for key, entry in _fdb(snap.device.mac_table):
        yield (entry.vlan, *key), entry


def vlan_rows(snap: Snapshot) -> Iterator[tuple[Oid, Vlan]]:
    for vid, vlan in snap.device.running.vlans.items():
        yield (vid,), vlan


def vlan_current_rows(snap: Snapshot) -> Iterator[tuple[Oid, Vlan]]:
    """Indexed (dot1qVlanTimeMark, vid); the time mark of a static VLAN is 0."""
    for vid, vlan in snap.device.running.vlans.items():
        yield (0, vid), vlan


def _pvid(row: PortRow) -> int:
    """dot1qPvid is 1..4094 (no real walk of a ProCurve shows 0): a port untagged in no VLAN
    answers the default VLAN, the safe in-range answer, since its untagged frames have no VLAN
    of their own."""
    return row.snap.device.running.pvid(row.port) or DEFAULT_VLAN_ID


def _bridge_mac(snap: Snapshot) -> bytes:
    return hardware.mac_bytes(snap.device.inventory.base_mac)


def _egress(vlan: Vlan) -> bytes:
    return port_list(vlan.untagged | vlan.tagged)


TABLES: Final = (
    scalars(DOT1D_BASE, (
        Column(1, "dot1dBaseBridgeAddress", lambda s: octets(_bridge_mac(s))),
        Column(2, "dot1dBaseNumPorts", lambda s: integer(len(s.device.ports))),
        Column(3, "dot1dBaseType", lambda s: integer(TRANSPARENT_ONLY)),
    )),
    Table(DOT1D_BASE_PORT_ENTRY, (
        Column(1, "dot1dBasePort", lambda r: integer(r.index)),
        Column(2, "dot1dBasePortIfIndex", lambda r: integer(r.index)),
        Column(3, "dot1dBasePortCircuit", lambda r: object_id((0, 0))),
        Column(4, "dot1dBasePortDelayExceededDiscards", lambda r: counter32(0)),
        Column(5, "dot1dBasePortMtuExceededDiscards", lambda r: counter32(0)),
    ), base_port_rows),
    scalars(DOT1D_TP, (
        Column(2, "dot1dTpAgingTime", lambda s: integer(s.device.running.mac_age)),
    )),
    Table(DOT1D_TP_FDB_ENTRY, (
        Column(1, "dot1dTpFdbAddress", lambda e: octets(hardware.mac_bytes(e.mac))),
        Column(2, "dot1dTpFdbPort", lambda e: integer(hardware.if_index(e.port))),
        Column(3, "dot1dTpFdbStatus", lambda e: integer(LEARNED)),
    ), fdb_rows, live=True),
    scalars(DOT1Q_BASE, (
        Column(1, "dot1qVlanVersionNumber", lambda s: integer(VLAN_VERSION)),
        Column(2, "dot1qMaxVlanId", lambda s: integer(MAX_VID)),
        Column(3, "dot1qMaxSupportedVlans", lambda s: gauge32(hardware.MAX_VLANS)),
        Column(4, "dot1qNumVlans", lambda s: gauge32(len(s.device.running.vlans))),
        Column(5, "dot1qGvrpStatus", lambda s: integer(GVRP_DISABLED)),
    )),
    Table(DOT1Q_TP_FDB_ENTRY, (
        Column(2, "dot1qTpFdbPort", lambda e: integer(hardware.if_index(e.port))),
        Column(3, "dot1qTpFdbStatus", lambda e: integer(LEARNED)),
    ), q_fdb_rows, live=True),
    scalars(DOT1Q_VLAN, (
        Column(1, "dot1qVlanNumDeletes", lambda s: counter32(0)),
    )),
    Table(DOT1Q_VLAN_CURRENT_ENTRY, (
        Column(3, "dot1qVlanFdbId", lambda v: gauge32(v.vid)),
        Column(4, "dot1qVlanCurrentEgressPorts", lambda v: octets(_egress(v))),
        Column(5, "dot1qVlanCurrentUntaggedPorts", lambda v: octets(port_list(v.untagged))),
        Column(6, "dot1qVlanStatus", lambda v: integer(PERMANENT)),
        Column(7, "dot1qVlanCreationTime", lambda v: timeticks(0)),
    ), vlan_current_rows),
    Table(DOT1Q_VLAN_STATIC_ENTRY, (
        Column(1, "dot1qVlanStaticName", lambda v: octets(v.name)),
        Column(2, "dot1qVlanStaticEgressPorts", lambda v: octets(_egress(v))),
        Column(3, "dot1qVlanForbiddenEgressPorts", lambda v: octets(port_list(()))),
        Column(4, "dot1qVlanStaticUntaggedPorts", lambda v: octets(port_list(v.untagged))),
        Column(5, "dot1qVlanStaticRowStatus", lambda v: integer(ROW_ACTIVE)),
    ), vlan_rows),
    Table(DOT1Q_PORT_VLAN_ENTRY, (
        Column(1, "dot1qPvid", lambda r: gauge32(_pvid(r))),
        Column(2, "dot1qPortAcceptableFrameTypes", lambda r: integer(ADMIT_ALL)),
        Column(3, "dot1qPortIngressFiltering", lambda r: integer(FALSE)),
        Column(4, "dot1qPortGvrpStatus", lambda r: integer(GVRP_DISABLED)),
    ), base_port_rows),
)
