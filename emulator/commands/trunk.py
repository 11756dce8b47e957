"""Trunks and LACP: `trunk PORT-LIST trkN [trunk|lacp]`, `no trunk PORT-LIST`, the interface
context's `lacp active|passive`, `show trunks` and `show lacp [counters|local|peer]`.

The config keeps the groups (config/model.py); the fabric bundles the links below its bridge,
runs LACP, forms the dynamic trunks (DynN) of ports with `lacp active|passive` (fabric/trunks.py,
fabric/lacp.py) and reports each LACP port's state, which the `show lacp` screens print. Their
shapes are the K/KA/KB.15-era manuals' examples and the `show trunks` capture that
ntc-templates' template parses.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from emulator.cli.grammar import PORT_LIST, Command, Level, Where
from emulator.commands.format import SHOW_HELP, installed_ports, refused, yes_no
from emulator.commands.show_interfaces import context_ports, settings
from emulator.config.model import LACP_MODES, TRUNK_KINDS
from emulator.fabric.lacp import LacpStatus
from emulator.hardware import MAX_TRUNKS, format_mac, port_sort_key, trunk_name, trunk_number

if TYPE_CHECKING:
    from emulator.cli.context import Call
    from emulator.device import Device


class TrunkGroup:
    """`trk1` .. `trk60` (any case): the group's name as the switch writes it, `Trk1`."""

    placeholder: str = f"trk1 ... trk{MAX_TRUNKS}"

    def parse(self, token: str) -> str:
        try:
            return trunk_name(trunk_number(token))
        except ValueError as exc:
            raise ValueError(token) from exc


TRUNK_GROUP: Final = TrunkGroup()

KIND_WORDS: Final = {"trunk": "Trunk", "lacp": "LACP"}
"""How `show trunks` writes each kind in its Type column."""
LOAD_BALANCING: Final = " Load Balancing Method:  L3-based (default)"
TRUNKS_HEADER: Final = (
    "  Port   | Name                             Type       | Group Type    \n"
    "  ------ + -------------------------------- ---------- + ----- --------")
LACP_HEADER: Final = (
    "                          LACP\n"
    "       LACP     Trunk    Port              LACP     Admin  Oper\n"
    "Port   Enabled  Group    Status   Partner  Status   Key    Key\n"
    "----   -------  -------  -------  -------  -------  ------ ------")
LACP_STATUS: Final = "Success"
ADMIN_KEY: Final = 0
COUNTERS_TITLE: Final = "LACP Port Counters."
COUNTERS_HEADER: Final = (
    "  LACP        LACP      Marker    Marker   Marker   Marker\n"
    "  Port Trunk  PDUs Tx   PDUs Rx   Req. Tx  Req. Rx  Resp. Tx Resp. Rx Error\n"
    "  ---- ------ --------- --------- -------- -------- -------- -------- --------")
"""The switch never starts the marker protocol (the manual: marker PDUs are only forwarded),
so the marker columns stay 0."""
LOCAL_TITLE: Final = "LACP Local Information."
LOCAL_HEADER: Final = (
    "              LACP                 Tx     Rx Timer\n"
    "  Port Trunk  Mode     Aggregated  Timer  Expired\n"
    "  ---- ------ -------- ----------- ------ --------")
PEER_TITLE: Final = "LACP Peer Information."
PEER_HEADER: Final = (
    "  Local  Local                       Port      Oper    LACP     Tx\n"
    "  Port   Trunk  System ID      Port  Priority  Key     Mode     Timer\n"
    "  ------ ------ -------------- ----- --------- ------- -------- -----")
TX_TIMER: Final = "Fast"
"""This switch asks its partners for the short timeout (fabric/lacp.py)."""


# --- config ------------------------------------------------------------------------------

def add_trunk(call: Call) -> None:
    ports = installed_ports(call.ports("port-list"), call.device)
    kind = call.args.get("kind", TRUNK_KINDS[0])
    assert isinstance(kind, str)
    with refused():
        call.device.running.trunk_add(ports, call.text("trunk-group"), kind)


def remove_trunk(call: Call) -> None:
    ports = installed_ports(call.ports("port-list"), call.device)
    with refused():
        call.device.running.trunk_remove(ports)


def set_lacp(call: Call) -> None:
    mode = None if call.negated else call.text("mode")
    with refused():
        for port in context_ports(call):
            call.device.running.port_set_lacp(port, mode)


# --- show trunks -------------------------------------------------------------------------

def render_trunks(device: Device, ports: list[str] | None = None) -> str:
    """Static groups, LACP ones included (dynamic LACP ports are `show lacp`'s only)."""
    running = device.running
    rows = []
    for port in sorted(running.trunk_members(), key=port_sort_key):
        if ports is not None and port not in ports:
            continue
        trunk = running.trunks[running.trunk_of(port) or ""]
        rows.append(f"  {port:<6} | {settings(device, port).name or '':<32} "
                    f"{device.inventory.port_type(port):<10} | {trunk.name:<5} "
                    f"{KIND_WORDS[trunk.kind]:<8}")
    return "\n".join(["", LOAD_BALANCING, "", TRUNKS_HEADER, *rows])


