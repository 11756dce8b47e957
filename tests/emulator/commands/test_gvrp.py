"""`[no] gvrp`: read from a startup config (written after the hostname's global lines), typed,
undone, and shown by `show gvrp` with each port's unknown-vlans mode."""

from __future__ import annotations

from typing import TYPE_CHECKING

from emulator.config.render import render_config
from emulator.device import Device
from tests.emulator.replaying import replay_text

if TYPE_CHECKING:
    from conftest import Cli


def test_a_startup_config_turns_gvrp_on(device: Device) -> None:
    booted = replay_text('hostname "sw"\ngvrp\n', device.inventory)
    assert booted.errors == [] and booted.config.gvrp
    lines = render_config(booted.config).splitlines()
    assert lines[lines.index("module B type j8702a") + 1] == "gvrp"


def test_show_gvrp(config: Cli, device: Device) -> None:
    assert "  GVRP Enabled [No]              : No" in config("show gvrp").splitlines()
    assert config("gvrp") == ""
    assert config("interface A2 unknown-vlans block") == ""
    screen = config("show gvrp").splitlines()
    assert "  GVRP Enabled [No]              : Yes" in screen
    assert "  Primary VLAN                   : DEFAULT_VLAN" in screen
    assert "  A2    | Block         80          20         1000" in screen
    assert config("no gvrp") == "" and not device.running.gvrp
    assert "gvrp" not in config("show running-config")
