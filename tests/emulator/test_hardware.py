"""The module catalog: the 8212zl's K.15 interface modules with the ports HP's data sheets
give them, the slot names a config or flag uses, and the module lines a startup config brings."""

from __future__ import annotations

from collections import Counter

import pytest

from emulator import hardware
from emulator.hardware import (
    COPPER_10G,
    COPPER_FAST,
    COPPER_GIG,
    CX4,
    MODULE_TYPES,
    SFP,
    SFP_PLUS,
    X2,
    Inventory,
    Media,
    PoE,
)

CATALOG: dict[str, tuple[dict[Media, int], PoE, int]] = {
    "J8702A": ({COPPER_GIG: 24}, PoE.AF, 24),
    "J8705A": ({COPPER_GIG: 20, SFP: 4}, PoE.AF, 20),
    "J8706A": ({SFP: 24}, PoE.NONE, 0),
    "J8707A": ({X2: 4}, PoE.NONE, 0),
    "J8708A": ({CX4: 4}, PoE.NONE, 0),
    "J9307A": ({COPPER_GIG: 24}, PoE.AT, 24),
    "J9308A": ({COPPER_GIG: 20, SFP: 4}, PoE.AT, 20),
    "J9309A": ({SFP_PLUS: 4}, PoE.NONE, 0),
    "J9478A": ({COPPER_FAST: 24}, PoE.AT, 24),
    "J9534A": ({COPPER_GIG: 24}, PoE.AT, 24),
    "J9535A": ({COPPER_GIG: 20, SFP: 4}, PoE.AT, 20),
    "J9536A": ({COPPER_GIG: 20, SFP_PLUS: 2}, PoE.AT, 20),
    "J9537A": ({SFP: 24}, PoE.NONE, 0),
    "J9538A": ({SFP_PLUS: 8}, PoE.NONE, 0),
    "J9546A": ({COPPER_10G: 8}, PoE.NONE, 0),
    "J9547A": ({COPPER_FAST: 24}, PoE.AT, 24),
    "J9548A": ({COPPER_GIG: 20, SFP_PLUS: 2}, PoE.NONE, 0),
    "J9549A": ({COPPER_GIG: 20, SFP: 4}, PoE.NONE, 0),
    "J9550A": ({COPPER_GIG: 24}, PoE.NONE, 0),
}
"""Product -> (ports per media, PoE class, PoE ports), from HP's zl / v2 zl module pages and
the PoE/PoE+ Planning and Implementation Guide's list of the zl modules that give power."""


def test_the_catalog_holds_the_data_sheets_ports() -> None:
    assert set(MODULE_TYPES) == set(CATALOG)
    for product, (media, poe, poe_ports) in CATALOG.items():
        module = MODULE_TYPES[product]
        assert Counter(module.ports) == media, product
        assert (module.poe, module.poe_ports) == (poe, poe_ports), product
        copper = [m for m in module.ports[:poe_ports] if m.transceiver]
        assert copper == [], f"{product}: a transceiver slot cannot give power"


def test_descriptions_fit_show_modules_and_name_the_product() -> None:
    for product, module in MODULE_TYPES.items():
        assert module.description.startswith(f"HP {product} "), product
        assert len(module.description) <= hardware.MODULE_DESCR_WIDTH, product
        assert module.config_name == product.lower()


def test_transceiver_slots_are_blank_in_the_brief_type() -> None:
    """An empty SFP or SFP+ cage has a blank Type in `show interfaces brief`."""
    assert [m.brief_type for m in (SFP, SFP_PLUS)] == ["", ""]
    assert MODULE_TYPES["J9536A"].port_types == ("100/1000T",) * 20 + ("",) * 2


@pytest.mark.parametrize("token,slot", [("a", "A"), ("L", "L"), ("1", "A"), ("12", "L"),
                                        ("3", "C")])
