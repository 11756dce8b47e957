"""`time timezone <minutes>`: the clock's offset from UTC, kept in the config (the emulator's
clock is the host's; nothing else reads it yet)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from emulator.cli.grammar import Command, IntRange, Level, Where
from emulator.commands.format import refused
from emulator.config.model import TIMEZONE_RANGE

if TYPE_CHECKING:
    from emulator.cli.context import Call


def set_timezone(call: Call) -> None:
    with refused():
        call.device.running.set_timezone(call.number("minutes"))


HELP: Final = {
    "time": "Set the time zone and daylight-time rule.",
    "timezone": "Set the number of minutes your location is to the West(-) or East(+) of GMT.",
}

ROWS: Final = (
    Command("time timezone <minutes>", set_timezone, where=Where.CONFIG, level=Level.MANAGER,
            params={"minutes": IntRange(*TIMEZONE_RANGE)}),
)
