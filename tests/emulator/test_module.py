"""A management module's boot, without a chassis: the selftest and its fault marker, the boot
history in flash, and the role it remembers for the next election (rules 4 and 5)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from emulator import hardware
from emulator.datadir import SELFTEST_FAULT, write_inventory
from emulator.flash import Flash
from emulator.ipc import wire
from emulator.ipc.messages import Role
from emulator.module import BOOT_HISTORY, Module
from emulator.redundancy.state import PREFERENCE_FILE
from emulator.timing import PROFILES


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    write_inventory(tmp_path, hardware.Inventory(serial="SG800A12345"))
    for slot in hardware.MANAGEMENT_SLOTS:
        Flash.for_slot(tmp_path, slot).format()
    return tmp_path


@pytest.fixture
def modules(data_dir: Path) -> Iterator[dict[str, Module]]:
    """Both slots' modules, each on a real (idle) IPC link and heartbeat socket."""
    made: dict[str, Module] = {}
    ends: list[socket.socket] = []
    for slot in hardware.MANAGEMENT_SLOTS:
        ours, theirs = wire.pair()
        beats, beating = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
        ends += [theirs, beats, beating]
        made[slot] = Module(slot, data_dir, PROFILES["lab"], wire.Link(ours), beating)
    yield made
    for module in made.values():
        module.link.close()
    for end in ends:
        end.close()


def test_a_first_boot_passes_selftest_and_is_counted(modules: dict[str, Module]) -> None:
    mm1 = modules["MM1"]
    hello = mm1.selftest()
    assert (hello.slot, hello.selftest_passed, hello.ever_booted) == ("MM1", True, False)
    assert hello.active_last_boot is False and hello.last_boot == 0.0
    state = mm1.flash.state()
    assert state["boots"] == 1 and state["booted_in"] == "SG800A12345"
    assert state["selftest"] == "passed"


def test_the_next_boot_knows_it_booted_in_this_chassis(modules: dict[str, Module]) -> None:
    mm1 = modules["MM1"]
    mm1.selftest()
    first_boot = mm1.flash.state()["last_boot"]
    hello = mm1.selftest()
    assert hello.ever_booted is True and hello.last_boot == first_boot
    assert mm1.flash.state()["boots"] == 2


def test_a_flash_moved_to_another_chassis_has_not_booted_there(
        modules: dict[str, Module], data_dir: Path) -> None:
    modules["MM1"].selftest()
    write_inventory(data_dir, hardware.Inventory(serial="SG900B54321"))
    assert modules["MM1"].selftest().ever_booted is False


def test_a_selftest_fault_fails_one_boot_and_is_consumed(modules: dict[str, Module]) -> None:
    mm2 = modules["MM2"]
    (mm2.flash.root / SELFTEST_FAULT).write_text("{}")
    hello = mm2.selftest()
    assert hello.selftest_passed is False
    assert mm2.role is Role.FAILED
    state = mm2.flash.state()
    assert state["selftest"] == "failed" and state["last_role"] == "failed"
    assert state["history"][-1]["reason"] == "selftest failed"
    assert not (mm2.flash.root / SELFTEST_FAULT).exists()
    assert mm2.selftest().selftest_passed is True


@pytest.mark.parametrize(("role", "was_active"), [(Role.ACTIVE, True), (Role.STANDBY, False),
                                                  (Role.FAILED, False)])
def test_the_role_is_remembered_for_the_next_election(
        modules: dict[str, Module], role: Role, was_active: bool) -> None:
    mm1 = modules["MM1"]
    mm1.selftest()
    mm1.remember_role(role, "granted")
    assert mm1.flash.state()["last_role"] == role.value
    assert mm1.selftest().active_last_boot is was_active


def test_an_active_preference_outweighs_the_last_role(modules: dict[str, Module]) -> None:
    """`redundancy active-management`: the named module boots as if it had been active."""
    mm1, mm2 = modules["MM1"], modules["MM2"]
    mm1.remember_role(Role.ACTIVE)
    mm2.remember_role(Role.STANDBY)
    for module in (mm1, mm2):
        module.flash.write_root_json(PREFERENCE_FILE, {"slot": "MM2"})
    assert mm1.selftest().active_last_boot is False
    assert mm2.selftest().active_last_boot is True


def test_the_boot_history_keeps_the_last_boots_newest_last(modules: dict[str, Module]) -> None:
    mm1 = modules["MM1"]
    for boot in range(BOOT_HISTORY + 3):
        mm1.remember_role(Role.STANDBY if boot % 2 else Role.ACTIVE, f"boot {boot}")
    history = mm1.flash.state()["history"]
    assert [entry["reason"] for entry in history] == [
        f"boot {boot}" for boot in range(3, BOOT_HISTORY + 3)]
    assert history[-1]["role"] == "active"
    assert [entry["time"] for entry in history] == sorted(entry["time"] for entry in history)
