"""show vlans, show vlans <id> and the vlan context."""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING, Final

import pytest

from emulator.cli.context import CONFIG
from emulator.config.model import IpMode
from emulator.config.render import render_config
from emulator.device import Device, MacEntry
from tests.emulator.replaying import replay_text

if TYPE_CHECKING:
    from conftest import Cli, NapalmFactory, NtcParse

EXPECTED_VLANS = "\n".join([
    "",
    " Status and Counters - VLAN Information",
    "",
    "  Maximum VLANs to support : 256                  ",
    "  Primary VLAN : DEFAULT_VLAN",
    "  Management VLAN :             ",
    "",
    "  VLAN ID Name                             | Status     Voice Jumbo",
    "  ------- -------------------------------- + ---------- ----- -----",
    "  1       DEFAULT_VLAN                     | Port-based No    No   ",
    "  10      Router Vlan                      | Port-based No    No   ",
    "  300     VLAN300                          | Port-based No    No   ",
])

EXPECTED_VLAN_10 = """
 Status and Counters - VLAN Information - VLAN 10

  VLAN ID : 10
  Name : Router Vlan
  Status : Port-based
  Voice : No
  Jumbo : No

  Port Information Mode     Unknown VLAN Status
  ---------------- -------- ------------ ----------
  A2               Untagged Learn        Up
  A3               Untagged Learn        Down
  B1               Tagged   Learn        Down"""


@pytest.fixture
def vlans(cli: Cli, device: Device) -> Cli:
    cli.session.enter(CONFIG)
    assert cli("vlan 300") == ""
    cli.session.exit_mode()
    for line in ('vlan 10 name "Router Vlan"', "vlan 10 untagged A2-A3", "vlan 10 tagged B1"):
        assert cli(line) == "", line
    device.ports["A2"].link_up = True
    return cli


def test_show_vlans_exact_text(vlans: Cli) -> None:
    assert vlans("show vlans") == EXPECTED_VLANS


def test_show_vlan_detail_exact_text(vlans: Cli) -> None:
    assert vlans("show vlans 10") == EXPECTED_VLAN_10


def test_unknown_vlan_is_refused(vlans: Cli) -> None:
    assert vlans("show vlans 99") == "VLAN 99 does not exist."
    assert vlans("show vlans 4095") == "Invalid input: 4095"


def test_show_vlans_parses_with_ntc(vlans: Cli, ntc: NtcParse) -> None:
    records = ntc("show vlans", vlans("show vlans"))
    assert [(r["vlan_id"], r["vlan_name"], r["status"]) for r in records] == [
        ("1", "DEFAULT_VLAN", "Port-based"), ("10", "Router Vlan", "Port-based"),
        ("300", "VLAN300", "Port-based")]


def test_napalm_mac_address_table(vlans: Cli, device: Device, napalm: NapalmFactory) -> None:
    device.mac_table = [MacEntry("00:11:0a:a7:3b:80", "A2", 10),
                        MacEntry("001871-c3f2ff", "A7", 1)]
    table = napalm().get_mac_address_table()
    assert [(e["mac"], e["interface"], e["vlan"]) for e in table] == [
        ("00:18:71:C3:F2:FF", "A7", 1), ("00:11:0A:A7:3B:80", "A2", 10)]


def test_vlan_context_commands(vlans: Cli, device: Device) -> None:
    assert vlans("vlan 20") == ""
    assert vlans.session.mode.value == 20
    assert vlans("untagged A5") == ""
    assert vlans("tagged A6-A7") == ""
    assert vlans("no tagged A7") == ""
    assert vlans("ip address 10.1.0.1 255.255.0.0") == ""
    vlan = device.running.vlans[20]
    assert (vlan.untagged, vlan.tagged) == ({"A5"}, {"A6"})
    assert vlan.ip.primary == ipaddress.IPv4Interface("10.1.0.1/16")
    assert vlans("ip address 10.1.0.1 255.0.255.0") == "Invalid subnet mask: 255.0.255.0"
    assert vlans("ip address dhcp-bootp") == ""
    assert vlan.ip.mode is IpMode.DHCP
    assert vlans("no ip address") == ""
    assert vlan.ip.mode is IpMode.DISABLED
    assert vlans("untagged A99") == "Module not present for port or invalid port: A99"
    assert vlans("no untagged A5") == ""
    assert vlans("name Servers") == ""
    assert vlan.name == "Servers"


