"""The chassis clock: an offset from the host's kept in the data directory (so the module that
takes over, and the next start, read the same time), and the switch's wall clock: time zone
and the daylight-time rules' edges."""

from __future__ import annotations

import calendar
import stat
import time
from pathlib import Path

import pytest

from emulator.clock import CLOCK_FILE, ChassisClock, from_wall_clock, wall_clock


def utc(text: str) -> float:
    return float(calendar.timegm(time.strptime(text, "%Y-%m-%d %H:%M:%S")))


def shown(stamp: time.struct_time) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", stamp)


def test_the_offset_is_kept_for_the_next_reader(tmp_path: Path) -> None:
    clock = ChassisClock.load(tmp_path)
    assert abs(clock.now() - time.time()) < 1
    clock.set(time.time() - 5 * 3600)
    other = ChassisClock.load(tmp_path)  # the module taking over reads the chassis' clock
    assert abs(other.now() - (time.time() - 5 * 3600)) < 1
    assert stat.S_IMODE((tmp_path / CLOCK_FILE).stat().st_mode) == 0o600


@pytest.mark.parametrize("text", ["", "[]", '{"offset": "x"}', '{"offset": NaN}',
                                  '{"offset": 1e300}', "{"])
def test_a_file_without_an_offset_reads_as_the_host_time(tmp_path: Path, text: str) -> None:
    (tmp_path / CLOCK_FILE).write_text(text)
    assert ChassisClock.load(tmp_path).offset == 0.0


def test_a_clock_without_a_data_dir_writes_nothing(tmp_path: Path) -> None:
    clock = ChassisClock()
    clock.set(0.0)
    assert abs(clock.now()) < 1
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("rule", "instant", "local"), [
    # EU: 01:00 UTC on the last Sunday of March (31 March 2030) is 02:00 standard, 03:00 summer
    ("western-europe", "2030-03-31 00:59:59", "2030-03-31 01:59:59"),
    ("western-europe", "2030-03-31 01:00:00", "2030-03-31 03:00:00"),
    ("middle-europe-and-portugal", "2030-10-27 00:59:59", "2030-10-27 02:59:59"),
    ("middle-europe-and-portugal", "2030-10-27 01:00:00", "2030-10-27 02:00:00"),
    ("none", "2030-07-01 12:00:00", "2030-07-01 13:00:00"),
])
def test_european_rules_switch_on_the_last_sundays(rule: str, instant: str, local: str) -> None:
    assert shown(wall_clock(utc(instant), 60, rule)) == local


def test_us_rule_runs_from_the_second_sunday_of_march_to_the_first_of_november() -> None:
    zone = -360  # US central: 02:00 standard is 08:00 UTC
    rule = "continental-us-and-canada"
    assert shown(wall_clock(utc("2030-03-10 07:59:59"), zone, rule)) == "2030-03-10 01:59:59"
    assert shown(wall_clock(utc("2030-03-10 08:00:00"), zone, rule)) == "2030-03-10 03:00:00"
    assert shown(wall_clock(utc("2030-11-03 08:00:00"), zone, rule)) == "2030-11-03 02:00:00"


def test_southern_summer_spans_the_new_year() -> None:
    rule = "southern-hemisphere"
    assert shown(wall_clock(utc("2030-01-15 00:00:00"), 600, rule)) == "2030-01-15 11:00:00"
    assert shown(wall_clock(utc("2030-07-15 00:00:00"), 600, rule)) == "2030-07-15 10:00:00"


@pytest.mark.parametrize("instant", ["2030-01-15 12:00:00", "2030-07-15 12:00:00"])
def test_a_wall_clock_time_reads_back_as_set(instant: str) -> None:
    when = utc(instant)
    for zone, rule in ((0, "none"), (60, "western-europe"), (-300, "alaska"),
                       (600, "southern-hemisphere")):
        assert from_wall_clock(wall_clock(when, zone, rule), zone, rule) == when
