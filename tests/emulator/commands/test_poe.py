"""`[no] power-over-ethernet pre-std-detect`: typed or read from a startup config, written
between the console lines and include-credentials, and undone by its `no` form."""

from __future__ import annotations

from typing import TYPE_CHECKING

from emulator.config.render import render_config
from emulator.device import Device
from tests.emulator.replaying import replay_text

if TYPE_CHECKING:
    from conftest import Cli

LINE = "power-over-ethernet pre-std-detect"



def test_it_follows_the_console_lines(config: Cli) -> None:
    for line in ("include-credentials", LINE, "console baud-rate 9600"):
        assert config(line) == ""
    lines = config("show running-config").splitlines()
    at = lines.index(LINE)
    assert lines[at - 1:at + 2] == ["console baud-rate 9600", LINE, "include-credentials"]
    assert config(f"no {LINE}") == ""
    assert LINE not in config("show running-config")


def test_a_startup_config_sets_it(device: Device) -> None:
    booted = replay_text(f"console baud-rate 9600\n{LINE}\n", device.inventory)
    assert booted.errors == [] and booted.config.poe_pre_std_detect
    assert LINE in render_config(booted.config).splitlines()


def test_a_trailing_word_is_invalid_input(config: Cli, device: Device) -> None:
    assert config(f"{LINE} now") == "Invalid input: now"
    assert not device.running.poe_pre_std_detect
