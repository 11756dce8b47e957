"""The `interface` context's port settings beyond name and enable: `speed-duplex`,
`flow-control`, `broadcast-limit`, `energy-efficient-ethernet` and `unknown-vlans`, kept in
the config as K.15 writes them (the emulated ports forward at the host's speed and save no
power; nothing else reads these yet)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Final

from emulator.cli.grammar import Command, IntRange, Level, Where
from emulator.commands.format import refused
from emulator.commands.show_interfaces import context_ports
from emulator.config.model import BROADCAST_LIMIT_RANGE, SPEED_DUPLEX_MODES, UNKNOWN_VLANS_MODES

if TYPE_CHECKING:
    from emulator.cli.context import Call
    from emulator.config.model import SwitchConfig


def _each_port(call: Call, change: Callable[[SwitchConfig, str], None]) -> None:
    """The context may hold a port list (`interface A1-A4`): each port takes the setting."""
    with refused():
        for port in context_ports(call):
            change(call.device.running, port)


def set_speed_duplex(call: Call) -> None:
    mode = call.text("mode")
    _each_port(call, lambda config, port: config.port_set_speed_duplex(port, mode))


def set_flow_control(call: Call) -> None:
    _each_port(call, lambda config, port: config.port_set_flow_control(port, not call.negated))


def set_broadcast_limit(call: Call) -> None:
    percent = call.number("percent")
    _each_port(call, lambda config, port: config.port_set_broadcast_limit(port, percent))


def set_energy_efficient(call: Call) -> None:
    _each_port(call, lambda config, port: config.port_set_energy_efficient(port,
                                                                           not call.negated))


def set_unknown_vlans(call: Call) -> None:
    mode = call.text("mode")
    _each_port(call, lambda config, port: config.port_set_unknown_vlans(port, mode))


HELP: Final = {
    "speed-duplex": "Define mode of operation for the port(s).",
    "flow-control": "Enable/disable flow control on the port(s).",
    "broadcast-limit": "Set a broadcast traffic percentage limit.",
    "percent": "Percentage of the port's bandwidth that broadcasts may use (0 disables).",
    "energy-efficient-ethernet": "Enable/disable 802.3az Energy Efficient Ethernet on the "
                                 "port(s).",
    "unknown-vlans": "Configure GVRP's handling of VLANs unknown to this switch.",
    "auto": "Use Auto Negotiation.",
    "learn": "Learn and propagate unknown VLANs.",
    "block": "Block unknown VLAN advertisements.",
    "disable": "Ignore unknown VLAN advertisements.",
}

ROWS: Final = (
    Command(f"speed-duplex {{mode: {'|'.join(SPEED_DUPLEX_MODES)}}}", set_speed_duplex,
            where=Where.INTERFACE, level=Level.MANAGER),
    Command("flow-control", set_flow_control, where=Where.INTERFACE, level=Level.MANAGER,
            negate=set_flow_control),
    Command("broadcast-limit <percent>", set_broadcast_limit, where=Where.INTERFACE,
            level=Level.MANAGER, params={"percent": IntRange(*BROADCAST_LIMIT_RANGE)}),
    Command("energy-efficient-ethernet", set_energy_efficient, where=Where.INTERFACE,
            level=Level.MANAGER, negate=set_energy_efficient),
    Command(f"unknown-vlans {{mode: {'|'.join(UNKNOWN_VLANS_MODES)}}}", set_unknown_vlans,
            where=Where.INTERFACE, level=Level.MANAGER),
)
