"""`[no] cdp run` and `cdp mode ...`: typed or read from a startup config (as a K.15.08
chassis config carries `cdp mode pass-through`), written right after the module lines, the
defaults unwritten."""

from __future__ import annotations

from typing import TYPE_CHECKING

from emulator.config.render import render_config
from emulator.device import Device
from tests.emulator.replaying import replay_text

if TYPE_CHECKING:
    from conftest import Cli



def test_cdp_lines_follow_the_modules(config: Cli) -> None:
    config("console inactivity-timer 10")
    assert config("cdp mode pass-through") == "" and config("no cdp run") == ""
    lines = config("show running-config").splitlines()
    after = lines.index("module B type j8702a") + 1
    assert lines[after:after + 3] == ["no cdp run", "cdp mode pass-through",
                                      "console inactivity-timer 10"]


def test_defaults_are_unwritten(config: Cli) -> None:
    config("cdp mode pre-standard-voice")
    config("no cdp run")
    assert config("cdp mode rx-only") == "" and config("cdp run") == ""
    assert "cdp" not in config("show running-config")


def test_a_startup_config_sets_them(device: Device) -> None:
    booted = replay_text("module A type j8702a\ncdp mode pass-through\n", device.inventory)
    assert booted.errors == []
    assert booted.config.cdp_mode == "pass-through"
    assert "cdp mode pass-through" in render_config(booted.config).splitlines()


def test_an_unknown_mode_is_invalid_input(config: Cli, device: Device) -> None:
    assert config("cdp mode tx-only") == "Invalid input: tx-only"
    assert device.running.cdp_mode == "rx-only"