def show_trunks(call: Call) -> str:
    ports = (installed_ports(call.ports("port-list"), call.device) if "port-list" in call.args
             else None)
    return render_trunks(call.device, ports)


# --- show lacp ---------------------------------------------------------------------------

def _lacp_rows(call: Call) -> list[LacpStatus]:
    rows = sorted(call.device.lacp, key=lambda row: port_sort_key(row.port))
    if "port-list" not in call.args:
        return rows
    wanted = set(installed_ports(call.ports("port-list"), call.device))
    return [row for row in rows if row.port in wanted]


def _mode(row: LacpStatus) -> str:
    return "Active" if row.active else "Passive"


def render_lacp(rows: list[LacpStatus]) -> str:
    lines = [f"{row.port:<6} {_mode(row):<8} {row.trunk:<8} "
             f"{'Up' if row.link_up else 'Down':<8} {yes_no(row.partner):<8} "
             f"{LACP_STATUS:<8} {ADMIN_KEY:<6} {row.key}" for row in rows]
    return "\n".join(["", LACP_HEADER, *lines])


def render_counters(rows: list[LacpStatus]) -> str:
    lines = [f"  {row.port:<4} {row.trunk:<6} {row.lacpdus_sent:<9} {row.lacpdus_received:<9} "
             + " ".join(f"{0:<8}" for _ in range(4)) + f" {row.errors}" for row in rows]
    return "\n".join(["", COUNTERS_TITLE, "", "", COUNTERS_HEADER, *lines])


def render_local(device: Device, rows: list[LacpStatus]) -> str:
    lines = [f"  {row.port:<4} {row.trunk:<6} {_mode(row):<8} {yes_no(row.distributing):<11} "
             f"{TX_TIMER:<6} {yes_no(False)}" for row in rows]
    return "\n".join(["", LOCAL_TITLE, "", f"System ID: {format_mac(device.inventory.base_mac)}",
                      "", LOCAL_HEADER, *lines])


def render_peer(device: Device, rows: list[LacpStatus]) -> str:
    lines = [f"  {row.port:<6} {row.trunk:<6} {row.partner_system:<14} {row.partner_port:<5} "
             f"{row.partner_priority:<9} {row.partner_key:<7} "
             f"{'Active' if row.partner_active else 'Passive':<8} "
             f"{'Fast' if row.partner_fast else 'Slow'}" for row in rows]
    return "\n".join(["", PEER_TITLE, "", f"System ID: {format_mac(device.inventory.base_mac)}",
                      "", PEER_HEADER, *lines])


def show_lacp(call: Call) -> str:
    return render_lacp(_lacp_rows(call))


def show_lacp_counters(call: Call) -> str:
    return render_counters(_lacp_rows(call))


def show_lacp_local(call: Call) -> str:
    return render_local(call.device, _lacp_rows(call))


def show_lacp_peer(call: Call) -> str:
    return render_peer(call.device, _lacp_rows(call))


HELP: Final = {
    "show": SHOW_HELP,
    "trunk": "Configure trunk group for the specified ports.",
    "trunks": "Show trunk group information.",
    "trunk-group": "The trunk group.",
    "port-list": "The ports to trunk.",
    "lacp": "Define whether LACP is enabled on the port, and whether it is in active or "
            "passive mode when enabled.",
    "active": "Enable active LACP.",
    "passive": "Enable passive LACP.",
    "counters": "Show LACP counters.",
    "local": "Show LACP local information.",
    "peer": "Show LACP peer information.",
}

ROWS: Final = (
    Command(f"trunk <port-list> <trunk-group> [{{kind: {'|'.join(TRUNK_KINDS)}}}]", add_trunk,
            where=Where.CONFIG, level=Level.MANAGER,
            params={"port-list": PORT_LIST, "trunk-group": TRUNK_GROUP}),
    Command("trunk <port-list>", None, where=Where.CONFIG, level=Level.MANAGER,
            params={"port-list": PORT_LIST}, negate=remove_trunk),
    Command(f"lacp {{mode: {'|'.join(LACP_MODES)}}}", set_lacp, where=Where.INTERFACE,
            level=Level.MANAGER),
    Command("lacp", None, where=Where.INTERFACE, level=Level.MANAGER, negate=set_lacp),
    Command("show trunks [<port-list>]", show_trunks, params={"port-list": PORT_LIST}),
    Command("show lacp", show_lacp),
    Command("show lacp counters [<port-list>]", show_lacp_counters,
            params={"port-list": PORT_LIST}),
    Command("show lacp local [<port-list>]", show_lacp_local, params={"port-list": PORT_LIST}),
    Command("show lacp peer [<port-list>]", show_lacp_peer, params={"port-list": PORT_LIST}),
)
