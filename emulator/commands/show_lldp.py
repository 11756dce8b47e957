"""`show lldp info remote-device detail` (every neighbour's detail block, the screen
`show lldp info remote-device PORT-LIST` prints for the ports named, commands/lldp.py; the
ntc-templates detail template reads either) and `show lldp stats [PORT-LIST]`: the table's
changes and each port's LLDP frames, as the fabric's LLDP agent counts them
(lldp.Neighbors.stats(), read with the other live tables)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from emulator.cli.grammar import PORT_LIST, Command
from emulator.commands.format import SHOW_HELP, Fields, installed_ports
from emulator.commands.lldp import render_remote_detail
from emulator.commands.show_system import uptime_words
from emulator.fabric.lldp import DISCARDED, RECEIVED, SENT

if TYPE_CHECKING:
    from emulator.cli.context import Call
    from emulator.device import Device

DEVICE_FIELDS: Final = Fields(indent=2, width=0)
PORTS_HEADER: Final = (
    "  Port   | NumFramesRecvd NumFramesSent NumFramesDiscarded\n"
    "  ------ + -------------- ------------- ------------------")
PORT_FIELDS: Final = Fields(indent=2, width=27)


def show_remote_detail(call: Call) -> str:
    return render_remote_detail(call.device, call.device.inventory.ports())


def _frames(stats: dict[str, Any], port: str) -> list[int]:
    counts: list[int] = stats.get("frames", {}).get(port, [0, 0, 0])
    return counts


def render_stats(device: Device) -> str:
    """The table's changes since boot, then a line per port."""
    stats = device.lldp_stats
    ago = stats.get("updated_ago")
    f = DEVICE_FIELDS
    rows = [f"  {port:<6} | {counts[RECEIVED]:<14} {counts[SENT]:<13} {counts[DISCARDED]}"
            for port in device.inventory.ports() for counts in [_frames(stats, port)]]
    return "\n".join([
        "",
        " LLDP Device Statistics",
        "",
        f.line("Neighbor Entries List Last Updated", "" if ago is None else uptime_words(ago)),
        f.line("New Neighbor Entries Count", str(stats.get("inserts", 0))),
        f.line("Neighbor Entries Deleted Count", str(stats.get("deletes", 0))),
        f.line("Neighbor Entries Dropped Count", str(stats.get("drops", 0))),
        f.line("Neighbor Entries AgeOut Count", str(stats.get("ageouts", 0))),
        "",
        " LLDP Port Statistics",
        "",
        PORTS_HEADER,
        *rows,
    ])


def render_port_stats(device: Device, ports: list[str]) -> str:
    """A block per port: its frames, and TLV counts (every TLV the agent reads is kept)."""
    f = PORT_FIELDS
    lines = ["", " LLDP Port Statistics Detail"]
    for port in ports:
        counts = _frames(device.lldp_stats, port)
        lines += [
            "",
            f"  PortName : {port}",
            f.line("Frames Discarded", str(counts[DISCARDED])),
            f.line("Frames Invalid", str(counts[DISCARDED])),
            f.line("Frames Received", str(counts[RECEIVED])),
            f.line("Frames Sent", str(counts[SENT])),
            f.line("TLVs Unrecognized", "0"),
            f.line("TLVs Discarded", "0"),
        ]
    return "\n".join(lines)


def show_stats(call: Call) -> str:
    if "port-list" in call.args:
        return render_port_stats(call.device, installed_ports(call.ports("port-list"),
                                                              call.device))
    return render_stats(call.device)


HELP: Final = {
    "show": SHOW_HELP,
    "detail": "Show detailed information of all remote devices.",
    "stats": "Show LLDP statistics.",
}

ROWS: tuple[Command, ...] = (
    Command("show lldp info remote-device detail", show_remote_detail),
    Command("show lldp stats [<port-list>]", show_stats, params={"port-list": PORT_LIST}),
)
