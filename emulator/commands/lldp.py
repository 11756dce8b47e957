"""`show lldp info remote-device [<port-list>]`, `show lldp info local-device` and `show lldp
config [<port-list>]`.

Long values are cut to the field with `...` as the switch does; napalm then asks the detail
screen (and the MIB) for the whole value.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Final

from emulator.cli.grammar import PORT_LIST, Command
from emulator.commands.format import SHOW_HELP, Fields, installed_ports
from emulator.fabric import lldp
from emulator.hardware import if_index, mac_bytes

if TYPE_CHECKING:
    from emulator.cli.context import Call
    from emulator.device import Device, LldpNeighbor

ELLIPSIS: Final = "..."
DETAIL_VALUE_WIDTH: Final = 60
LOCAL_DESCR_WIDTH: Final = 55
REMOTE_WIDTHS: Final = {"chassis": 18, "port": 18, "descr": 9, "name": 18}
REMOTE_HEADER: Final = (
    "  LocalPort | ChassisId          PortId             PortDescr SysName\n"
    "  --------- + ------------------ ------------------ --------- ------------------"
)
DETAIL_SEPARATOR: Final = "-" * 78
LOCAL_PORTS_HEADER: Final = (
    "  Port     PortType PortId   PortDesc\n"
    "  -------- -------- -------- --------"
)
CAPABILITIES_SUPPORTED: Final = ", ".join(lldp.CAPABILITIES_SUPPORTED)
CAPABILITIES_ENABLED: Final = ", ".join(lldp.CAPABILITIES_ENABLED)

GLOBAL_SETTINGS: Final = (
    ("LLDP Enabled", "Yes"),
    ("LLDP Transmit Interval", "30"),
    ("LLDP Hold time Multiplier", str(lldp.HOLD_MULTIPLIER)),
    ("LLDP Delay Interval", "2"),
    ("LLDP Reinit Interval", "2"),
    ("LLDP Notification Interval", "5"),
    ("LLDP Fast Start Count", "5"),
)
"""(label, value) of `show lldp config`'s global block: the value is also the default."""
CONFIG_PORTS_HEADER: Final = (
    "  Port  | AdminStatus NotificationEnabled Med Topology Trap Enabled\n"
    "  ----- + ----------- ------------------- -------------------------"
)
DETAIL_FIELDS: Final = Fields(indent=2, width=12)
CAPABILITY_FIELDS: Final = Fields(indent=2, width=30)
ADDRESS_FIELDS: Final = Fields(indent=5, width=7)
LOCAL_FIELDS: Final = Fields(indent=2, width=12)

_MAC_RE: Final = re.compile(r"[0-9a-f]{2}([-:. ]?[0-9a-f]{2}){5}|[0-9a-f]{6}-[0-9a-f]{6}", re.I)


def cut(value: str, width: int) -> str:
    """A value longer than its field is cut so that it ends in `...` within the field."""
    return value if len(value) <= width else value[: width - len(ELLIPSIS)] + ELLIPSIS


def is_mac(value: str) -> bool:
    return _MAC_RE.fullmatch(value) is not None


def lldp_id(value: str) -> str:
    """Chassis and port ids that are MACs print as six spaced bytes (`00 18 71 c3 00 00`)."""
    return " ".join(f"{b:02x}" for b in mac_bytes(value)) if is_mac(value) else value


def chassis_type(neighbor: LldpNeighbor) -> str:
    return lldp.CHASSIS_SUBTYPES.get(neighbor.chassis_subtype, "local")


def port_type(neighbor: LldpNeighbor) -> str:
    return lldp.PORT_SUBTYPES.get(neighbor.port_subtype, "local")


def _remote_row(n: LldpNeighbor) -> str:
    w = REMOTE_WIDTHS
    return (f"  {n.local_port:<9} | {cut(lldp_id(n.chassis_id), w['chassis']):<{w['chassis']}} "
            f"{cut(lldp_id(n.port_id), w['port']):<{w['port']}} "
            f"{cut(n.port_descr, w['descr']):<{w['descr']}} "
            f"{cut(n.sys_name, w['name'])}").rstrip()


def render_remote(device: Device) -> str:
    return "\n".join([
        "",
        " LLDP Remote Devices Information",
        "",
        REMOTE_HEADER,
        *(_remote_row(n) for n in device.lldp_neighbors),
    ])


