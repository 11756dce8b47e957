"""chassislocate and show system chassislocate."""

from __future__ import annotations

import re
import time
from typing import TYPE_CHECKING

from emulator.device import Device

if TYPE_CHECKING:
    from conftest import Cli


def test_locator_blinks_for_30_minutes_by_default(cli: Cli) -> None:
    assert cli("show system chassislocate") == "Chassis Locator LED: OFF"
    assert cli("chassislocate") == ""
    assert re.fullmatch(r"Chassis Locator LED: BLINK 29 minutes \d+ seconds",
                        cli("show system chassislocate"))
    assert cli("chassislocate on 5") == ""
    assert re.fullmatch(r"Chassis Locator LED: ON 4 minutes \d+ seconds",
                        cli("show system chassislocate"))
    assert cli("chassislocate off") == ""
    assert cli("show system chassislocate") == "Chassis Locator LED: OFF"


def test_locator_goes_off_when_its_time_is_up(cli: Cli, device: Device) -> None:
    device.locator = ("ON", time.monotonic() - 1)
    assert cli("show system chassislocate") == "Chassis Locator LED: OFF"


def test_locator_minutes_are_bounded(cli: Cli) -> None:
    assert cli("chassislocate blink 1441") == "Invalid input: 1441"
    assert cli("chassislocate blink 0") == "Invalid input: 0"
