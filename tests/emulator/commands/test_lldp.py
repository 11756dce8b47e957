"""show lldp info remote-device [<port-list>] and show lldp info local-device."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from emulator import hardware
from emulator.cli.context import CONFIG
from emulator.commands.lldp import cut, lldp_id
from emulator.config.model import VlanIp
from emulator.device import Device, LldpNeighbor

if TYPE_CHECKING:
    from conftest import Cli, NapalmFactory, NtcParse

LONG_DESCR = "HPE Comware Platform Software, Software Version 7.1.070, Release 7557P01"
NEIGHBORS = [
    LldpNeighbor("A1", "00:25:90:3d:c3:1f", "48", "48", "sw123", "ProCurve J4904A Switch 2848"),
    LldpNeighbor("A13", "000000000000", "M-GigabitEthernet1/0/0/0",
                 "M-GigabitEthernet1/0/0/0 Interface", "sw567", LONG_DESCR, port_subtype=5),
]


@pytest.fixture
def neighbors(device: Device) -> Device:
    device.lldp_neighbors = list(NEIGHBORS)
    return device


def test_remote_summary_parses_with_ntc(cli: Cli, neighbors: Device, ntc: NtcParse) -> None:
    text = cli("show lldp info remote-device")
    assert text.split("\n")[-1] == (
        "  A13       | 00 00 00 00 00 00  M-GigabitEthern... M-Giga... sw567")
    assert ntc("show lldp info remote-device", text) == [
        {"local_interface": "A1", "chassis_id": "00 25 90 3d c3 1f", "neighbor_interface": "48",
         "neighbor_description": "48", "neighbor_name": "sw123"},
        {"local_interface": "A13", "chassis_id": "00 00 00 00 00 00",
         "neighbor_interface": "M-GigabitEthern...", "neighbor_description": "M-Giga...",
         "neighbor_name": "sw567"},
    ]


def test_empty_remote_summary(cli: Cli, ntc: NtcParse, napalm: NapalmFactory) -> None:
    assert ntc("show lldp info remote-device", cli("show lldp info remote-device")) == []
    assert napalm().get_lldp_neighbors() == {}


def test_remote_detail_parses_with_ntc(cli: Cli, neighbors: Device, ntc: NtcParse) -> None:
    text = cli("show lldp info remote-device A1,A13")
    records = ntc("show lldp info remote-device A1,A13", text)
    assert [(r["local_interface"], r["neighbor_chassis_type"], r["chassis_id"], r["port_type"],
             r["neighbor_interface"], r["neighbor_name"]) for r in records] == [
        ("A1", "mac-address", "00 25 90 3d c3 1f", "local", "48", "sw123"),
        ("A13", "mac-address", "00 00 00 00 00 00", "interface-name",
         "M-GigabitEthernet1/0/0/0", "sw567"),
    ]
    assert records[1]["neighbor_description"] == LONG_DESCR[:57] + "..."
    assert ntc("show lldp info remote-device A2",
               cli("show lldp info remote-device ethernet A2")) == []


def test_napalm_lldp_neighbors_and_detail(cli: Cli, neighbors: Device,
                                          napalm: NapalmFactory) -> None:
    canned = {"walkMIB ifName": "ifName.1 = A1\nifName.13 = A13",
              "getMIB lldpRemSysDesc.0.13.1": f"lldpRemSysDesc.0.13.1 = {LONG_DESCR}"}
    driver = napalm(canned)
    assert driver.get_lldp_neighbors() == {
        "A1": [{"port": "48", "hostname": "sw123"}],
        "A13": [{"port": "M-GigabitEthernet1/0/0/0", "hostname": "sw567"}],
    }
    detail = driver.get_lldp_neighbors_detail()
    assert detail["A13"][0]["remote_system_description"] == LONG_DESCR
    assert detail["A1"][0]["remote_chassis_id"] == "00 25 90 3d c3 1f"


def test_local_device_parses_with_ntc(cli: Cli, device: Device, ntc: NtcParse) -> None:
    device.running.vlan_set_ip(1, VlanIp())
    records = ntc("show lldp info local-device", cli("show lldp info local-device"))
    assert len(records) == 48
    first = records[0]
    assert first["chassis_id"] == "00 18 71 c3 00 00"
    assert first["system_name"] == hardware.DEFAULT_HOSTNAME
    assert first["pid"] == "J8715A"
    assert first["description"] == cut(hardware.SYS_DESCR, 55)
    assert (first["local_interface"], first["port_id"], first["port_description"]) == (
        "A1", "1", "A1")
    assert records[24]["port_id"] == "25"
    assert first["mgmt_address"] == ""


def test_local_device_management_address(cli: Cli, ntc: NtcParse) -> None:
    cli.session.enter(CONFIG)
    assert cli("vlan 1 ip address 10.0.0.2/24") == ""
    first = ntc("show lldp info local-device", cli("show lldp info local-device"))[0]
    assert (first["mgmt_type"], first["mgmt_address"]) == ("ipv4", "10.0.0.2")


@pytest.mark.parametrize(("value", "shown"), [
    ("001871-c30000", "00 18 71 c3 00 00"), ("00:25:90:3D:C3:1F", "00 25 90 3d c3 1f"),
    ("eth0", "eth0"), ("48", "48"),
])
def test_lldp_ids(value: str, shown: str) -> None:
    assert lldp_id(value) == shown


def test_show_lldp_config_defaults(cli: Cli) -> None:
    lines = cli("show lldp config A1-A2").split("\n")
    assert lines[1] == " LLDP Global Configuration"
    assert "  LLDP Transmit Interval      [30] : 30" in lines
    assert "  LLDP Hold time Multiplier    [4] : 4" in lines
    assert lines[-2:] == ["  A1    | Tx_Rx       False               False",
                          "  A2    | Tx_Rx       False               False"]
    assert len(cli("show lldp config").split("\n")) == len(lines) + 46
    assert cli("show lldp config C1") == "Module not present for port or invalid port: C1"
