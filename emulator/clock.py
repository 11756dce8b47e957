"""The chassis clock: each chassis keeps its own time, as an offset from the host's.

A lab sets a switch's clock hours off (`time 03:00`), or SNTP corrects it, without touching
the host: the clock is the host's time plus an offset. The offset belongs to the chassis, not
to a management module (the real 8212zl's real-time clock is on the chassis), so it is kept in
the data directory beside chassis.json, written atomically: the module that takes over after a
switchover reads the same clock, and so does the next start of the chassis.

The switch's wall-clock time is that clock in its `time timezone` and `time daylight-time-rule`
(the rules are vendor facts, as data: when each begins and ends).
"""

from __future__ import annotations

import calendar
import math
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from emulator.flash import read_json, write_json

CLOCK_FILE: Final = "clock.json"
MAX_OFFSET: Final = 200 * 365 * 86400
"""A kept offset beyond two centuries is not one `time` or SNTP could have set."""

LAST: Final = -1
"""`week` of a DaylightRule edge: the month's last Sunday."""


@dataclass(frozen=True)
class Edge:
    """A daylight-time rule's start or end: the `week`-th Sunday (LAST: the last) of `month`,
    at 02:00 local standard time."""

    month: int
    week: int

    def when(self, year: int) -> int:
        """Seconds since the epoch of this edge in `year`, read as UTC (local standard time)."""
        days = calendar.monthrange(year, self.month)[1]
        sundays = [d for d in range(1, days + 1) if calendar.weekday(year, self.month, d) == 6]
        day = sundays[self.week - 1] if self.week != LAST else sundays[-1]
        return calendar.timegm((year, self.month, day, 2, 0, 0, 0, 0, 0))


DAYLIGHT_EDGES: Final[dict[str, tuple[Edge, Edge]]] = {
    "alaska": (Edge(3, 2), Edge(11, 1)),
    "continental-us-and-canada": (Edge(3, 2), Edge(11, 1)),
    "middle-europe-and-portugal": (Edge(3, LAST), Edge(10, LAST)),
    "western-europe": (Edge(3, LAST), Edge(10, LAST)),
    "southern-hemisphere": (Edge(10, 1), Edge(4, 1)),
}
"""Daylight time one hour ahead, from the first edge to the second: the US and Canada since
2007 (second Sunday of March to the first of November), the EU's (last Sundays of March and
October); the southern hemisphere's runs over the new year (first Sundays of October and
April). `none` has no entry."""
DAYLIGHT_SHIFT: Final = 3600


def daylight_offset(standard: float, rule: str) -> int:
    """Seconds the rule adds at this local standard time (epoch seconds read as UTC)."""
    edges = DAYLIGHT_EDGES.get(rule)
    if edges is None:
        return 0
    year = time.gmtime(standard).tm_year
    begin, end = (edge.when(year) for edge in edges)
    inside = begin <= standard < end if begin < end else not end <= standard < begin
    return DAYLIGHT_SHIFT if inside else 0


def wall_clock(when: float, timezone: int, rule: str) -> time.struct_time:
    """The switch's local time at `when` (epoch seconds), `timezone` minutes east of UTC."""
    standard = when + timezone * 60
    return time.gmtime(standard + daylight_offset(standard, rule))


def from_wall_clock(local: time.struct_time, timezone: int, rule: str) -> float:
    """The epoch seconds a local time names (`time 14:30 12/24/2026`)."""
    stamp = calendar.timegm(local)
    standard = stamp - daylight_offset(stamp, rule)
    return float(standard - timezone * 60)


@dataclass
class ChassisClock:
    """The host's clock plus this chassis' offset; `data_dir` None keeps the offset in
    memory only (a device built by a test)."""

    data_dir: Path | None = None
    offset: float = 0.0

    @classmethod
    def load(cls, data_dir: Path) -> ChassisClock:
        """The kept offset; a file that does not hold one (edited by hand) reads as the
        host's time, as a chassis whose clock battery is flat."""
        try:
            offset = float(read_json(data_dir / CLOCK_FILE, {}).get("offset", 0.0))
        except (ValueError, TypeError, AttributeError, OverflowError):
            offset = 0.0
        return cls(data_dir, offset if math.isfinite(offset) and abs(offset) < MAX_OFFSET
                   else 0.0)

    def now(self) -> float:
        return time.time() + self.offset

    def set(self, when: float) -> None:
        """Make the clock read `when` now, and keep it for the chassis."""
        self.offset = when - time.time()
        if self.data_dir is not None:
            write_json(self.data_dir / CLOCK_FILE, {"offset": self.offset})
