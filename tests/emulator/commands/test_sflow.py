"""sFlow: `sflow N destination|sampling|polling` read from a startup config (written after the
credentials: destination, polling, sampling), typed, undone, shown by `show sflow ...`;
sampling before a destination, a bad instance or port are refused."""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING

import pytest

from emulator.config.render import render_config
from emulator.device import Device
from tests.emulator.replaying import replay_text

if TYPE_CHECKING:
    from conftest import Cli

LINES = ["sflow 2 destination 10.101.0.203", "sflow 2 polling A1-A22,B1-B24 20",
         "sflow 2 sampling A1-A22,B1-B24 1000"]


def test_a_startup_config_sets_an_instance_and_renders_it_back(device: Device) -> None:
    booted = replay_text("\n".join(LINES) + "\n", device.inventory)
    assert booted.errors == []
    sflow = booted.config.sflow[2]
    assert sflow.destination == ipaddress.IPv4Address("10.101.0.203")
    assert (sflow.sampling["B24"], sflow.polling["A1"], "A23" in sflow.sampling) == (
        1000, 20, False)
    lines = render_config(booted.config).splitlines()
    start = lines.index(LINES[0])
    assert lines[start:start + 3] == LINES


def test_show_sflow_screens(config: Cli) -> None:
    assert config("sflow 1 destination 10.0.0.5 6400") == ""
    assert config("sflow 1 sampling A1-A2 500") == ""
    assert config("sflow 1 polling A2 30") == ""
    destination = config("show sflow 1 destination").splitlines()
    assert " Destination Address           : 10.0.0.5" in destination
    assert " Receiver Port                 : 6400" in destination
    assert " sflow                         : Enabled" in destination
    rows = config("show sflow 1 sampling-polling A1-A3").splitlines()[-3:]
    assert [row.split() for row in rows] == [
        ["A1", "|", "Yes", "500", "128", "|", "0", "|", "No", "0"],
        ["A2", "|", "Yes", "500", "128", "|", "0", "|", "Yes", "30"],
        ["A3", "|", "No", "0", "128", "|", "0", "|", "No", "0"]]
    assert " Version                       : 1.3;HP;K.15.16.0008" in config(
        "show sflow agent").splitlines()
    assert "sflow 1 destination 10.0.0.5 6400" in config("show running-config").splitlines()


def test_they_are_undone(config: Cli, device: Device) -> None:
    config("sflow 3 destination 10.0.0.5")
    config("sflow 3 sampling A1-A4 100")
    assert config("no sflow 3 sampling A1-A2") == ""
    assert config("sflow 3 sampling A3 0") == ""
    assert device.running.sflow[3].sampling == {"A4": 100}
    assert config("no sflow 3 destination") == ""
    assert device.running.sflow == {}
    assert " sflow                         : Disabled" in config(
        "show sflow 3 destination").splitlines()


@pytest.mark.parametrize("line, message", [
    ("sflow 1 sampling A1 100", "sFlow destination 1 is not configured."),
    ("sflow 4 destination 10.0.0.5", "Invalid input: 4"),
    ("sflow 1 destination 10.0.0.5 0", "Invalid input: 0")])
def test_refusals(config: Cli, device: Device, line: str, message: str) -> None:
    assert config(line) == message
    assert device.running.sflow == {}


def test_a_port_not_installed_is_refused(config: Cli, device: Device) -> None:
    config("sflow 1 destination 10.0.0.5")
    assert config("sflow 1 polling C1 20") == "Module not present for port or invalid port: C1"
    assert device.running.sflow[1].polling == {}
