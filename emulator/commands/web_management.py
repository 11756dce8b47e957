"""`[no] web-management`, `[no] web-management ssl`, `[no] web-management plaintext`: whether
the web agent, HTTPS and HTTP are on. Kept and written back; the emulator serves no web
pages, so nothing else reads them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from emulator.cli.grammar import Command, Level, Where

if TYPE_CHECKING:
    from emulator.cli.context import Call


def set_web(call: Call) -> None:
    call.device.running.set_web(call.text("service", ""), not call.negated)


def set_agent(call: Call) -> None:
    call.device.running.set_web("", not call.negated)


HELP: Final = {
    "web-management": "Enable/disable the web management agent.",
    "ssl": "Enable/disable web management over HTTPS.",
    "plaintext": "Enable/disable web management over HTTP.",
}

ROWS: Final = (
    Command("web-management", set_agent, where=Where.CONFIG, level=Level.MANAGER,
            negate=set_agent),
    Command("web-management {service: ssl|plaintext}", set_web, where=Where.CONFIG,
            level=Level.MANAGER, negate=set_web),
)
