"""The data directory's layout: what the chassis, its management modules and the tools that
talk to a running chassis (`procurve-emu status`, labs, tests) share on disk.

Lower than every process module, so a module reads the inventory without importing the chassis
that started it.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any, Final

from emulator import hardware
from emulator.flash import read_json, write_json

CHASSIS_FILE: Final = "chassis.json"
"""The hardware inventory (hardware.Inventory), drawn at the first start."""
CONTROL_SOCKET: Final = "control.sock"
"""Where the chassis answers `procurve-emu status` and `procurve-emu fault`."""
LOCK_FILE: Final = "chassis.lock"
SELFTEST_FAULT: Final = "selftest-fault"
"""A marker file in a module's flash: `procurve-emu fault fail-selftest` makes the next
selftest fail (and the failure consumes it, as a reseated module passes again)."""


def read_inventory(data_dir: Path) -> hardware.Inventory:
    """The hardware in this chassis, as the modules and the chassis both see it."""
    stored: dict[str, Any] = read_json(data_dir / CHASSIS_FILE, {})
    return hardware.Inventory(**stored)


def write_inventory(data_dir: Path, inventory: hardware.Inventory) -> None:
    write_json(data_dir / CHASSIS_FILE, asdict(inventory))
