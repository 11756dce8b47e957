"""`show vlans`, `show vlans <VLAN-ID>` and the `vlan` context (name, port membership, IP
address). napalm's get_mac_address_table walks the VLAN ids it finds under the `  -----` line.
"""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING, Final

from emulator.cli.context import Mode
from emulator.cli.grammar import (
    PORT_LIST,
    VLAN_ID,
    CliError,
    Command,
    IpAddress,
    IpInterface,
    Level,
    ModeKind,
    Text,
    Where,
)
from emulator.commands.format import (
    SHOW_HELP,
    Fields,
    member_ports,
    refused,
    yes_no,
)
from emulator.commands.show_interfaces import port_up, settings
from emulator.config.model import IpMode, Vlan, VlanIp
from emulator.hardware import MAX_VLANS, port_sort_key

if TYPE_CHECKING:
    from emulator.cli.context import Call
    from emulator.device import Device

BAD_MASK: Final = "Invalid subnet mask: {mask}"
STATUS: Final = "Port-based"

VLANS_HEADER: Final = (
    "  VLAN ID Name                             | Status     Voice Jumbo\n"
    "  ------- -------------------------------- + ---------- ----- -----"
)
DETAIL_HEADER: Final = (
    "  Port Information Mode     Unknown VLAN Status\n"
    "  ---------------- -------- ------------ ----------"
)
DETAIL_FIELDS: Final = Fields(indent=2, width=0)


def require_vlan(device: Device, vid: int) -> Vlan:
    """The VLAN, or the switch's answer to a VLAN id that does not exist."""
    with refused():
        return device.running.vlan(vid)


def render_vlans(device: Device) -> str:
    vlans = device.running.vlans
    primary = vlans[device.running.primary_vlan].name
    management = device.running.management_vlan
    management_name = vlans[management].name if management in vlans else ""
    return "\n".join([
        "",
        " Status and Counters - VLAN Information",
        "",
        f"  Maximum VLANs to support : {MAX_VLANS:<21}",
        f"  Primary VLAN : {primary}",
        f"  Management VLAN : {management_name:<12}",
        "",
        VLANS_HEADER,
        *(f"  {vid:<7} {vlans[vid].name:<32} | {STATUS:<10} {yes_no(vlans[vid].voice):<5} "
          f"{yes_no(vlans[vid].jumbo):<5}" for vid in sorted(vlans)),
    ])


def render_vlan(device: Device, vid: int) -> str:
    vlan = require_vlan(device, vid)
    members = sorted(vlan.untagged | vlan.tagged, key=port_sort_key)
    f = DETAIL_FIELDS
    return "\n".join([
        "",
        f" Status and Counters - VLAN Information - VLAN {vid}",
        "",
        f.line("VLAN ID", str(vid)),
        f.line("Name", vlan.name),
        f.line("Status", STATUS),
        f.line("Voice", yes_no(vlan.voice)),
        f.line("Jumbo", yes_no(vlan.jumbo)),
        "",
        DETAIL_HEADER,
        *(f"  {port:<16} {'Untagged' if port in vlan.untagged else 'Tagged':<8} "
          f"{settings(device, port).unknown_vlans.capitalize():<12} "
          f"{'Up' if port_up(device, port) else 'Down'}"
          for port in members),
    ])


def show_vlans(call: Call) -> str:
    if "vlan-id" not in call.args:
        return render_vlans(call.device)
    return render_vlan(call.device, call.number("vlan-id"))


def context_vid(call: Call) -> int:
    vid = call.session.mode.value
    assert isinstance(vid, int), "the vlan context holds its VLAN id"
    return vid


def enter_vlan(call: Call) -> None:
    vid = call.number("vlan-id")
    with refused():
        call.device.running.vlan_create(vid)
    call.session.enter(Mode(ModeKind.VLAN, vid))


def delete_vlan(call: Call) -> None:
    with refused():
        call.device.running.vlan_delete(call.number("vlan-id"))


def set_name(call: Call) -> None:
    with refused():
        call.device.running.vlan_set_name(context_vid(call), call.text("vlan-name"))


def _membership(call: Call, tagged: bool, add: bool) -> None:
    ports = member_ports(call.ports("port-list"), call.device)
    config = call.device.running
    with refused():
        if add:
            config.vlan_add_ports(context_vid(call), ports, tagged=tagged)
        else:
            config.vlan_remove_ports(context_vid(call), ports, tagged=tagged)


