"""Config text run on a fresh device the way the switch boots it (emulator/cli/replay.py),
for tests that look at what a file makes of the config: the config the replay leaves and the
lines it refused. Hypothesis runs a test's examples in one call, so the flash is a folder of
this process rather than a per-test fixture."""

from __future__ import annotations

import functools
import itertools
import tempfile
from dataclasses import dataclass
from pathlib import Path

from emulator.cli.replay import ConfigReplay
from emulator.commands import command_table
from emulator.config.model import SwitchConfig
from emulator.device import Credentials, Device, LineError
from emulator.events import EventLog
from emulator.flash import Flash
from emulator.hardware import Inventory
from emulator.timing import PROFILES

_COUNT = itertools.count()


@dataclass(frozen=True)
class Replayed:
    config: SwitchConfig
    errors: list[LineError]
    device: Device


@functools.cache
def _flash_root() -> tempfile.TemporaryDirectory[str]:
    return tempfile.TemporaryDirectory(prefix="procurve-replay-")


@functools.cache
def _replay() -> ConfigReplay:
    return ConfigReplay(command_table())


def fresh_device(inventory: Inventory) -> Device:
    """The hardware's blank config, before any line runs (what boot replays onto)."""
    flash = Flash(Path(_flash_root().name) / f"mm{next(_COUNT)}")
    flash.format()
    return Device(inventory, flash, PROFILES["fast"], SwitchConfig.blank(inventory),
                  Credentials(flash), EventLog())


def replay_on(device: Device, text: str) -> Replayed:
    errors = _replay()(device, text)
    return Replayed(device.running, errors, device)


def replay_text(text: str, inventory: Inventory) -> Replayed:
    return replay_on(fresh_device(inventory), text)
