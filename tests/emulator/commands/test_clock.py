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
