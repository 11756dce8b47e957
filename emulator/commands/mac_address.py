"""`show mac-address` [vlan <VLAN-ID> | <port-list>]: the forwarding table the fabric learned.
napalm reads the per-VLAN form as `mac port` pairs under the `  -----` line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from emulator.cli.grammar import PORT_LIST, VLAN_ID, Command, IntRange, Level, Where
from emulator.commands.format import SHOW_HELP, member_ports, refused
from emulator.commands.vlan import require_vlan
from emulator.hardware import MAC_AGE_RANGE, format_mac, format_port_list

if TYPE_CHECKING:
    from emulator.cli.context import Call
    from emulator.device import Device, MacEntry

TABLE_HEADER: Final = (
    "  MAC Address   Port  VLAN\n"
    "  ------------- ----- ----"
)
VLAN_HEADER: Final = (
    "  MAC Address   Located on Port\n"
    "  ------------- ---------------"
)


def _sorted(entries: list[MacEntry]) -> list[MacEntry]:
    """The switch lists its address table in MAC order."""
    return sorted(entries, key=lambda e: (format_mac(e.mac), e.vlan))


def _table(title: str, entries: list[MacEntry]) -> str:
    return "\n".join([
        "",
        title,
        "",
        TABLE_HEADER,
        *(f"  {format_mac(e.mac)} {e.port:<5} {e.vlan}" for e in _sorted(entries)),
    ])


def render_mac_table(device: Device) -> str:
    return _table(" Status and Counters - Port Address Table", device.mac_table)


def render_mac_ports(device: Device, ports: list[str]) -> str:
    wanted = set(ports)
    return _table(f" Status and Counters - Port Address Table - {format_port_list(ports)}",
                  [e for e in device.mac_table if e.port in wanted])


def render_mac_vlan(device: Device, vid: int) -> str:
    require_vlan(device, vid)
    return "\n".join([
        "",
        f" Status and Counters - Address Table - VLAN {vid}",
        "",
        VLAN_HEADER,
        *(f"  {format_mac(e.mac)} {e.port}"
          for e in _sorted([e for e in device.mac_table if e.vlan == vid])),
    ])


def show_mac_address(call: Call) -> str:
    if "vlan-id" in call.args:
        return render_mac_vlan(call.device, call.number("vlan-id"))
    if "port-list" in call.args:
        return render_mac_ports(call.device, member_ports(call.ports("port-list"), call.device))
    return render_mac_table(call.device)


def set_mac_age(call: Call) -> None:
    with refused():
        call.device.running.set_mac_age(call.number("seconds"))


HELP: Final = {
    "show": SHOW_HELP,
    "mac-age-time": "Set the MAC address age time.",
    "seconds": "Seconds a learned address stays in the table without traffic from it.",
    "mac-address": "Show MAC address tables.",
    "vlan": "Show MAC addresses learned on a VLAN.",
    "vlan-id": "The VLAN identifier.",
    "port-list": "Show MAC addresses learned on these ports.",
}

ROWS: tuple[Command, ...] = (
    Command("show mac-address", show_mac_address),
    Command("show mac-address vlan <vlan-id>", show_mac_address, params={"vlan-id": VLAN_ID}),
    Command("show mac-address <port-list>", show_mac_address, params={"port-list": PORT_LIST}),
    Command("mac-age-time <seconds>", set_mac_age, where=Where.CONFIG, level=Level.MANAGER,
            params={"seconds": IntRange(*MAC_AGE_RANGE)}),
)
