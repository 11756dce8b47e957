"""`show system temperature|fans|power-supply`: the chassis' environment as a healthy 8212zl
reports it (monitoring tools poll these and alert on anything but OK). The emulated chassis
has no sensors, so the readings are the catalog's nominal values below, constant."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from emulator.cli.grammar import Command
from emulator.commands.format import SHOW_HELP

if TYPE_CHECKING:
    from emulator.cli.context import Call

TEMPERATURE_C: Final = (25, 28, 23)
"""Chassis air temperature: current, highest and lowest since boot (degrees Celsius)."""
OVER_TEMPERATURE_C: Final = 50
FANS: Final = 2
"""The 8212zl's fan trays, each reported as one fan."""
POWER_SUPPLIES: Final = (("J8713A", "Powered", "AC 120V/240V", 1500),
                         ("J8713A", "Powered", "AC 120V/240V", 1500),
                         ("", "Not Present", "-- ---------", 0),
                         ("", "Not Present", "-- ---------", 0))
"""The chassis' four power-supply bays: two 1500 W supplies (J8713A) in bays 1 and 2."""


def render_temperature() -> str:
    current, highest, lowest = TEMPERATURE_C
    return "\n".join([
        "",
        " System Air Temperatures",
        "  Temp   | Current  Max   Min",
        "  Sensor | Temp     Temp  Temp  Threshold  OverTemp",
        "  -------+--------- ----- ----- ---------- --------",
        f"  Chassis| {current}C      {highest}C   {lowest}C   {OVER_TEMPERATURE_C}C        NO",
    ])


def render_fans() -> str:
    return "\n".join([
        "",
        "Fan Information",
        "  Num  | State       | Failures",
        "-------+-------------+----------",
        *(f"Sys-{n:<2} | Fan OK      |   0" for n in range(1, FANS + 1)),
        "",
        f"0 / {FANS} Fans in Failure State",
        f"0 / {FANS} Fans have been in Failure State",
    ])


def render_power_supplies() -> str:
    powered = [supply for supply in POWER_SUPPLIES if supply[1] == "Powered"]
    return "\n".join([
        "",
        "Power Supply Status:",
        "",
        " PS#   Model     State             AC/DC  + V        Wattage",
        " ----- --------- ----------------- ----------------- ---------",
        *(f"   {bay:<3} {model:<9} {state:<17} {supply:<17} {watts:>9}"
          for bay, (model, state, supply, watts) in enumerate(POWER_SUPPLIES, start=1)),
        "",
        f"   {len(powered)} /  {len(POWER_SUPPLIES)} supply bays delivering power.",
        f"   Total power: {sum(supply[3] for supply in powered)} W",
    ])


def show_environment(call: Call) -> str:
    what = call.text("temperature")
    if what == "fans":
        return render_fans()
    if what == "power-supply":
        return render_power_supplies()
    return render_temperature()


HELP: Final = {
    "show": SHOW_HELP,
    "temperature": "Show system temperature and settings.",
    "fans": "Show system fan status.",
    "power-supply": "Show chassis power supply and settings.",
}

ROWS: tuple[Command, ...] = (
    Command("show system {temperature|fans|power-supply}", show_environment),
)
