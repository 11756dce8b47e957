"""`[no] power-over-ethernet pre-std-detect`: the switch-wide PoE setting real configs carry
(`power-over-ethernet pre-std-detect`, written after the console lines). Kept and written
back; the emulated ports deliver no power."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from emulator.cli.grammar import Command, Level, Where

if TYPE_CHECKING:
    from emulator.cli.context import Call


def set_pre_std_detect(call: Call) -> None:
    call.device.running.set_poe_pre_std_detect(not call.negated)


HELP: Final = {
    "power-over-ethernet": "Configure Power over Ethernet.",
    "pre-std-detect": "Enable/disable detection of pre-802.3af-standard powered devices.",
}

ROWS: Final = (
    Command("power-over-ethernet pre-std-detect", set_pre_std_detect, where=Where.CONFIG,
            level=Level.MANAGER, negate=set_pre_std_detect),
)
