"""`no autorun`, `no dhcp config-file-update|image-file-update` and `include-credentials`:
typed or read from a startup config, written where K.15 writes them (the `no` lines after the
VLANs, before the passwords; include-credentials among the global lines), and undone."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from emulator.config.render import render_config
from emulator.device import Device
from tests.emulator.replaying import replay_text

if TYPE_CHECKING:
    from conftest import Cli

TAIL = ["no autorun", "no dhcp config-file-update", "no dhcp image-file-update"]



def test_the_no_lines_close_the_config_before_the_passwords(config: Cli) -> None:
    for line in ("password manager", "no dhcp image-file-update", "no autorun",
                 "no dhcp config-file-update"):
        config(line)
    lines = config("show running-config").splitlines()
    end = lines.index("password manager")
    assert lines[end - 4:end] == ["   exit", *TAIL]


def test_they_are_undone(config: Cli, device: Device) -> None:
    for line in (*TAIL, "include-credentials"):
        assert config(line) == ""
    for line in ("autorun", "dhcp config-file-update", "dhcp image-file-update",
                 "no include-credentials"):
        assert config(line) == ""
    text = config("show running-config")
    assert not set(TAIL) & set(text.splitlines()) and "include-credentials" not in text


def test_include_credentials_is_a_global_line_before_the_time(config: Cli) -> None:
    config("time timezone 60")
    assert config("include-credentials") == ""
    lines = config("show running-config").splitlines()
    after = lines[lines.index("module B type j8702a") + 1:]
    assert after[0] == "include-credentials"
    assert [line.split()[:2] for line in after[1:3]] == [["password", "manager"],
                                                        ["password", "operator"]]
    assert after[3] == "time timezone 60"


def test_a_startup_config_sets_them(device: Device) -> None:
    text = "include-credentials\n" + "\n".join(TAIL) + "\n"
    booted = replay_text(text, device.inventory)
    assert booted.errors == []
    cfg = booted.config
    assert (cfg.autorun, cfg.dhcp_updates, cfg.include_credentials) == (False, set(), True)
    rendered = render_config(cfg).splitlines()
    assert rendered[-3:] == TAIL and "include-credentials" in rendered


@pytest.mark.parametrize("line, message", [
    ("dhcp foo-update", "Invalid input: foo-update"), ("no autorun now", "Invalid input: now"),
    ("dhcp", "Incomplete input: dhcp")])
def test_bad_forms_are_refused(config: Cli, device: Device, line: str, message: str) -> None:
    assert config(line) == message
    assert device.running.autorun and len(device.running.dhcp_updates) == 2