def test_jumbo_vlan(vlans: Cli, device: Device) -> None:
    """`jumbo` in the VLAN context (or `vlan N jumbo`): shown, saved, and sent to the
    interface modules; `no jumbo` undoes it."""
    assert vlans("vlan 10 jumbo") == ""
    assert device.running.vlans[10].jumbo
    assert "  10      Router Vlan                      | Port-based No    Yes  " in \
        vlans("show vlans").splitlines()
    assert "  Jumbo : Yes" in vlans("show vlans 10")
    block = vlans("show running-config").split("vlan 10\n", 1)[1].split("   exit", 1)[0]
    assert block.splitlines()[-1] == "   jumbo"
    assert replay_text(render_config(device.running), device.inventory).config.vlans[10].jumbo
    assert vlans("vlan 10 no jumbo") == ""
    assert not device.running.vlans[10].jumbo


def test_vlan_delete_and_its_refusals(vlans: Cli, device: Device) -> None:
    assert vlans("no vlan 10") == ""
    assert 10 not in device.running.vlans
    assert vlans("no vlan 1") == "The default VLAN cannot be deleted."
    assert vlans("no vlan 77") == "VLAN 77 does not exist."


def test_vlan_ids_take_ascii_digits_only(vlans: Cli, device: Device) -> None:
    """str.isdigit() passes "٣", which int() reads as 3: the prompt refuses it as the file
    does."""
    assert vlans("vlan ٣") == "Invalid input: ٣"
    assert vlans("vlan " + "9" * 5000) == "Invalid input: " + "9" * 5000
    assert 3 not in device.running.vlans


MULTINET: Final = ("vlan 30", "ip address 10.3.0.1/24", "ip address 10.3.1.1 255.255.255.0",
                   "ip address 10.3.2.1/24")


def test_multinetting_in_the_cli(vlans: Cli, device: Device) -> None:
    """Each `ip address` adds an address (both forms); `no ip address A M` removes that one;
    the refusals leave the VLAN as it was."""
    for line in MULTINET:
        assert vlans(line) == "", line
    vlan = device.running.vlans[30]
    assert [str(a) for a in vlan.ip.addresses] == ["10.3.0.1/24", "10.3.1.1/24", "10.3.2.1/24"]
    assert vlans("ip address 10.3.1.9/24") == \
        "The IP address (or subnet) 10.3.1.9/24 already exists."
    assert vlans("no ip address 10.3.9.1 255.255.255.0") == \
        "The IP address 10.3.9.1 is not configured on this VLAN."
    assert vlans("no ip address 10.3.1.1 255.255.255.0") == ""
    assert vlans("no ip address 10.3.0.1/24") == ""
    assert [str(a) for a in vlan.ip.addresses] == ["10.3.2.1/24"]
    for third in range(3, 10):
        assert vlans(f"ip address 10.3.{third}.1/24") == ""
    assert vlans("ip address 10.3.10.1/24") == \
        "The maximum number of IP addresses (8) on a VLAN has already been reached."
    assert vlans("vlan 31 ip address 10.3.0.0/16") == \
        "The IP address (or subnet) 10.3.0.0/16 already exists."
    assert vlans("ip address dhcp-bootp") == ""
    assert vlan.ip.mode is IpMode.DHCP and vlan.ip.addresses == []


def test_multinetting_renders_saves_and_boots(vlans: Cli, device: Device) -> None:
    """`show running-config` writes one `ip address` per address in the order entered, and
    the startup config (what `write memory` saves and the standby is synced with) boots back
    to the same addresses."""
    for line in MULTINET:
        vlans(line)
    lines = vlans("show running-config").splitlines()
    at = lines.index("vlan 30")
    assert lines[at + 2:at + 5] == ["   ip address 10.3.0.1 255.255.255.0",
                                    "   ip address 10.3.1.1 255.255.255.0",
                                    "   ip address 10.3.2.1 255.255.255.0"]
    booted = replay_text(render_config(device.running), device.inventory)
    assert booted.errors == []
    assert booted.config.vlans[30].ip == device.running.vlans[30].ip
