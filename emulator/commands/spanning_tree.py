"""`spanning-tree ...` statements and `show spanning-tree [detail|instance ist|N|mst-config|
PORT-LIST]`: the settings live in the running config (config/model.py's SpanningTreeConfig),
the fabric's engine (fabric/stp.py) runs them and its snapshot is what the screens print.

Screens follow K.15's MSTP screens (`Multiple Spanning Tree (MST) Information`, the per-port
table with `Prio rity` over two lines); the fabric's snapshot is read before every command.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from emulator.cli.grammar import (
    PORT_LIST,
    CliError,
    Command,
    Handler,
    IntRange,
    Level,
    ParamType,
    Text,
    Where,
)
from emulator.commands.format import SHOW_HELP, installed_ports, refused, yes_no
from emulator.config.model import (
    MAX_VID,
    STP_INSTANCE_RANGE,
    STP_PATH_COST_RANGE,
    STP_PORT_FLAGS,
    STP_PORT_PRIORITY_RANGE,
    STP_PRIORITY_DEFAULT,
    STP_PRIORITY_RANGE,
    STP_REVISION_RANGE,
    STP_VERSIONS,
)
from emulator.fabric import stp
from emulator.fabric.client import default_config_name, path_cost
from emulator.hardware import format_mac, format_port_list, port_sort_key

if TYPE_CHECKING:
    from emulator.cli.context import Call
    from emulator.device import Device

VERSION_NAMES: Final = {"mstp-operation": "MSTP-operation", "rstp-operation": "RSTP-operation",
                        "stp-compatible": "STP-compatible"}
STATE_NAMES: Final = {"forwarding": "Forwarding", "learning": "Learning",
                      "discarding": "Blocking"}
"""A discarding port is `Blocking` on the screens, a port without link `Disabled`."""
ROOT_HERE: Final = "This switch is root"
MAX_VLAN_TOKENS: Final = 8
"""`spanning-tree instance N vlan 10 20-25 30`: VLAN lists in up to this many words."""
BAD_VLAN_LIST: Final = "Invalid input: {token}"


class VlanList:
    """`10`, `10-20` or `10,12,20-25`: VLAN ids (one word of a VLAN list)."""

    placeholder = "VLAN-ID-LIST"

    def parse(self, token: str) -> list[int]:
        vids: list[int] = []
        for part in token.split(","):
            low, _, high = part.partition("-")
            for text in (low, high or low):
                if not text.isascii() or not text.isdigit() or len(text) > 4:
                    raise ValueError(token)
            first, last = int(low), int(high or low)
            if not 1 <= first <= last <= MAX_VID:
                raise ValueError(token)
            vids.extend(range(first, last + 1))
        return vids


VLAN_LIST: Final = VlanList()


# --- statements ----------------------------------------------------------------------------

def set_enabled(call: Call) -> None:
    call.device.running.spanning_tree.set_enabled(not call.negated)


def set_version(call: Call) -> None:
    with refused():
        call.device.running.spanning_tree.set_version(call.text("version"))


def set_priority(call: Call) -> None:
    with refused():
        call.device.running.spanning_tree.set_priority(call.number("priority"))


def reset_priority(call: Call) -> None:
    call.device.running.spanning_tree.set_priority(STP_PRIORITY_DEFAULT)


def set_config_name(call: Call) -> None:
    with refused():
        call.device.running.spanning_tree.set_config_name(
            "" if call.negated else call.text("name"))


def set_config_revision(call: Call) -> None:
    with refused():
        call.device.running.spanning_tree.set_config_revision(
            0 if call.negated else call.number("revision"))


def _vlans(call: Call) -> list[int]:
    return [vid for n in range(MAX_VLAN_TOKENS) if f"vlans{n}" in call.args
            for vid in call.value(f"vlans{n}", list)]


def instance_vlans(call: Call) -> None:
    with refused():
        call.device.running.spanning_tree.instance_add_vlans(call.number("instance"),
                                                             _vlans(call))


def instance_remove(call: Call) -> None:
    with refused():
        call.device.running.spanning_tree.instance_remove(
            call.number("instance"), _vlans(call) if "vlans0" in call.args else None)


def instance_priority(call: Call) -> None:
    with refused():
        call.device.running.spanning_tree.set_priority(
            STP_PRIORITY_DEFAULT if call.negated else call.number("priority"),
            call.number("instance"))


def _ports(call: Call) -> list[str]:
    return installed_ports(call.ports("port-list"), call.device)


def port_flag(call: Call) -> None:
    ports = _ports(call)
    with refused():
        config = call.device.running.spanning_tree_ports(ports)
        for port in ports:
            config.port_set_flag(port, call.text("setting"), not call.negated)


def port_path_cost(call: Call) -> None:
    """`spanning-tree [instance N] PORTS path-cost C|auto`: the CIST's cost, or the MSTI's."""
    ports = _ports(call)
    cost = None if call.negated or "cost" not in call.args else call.number("cost")
    with refused():
        config = call.device.running.spanning_tree_ports(ports)
        for port in ports:
            if "instance" in call.args:
                config.instance_port_set_path_cost(call.number("instance"), port, cost)
            else:
                config.port_set_path_cost(port, cost)


def port_priority(call: Call) -> None:
    """`spanning-tree [instance N] PORTS priority P`: the CIST's port priority, or the MSTI's."""
    ports = _ports(call)
    priority = None if call.negated else call.number("port-priority")
    with refused():
        config = call.device.running.spanning_tree_ports(ports)
        for port in ports:
            if "instance" in call.args:
                config.instance_port_set_priority(call.number("instance"), port, priority)
            else:
                config.port_set_priority(port, priority)


# --- screens -------------------------------------------------------------------------------

def _since(seconds: float | None) -> str:
    """`Time Since Last Change`: the largest whole unit (`10 secs`, `4 mins`, `56 days`)."""
    value = int(seconds or 0)
    for unit, size in (("days", 86400), ("hours", 3600), ("mins", 60)):
        if value >= size:
            return f"{value // size} {unit}"
    return f"{value} secs"


def _bridge(hex_id: str) -> tuple[int, str]:
    """A bridge ID as (priority, `001871-c30000`)."""
    raw = bytes.fromhex(hex_id) if hex_id else b""
    if len(raw) != 8:
        return 0, ""
    return int.from_bytes(raw[:2], "big") & 0xF000, format_mac(raw[2:])


def _ranges(vids: list[int]) -> str:
    """`1-9,11-4094`: VLAN ids as the screens list them."""
    parts: list[list[int]] = []
    for vid in sorted(vids):
        if parts and vid == parts[-1][1] + 1:
            parts[-1][1] = vid
        else:
            parts.append([vid, vid])
    return ",".join(str(a) if a == b else f"{a}-{b}" for a, b in parts)


def _ist_vlans(device: Device) -> str:
    mapped = {vid for vids in device.running.spanning_tree.instances.values() for vid in vids}
    return _ranges([vid for vid in range(1, MAX_VID + 1) if vid not in mapped])


def _state(device: Device) -> dict[str, Any]:
    return device.spanning_tree or {}


def _port_row(device: Device, port: str, live: dict[str, Any]) -> str:
    config = device.running.spanning_tree.ports.get(port)
    row = live.get("ports", {}).get(port, {})
    up = bool(row.get("up")) and bool(live.get("enabled"))
    cost = config.path_cost if config and config.path_cost else path_cost(device.inventory, port)
    prio = ((config.priority if config and config.priority is not None else
             STP_PRIORITY_DEFAULT) * stp.PORT_PRIORITY_STEP)
    head = f"  {port:<5} {device.inventory.port_type(port):<9} | {cost:<9} {prio:<4} "
    if not up:  # a port without link has no designated bridge, hello or edge to show
        return f"{head}{'Disabled':<10} |"
    state = STATE_NAMES.get(str(row.get("state")), "Disabled")
    designated = _bridge(str(row.get("designated_bridge", "")))[1]
    hello = int(live.get("hello", stp.HELLO))
    return (f"{head}{state:<10} | {designated:<13} {hello:<4} {yes_no(True):<3} "
            f"{yes_no(bool(row.get('edge')))}")


def _flag_ports(device: Device, flag: str) -> str:
    ports = [p for p, s in device.running.spanning_tree.ports.items() if flag in s.flags]
    return format_port_list(sorted(ports, key=port_sort_key)) if ports else ""


def render_spanning_tree(device: Device, ports: list[str] | None = None) -> str:
    config = device.running.spanning_tree
    live = _state(device)
    me = _bridge(str(live.get("bridge", "")))
    priority = config.priority * stp.PRIORITY_STEP
    mac = device.inventory.base_mac
    lines = [
        "",
        " Multiple Spanning Tree (MST) Information",
        "",
        f"  STP Enabled   : {yes_no(config.enabled)}",
        f"  Force Version : {VERSION_NAMES[config.version]}",
        f"  IST Mapped VLANs : {_ist_vlans(device)}",
        f"  Switch MAC Address : {mac}",
        f"  Switch Priority    : {priority}",
        f"  Max Age  : {stp.MAX_AGE}",
        f"  Max Hops : {stp.MAX_HOPS}",
        f"  Forward Delay : {stp.FORWARD_DELAY}",
    ]
    if not config.enabled:
        return "\n".join(lines)
    root_priority, root_mac = _bridge(str(live.get("root", ""))) if live.get("root") else me
    root_port = live.get("root_port")
    regional_priority, regional_mac = _bridge(str(live.get("regional_root", "")))
    lines += [
        "",
        f"  Topology Change Count  : {int(live.get('tc_count', 0))}",
        f"  Time Since Last Change : {_since(live.get('tc_age'))}",
        "",
        f"  CST Root MAC Address : {root_mac or mac}",
        f"  CST Root Priority    : {root_priority if root_mac else priority}",
        f"  CST Root Path Cost   : {int(live.get('root_cost', 0))}",
        f"  CST Root Port        : {root_port or ROOT_HERE}",
        "",
        f"  IST Regional Root MAC Address : {regional_mac or mac}",
        f"  IST Regional Root Priority    : {regional_priority if regional_mac else priority}",
        f"  IST Regional Root Path Cost   : {int(live.get('internal_cost', 0))}",
        f"  IST Remaining Hops            : {int(live.get('hops', stp.MAX_HOPS))}",
        "",
        f"  Root Guard Ports     : {_flag_ports(device, 'root-guard')}",
        f"  TCN Guard Ports      : {_flag_ports(device, 'tcn-guard')}",
        f"  BPDU Protected Ports : {_flag_ports(device, 'bpdu-protection')}",
        f"  BPDU Filtered Ports  : {_flag_ports(device, 'bpdu-filter')}",
        "  PVST Protected Ports : ",
        "  PVST Filtered Ports  : ",
        "",
        "                  |           Prio            | Designated    Hello",
        "  Port  Type      | Cost      rity State      | Bridge        Time PtP Edge",
        "  ----- --------- + --------- ---- ---------- + ------------- ---- --- ----",
    ]
    shown = device.inventory.ports() if ports is None else ports
    lines += [_port_row(device, port, live) for port in shown]
    return "\n".join(line.rstrip() if line.endswith(": ") else line for line in lines)


def _instance_state(device: Device, instance: int) -> dict[str, Any]:
    """One tree of the fabric's snapshot in the shape of an MSTI's: the IST is the CIST seen
    from inside the region (its regional root, internal cost and the root port toward it)."""
    live = _state(device)
    if instance:
        tree: dict[str, Any] = live.get("instances", {}).get(str(instance), {})
        return {**tree, "enabled": live.get("enabled")}
    inside = live.get("regional_root", "") != live.get("bridge", "")
    return {**live, "regional_root": live.get("regional_root", ""),
            "root_cost": live.get("internal_cost", 0),
            "root_port": live.get("root_port") if inside else None}


def render_instance(device: Device, instance: int) -> str:
    """`show spanning-tree instance ist|N`: the tree's regional root and the ports' roles and
    states in it, as the fabric's engine runs it."""
    config = device.running.spanning_tree
    if instance and instance not in config.instances:
        raise CliError(f"MST instance {instance} is not configured.")
    live = _instance_state(device, instance)
    priority = (config.instance_priority.get(instance, STP_PRIORITY_DEFAULT) if instance
                else config.priority) * stp.PRIORITY_STEP
    regional_priority, regional_mac = _bridge(str(live.get("regional_root", "")))
    vlans = _ist_vlans(device) if not instance else _ranges(list(config.instances[instance]))
    lines = [
        "",
        f" {'MST' if instance else 'IST'} Instance Information",
        "",
        f"  Instance ID : {instance}",
        f"  Mapped VLANs : {vlans}",
        f"  Switch Priority        : {priority}",
        "",
        f"  Topology Change Count   : {int(live.get('tc_count', 0))}",
        f"  Time Since Last Change  : {_since(live.get('tc_age'))}",
        "",
        f"  Regional Root MAC Address : {regional_mac or device.inventory.base_mac}",
        f"  Regional Root Priority    : {regional_priority if regional_mac else priority}",
        f"  Regional Root Path Cost   : {int(live.get('root_cost', 0))}",
        f"  Regional Root Port        : {live.get('root_port') or ROOT_HERE}",
        f"  Remaining Hops            : {int(live.get('hops', stp.MAX_HOPS))}",
        "",
        "                                                          Designated",
        "  Port  Type      Cost      Priority Role       State      Bridge",
        "  ----- --------- --------- -------- ---------- ---------- -------------",
    ]
    for port in device.inventory.ports():
        row = live.get("ports", {}).get(port, {})
        if not row.get("up") or not live.get("enabled"):
            continue
        role = str(row.get("role"))
        lines.append(
            f"  {port:<5} {device.inventory.port_type(port):<9} {int(row.get('cost', 0)):<9} "
            f"{int(row.get('priority', 0)):<8} {role:<10} "
            f"{STATE_NAMES.get(str(row.get('state')), 'Disabled'):<10} "
            f"{_bridge(str(row.get('designated_bridge', '')))[1]}".rstrip())
    return "\n".join(lines)


