"""The switch's clock: `time HH:MM[:SS] [MM/DD/[YY]YY]` sets the chassis clock (emulator/clock.py,
kept by the chassis across switchovers), `time timezone <minutes>` and `time daylight-time-rule
RULE` say how its wall-clock time reads, and `show time` prints it."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from emulator.cli.grammar import Command, IntRange, Level, Where
from emulator.clock import from_wall_clock
from emulator.commands.format import SHOW_HELP, refused
from emulator.config.model import DAYLIGHT_RULES, TIMEZONE_RANGE

if TYPE_CHECKING:
    from emulator.cli.context import Call

DAYLIGHT_RULE_WORDS: Final = {
    "none": "None", "alaska": "Alaska", "continental-us-and-canada": "Continental-US-and-Canada",
    "middle-europe-and-portugal": "Middle-Europe-and-Portugal",
    "southern-hemisphere": "Southern-Hemisphere", "western-europe": "Western-Europe"}
"""Each rule as `show system` names it (`Daylight Time Rule : Western-Europe`)."""
assert set(DAYLIGHT_RULE_WORDS) == set(DAYLIGHT_RULES)
CENTURY_PIVOT: Final = 90
"""A two-digit year from 90 on is 19YY (the switch's clock starts in 1990), else 20YY."""
YEARS: Final = (1990, 2099)
"""The years `time` takes: from the switch's epoch to the last a two-digit year names."""


@dataclass(frozen=True)
class ClockTime:
    """`HH:MM[:SS]`, 24-hour: (hours, minutes, seconds)."""

    label: str = "HH:MM[:SS]"

    @property
    def placeholder(self) -> str:
        return self.label

    def parse(self, token: str) -> tuple[int, ...]:
        parts = token.split(":")
        if not 2 <= len(parts) <= 3 or not all(
                p.isascii() and p.isdigit() and len(p) <= 2 for p in parts):
            raise ValueError(token)
        values = tuple(int(p) for p in parts) + (0,) * (3 - len(parts))
        if values[0] > 23 or values[1] > 59 or values[2] > 59:
            raise ValueError(token)
        return values


@dataclass(frozen=True)
class ClockDate:
    """`MM/DD/YY` or `MM/DD/YYYY`: (year, month, day), a day that exists."""

    label: str = "MM/DD/[YY]YY"

    @property
    def placeholder(self) -> str:
        return self.label

    def parse(self, token: str) -> tuple[int, ...]:
        parts = token.split("/")
        if len(parts) != 3 or not all(p.isascii() and p.isdigit() for p in parts) or not (
                len(parts[0]) <= 2 and len(parts[1]) <= 2 and len(parts[2]) in (2, 4)):
            raise ValueError(token)
        month, day, year = (int(p) for p in parts)
        if len(parts[2]) == 2:
            year += 1900 if year >= CENTURY_PIVOT else 2000
        if not YEARS[0] <= year <= YEARS[1]:
            raise ValueError(token)
        try:
            time.strptime(f"{year:04d}-{month:02d}-{day:02d}", "%Y-%m-%d")
        except ValueError as exc:
            raise ValueError(token) from exc
        return year, month, day


def set_timezone(call: Call) -> None:
    with refused():
        call.device.running.set_timezone(call.number("minutes"))


def set_daylight_rule(call: Call) -> None:
    with refused():
        call.device.running.set_daylight_rule(call.text("rule"))


def clear_daylight_rule(call: Call) -> None:
    call.device.running.set_daylight_rule(DAYLIGHT_RULES[0])


def set_time(call: Call) -> None:
    """The wall-clock time (and date; today's when left out) the chassis clock is to read."""
    device = call.device
    hours, minutes, seconds = call.value("hh:mm[:ss]", tuple)
    today = device.localtime(device.clock.now())
    year, month, day = call.value("mm/dd/[yy]yy", tuple,
                                  (today.tm_year, today.tm_mon, today.tm_mday))
    local = time.struct_time((year, month, day, hours, minutes, seconds, 0, 0, 0))
    device.clock.set(from_wall_clock(local, device.running.timezone,
                                     device.running.daylight_rule))


def show_time(call: Call) -> str:
    device = call.device
    """ctime's form (`Sun Dec  6 07:52:10 2026`), as the switch prints its times."""
    return time.asctime(device.localtime(device.clock.now()))


HELP: Final = {
    "show": SHOW_HELP,
    "time": "Set the time, time zone and daylight-time rule.",
    "timezone": "Set the number of minutes your location is to the West(-) or East(+) of GMT.",
    "daylight-time-rule": "Set the daylight savings time rule for your location.",
    "hh:mm[:ss]": "The time of day, 24-hour.",
    "mm/dd/[yy]yy": "The date.",
}

ROWS: Final = (
    Command("time timezone <minutes>", set_timezone, where=Where.CONFIG, level=Level.MANAGER,
            params={"minutes": IntRange(*TIMEZONE_RANGE)}),
    Command(f"time daylight-time-rule {{rule: {'|'.join(DAYLIGHT_RULES)}}}", set_daylight_rule,
            where=Where.CONFIG, level=Level.MANAGER, negate=clear_daylight_rule),
    Command("time daylight-time-rule", None, where=Where.CONFIG, level=Level.MANAGER,
            negate=clear_daylight_rule),
    Command("time <hh:mm[:ss]> [<mm/dd/[yy]yy>]", set_time, where=Where.CONFIG,
            level=Level.MANAGER, params={"hh:mm[:ss]": ClockTime(), "mm/dd/[yy]yy": ClockDate()}),
    Command("show time", show_time),
)
