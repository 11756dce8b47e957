"""`ip dns domain-name` and `ip dns server-address priority N`: typed or read from a startup
config, written after `ip default-gateway` by priority, shown by `show ip`, and removed."""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING

import pytest

from emulator.config.render import render_config
from emulator.device import Device
from tests.emulator.replaying import replay_text

if TYPE_CHECKING:
    from conftest import Cli

LINES = ["ip default-gateway 10.0.0.1", 'ip dns domain-name "lab.example"',
         "ip dns server-address priority 1 10.0.0.53",
         "ip dns server-address priority 2 10.0.0.54"]



def test_dns_lines_follow_the_gateway_by_priority(config: Cli) -> None:
    for line in reversed(LINES):
        assert config(line) == ""
    lines = config("show running-config").splitlines()
    start = lines.index(LINES[0])
    assert lines[start:start + 4] == LINES


def test_show_ip_shows_the_suffix_and_the_first_server(config: Cli) -> None:
    config("ip dns server-address priority 3 10.0.0.99")
    config("ip dns server-address priority 2 10.0.0.54")
    config("ip dns domain-name lab.example")
    fields = {line.split(":")[0].strip(): line.split(":", 1)[1].strip()
              for line in config("show ip").splitlines() if " : " in line}
    assert fields["Domain Suffix"] == "lab.example" and fields["DNS server"] == "10.0.0.54"


def test_no_forms_remove_them(config: Cli, device: Device) -> None:
    for line in LINES[1:]:
        config(line)
    assert config("no ip dns domain-name") == ""
    assert config("no ip dns server-address priority 1 10.0.0.53") == ""
    assert config("no ip dns server-address priority 2") == ""
    assert (device.running.dns_domain, device.running.dns_servers) == ("", {})


def test_a_startup_config_sets_them(device: Device) -> None:
    booted = replay_text("\n".join(LINES) + "\n", device.inventory)
    assert booted.errors == []
    assert booted.config.dns_servers[2] == ipaddress.IPv4Address("10.0.0.54")
    assert [line for line in render_config(booted.config).splitlines()
            if line.startswith("ip ")] == LINES


@pytest.mark.parametrize("line, message", [
    ("ip dns server-address priority 4 10.0.0.1", "Invalid input: 4"),
    ("ip dns server-address priority 1 10.0.0.300", "Invalid input: 10.0.0.300"),
    ("ip dns domain-name \"a\tb\"", "Invalid input: a\tb")])
def test_bad_values_are_refused(config: Cli, device: Device, line: str, message: str) -> None:
    assert config(line) == message
    assert (device.running.dns_domain, device.running.dns_servers) == ("", {})
