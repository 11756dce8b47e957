"""DHCP relay statements (commands/dhcp_relay.py): helpers per VLAN, refused on a VLAN without
an address, the global settings written only away from their defaults, `show dhcp-relay` and
`show ip helper-address`, and the read-back from a startup config."""

from __future__ import annotations

from typing import TYPE_CHECKING

from emulator.config.render import render_config
from emulator.device import Device
from tests.emulator.replaying import replay_text

if TYPE_CHECKING:
    from conftest import Cli


def test_helper_needs_the_vlans_address(config: Cli, device: Device) -> None:
    assert config("vlan 20 ip helper-address 10.0.10.2") == \
        "An IP address must be configured on VLAN 20 first."
    assert config("vlan 20 ip address 10.0.20.254/24") == ""
    assert config("vlan 20 ip helper-address 10.0.10.2") == ""
    assert config("vlan 20 ip helper-address 10.0.10.3") == ""
    lines = config("show running-config").splitlines()
    at = lines.index("   ip address 10.0.20.254 255.255.255.0")
    assert lines[at + 1:at + 3] == ["   ip helper-address 10.0.10.2",
                                    "   ip helper-address 10.0.10.3"]
    assert config("vlan 20 no ip helper-address 10.0.10.9") == "Invalid input: 10.0.10.9"
    assert config("vlan 20 no ip helper-address 10.0.10.3") == ""
    assert config("vlan 20 no ip address") == ""  # the helpers go with the address
    assert device.running.vlans[20].helper_addresses == []


def test_global_settings_and_show(config: Cli, device: Device) -> None:
    shown = config("show dhcp-relay").splitlines()
    assert shown[1:4] == [" DHCP Relay Agent                 : Enabled",
                          " DHCP Request Hop Count Increment : Enabled",
                          " Option 82                        : Disabled"]
    for line in ("no dhcp-relay", "no dhcp-relay hop-count-increment",
                 "dhcp-relay option 82 replace validate mgmt-vlan"):
        assert config(line) == "", line
    lines = config("show running-config").splitlines()
    assert [line for line in lines if "dhcp-relay" in line] == \
        ["no dhcp-relay", "no dhcp-relay hop-count-increment",
            "dhcp-relay option 82 replace validate mgmt-vlan"]
    shown = config("show dhcp-relay").splitlines()
    assert shown[1] == " DHCP Relay Agent                 : Disabled"
    assert shown[4:7] == [" Response validation              : Enabled",
                          " Option 82 handle policy          : replace",
                          " Remote ID                        : MGMT-VLAN"]
    device.dhcp_relay_counters.update(requests_valid=4, responses_valid=3, responses_dropped=1)
    assert shown[-2:] == [" ---------- ---------- ---------- ----------",
                          " 0          0          0          0"]
    assert config("show dhcp-relay").splitlines()[-1].split() == ["4", "0", "3", "1"]
    assert config("dhcp-relay option 82 keep validate") == "Invalid input: validate"
    assert config("no dhcp-relay option 82") == ""
    assert device.running.dhcp_relay_option82 is None


def test_show_ip_helper_address(config: Cli) -> None:
    config("vlan 20 ip address 10.0.20.254/24")
    config("vlan 20 ip helper-address 10.0.10.2")
    assert config("show ip helper-address").splitlines()[1:] == [
        " IP Helper Addresses", "", " VLAN: 20", "", "  IP Helper Address",
        "  -----------------", "  10.0.10.2"]
    assert config("show ip helper-address vlan 1").splitlines()[3] == " VLAN: 1"


def test_a_startup_config_reads_back(config: Cli, device: Device) -> None:
    for line in ("vlan 20 ip address 10.0.20.254/24", "vlan 20 ip helper-address 10.0.10.2",
                 "dhcp-relay option 82 append ip", "no dhcp-relay hop-count-increment"):
        config(line)
    booted = replay_text(render_config(device.running), device.inventory)
    assert booted.errors == []
    assert booted.config == device.running
