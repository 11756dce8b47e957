"""show tech [all] and show tech buffers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from emulator.cli.grammar import Level

if TYPE_CHECKING:
    from conftest import Cli


def test_show_tech_is_the_fixed_sequence_each_under_its_command(cli: Cli) -> None:
    text = cli("show tech")
    assert text == cli("show tech all")
    commands = [line for line in text.split("\n") if line.startswith("show ")]
    assert commands == ["show system", "show version", "show modules", "show flash",
                        "show interfaces brief", "show vlans", "show interfaces transceiver",
                        "show log", "show running-config"]
    assert text.index("show vlans\n\n Status and Counters - VLAN Information") > 0
    assert text.rstrip().endswith(cli("show running-config").rstrip())


def test_show_tech_buffers_has_a_crash_header_per_module(cli: Cli) -> None:
    lines = cli("show tech buffers").split("\n")
    assert "Active Management Module 1 Crash Log" in lines
    assert "Version:   K.15.16.0008" in lines and "Product:   HP J9091A" in lines


def test_show_tech_needs_manager(cli: Cli) -> None:
    cli.session.set_level(Level.OPERATOR)
    assert cli("show tech").startswith("Invalid input")
