"""`show snmp-server` and the SNMP settings of the config (communities, contact, location).

The K.15 screen is reconstructed (no capture of it is public): communities, trap receivers,
excluded MIBs and the PDU source-IP policies, in the switch's usual section style.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from emulator.cli.grammar import Command, IpAddress, Level, Text, Where
from emulator.commands.format import SHOW_HELP, Fields, refused
from emulator.config.model import TRAP_LEVELS, Community, CommunityAccess, TrapReceiver
from emulator.config.render import COMMUNITY_DEFAULT_ACCESS, COMMUNITY_DEFAULT_RESTRICTED

if TYPE_CHECKING:
    from emulator.cli.context import Call
    from emulator.device import Device

COMMUNITIES_HEADER: Final = (
    "  Community Name       MIB View Write Access\n"
    "  -------------------- -------- ------------"
)
TRAP_CATEGORIES: Final = (
    ("SNMP Authentication", "Extended"),
    ("Password change", "Enabled"),
    ("Login failures", "Enabled"),
    ("Port-Security", "Enabled"),
    ("Authorization Server Contact", "Enabled"),
    ("DHCP-Snooping", "Enabled"),
    ("Dynamic ARP Protection", "Enabled"),
    ("Dynamic IP Lockdown", "Enabled"),
)
TRAP_FIELDS: Final = Fields(indent=2, width=29)
RECEIVERS_HEADER: Final = (
    "  Address                Community              Events   Type   Retry   Timeout\n"
    "  ---------------------- ---------------------- -------- ------ ------- -------"
)
SOURCE_POLICY: Final = "Default rfc1517"
RECEIVER_EVENTS: Final = {"none": "None", "all": "All", "not-info": "Not-INFO",
                          "critical": "Critical", "debug": "Debug"}
"""The Events column: the receiver's trap level, as the manual's table names them."""
RECEIVER_RETRY, RECEIVER_TIMEOUT = 3, 15


def _community_row(community: Community) -> str:
    view = community.access.value.capitalize()
    write = "Restricted" if community.restricted else "Unrestricted"
    return f"  {community.name:<20} {view:<8} {write}"


def _receiver_row(receiver: TrapReceiver) -> str:
    kind = "inform" if receiver.inform else "trap"
    events = RECEIVER_EVENTS[receiver.trap_level]
    return (f"  {receiver.address!s:<22} {receiver.community:<22} {events:<8} "
            f"{kind:<6} {RECEIVER_RETRY:<7} {RECEIVER_TIMEOUT}")


def render_snmp_server(device: Device) -> str:
    return "\n".join([
        "",
        " SNMP Communities",
        "",
        COMMUNITIES_HEADER,
        *(_community_row(c) for c in device.running.communities),
        "",
        " Trap Receivers",
        "",
        "  Link-Change Traps Enabled on Ports [All] : All",
        "",
        "  Traps Category                  Current Status",
        "  _____________________________   __________________",
        *(TRAP_FIELDS.line(category, status) for category, status in TRAP_CATEGORIES),
        "",
        RECEIVERS_HEADER,
        *(_receiver_row(r) for r in device.running.trap_receivers),
        "",
        " Excluded MIBs",
        "",
        " Snmp Response Pdu Source-IP Information",
        "",
        f"  Selection Policy   : {SOURCE_POLICY}",
        "",
        " Trap Pdu Source-IP Information",
        "",
        f"  Selection Policy   : {SOURCE_POLICY}",
    ])


def show_snmp_server(call: Call) -> str:
    return render_snmp_server(call.device)


def set_community(call: Call) -> None:
    """Words left out take the defaults the config leaves unwritten (manager, restricted):
    the switch reads its own `snmp-server community "public" unrestricted` back as the
    factory's manager community."""
    access = (CommunityAccess(call.text("access")) if "access" in call.args
              else COMMUNITY_DEFAULT_ACCESS)
    restricted = (call.text("restriction") == "restricted" if "restriction" in call.args
                  else COMMUNITY_DEFAULT_RESTRICTED)
    with refused():
        call.device.running.community_set(Community(call.text("name"), access, restricted))


def remove_community(call: Call) -> None:
    with refused():
        call.device.running.community_remove(call.text("name"))


def set_contact(call: Call) -> None:
    with refused():
        call.device.running.set_contact(call.text("text"))


def set_location(call: Call) -> None:
    with refused():
        call.device.running.set_location(call.text("text"))


def set_host(call: Call) -> None:
    receiver = TrapReceiver(call.address("address"), call.text("community"),
                            inform=call.args.get("kind") == "inform",
                            trap_level=call.text("level", TRAP_LEVELS[0]))
    with refused():
        call.device.running.trap_receiver_set(receiver)


def remove_host(call: Call) -> None:
    call.device.running.trap_receiver_remove(call.address("address"))


def set_auth_traps(call: Call) -> None:
    call.device.running.set_auth_traps(True)


def clear_auth_traps(call: Call) -> None:
    call.device.running.set_auth_traps(False)


HELP: Final = {
    "show": SHOW_HELP,
    "snmp-server": "Show or configure the SNMP server.",
    "community": "Add, delete, or modify SNMP communities.",
    "name": "The community name.",
    "operator": "Read-only access to the MIB.",
    "manager": "Read-write access to the MIB.",
    "restricted": "The community cannot write to the MIB.",
    "unrestricted": "The community may write to the MIB (manager communities only).",
    "contact": "Specify a person to contact.",
    "location": "Specify the switch's location.",
    "text": "A quoted string.",
    "host": "Add or delete a trap receiver.",
    "trap-level": "Set which Event Log messages are also sent to the receiver as traps.",
    "none": "Send no Event Log messages (the default).",
    "all": "Send all Event Log messages.",
    "not-info": "Send every Event Log message that is not for information only.",
    "critical": "Send only Event Log messages of critical error conditions.",
    "debug": "Send the Event Log messages for troubleshooting.",
    "inform": "Send informs (acknowledged notifications) instead of traps.",
    "enable": "Enable notifications.",
    "traps": "Enable a category of notifications.",
    "authentication": "Send authenticationFailure when a request has a bad community.",
}

ROWS: tuple[Command, ...] = (
    Command("show snmp-server", show_snmp_server, level=Level.MANAGER),
    Command("snmp-server community <name> [{access: operator|manager}] "
            "[{restriction: restricted|unrestricted}]", set_community, where=Where.CONFIG,
            level=Level.MANAGER, params={"name": Text()}),
    Command("snmp-server community <name>", None, where=Where.CONFIG, level=Level.MANAGER,
            params={"name": Text()}, negate=remove_community),
    Command("snmp-server contact <text>", set_contact, where=Where.CONFIG, level=Level.MANAGER,
            params={"text": Text()}),
    Command("snmp-server location <text>", set_location, where=Where.CONFIG,
            level=Level.MANAGER, params={"text": Text()}),
    Command("snmp-server host <address> community <community> "
            f"[[trap-level] {{level: {'|'.join(TRAP_LEVELS)}}}] [{{kind: inform}}]", set_host,
            where=Where.CONFIG, level=Level.MANAGER,
            params={"address": IpAddress(), "community": Text()}),
    Command("snmp-server host <address>", None, where=Where.CONFIG, level=Level.MANAGER,
            params={"address": IpAddress()}, negate=remove_host),
    Command("snmp-server enable traps authentication", set_auth_traps, where=Where.CONFIG,
            level=Level.MANAGER, negate=clear_auth_traps),
)
