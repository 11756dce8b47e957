"""Local port mirroring: `mirror N port PORT [name "NAME"]` (sessions 1-4) and, in a port's
context, `monitor all both|in|out mirror N` (one-line: `interface A1 monitor all both mirror
1`). Kept, written back (the sessions before the interface blocks, `monitor` in the port's
block), shown by `show monitor [N]`, and programmed into the fabric, which copies the port's
received and/or sent frames to the destination port (emulator/fabric/process.py).

The screens are reconstructed in the K.15 style (no capture of them is public)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from emulator.cli.grammar import PORT_LIST, CliError, Command, IntRange, Level, Text, Where
from emulator.commands.format import SHOW_HELP, refused
from emulator.commands.show_interfaces import context_ports
from emulator.config.model import INVALID_INPUT, MIRROR_SESSIONS, MONITOR_DIRECTIONS, Mirror
from emulator.hardware import format_port_list

if TYPE_CHECKING:
    from emulator.cli.context import Call
    from emulator.device import Device

SESSION: Final = IntRange(*MIRROR_SESSIONS, "<1-4>")
DIRECTION_WORDS: Final = {"both": "Both", "in": "Rx", "out": "Tx"}


def _sources(device: Device, session: int) -> list[tuple[str, str]]:
    return [(port, interface.monitor[session])
            for port, interface in device.running.interfaces.items()
            if session in interface.monitor]


def render_monitor(device: Device) -> str:
    mirrors = device.running.mirrors
    rows = []
    for session in range(MIRROR_SESSIONS[0], MIRROR_SESSIONS[1] + 1):
        if session in mirrors:
            sources = len(_sources(device, session))
            rows.append(f"  {session:<9} {'active' if sources else 'inactive':<11} "
                        f"{'port':<7} {sources:<8} no")
        else:
            rows.append(f"  {session:<9} not defined")
    return "\n".join(["", " Network Monitoring", "",
                      "  Sessions  Status      Type    Sources  Mirror-Policy",
                      "  --------  ----------  ------  -------  -------------", *rows])


def render_session(device: Device, session: int) -> str:
    mirror = device.running.mirrors.get(session)
    if mirror is None:
        return "\n".join(["", " Network Monitoring", "", f"  Session: {session}",
                          "  Mirror Destination: not defined"])
    return "\n".join([
        "",
        " Network Monitoring",
        "",
        f"  Session: {session}    Session Name: {mirror.name}",
        f"  Mirror Destination: {mirror.port} (Port)",
        "",
        "  Monitoring Sources  Direction",
        "  ------------------  ---------",
        *(f"  {'Port: ' + port:<18}  {DIRECTION_WORDS[direction]}"
          for port, direction in _sources(device, session)),
    ])


def show_monitor(call: Call) -> str:
    if "session" in call.args:
        return render_session(call.device, call.number("session"))
    return render_monitor(call.device)


def set_mirror(call: Call) -> None:
    ports = call.ports("port")
    if len(ports) != 1:
        raise CliError(INVALID_INPUT.format(token=format_port_list(ports)))
    with refused():
        call.device.running.mirror_set(call.number("session"),
                                       Mirror(ports[0], call.text("name", "")))


def remove_mirror(call: Call) -> None:
    with refused():
        call.device.running.mirror_set(call.number("session"), None)


def set_monitor(call: Call) -> None:
    direction = None if call.negated else call.text("direction")
    with refused():
        for port in context_ports(call):
            call.device.running.port_set_monitor(port, call.number("session"), direction)


def remove_monitors(call: Call) -> None:
    """`no monitor`: the port leaves every session."""
    with refused():
        for port in context_ports(call):
            for session in range(MIRROR_SESSIONS[0], MIRROR_SESSIONS[1] + 1):
                call.device.running.port_set_monitor(port, session, None)


HELP: Final = {
    "show": SHOW_HELP,
    "mirror": "Configure a mirroring session's destination.",
    "session": "The mirroring session.",
    "port": "The port the session's frames are copied to.",
    "name": "A name for the session.",
    "monitor": "Copy the port's frames to a mirroring session, or show the sessions.",
    "all": "Copy all frames.",
    "both": "Frames received and sent.",
    "in": "Frames received.",
    "out": "Frames sent.",
}

ROWS: Final = (
    Command("show monitor [<session>]", show_monitor, params={"session": SESSION}),
    Command("mirror <session> port <port> [name <name>]", set_mirror, where=Where.CONFIG,
            level=Level.MANAGER, params={"session": SESSION, "port": PORT_LIST,
                                         "name": Text("ASCII-STR", 15)}),
    Command("mirror <session>", None, where=Where.CONFIG, level=Level.MANAGER,
            params={"session": SESSION}, negate=remove_mirror),
    Command(f"monitor all {{direction: {'|'.join(MONITOR_DIRECTIONS)}}} mirror <session>",
            set_monitor, where=Where.INTERFACE, level=Level.MANAGER,
            params={"session": SESSION}, negate=set_monitor),
    Command("monitor", None, where=Where.INTERFACE, level=Level.MANAGER,
            negate=remove_monitors),
)