def _detail_block(n: LldpNeighbor) -> list[str]:
    f = DETAIL_FIELDS
    return [
        f.line("Local Port", n.local_port),
        f.line("ChassisType", chassis_type(n)),
        f.line("ChassisId", lldp_id(n.chassis_id)),
        f.line("PortType", port_type(n)),
        f.line("PortId", cut(lldp_id(n.port_id), DETAIL_VALUE_WIDTH)),
        f.line("SysName", cut(n.sys_name, DETAIL_VALUE_WIDTH)),
        f.line("System Descr", cut(n.sys_descr, DETAIL_VALUE_WIDTH)),
        f.line("PortDescr", cut(n.port_descr, DETAIL_VALUE_WIDTH)),
        f.line("Pvid", "" if n.pvid is None else str(n.pvid)),
        "",
        CAPABILITY_FIELDS.line("System Capabilities Supported",
                               ", ".join(n.capabilities_supported)),
        CAPABILITY_FIELDS.line("System Capabilities Enabled", ", ".join(n.capabilities_enabled)),
        "",
        "  Remote Management Address",
        *([ADDRESS_FIELDS.line("Type", "ipv4"), ADDRESS_FIELDS.line("Address", address)]
          if (address := n.management_address) else []),
        "",
    ]


def render_remote_detail(device: Device, ports: list[str]) -> str:
    """One block per neighbor on the ports, blocks parted by a dashed line."""
    wanted = set(ports)
    blocks = [_detail_block(n) for n in device.lldp_neighbors if n.local_port in wanted]
    lines = ["", " LLDP Remote Device Information Detail", ""]
    for index, block in enumerate(blocks):
        lines += ([DETAIL_SEPARATOR] if index else []) + block
    return "\n".join(lines)


def render_local(device: Device) -> str:
    f = LOCAL_FIELDS
    address = device.running.management_address()
    return "\n".join([
        "",
        " LLDP Local Device Information",
        "",
        f.line("Chassis Type", "mac-address"),
        f.line("Chassis Id", lldp_id(device.inventory.base_mac)),
        f.line("System Name", device.running.hostname),
        f"  System Description : {cut(device.sys_descr(), LOCAL_DESCR_WIDTH)}",
        f"  System Capabilities Supported: {CAPABILITIES_SUPPORTED}",
        f"  System Capabilities Enabled: {CAPABILITIES_ENABLED}",
        "",
        "  Management Address  :",
        *([ "     Type: ipv4", f"     Address: {address}"] if address else []),
        "",
        " LLDP Port Information",
        "",
        LOCAL_PORTS_HEADER,
        *(f"  {p:<8} {'local':<8} {if_index(p):<8} {p}" for p in device.inventory.ports()),
    ])


def show_remote(call: Call) -> str:
    if "port-list" not in call.args:
        return render_remote(call.device)
    return render_remote_detail(call.device, installed_ports(call.ports("port-list"), call.device))


def show_local(call: Call) -> str:
    return render_local(call.device)


ADMIN_STATUS_WORDS: Final = {"tx_rx": "Tx_Rx", "txonly": "Tx_Only", "rxonly": "Rx_Only",
                              "disable": "Disable"}
"""The AdminStatus column for each `lldp admin-status` keyword."""


def render_config(device: Device, ports: list[str]) -> str:
    """The global settings ([default] : current; only `lldp run` changes one yet) and each
    port's admin status (`lldp admin-status`), no notifications."""
    running = device.running
    current = {"LLDP Enabled": "Yes" if running.lldp_run else "No"}
    return "\n".join([
        "",
        " LLDP Global Configuration",
        "",
        *(f"  {label:<26} {f'[{value}]':>5} : {current.get(label, value)}"
          for label, value in GLOBAL_SETTINGS),
        "",
        " LLDP Port Configuration",
        "",
        CONFIG_PORTS_HEADER,
        *(f"  {port:<5} | {ADMIN_STATUS_WORDS[running.lldp_admin.get(port, 'tx_rx')]:<11} "
          f"{'False':<19} False" for port in ports),
    ])


def show_config(call: Call) -> str:
    ports = (installed_ports(call.ports("port-list"), call.device) if "port-list" in call.args
             else call.device.inventory.ports())
    return render_config(call.device, ports)


HELP: Final = {
    "show": SHOW_HELP,
    "lldp": "Show LLDP information.",
    "info": "Show LLDP information about the remote or local device.",
    "remote-device": "Show LLDP remote device information.",
    "local-device": "Show LLDP local device information.",
    "config": "Show LLDP configuration information.",
    "ethernet": "Show the remote devices seen on these ports in detail.",
    "port-list": "Show the remote devices seen on these ports in detail.",
}

ROWS: tuple[Command, ...] = (
    Command("show lldp info remote-device [[ethernet] <port-list>]", show_remote,
            params={"port-list": PORT_LIST}),
    Command("show lldp info local-device", show_local),
    Command("show lldp config [<port-list>]", show_config, params={"port-list": PORT_LIST}),
)
