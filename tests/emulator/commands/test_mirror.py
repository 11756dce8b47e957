"""Port mirroring: `mirror N port PORT` and `monitor all DIRECTION mirror N` read from a
startup config, typed (one-line form), written back (sessions before the interface blocks,
`monitor` in the port's block), shown by `show monitor [N]`, undone, and refused where a
session is missing or a destination would be a source."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from emulator.config.render import render_config
from emulator.device import Device
from tests.emulator.replaying import replay_text

if TYPE_CHECKING:
    from conftest import Cli


def test_a_startup_config_mirrors_and_renders_back(device: Device) -> None:
    text = ('mirror 1 port A24 name "ids"\ninterface A1\n   monitor all both mirror 1\n'
            '   name "uplink"\n   exit\n')
    booted = replay_text(text, device.inventory)
    assert booted.errors == []
    assert booted.config.interfaces["A1"].monitor == {1: "both"}
    lines = render_config(booted.config).splitlines()
    at = lines.index('mirror 1 port A24 name "ids"')
    assert lines[at + 1:at + 5] == ["interface A1", "   monitor all both mirror 1",
                                    '   name "uplink"', "   exit"]


def test_show_monitor(config: Cli) -> None:
    assert config("mirror 2 port B24") == ""
    assert config("interface A1-A2 monitor all in mirror 2") == ""
    screen = config("show monitor").splitlines()
    assert "  1         not defined" in screen
    assert "  2         active      port    2        no" in screen
    session = config("show monitor 2").splitlines()
    assert "  Mirror Destination: B24 (Port)" in session
    assert "  Port: A1            Rx" in session


def test_they_are_undone(config: Cli, device: Device) -> None:
    config("mirror 1 port A24")
    config("interface A1 monitor all both mirror 1")
    config("interface A2 monitor all out mirror 1")
    assert config("interface A1 no monitor all both mirror 1") == ""
    assert config("interface A2 no monitor") == ""
    assert device.running.interfaces == {}
    config("interface A3 monitor all both mirror 1")
    assert config("no mirror 1") == ""
    assert device.running.interfaces == {} and device.running.mirrors == {}
    assert "mirror" not in config("show running-config")


@pytest.mark.parametrize("line, message", [
    ("interface A2 monitor all both mirror 3", "Mirror session 3 is not configured."),
    ("interface A24 monitor all both mirror 1", "Port A24 is a mirror destination."),
    ("mirror 2 port A1", "Port A1 is monitored by a mirror session."),
    ("mirror 5 port A2", "Invalid input: 5"),
    ("mirror 2 port A2-A3", "Invalid input: A2-A3")])
def test_refusals(config: Cli, device: Device, line: str, message: str) -> None:
    config("mirror 1 port A24")
    config("interface A1 monitor all both mirror 1")
    before = (dict(device.running.mirrors), device.running.interfaces["A1"].monitor.copy())
    assert config(line) == message
    assert (device.running.mirrors, device.running.interfaces["A1"].monitor) == before
