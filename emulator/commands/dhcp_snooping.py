"""DHCP snooping: `dhcp-snooping`, `dhcp-snooping vlan VLANS`, `dhcp-snooping authorized-server
ADDR`, `[no] dhcp-snooping option 82`, and `dhcp-snooping trust` per port (in the interface
context, as the 16.x configs write it, or `dhcp-snooping trust PORTS`). Kept, written back and
shown by `show dhcp-snooping`; the fabric does not filter DHCP by them yet, so no binding is
ever learnt (the screen's counts are zero).

The screen is reconstructed in the K.15 style (no capture of it is public)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from emulator.cli.grammar import PORT_LIST, Command, IpAddress, Level, Where
from emulator.commands.format import SHOW_HELP, Fields, refused
from emulator.commands.show_interfaces import context_ports
from emulator.commands.spanning_tree import VLAN_LIST
from emulator.config.render import vlan_list_text
from emulator.hardware import format_port_list

if TYPE_CHECKING:
    from emulator.cli.context import Call
    from emulator.device import Device

FIELDS: Final = Fields(indent=2, width=26)
YES_NO: Final = {True: "Yes", False: "No"}


def render_dhcp_snooping(device: Device) -> str:
    running = device.running
    trusted = [p for p, i in running.interfaces.items() if i.dhcp_snooping_trust]
    return "\n".join([
        "",
        " DHCP Snooping Information",
        "",
        FIELDS.line("DHCP Snooping", YES_NO[running.dhcp_snooping]),
        FIELDS.line("Enabled Vlans", vlan_list_text(running.dhcp_snooping_vlans)),
        FIELDS.line("Verify MAC", "Yes"),
        FIELDS.line("Option 82 untrusted policy", "drop"),
        FIELDS.line("Option 82 Insertion", YES_NO[running.dhcp_snooping_option82]),
        FIELDS.line("Option 82 remote-id", "mac"),
        FIELDS.line("Authorized Servers", ", ".join(map(str, running.dhcp_snooping_servers))
                    or "any"),
        FIELDS.line("Trusted Ports", format_port_list(trusted) if trusted else "none"),
        "",
        "                  Max        Current   Bindings",
        "  Port   Trust    Bindings   Static    Dynamic",
        "  -----  -------  ---------  --------  --------",
        *(f"  {port:<5}  {'Yes' if port in trusted else 'No':<7}  {'-':<9}  {'-':<8}  -"
          for port in device.inventory.ports()),
    ])


def show_dhcp_snooping(call: Call) -> str:
    return render_dhcp_snooping(call.device)


def set_snooping(call: Call) -> None:
    call.device.running.set_dhcp_snooping(not call.negated)


def set_vlans(call: Call) -> None:
    with refused():
        call.device.running.dhcp_snooping_set_vlans(call.value("vlans", list), not call.negated)


def set_server(call: Call) -> None:
    with refused():
        call.device.running.dhcp_snooping_server(call.address("address"), not call.negated)


def set_option82(call: Call) -> None:
    call.device.running.set_dhcp_snooping_option82(not call.negated)


def _trust(call: Call, ports: list[str]) -> None:
    with refused():
        for port in ports:
            call.device.running.port_set_dhcp_snooping_trust(port, not call.negated)


def trust_context(call: Call) -> None:
    _trust(call, context_ports(call))


def trust_ports(call: Call) -> None:
    _trust(call, call.ports("port-list"))


HELP: Final = {
    "show": SHOW_HELP,
    "dhcp-snooping": "Enable/disable DHCP snooping, or show its settings.",
    "vlan": "The VLANs DHCP snooping watches.",
    "vlans": "A VLAN list (1-3,5).",
    "authorized-server": "A DHCP server allowed to answer (none: any server).",
    "address": "The server's IP address.",
    "option": "Configure DHCP option insertion.",
    "82": "Insert DHCP relay agent information (option 82) into requests.",
    "trust": "Trust DHCP servers' answers arriving on the port(s).",
    "port-list": "The trusted ports.",
}

ROWS: Final = (
    Command("show dhcp-snooping", show_dhcp_snooping),
    Command("dhcp-snooping", set_snooping, where=Where.CONFIG, level=Level.MANAGER,
            negate=set_snooping),
    Command("dhcp-snooping vlan <vlans>", set_vlans, where=Where.CONFIG, level=Level.MANAGER,
            params={"vlans": VLAN_LIST}, negate=set_vlans),
    Command("dhcp-snooping authorized-server <address>", set_server, where=Where.CONFIG,
            level=Level.MANAGER, params={"address": IpAddress()}, negate=set_server),
    Command("dhcp-snooping option 82", set_option82, where=Where.CONFIG, level=Level.MANAGER,
            negate=set_option82),
    Command("dhcp-snooping trust <port-list>", trust_ports, where=Where.CONFIG,
            level=Level.MANAGER, params={"port-list": PORT_LIST}, negate=trust_ports),
    Command("dhcp-snooping trust", trust_context, where=Where.INTERFACE, level=Level.MANAGER,
            negate=trust_context),
)