def render_mst_config(device: Device) -> str:
    config = device.running.spanning_tree
    digest = stp.config_digest(config.instances).hex().upper()
    name = config.config_name or default_config_name(device.inventory)
    lines = [
        "",
        " MST Configuration Identifier Information",
        "",
        f"  MST Configuration Name : {name}",
        f"  MST Configuration Revision : {config.config_revision}",
        f"  MST Configuration Digest : 0x{digest}",
        "",
        f"  IST Mapped VLANs : {_ist_vlans(device)}",
        "",
        "  Instance ID Mapped VLANs",
        "  ----------- ---------------------------------------------------------",
    ]
    lines += [f"  {instance:<11} {_ranges(list(config.instances[instance]))}"
              for instance in sorted(config.instances)]
    return "\n".join(lines)


def render_detail(device: Device, ports: list[str] | None = None) -> str:
    """The CST's per-port detail: settings, operational edge, BPDU counts."""
    live = _state(device)
    config = device.running.spanning_tree
    lines = ["", " Status and Counters - CST Port(s) Detailed Information"]
    for port in device.inventory.ports() if ports is None else ports:
        row = live.get("ports", {}).get(port, {})
        settings = config.ports.get(port)
        flags = settings.flags if settings else set()
        lines += [
            "",
            f"  Port                           : {port}",
            f"  Status                         : {'Up' if row.get('up') else 'Down'}",
            f"  BPDU Protection                : {yes_no('bpdu-protection' in flags)}",
            f"  BPDU Filtering                 : {yes_no('bpdu-filter' in flags)}",
            f"  Root Guard                     : {yes_no('root-guard' in flags)}",
            f"  TCN Guard                      : {yes_no('tcn-guard' in flags)}",
            f"  MST Region Boundary            : "
            f"{yes_no(bool(row.get('up')) and bool(row.get('boundary', True)))}",
            f"  External Path Cost             : {int(row.get('cost', 0))}",
            f"  Operational Hello Time         : {int(live.get('hello', stp.HELLO))}",
            f"  AdminEdgePort                  : {yes_no('admin-edge-port' in flags)}",
            f"  Auto Edge Port                 : {yes_no(not settings or settings.auto_edge)}",
            f"  OperEdgePort                   : {yes_no(bool(row.get('edge')))}",
            "  OperPointToPointMAC            : Yes",
            f"  Forward Transitions            : {int(row.get('forward_transitions', 0))}",
            f"  BPDUs Sent                     : {int(row.get('bpdus_sent', 0))}",
            f"  BPDUs Received                 : {int(row.get('bpdus_received', 0))}",
        ]
    return "\n".join(lines)


