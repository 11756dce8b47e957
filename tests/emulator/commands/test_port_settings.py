"""`speed-duplex`, `flow-control`, `broadcast-limit` and `unknown-vlans` in the interface
context: typed, shown in the port's `interface` block in keyword order, read back from a saved
config, and refused with `Invalid input` outside their ranges."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from emulator.cli.context import CONFIG
from emulator.config.render import render_config
from emulator.device import Device
from tests.emulator.replaying import replay_text

if TYPE_CHECKING:
    from conftest import Cli



def _block(text: str, header: str) -> list[str]:
    lines = text.splitlines()
    start = lines.index(header)
    return lines[start:lines.index("   exit", start) + 1]


def test_port_settings_render_in_the_interface_block(config: Cli, device: Device) -> None:
    for line in ("interface A1 speed-duplex auto-1000", "interface A1 unknown-vlans disable",
                 "interface A1 name \"uplink\"", "interface A1 flow-control",
                 "interface A1 broadcast-limit 10", "interface A1 disable"):
        assert config(line) == ""
    assert _block(config("show running-config"), "interface A1") == [
        "interface A1", "   broadcast-limit 10", "   disable", "   flow-control",
        '   name "uplink"', "   speed-duplex auto-1000", "   unknown-vlans disable", "   exit"]


def test_a_port_list_context_sets_every_port(config: Cli, device: Device) -> None:
    assert config("interface A2-A3 speed-duplex 100-full") == ""
    assert [device.running.interfaces[p].speed_duplex for p in ("A2", "A3")] == [
        "100-full", "100-full"]


def test_defaults_leave_no_block(config: Cli, device: Device) -> None:
    for line in ("interface A1 speed-duplex 10-half", "interface A1 flow-control",
                 "interface A1 broadcast-limit 5", "interface A1 unknown-vlans block"):
        config(line)
    for line in ("interface A1 speed-duplex auto", "interface A1 no flow-control",
                 "interface A1 broadcast-limit 0", "interface A1 unknown-vlans learn"):
        assert config(line) == ""
    assert "interface A1" not in config("show running-config").splitlines()


def test_a_startup_config_sets_them(device: Device) -> None:
    booted = replay_text(
        "interface B4\n   flow-control\n   speed-duplex 1000-full\n   unknown-vlans block\n"
        "   exit\n", device.inventory)
    assert booted.errors == []
    port = booted.config.interfaces["B4"]
    assert (port.flow_control, port.speed_duplex, port.unknown_vlans) == (
        True, "1000-full", "block")
    assert render_config(replay_text(render_config(booted.config),
                                     device.inventory).config) == render_config(booted.config)


@pytest.mark.parametrize("line, token", [
    ("broadcast-limit 100", "100"), ("broadcast-limit -1", "-1"),
    ("speed-duplex 1000-half", "1000-half"), ("unknown-vlans drop", "drop")])
def test_out_of_range_is_invalid_input(config: Cli, device: Device, line: str,
                                       token: str) -> None:
    assert config(f"interface A1 {line}") == f"Invalid input: {token}"
    assert "A1" not in device.running.interfaces


def test_speed_duplex_help_lists_the_modes(config: Cli) -> None:
    config.session.enter(CONFIG)
    config("interface A1")
    words = [h.word for h in config.table.help(["speed-duplex"], "", config.session.mode.kind,
                                                 config.session.level)]
    assert {"auto", "auto-1000", "100-full", "10-half"} <= set(words)


def test_show_interfaces_brief_shows_flow_control_and_broadcast_limit(config: Cli) -> None:
    config("interface A1 flow-control")
    config("interface A1 broadcast-limit 7")
    rows = {line.split()[0]: line.split() for line in
            config("show interfaces brief").splitlines()[6:]}
    assert rows["A1"][-2:] == ["on", "7"] and rows["A2"][-2:] == ["off", "0"]
    assert config("show interfaces").splitlines()[5].split()[-2:] == ["on", "7"]


def test_show_vlan_lists_each_port_s_unknown_vlans_setting(config: Cli) -> None:
    config("interface A2 unknown-vlans block")
    rows = {line.split()[0]: line.split()[2] for line in
            config("show vlans 1").splitlines() if line.startswith("  A")}
    assert (rows["A1"], rows["A2"]) == ("Learn", "Block")


def test_energy_efficient_ethernet_follows_the_name(config: Cli, device: Device) -> None:
    """As a 15.x config writes it: `name "..."`, then `energy-efficient-ethernet`."""
    text = 'interface A24\n   name "uplink"\n   energy-efficient-ethernet\n   exit\n'
    booted = replay_text(text, device.inventory)
    assert booted.errors == [] and booted.config.interfaces["A24"].energy_efficient
    assert _block(render_config(booted.config), "interface A24") == text.splitlines()
    assert config("interface A1 energy-efficient-ethernet") == ""
    assert "   energy-efficient-ethernet" in _block(config("show running-config"),
                                                    "interface A1")
    assert config("interface A1 no energy-efficient-ethernet") == ""
    assert "A1" not in device.running.interfaces
