"""`show interfaces` (counters, brief, per-port detail) and the `interface` context: port names
and enable/disable. napalm's get_facts takes its interface list from the brief screen and
`_parse_interface_details` reads the detail screen as `label : value` pairs.
"""

from __future__ import annotations

from dataclasses import fields
from typing import TYPE_CHECKING, Final

from emulator.cli.context import Mode
from emulator.cli.grammar import PORT_LIST, Command, Level, ModeKind, Text, Where
from emulator.commands.format import (
    SHOW_HELP,
    Fields,
    installed_ports,
    member_ports,
    port_label,
    refused,
    thousands,
    yes_no,
)
from emulator.config.model import SPEED_DUPLEX_DEFAULT, Interface
from emulator.device import PortCounters
from emulator.hardware import format_mac, format_port_list, if_index, mac_bytes, parse_port_list

if TYPE_CHECKING:
    from emulator.cli.context import Call
    from emulator.device import Device

PORT_MODES: Final[dict[str, tuple[str, str, str]]] = {
    "100/1000T": ("1000FDx", "MDIX", "Auto"),
    "10GbE-GEN": ("10GigFD", "NA", "NA"),
    "10GbE-CX4": ("10GigFD", "NA", "NA"),
    "10/100TX": ("100FDx", "MDIX", "Auto"),
    "10GbE-T": ("10GigFD", "MDIX", "Auto"),
    "": (".", "", ""),
}
"""Port type -> (Mode, MDI when up, MDI when down); "" is an empty transceiver slot."""
CONFIG_MODES: Final = {
    "auto": "Auto", "10-half": "10HDx", "100-half": "100HDx", "10-full": "10FDx",
    "100-full": "100FDx", "1000-full": "1000FDx", "auto-10": "Auto-10", "auto-100": "Auto-100",
    "auto-1000": "Auto-1000", "auto-10-100": "Auto-10-100", "auto-10g": "Auto-10G",
}
"""`speed-duplex` keyword -> how the port screens print the configured mode."""
SPEEDS: Final = {
    "10-half": "10HDx", "100-half": "100HDx", "10-full": "10FDx", "100-full": "100FDx",
    "1000-full": "1000FDx", "auto-10": "10FDx", "auto-100": "100FDx", "auto-10-100": "100FDx",
}
"""`speed-duplex` keyword -> the speed the port runs at; the others run at the port type's
own speed (PORT_MODES)."""
FIXED_SPEEDS: Final = ("10-half", "100-half", "10-full", "100-full", "1000-full")
INTRUSION_ALERT: Final = "No"
FLOW_CONTROL: Final = {True: "on", False: "off"}

PORT_WIDTH: Final = 12
TYPE_WIDTH: Final = 10
"""The column widths of the K.15 screen with a Bcast Limit column (a zl chassis capture)."""
BRIEF_TITLE: Final = " Status and Counters - Port Status"
COUNTERS_TITLE: Final = " Status and Counters - Port Counters"
COUNTERS_HEADER: Final = (
    f"{'':<65}Flow Bcast\n"
    "  Port         Total Bytes    Total Frames   Errors Rx Drops Tx  Ctrl Limit\n"
    "  ------------ -------------- -------------- --------- --------- ---- -----"
)

HEAD_FIELDS: Final = Fields(indent=2, width=16)
COUNT_FIELDS: Final = Fields(indent=3, width=15, right_at=40)


def settings(device: Device, port: str) -> Interface:
    """A port's config without adding it to the config (ports at defaults have no entry)."""
    return device.running.interfaces.get(port) or Interface(port)


def port_up(device: Device, port: str) -> bool:
    """What `Status` shows: carrier from the fabric, and the port not disabled."""
    if port in device.running.trunks:  # trunks: up while a member carries its traffic
        return bool(device.trunk_links.get(port))
    return device.ports[port].link_up and settings(device, port).enabled


def port_mac(device: Device, port: str) -> str:
    """Each port's own MAC: the base MAC plus its ifIndex, as on the real chassis."""
    base = int.from_bytes(mac_bytes(device.inventory.base_mac), "big")
    return format_mac((base + if_index(port)).to_bytes(6, "big"))


def config_mode(device: Device, port: str) -> str:
    """The configured mode column: `Auto`, `Auto-100`, `100FDx` ... (blank for an empty
    transceiver slot, which has no mode until a transceiver is in)."""
    if not device.inventory.port_type(port):
        return ""
    return CONFIG_MODES[settings(device, port).speed_duplex]


