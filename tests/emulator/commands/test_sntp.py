"""`timesync`, `sntp unicast|broadcast`, `sntp POLL`, `sntp server priority N ADDR [VERSION]`,
`show sntp` and `show timesync`: stored, rendered in the order K.15 configs carry them, read
back, and shown in the manual's screen."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from emulator.config.render import render_config
from emulator.device import Device
from tests.emulator.replaying import replay_text

if TYPE_CHECKING:
    from conftest import Cli

FORUM_CONFIG = ["timesync sntp", "sntp unicast", "sntp 30", "sntp server priority 1 10.1.100.100",
                "time daylight-time-rule continental-us-and-canada", "time timezone -360"]
"""The lines and order of a real K.15.08 config (tests/data/configs/forum-5406zl-k1508.cfg)."""


def test_settings_render_in_the_order_of_a_real_config(config: Cli, device: Device) -> None:
    for line in reversed(FORUM_CONFIG):
        assert config(line) == ""
    lines = config("show running-config").splitlines()
    start = lines.index(FORUM_CONFIG[0])
    assert lines[start:start + len(FORUM_CONFIG)] == FORUM_CONFIG
    booted = replay_text(render_config(device.running), device.inventory)
    assert booted.errors == [] and render_config(booted.config) == render_config(device.running)


def test_show_sntp_lists_mode_poll_and_servers(cli: Cli, config: Cli) -> None:
    for line in ("timesync sntp", "sntp unicast", "sntp 60", "sntp server priority 2 10.0.0.2 4",
                 "sntp server priority 1 10.0.0.1"):
        config(line)
    assert cli("show sntp") == "\n".join([
        "",
        " SNTP Configuration",
        "",
        "  Time Sync Mode: Sntp",
        "  SNTP Mode : Unicast",
        "  Poll Interval (sec) [720] : 60",
        "",
        "",
        "  Priority SNTP Server Address            Protocol Version",
        "  -------- ------------------------------ ----------------",
        "  1        10.0.0.1                       3",
        "  2        10.0.0.2                       4",
    ])
    assert "sntp server priority 2 10.0.0.2 4" in config("show running-config").splitlines()
    assert cli("show timesync").splitlines()[1:4] == [" Timesync Configuration", "",
                                                       "  Time Sync Mode: Sntp"]


def test_factory_settings_are_unwritten_and_no_forms_restore_them(cli: Cli, config: Cli) -> None:
    base = config("show running-config")
    assert "  Time Sync Mode: Timep" in cli("show sntp").splitlines()
    assert "  SNTP Mode : Disabled" in cli("show sntp").splitlines()
    for line in ("timesync sntp", "sntp broadcast", "sntp 30", "sntp server priority 3 10.0.0.3",
                 "no sntp server priority 3", "no sntp", "sntp 720", "timesync timep"):
        assert config(line) == ""
    assert config("show running-config") == base
    config("no timesync")
    assert "no timesync" in config("show running-config").splitlines()
    assert "  Time Sync Mode: Disabled" in cli("show sntp").splitlines()


@pytest.mark.parametrize("line", ["sntp 29", "sntp 721", "sntp server priority 4 10.0.0.1",
                                  "sntp server priority 1 10.0.0.1 8", "timesync ntp"])
def test_out_of_range_is_invalid_input(config: Cli, line: str) -> None:
    base = config("show running-config")
    assert config(line).startswith("Invalid input: ")
    assert config("show running-config") == base