def test_slots_by_letter_or_number(token: str, slot: str) -> None:
    assert hardware.slot_letter(token) == slot


@pytest.mark.parametrize("token", ["M", "0", "13", "", "A1", "-1"])
def test_slots_the_chassis_has_not(token: str) -> None:
    with pytest.raises(ValueError):
        hardware.slot_letter(token)


def test_a_config_names_its_modules() -> None:
    text = "\n".join([
        '; J8715A Configuration Editor; Created on release #K.15.16.0008',
        'hostname "core"',
        "module 1 type j9534a",
        "module C type J9538A",
        "module l type j8705a",
        "module D type j4820a",    # a 5300xl module: not this chassis'
        "module 13 type j8702a",   # no such slot
        "   module E type j9550a",  # indented as some exports write it
        "interface A1",
        "   name \"module F type j8702a\"",
    ])
    assert hardware.configured_modules(text) == {
        "A": "J9534A", "C": "J9538A", "L": "J8705A", "E": "J9550A"}
    assert hardware.configured_modules('hostname "x"\n') == {}


def test_a_mixed_chassis_lists_its_ports_in_slot_order() -> None:
    inventory = Inventory.generate("mixed", {"C": "J9538A", "A": "J9536A"})
    ports = inventory.ports()
    assert ports[:22] == [f"A{n}" for n in range(1, 23)]
    assert ports[22:] == [f"C{n}" for n in range(1, 9)]
    assert inventory.port_media("A21") == SFP_PLUS and inventory.port_type("A1") == "100/1000T"
    assert not inventory.has_port("A23") and not inventory.has_port("B1")
    assert set(inventory.module_serials) == {"A", "C", "MM1", "MM2", "FM1", "FM2", "SSM"}
    assert Inventory.generate("mixed").modules == hardware.DEFAULT_MODULES


@pytest.mark.parametrize("text,assignment", [("A=J9550A", ("A", "J9550A")),
                                             ("3=j8707a", ("C", "J8707A"))])
def test_module_assignments(text: str, assignment: tuple[str, str]) -> None:
    assert hardware.module_assignment(text) == assignment


@pytest.mark.parametrize("text,message", [
    ("A", "invalid module 'A': the 8212zl knows no module ''"),
    ("A=J4820A", "invalid module 'A=J4820A': the 8212zl knows no module 'J4820A'"),
    ("Q=J8702A", "invalid module 'Q=J8702A': no slot 'Q' (A-L or 1-12)"),
])
def test_module_assignments_refused(text: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        hardware.module_assignment(text)
    assert str(caught.value).startswith(message)


def test_a_range_end_without_its_slot_letter_stays_in_the_first_ports_slot() -> None:
    assert hardware.parse_port_list("A1,B1-4") == ["A1", "B1", "B2", "B3", "B4"]
    assert hardware.format_port_list(hardware.parse_port_list("b1-16")) == "B1-B16"
    for bad in ("B4-1", "B1-", "B1-x"):
        with pytest.raises(hardware.PortListError):
            hardware.parse_port_list(bad)


# --- trunks (emulator/commands/trunk.py) ---

def test_a_trunk_is_a_port_in_lists_and_numbered_after_every_port() -> None:
    assert hardware.parse_port_list("A1-A2,trk1,TRK12") == ["A1", "A2", "Trk1", "Trk12"]
    assert hardware.format_port_list(["Trk2", "A3", "A1", "A2", "Trk1", "B1"]) == (
        "A1-A3,B1,Trk1,Trk2")
    assert hardware.if_index("Trk1") == hardware.if_index("L24") + 1 == 289
    assert hardware.if_index("Trk60") < hardware.vlan_if_index(1)


@pytest.mark.parametrize("token", ["trk0", "trk61", "trk", "trk1-trk2", "Trk01x"])
def test_trunk_names_the_switch_has_not(token: str) -> None:
    with pytest.raises(hardware.PortListError):
        hardware.parse_port_list(token)
