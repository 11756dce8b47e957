"""show power-over-ethernet [brief] [PORT-LIST]: the chassis' PoE budget and the PoE ports of
the modules the catalog says give power."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from emulator.cli.context import CONFIG
from emulator.hardware import Inventory

if TYPE_CHECKING:
    from conftest import Cli

POE_CHASSIS = Inventory(modules={"A": "J8702A", "B": "J9536A", "C": "J9550A"})
"""PoE (J8702A), PoE+ with two SFP+ slots (J9536A), and a module with no PoE (J9550A)."""


@pytest.mark.parametrize("inventory", [POE_CHASSIS])
def test_brief_lists_the_poe_ports(cli: Cli) -> None:
    cli.session.enter(CONFIG)
    assert cli("interface A2 disable") == ""
    cli.session.end()
    lines = cli("show power-over-ethernet brief").split("\n")
    assert lines[:14] == [
        "",
        " Status and Counters - Port Power Status",
        "",
        "  System Power Status  : No redundancy",
        "  PoE Power Status     : No redundancy",
        "",
        "  Available: 1800 W  Used: 0 W  Remaining: 1800 W",
        "",
        "  Module A Power",
        "  Available: 408 W  Used: 0 W  Remaining: 408 W",
        "",
        "  Module B Power",
        "  Available: 660 W  Used: 0 W  Remaining: 660 W",
        ""]
    assert lines[14:17] == [
        "  PoE   | Power  Power    Alloc Alloc  Actual Configured Detection   Power",
        "  Port  | Enable Priority By    Power  Power  Type       Status      Class",
        "  ----- + ------ -------- ----- ------ ------ ---------- ----------- -----"]
    rows = lines[17:]
    assert rows[:2] == [
        "  A1    | Yes    low      usage 17 W   0.0 W             Searching   0",
        "  A2    | Yes    low      usage 17 W   0.0 W             Disabled    0"]
    assert rows[-1] == "  B20   | Yes    low      usage 33 W   0.0 W             Searching   0"
    assert len(rows) == 24 + 20  # B21-B22 (SFP+) and slot C give no power


@pytest.mark.parametrize("inventory", [POE_CHASSIS])
def test_brief_of_ports_names_their_modules_only(cli: Cli) -> None:
    text = cli("show power-over-ethernet brief B19-B22")
    assert "Module A Power" not in text and "Module B Power" in text
    assert [line.split()[0] for line in text.split("\n")[-2:]] == ["B19", "B20"]
    assert cli("show power-over-ethernet brief D1") == (
        "Module not present for port or invalid port: D1")


def test_the_chassis_budget(cli: Cli) -> None:
    assert cli("show power-over-ethernet") == "\n".join([
        "",
        " Status and Counters - System Power Status",
        "",
        "  System Power Status  : No redundancy",
        "  PoE Power Status     : No redundancy",
        "",
        " Chassis power-over-ethernet:",
        "",
        "  Total Available Power  : 1800 W",
        "  Total Failover Power   :  900 W",
        "  Total Redundancy Power :    0 W",
        "  Total used Power       :    0 W +/- 0W",
        "  Total Remaining Power  : 1800 W",
        "",
        " Internal Power",
        "      1   900W/POE /Connected.",
        "      2   900W/POE /Connected.",
        "      3   Not Connected.",
        "      4   Not Connected."])


def test_a_port_block(cli: Cli) -> None:
    assert cli("show power-over-ethernet ethernet A1") == "\n".join([
        "",
        " Status and Counters - Port Power Status for port A1",
        "",
        "  Power Enable     : Yes",
        "",
        "  LLDP Detect      : disabled",
        "  Priority         : low              Configured Type  : ",
        "  AllocateBy       : usage            Value            : 17 W",
        "  Detection Status : Searching        Power Class      : 0",
        "",
        "  Over Current Cnt : 0                MPS Absent Cnt   : 0",
        "  Power Denied Cnt : 0                Short Cnt        : 0",
        "",
        "  Voltage          : 0.0 V            Current          : 0 mA",
        "  Power            : 0.0 W"])
