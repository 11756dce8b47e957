"""show system temperature, fans and power-supply: a healthy chassis in the switch's shapes."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from conftest import Cli


def test_temperature_within_threshold(cli: Cli) -> None:
    lines = cli("show system temperature").split("\n")
    assert lines[1] == " System Air Temperatures"
    assert lines[-1].split() == ["Chassis|", "25C", "28C", "23C", "50C", "NO"]


def test_fans_all_ok(cli: Cli) -> None:
    text = cli("show system fans")
    assert text.count("| Fan OK      |   0") == 2
    assert text.endswith("0 / 2 Fans in Failure State\n0 / 2 Fans have been in Failure State")


def test_power_supplies_two_of_four_bays(cli: Cli) -> None:
    lines = cli("show sys power").split("\n")
    assert lines[1] == "Power Supply Status:"
    assert lines[5].split() == ["1", "J8713A", "Powered", "AC", "120V/240V", "1500"]
    assert lines[7].split() == ["3", "Not", "Present", "--", "---------", "0"]
    assert lines[-2:] == ["   2 /  4 supply bays delivering power.", "   Total power: 3000 W"]


def test_show_system_still_shows_the_general_screen(cli: Cli) -> None:
    assert "General System Information" in cli("show system")
    assert cli("show system bogus") == "Invalid input: bogus"
