"""Fixtures of the end-to-end tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from emulator.testing import require
from tests.e2e.docker_engine import Engine, missing, running_engine
from tests.e2e.netns import Lab


@pytest.fixture
def lab() -> Iterator[Lab]:
    lab = Lab()
    try:
        yield lab
    finally:
        lab.close()


@pytest.fixture(scope="session")
def engine() -> Iterator[Engine]:
    """The session's own Docker engine with the project's image built in it: the image tests
    and the GNS3 tests share one (a missing engine fails under CI=true, skips elsewhere)."""
    require(missing())
    with running_engine() as engine:
        engine.ensure_base()
        engine.build()
        yield engine
