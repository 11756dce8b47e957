"""`ip igmp` and `voice` in the vlan context: typed (also as `vlan N voice`) or read from a
startup config, written in the VLAN's block after its ip line, shown in `show vlans`, and
undone by their `no` forms."""

from __future__ import annotations

from typing import TYPE_CHECKING

from emulator.config.render import render_config
from emulator.device import Device
from tests.emulator.replaying import replay_text

if TYPE_CHECKING:
    from conftest import Cli

BLOCK = ["vlan 20", '   name "VOICE"', "   tagged A24", "   no ip address", "   ip igmp",
         "   jumbo", "   voice", "   exit"]



def test_they_are_written_in_the_vlan_block(config: Cli) -> None:
    for line in ("vlan 20 voice", "vlan 20 ip igmp", "vlan 20 jumbo", "vlan 20 name VOICE",
                 "vlan 20 tagged A24"):
        assert config(line) == ""
    lines = config("show running-config").splitlines()
    start = lines.index("vlan 20")
    assert lines[start:start + len(BLOCK)] == BLOCK


def test_show_vlans_shows_the_voice_vlan(config: Cli) -> None:
    config("vlan 20 voice")
    row = next(line for line in config("show vlans").splitlines()
               if line.split()[:1] == ["20"])
    assert row.split()[-2:] == ["Yes", "No"]
    assert "  Voice : Yes" in config("show vlans 20").splitlines()


def test_no_forms_undo_them(config: Cli, device: Device) -> None:
    config("vlan 20 voice")
    config("vlan 20 ip igmp")
    assert config("vlan 20 no voice") == "" and config("vlan 20 no ip igmp") == ""
    vlan = device.running.vlans[20]
    assert (vlan.voice, vlan.igmp) == (False, False)


def test_a_startup_config_sets_them(device: Device) -> None:
    booted = replay_text("\n".join(BLOCK) + "\n", device.inventory)
    assert booted.errors == []
    vlan = booted.config.vlans[20]
    assert (vlan.voice, vlan.igmp) == (True, True)
    lines = render_config(booted.config).splitlines()
    assert lines[lines.index("vlan 20"):][:len(BLOCK)] == BLOCK
