"""`[no] lldp run` and `lldp admin-status PORTS MODE`: typed or read from a startup config,
written before the VLAN blocks (a 15.x config: `no lldp run`, then `vlan 1`), shown by `show
lldp config`, undone; bad ports refused. The fabric's obedience is in
tests/emulator/fabric/test_lldp.py."""

from __future__ import annotations

from typing import TYPE_CHECKING

from emulator.config.render import render_config
from emulator.device import Device
from tests.emulator.replaying import replay_text

if TYPE_CHECKING:
    from conftest import Cli


def test_a_startup_config_turns_lldp_off_before_the_vlans(device: Device) -> None:
    text = "no lldp run\nlldp admin-status A1-A2,B3 rxonly\nlldp admin-status A4 disable\n"
    booted = replay_text(text, device.inventory)
    assert booted.errors == []
    cfg = booted.config
    assert not cfg.lldp_run
    assert cfg.lldp_admin == {"A1": "rxonly", "A2": "rxonly", "B3": "rxonly", "A4": "disable"}
    lines = render_config(cfg).splitlines()
    vlan = lines.index("vlan 1")
    assert lines[vlan - 3:vlan] == ["no lldp run", "lldp admin-status A1-A2,B3 rxonly",
                                    "lldp admin-status A4 disable"]


def test_show_lldp_config_follows_the_settings(config: Cli) -> None:
    assert config("no lldp run") == ""
    assert config("lldp admin-status A2 txonly") == ""
    text = config("show lldp config A1-A2")
    assert "  LLDP Enabled               [Yes] : No" in text.splitlines()
    assert text.splitlines()[-2:] == ["  A1    | Tx_Rx       False               False",
                                      "  A2    | Tx_Only     False               False"]


def test_they_are_undone(config: Cli, device: Device) -> None:
    config("no lldp run")
    config("lldp admin-status A1 disable")
    assert config("lldp run") == ""
    assert config("lldp admin-status A1 tx_rx") == ""
    assert (device.running.lldp_run, device.running.lldp_admin) == (True, {})
    assert "lldp" not in config("show running-config")


def test_a_port_not_installed_is_refused(config: Cli, device: Device) -> None:
    assert config("lldp admin-status C1 rxonly") == (
        "Module not present for port or invalid port: C1")
    assert config("lldp admin-status A1 sometimes") == "Invalid input: sometimes"
    assert device.running.lldp_admin == {}
