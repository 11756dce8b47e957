"""`show power-over-ethernet` (the chassis' PoE budget and supplies), `show power-over-ethernet
brief [PORT-LIST]` (a line per PoE port) and `show power-over-ethernet [ethernet] PORT-LIST`
(a block per port). Which ports give power is the module catalog's (hardware.ModuleType.poe):
the emulated ports detect no powered device, so every enabled PoE port is `Searching`, draws
nothing, and the budget is whole. The screens' shapes follow the HP manuals' field lists and
a 3810's brief listing; no 8212zl capture of them was at hand."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from emulator.cli.grammar import PORT_LIST, Command
from emulator.commands.format import SHOW_HELP, Fields, installed_ports
from emulator.commands.show_environment import POWER_SUPPLIES
from emulator.commands.show_interfaces import settings
from emulator.hardware import MODULE_TYPES, SLOTS, PoE, split_port

if TYPE_CHECKING:
    from emulator.cli.context import Call
    from emulator.device import Device

POE_WATTS_PER_SUPPLY: Final = 900
"""The PoE share the emulator gives each J8713A 1500 W supply (an assumption: no capture of a
real 8212zl's budget was at hand)."""
ALLOCATED_WATTS: Final = {PoE.AF: 17, PoE.AT: 33}
"""A port's default power allocation: 17 W for PoE, 33 W for PoE+ (the manual's Alloc Power)."""
PRIORITY: Final = "low"
ALLOCATE_BY: Final = "usage"
SEARCHING: Final = "Searching"
DISABLED: Final = "Disabled"
POWER_STATUS: Final = "No redundancy"
BRIEF_HEADER: Final = (
    "  PoE   | Power  Power    Alloc Alloc  Actual Configured Detection   Power\n"
    "  Port  | Enable Priority By    Power  Power  Type       Status      Class\n"
    "  ----- + ------ -------- ----- ------ ------ ---------- ----------- -----")
STATUS_FIELDS: Final = Fields(indent=2, width=20)
BUDGET_FIELDS: Final = Fields(indent=2, width=22)
PORT_FIELDS: Final = Fields(indent=2, width=16, right_at=38)


def poe_of(device: Device, port: str) -> PoE:
    """What the port gives: its module's PoE class for the first `poe_ports` ports."""
    slot, number = split_port(port)
    module = MODULE_TYPES[device.inventory.modules[slot]]
    return module.poe if number <= module.poe_ports else PoE.NONE


def poe_ports(device: Device, ports: list[str]) -> list[str]:
    return [port for port in ports if poe_of(device, port) is not PoE.NONE]


def available_watts() -> int:
    return POE_WATTS_PER_SUPPLY * sum(1 for supply in POWER_SUPPLIES if supply[1] == "Powered")


def _budget(available: int) -> str:
    return f"  Available: {available} W  Used: 0 W  Remaining: {available} W"


def render_system() -> str:
    available = available_watts()
    bays = [f"      {bay}   {POE_WATTS_PER_SUPPLY}W/POE /Connected." if state == "Powered"
            else f"      {bay}   Not Connected."
            for bay, (_, state, _, _) in enumerate(POWER_SUPPLIES, start=1)]
    return "\n".join([
        "",
        " Status and Counters - System Power Status",
        "",
        STATUS_FIELDS.line("System Power Status", POWER_STATUS),
        STATUS_FIELDS.line("PoE Power Status", POWER_STATUS),
        "",
        " Chassis power-over-ethernet:",
        "",
        BUDGET_FIELDS.line("Total Available Power", f"{available:>4} W"),
        BUDGET_FIELDS.line("Total Failover Power", f"{POE_WATTS_PER_SUPPLY:>4} W"),
        BUDGET_FIELDS.line("Total Redundancy Power", f"{0:>4} W"),
        BUDGET_FIELDS.line("Total used Power", f"{0:>4} W +/- 0W"),
        BUDGET_FIELDS.line("Total Remaining Power", f"{available:>4} W"),
        "",
        " Internal Power",
        *bays,
    ])


def _allocated(device: Device, port: str) -> str:
    return f"{ALLOCATED_WATTS[poe_of(device, port)]} W"


def _brief_row(device: Device, port: str) -> str:
    """A disabled port gives no power: its detection reads `Disabled`."""
    detection = SEARCHING if settings(device, port).enabled else DISABLED
    return (f"  {port:<5} | {'Yes':<6} {PRIORITY:<8} {ALLOCATE_BY:<5} "
            f"{_allocated(device, port):<6} {'0.0 W':<6} {'':<10} {detection:<11} 0")


def render_brief(device: Device, ports: list[str]) -> str:
    """The chassis' budget, each PoE module's, then a line per PoE port."""
    shown = poe_ports(device, ports)
    every = poe_ports(device, device.inventory.ports())
    slots = [slot for slot in SLOTS if any(split_port(port)[0] == slot for port in shown)]
    modules = [line for slot in slots for line in (
        f"  Module {slot} Power",
        _budget(sum(ALLOCATED_WATTS[poe_of(device, port)] for port in every
                    if split_port(port)[0] == slot)),
        "")]
    return "\n".join([
        "",
        " Status and Counters - Port Power Status",
        "",
        STATUS_FIELDS.line("System Power Status", POWER_STATUS),
        STATUS_FIELDS.line("PoE Power Status", POWER_STATUS),
        "",
        _budget(available_watts()),
        "",
        *modules,
        BRIEF_HEADER,
        *(_brief_row(device, port) for port in shown),
    ])


def render_ports(device: Device, ports: list[str]) -> str:
    f = PORT_FIELDS
    blocks = []
    for port in poe_ports(device, ports):
        blocks += [
            "",
            f" Status and Counters - Port Power Status for port {port}",
            "",
            f.line("Power Enable", "Yes"),
            "",
            f.line("LLDP Detect", "disabled"),
            f.line("Priority", PRIORITY, ("Configured Type", "")),
            f.line("AllocateBy", ALLOCATE_BY, ("Value", _allocated(device, port))),
            f.line("Detection Status", SEARCHING, ("Power Class", "0")),
            "",
            f.line("Over Current Cnt", "0", ("MPS Absent Cnt", "0")),
            f.line("Power Denied Cnt", "0", ("Short Cnt", "0")),
            "",
            f.line("Voltage", "0.0 V", ("Current", "0 mA")),
            f.line("Power", "0.0 W"),
        ]
    return "\n".join(blocks)


def _ports(call: Call) -> list[str]:
    if "port-list" in call.args:
        return installed_ports(call.ports("port-list"), call.device)
    return call.device.inventory.ports()


def show_system(call: Call) -> str:
    return render_system()


def show_brief(call: Call) -> str:
    return render_brief(call.device, _ports(call))


def show_ports(call: Call) -> str:
    return render_ports(call.device, _ports(call))


HELP: Final = {
    "show": SHOW_HELP,
    "power-over-ethernet": "Show PoE information.",
    "brief": "Show the PoE status of the ports in brief.",
    "ethernet": "Show the PoE status of these ports.",
    "port-list": "Show the PoE status of these ports.",
}

ROWS: tuple[Command, ...] = (
    Command("show power-over-ethernet", show_system),
    Command("show power-over-ethernet brief [<port-list>]", show_brief,
            params={"port-list": PORT_LIST}),
    Command("show power-over-ethernet [ethernet] <port-list>", show_ports,
            params={"port-list": PORT_LIST}),
)
