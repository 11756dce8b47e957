"""Who may manage the switch: `ip authorized-managers ADDR [MASK] [access manager|operator]`,
`[no] telnet-server`, and the screens that tell it: `show ip authorized-managers`, `show
telnet` (the CLI sessions open now) and `show management` (the addresses a manager reaches the
switch at). The transports enforce them (config/access.py's `authorized_level`)."""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING, Final

from emulator.cli.grammar import CliError, Command, IpAddress, Level, ParamType, Where
from emulator.commands.format import SHOW_HELP, Fields, refused
from emulator.config.access import ACCESS_LEVELS, HOST_MASK, MANAGER_METHODS, AuthorizedManager
from emulator.hardware import format_mac

if TYPE_CHECKING:
    from emulator.cli.context import Call
    from emulator.device import Device

NOT_A_MASK: Final = "Invalid input: {mask}"


def set_manager(call: Call) -> None:
    mask = call.args.get("ip-mask", HOST_MASK)
    assert isinstance(mask, ipaddress.IPv4Address)
    if not _contiguous(mask):
        raise CliError(NOT_A_MASK.format(mask=mask))
    with refused():
        call.device.running.authorized_manager_set(
            AuthorizedManager(call.address("ip-addr"), mask, call.text("level", "manager"),
                              call.text("method", MANAGER_METHODS[0])))


def _contiguous(mask: ipaddress.IPv4Address) -> bool:
    bits = int(mask)
    return bits == 0 or (bits | (bits - 1)) & 0xFFFFFFFF == 0xFFFFFFFF


def clear_manager(call: Call) -> None:
    method = call.args.get("method")
    call.device.running.authorized_manager_remove(
        call.address("ip-addr"), method if isinstance(method, str) else None)


def set_telnet(call: Call) -> None:
    call.device.running.set_telnet_server(not call.negated)


def show_authorized(call: Call) -> str:
    """Each entry as a `label : value` block under the IPv4 title."""
    f = Fields(indent=2, width=7)
    lines = ["", " IPV4 Authorized Managers", " ------------------------"]
    for entry in call.device.running.authorized_managers:
        lines += ["", f.line("Address", str(entry.address)), f.line("Mask", str(entry.mask)),
                  f.line("Access", entry.access.capitalize()),
                  f"  Access Method : {entry.method}"]
    return "\n".join(lines) + "\n"


def render_telnet(device: Device, mine: int | None) -> str:
    """Every CLI session, the console first; `**` marks the one asking."""
    rule = " " + "-" * 56
    lines = ["", " Telnet Activity", ""]
    for session in sorted(device.sessions, key=lambda s: s.number):
        marker = "**" if session.number == mine else "  "
        source = "Console" if session.transport == "console" else session.address
        lines += [rule, f" Session :  {marker} {session.number}",
                  f" Privilege: {session.level.capitalize()}",
                  f" From     : {source}", " To       :"]
    return "\n".join(lines) + "\n"


def show_telnet(call: Call) -> str:
    return render_telnet(call.device, call.session.session_number)


def show_management(call: Call) -> str:
    """The SNTP servers, the gateway and each VLAN's address with the switch's MAC."""
    device = call.device
    cfg = device.running
    sntp = [f"  {priority:<8} {server.address!s:<45} {server.version}"
            for priority, server in sorted(cfg.sntp_servers.items())]
    vlans = [f"  {vlan.name:<32} {format_mac(device.inventory.base_mac):<17} | "
             + (str(vlan.ip.primary.ip) if vlan.ip.primary is not None else "")
             for vlan in (cfg.vlans[vid] for vid in sorted(cfg.vlans))]
    gateway = str(cfg.default_gateway) if cfg.default_gateway is not None else ""
    return "\n".join([
        "", " Status and Counters - Management Address Information", "",
        "  Time Server Address  : ", "",
        "  Priority SNTP Server Address                           Protocol Version",
        "  -------- --------------------------------------------- ----------------",
        *sntp, "",
        f"  Default Gateway    : {gateway}", "",
        "  VLAN Name                        MAC Address       | IP Address",
        "  -------------------------------- ----------------- + ---------------",
        *vlans]) + "\n"


HELP: Final = {
    "show": SHOW_HELP,
    "ip": "Configure various IP parameters for the VLAN.",
    "authorized-managers": "Configure the IP addresses of stations allowed to manage the switch.",
    "ip-addr": "The address of a station (or group of stations) allowed to manage the switch.",
    "ip-mask": "Which bits of the address a station must match (255.255.255.255 by default).",
    "access": "Set the access level of the station(s).",
    "manager": "Allow manager (read-write) access.",
    "operator": "Allow operator (read-only) access.",
    "access-method": "Set the way in (ssh, telnet, snmp...) the entry governs; all by default.",
    "telnet-server": "Enable/disable inbound telnet access.",
    "telnet": "Display the CLI sessions open on the switch.",
    "management": "Display the switch's management addresses.",
}

METHOD: Final = f"access-method {{method: {'|'.join(MANAGER_METHODS)}}}"
ADDRESS: Final[dict[str, ParamType]] = {"ip-addr": IpAddress(), "ip-mask": IpAddress("IP-MASK")}

ROWS: Final = (
    Command(f"ip authorized-managers <ip-addr> [<ip-mask>] [access {{level: "
            f"{'|'.join(ACCESS_LEVELS)}}}] [{METHOD}]", set_manager, where=Where.CONFIG,
            level=Level.MANAGER, params=ADDRESS),
    Command(f"ip authorized-managers <ip-addr> [<ip-mask>] [{METHOD}]", None,
            where=Where.CONFIG, level=Level.MANAGER, params=ADDRESS, negate=clear_manager),
    Command("telnet-server", set_telnet, where=Where.CONFIG, level=Level.MANAGER,
            negate=set_telnet),
    Command("show ip authorized-managers", show_authorized),
    Command("show telnet", show_telnet),
    Command("show management", show_management),
)
