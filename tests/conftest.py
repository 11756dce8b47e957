"""Fixtures shared by every test folder: real chassis processes, from the project's own pytest
plugin (emulator/pytest_plugin.py, loaded through its `pytest11` entry point) under the names
the tests use."""

from __future__ import annotations

import pytest

from emulator.testing import ChassisFactory, RunningChassis


@pytest.fixture
def chassis_factory(procurve_factory: ChassisFactory) -> ChassisFactory:
    return procurve_factory


@pytest.fixture
def chassis(procurve_switch: RunningChassis) -> RunningChassis:
    """A new, ready 8212zl on free local ports (factory config, manager/manager)."""
    return procurve_switch
