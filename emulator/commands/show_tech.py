"""`show tech [all]` and `show tech buffers`: what support asks a customer for. `show tech`
is a fixed sequence of the everyday screens, each under the command that produced it, so it
is as long as they are and no longer; `show tech buffers` prints each management module's
crash-log header (the ntc-templates parser keys on it), with no crash record: an emulated
module never crashed."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Final

from emulator import hardware
from emulator.cli.grammar import Command, Level
from emulator.commands.format import SHOW_HELP
from emulator.commands.running_config import render_running
from emulator.commands.show_interfaces import render_brief
from emulator.commands.show_ports import render_transceivers
from emulator.commands.show_system import (
    management_modules,
    render_flash,
    render_modules,
    render_system,
    render_version,
)
from emulator.commands.vlan import render_vlans

if TYPE_CHECKING:
    from emulator.cli.context import Call
    from emulator.device import Device

TECH_SEQUENCE: Final[tuple[tuple[str, Callable[[Device], str]], ...]] = (
    ("show system", render_system),
    ("show version", render_version),
    ("show modules", render_modules),
    ("show flash", render_flash),
    ("show interfaces brief", render_brief),
    ("show vlans", render_vlans),
    ("show interfaces transceiver", lambda device: render_transceivers()),
    ("show log", lambda device: device.events.render()),
    ("show running-config", render_running),
)
CRASH_HEADER: Final = (
    "...Crash Log File Header..........................",
    "Product:   HP J9091A",
    f"Name:      HP Switch {hardware.CHASSIS_NAME}",
    f"Date:      {hardware.IMAGE_STAMP[1]}",
    f"Build:     {hardware.IMAGE_BUILD}",
    "Version:   {version}",
    f"Directory: {hardware.IMAGE_STAMP[0][:36]}",
    "CPU:       PPC85XX",
    "  crash rec index = 0",
    "   boot type    = Cold Boot",
    "   willBootType = UNKNOWN BOOT",
    "..................................................",
)
"""The header block as a K.15 8212zl prints it (its Product is the chassis' J9091A part)."""


def render_tech(device: Device) -> str:
    return "\n".join(f"\n{command}\n{render(device)}" for command, render in TECH_SEQUENCE)


def render_buffers(device: Device) -> str:
    lines = ["", "CRASHLogfileshow"]
    for view in management_modules(device):
        number = view.slot.removeprefix("MM")
        version = view.version or device.software_version()
        lines += ["", "", f"{view.status.value} Management Module {number} Crash Log", "",
                  *(line.format(version=version) for line in CRASH_HEADER)]
    return "\n".join(lines)


def show_tech(call: Call) -> str:
    return render_tech(call.device)


def show_buffers(call: Call) -> str:
    return render_buffers(call.device)


HELP: Final = {
    "show": SHOW_HELP,
    "tech": "Display output of a predefined command sequence used by technical support.",
    "all": "Display output of all the predefined command sequences.",
    "buffers": "Display the crash logs of the management modules.",
}

ROWS: tuple[Command, ...] = (
    Command("show tech [all]", show_tech, level=Level.MANAGER),
    Command("show tech buffers", show_buffers, level=Level.MANAGER),
)
