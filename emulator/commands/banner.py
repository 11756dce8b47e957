"""`banner motd "TEXT"` and `banner exec "TEXT"`: the banners a config carries on one line,
a line break written `\\n` inside the quotes as 15.x configs write it. Kept and written back
(the login screens do not print them yet)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from emulator.cli.grammar import Command, Level, Text, Where
from emulator.commands.format import refused
from emulator.config.model import BANNER_KINDS

if TYPE_CHECKING:
    from emulator.cli.context import Call


def set_banner(call: Call) -> None:
    with refused():
        call.device.running.set_banner(call.text("kind"), call.text("banner-text"))


def clear_banner(call: Call) -> None:
    call.device.running.set_banner(call.text("kind"), "")


HELP: Final = {
    "banner": "Define the banners shown to users.",
    "motd": "Set the message of the day shown before login.",
    "exec": "Set the banner shown after login.",
    "banner-text": "The banner text, quoted (a line break is \\n).",
}

KIND: Final = f"{{kind: {'|'.join(BANNER_KINDS)}}}"
BANNER_TEXT: Final = Text(max_length=1024)
"""Wider than the banner's limit, so a long text gets the model's `String too long`."""

ROWS: Final = (
    Command(f"banner {KIND} <banner-text>", set_banner, where=Where.CONFIG,
            level=Level.MANAGER, params={"banner-text": BANNER_TEXT}),
    Command(f"banner {KIND}", None, where=Where.CONFIG, level=Level.MANAGER,
            negate=clear_banner),
)
