"""`time timezone <minutes>`, the statement added as one grammar row and one renderer: typed,
shown in the running config where K.15 writes it, and read back from a saved config."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from emulator.config.render import render_config
from emulator.device import Device
from tests.emulator.replaying import replay_text

if TYPE_CHECKING:
    from conftest import Cli



def test_timezone_is_stored_rendered_and_read_back(config: Cli, device: Device) -> None:
    assert "time timezone" not in config("show running-config")  # 0, UTC: the default
    assert config("time timezone 60") == ""
    lines = config("show running-config").splitlines()
    assert lines[lines.index("module B type j8702a") + 1] == "time timezone 60"
    assert config("time timezone -300") == ""
    assert "time timezone -300" in config("show running-config").splitlines()
    booted = replay_text(render_config(device.running), device.inventory)
    assert booted.errors == [] and booted.config.timezone == -300


@pytest.mark.parametrize("minutes", ["841", "-721", "60.5", "+60", "--1", "٦٠", "9" * 5000])
def test_timezone_out_of_range_is_invalid_input(config: Cli, device: Device,
                                                 minutes: str) -> None:
    assert config(f"time timezone {minutes}") == f"Invalid input: {minutes}"
    assert device.running.timezone == 0


def test_timezone_help_lists_the_range(config: Cli) -> None:
    assert config.table.help(["time", "timezone"], "", config.session.mode.kind,
                             config.session.level)[0].word == "<-720-840>"


def test_time_sets_the_chassis_clock_and_show_log_follows(config: Cli, device: Device) -> None:
    assert config("time 03:04:05 07/14/2031") == ""
    assert config("show time").startswith("Mon Jul 14 03:04:")
    device.events.log("ports", "port A1 is now on-line")
    assert config("show log").splitlines()[-2].startswith("I 07/14/31 03:04:")
    config("time timezone 60")  # the same instant, read an hour further east
    assert config("show time").startswith("Mon Jul 14 04:04:")
    assert config("show log").splitlines()[-2].startswith("I 07/14/31 04:04:")


def test_time_without_a_date_keeps_today(config: Cli, device: Device) -> None:
    config("time 00:00 01/02/2030")
    assert config("time 23:59:58") == ""
    assert config("show time").startswith("Wed Jan  2 23:59:5")


def test_daylight_rule_moves_the_wall_clock_in_summer_only(config: Cli) -> None:
    assert config("time daylight-time-rule western-europe") == ""
    config("time 12:00 07/01/2030")  # read as summer time: the clock holds 11:00 UTC
    assert config("show time").startswith("Mon Jul  1 12:00:")
    config("no time daylight-time-rule")
    assert config("show time").startswith("Mon Jul  1 11:00:")
    assert "daylight" not in config("show running-config")


@pytest.mark.parametrize("line", ["time 24:00", "time 12:60", "time 12", "time 1:2:3:4",
                                  "time 12:00 02/30/2030", "time 12:00 13/01/2030",
                                  "time 12:00 1/1/203", "time 12:00 01/01/0001",
                                  "time 12:00 01/01/2100", "time ١٢:00",
                                  "time daylight-time-rule mars"])
def test_bad_times_are_invalid_input(config: Cli, device: Device, line: str) -> None:
    assert config(line).startswith("Invalid input: ")
    assert device.clock.offset == 0.0


def test_show_system_shows_the_zone_and_rule(config: Cli) -> None:
    config("time timezone 120")
    config("time daylight-time-rule western-europe")
    shown = config("show system").splitlines()
    assert "  Time Zone          : 120" in shown
    assert "  Daylight Time Rule : Western-Europe" in shown
