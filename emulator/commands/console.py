"""`console baud-rate|flow-control|inactivity-timer|local-terminal|terminal`: the serial
console's settings, written among the global lines right after the module lines as a captured
15.x config has `console baud-rate 9600`. Kept and written back; the emulator's console is a
pseudo-terminal, so nothing else reads them yet."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from emulator.cli.grammar import Command, Level, Where
from emulator.commands.format import refused
from emulator.config.model import CONSOLE_SETTINGS

if TYPE_CHECKING:
    from emulator.cli.context import Call


def set_console(call: Call) -> None:
    setting = next(name for name in CONSOLE_SETTINGS if name in call.args)
    with refused():
        call.device.running.set_console(setting, call.text(setting))


HELP: Final = {
    "console": "Set various console parameters.",
    "baud-rate": "Set the data transmission speed for the console port.",
    "flow-control": "Set the console port's flow control.",
    "inactivity-timer": "Set the number of minutes an idle session is kept before it is closed.",
    "local-terminal": "Set the terminal type of the console port's local terminal.",
    "terminal": "Set the terminal type of remote sessions.",
}

ROWS: Final = tuple(
    Command(f"console {setting} {{{setting}: {'|'.join(values)}}}", set_console,
            where=Where.CONFIG, level=Level.MANAGER)
    for setting, values in CONSOLE_SETTINGS.items()
)
