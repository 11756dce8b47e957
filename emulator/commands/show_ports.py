"""Per-port show commands that read what other families keep: `show name` (port names and
types), `show interfaces config` (port settings), `show vlans ports PORT-LIST [detail]` (the
VLANs a port is in), and `show interfaces transceiver [detail]` / `show tech transceivers`,
which oxidized and RANCID send on every backup. No transceiver is ever inserted in an
emulated chassis, so the transceiver screens hold their title and column heads and no row, as
the real switch prints them for copper modules and empty slots."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from emulator.cli.grammar import PORT_LIST, Command, Level
from emulator.commands.format import SHOW_HELP, installed_ports, yes_no
from emulator.commands.show_interfaces import settings
from emulator.commands.vlan import STATUS, VLANS_HEADER
from emulator.hardware import format_port_list

if TYPE_CHECKING:
    from emulator.cli.context import Call
    from emulator.device import Device

NAMES_TITLE: Final = " Port Names"
NAMES_HEADER: Final = (
    "  Port   Type      Name\n"
    "  ------ --------- ----------------------------------------------------------")
TRANSCEIVER_TITLE: Final = "Transceiver Technical Information:"
TRANSCEIVER_HEADER: Final = (
    " Port    Type      Prod #     Serial #          Part #\n"
    " ------- --------- ---------- ----------------- ----------")
SETTINGS_TITLE: Final = " Port Settings"
SETTINGS_HEADER: Final = (
    "  Port   Type      | Enabled Mode         Flow Ctrl MDI\n"
    "  ------ --------- + ------- ------------ --------- ----")
MODE_AUTO: Final = "Auto"
FLOW_DISABLED: Final = "Disable"
MDI_AUTO: Final = "Auto"
VLANS_PORTS_TITLE: Final = " Status and Counters - VLAN Information - for ports {ports}"
DETAIL_MODE_HEAD: Final = (" Mode    ", " --------")
"""`detail` adds a Mode column (Untagged/Tagged) to the VLAN table."""


def _ports(call: Call) -> list[str]:
    if "port-list" in call.args:
        return installed_ports(call.ports("port-list"), call.device)
    return call.device.inventory.ports()


def render_names(device: Device, ports: list[str], one_by_one: bool) -> str:
    """The table for the whole chassis; a `label : value` block per port when ports are
    named, as the switch prints `show name A1`."""
    if one_by_one:
        blocks = [f"  Port : {port}\n    Type : {device.inventory.port_type(port)}\n"
                  f"    Name : {settings(device, port).name or ''}".rstrip() for port in ports]
        return "\n".join(["", NAMES_TITLE, "", "\n\n".join(blocks)])
    rows = [f"  {port:<6} {device.inventory.port_type(port):<9} "
            f"{settings(device, port).name or ''}".rstrip() for port in ports]
    return "\n".join(["", NAMES_TITLE, "", NAMES_HEADER, *rows])


def show_name(call: Call) -> str:
    return render_names(call.device, _ports(call), one_by_one="port-list" in call.args)


def render_vlans_ports(device: Device, ports: list[str], detail: bool) -> str:
    """The VLANs any of `ports` belongs to; `detail` adds the membership mode (of the first
    listed port in that VLAN, for a list)."""
    vlans = device.running.vlans
    head, rule = VLANS_HEADER.split("\n")
    rows: list[str] = []
    for vid in sorted(vlans):
        vlan = vlans[vid]
        modes = ["Untagged" if port in vlan.untagged else "Tagged"
                 for port in ports if port in vlan.untagged | vlan.tagged]
        if not modes:
            continue
        row = (f"  {vid:<7} {vlan.name:<32} | {STATUS:<10} {yes_no(vlan.voice):<5} "
               f"{yes_no(vlan.jumbo):<5}")
        rows.append(f"{row} {modes[0]}" if detail else row)
    if detail:
        head, rule = head + DETAIL_MODE_HEAD[0], rule + DETAIL_MODE_HEAD[1]
    return "\n".join(["", VLANS_PORTS_TITLE.format(ports=format_port_list(ports)), "",
                      head.rstrip(), rule, *(row.rstrip() for row in rows)])


def show_vlans_ports(call: Call) -> str:
    ports = installed_ports(call.ports("port-list"), call.device)
    return render_vlans_ports(call.device, ports, detail="detail" in call.words)


def render_port_settings(device: Device, ports: list[str]) -> str:
    """`show interfaces config`: each port's enable state and its configured mode (the
    speed-duplex setting; every port autonegotiates until a speed-duplex family sets it)."""
    rows = [f"  {port:<6} {device.inventory.port_type(port):<9} | "
            f"{yes_no(settings(device, port).enabled):<7} {MODE_AUTO:<12} {FLOW_DISABLED:<9} "
            f"{MDI_AUTO}" for port in ports]
    return "\n".join(["", SETTINGS_TITLE, "", SETTINGS_HEADER, *rows])


def show_port_settings(call: Call) -> str:
    return render_port_settings(call.device, _ports(call))


def render_transceivers() -> str:
    return "\n".join(["", TRANSCEIVER_TITLE, "", TRANSCEIVER_HEADER])


def show_transceivers(call: Call) -> str:
    _ports(call)
    if "detail" in call.words:
        return "\n".join(["", TRANSCEIVER_TITLE])
    return render_transceivers()


HELP: Final = {
    "show": SHOW_HELP,
    "name": "Display the port names.",
    "ports": "Show VLANs of the given ports.",
    "detail": "Show detailed information.",
    "transceiver": "Show the transceiver information.",
    "config": "Show configuration information.",
    "tech": "Display output of a predefined command sequence used by technical support.",
    "transceivers": "Show the transceiver information.",
}

ROWS: tuple[Command, ...] = (
    Command("show name [<port-list>]", show_name, params={"port-list": PORT_LIST}),
    Command("show vlans ports <port-list> [detail]", show_vlans_ports,
            params={"port-list": PORT_LIST}),
    Command("show interfaces transceiver [<port-list>] [detail]", show_transceivers,
            params={"port-list": PORT_LIST}),
    Command("show interfaces config [<port-list>]", show_port_settings,
            params={"port-list": PORT_LIST}),
    Command("show tech transceivers", show_transceivers, level=Level.MANAGER),
)