def port_speed(device: Device, port: str) -> str:
    """The speed and duplex the port runs at (or would, while down)."""
    kind = device.inventory.port_type(port)
    if not kind:
        return ""
    return SPEEDS.get(settings(device, port).speed_duplex, PORT_MODES[kind][0])


def _flow_and_limit(device: Device, port: str) -> str:
    """The `Flow Ctrl` and `Bcast Limit` columns: the port's `flow-control` and
    `broadcast-limit` settings."""
    config = settings(device, port)
    return f"{FLOW_CONTROL[config.flow_control]:<4} {config.broadcast_limit}"


def brief_mode(device: Device, port: str, up: bool) -> str:
    """The brief screen's Mode: the speed a port with link runs at; a port without link
    shows its configured autonegotiation range (`Auto-10-100`), or the speed it would run at
    (`1000FDx` for plain auto and the fixed modes), as the manual's listing shows."""
    configured = settings(device, port).speed_duplex
    if up or configured == SPEED_DUPLEX_DEFAULT or configured in FIXED_SPEEDS:
        return port_speed(device, port) or PORT_MODES[""][0]
    return CONFIG_MODES[configured]


def _brief_row(device: Device, port: str, port_width: int) -> str:
    kind = device.inventory.port_type(port)
    _, mdi_up, mdi_down = PORT_MODES[kind]
    up = port_up(device, port)
    mode = brief_mode(device, port, up)
    enabled = settings(device, port).enabled
    return (f"  {port_label(device, port):<{port_width}} {kind:<{TYPE_WIDTH}} | "
            f"{INTRUSION_ALERT:<9} "
            f"{yes_no(enabled):<7} {'Up' if up else 'Down':<6} {mode:<10} "
            f"{mdi_up if up else mdi_down:<4} {_flow_and_limit(device, port)}")


def render_brief(device: Device, ports: list[str] | None = None) -> str:
    """The port column widens for long port names, as the real screen does for trunks."""
    ports = device.inventory.ports() if ports is None else ports
    width = max([PORT_WIDTH, *(len(port_label(device, p)) for p in ports)])
    lead = " " * (2 + width + 1 + TYPE_WIDTH + 1)
    return "\n".join([
        "",
        BRIEF_TITLE,
        "",
        f"{lead}| Intrusion                           MDI  Flow Bcast",
        f"  {'Port':<{width}} {'Type':<{TYPE_WIDTH}} | Alert     Enabled Status Mode       "
        "Mode Ctrl Limit",
        f"  {'-' * width} {'-' * TYPE_WIDTH} + --------- ------- ------ ---------- ---- ---- -----",
        *(_brief_row(device, port, width) for port in ports),
    ])


def shown_counters(device: Device, port: str) -> PortCounters:
    """The counts since the port's last `clear statistics`; a count below its cleared value
    (the fabric restarted since) is shown whole. A trunk (`Trk1`) counts what the bridge
    passed on it."""
    now = (device.trunk_counters.get(port, PortCounters()) if port in device.running.trunks
           else device.ports[port].counters)
    cleared = device.cleared_counters.get(port)
    if cleared is None:
        return now
    return PortCounters(**{
        f.name: getattr(now, f.name) - getattr(cleared, f.name)
        if getattr(now, f.name) >= getattr(cleared, f.name) else getattr(now, f.name)
        for f in fields(PortCounters)})


def render_counters(device: Device) -> str:
    rows = []
    for port in device.inventory.ports():
        c = shown_counters(device, port)
        frames = (c.rx_unicast + c.tx_unicast + c.rx_bcast + c.tx_bcast
                  + c.rx_mcast + c.tx_mcast)
        rows.append(f"  {port_label(device, port):<12} {thousands(c.rx_bytes + c.tx_bytes):<14} "
                    f"{frames:<14} "
                    f"{thousands(c.rx_errors):<9} {thousands(c.tx_drops):<9} "
                    f"{_flow_and_limit(device, port)}")
    return "\n".join([COUNTERS_TITLE, "", COUNTERS_HEADER, *rows])


