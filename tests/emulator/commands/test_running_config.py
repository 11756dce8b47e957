"""show running-config, show config and hostname."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import pytest

from emulator.device import Device

if TYPE_CHECKING:
    from conftest import Cli, NapalmFactory



def test_running_config_title_and_body(cli: Cli, device: Device) -> None:
    text = cli("show running-config")
    assert text.startswith("\nRunning configuration:\n\n; J8715A Configuration Editor;")
    assert text == "\nRunning configuration:\n\n" + device.running_text().rstrip("\n")


def test_startup_config_defaults_to_factory(cli: Cli, device: Device) -> None:
    text = cli("show config")
    assert text.startswith("\nStartup configuration:\n\n; J8715A Configuration Editor;")
    assert 'hostname "HP-8212zl"' in text


def test_napalm_get_config(config: Cli, device: Device, napalm: NapalmFactory) -> None:
    assert config("hostname lab-core") == ""
    configs = napalm().get_config()
    assert configs["running"].startswith("; Ver #")
    assert 'hostname "lab-core"' in configs["running"]
    assert 'hostname "HP-8212zl"' in configs["startup"]
    asyncio.run(device.write_memory())
    assert napalm().get_config()["startup"] == configs["running"]


def test_hostname_refusals(config: Cli, device: Device) -> None:
    assert config(f"hostname {'h' * 33}") == "String too long. Maximum length is 32."
    assert config(f"hostname {'h' * 32}") == ""
    assert device.running.hostname == "h" * 32
    assert config("show running-config") != ""


def test_show_config_needs_manager(cli: Cli) -> None:
    from emulator.cli.grammar import Level

    cli.session.set_level(Level.OPERATOR)
    assert cli("show config").startswith("Invalid input")


def test_write_terminal_is_the_running_config(config: Cli) -> None:
    assert config("hostname lab-core") == ""
    assert config("write terminal") == config("show running-config")
    assert 'hostname "lab-core"' in config("write term")


@pytest.mark.parametrize("command", ["show config status", "show running-config status"])
def test_config_status_follows_write_memory(config: Cli, device: Device, command: str) -> None:
    same = "Running configuration is same as the startup configuration."
    assert config(command) == same
    assert config("hostname lab-core") == ""
    assert config(command) == "Running configuration has been changed and needs to be saved."
    asyncio.run(device.write_memory())
    assert config(command) == same
