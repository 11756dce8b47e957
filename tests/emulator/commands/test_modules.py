"""`module <slot> type <module-type>`: typed at the prompt it says what the config file says,
and the hardware wins over both."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from emulator.config.render import render_config
from emulator.device import Device
from emulator.hardware import Inventory
from tests.emulator.replaying import replay_text

if TYPE_CHECKING:
    from conftest import Cli, NtcParse



def test_module_lines_agree_with_the_hardware_or_are_refused(config: Cli, device: Device) -> None:
    assert config("module A type j8702a") == ""
    assert config("module a type J8702A") == ""
    assert config("module B type j8706a") == (
        "Module B type mismatch: j8706a configured, j8702a found.")
    assert config("module C type j8702a") == "Module C is not present."
    assert config("module D type j9999a") == "Invalid input: j9999a"
    assert config("module Z type j8702a") == "Invalid input: Z"
    assert device.running.modules == {"A": "J8702A", "B": "J8702A"}



def test_the_numbered_form_names_the_same_slots(config: Cli, device: Device) -> None:
    """K.15 prints `module 1 type j9534a` for some chassis: slot 1 is A, 12 is L."""
    assert config("module 1 type j8702a") == ""
    assert config("module 2 type j8706a") == (
        "Module B type mismatch: j8706a configured, j8702a found.")
    assert config("module 12 type j8702a") == "Module L is not present."
    assert config("module 13 type j8702a") == "Invalid input: 13"
    assert device.running.modules == {"A": "J8702A", "B": "J8702A"}


MIXED = Inventory.generate("mixed", {"A": "J9536A", "C": "J9538A", "F": "J9547A",
                                     "L": "J8708A"})
"""A chassis of v2 zl and zl modules with copper, SFP+, 10/100 and CX4 ports."""


@pytest.mark.parametrize("inventory", [MIXED])
def test_show_modules_follows_the_inventory(cli: Cli) -> None:
    rows = cli("show modules").split("\n")
    serials = MIXED.module_serials
    assert rows[-4:] == [
        f"  A     {'HP J9536A 20p GT PoE+/2p SFP+ v2 zl Module':<45} {serials['A']:<16} Up",
        f"  C     {'HP J9538A 8p 10-GbE SFP+ v2 zl Module':<45} {serials['C']:<16} Up",
        f"  F     {'HP J9547A 24p 10/100 PoE+ v2 zl Module':<45} {serials['F']:<16} Up",
        f"  L     {'HP J8708A 4p 10-GbE CX4 zl Module':<45} {serials['L']:<16} Up",
    ]


@pytest.mark.parametrize("inventory", [MIXED])
def test_show_interfaces_brief_follows_the_inventory(cli: Cli, ntc: NtcParse) -> None:
    records = {r["port"]: r for r in ntc("show interfaces brief", cli("show interfaces brief"))}
    assert list(records) == MIXED.ports()
    assert len(records) == 22 + 8 + 24 + 4
    assert [records[p]["type"] for p in ("A1", "A21", "C8", "F24", "L4")] == [
        "100/1000T", "", "", "10/100TX", "10GbE-CX4"]
    assert [records[p]["mode"] for p in ("A1", "C1", "F1", "L1")] == [
        "1000FDx", ".", "100FDx", "10GigFD"]


@pytest.mark.parametrize("inventory", [MIXED])
def test_a_startup_config_of_the_inventory_boots_and_renders_it(inventory: Inventory) -> None:
    """The module lines, lettered or numbered, agree with the hardware; the config renders
    them in the 8212zl's lettered form, in slot order."""
    text = "\n".join(["hostname \"mixed\"", "module 12 type j8708a", "module 1 type j9536a",
                      "module C type j9538a", "module f type J9547A",
                      "interface C8", "   name \"uplink\"", "   exit"])
    replayed = replay_text(text, inventory)
    assert replayed.errors == []
    rendered = render_config(replayed.config).split("\n")
    assert [line for line in rendered if line.startswith("module ")] == [
        "module A type j9536a", "module C type j9538a", "module F type j9547a",
        "module L type j8708a"]


@pytest.mark.parametrize("inventory", [MIXED])
def test_a_config_for_other_hardware_keeps_the_hardware(inventory: Inventory) -> None:
    """The hardware wins: a line naming another module or an empty slot is refused with the
    switch's message, the ports of the installed module stay, and the rest of the file boots."""
    text = "\n".join(["module A type j8702a", "module B type j9550a", "hostname \"kept\""])
    replayed = replay_text(text, inventory)
    assert [e.message for e in replayed.errors] == [
        "Module A type mismatch: j8702a configured, j9536a found.",
        "Module B is not present."]
    assert replayed.config.hostname == "kept"
    assert replayed.config.modules == MIXED.modules
    assert replayed.device.inventory.ports() == MIXED.ports()
