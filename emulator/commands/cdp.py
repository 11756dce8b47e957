"""`[no] cdp run` and `cdp mode rx-only|pass-through|pre-standard-voice`: how the switch treats
CDP frames, written right after the module lines as a K.15.08 chassis config has `cdp mode
pass-through`. Kept and written back; the fabric forwards CDP frames as any multicast."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from emulator.cli.grammar import Command, Level, Where
from emulator.config.model import CDP_MODES

if TYPE_CHECKING:
    from emulator.cli.context import Call


def set_run(call: Call) -> None:
    call.device.running.set_cdp_run(not call.negated)


def set_mode(call: Call) -> None:
    call.device.running.set_cdp_mode(call.text("mode"))


HELP: Final = {
    "cdp": "Configure CDP (Cisco Discovery Protocol) handling.",
    "run": "Enable/disable reading CDP packets.",
    "mode": "Set how CDP packets are handled.",
    "rx-only": "Read CDP packets and drop them (the default).",
    "pass-through": "Flood CDP packets as ordinary multicast, without reading them.",
    "pre-standard-voice": "Read CDP packets from pre-standard voice devices.",
}

ROWS: Final = (
    Command("cdp run", set_run, where=Where.CONFIG, level=Level.MANAGER, negate=set_run),
    Command(f"cdp mode {{mode: {'|'.join(CDP_MODES)}}}", set_mode, where=Where.CONFIG,
            level=Level.MANAGER),
)