def render_port_detail(device: Device, port: str) -> str:
    config = settings(device, port)
    c = shown_counters(device, port)
    f = COUNT_FIELDS

    def pair(left: str, lvalue: int, right: str, rvalue: int) -> str:
        return f.line(left, thousands(lvalue), (right, thousands(rvalue)))

    return "\n".join([
        "",
        f" Status and Counters - Port Counters for port {port}",
        "",
        f"  {'Name':<4}  : {config.name or ''}",
        HEAD_FIELDS.line("MAC Address", port_mac(device, port)),
        HEAD_FIELDS.line("Link Status", "Up" if port_up(device, port) else "Down"),
        HEAD_FIELDS.line("Port Enabled", yes_no(config.enabled)),
        "  Totals (Since boot or last clear) :",
        pair("Bytes Rx", c.rx_bytes, "Bytes Tx", c.tx_bytes),
        pair("Unicast Rx", c.rx_unicast, "Unicast Tx", c.tx_unicast),
        pair("Bcast/Mcast Rx", c.rx_bcast + c.rx_mcast, "Bcast/Mcast Tx", c.tx_bcast + c.tx_mcast),
        "  Errors (Since boot or last clear) :",
        pair("FCS Rx", 0, "Drops Tx", c.tx_drops),
        pair("Alignment Rx", 0, "Collisions Tx", 0),
        pair("Runts Rx", 0, "Late Colln Tx", 0),
        pair("Giants Rx", 0, "Excessive Colln", 0),
        pair("Total Rx Errors", c.rx_errors, "Deferred Tx", 0),
        "  Others (Since boot or last clear) :",
        pair("Discard Rx", c.rx_drops, "Out Queue Len", 0),
        f.line("Unknown Protos", "0"),
        "  Rates (5 minute weighted average) :",
        pair("Total Rx  (bps)", 0, "Total Tx  (bps)", 0),
        pair("Unicast Rx (Pkts/sec)", 0, "Unicast Tx (Pkts/sec)", 0),
        pair("B/Mcast Rx (Pkts/sec)", 0, "B/Mcast Tx (Pkts/sec)", 0),
        f.line("Utilization Rx", f"{0:>5} %", ("Utilization Tx", f"{0:>5} %")),
    ])


def show_interfaces(call: Call) -> str:
    if "port-list" not in call.args:
        return render_counters(call.device)
    ports = member_ports(call.ports("port-list"), call.device)
    return "\n".join(render_port_detail(call.device, port) for port in ports)


def show_brief(call: Call) -> str:
    ports = (installed_ports(call.ports("port-list"), call.device) if "port-list" in call.args
             else None)
    return render_brief(call.device, ports)


def enter_interface(call: Call) -> None:
    ports = installed_ports(call.ports("port-list"), call.device)
    call.session.enter(Mode(ModeKind.INTERFACE, format_port_list(ports)))


def context_ports(call: Call) -> list[str]:
    """The ports of the `interface` context the command runs in (`eth-A1-A4`)."""
    return parse_port_list(str(call.session.mode.value))


def set_name(call: Call) -> None:
    with refused():
        for port in context_ports(call):
            call.device.running.port_set_name(port, call.text("port-name"))


def clear_name(call: Call) -> None:
    with refused():
        for port in context_ports(call):
            call.device.running.port_set_name(port, None)


def enable(call: Call) -> None:
    with refused():
        for port in context_ports(call):
            call.device.running.port_set_enabled(port, True)


def disable(call: Call) -> None:
    with refused():
        for port in context_ports(call):
            call.device.running.port_set_enabled(port, False)


HELP: Final = {
    "show": SHOW_HELP,
    "interfaces": "Show port information.",
    "brief": "Show the port operational parameters.",
    "ethernet": "Show/configure ports by their port-list.",
    "interface": "Enter the Interface Configuration Level, or execute one command for that level.",
    "name": "Set/unset a name for the port(s).",
    "port-name": "The port name.",
    "enable": "Enable port(s).",
    "disable": "Disable port(s).",
}

ROWS: tuple[Command, ...] = (
    Command("show interfaces", show_interfaces),
    Command("show interfaces brief [<port-list>]", show_brief,
            params={"port-list": PORT_LIST}),
    Command("show interfaces [ethernet] <port-list>", show_interfaces,
            params={"port-list": PORT_LIST},
            help={"port-list": "Show summary of network traffic handled by the ports."}),
    Command("interface [ethernet] <port-list>", enter_interface, where=Where.CONFIG,
            level=Level.MANAGER, params={"port-list": PORT_LIST}, enters=ModeKind.INTERFACE),
    Command("name <port-name>", set_name, where=Where.INTERFACE, level=Level.MANAGER,
            params={"port-name": Text()}),
    Command("name", None, where=Where.INTERFACE, level=Level.MANAGER, negate=clear_name),
    Command("enable", enable, where=Where.INTERFACE, level=Level.MANAGER),
    Command("disable", disable, where=Where.INTERFACE, level=Level.MANAGER),
)
