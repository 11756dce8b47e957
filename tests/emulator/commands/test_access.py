"""`ip authorized-managers`, `[no] telnet-server`, `show ip authorized-managers`, `show telnet`
and `show management`: stored, rendered as K.15 writes them, read back from a saved config,
refused with the switch's message; the level an address may manage at."""

from __future__ import annotations

from typing import TYPE_CHECKING

from emulator.config.access import authorized_level, cap_level
from emulator.config.render import render_config
from emulator.device import Device
from tests.emulator.replaying import replay_text

if TYPE_CHECKING:
    from conftest import Cli


def lines(config: Cli, *starts: str) -> list[str]:
    return [line for line in config("show running-config").splitlines()
            if line.startswith(starts)]


def test_entries_render_with_mask_and_access_and_read_back(config: Cli, device: Device) -> None:
    for line in ("ip authorized-managers 10.0.0.1", "ip authorized-managers 10.1.0.0 "
                 "255.255.0.0 access operator", "no telnet-server"):
        assert config(line) == ""
    assert lines(config, "ip authorized-managers", "no telnet-server") == [
        "no telnet-server",
        "ip authorized-managers 10.0.0.1 255.255.255.255 access manager",
        "ip authorized-managers 10.1.0.0 255.255.0.0 access operator"]
    booted = replay_text(render_config(device.running), device.inventory)
    assert booted.errors == []
    assert booted.config.authorized_managers == device.running.authorized_managers
    assert not booted.config.telnet_server
    config("telnet-server")
    assert lines(config, "no telnet-server") == []


def test_an_address_named_again_takes_the_defaults_and_no_removes_it(config: Cli) -> None:
    config("ip authorized-managers 10.0.0.1 255.255.255.0 access operator")
    config("ip authorized-managers 10.0.0.1")
    assert lines(config, "ip authorized-managers") == [
        "ip authorized-managers 10.0.0.1 255.255.255.255 access manager"]
    config("no ip authorized-managers 10.0.0.1")
    assert lines(config, "ip authorized-managers") == []


def test_a_mask_with_holes_is_invalid_input(config: Cli) -> None:
    assert config("ip authorized-managers 10.0.0.1 255.0.255.0") == (
        "Invalid input: 255.0.255.0")


def test_show_ip_authorized_managers_lists_each_entry(config: Cli) -> None:
    config("ip authorized-managers 10.28.227.101 255.255.255.0 access operator")
    assert config("show ip authorized-managers") == "\n".join([
        "", " IPV4 Authorized Managers", " ------------------------", "",
        "  Address : 10.28.227.101", "  Mask    : 255.255.255.0", "  Access  : Operator",
        "  Access Method : all", ""])


def test_the_level_an_address_may_manage_at(config: Cli, device: Device) -> None:
    entries = device.running.authorized_managers
    assert authorized_level(entries, "192.0.2.1", "ssh") == "manager"  # no entries: everyone
    config("ip authorized-managers 10.0.0.0 255.255.255.0 access operator")
    config("ip authorized-managers 10.0.0.9")
    entries = device.running.authorized_managers
    assert authorized_level(entries, "10.0.0.9", "ssh") == "manager"
    assert authorized_level(entries, "10.0.0.10", "ssh") == "operator"
    assert authorized_level(entries, "10.0.1.10", "ssh") is None
    assert authorized_level(entries, "", "console") == "manager"  # the console
    assert cap_level("manager", "operator") == "operator"
    assert cap_level("operator", "manager") == "operator"
    assert cap_level("manager", None) is None
    assert device.running.admits("snmp", "10.0.0.10")
    assert not device.running.admits("ssh", "10.0.1.10")
    config("no telnet-server")
    assert not device.running.admits("telnet", "10.0.0.9")


def test_show_telnet_lists_the_sessions_and_marks_this_one(cli: Cli, device: Device) -> None:
    device.open_session("console", "")
    mine = device.open_session("ssh", "10.0.0.9")
    mine.level = "manager"
    assert mine.number == cli.session.session_number
    text = cli("show telnet")
    assert " Session :     1" in text and " From     : Console" in text
    assert " Session :  ** 2" in text and " From     : 10.0.0.9" in text
    assert " Privilege: Manager" in text


def test_show_management_names_the_addresses(config: Cli) -> None:
    config("vlan 1 ip address 10.0.0.5 255.255.255.0")
    config("ip default-gateway 10.0.0.1")
    text = config("show management")
    assert "Status and Counters - Management Address Information" in text
    assert "  Default Gateway    : 10.0.0.1" in text
    assert any(line.startswith("  DEFAULT_VLAN ") and line.endswith("| 10.0.0.5")
               for line in text.splitlines())


def test_an_access_method_gives_one_way_in_its_own_list(config: Cli, device: Device) -> None:
    """K.15.15's `access-method`: the SNMP entry governs SNMP only; SSH and telnet, with no
    entry of their own or for all, stay open."""
    config("ip authorized-managers 10.0.0.9 access operator access-method snmp")
    config("ip authorized-managers 10.0.0.9 255.255.255.255 access manager access-method ssh")
    assert lines(config, "ip authorized-managers") == [
        "ip authorized-managers 10.0.0.9 255.255.255.255 access operator access-method snmp",
        "ip authorized-managers 10.0.0.9 255.255.255.255 access manager access-method ssh"]
    running = device.running
    assert not running.admits("snmp", "10.0.0.8") and running.admits("snmp", "10.0.0.9")
    assert not running.admits("ssh", "10.0.0.8") and running.admits("telnet", "10.0.0.8")
    booted = replay_text(render_config(running), device.inventory)
    assert booted.errors == [] and booted.config.authorized_managers == running.authorized_managers
    config("no ip authorized-managers 10.0.0.9 access-method snmp")
    assert running.admits("snmp", "10.0.0.8") and not running.admits("ssh", "10.0.0.8")
    config("no ip authorized-managers 10.0.0.9")
    assert running.authorized_managers == []