def show(call: Call) -> str:
    ports = installed_ports(call.ports("port-list"), call.device) if "port-list" in (
        call.args) else None
    if "detail" in call.words:
        return render_detail(call.device, ports)
    return render_spanning_tree(call.device, ports)


def show_instance(call: Call) -> str:
    return render_instance(call.device, call.number("instance", 0))


def show_mst_config(call: Call) -> str:
    return render_mst_config(call.device)


HELP: Final = {
    "show": SHOW_HELP,
    "spanning-tree": "Enable/Configure the spanning-tree protocol.",
    "force-version": "Set Spanning Tree protocol compatibility mode.",
    "priority": "Set the device STP priority (the value is in steps of 4096).",
    "config-name": "Set the MST region configuration name (default is switch's MAC address).",
    "config-revision": "Set the MST region configuration revision number (default is 0).",
    "instance": "Create, delete or configure an MST instance.",
    "vlan": "Map VLANs to the MST instance.",
    "admin-edge-port": "Enable/disable admin-edge-port.",
    "auto-edge-port": "Enable/disable automatic edge port detection.",
    "bpdu-protection": "Enable/disable BPDU protection.",
    "bpdu-filter": "Stop a port from sending and receiving BPDUs.",
    "root-guard": "Disallow a port from becoming the root port.",
    "tcn-guard": "Disallow propagation of topology change notifications received on a port.",
    "path-cost": "Set port's path cost value.",
    "detail": "Show detailed information for the ports.",
    "mst-config": "Show MST region configuration information.",
    "ist": "Show the IST (instance 0) information.",
}

