"""A slot's supervision (emulator/chassis/child.py) apart from a running chassis."""

from __future__ import annotations

import time
from types import SimpleNamespace

from emulator.chassis.child import Child
from emulator.timing import PROFILES


def test_a_module_still_being_forked_is_booting_slowly_not_absent() -> None:
    """The boot election waits for it: on a busy host the zygote may start after the boot
    deadline, and a module it has not forked yet must not lose the election for that."""
    module = Child(SimpleNamespace(timing=PROFILES["fast"]), "MM2")  # type: ignore[arg-type]
    assert not module.booting_slowly(time.monotonic(), 1.0)  # not started at all: absent
    module.spawning = True
    assert module.booting_slowly(time.monotonic(), 1.0)