def add_untagged(call: Call) -> None:
    _membership(call, tagged=False, add=True)


def remove_untagged(call: Call) -> None:
    _membership(call, tagged=False, add=False)


def add_tagged(call: Call) -> None:
    _membership(call, tagged=True, add=True)


def remove_tagged(call: Call) -> None:
    _membership(call, tagged=True, add=False)


def set_jumbo(call: Call) -> None:
    call.device.running.vlan_set_jumbo(context_vid(call), not call.negated)


def _set_ip(call: Call, ip: VlanIp) -> None:
    with refused():
        call.device.running.vlan_set_ip(context_vid(call), ip)


def _typed_address(call: Call) -> ipaddress.IPv4Interface:
    """`A.B.C.D/NN` or `A.B.C.D M.M.M.M`, as one address with its subnet."""
    if "ip-mask" in call.args:
        return call.interface("ip-mask")
    mask = call.address("mask")
    try:
        prefix = ipaddress.IPv4Network(f"0.0.0.0/{mask}").prefixlen
    except ValueError as exc:
        raise CliError(BAD_MASK.format(mask=mask)) from exc
    return ipaddress.IPv4Interface((call.address("ip-addr"), prefix))


def add_ip(call: Call) -> None:
    """Another `ip address` adds to the VLAN's addresses (multinetting)."""
    address = _typed_address(call)
    with refused():
        call.device.running.vlan_add_ip(context_vid(call), address)


def remove_ip(call: Call) -> None:
    """`no ip address A.B.C.D M.M.M.M` removes that address alone."""
    address = _typed_address(call)
    with refused():
        call.device.running.vlan_remove_ip(context_vid(call), address)


def ip_dhcp(call: Call) -> None:
    _set_ip(call, VlanIp(IpMode.DHCP))


def no_ip(call: Call) -> None:
    _set_ip(call, VlanIp())


HELP: Final = {
    "show": SHOW_HELP,
    "vlans": "Show VLAN information.",
    "vlan": "Add, delete, edit VLAN configuration or enter a VLAN context.",
    "vlan-id": "The VLAN identifier.",
    "name": "Set the VLAN's name.",
    "vlan-name": "The VLAN name.",
    "untagged": "Assign ports to specified VLAN as untagged.",
    "tagged": "Assign ports to specified VLAN as tagged.",
    "port-list": "The ports to assign.",
    "ip": "Configure various IP parameters for the VLAN.",
    "address": "Set IP parameters for communication within an IP network.",
    "ip-mask": "Interface IP address/mask.",
    "ip-addr": "Interface IP address.",
    "mask": "Interface IP subnet mask.",
    "dhcp-bootp": "Configure the interface to use DHCP/Bootp server to acquire parameters.",
    "jumbo": "Configure the VLAN to forward jumbo frames.",
}

ROWS: tuple[Command, ...] = (
    Command("show vlans [<vlan-id>]", show_vlans, params={"vlan-id": VLAN_ID}),
    Command("vlan <vlan-id>", enter_vlan, where=Where.CONFIG, level=Level.MANAGER,
            params={"vlan-id": VLAN_ID}, negate=delete_vlan, enters=ModeKind.VLAN),
    Command("name <vlan-name>", set_name, where=Where.VLAN, level=Level.MANAGER,
            params={"vlan-name": Text()}),
    Command("jumbo", set_jumbo, where=Where.VLAN, level=Level.MANAGER, negate=set_jumbo),
    Command("untagged <port-list>", add_untagged, where=Where.VLAN, level=Level.MANAGER,
            params={"port-list": PORT_LIST}, negate=remove_untagged),
    Command("tagged <port-list>", add_tagged, where=Where.VLAN, level=Level.MANAGER,
            params={"port-list": PORT_LIST}, negate=remove_tagged),
    Command("ip address <ip-mask>", add_ip, where=Where.VLAN, level=Level.MANAGER,
            params={"ip-mask": IpInterface()}, negate=remove_ip),
    Command("ip address <ip-addr> <mask>", add_ip, where=Where.VLAN, level=Level.MANAGER,
            params={"ip-addr": IpAddress(), "mask": IpAddress("MASK")}, negate=remove_ip),
    Command("ip address dhcp-bootp", ip_dhcp, where=Where.VLAN, level=Level.MANAGER),
    Command("ip address", None, where=Where.VLAN, level=Level.MANAGER, negate=no_ip),
)
