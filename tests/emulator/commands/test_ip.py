"""show ip, show arp, ip default-gateway and ping."""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING

import pytest

from emulator import inband
from emulator.cli.context import CONFIG
from emulator.commands import ip
from emulator.device import ArpEntry, Device

if TYPE_CHECKING:
    from conftest import Cli, NapalmFactory, NtcParse

@pytest.fixture
def addressed(cli: Cli) -> Cli:
    cli.session.enter(CONFIG)
    for line in ("vlan 10 name MGMT", "vlan 10 ip address 10.11.11.200/24",
                 'vlan 20 name "ISP 1"', "ip default-gateway 10.11.11.254"):
        assert cli(line) == "", line
    return cli


def test_show_ip_parses_with_ntc(addressed: Cli, ntc: NtcParse) -> None:
    text = addressed("show ip")
    assert "  Default Gateway : 10.11.11.254   " in text.split("\n")
    assert ntc("show ip", text) == [
        {"vlan_name": "DEFAULT_VLAN", "config": "DHCP/Bootp", "ip_address": "",
         "subnet_mask": "", "proxy": "", "local": ""},
        {"vlan_name": "MGMT", "config": "Manual", "ip_address": "10.11.11.200",
         "subnet_mask": "255.255.255.0", "proxy": "No", "local": "No"},
        {"vlan_name": "ISP 1", "config": "Disabled", "ip_address": "", "subnet_mask": "",
         "proxy": "", "local": ""},
    ]


def test_show_ip_row_columns(addressed: Cli) -> None:
    assert addressed("show ip").split("\n")[-2] == (
        "  MGMT                 | Manual     10.11.11.200    255.255.255.0    No    No")


def test_gateway_can_be_removed(addressed: Cli, device: Device) -> None:
    assert addressed("no ip default-gateway") == ""
    assert device.running.default_gateway is None
    assert "Default Gateway" not in addressed("show ip")


def test_empty_arp_table(cli: Cli, ntc: NtcParse, napalm: NapalmFactory) -> None:
    assert ntc("show arp", cli("show arp")) == []
    assert napalm().get_arp_table() == []


def test_arp_table_parses(cli: Cli, device: Device, ntc: NtcParse,
                          napalm: NapalmFactory) -> None:
    device.arp_table = [ArpEntry("10.11.12.11", "0015b2a45078", "A2"),
                        ArpEntry("10.11.12.13", "00:1e:b2:a4:5f:78", "B24", dynamic=False)]
    assert ntc("show arp", cli("show arp")) == [
        {"ip_address": "10.11.12.11", "mac_address": "0015b2-a45078", "type": "dynamic",
         "port": "A2"},
        {"ip_address": "10.11.12.13", "mac_address": "001eb2-a45f78", "type": "static",
         "port": "B24"},
    ]
    table = napalm().get_arp_table()
    assert [(e["ip"], e["mac"], e["interface"]) for e in table] == [
        ("10.11.12.11", "00:15:B2:A4:50:78", "A2"), ("10.11.12.13", "00:1E:B2:A4:5F:78", "B24")]


def test_ping_own_address(addressed: Cli) -> None:
    assert addressed("ping 10.11.11.200") == "10.11.11.200 is alive, time = 1 ms"
    assert addressed("ping 10.11.11.200 repetitions 2").split("\n") == [
        "10.11.11.200 is alive, iteration 1, time = 1 ms",
        "10.11.11.200 is alive, iteration 2, time = 1 ms",
        "2 packets transmitted, 2 packets received, 0% packet loss",
        "round-trip (ms) min/avg/max = 1/1/1",
    ]


def test_ping_nobody_answers(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    waited: list[float] = []

    async def no_wait(seconds: float) -> None:
        waited.append(seconds)

    monkeypatch.setattr(ip.asyncio, "sleep", no_wait)
    assert cli("ping 192.0.2.1 repetitions 3 timeout 2 data-size 100").split("\n") == [
        "Request timed out.", "Request timed out.", "Request timed out.",
        "3 packets transmitted, 0 packets received, 100% packet loss",
    ]
    assert waited == [2, 2, 2]
    assert cli("ping 192.0.2.1") == "Request timed out."
    assert cli("ping 192.0.2.1 timeout 61") == "Invalid input: 61"


def test_napalm_ping(addressed: Cli, napalm: NapalmFactory) -> None:
    """napalm reads `ping help` for the options, then pings with data-size and source."""
    help_lines = addressed("ping help").splitlines()
    assert help_lines[0] == "Usage: ping <IP-ADDR>"
    assert "   o [data-size <0-65471>] - Size of data to send; the default" in help_lines
    driver = napalm()
    assert driver._ping_caps() == ["IP-ADDR", "repetitions", "timeout", "data-size",
                                   "data-fill", "source", "tos"]
    result = driver.ping("10.11.11.200", count=3, timeout=1, size=100, source="10.11.11.200")
    success = result["success"]
    assert (success["probes_sent"], success["packet_loss"]) == (3, 0)
    assert [r["ip_address"] for r in success["results"]] == ["10.11.11.200"] * 3


def test_ping_options(addressed: Cli) -> None:
    assert addressed("ping 10.11.11.200 data-fill abc source 10 tos 16") == \
        "10.11.11.200 is alive, time = 1 ms"
    assert addressed("ping 10.11.11.200 source 4095") == "Invalid input: 4095"
    assert addressed("ping 10.11.11.200 tos 256") == "Invalid input: 256"


def test_answer_is_the_one_place_that_decides(addressed: Cli, device: Device) -> None:
    import asyncio

    own = ipaddress.IPv4Address("10.11.11.200")
    assert asyncio.run(ip.answer(device, own, inband.Probe(5))) == ip.SELF_RTT_MS


def test_show_ip_has_a_row_per_address(addressed: Cli, ntc: NtcParse) -> None:
    """A multinetted VLAN: its name on the first row, blank on the others."""
    assert addressed("vlan 10 ip address 10.11.12.1/24") == ""
    lines = addressed("show ip").splitlines()
    at = lines.index(
        "  MGMT                 | Manual     10.11.11.200    255.255.255.0    No    No")
    assert lines[at + 1] == \
        "                       | Manual     10.11.12.1      255.255.255.0    No    No"
    assert [(r["config"], r["ip_address"]) for r in ntc("show ip", "\n".join(lines))
            if r["config"] == "Manual"] == [("Manual", "10.11.11.200"), ("Manual", "10.11.12.1")]


def test_ping_a_secondary_address(addressed: Cli) -> None:
    assert addressed("vlan 10 ip address 10.11.12.1/24") == ""
    assert addressed("ping 10.11.12.1") == "10.11.12.1 is alive, time = 1 ms"
