"""`primary-vlan N` and `management-vlan N`: typed or read from a startup config, written after
the VLAN blocks (primary first), shown at the head of `show vlans`, and the switch's refusals
(a primary VLAN that does not exist, deleting the primary VLAN)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from emulator.config.render import render_config
from emulator.device import Device
from tests.emulator.replaying import replay_text

if TYPE_CHECKING:
    from conftest import Cli



def _head(text: str) -> dict[str, str]:
    return {line.split(" : ")[0].strip(): line.split(" : ")[1].strip()
            for line in text.splitlines()[:8] if " : " in line}


def test_roles_are_written_after_the_vlans_and_shown(config: Cli) -> None:
    config("vlan 42 name MGMT")
    config("no autorun")
    assert config("management-vlan 42") == ""
    assert config("primary-vlan 42") == ""
    lines = config("show running-config").splitlines()
    at = lines.index("primary-vlan 42")
    assert lines[at - 1:at + 3] == ["   exit", "primary-vlan 42", "management-vlan 42",
                                    "no autorun"]
    head = _head(config("show vlans"))
    assert head["Primary VLAN"] == "MGMT" and head["Management VLAN"] == "MGMT"


def test_defaults_are_unwritten(config: Cli, device: Device) -> None:
    config("vlan 42")
    config("primary-vlan 42")
    config("management-vlan 42")
    assert config("primary-vlan 1") == "" and config("no management-vlan") == ""
    text = config("show running-config")
    assert "primary-vlan" not in text and "management-vlan" not in text
    assert _head(config("show vlans"))["Primary VLAN"] == "DEFAULT_VLAN"


def test_a_startup_config_sets_them(device: Device) -> None:
    text = "vlan 20\n   name \"mgmt\"\n   exit\nprimary-vlan 20\nmanagement-vlan 30\n"
    booted = replay_text(text, device.inventory)
    assert booted.errors == []
    assert (booted.config.primary_vlan, booted.config.management_vlan) == (20, 30)
    assert render_config(booted.config).splitlines()[-2:] == ["primary-vlan 20",
                                                               "management-vlan 30"]


def test_the_primary_vlan_must_exist_and_cannot_be_deleted(config: Cli,
                                                           device: Device) -> None:
    assert config("primary-vlan 99") == "VLAN 99 does not exist."
    config("vlan 5")
    config("primary-vlan 5")
    assert config("no vlan 5") == "The primary VLAN cannot be deleted."
    assert 5 in device.running.vlans and device.running.primary_vlan == 5
    assert config("management-vlan 4095") == "Invalid input: 4095"