_VLAN_TAIL: Final = "<vlans0>" + "".join(f" [<vlans{n}>" for n in range(1, MAX_VLAN_TOKENS)) + (
    "]" * (MAX_VLAN_TOKENS - 1))
_VLAN_PARAMS: Final = {f"vlans{n}": VLAN_LIST for n in range(MAX_VLAN_TOKENS)}
_INSTANCE: Final = IntRange(*STP_INSTANCE_RANGE)


def _statement(syntax: str, run: Handler | None, *, negate: Handler | None = None,
               params: dict[str, ParamType] | None = None) -> Command:
    """A config statement row (manager level, in config and its contexts)."""
    return Command(syntax, run, where=Where.CONFIG, level=Level.MANAGER, negate=negate,
                   params=params or {})


ROWS: Final = (
    _statement("spanning-tree", set_enabled, negate=set_enabled),
    _statement(f"spanning-tree force-version {{version: {'|'.join(STP_VERSIONS)}}}",
               set_version),
    _statement("spanning-tree priority <priority>", set_priority,
               params={"priority": IntRange(*STP_PRIORITY_RANGE)}),
    _statement("spanning-tree priority", None, negate=reset_priority),
    _statement("spanning-tree config-name <name>", set_config_name, params={"name": Text()}),
    _statement("spanning-tree config-name", None, negate=set_config_name),
    _statement("spanning-tree config-revision <revision>", set_config_revision,
               params={"revision": IntRange(*STP_REVISION_RANGE)}),
    _statement("spanning-tree config-revision", None, negate=set_config_revision),
    _statement(f"spanning-tree instance <instance> vlan {_VLAN_TAIL}", instance_vlans,
               negate=instance_remove, params={"instance": _INSTANCE, **_VLAN_PARAMS}),
    _statement("spanning-tree instance <instance>", None, negate=instance_remove,
               params={"instance": _INSTANCE}),
    _statement("spanning-tree instance <instance> priority <priority>", instance_priority,
               params={"instance": _INSTANCE, "priority": IntRange(*STP_PRIORITY_RANGE)}),
    _statement("spanning-tree instance <instance> priority", None, negate=instance_priority,
               params={"instance": _INSTANCE}),
    _statement("spanning-tree <port-list> {setting: "
               + "|".join(("auto-edge-port", *STP_PORT_FLAGS)) + "}", port_flag,
               negate=port_flag, params={"port-list": PORT_LIST}),
    _statement("spanning-tree <port-list> path-cost <cost>", port_path_cost,
               params={"port-list": PORT_LIST, "cost": IntRange(*STP_PATH_COST_RANGE)}),
    _statement("spanning-tree <port-list> path-cost auto", port_path_cost,
               params={"port-list": PORT_LIST}),
    _statement("spanning-tree <port-list> path-cost", None, negate=port_path_cost,
               params={"port-list": PORT_LIST}),
    _statement("spanning-tree <port-list> priority <port-priority>", port_priority,
               params={"port-list": PORT_LIST,
                       "port-priority": IntRange(*STP_PORT_PRIORITY_RANGE)}),
    _statement("spanning-tree <port-list> priority", None, negate=port_priority,
               params={"port-list": PORT_LIST}),
    _statement("spanning-tree instance <instance> <port-list> path-cost <cost>", port_path_cost,
               params={"instance": _INSTANCE, "port-list": PORT_LIST,
                       "cost": IntRange(*STP_PATH_COST_RANGE)}),
    _statement("spanning-tree instance <instance> <port-list> path-cost auto", port_path_cost,
               params={"instance": _INSTANCE, "port-list": PORT_LIST}),
    _statement("spanning-tree instance <instance> <port-list> path-cost", None,
               negate=port_path_cost, params={"instance": _INSTANCE, "port-list": PORT_LIST}),
    _statement("spanning-tree instance <instance> <port-list> priority <port-priority>",
               port_priority, params={"instance": _INSTANCE, "port-list": PORT_LIST,
                                      "port-priority": IntRange(*STP_PORT_PRIORITY_RANGE)}),
    _statement("spanning-tree instance <instance> <port-list> priority", None,
               negate=port_priority, params={"instance": _INSTANCE, "port-list": PORT_LIST}),
    Command("show spanning-tree [<port-list>] [detail]", show, params={"port-list": PORT_LIST}),
    Command("show spanning-tree instance {ist}", show_instance),
    Command("show spanning-tree instance <instance>", show_instance,
            params={"instance": _INSTANCE}),
    Command("show spanning-tree mst-config", show_mst_config),
)
