"""Fixtures shared by every test folder: real chassis processes (see emulator/testing.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from emulator.testing import ChassisFactory, RunningChassis


@pytest.fixture
def chassis_factory(tmp_path: Path) -> Iterator[ChassisFactory]:
    factory = ChassisFactory(tmp_path)
    try:
        yield factory
    finally:
        failures = factory.stop_all()
    assert not failures, "\n".join(failures)


@pytest.fixture
def chassis(chassis_factory: ChassisFactory) -> RunningChassis:
    """A new, ready 8212zl on free local ports (factory config, manager/manager)."""
    return chassis_factory.start()
