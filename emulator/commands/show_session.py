"""`show history` (this session's lines) and the searching forms of `show log`: `-a` (all
events; the emulated log holds only this boot's, so the same lines) and a search text, which
keeps the events whose line holds it (the header stays, the footer counts what is listed). The
plain `show log [-r]` rows are the system family's."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from emulator.cli.grammar import Command, Text
from emulator.commands.format import SHOW_HELP

if TYPE_CHECKING:
    from emulator.cli.context import Call


def render_history(lines: list[str]) -> str:
    """Oldest first, numbered down to 1 for the latest, as the switch lists it."""
    return "\n".join(f" {len(lines) - index} {line}" for index, line in enumerate(lines))


def show_history(call: Call) -> str:
    return render_history(call.session.history())


def show_log_search(call: Call) -> str:
    return call.device.events.render(newest_first="-r" in call.words,
                                     containing=call.text("search-text", ""))


HELP: Final = {
    "show": SHOW_HELP,
    "history": "Show the previously entered commands.",
    "log": "Show event log.",
    "-a": "Display all recorded log events.",
    "-r": "Show the events in reverse order (most recent first).",
    "search-text": "Show only the events whose line holds this text.",
}

ROWS: tuple[Command, ...] = (
    Command("show history", show_history),
    Command("show log -a [-r] [<search-text>]", show_log_search,
            params={"search-text": Text()}),
    Command("show log [-r] <search-text>", show_log_search, params={"search-text": Text()}),
)
