"""`banner motd|exec "TEXT"`: typed or read from a startup config, written quoted on one line
(motd first) among the global lines, removed by `no banner motd`, and text the config could
not write back refused."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from emulator.config.render import render_config
from emulator.device import Device
from tests.emulator.replaying import replay_text

if TYPE_CHECKING:
    from conftest import Cli

LINES = [r'banner motd "\nAuthorized access only\n"', 'banner exec "Welcome to the core"']



def test_banners_are_written_quoted_motd_first(config: Cli, device: Device) -> None:
    for line in reversed(LINES):
        assert config(line) == ""
    assert device.running.banners["motd"] == r"\nAuthorized access only\n"
    lines = config("show running-config").splitlines()
    assert [line for line in lines if line.startswith("banner")] == LINES


def test_no_banner_removes_it(config: Cli, device: Device) -> None:
    config(LINES[0])
    assert config("no banner motd") == ""
    assert device.running.banners == {}


def test_a_startup_config_sets_them(device: Device) -> None:
    booted = replay_text("\n".join(LINES) + "\n", device.inventory)
    assert booted.errors == []
    assert [line for line in render_config(booted.config).splitlines()
            if line.startswith("banner")] == LINES


@pytest.mark.parametrize("text, message", [
    ("é", "Invalid input: é"), ("x" * 321, "String too long. Maximum length is 320."),
    ("a\x1bb", "Invalid input: a\x1bb")])
def test_text_the_config_cannot_carry_is_refused(config: Cli, device: Device, text: str,
                                                 message: str) -> None:
    assert config(f'banner motd "{text}"') == message
    assert device.running.banners == {}
