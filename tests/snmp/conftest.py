"""A booted switch (12 slots full, as the benchmark's chassis) for the MIB view tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from emulator.device import Device
from emulator.events import EventLog
from emulator.flash import Flash
from emulator.hardware import SLOTS, Inventory
from emulator.timing import PROFILES


@pytest.fixture
def device(tmp_path: Path) -> Device:
    flash = Flash(tmp_path / "mm1")
    flash.format()
    inventory = Inventory(modules=dict.fromkeys(SLOTS, "J8702A") | {"C": "J8707A"})
    booted, errors = Device.boot(inventory, flash, PROFILES["fast"], EventLog())
    assert errors == []
    return booted
