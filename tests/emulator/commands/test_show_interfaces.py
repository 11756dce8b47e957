"""show interfaces (counters, brief, detail) and the interface context."""

from __future__ import annotations

from typing import TYPE_CHECKING

from emulator.cli.context import CONFIG
from emulator.commands.show_interfaces import port_mac
from emulator.device import Device, PortCounters

if TYPE_CHECKING:
    from conftest import Cli, NapalmFactory, NtcParse



def test_brief_parses_with_ntc_and_napalm(cli: Cli, device: Device, ntc: NtcParse,
                                          napalm: NapalmFactory) -> None:
    device.ports["A1"].link_up = True
    device.running.port_set_enabled("A2", False)
    device.ports["A2"].link_up = True
    records = {r["port"]: r for r in ntc("show interfaces brief", cli("show interfaces brief"))}
    assert list(records) == device.inventory.ports()
    assert records["A1"] == {"port": "A1", "type": "100/1000T", "intrusion_alert": "No",
                             "enabled": "Yes", "status": "Up", "mode": "1000FDx",
                             "mdi_mode": "MDIX", "flow_ctrl": "off", "bcast_limit": "0"}
    assert (records["A2"]["enabled"], records["A2"]["status"]) == ("No", "Down")
    assert records["B24"]["mdi_mode"] == "Auto"
    facts = napalm({"getMIB sysDescr.0": "sysDescr.0 = x"}).get_facts()
    assert facts["interface_list"] == device.inventory.ports()


def test_brief_of_a_port_list(cli: Cli, ntc: NtcParse) -> None:
    records = ntc("show interfaces brief", cli("show interfaces brief A23-A24,B1-B2"))
    assert [r["port"] for r in records] == ["A23", "A24", "B1", "B2"]


def test_brief_layout(cli: Cli) -> None:
    assert cli("show interfaces brief A1").split("\n") == [
        "",
        " Status and Counters - Port Status",
        "",
        "                          | Intrusion                           MDI  Flow Bcast",
        "  Port         Type       | Alert     Enabled Status Mode       Mode Ctrl Limit",
        "  ------------ ---------- + --------- ------- ------ ---------- ---- ---- -----",
        "  A1           100/1000T  | No        Yes     Down   1000FDx    Auto off  0",
    ]


def test_counters_parse_with_ntc(cli: Cli, device: Device, ntc: NtcParse) -> None:
    counters = device.ports["A3"].counters
    counters.rx_bytes, counters.tx_bytes = 1_000_000, 234_567
    counters.rx_unicast, counters.tx_mcast, counters.rx_errors = 1500, 20, 1234
    records = {r["port"]: r for r in ntc("show interfaces", cli("show interfaces"))}
    assert len(records) == 48
    assert records["A3"] == {"port": "A3", "total_bytes": "1,234,567", "total_frames": "1520",
                             "errors_rx": "1,234", "drops_tx": "0", "flow_ctrl": "off",
                             "bcast_limit": "0"}


def test_detail_parses_with_napalm(cli: Cli, device: Device, napalm: NapalmFactory) -> None:
    device.running.port_set_name("A5", "uplink")
    device.ports["A5"].link_up = True
    device.ports["A5"].counters.tx_bytes = 1_234_567
    details = napalm()._parse_interface_details("A5")
    entry = details["A5"]
    assert entry["Name"] == "uplink"
    assert entry["MACAddress"] == port_mac(device, "A5")
    assert entry["LinkStatus"] == "Up"
    # napalm files a two-pair line's right value under the left key (its own quirk)
    assert entry["TotalsBytesRx"] == "1,234,567"
    assert entry["RatesUtilizationRx"] == "0 %"


def test_detail_of_several_ports(cli: Cli) -> None:
    text = cli("show interfaces ethernet A1,B3")
    assert " Status and Counters - Port Counters for port A1" in text
    assert " Status and Counters - Port Counters for port B3" in text
    assert cli("show interfaces A25") == "Module not present for port or invalid port: A25"


def test_port_macs_follow_the_base_mac(device: Device) -> None:
    assert port_mac(device, "A1") == "001871-c30001"
    assert port_mac(device, "B1") == "001871-c30019"


def test_interface_context(config: Cli, device: Device) -> None:
    assert config("interface A1-A2") == ""
    assert config.session.mode.value == "A1-A2"
    assert config('name "core uplink"') == ""
    assert config("disable") == ""
    assert [device.running.interfaces[p].name for p in ("A1", "A2")] == ["core uplink"] * 2
    assert not device.running.interfaces["A1"].enabled
    assert config("no name") == ""
    assert config("enable") == ""
    assert "A1" not in device.running.interfaces


def test_interface_with_a_command_on_the_same_line(config: Cli, device: Device) -> None:
    assert config("interface ethernet B7 disable") == ""
    assert config.session.mode == CONFIG
    assert not device.running.interfaces["B7"].enabled
    assert config("interface C1") == "Module not present for port or invalid port: C1"


def test_brief_mode_follows_speed_duplex(config: Cli, device: Device) -> None:
    for line in ("interface A1 speed-duplex 100-full", "interface A2 speed-duplex auto-10-100",
                 "interface A3 speed-duplex auto-10-100"):
        assert config(line) == "", line
    device.ports["A3"].link_up = True
    rows = config("show interfaces brief A1-A4").split("\n")[-4:]
    # down: a fixed mode's speed, an autonegotiation range by name (ntc-templates' brief
    # template refuses that name, as it does the real switch's); up: the speed it runs at
    assert [row.split()[6] for row in rows] == ["100FDx", "Auto-10-100", "100FDx", "1000FDx"]


def test_detail_of_a_trunk_counts_the_trunk(config: Cli, device: Device) -> None:
    assert config("trunk A5-A6 trk1") == ""
    device.trunk_counters = {"Trk1": PortCounters(rx_bytes=4_096, rx_unicast=4)}
    device.trunk_links = {"Trk1": ["A5"]}
    detail = config("show interfaces Trk1")
    assert detail.startswith("\n Status and Counters - Port Counters for port Trk1\n")
    assert "  Link Status      : Up" in detail
    assert "   Bytes Rx        : 4,096" in detail
    assert config("show interfaces ethernet Trk2") == (
        "Module not present for port or invalid port: Trk2")
