"""DHCP snooping statements: read from a startup config as a 16.x config writes them (global
lines after the hostname, `dhcp-snooping trust` before the port's name), typed in either trust
form, undone, shown by `show dhcp-snooping`, refused past 20 servers."""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING

from emulator.config.render import render_config
from emulator.device import Device
from tests.emulator.replaying import replay_text

if TYPE_CHECKING:
    from conftest import Cli

GLOBAL = ["dhcp-snooping", "dhcp-snooping authorized-server 192.168.176.1",
          "dhcp-snooping authorized-server 192.168.176.12", "dhcp-snooping vlan 1-3",
          "no dhcp-snooping option 82"]


def test_a_startup_config_sets_it_and_it_renders_back(device: Device) -> None:
    text = "\n".join([*GLOBAL, "interface A1", "   dhcp-snooping trust", '   name "AP"',
                      "   exit"]) + "\n"
    booted = replay_text(text, device.inventory)
    assert booted.errors == []
    cfg = booted.config
    assert (cfg.dhcp_snooping, cfg.dhcp_snooping_vlans, cfg.dhcp_snooping_option82) == (
        True, {1, 2, 3}, False)
    assert cfg.interfaces["A1"].dhcp_snooping_trust
    lines = render_config(cfg).splitlines()
    start = lines.index("dhcp-snooping")
    assert lines[start:start + 5] == GLOBAL
    at = lines.index("interface A1")
    assert lines[at:at + 3] == ["interface A1", "   dhcp-snooping trust", '   name "AP"']


def test_show_dhcp_snooping(config: Cli) -> None:
    for line in ("dhcp-snooping", "dhcp-snooping vlan 1,5-6", "dhcp-snooping trust A2-A3",
                 "interface B1 dhcp-snooping trust",
                 "dhcp-snooping authorized-server 10.0.0.67"):
        assert config(line) == ""
    screen = config("show dhcp-snooping").splitlines()
    assert "  DHCP Snooping              : Yes" in screen
    assert "  Enabled Vlans              : 1,5-6" in screen
    assert "  Authorized Servers         : 10.0.0.67" in screen
    assert "  Trusted Ports              : A2-A3,B1" in screen
    assert "  A2     Yes      -          -         -" in screen
    assert "  A1     No       -          -         -" in screen


def test_they_are_undone(config: Cli, device: Device) -> None:
    for line in ("dhcp-snooping", "dhcp-snooping vlan 1-3", "no dhcp-snooping option 82",
                 "dhcp-snooping trust A2", "dhcp-snooping authorized-server 10.0.0.67"):
        config(line)
    for line in ("no dhcp-snooping", "no dhcp-snooping vlan 1-3", "dhcp-snooping option 82",
                 "no dhcp-snooping trust A2", "no dhcp-snooping authorized-server 10.0.0.67"):
        assert config(line) == ""
    assert "dhcp-snooping" not in config("show running-config")
    assert device.running.interfaces == {}


def test_the_21st_server_is_refused(config: Cli, device: Device) -> None:
    for n in range(20):
        assert config(f"dhcp-snooping authorized-server 10.0.0.{n + 1}") == ""
    assert config("dhcp-snooping authorized-server 10.0.1.1") == (
        "The maximum number of authorized servers (20) has been reached.")
    assert ipaddress.IPv4Address("10.0.1.1") not in device.running.dhcp_snooping_servers
