"""`logging ADDR [udp|tcp [PORT]]`, `logging severity`, `logging facility` and `show logging`:
stored, rendered where K.15 configs carry them, read back from a saved config, refused with
the switch's message."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from emulator.config.render import render_config
from emulator.device import Device
from tests.emulator.replaying import replay_text

if TYPE_CHECKING:
    from conftest import Cli


def logging_lines(config: Cli) -> list[str]:
    return [line for line in config("show running-config").splitlines()
            if line.startswith("logging")]


def test_hosts_render_their_transport_and_port_unless_default(config: Cli,
                                                             device: Device) -> None:
    assert logging_lines(config) == []
    for line in ("logging 192.0.2.10", "logging 192.0.2.11 udp 5514", "logging 192.0.2.12 tcp",
                 "logging 192.0.2.13 tcp 9514", "logging 192.0.2.14 udp",
                 "logging facility local0", "logging severity warning"):
        assert config(line) == ""
    expected = ["logging 192.0.2.10", "logging 192.0.2.11 udp 5514",
                "logging 192.0.2.12 tcp 1470", "logging 192.0.2.13 tcp 9514",
                "logging 192.0.2.14", "logging facility local0", "logging severity warning"]
    assert logging_lines(config) == expected
    booted = replay_text(render_config(device.running), device.inventory)
    assert booted.errors == [] and booted.config.syslog_hosts == device.running.syslog_hosts
    assert render_config(booted.config) == render_config(device.running)


def test_a_host_named_again_is_replaced_and_no_removes_it(config: Cli) -> None:
    config("logging 192.0.2.10")
    config("logging 192.0.2.10 tcp 2000")
    assert logging_lines(config) == ["logging 192.0.2.10 tcp 2000"]
    config("no logging 192.0.2.10")
    assert logging_lines(config) == []
    config("logging facility kern")
    config("no logging facility")
    config("logging severity major")
    config("no logging severity")
    assert logging_lines(config) == []


def test_seventh_host_is_refused(config: Cli, device: Device) -> None:
    for n in range(6):
        assert config(f"logging 192.0.2.{n + 1}") == ""
    assert config("logging 192.0.2.7") == (
        "Maximum number of syslog servers (6) already configured.")
    assert len(device.running.syslog_hosts) == 6


@pytest.mark.parametrize("line", ["logging 192.0.2.1 udp 80", "logging 192.0.2.1 tcp 49152",
                                  "logging 192.0.2.300", "logging severity critical",
                                  "logging facility local8"])
def test_bad_values_are_invalid_input(config: Cli, device: Device, line: str) -> None:
    assert config(line).startswith("Invalid input: ")
    assert logging_lines(config) == []


def test_show_logging_is_the_event_log(cli: Cli, device: Device) -> None:
    device.events.log("ports", "port A1 is now on-line")
    shown = cli("show logging")
    assert shown == cli("show log")
    assert shown.splitlines()[-2].endswith("00076 ports: port A1 is now on-line")
    assert cli("show logging -r").splitlines()[3].endswith("port A1 is now on-line")
    assert cli("show logging on-line").splitlines()[3:] == [
        shown.splitlines()[-2], "----  Bottom of Log : Events Listed = 1  ----"]


def test_write_memory_is_logged_with_the_startup_sequence_number(cli: Cli) -> None:
    cli("write memory")
    cli("write memory")
    saved = [line for line in cli("show logging").splitlines() if "Startup configuration" in line]
    assert [line.split(" ", 4)[-1] for line in saved] == [
        "mgr: Startup configuration changed by CLI. New seq. number 1",
        "mgr: Startup configuration changed by CLI. New seq. number 2"]
