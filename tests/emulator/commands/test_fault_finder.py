"""`[no] fault-finder KIND|all [sensitivity ...] [action ...]`: read from a startup config,
typed (options in either order), written back only away from the defaults, shown by `show
fault-finder`, undone."""

from __future__ import annotations

from typing import TYPE_CHECKING

from emulator.config.model import FaultSetting
from emulator.config.render import render_config
from emulator.device import Device
from tests.emulator.replaying import replay_text

if TYPE_CHECKING:
    from conftest import Cli

LINES = ["fault-finder broadcast-storm sensitivity high action warn-and-disable",
         "no fault-finder duplex-mismatch-HDx"]


def test_a_startup_config_sets_them_and_they_render_back(device: Device) -> None:
    booted = replay_text("\n".join(reversed(LINES)) + "\n", device.inventory)
    assert booted.errors == []
    assert booted.config.faults == {
        "broadcast-storm": FaultSetting(True, "high", "warn-and-disable"),
        "duplex-mismatch-HDx": FaultSetting(False)}
    lines = render_config(booted.config).splitlines()
    start = lines.index(LINES[0])
    assert lines[start:start + 2] == LINES


def test_show_fault_finder(config: Cli) -> None:
    assert config("fault-finder bad-cable action warn-and-disable sensitivity low") == ""
    assert config("no fault-finder link-flap") == ""
    screen = config("show fault-finder").splitlines()
    assert "bad-cable             low          warn-and-disable" in screen
    assert "link-flap             off          -" in screen
    assert "loss-of-link          medium       warn" in screen


def test_all_and_the_defaults(config: Cli, device: Device) -> None:
    assert config("fault-finder all sensitivity high") == ""
    assert len(device.running.faults) == 10
    assert config("fault-finder all") == ""
    assert device.running.faults == {}
    assert "fault-finder" not in config("show running-config")
    assert config("fault-finder bad-luck") == "Invalid input: bad-luck"
