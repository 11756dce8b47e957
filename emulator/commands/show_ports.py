"""Per-port show commands that read what other families keep: `show name` (port names and
types), `show interfaces config` (port settings), `show interfaces status` (a line per port:
name, link, configured and actual speed, VLANs; ntc-templates parses it), `show interfaces
custom` (the columns the user names), `show interfaces display` and `port-utilization`
(traffic), `show vlans ports PORT-LIST [detail]` (the VLANs a port is in), and `show interfaces
transceiver [detail]` / `show tech transceivers`, which oxidized and RANCID send on every
backup. No transceiver is ever inserted in an emulated chassis, so the transceiver screens hold
their title and column heads and no row, as the real switch prints them for copper modules and
empty slots."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from emulator.cli.grammar import PORT_LIST, Command, Level
from emulator.commands.format import (
    SHOW_HELP,
    installed_ports,
    member_ports,
    port_label,
    yes_no,
)
from emulator.commands.lldp import cut
from emulator.commands.show_interfaces import (
    CONFIG_MODES,
    FLOW_CONTROL,
    INTRUSION_ALERT,
    config_mode,
    port_speed,
    port_up,
    render_counters,
    settings,
)
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
FLOW_SETTING: Final = {True: "Enable", False: "Disable"}
MDI_AUTO: Final = "Auto"
STATUS_HEADER: Final = (
    "  Port     Name       Status  Config-mode   Speed    Type       Tagged Untagged\n"
    "  -------- ---------- ------- ------------- -------- ---------- ------ --------")
"""`show interfaces status` (real captures of zl chassis: ntc-templates' fixtures); a port
label or name longer than its column is cut with `...`."""
STATUS_WIDTHS: Final = {"port": 8, "name": 10}
MULTIPLE_VLANS: Final = "multi"
NO_VLAN: Final = "No"
UTILIZATION_TITLE: Final = " Status and Counters - Port Utilization"
UTILIZATION_HEADER: Final = (
    "                                 Rx                           Tx\n"
    "  Port         Mode     | --------------------------- | ---------------------------\n"
    "                        | Kbits/sec   Pkts/sec  Util  | Kbits/sec  Pkts/sec   Util\n"
    "  ------------ -------- + ---------- --------- ------ + ---------- ---------- ------")
"""K.15's port-utilization screen; the rates are 5-minute averages the emulator does not keep
(the counters in `show interfaces` are exact), so they read 0."""
CUSTOM_TITLE: Final = " Status and Counters - Custom Port Status"
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
    """The VLANs any of `ports` belongs to (a trunk, or a trunk member, is in its trunk's);
    `detail` adds the membership mode (of the first listed port in that VLAN, for a list)."""
    vlans = device.running.vlans
    head, rule = VLANS_HEADER.split("\n")
    rows: list[str] = []
    for vid in sorted(vlans):
        vlan = vlans[vid]
        members = [device.running.trunk_of(port) or port for port in ports]
        modes = ["Untagged" if member in vlan.untagged else "Tagged"
                 for member in members if member in vlan.untagged | vlan.tagged]
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
    ports = member_ports(call.ports("port-list"), call.device)
    return render_vlans_ports(call.device, ports, detail="detail" in call.words)


def render_port_settings(device: Device, ports: list[str]) -> str:
    """`show interfaces config`: each port's enable state, its `speed-duplex` and
    `flow-control` settings."""
    rows = []
    for port in ports:
        config = settings(device, port)
        rows.append(f"  {port:<6} {device.inventory.port_type(port):<9} | "
                    f"{yes_no(config.enabled):<7} {CONFIG_MODES[config.speed_duplex]:<12} "
                    f"{FLOW_SETTING[config.flow_control]:<9} {MDI_AUTO}")
    return "\n".join(["", SETTINGS_TITLE, "", SETTINGS_HEADER, *rows])


def show_port_settings(call: Call) -> str:
    return render_port_settings(call.device, _ports(call))


def vlan_membership(device: Device, port: str) -> tuple[list[int], int | None]:
    """(the VLANs the port is tagged in, its untagged VLAN); a trunk member is in its
    trunk's VLANs."""
    member = device.running.trunk_of(port) or port
    vlans = device.running.vlans
    tagged = [vid for vid in sorted(vlans) if member in vlans[vid].tagged]
    untagged = next((vid for vid in sorted(vlans) if member in vlans[vid].untagged), None)
    return tagged, untagged


def _tagged_column(tagged: list[int]) -> str:
    if not tagged:
        return NO_VLAN
    return str(tagged[0]) if len(tagged) == 1 else MULTIPLE_VLANS


def _status_row(device: Device, port: str) -> str:
    tagged, untagged = vlan_membership(device, port)
    w = STATUS_WIDTHS
    return (f"  {cut(port_label(device, port), w['port']):<{w['port']}} "
            f"{cut(settings(device, port).name or '', w['name']):<{w['name']}} "
            f"{'Up' if port_up(device, port) else 'Down':<7} {config_mode(device, port):<13} "
            f"{port_speed(device, port):<8} {device.inventory.port_type(port):<10} "
            f"{_tagged_column(tagged):<6} {untagged or NO_VLAN}")


def render_status(device: Device, ports: list[str]) -> str:
    return "\n".join(["", STATUS_HEADER, *(_status_row(device, port) for port in ports)])


def show_status(call: Call) -> str:
    return render_status(call.device, _ports(call))


def render_utilization(device: Device, ports: list[str]) -> str:
    rows = [f"  {port_label(device, port):<12} {port_speed(device, port):<8} | "
            f"{0:<10} {0:<9} {0:<6} | {0:<10} {0:<10} {0}" for port in ports]
    return "\n".join(["", UTILIZATION_TITLE, "", UTILIZATION_HEADER, *rows])


def show_utilization(call: Call) -> str:
    return render_utilization(call.device, _ports(call))


def show_display(call: Call) -> str:
    """`show interfaces display`: the counters screen. The switch repaints it every few
    seconds until Control-C; the emulator prints it once, as a script reading it sees it."""
    return render_counters(call.device)


@dataclass(frozen=True)
class Column:
    """One column `show interfaces custom` may show: its heading (a second heading line
    above it for two-word titles), its narrowest width, and its value for a port."""

    title: str
    width: int
    value: Callable[[Device, str], str]
    over: str = ""


def _vlan_id(device: Device, port: str) -> str:
    """`vlanid`: the one VLAN the port is in, or `tagged` when it is in more than one."""
    tagged, untagged = vlan_membership(device, port)
    vids = tagged + ([untagged] if untagged is not None else [])
    return str(vids[0]) if len(vids) == 1 else "tagged" if vids else ""


COLUMNS: Final[dict[str, Column]] = {
    "port": Column("Port", 4, port_label),
    "type": Column("Type", 9, lambda d, p: d.inventory.port_type(p)),
    "status": Column("Status", 6, lambda d, p: "Up" if port_up(d, p) else "Down"),
    "speed": Column("Speed", 7, port_speed),
    "mode": Column("Mode", 11, lambda d, p: CONFIG_MODES[settings(d, p).speed_duplex]),
    "mdi": Column("MDI-mode", 8, lambda d, p: MDI_AUTO),
    "flow": Column("Ctrl", 4, lambda d, p: FLOW_CONTROL[settings(d, p).flow_control], "Flow"),
    "name": Column("Name", 4, lambda d, p: settings(d, p).name or ""),
    "vlanid": Column("VLAN", 6, _vlan_id),
    "enabled": Column("Enabled", 7, lambda d, p: yes_no(settings(d, p).enabled)),
    "intrusion": Column("Alert", 5, lambda d, p: INTRUSION_ALERT, "Intrusion"),
    "bcast": Column("Limit", 5, lambda d, p: str(settings(d, p).broadcast_limit), "Bcast"),
}
"""The K.15 manual's column list (`show interfaces custom PORT-LIST COLUMN-LIST`)."""
NAME_WIDTH: Final = 10
"""`name` without a width: names are cut to this many characters."""


@dataclass(frozen=True)
class CustomColumn:
    """A column word, optionally `:WIDTH` (`name:4`); a width under the column's own
    minimum is raised to it, as the manual says."""

    label: str = "COLUMN[:WIDTH]"

    @property
    def placeholder(self) -> str:
        return self.label

    def parse(self, token: str) -> tuple[str, int]:
        word, colon, width = token.lower().partition(":")
        if word not in COLUMNS or (colon and not (width.isascii() and width.isdigit())):
            raise ValueError(token)
        column = COLUMNS[word]
        wanted = int(width) if colon else NAME_WIDTH if word == "name" else column.width
        return word, max(column.width, wanted)


CUSTOM_COLUMNS: Final = 12
"""One argument per column, each column at most once in practice."""


def render_custom(device: Device, ports: list[str], columns: list[tuple[str, int]]) -> str:
    """The columns in the order given, each cut to its width; the port column is as wide as
    its longest label (a trunk member, `A5-Trk1`), a second title (`Intrusion` over
    `Alert`) may run past its column."""
    longest = max((len(port_label(device, port)) for port in ports), default=0)
    chosen = [(COLUMNS[word], max(width, longest) if word == "port" else width)
              for word, width in columns]
    over, titles, rules = "", list[str](), list[str]()
    for column, width in chosen:
        start = sum(len(title) + 1 for title in titles)
        over = f"{over:<{start}}{column.over}" if column.over else over
        titles.append(f"{column.title:<{width}}")
        rules.append("-" * width)
    rows = [" ".join(f"{column.value(device, port)[:width]:<{width}}" for column, width in chosen)
            for port in ports]
    head = ([over] if over else []) + [" ".join(titles), " ".join(rules)]
    return "\n".join(["", CUSTOM_TITLE, "", *(f" {line}".rstrip() for line in head),
                      *(f" {row}".rstrip() for row in rows)])


def show_custom(call: Call) -> str:
    columns = [call.value(f"column{n}", tuple) for n in range(1, CUSTOM_COLUMNS + 1)
               if f"column{n}" in call.args]
    return render_custom(call.device, _ports(call), [(str(w), int(n)) for w, n in columns])


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
    "status": "Show interfaces tagged or untagged VLAN information.",
    "custom": "Show the port parameters in customized order.",
    "display": "Show summary of network traffic handled by the ports.",
    "port-utilization": "Show port bandwidth utilization.",
    **{f"column{n}": f"A column: {', '.join(COLUMNS)}; COLUMN:WIDTH sets its width."
       for n in range(1, CUSTOM_COLUMNS + 1)},
}

_COLUMNS_SYNTAX: Final = "".join(f" [<column{n}>" for n in range(2, CUSTOM_COLUMNS + 1)) + (
    "]" * (CUSTOM_COLUMNS - 1))
_COLUMN_PARAMS: Final = {f"column{n}": CustomColumn() for n in range(1, CUSTOM_COLUMNS + 1)}

ROWS: tuple[Command, ...] = (
    Command("show name [<port-list>]", show_name, params={"port-list": PORT_LIST}),
    Command("show vlans ports <port-list> [detail]", show_vlans_ports,
            params={"port-list": PORT_LIST}),
    Command("show interfaces transceiver [<port-list>] [detail]", show_transceivers,
            params={"port-list": PORT_LIST}),
    Command("show interfaces config [<port-list>]", show_port_settings,
            params={"port-list": PORT_LIST}),
    Command("show tech transceivers", show_transceivers, level=Level.MANAGER),
    Command("show interfaces status [<port-list>]", show_status, params={"port-list": PORT_LIST}),
    Command("show interfaces display", show_display),
    Command("show interfaces port-utilization [<port-list>]", show_utilization,
            params={"port-list": PORT_LIST}),
    Command(f"show interfaces custom [<port-list>] <column1>{_COLUMNS_SYNTAX}", show_custom,
            params={"port-list": PORT_LIST, **_COLUMN_PARAMS}),
)
