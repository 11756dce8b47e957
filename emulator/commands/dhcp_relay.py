"""DHCP relay: `[no] dhcp-relay`, `[no] dhcp-relay hop-count-increment`, `dhcp-relay option 82
append|replace|drop [validate] [ip|mac|mgmt-vlan]` (and `keep`), `ip helper-address A.B.C.D`
in a VLAN's context, `show dhcp-relay` and `show ip helper-address [vlan N]`. The relay agent
itself runs on the active module, in the switch's in-band namespace (emulator/dhcp_relay.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from emulator.cli.grammar import VLAN_ID, Command, IpAddress, Level, Where
from emulator.commands.format import SHOW_HELP, Fields, refused
from emulator.commands.vlan import context_vid
from emulator.config.model import OPTION82_REMOTE_IDS, Option82
from emulator.dhcp_relay import COUNTERS

if TYPE_CHECKING:
    from emulator.cli.context import Call

REMOTE_ID_NAMES: Final = {"mac": "MAC Address", "ip": "IP Address", "mgmt-vlan": "MGMT-VLAN"}
STATUS_FIELDS: Final = Fields(indent=1, width=32)


def set_relay(call: Call) -> None:
    call.device.running.set_dhcp_relay(not call.negated)


def set_hop_count(call: Call) -> None:
    call.device.running.set_dhcp_relay_hop_count(not call.negated)


def set_option82(call: Call) -> None:
    option = Option82(call.text("policy"), "validate" in call.words,
                      call.text("remote-id", OPTION82_REMOTE_IDS[0]))
    with refused():
        call.device.running.set_dhcp_relay_option82(option)


def clear_option82(call: Call) -> None:
    call.device.running.set_dhcp_relay_option82(None)


def add_helper(call: Call) -> None:
    with refused():
        call.device.running.vlan_helper_add(context_vid(call), call.address("address"))


def remove_helper(call: Call) -> None:
    with refused():
        call.device.running.vlan_helper_remove(context_vid(call), call.address("address"))


def show_relay(call: Call) -> str:
    running, counts = call.device.running, call.device.dhcp_relay_counters
    option = running.dhcp_relay_option82
    on = {True: "Enabled", False: "Disabled"}
    f = STATUS_FIELDS
    lines = [
        "",
        f.line("DHCP Relay Agent", on[running.dhcp_relay]),
        f.line("DHCP Request Hop Count Increment", on[running.dhcp_relay_hop_count]),
        f.line("Option 82", on[option is not None]),
        f.line("Response validation", on[option is not None and option.validate]),
        f.line("Option 82 handle policy", "none" if option is None else option.policy),
        f.line("Remote ID", REMOTE_ID_NAMES[OPTION82_REMOTE_IDS[0] if option is None
                                            else option.remote_id]),
        "",
        " Client Requests       Server Responses",
        "",
        " Valid      Dropped    Valid      Dropped",
        " ---------- ---------- ---------- ----------",
        " " + " ".join(f"{counts.get(name, 0):<10}" for name in COUNTERS).rstrip(),
    ]
    return "\n".join(lines)


def show_helpers(call: Call) -> str:
    vlans = call.device.running.vlans
    wanted = [call.number("vlan-id")] if "vlan-id" in call.args else sorted(vlans)
    lines = ["", " IP Helper Addresses"]
    for vid in wanted:
        helpers = vlans[vid].helper_addresses if vid in vlans else []
        if helpers or "vlan-id" in call.args:
            lines += ["", f" VLAN: {vid}", "", "  IP Helper Address", "  -----------------",
                      *(f"  {a}" for a in helpers)]
    return "\n".join(lines)


HELP: Final = {
    "dhcp-relay": "Enable/disable the DHCP relay agent on the device.",
    "hop-count-increment": "Enable/disable increment of the DHCP hop-count field.",
    "option": "Specify the operational status of DHCP options.",
    "82": "Specify the operational status of option 82.",
    "append": "Append an option 82 field to the client's DHCP packet.",
    "replace": "Replace the option 82 field of the client's DHCP packet.",
    "drop": "Drop client DHCP packets that carry an option 82 field.",
    "keep": "Keep the option 82 field of the client's DHCP packet.",
    "validate": "Drop server responses that do not carry this switch's remote ID.",
    "mac": "Set the remote ID to the MAC address of the switch (the default).",
    "mgmt-vlan": "Set the remote ID to the IP address of the management VLAN.",
    "helper-address": "Add or remove a DHCP server address for the VLAN.",
    "show": SHOW_HELP,
}

ROWS: Final = (
    Command("dhcp-relay", set_relay, where=Where.CONFIG, level=Level.MANAGER,
            negate=set_relay),
    Command("dhcp-relay hop-count-increment", set_hop_count, where=Where.CONFIG,
            level=Level.MANAGER, negate=set_hop_count),
    Command("dhcp-relay option 82 {policy: append|replace|drop} [validate] "
            "[{remote-id: mac|ip|mgmt-vlan}]", set_option82, where=Where.CONFIG,
            level=Level.MANAGER),
    Command("dhcp-relay option 82 {policy: keep} [{remote-id: mac|ip|mgmt-vlan}]",
            set_option82, where=Where.CONFIG, level=Level.MANAGER),
    Command("dhcp-relay option 82", None, where=Where.CONFIG, level=Level.MANAGER,
            negate=clear_option82),
    Command("ip helper-address <address>", add_helper, where=Where.VLAN, level=Level.MANAGER,
            params={"address": IpAddress()}, negate=remove_helper),
    Command("show dhcp-relay", show_relay),
    Command("show ip helper-address [vlan <vlan-id>]", show_helpers,
            params={"vlan-id": VLAN_ID}),
)
