"""show mac-address [vlan <id> | <port-list>]."""

from __future__ import annotations

from typing import TYPE_CHECKING

from emulator.device import Device, MacEntry

if TYPE_CHECKING:
    from conftest import Cli, NtcParse

ENTRIES = [MacEntry("5c0e8b97d9db", "B3", 1), MacEntry("00000d600000", "A10", 10),
           MacEntry("000424-731040", "A10", 1)]


def test_empty_table_has_no_records(cli: Cli, ntc: NtcParse) -> None:
    assert ntc("show mac-address", cli("show mac-address")) == []
    assert ntc("show mac-address", cli("show mac-address vlan 1")) == []


def test_full_table_parses_with_ntc(cli: Cli, device: Device, ntc: NtcParse) -> None:
    device.mac_table = list(ENTRIES)
    text = cli("show mac-address")
    assert text.split("\n")[1:5] == [" Status and Counters - Port Address Table", "",
                                     "  MAC Address   Port  VLAN", "  ------------- ----- ----"]
    assert ntc("show mac-address", text) == [
        {"mac_address": "00000d-600000", "port": "A10", "vlan_id": "10"},
        {"mac_address": "000424-731040", "port": "A10", "vlan_id": "1"},
        {"mac_address": "5c0e8b-97d9db", "port": "B3", "vlan_id": "1"},
    ]


def test_vlan_form_gives_mac_port_pairs(cli: Cli, device: Device) -> None:
    device.mac_table = list(ENTRIES)
    device.running.vlan_create(10)
    text = cli("show mac-address vlan 1")
    assert text.split("\n")[1] == " Status and Counters - Address Table - VLAN 1"
    rows = text.split("\n")[-2:]
    assert [row.split() for row in rows] == [["000424-731040", "A10"], ["5c0e8b-97d9db", "B3"]]
    assert cli("show mac-address vlan 10").split("\n")[-1] == "  00000d-600000 A10"
    assert cli("show mac-address vlan 99") == "VLAN 99 does not exist."


def test_port_form_filters_by_port(cli: Cli, device: Device, ntc: NtcParse) -> None:
    device.mac_table = list(ENTRIES)
    text = cli("show mac-address B1-B4")
    assert text.split("\n")[1] == " Status and Counters - Port Address Table - B1-B4"
    assert [r["port"] for r in ntc("show mac-address", text)] == ["B3"]
