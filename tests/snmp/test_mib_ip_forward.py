"""IP-MIB's ipForwarding and IP-FORWARD-MIB's route tables (snmp/mibs/ip_forward.py): the rows
`show ip route` prints, indexed as RFC 4292 says."""

from __future__ import annotations

import ipaddress

from emulator import hardware
from emulator.config.model import IpMode, StaticRoute, VlanIp
from emulator.device import Device
from snmp import ber
from snmp.mib import parse_oid
from tests.snmp.test_mib import walk

IP_FORWARDING = parse_oid("1.3.6.1.2.1.4.1")
CIDR_NEXT_HOP = parse_oid("1.3.6.1.2.1.4.24.4.1.4")
CIDR_PROTO = parse_oid("1.3.6.1.2.1.4.24.4.1.7")
INET_CIDR_TYPE = parse_oid("1.3.6.1.2.1.4.24.7.1.8")
INET_CIDR_IF_INDEX = parse_oid("1.3.6.1.2.1.4.24.7.1.7")


def _routed(device: Device) -> None:
    running = device.running
    running.vlan_create(10)
    running.vlan_set_ip(10, VlanIp(IpMode.MANUAL, [ipaddress.IPv4Interface("10.0.10.1/24")]))
    running.set_ip_routing(True)
    running.static_route_add(StaticRoute(ipaddress.IPv4Network("10.9.0.0/16"),
                                         ipaddress.IPv4Address("10.0.10.2")))
    running.static_route_add(StaticRoute(ipaddress.IPv4Network("192.0.2.0/24"),
                                         discard="blackhole"))


def test_ip_forwarding_follows_ip_routing(device: Device) -> None:
    assert walk(device, IP_FORWARDING) == {(0,): ber.Value(ber.INTEGER, 2)}
    device.running.set_ip_routing(True)
    assert walk(device, IP_FORWARDING) == {(0,): ber.Value(ber.INTEGER, 1)}


def test_cidr_route_table(device: Device) -> None:
    _routed(device)
    hops = walk(device, CIDR_NEXT_HOP)
    assert hops[(10, 9, 0, 0, 255, 255, 0, 0, 0, 10, 0, 10, 2)] == \
        ber.Value(ber.IP_ADDRESS, bytes((10, 0, 10, 2)))
    assert (10, 0, 10, 0, 255, 255, 255, 0, 0, 0, 0, 0, 0) in hops
    protocols = walk(device, CIDR_PROTO)
    assert protocols[(10, 0, 10, 0, 255, 255, 255, 0, 0, 0, 0, 0, 0)].data == 2  # local
    assert protocols[(10, 9, 0, 0, 255, 255, 0, 0, 0, 10, 0, 10, 2)].data == 3  # netmgmt


def test_inet_cidr_route_table(device: Device) -> None:
    _routed(device)
    kinds = walk(device, INET_CIDR_TYPE)
    policy = (2, 0, 0)
    assert kinds[(1, 4, 192, 0, 2, 0, 24, *policy, 1, 4, 0, 0, 0, 0)].data == 5  # blackhole
    assert kinds[(1, 4, 10, 9, 0, 0, 16, *policy, 1, 4, 10, 0, 10, 2)].data == 4  # remote
    assert walk(device, INET_CIDR_IF_INDEX)[
        (1, 4, 10, 0, 10, 0, 24, *policy, 1, 4, 0, 0, 0, 0)].data == 4096 + 10


AD_ENT_IF_INDEX = parse_oid("1.3.6.1.2.1.4.20.1.2")
AD_ENT_NET_MASK = parse_oid("1.3.6.1.2.1.4.20.1.3")
ADDRESS_IF_INDEX = parse_oid("1.3.6.1.2.1.4.34.1.3")
ADDRESS_PREFIX = parse_oid("1.3.6.1.2.1.4.34.1.5")


def test_address_tables_have_a_row_per_address(device: Device) -> None:
    """Each address of a multinetted VLAN is a row of ipAddrTable and ipAddressTable, on the
    VLAN's ifIndex."""
    _routed(device)
    device.running.vlan_add_ip(10, ipaddress.IPv4Interface("10.0.11.1/25"))
    vlan10 = ber.Value(ber.INTEGER, hardware.vlan_if_index(10))
    assert walk(device, AD_ENT_IF_INDEX) == {(10, 0, 10, 1): vlan10, (10, 0, 11, 1): vlan10}
    assert walk(device, AD_ENT_NET_MASK) == {
        (10, 0, 10, 1): ber.Value(ber.IP_ADDRESS, bytes([255, 255, 255, 0])),
        (10, 0, 11, 1): ber.Value(ber.IP_ADDRESS, bytes([255, 255, 255, 128]))}
    assert walk(device, ADDRESS_IF_INDEX) == {(1, 4, 10, 0, 10, 1): vlan10,
                                              (1, 4, 10, 0, 11, 1): vlan10}
    assert walk(device, ADDRESS_PREFIX)[(1, 4, 10, 0, 11, 1)] == ber.Value(
        ber.OBJECT_ID,
        parse_oid(f"1.3.6.1.2.1.4.32.1.5.{hardware.vlan_if_index(10)}.1.4.10.0.11.0.25"))
