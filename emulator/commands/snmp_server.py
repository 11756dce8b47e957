"""`show snmp-server` and the SNMP settings of the config (communities, contact, location).

The K.15 screen is reconstructed (no capture of it is public): communities, trap receivers,
excluded MIBs and the PDU source-IP policies, in the switch's usual section style.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from emulator.cli.grammar import Command, Level, Text, Where
from emulator.commands.format import SHOW_HELP, Fields, refused
from emulator.config.model import Community, CommunityAccess

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


def _community_row(community: Community) -> str:
    view = community.access.value.capitalize()
    write = "Restricted" if community.restricted else "Unrestricted"
    return f"  {community.name:<20} {view:<8} {write}"


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
    """Words left out take the switch's defaults: operator, restricted."""
    access = CommunityAccess(str(call.args.get("access", CommunityAccess.OPERATOR.value)))
    restricted = call.args.get("restriction", "restricted") == "restricted"
    with refused():
        call.device.running.community_set(Community(str(call.args["name"]), access, restricted))


def remove_community(call: Call) -> None:
    with refused():
        call.device.running.community_remove(str(call.args["name"]))


def set_contact(call: Call) -> None:
    with refused():
        call.device.running.set_contact(str(call.args["text"]))


def set_location(call: Call) -> None:
    with refused():
        call.device.running.set_location(str(call.args["text"]))


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
}

ROWS: tuple[Command, ...] = (
    Command("show snmp-server", show_snmp_server, level=Level.MANAGER, help=HELP),
    Command("snmp-server community <name> [{access: operator|manager}] "
            "[{restriction: restricted|unrestricted}]", set_community, where=Where.CONFIG,
            level=Level.MANAGER, params={"name": Text()}, help=HELP),
    Command("snmp-server community <name>", None, where=Where.CONFIG, level=Level.MANAGER,
            params={"name": Text()}, negate=remove_community, help=HELP),
    Command("snmp-server contact <text>", set_contact, where=Where.CONFIG, level=Level.MANAGER,
            params={"text": Text()}, help=HELP),
    Command("snmp-server location <text>", set_location, where=Where.CONFIG,
            level=Level.MANAGER, params={"text": Text()}, help=HELP),
)
