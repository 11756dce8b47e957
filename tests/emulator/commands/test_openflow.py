"""OpenFlow: the `openflow` context and its nested `instance` context, typed (prompts, `exit`
back through the parent, one-line forms) or read from a startup config (the nested block as
K.15 writes it comes back byte for byte), shown by `show openflow [instance NAME]`, undone,
and refused where an instance names a controller that does not exist."""

from __future__ import annotations

from typing import TYPE_CHECKING

from emulator.cli.context import CONFIG, Level, Mode, ModeKind
from emulator.config.render import render_config
from emulator.device import Device
from tests.emulator.replaying import replay_text

if TYPE_CHECKING:
    from conftest import Cli

BLOCK = """openflow
   controller-id 1 ip 10.24.150.30 controller-interface vlan 1
   instance "br0"
      member vlan 2
      controller-id 1
      version 1.3
      connection-interruption-mode fail-standalone
      max-backoff-interval 5
      enable
      exit
   ip-control-table-mode
   enable
   exit
"""


def test_the_nested_block_boots_and_renders_back(device: Device) -> None:
    booted = replay_text("vlan 2\n   exit\n" + BLOCK + "no lldp run\n", device.inventory)
    assert booted.errors == []
    openflow = booted.config.openflow
    assert openflow.enabled and openflow.ip_control_table_mode
    instance = openflow.instances["br0"]
    assert (instance.member_vlans, instance.controllers, instance.version, instance.enabled) == (
        {2}, [1], "1.3", True)
    text = render_config(booted.config)
    assert BLOCK + "no lldp run\n" in text
    assert not booted.config.lldp_run  # the line after the block is a global one again


def test_the_contexts_nest_and_exit_walks_back(config: Cli) -> None:
    assert config("openflow") == ""
    assert config.session.mode == Mode(ModeKind.OPENFLOW)
    assert config.session.mode.prompt("sw", Level.MANAGER) == "sw(openflow)# "
    assert config("controller-id 2 ip 10.0.0.9 port 6653 controller-interface vlan 1") == ""
    assert config('instance "lab"') == ""
    assert config.session.mode.prompt("sw", Level.MANAGER) == "sw(of-inst-lab)# "
    for line in ("member vlan 1", "controller-id 2", "enable"):
        assert config(line) == ""
    assert config("exit") == "" and config.session.mode == Mode(ModeKind.OPENFLOW)
    assert config("enable") == ""
    assert config("exit") == "" and config.session.mode == CONFIG
    assert config.device.running.openflow.enabled
    assert config.device.running.openflow.instances["lab"].enabled


def test_one_line_forms_reach_into_the_instance(config: Cli, device: Device) -> None:
    assert config("openflow controller-id 1 ip 10.0.0.9 controller-interface vlan 1") == ""
    assert config("openflow instance br1 controller-id 1") == ""
    assert config("openflow instance br1 enable") == ""
    assert config.session.mode == CONFIG
    instance = device.running.openflow.instances["br1"]
    assert (instance.controllers, instance.enabled) == ([1], True)


def test_show_openflow(config: Cli) -> None:
    config("openflow controller-id 1 ip 10.0.0.9 controller-interface vlan 1")
    config("openflow instance br0 version 1.3")
    config("openflow instance br0 member vlan 1")
    screen = config("show openflow").splitlines()
    assert " OpenFlow                     : Disabled" in screen
    assert "  1             Disconnected      10.0.0.9        6633  VLAN 1" in screen
    assert "  br0                  Down          0          0          1.3" in screen
    detail = config("show openflow instance br0").splitlines()
    assert " Member List                  : VLAN 1" in detail
    assert " Configured OF Version        : 1.3" in detail
    assert config("show openflow instance nope") == "Invalid input: nope"


def test_they_are_undone(config: Cli, device: Device) -> None:
    config("openflow controller-id 1 ip 10.0.0.9 controller-interface vlan 1")
    config("openflow instance br0 controller-id 1")
    config("openflow enable")
    assert config("openflow no instance br0") == ""
    assert config("openflow no controller-id 1") == ""
    assert config("openflow no enable") == ""
    assert device.running.openflow.is_default()
    assert "openflow" not in config("show running-config")


def test_an_unknown_controller_is_refused(config: Cli, device: Device) -> None:
    assert config("openflow instance br0 controller-id 7") == "Controller 7 is not configured."
    assert device.running.openflow.instances["br0"].controllers == []
