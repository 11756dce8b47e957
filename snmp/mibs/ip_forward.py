"""IP-MIB's ipForwarding and ipDefaultTTL (RFC 4293) and IP-FORWARD-MIB's route tables (RFC
4292): ipCidrRouteTable, which most pollers still walk, and inetCidrRouteTable, its successor.
Both are the table `show ip route` prints (emulator/routing.py's route_table), so the CLI and
SNMP agree; a route's interface is its VLAN's ifIndex (hardware.vlan_if_index).

IP-MIB's address tables, ipAddrTable and its successor ipAddressTable, hold a row per VLAN
address (every address of a multinetted VLAN), on the VLAN's ifIndex, as `show ip` lists them.
The columns are those a K.x chassis walk shows (LibreNMS' procurve.snmprec: ipAdEntIfIndex,
ipAdEntNetMask; ipAddressIfIndex, ipAddressPrefix, ipAddressOrigin) and ipAdEntAddr, which
RFC 1213 pollers read."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from typing import Final

from emulator import hardware, routing
from snmp.ber import Oid
from snmp.mib import Column, Snapshot, Table, gauge32, integer, ip_address, object_id, scalars
from snmp.mibs.if_mib import NULL_OID

IP: Final = (1, 3, 6, 1, 2, 1, 4)
IP_FORWARD: Final = (*IP, 24)
CIDR_ROUTE_ENTRY: Final = (*IP_FORWARD, 4, 1)
INET_CIDR_ROUTE_ENTRY: Final = (*IP_FORWARD, 7, 1)
ADDR_ENTRY: Final = (*IP, 20, 1)
ADDRESS_ENTRY: Final = (*IP, 34, 1)
PREFIX_ORIGIN: Final = (*IP, 32, 1, 5)
"""ipAddressPrefixOrigin: what ipAddressPrefix points at, indexed by ifIndex and prefix."""
MANUAL_ORIGIN: Final = 2
"""IpAddressOriginTC manual(2): every VLAN address is configured by hand."""
FORWARDING: Final = {True: 1, False: 2}
"""ipForwarding: forwarding(1) with `ip routing`, notForwarding(2) without."""
IPV4: Final = 1
"""InetAddressType ipv4."""
ROUTE_TYPES: Final = {"reject": 2, "blackhole": 5}
"""inetCidrRouteType: reject(2), blackhole(5); otherwise local(3) for a connected route and
remote(4) for one by a gateway. ipCidrRouteType has no blackhole: it says reject(2) too."""
LOCAL: Final = 3
REMOTE: Final = 4
PROTOCOLS: Final = {routing.CONNECTED: 2, routing.STATIC: 3, routing.OSPF: 13}
"""IANAipRouteProtocol: local(2), netmgmt(3), ospf(13)."""
UNUSED_METRIC: Final = -1
ACTIVE: Final = 1


def _routes(snap: Snapshot) -> list[routing.RouteEntry]:
    return routing.route_table(snap.device.running, snap.device.learnt_routes)


def _type(entry: routing.RouteEntry) -> int:
    if entry.gateway in ROUTE_TYPES:
        return ROUTE_TYPES[entry.gateway]
    return LOCAL if entry.kind == routing.CONNECTED else REMOTE


def _if_index(entry: routing.RouteEntry) -> int:
    return 0 if entry.vid is None else hardware.vlan_if_index(entry.vid)


def cidr_rows(snap: Snapshot) -> Iterator[tuple[Oid, routing.RouteEntry]]:
    """Indexed by destination, mask, TOS (0) and next hop."""
    for entry in _routes(snap):
        yield (*entry.destination.network_address.packed, *entry.destination.netmask.packed, 0,
               *entry.next_hop.packed), entry


def inet_cidr_rows(snap: Snapshot) -> Iterator[tuple[Oid, routing.RouteEntry]]:
    """Indexed by destination (type, length, octets), prefix length, policy ({0 0}, as a
    length and its sub-identifiers) and next hop (type, length, octets)."""
    for entry in _routes(snap):
        yield (IPV4, 4, *entry.destination.network_address.packed, entry.destination.prefixlen,
               len(NULL_OID), *NULL_OID, IPV4, 4, *entry.next_hop.packed), entry


def _vlan_addresses(snap: Snapshot) -> Iterator[tuple[int, ipaddress.IPv4Interface]]:
    for vid, vlan in snap.device.running.vlans.items():
        for held in vlan.ip.addresses:
            yield hardware.vlan_if_index(vid), held


def addr_rows(snap: Snapshot) -> Iterator[tuple[Oid, tuple[int, ipaddress.IPv4Interface]]]:
    """ipAddrTable: indexed by the address."""
    for row in _vlan_addresses(snap):
        yield tuple(row[1].ip.packed), row


def address_rows(snap: Snapshot) -> Iterator[tuple[Oid, tuple[int, ipaddress.IPv4Interface]]]:
    """ipAddressTable: indexed by the address' type, length and octets."""
    for row in _vlan_addresses(snap):
        yield (IPV4, 4, *row[1].ip.packed), row


