"""`[no] gvrp` and `show gvrp`: GARP VLAN registration, as real configs switch it on (a 16.x
config writes `gvrp` right after the hostname). Kept and shown with each port's
`unknown-vlans` mode and the GARP timers' defaults; the fabric speaks no GVRP, so no VLAN is
learnt from a neighbour."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from emulator.cli.grammar import Command, Level, Where
from emulator.commands.format import SHOW_HELP, Fields
from emulator.config.model import UNKNOWN_VLANS_DEFAULT
from emulator.hardware import MAX_VLANS

if TYPE_CHECKING:
    from emulator.cli.context import Call
    from emulator.device import Device

TIMERS: Final = (80, 20, 1000)
"""GARP's leave, join and leave-all timers (tens of milliseconds), the 802.1D defaults."""
FIELDS: Final = Fields(indent=2, width=30)


def render_gvrp(device: Device) -> str:
    running = device.running
    primary = running.vlans[running.primary_vlan].name
    leave, join, leave_all = TIMERS
    return "\n".join([
        "",
        " GVRP support",
        "",
        FIELDS.line(f"Maximum VLANs to support [{MAX_VLANS}]",
                    str(MAX_VLANS)),
        FIELDS.line("Primary VLAN", primary),
        FIELDS.line("GVRP Enabled [No]", "Yes" if running.gvrp else "No"),
        "",
        "  Port  | Unknown VLANs Leave Timer Join Timer LeaveAll Timer",
        "  ----- + ------------- ----------- ---------- --------------",
        *(f"  {port:<5} | {mode.capitalize():<13} {leave:<11} {join:<10} {leave_all}"
          for port in device.inventory.ports()
          for mode in [running.interfaces[port].unknown_vlans if port in running.interfaces
                       else UNKNOWN_VLANS_DEFAULT]),
    ])


def show_gvrp(call: Call) -> str:
    return render_gvrp(call.device)


def set_gvrp(call: Call) -> None:
    call.device.running.set_gvrp(not call.negated)


HELP: Final = {
    "show": SHOW_HELP,
    "gvrp": "Enable/disable GARP VLAN Registration Protocol.",
}

ROWS: Final = (
    Command("show gvrp", show_gvrp),
    Command("gvrp", set_gvrp, where=Where.CONFIG, level=Level.MANAGER, negate=set_gvrp),
)
