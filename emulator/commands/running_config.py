"""`show running-config`, `show config`, `write terminal`, the saved-or-not status and
`hostname`. napalm's get_config keeps what follows
the `; J8715A Configuration Editor;` line, so the title lines above it are free text."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from emulator.cli.grammar import Command, Level, Text, Where
from emulator.commands.format import SHOW_HELP, refused
from emulator.config.model import SwitchConfig
from emulator.config.render import render_config

if TYPE_CHECKING:
    from emulator.cli.context import Call
    from emulator.device import Device


SAME: Final = "Running configuration is same as the startup configuration."
CHANGED: Final = "Running configuration has been changed and needs to be saved."


def _titled(title: str, config_text: str) -> str:
    return "\n".join(["", title, "", config_text.rstrip("\n")])


def render_running(device: Device) -> str:
    return _titled("Running configuration:", device.running_text())


def render_startup(device: Device) -> str:
    """Without a saved config the switch boots, and so shows, its factory default."""
    text = device.startup_text()
    if text is None:
        text = render_config(SwitchConfig.factory(device.inventory))
    return _titled("Startup configuration:", text)


def show_running(call: Call) -> str:
    return render_running(call.device)


def show_startup(call: Call) -> str:
    return render_startup(call.device)


def show_status(call: Call) -> str:
    """Whether `write memory` has saved what runs: RANCID's hrancid records this line."""
    return CHANGED if call.device.unsaved() else SAME


def set_hostname(call: Call) -> None:
    with refused():
        call.device.running.set_hostname(call.text("name"))


HELP: Final = {
    "show": SHOW_HELP,
    "running-config": "Show the running configuration.",
    "config": "Show the startup configuration.",
    "status": "Compare running and startup configurations.",
    "terminal": "View the running configuration of the switch.",
    "hostname": "Specify switch name.",
    "name": "The switch name (up to 32 characters).",
}

ROWS: tuple[Command, ...] = (
    Command("show running-config", show_running, level=Level.MANAGER),
    Command("show running-config status", show_status, level=Level.MANAGER),
    Command("show config", show_startup, level=Level.MANAGER),
    Command("show config status", show_status, level=Level.MANAGER),
    Command("write terminal", show_running, level=Level.MANAGER),
    Command("hostname <name>", set_hostname, where=Where.CONFIG, level=Level.MANAGER,
            params={"name": Text()}),
)