def _prefix(row: tuple[int, ipaddress.IPv4Interface]) -> Oid:
    if_index, held = row
    return (*PREFIX_ORIGIN, if_index, IPV4, 4, *held.network.network_address.packed,
            held.network.prefixlen)


def _address(address: ipaddress.IPv4Address) -> bytes:
    return address.packed


TABLES: Final = (
    scalars(IP, (
        Column(1, "ipForwarding", lambda s: integer(FORWARDING[s.device.running.ip_routing])),
        Column(2, "ipDefaultTTL", lambda s: integer(routing.DEFAULT_TTL)),
    )),
    scalars(IP_FORWARD, (
        Column(3, "ipCidrRouteNumber", lambda s: gauge32(len(_routes(s)))),
        Column(6, "inetCidrRouteNumber", lambda s: gauge32(len(_routes(s)))),
    )),
    Table(ADDR_ENTRY, (
        Column(1, "ipAdEntAddr", lambda r: ip_address(_address(r[1].ip))),
        Column(2, "ipAdEntIfIndex", lambda r: integer(r[0])),
        Column(3, "ipAdEntNetMask", lambda r: ip_address(_address(r[1].netmask))),
    ), addr_rows),
    Table(ADDRESS_ENTRY, (
        Column(3, "ipAddressIfIndex", lambda r: integer(r[0])),
        Column(5, "ipAddressPrefix", lambda r: object_id(_prefix(r))),
        Column(6, "ipAddressOrigin", lambda r: integer(MANUAL_ORIGIN)),
    ), address_rows),
    Table(CIDR_ROUTE_ENTRY, (
        Column(1, "ipCidrRouteDest",
               lambda e: ip_address(_address(e.destination.network_address))),
        Column(2, "ipCidrRouteMask", lambda e: ip_address(_address(e.destination.netmask))),
        Column(3, "ipCidrRouteTos", lambda e: integer(0)),
        Column(4, "ipCidrRouteNextHop", lambda e: ip_address(_address(e.next_hop))),
        Column(5, "ipCidrRouteIfIndex", lambda e: integer(_if_index(e))),
        Column(6, "ipCidrRouteType", lambda e: integer(min(_type(e), REMOTE))),
        Column(7, "ipCidrRouteProto", lambda e: integer(PROTOCOLS[e.kind])),
        Column(8, "ipCidrRouteAge", lambda e: integer(0)),
        Column(9, "ipCidrRouteInfo", lambda e: object_id(NULL_OID)),
        Column(10, "ipCidrRouteNextHopAS", lambda e: integer(0)),
        Column(11, "ipCidrRouteMetric1", lambda e: integer(e.metric)),
        *(Column(sub, f"ipCidrRouteMetric{sub - 10}", lambda e: integer(UNUSED_METRIC))
          for sub in range(12, 16)),
        Column(16, "ipCidrRouteStatus", lambda e: integer(ACTIVE)),
    ), cidr_rows),
    Table(INET_CIDR_ROUTE_ENTRY, (
        Column(7, "inetCidrRouteIfIndex", lambda e: integer(_if_index(e))),
        Column(8, "inetCidrRouteType", lambda e: integer(_type(e))),
        Column(9, "inetCidrRouteProto", lambda e: integer(PROTOCOLS[e.kind])),
        Column(10, "inetCidrRouteAge", lambda e: gauge32(0)),
        Column(11, "inetCidrRouteNextHopAS", lambda e: gauge32(0)),
        Column(12, "inetCidrRouteMetric1", lambda e: integer(e.metric)),
        *(Column(sub, f"inetCidrRouteMetric{sub - 11}", lambda e: integer(UNUSED_METRIC))
          for sub in range(13, 17)),
        Column(17, "inetCidrRouteStatus", lambda e: integer(ACTIVE)),
    ), inet_cidr_rows),
)
