"""Fixtures shared by every test folder: real chassis processes, from the project's own pytest
plugin (emulator/pytest_plugin.py, loaded through its `pytest11` entry point) under the names
the tests use; and the hypothesis profiles.

Profiles: "ci" (the default) keeps every property and fuzz test to 100 examples, derandomized
so a CI failure replays, and without a per-example deadline (a loaded machine is not a bug);
the fuzz set (test_fuzz_*.py) runs in well under a minute with it. "long" is for hunting:
`HYPOTHESIS_PROFILE=long pytest tests -k fuzz` (benchmarks/fuzz_long.py runs the same targets
by count or by time)."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

from emulator.testing import ChassisFactory, RunningChassis, require

settings.register_profile("ci", parent=settings.get_profile("ci"), max_examples=100,
                          deadline=None)
settings.register_profile("long", max_examples=5000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

PROCESS_FIXTURES = frozenset({"chassis", "chassis_factory", "procurve_switch", "procurve_factory"})
"""Fixtures that start real chassis process trees: a test taking one is end-to-end."""


def pytest_runtest_setup(item: pytest.Item) -> None:
    """`@pytest.mark.requires(missing_tool("ip", "iproute2"), missing_root(...), ...)`: the
    prerequisites a test needs (emulator.testing.require's policy: skip with the reasons on a
    developer's machine, fail under CI=true)."""
    require(*(reason for mark in item.iter_markers("requires") for reason in mark.args))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """`-m "not e2e"` (scripts/test.sh --fast) must leave out every test that starts processes
    or namespaces: each test under tests/e2e and each one with a chassis fixture is marked."""
    unmarked = [item.nodeid for item in items
                if item.get_closest_marker("e2e") is None
                and ("/e2e/" in f"/{item.nodeid}"
                     or PROCESS_FIXTURES & set(getattr(item, "fixturenames", ())))]
    if unmarked:
        raise pytest.UsageError("end-to-end tests not marked e2e: " + ", ".join(unmarked))


@pytest.fixture
def chassis_factory(procurve_factory: ChassisFactory) -> ChassisFactory:
    return procurve_factory


@pytest.fixture
def chassis(procurve_switch: RunningChassis) -> RunningChassis:
    """A new, ready 8212zl on free local ports (factory config, manager/manager)."""
    return procurve_switch
