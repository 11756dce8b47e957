"""QoS statements: `qos type-of-service`, `qos dscp-map CODEPOINT priority N` (global, after
`time timezone` as a K.15.06 config has it) and `qos priority N` in port and VLAN contexts;
read from a startup config, typed, undone, shown by `show qos ...`, refused out of range."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from emulator.config.render import render_config
from emulator.device import Device
from tests.emulator.replaying import replay_text

if TYPE_CHECKING:
    from conftest import Cli


def test_a_startup_config_sets_the_map_and_the_priorities(device: Device) -> None:
    text = ("time timezone 180\nqos dscp-map 101110 priority 6\n"
            "interface A2\n   qos priority 5\n   exit\n"
            "vlan 20\n   name \"voice\"\n   qos priority 6\n   voice\n   exit\n")
    booted = replay_text(text, device.inventory)
    assert booted.errors == []
    cfg = booted.config
    assert (cfg.dscp_map, cfg.interfaces["A2"].qos_priority, cfg.vlans[20].qos_priority) == (
        {"101110": 6}, 5, 6)
    lines = render_config(cfg).splitlines()
    at = lines.index("time timezone 180")
    assert lines[at + 1] == "qos dscp-map 101110 priority 6"
    assert lines[lines.index("interface A2") + 1] == "   qos priority 5"
    vlan = lines.index("vlan 20")
    assert lines[vlan + 3:vlan + 5] == ["   qos priority 6", "   voice"]


def test_show_qos_screens_follow_the_config(config: Cli) -> None:
    for line in ("qos type-of-service diff-services", "qos dscp-map 101110 priority 6",
                 "interface A1 qos priority 4", "vlan 1 qos priority 2"):
        assert config(line) == ""
    assert "  101110      6" in config("show qos dscp-map").splitlines()
    assert "  000000      No-override" in config("show qos dscp-map").splitlines()
    assert "Differentiated Services" in config("show qos type-of-service")
    assert "  A1     Priority    | 4" in config("show qos port-priority").splitlines()
    assert "  A2     No-override | No-override" in config("show qos port-priority").splitlines()
    assert "  1       Priority    | 2" in config("show qos vlan-priority").splitlines()


def test_they_are_undone(config: Cli, device: Device) -> None:
    for line in ("qos type-of-service ip-precedence", "qos dscp-map 000001 priority 1",
                 "interface A1 qos priority 4", "vlan 1 qos priority 2"):
        config(line)
    for line in ("no qos type-of-service", "no qos dscp-map 000001",
                 "interface A1 no qos priority", "vlan 1 no qos priority"):
        assert config(line) == ""
    assert "qos" not in config("show running-config")


@pytest.mark.parametrize("line, message", [
    ("qos dscp-map 10111 priority 6", "Invalid input: 10111"),
    ("qos dscp-map 101112 priority 6", "Invalid input: 101112"),
    ("qos dscp-map 101110 priority 8", "Invalid input: 8"),
    ("interface A1 qos priority 9", "Invalid input: 9")])
def test_bad_values_are_refused(config: Cli, device: Device, line: str, message: str) -> None:
    assert config(line) == message
    assert device.running.dscp_map == {} and "A1" not in device.running.interfaces
