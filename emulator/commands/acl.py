"""IPv4 access lists: `ip access-list standard|extended NAME|N` and its context (`[SEQ]
permit|deny ...`, `[SEQ] remark "TEXT"`, `no SEQ`), the numbered `access-list N ...` form,
`ip access-group NAME in|out|vlan` in a VLAN's context and `ip access-group NAME in` in a
port's; `show access-list [NAME] [config]`, `show access-list ports|vlan ...` and the hit
counts, `show statistics aclv4 NAME port P|vlan N in|out|vlan`.

An entry's words after permit/deny are read by the model (config/acl.py), which knows the
address forms and port operators; the rows here take them as words, since one row per form
would be thousands of rows. The fabric filters (fabric/acl.py) and counts the hits.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from emulator.cli.context import Mode
from emulator.cli.grammar import (
    PORT_LIST,
    VLAN_ID,
    CliError,
    Command,
    IntRange,
    Level,
    ModeKind,
    ParamType,
    Text,
    Where,
)
from emulator.commands.format import SHOW_HELP, installed_ports, refused
from emulator.commands.show_interfaces import context_ports
from emulator.commands.vlan import context_vid
from emulator.config.acl import (
    ACL_KINDS,
    APPLY_DIRECTIONS,
    NAME_MAX,
    NUMBERED,
    REMARK_MAX,
    SEQ_RANGE,
    AccessList,
    Ace,
    numbered_kind,
)
from emulator.config.render import access_list_block

if TYPE_CHECKING:
    from emulator.cli.context import Call
    from emulator.device import Device

ACE_WORDS: Final = 14
"""The most words an entry takes after permit/deny (`tcp host A range P Q host B range P Q
established log` is 13)."""
CONTEXTS: Final = {"standard": ModeKind.ACL_STANDARD, "extended": ModeKind.ACL_EXTENDED}
WHERE: Final = {"standard": Where.ACL_STANDARD, "extended": Where.ACL_EXTENDED}
KIND_OF_CONTEXT: Final = {mode: kind for kind, mode in CONTEXTS.items()}
SHORT_KIND: Final = {"standard": "Std", "extended": "Ext"}
NONE_APPLIED: Final = "(None)"
NO_SUCH_ACL: Final = "ACL {name} does not exist."
NOT_APPLIED: Final = "ACL {name} is not applied to {where}."
DIRECTION_NAMES: Final = {"in": "Inbound ", "out": "Outbound", "vlan": "VACL    "}
PROTOCOL_NAMES: Final = {"ip": "IP", "tcp": "TCP", "udp": "UDP", "icmp": "ICMP", "igmp": "IGMP"}


# --- the lists and their entries ----------------------------------------------------------

def context_acl(call: Call) -> tuple[str, str]:
    """(name, kind) of the `ip access-list` context the command runs in."""
    mode = call.session.mode
    assert isinstance(mode.value, str), "an ACL context holds its list's name"
    return mode.value, KIND_OF_CONTEXT[mode.kind]


def enter_acl(call: Call) -> None:
    kind, name = call.text("kind"), call.text("acl-id")
    with refused():
        call.device.running.acl_open(name, kind)
    call.session.enter(Mode(CONTEXTS[kind], name))


def delete_acl(call: Call) -> None:
    with refused():
        call.device.running.acl_delete(call.text("acl-id"))


def _ace_words(call: Call) -> list[str]:
    return [call.text(f"w{i}") for i in range(1, ACE_WORDS + 1) if f"w{i}" in call.args]


def add_entry(call: Call) -> None:
    name, kind = context_acl(call)
    seq = call.number("seq") if "seq" in call.args else None
    with refused():
        call.device.running.acl_add(name, kind, call.text("action") == "permit",
                                    _ace_words(call), seq)


def add_remark(call: Call) -> None:
    name, kind = context_acl(call)
    seq = call.number("seq") if "seq" in call.args else None
    with refused():
        call.device.running.acl_remark(name, kind, call.text("remark-str"), seq)


def remove_entry(call: Call) -> None:
    name, _ = context_acl(call)
    with refused():
        call.device.running.acl_remove_entry(name, call.number("seq"))


def _numbered(call: Call) -> tuple[str, str]:
    name = str(call.number("acl-num"))
    kind = numbered_kind(name)
    assert kind is not None, "acl-num is 1-199"
    return name, kind


def add_numbered_entry(call: Call) -> None:
    name, kind = _numbered(call)
    with refused():
        call.device.running.acl_add(name, kind, call.text("action") == "permit",
                                    _ace_words(call))


def add_numbered_remark(call: Call) -> None:
    name, kind = _numbered(call)
    with refused():
        call.device.running.acl_remark(name, kind, call.text("remark-str"))


def delete_numbered(call: Call) -> None:
    name, _ = _numbered(call)
    with refused():
        call.device.running.acl_delete(name)


# --- where they apply ---------------------------------------------------------------------

def apply_vlan(call: Call) -> None:
    with refused():
        call.device.running.acl_apply_vlan(context_vid(call), call.text("direction"),
                                           call.text("acl-id"))


def unapply_vlan(call: Call) -> None:
    vid, direction, name = context_vid(call), call.text("direction"), call.text("acl-id")
    if call.device.running.vlan_access_groups.get((vid, direction)) != name:
        raise CliError(NOT_APPLIED.format(name=name, where=f"VLAN {vid}"))
    with refused():
        call.device.running.acl_apply_vlan(vid, direction, None)


def apply_port(call: Call) -> None:
    with refused():
        for port in context_ports(call):
            call.device.running.acl_apply_port(port, call.text("acl-id"))


def unapply_port(call: Call) -> None:
    name = call.text("acl-id")
    with refused():
        for port in context_ports(call):
            if call.device.running.port(port).access_group != name:
                raise CliError(NOT_APPLIED.format(name=name, where=f"port {port}"))
            call.device.running.acl_apply_port(port, None)


# --- show ---------------------------------------------------------------------------------

def _applied(device: Device, name: str) -> bool:
    return name in device.running.access_groups().values()


def show_summary(call: Call) -> str:
    device = call.device
    lines = ["", " Access Control Lists", "", "  Type Appl Name", "  ---- ---- " + "-" * 60]
    lines += [f"  {SHORT_KIND[acl.kind]:<4} {'Yes' if _applied(device, acl.name) else 'No':<4} "
              f"{acl.name}" for acl in device.running.access_lists.values()]
    return "\n".join(lines)


def _acl(device: Device, name: str) -> AccessList:
    acl = device.running.access_lists.get(name)
    if acl is None:
        raise CliError(NO_SUCH_ACL.format(name=name))
    return acl


def _entry_lines(acl: AccessList, seq: int, ace: Ace) -> list[str]:
    action = ("permit" if ace.permit else "deny") + (" (log)" if ace.log else "")
    lines = [f"  {seq:<4} Action: {action}"]
    if seq in acl.remarks:
        lines.append(f"       Remark: {acl.remarks[seq]}")
    if ace.protocol is None:
        lines.append(f"       IP    : {ace.source!s:<16} Mask: {ace.source_wild}")
        return lines
    sports = "" if ace.source_ports is None else ace.source_ports.text()
    dports = "" if ace.destination_ports is None else ace.destination_ports.text()
    lines += [
        f"       Src IP: {ace.source!s:<16} Mask: {ace.source_wild!s:<16} Port(s): {sports}"
        .rstrip(),
        f"       Dst IP: {ace.destination!s:<16} Mask: {ace.destination_wild!s:<16} "
        f"Port(s): {dports}".rstrip(),
        f"       Proto : {PROTOCOL_NAMES.get(ace.protocol, ace.protocol)}"
        + (" (established)" if ace.established else "")
        + ("" if ace.icmp_type is None else f"  Type: {ace.icmp_type}"),
        "       TOS   : -                Precedence: -",
    ]
    return lines


def show_acl(call: Call) -> str:
    device = call.device
    acl = _acl(device, call.text("acl-id"))
    lines = ["", "Access Control Lists", "", f"  Name: {acl.name}",
             f"  Type: {acl.kind.capitalize()}",
             f"  Applied: {'Yes' if _applied(device, acl.name) else 'No'}", "",
             "  SEQ  Entry", "  " + "-" * 77]
    for seq, ace in sorted(acl.entries.items()):
        lines += [*_entry_lines(acl, seq, ace), ""]
    return "\n".join(lines).rstrip("\n")


def show_config(call: Call) -> str:
    lines = [line for acl in call.device.running.access_lists.values()
             for line in access_list_block(acl)]
    return "\n".join(["", *lines])


def show_acl_config(call: Call) -> str:
    return "\n".join(["", *access_list_block(_acl(call.device, call.text("acl-id")))])


def _applied_lines(device: Device, groups: list[tuple[str, str]]) -> list[str]:
    """`IPv4   Inbound : NAME` and its type, or `(None)`, for each (label, application)."""
    applied = device.running.access_groups()
    lines = []
    for label, where in groups:
        name = applied.get(where)
        lines.append(f"  IPv4   {label}: {NONE_APPLIED if name is None else name}")
        acl = None if name is None else device.running.access_lists.get(name)
        if acl is not None:
            lines.append(f"            Type : {acl.kind.capitalize()}")
        lines.append("")
    return lines


def show_vlan(call: Call) -> str:
    device, vid = call.device, call.number("vlan-id")
    with refused():
        device.running.vlan(vid)
    groups = [(DIRECTION_NAMES[d], f"vlan {vid} {d}") for d in APPLY_DIRECTIONS]
    return "\n".join(["", f" Access Lists for VLAN {vid}", "",
                      *_applied_lines(device, groups)]).rstrip("\n")


def show_ports(call: Call) -> str:
    device = call.device
    ports = installed_ports(call.ports("port-list"), device)
    lines = []
    for port in ports:
        lines += ["", f" Access Lists for Port {port}", "",
                  *_applied_lines(device, [(DIRECTION_NAMES["in"], f"port {port} in")])]
    return "\n".join(lines).rstrip("\n")


def _hits(call: Call, where: str) -> str:
    device, name = call.device, call.text("acl-id")
    acl = _acl(device, name)
    if device.running.access_groups().get(where) != name:
        place = where.rsplit(" ", 1)[0]
        raise CliError(NOT_APPLIED.format(name=name, where=place.replace("vlan", "VLAN")))
    counts = {seq: hits for seq, hits in device.acl_hits.get(where, [])}
    lines = ["", f" HitCounts for ACL {name}", "", " Total", ""]
    lines += [f" ({counts.get(seq, 0):>9}) {seq} {ace.text()}"
              for seq, ace in sorted(acl.entries.items())]
    return "\n".join(lines)


def show_port_hits(call: Call) -> str:
    ports = installed_ports(call.ports("port-list"), call.device)
    return "\n".join(_hits(call, f"port {port} in") for port in ports)


def show_vlan_hits(call: Call) -> str:
    return _hits(call, f"vlan {call.number('vlan-id')} {call.text('direction')}")


HELP: Final = {
    "access-list": "Create or remove an access control list (ACL), or show ACL information.",
    "standard": "Configure a standard (source address only) IPv4 ACL.",
    "extended": "Configure an extended (source, destination, protocol, ports) IPv4 ACL.",
    "acl-id": "The ACL's name or number.",
    "permit": "Forward the packets that match this entry.",
    "deny": "Drop the packets that match this entry.",
    "remark": "Attach a remark to an entry.",
    "access-group": "Apply an access control list to this interface.",
    "in": "Filter the traffic that enters the switch here.",
    "out": "Filter the routed traffic that leaves the switch here.",
    "vlan": "Filter all the traffic that enters the switch on this VLAN.",
    "config": "Show the ACLs as the configuration writes them.",
    "ports": "Show the ACLs applied to ports.",
    "statistics": "Show statistics.",
    "aclv4": "Show the hit counts of an IPv4 ACL where it applies.",
    "port": "Hit counts where the ACL applies to a port.",
    "show": SHOW_HELP,
}

ACL_ID: Final = Text("ASCII-STR", NAME_MAX)
ACL_NUM: Final = IntRange(1, max(high for _, high in NUMBERED.values()), "<1-199>")
SEQ: Final = IntRange(*SEQ_RANGE, "<1-2147483647>")
REMARK: Final = Text("ASCII-STR", REMARK_MAX)
WORDS: Final = " ".join(f"<w{i}>" if i == 1 else f"[<w{i}>" for i in range(1, ACE_WORDS + 1)) \
    + "]" * (ACE_WORDS - 1)
WORD_PARAMS: Final = {f"w{i}": Text("ASCII-STR") for i in range(2, ACE_WORDS + 1)}
FIRST_WORD: Final = {
    "standard": (Text("SOURCE"), "The source: any, host SA, SA/mask-length or SA mask."),
    "extended": (Text("PROTOCOL"), "ip (any), tcp, udp, icmp, igmp, gre, esp, ah, ospf, pim, "
                                   "vrrp, sctp, or an IP protocol number (0-255)."),
}
"""`?` after permit/deny: what the first word is; the words after it are the entry's rest."""
WORD_HELP: Final = {f"w{i}": "The rest of the entry." for i in range(2, ACE_WORDS + 1)}


