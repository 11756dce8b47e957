"""QoS classifiers real configs carry: `qos type-of-service ip-precedence|diff-services`,
`qos dscp-map CODEPOINT priority N`, and `qos priority N` in an `interface` or `vlan` context.
Kept, written back (the global lines after `time timezone`, the context lines in their
blocks) and shown by `show qos type-of-service|dscp-map|port-priority|vlan-priority`. The
emulated fabric has one queue, so nothing marks or reorders frames by them.

The screens are reconstructed in the K.15 style (no capture of them is public): a title, a
column header with its rule, one row per codepoint, port or VLAN."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from emulator.cli.grammar import Command, IntRange, Level, Text, Where
from emulator.commands.format import SHOW_HELP, Fields, refused
from emulator.commands.show_interfaces import context_ports
from emulator.commands.vlan import context_vid
from emulator.config.model import DSCP_BITS, QOS_PRIORITY_RANGE, TOS_MODES

if TYPE_CHECKING:
    from emulator.cli.context import Call
    from emulator.device import Device

NO_OVERRIDE: Final = "No-override"
TOS_WORDS: Final = {"none": "Disabled", "ip-precedence": "IP Precedence",
                    "diff-services": "Differentiated Services"}
PRIORITY: Final = IntRange(*QOS_PRIORITY_RANGE, "<0-7>")


def _priority(value: int | None) -> str:
    return NO_OVERRIDE if value is None else str(value)


def render_dscp_map(device: Device) -> str:
    mapped = device.running.dscp_map
    return "\n".join([
        "",
        "  DSCP -> 802.p priority mapping table",
        "",
        "  DSCP policy 802.1p tag",
        "  ----------- -----------",
        *(f"  {codepoint:<11} {_priority(mapped.get(codepoint))}"
          for codepoint in (format(n, f"0{DSCP_BITS}b") for n in range(2 ** DSCP_BITS))),
    ])


def render_type_of_service(device: Device) -> str:
    return "\n".join(["", Fields(indent=1, width=20).line(
        "Type of Service", TOS_WORDS[device.running.qos_tos])])


def render_port_priority(device: Device) -> str:
    ports = device.running.interfaces
    return "\n".join([
        "",
        "  Port priorities",
        "",
        "  Port   Apply rule  | Priority",
        "  ------ ----------- + -----------",
        *(f"  {port:<6} {'Priority' if p is not None else NO_OVERRIDE:<11} | {_priority(p)}"
          for port in device.inventory.ports()
          for p in [ports[port].qos_priority if port in ports else None]),
    ])


def render_vlan_priority(device: Device) -> str:
    vlans = device.running.vlans
    return "\n".join([
        "",
        "  VLAN priorities",
        "",
        "  VLAN ID Apply rule  | Priority",
        "  ------- ----------- + -----------",
        *(f"  {vid:<7} {'Priority' if p is not None else NO_OVERRIDE:<11} | {_priority(p)}"
          for vid in sorted(vlans) for p in [vlans[vid].qos_priority]),
    ])


SCREENS: Final = {"dscp-map": render_dscp_map, "type-of-service": render_type_of_service,
                  "port-priority": render_port_priority, "vlan-priority": render_vlan_priority}


def show_qos(call: Call) -> str:
    return SCREENS[call.text("screen")](call.device)


def set_tos(call: Call) -> None:
    call.device.running.set_qos_tos(TOS_MODES[0] if call.negated else call.text("mode"))


def set_dscp_map(call: Call) -> None:
    with refused():
        call.device.running.dscp_map_set(call.text("codepoint"), call.number("priority"))


def clear_dscp_map(call: Call) -> None:
    with refused():
        call.device.running.dscp_map_set(call.text("codepoint"), None)


def set_port_priority(call: Call) -> None:
    priority = None if call.negated else call.number("priority")
    with refused():
        for port in context_ports(call):
            call.device.running.port_set_qos_priority(port, priority)


def set_vlan_priority(call: Call) -> None:
    priority = None if call.negated else call.number("priority")
    with refused():
        call.device.running.vlan_set_qos_priority(context_vid(call), priority)


HELP: Final = {
    "show": SHOW_HELP,
    "qos": "Configure the switch's quality of service classifiers.",
    "type-of-service": "Set how the IP ToS byte classifies frames.",
    "ip-precedence": "Classify by the IP precedence bits.",
    "diff-services": "Classify by the DSCP codepoint.",
    "dscp-map": "Map a DSCP codepoint to an 802.1p priority.",
    "codepoint": "A DSCP codepoint in six binary digits (101110).",
    "priority": "Set the 802.1p priority.",
    "port-priority": "Show the ports' priority rules.",
    "vlan-priority": "Show the VLANs' priority rules.",
}

ROWS: Final = (
    Command(f"show qos {{screen: {'|'.join(SCREENS)}}}", show_qos),
    Command("qos type-of-service {mode: ip-precedence|diff-services}", set_tos,
            where=Where.CONFIG, level=Level.MANAGER),
    Command("qos type-of-service", None, where=Where.CONFIG, level=Level.MANAGER,
            negate=set_tos),
    Command("qos dscp-map <codepoint> priority <priority>", set_dscp_map, where=Where.CONFIG,
            level=Level.MANAGER, params={"codepoint": Text("<000000-111111>", DSCP_BITS),
                                         "priority": PRIORITY}),
    Command("qos dscp-map <codepoint>", None, where=Where.CONFIG, level=Level.MANAGER,
            params={"codepoint": Text("<000000-111111>", DSCP_BITS)}, negate=clear_dscp_map),
    Command("qos priority <priority>", set_port_priority, where=Where.INTERFACE,
            level=Level.MANAGER, params={"priority": PRIORITY}),
    Command("qos priority", None, where=Where.INTERFACE, level=Level.MANAGER,
            negate=set_port_priority),
    Command("qos priority <priority>", set_vlan_priority, where=Where.VLAN,
            level=Level.MANAGER, params={"priority": PRIORITY}),
    Command("qos priority", None, where=Where.VLAN, level=Level.MANAGER,
            negate=set_vlan_priority),
)
