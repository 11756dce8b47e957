"""`module <slot> type <module-type>`: typed at the prompt it says what the config file says,
and the hardware wins over both."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from emulator.cli.context import CONFIG
from emulator.device import Device

if TYPE_CHECKING:
    from conftest import Cli


@pytest.fixture
def config(cli: Cli) -> Cli:
    cli.session.enter(CONFIG)
    return cli


def test_module_lines_agree_with_the_hardware_or_are_refused(config: Cli, device: Device) -> None:
    assert config("module A type j8702a") == ""
    assert config("module a type J8702A") == ""
    assert config("module B type j8706a") == (
        "Module B type mismatch: j8706a configured, j8702a found.")
    assert config("module C type j8702a") == "Module C is not present."
    assert config("module D type j9999a") == "Invalid input: j9999a"
    assert config("module Z type j8702a") == "Invalid input: Z"
    assert device.running.modules == {"A": "J8702A", "B": "J8702A"}