def _ace_params(kind: str) -> tuple[dict[str, ParamType], dict[str, str]]:
    first, text = FIRST_WORD[kind]
    return {"w1": first, **WORD_PARAMS}, {"w1": text, **WORD_HELP}


def _context_rows(kind: str) -> tuple[Command, ...]:
    where = WHERE[kind]
    words, texts = _ace_params(kind)
    return (
        Command(f"[<seq>] {{action: permit|deny}} {WORDS}", add_entry, where=where,
                level=Level.MANAGER, params={"seq": SEQ, **words}, help=texts),
        Command("[<seq>] remark <remark-str>", add_remark, where=where, level=Level.MANAGER,
                params={"seq": SEQ, "remark-str": REMARK}),
        Command("<seq>", None, where=where, level=Level.MANAGER, params={"seq": SEQ},
                negate=remove_entry),
    )


ROWS: Final = (
    *(Command(f"ip access-list {{kind: {kind}}} <acl-id>", enter_acl, where=Where.CONFIG,
              level=Level.MANAGER, params={"acl-id": ACL_ID}, negate=delete_acl,
              enters=CONTEXTS[kind]) for kind in ACL_KINDS),
    *(row for kind in ACL_KINDS for row in _context_rows(kind)),
    Command(f"access-list <acl-num> {{action: permit|deny}} {WORDS}", add_numbered_entry,
            where=Where.CONFIG, level=Level.MANAGER,
            params={"acl-num": ACL_NUM, **_ace_params("extended")[0]},
            help={**_ace_params("extended")[1],
                  "w1": "The source (1-99) or the protocol (100-199)."}),
    Command("access-list <acl-num> remark <remark-str>", add_numbered_remark,
            where=Where.CONFIG, level=Level.MANAGER,
            params={"acl-num": ACL_NUM, "remark-str": REMARK}),
    Command("access-list <acl-num>", None, where=Where.CONFIG, level=Level.MANAGER,
            params={"acl-num": ACL_NUM}, negate=delete_numbered),
    Command("ip access-group <acl-id> {direction: in|out|vlan}", apply_vlan, where=Where.VLAN,
            level=Level.MANAGER, params={"acl-id": ACL_ID}, negate=unapply_vlan),
    Command("ip access-group <acl-id> in", apply_port, where=Where.INTERFACE,
            level=Level.MANAGER, params={"acl-id": ACL_ID}, negate=unapply_port),
    Command("show access-list", show_summary),
    Command("show access-list config", show_config),
    Command("show access-list <acl-id>", show_acl, params={"acl-id": ACL_ID}),
    Command("show access-list <acl-id> config", show_acl_config, params={"acl-id": ACL_ID}),
    Command("show access-list ports <port-list>", show_ports, params={"port-list": PORT_LIST}),
    Command("show access-list vlan <vlan-id>", show_vlan, params={"vlan-id": VLAN_ID}),
    Command("show statistics aclv4 <acl-id> port <port-list>", show_port_hits,
            params={"acl-id": ACL_ID, "port-list": PORT_LIST}),
    Command("show statistics aclv4 <acl-id> vlan <vlan-id> {direction: in|out|vlan}",
            show_vlan_hits, params={"acl-id": ACL_ID, "vlan-id": VLAN_ID}),
)
