"""`[no] web-management [ssl|plaintext]`: typed or read from a startup config, only the
settings away from their default written (agent, ssl, plaintext), before the `ip` lines."""

from __future__ import annotations

from typing import TYPE_CHECKING

from emulator.config.render import render_config
from emulator.device import Device
from tests.emulator.replaying import replay_text

if TYPE_CHECKING:
    from conftest import Cli

LINES = ["no web-management", "web-management ssl", "no web-management plaintext"]



def test_changed_settings_are_written_before_the_ip_lines(config: Cli) -> None:
    config("ip default-gateway 10.0.0.1")
    for line in reversed(LINES):
        assert config(line) == ""
    lines = config("show running-config").splitlines()
    at = lines.index(LINES[0])
    assert lines[at:at + 4] == [*LINES, "ip default-gateway 10.0.0.1"]


def test_back_to_the_defaults_writes_nothing(config: Cli) -> None:
    for line in LINES:
        config(line)
    for line in ("web-management", "no web-management ssl", "web-management plaintext"):
        assert config(line) == ""
    assert "web-management" not in config("show running-config")


def test_a_startup_config_sets_them(device: Device) -> None:
    booted = replay_text("\n".join(LINES) + "\n", device.inventory)
    assert booted.errors == []
    assert booted.config.web == {"": False, "ssl": True, "plaintext": False}
    assert [line for line in render_config(booted.config).splitlines()
            if "web-management" in line] == LINES


def test_an_unknown_service_is_invalid_input(config: Cli, device: Device) -> None:
    assert config("web-management telnet") == "Invalid input: telnet"
    assert device.running.web == {"": True, "ssl": False, "plaintext": True}
