"""`show cdp neighbors [detail]`: K.15 lists the Cisco devices it heard CDP from. The emulated
fabric receives no CDP, so both screens hold their title (and the summary its column heads)
and no neighbor, as a switch with no Cisco neighbor prints them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from emulator.cli.grammar import Command
from emulator.commands.format import SHOW_HELP

if TYPE_CHECKING:
    from emulator.cli.context import Call

TITLE: Final = " CDP neighbors information"
SUMMARY_HEADER: Final = (
    "  Port Device ID                     | Platform                     Capability\n"
    "  ---- ----------------------------- + ---------------------------- -----------")


def show_neighbors(call: Call) -> str:
    if "detail" in call.words:
        return "\n".join(["", TITLE])
    return "\n".join(["", TITLE, "", SUMMARY_HEADER])


HELP: Final = {
    "show": SHOW_HELP,
    "cdp": "Show CDP information.",
    "neighbors": "Show CDP neighbors.",
    "detail": "Show neighbor information field-per-line instead of shortened table format.",
}

ROWS: tuple[Command, ...] = (
    Command("show cdp neighbors [detail]", show_neighbors),
)
