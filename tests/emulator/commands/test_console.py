"""`console baud-rate|flow-control|inactivity-timer|local-terminal|terminal`: typed or read
from a startup config, written right after the module lines in keyword order, the default value
unwritten, and a value K.15 does not offer refused."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from emulator.config.render import render_config
from emulator.device import Device
from tests.emulator.replaying import replay_text

if TYPE_CHECKING:
    from conftest import Cli

LINES = ["console baud-rate 9600", "console flow-control none", "console inactivity-timer 10",
         "console local-terminal none", "console terminal ansi"]



def test_console_lines_follow_the_modules_in_keyword_order(config: Cli) -> None:
    config("time timezone 60")
    for line in reversed(LINES):
        assert config(line) == ""
    lines = config("show running-config").splitlines()
    after = lines.index("module B type j8702a") + 1
    assert lines[after:after + 6] == [*LINES, "time timezone 60"]


def test_the_default_value_removes_the_line(config: Cli, device: Device) -> None:
    config("console inactivity-timer 30")
    assert config("console inactivity-timer 0") == ""
    assert config("console baud-rate speed-sense") == ""
    assert device.running.console == {}
    assert "console" not in config("show running-config")


def test_a_startup_config_sets_them(device: Device) -> None:
    booted = replay_text("\n".join(LINES) + "\n", device.inventory)
    assert booted.errors == []
    assert booted.config.console["inactivity-timer"] == "10"
    assert [line for line in render_config(booted.config).splitlines()
            if line.startswith("console")] == LINES


@pytest.mark.parametrize("line, token", [
    ("console inactivity-timer 7", "7"), ("console baud-rate 300", "300"),
    ("console terminal xterm", "xterm")])
def test_values_the_switch_does_not_offer_are_invalid_input(config: Cli, device: Device,
                                                            line: str, token: str) -> None:
    assert config(line) == f"Invalid input: {token}"
    assert device.running.console == {}
