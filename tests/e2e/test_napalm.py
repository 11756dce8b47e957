"""napalm-procurve's getters against a real procurve-emu process."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from napalm import get_network_driver

pytestmark = pytest.mark.e2e


@contextmanager
def napalm(chassis: Any) -> Iterator[Any]:
    """napalm-procurve's driver, opened as the plugin's napalm_params() tell a user to."""
    device = get_network_driver("procurve")(**chassis.napalm_params())
    device.open()
    try:
        yield device
    finally:
        device.close()


def test_get_facts_and_get_config(chassis: Any) -> None:
    with napalm(chassis) as device:
        facts = device.get_facts()
        assert facts["hostname"] == "HP-8212zl"
        assert facts["model"] == "HP J8715A Switch 8212zl"
        assert facts["os_version"] == "K.15.16.0008"
        assert facts["serial_number"] not in ("", "Unknown")
        assert facts["interface_list"][:2] == ["A1", "A2"] and len(facts["interface_list"]) == 48
        assert facts["uptime"] >= 0
        config = device.get_config()
        assert config["running"].startswith("; Ver #")
        assert 'hostname "HP-8212zl"' in config["running"]
        assert 'hostname "HP-8212zl"' in config["startup"]


def test_every_getter_napalm_procurve_has(chassis: Any) -> None:
    """What a napalm user calls beyond facts: interfaces and counters (walkMIB values it
    int()s), environment (sensors, CPU, memory), LLDP, MAC and ARP tables, ping (it reads
    `ping help` first)."""
    conn = chassis.netmiko()
    conn.send_config_set(["vlan 1 ip address 10.99.0.5/24"])
    conn.disconnect()
    with napalm(chassis) as device:
        interfaces = device.get_interfaces()
        assert interfaces["A1"]["speed"] == 1000 and interfaces["A1"]["mtu"] > 1000
        assert interfaces["A1"]["is_enabled"] is True
        counters = device.get_interfaces_counters()
        assert counters["A1"]["rx_octets"] >= 0
        environment = device.get_environment()
        assert environment["memory"]["used_ram"] > 0 and environment["fans"]
        assert device.get_lldp_neighbors() == {}
        assert device.get_mac_address_table() == []
        assert device.get_arp_table() == []
        pinged = device.ping("10.99.0.5", count=2, timeout=2, size=100)  # its own address
        assert pinged["success"]["probes_sent"] == 2 and pinged["success"]["packet_loss"] == 0
