"""`chassislocate [blink|on|off] [MINUTES]` lights the chassis locator LED for a while (blink
for 30 minutes unless told); `show system chassislocate` says how it is lit and for how long
still."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Final

from emulator.cli.grammar import Command, IntRange, Level

if TYPE_CHECKING:
    from emulator.cli.context import Call
    from emulator.device import Device

DEFAULT_MINUTES: Final = 30
MINUTES: Final = IntRange(1, 1440)


def locate(call: Call) -> None:
    mode = call.text("blink", "blink")
    if mode == "off":
        call.device.locator = None
        return
    minutes = call.number("minutes", DEFAULT_MINUTES)
    call.device.locator = (mode.upper(), time.monotonic() + minutes * 60)


def render_locator(device: Device) -> str:
    left = device.locator[1] - time.monotonic() if device.locator else 0.0
    if device.locator is None or left <= 0:
        return "Chassis Locator LED: OFF"
    minutes, seconds = divmod(int(left), 60)
    return f"Chassis Locator LED: {device.locator[0]} {minutes} minutes {seconds} seconds"


def show_locator(call: Call) -> str:
    return render_locator(call.device)


HELP: Final = {
    "chassislocate": "Locate a chassis by turning on the Locator LED.",
    "blink": "Blink the chassis Locator LED.",
    "on": "Turn the chassis Locator LED on.",
    "off": "Turn the chassis Locator LED off.",
    "minutes": "Number of minutes the LED stays on (default 30).",
}

ROWS: tuple[Command, ...] = (
    Command("chassislocate [{blink|on|off}] [<minutes>]", locate, level=Level.MANAGER,
            params={"minutes": MINUTES}),
    Command("show system chassislocate", show_locator,
            help={"chassislocate": "Show the chassis Locator LED status."}),
)
