"""`snmpv3 engineid "..."` and the one-line `snmp-server contact "C" location "L"`: read from
a startup config (as real K.15 configs carry them) or typed, the engine ID written back after
the snmp-server lines, and malformed values refused with nothing changed."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from emulator.config.render import render_config
from emulator.device import Device
from tests.emulator.replaying import replay_text

if TYPE_CHECKING:
    from conftest import Cli

ENGINE = 'snmpv3 engineid "00:00:00:0b:00:00:00:16:35:22:a7:40"'



def test_a_k15_snmp_block_boots_and_renders_back(device: Device) -> None:
    text = ('snmp-server contact "branch3" location "Somewhere Cold"\n'
            'snmp-server host 10.101.0.203 community "public"\n' + ENGINE + "\nsnmpv3 enable\n")
    booted = replay_text(text, device.inventory)
    assert booted.errors == []
    cfg = booted.config
    assert (cfg.snmp_contact, cfg.snmp_location) == ("branch3", "Somewhere Cold")
    lines = render_config(cfg).splitlines()
    assert lines[lines.index(ENGINE) - 1:lines.index(ENGINE) + 2] == [
        'snmp-server host 10.101.0.203 community "public"', ENGINE, "snmpv3 enable"]


def test_the_engine_id_is_kept_in_lower_case(config: Cli, device: Device) -> None:
    assert config('snmpv3 engineid "00:00:00:0B:00:00:AA:BB:CC:DD:EE:FF"') == ""
    assert device.running.snmpv3_engine_id == "00:00:00:0b:00:00:aa:bb:cc:dd:ee:ff"


@pytest.mark.parametrize("value", ["00:00:00:0b", "0:00:00:0b:00", "00:00:00:0b:zz",
                                   ":".join(["00"] * 33), "00-00-00-0b-00"])
def test_a_malformed_engine_id_is_invalid_input(config: Cli, device: Device,
                                                value: str) -> None:
    assert config(f'snmpv3 engineid "{value}"') == f"Invalid input: {value}"
    assert device.running.snmpv3_engine_id == ""


def test_a_bad_location_leaves_the_contact_unchanged(config: Cli, device: Device) -> None:
    assert config('snmp-server contact "noc" location "é"') == "Invalid input: é"
    assert (device.running.snmp_contact, device.running.snmp_location) == ("", "")


HOST = 'snmp-server host 192.168.176.16 community "xxxx" trap-level critical'


def test_a_receivers_trap_level_boots_renders_and_shows(device: Device) -> None:
    booted = replay_text(HOST + "\n", device.inventory)
    assert booted.errors == []
    assert booted.config.trap_receivers[0].trap_level == "critical"
    assert HOST in render_config(booted.config).splitlines()


@pytest.mark.parametrize("line, written", [
    ('snmp-server host 10.0.0.9 community "nms" not-info inform',
     'snmp-server host 10.0.0.9 community "nms" trap-level not-info inform'),
    ('snmp-server host 10.0.0.9 community "nms" trap-level none',
     'snmp-server host 10.0.0.9 community "nms"')])
def test_the_level_is_taken_with_or_without_its_keyword(config: Cli, line: str,
                                                        written: str) -> None:
    assert config(line) == ""
    assert written in config("show running-config").splitlines()


def test_show_snmp_server_names_the_level_in_the_events_column(config: Cli) -> None:
    config('snmp-server host 10.0.0.9 community "nms" trap-level all')
    rows = [line for line in config("show snmp-server").splitlines() if "10.0.0.9" in line]
    assert rows == ["  10.0.0.9               nms                    All      trap   3       15"]


def test_an_unknown_level_is_invalid_input(config: Cli, device: Device) -> None:
    assert config('snmp-server host 10.0.0.9 community "nms" trap-level loud') == (
        "Invalid input: loud")
    assert device.running.trap_receivers == []
