"""IEEE8023-LAG-MIB (IEEE 802.3 annex 30C): the LACP trunks (aggregators, indexed by the
trunk's ifIndex) and every port that speaks LACP (indexed by its ifIndex) with both ends'
system, key, port and state, which aggregator it selected and is attached to, and its LACPDU
counts. Topology tools read dot3adAggPortAttachedAggID to tell which ports form a trunk.

The values are the fabric's LACP engine's (emulator/fabric/lacp.py), read like the other live
tables; a static trunk (`trunk ... trunk`) speaks no LACP and has no row here, as 802.3ad
aggregators are what the MIB describes. An aggregator's port list is its LACP ports."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final

from emulator import hardware
from emulator.fabric.lacp import PORT_PRIORITY, SYSTEM_PRIORITY, LacpStatus
from snmp.ber import Oid
from snmp.mib import Column, Snapshot, Table, counter32, integer, octets, truth
from snmp.mibs.bridge import port_list

LAG_MIB_OBJECTS: Final = (1, 2, 840, 10006, 300, 43, 1)
AGG_ENTRY: Final = (*LAG_MIB_OBJECTS, 1, 1, 1)
AGG_PORT_LIST_ENTRY: Final = (*LAG_MIB_OBJECTS, 1, 2, 1)
AGG_PORT_ENTRY: Final = (*LAG_MIB_OBJECTS, 2, 1, 1)
AGG_PORT_STATS_ENTRY: Final = (*LAG_MIB_OBJECTS, 2, 2, 1)
LACP_KIND: Final = "lacp"


@dataclass(frozen=True)
class Aggregator:
    snap: Snapshot
    trunk: str
    members: list[LacpStatus]

    @property
    def partner(self) -> LacpStatus | None:
        """The member whose partner the aggregator follows (the first bundled one)."""
        return next((m for m in self.members if m.partner), None)


@dataclass(frozen=True)
class AggPort:
    snap: Snapshot
    status: LacpStatus


def lacp_state(octet: int) -> bytes:
    """LacpState is BITS: the MIB's bit 0 (lacpActivity) is the first octet's high bit, where
    the LACPDU carries Activity in its low bit."""
    return bytes([int(f"{octet & 0xFF:08b}"[::-1], 2)])


def _system(snap: Snapshot) -> bytes:
    return hardware.mac_bytes(snap.device.inventory.base_mac)


def _aggregator_of(status: LacpStatus) -> int:
    """The ifIndex of the trunk the port belongs to (its own for a dynamic LACP port that has
    formed no trunk)."""
    return hardware.if_index(status.trunk)


def aggregators(snap: Snapshot) -> Iterator[tuple[Oid, Aggregator]]:
    """The LACP trunks of the config (TrkN ... lacp) and the dynamic ones LACP formed
    (DynN)."""
    device = snap.device
    names = {name for name, trunk in device.running.trunks.items() if trunk.kind == LACP_KIND}
    names |= {s.trunk for s in device.lacp if s.trunk.startswith(hardware.DYNAMIC_PREFIX)}
    for name in names:
        members = [s for s in device.lacp if s.trunk == name]
        yield (hardware.if_index(name),), Aggregator(snap, name, members)


def agg_ports(snap: Snapshot) -> Iterator[tuple[Oid, AggPort]]:
    for status in snap.device.lacp:
        yield (hardware.if_index(status.port),), AggPort(snap, status)


def _partner_key(agg: Aggregator) -> int:
    return 0 if (p := agg.partner) is None else p.partner_key


def _partner_system(agg: Aggregator) -> bytes:
    return bytes(6) if (p := agg.partner) is None else hardware.mac_bytes(p.partner_system)


def _key(agg: Aggregator) -> int:
    return agg.members[0].key if agg.members else 0


TABLES: Final = (
    Table(AGG_ENTRY, (
        Column(2, "dot3adAggMACAddress", lambda a: octets(
            hardware.port_mac(a.snap.device.inventory.base_mac, a.trunk))),
        Column(3, "dot3adAggActorSystemPriority", lambda a: integer(SYSTEM_PRIORITY)),
        Column(4, "dot3adAggActorSystemID", lambda a: octets(_system(a.snap))),
        Column(5, "dot3adAggAggregateOrIndividual", lambda a: truth(True)),
        Column(6, "dot3adAggActorAdminKey", lambda a: integer(_key(a))),
        Column(7, "dot3adAggActorOperKey", lambda a: integer(_key(a))),
        Column(8, "dot3adAggPartnerSystemID", lambda a: octets(_partner_system(a))),
        Column(9, "dot3adAggPartnerSystemPriority", lambda a: integer(
            0 if (p := a.partner) is None else p.partner_system_priority)),
        Column(10, "dot3adAggPartnerOperKey", lambda a: integer(_partner_key(a))),
        Column(11, "dot3adAggCollectorMaxDelay", lambda a: integer(0)),
    ), aggregators, live=True),
    Table(AGG_PORT_LIST_ENTRY, (
        Column(1, "dot3adAggPortListPorts", lambda a: octets(port_list(
            m.port for m in a.members))),
    ), aggregators, live=True),
    Table(AGG_PORT_ENTRY, (
        Column(2, "dot3adAggPortActorSystemPriority", lambda r: integer(SYSTEM_PRIORITY)),
        Column(3, "dot3adAggPortActorSystemID", lambda r: octets(_system(r.snap))),
        Column(4, "dot3adAggPortActorAdminKey", lambda r: integer(r.status.key)),
        Column(5, "dot3adAggPortActorOperKey", lambda r: integer(r.status.key)),
        Column(6, "dot3adAggPortPartnerAdminSystemPriority", lambda r: integer(0)),
        Column(7, "dot3adAggPortPartnerOperSystemPriority", lambda r: integer(
            r.status.partner_system_priority)),
        Column(8, "dot3adAggPortPartnerAdminSystemID", lambda r: octets(bytes(6))),
        Column(9, "dot3adAggPortPartnerOperSystemID", lambda r: octets(
            hardware.mac_bytes(r.status.partner_system))),
        Column(10, "dot3adAggPortPartnerAdminKey", lambda r: integer(0)),
        Column(11, "dot3adAggPortPartnerOperKey", lambda r: integer(r.status.partner_key)),
        Column(12, "dot3adAggPortSelectedAggID", lambda r: integer(
            _aggregator_of(r.status) if r.status.partner else 0)),
        Column(13, "dot3adAggPortAttachedAggID", lambda r: integer(
            _aggregator_of(r.status) if r.status.distributing else 0)),
        Column(14, "dot3adAggPortActorPort", lambda r: integer(
            hardware.if_index(r.status.port))),
        Column(15, "dot3adAggPortActorPortPriority", lambda r: integer(PORT_PRIORITY)),
        Column(16, "dot3adAggPortPartnerAdminPort", lambda r: integer(0)),
        Column(17, "dot3adAggPortPartnerOperPort", lambda r: integer(r.status.partner_port)),
        Column(18, "dot3adAggPortPartnerAdminPortPriority", lambda r: integer(0)),
        Column(19, "dot3adAggPortPartnerOperPortPriority", lambda r: integer(
            r.status.partner_priority)),
        Column(20, "dot3adAggPortActorAdminState", lambda r: octets(
            lacp_state(r.status.actor_state))),
        Column(21, "dot3adAggPortActorOperState", lambda r: octets(
            lacp_state(r.status.actor_state))),
        Column(22, "dot3adAggPortPartnerAdminState", lambda r: octets(lacp_state(0))),
        Column(23, "dot3adAggPortPartnerOperState", lambda r: octets(
            lacp_state(r.status.partner_state))),
        Column(24, "dot3adAggPortAggregateOrIndividual", lambda r: truth(True)),
    ), agg_ports, live=True),
    Table(AGG_PORT_STATS_ENTRY, (
        Column(1, "dot3adAggPortStatsLACPDUsRx", lambda r: counter32(
            r.status.lacpdus_received)),
        Column(2, "dot3adAggPortStatsMarkerPDUsRx", lambda r: counter32(0)),
        Column(3, "dot3adAggPortStatsMarkerResponsePDUsRx", lambda r: counter32(0)),
        Column(4, "dot3adAggPortStatsUnknownRx", lambda r: counter32(0)),
        Column(5, "dot3adAggPortStatsIllegalRx", lambda r: counter32(r.status.errors)),
        Column(6, "dot3adAggPortStatsLACPDUsTx", lambda r: counter32(r.status.lacpdus_sent)),
        Column(7, "dot3adAggPortStatsMarkerPDUsTx", lambda r: counter32(0)),
        Column(8, "dot3adAggPortStatsMarkerResponsePDUsTx", lambda r: counter32(0)),
    ), agg_ports, live=True),
)
