"""OSPFv2: `router ospf` and its context (`area`, `redistribute connected|static`, `enable`,
`disable`), `vlan N ip ospf [A.B.C.D] area|cost|passive|hello-interval|dead-interval`, and
`show ip ospf [general|neighbor|interface|area|database]`, read back from the engine (FRR's
ospfd in the switch's namespace, emulator/ospf.py).

The screens follow the ProCurve routing switches' OSPF displays (the 5300xl/K manuals' field
lists for `show ip ospf neighbor`: Router ID, Pri, IP Address, NbIfState, State, Rxmt QLen,
Events); column widths and the general screen's fields are modelled where no capture shows
them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from emulator.cli.context import Mode, ModeKind
from emulator.cli.grammar import Command, IntRange, IpAddress, Level, Where
from emulator.commands.format import SHOW_HELP, Fields, refused
from emulator.commands.vlan import context_vid
from emulator.config.model import (
    BACKBONE,
    OSPF_COST_RANGE,
    OSPF_INTERVAL_RANGE,
    ospf_area_id,
)

if TYPE_CHECKING:
    from emulator.cli.context import Call

GENERAL_FIELDS: Final = Fields(indent=2, width=28)
NEIGHBOR_HEADER: Final = (
    "  Router ID       Pri IP Address      NbIfState State    Rxmt QLen Events\n"
    "  --------------- --- --------------- --------- -------- --------- ------"
)
INTERFACE_HEADER: Final = (
    "  IP Address      Status   Area ID         State   Auth-type Cost   Pri Passive\n"
    "  --------------- -------- --------------- ------- --------- ------ --- -------"
)
AREA_HEADER: Final = (
    "  Area ID         Type   Cost   SPFR  ABR  ASBR  LSA   Checksum\n"
    "  --------------- ------ ------ ----- ---- ----- ----- ----------"
)
DATABASE_HEADER: Final = (
    f"{'':25}Advertising\n"
    "  LSA Type  Link State ID   Router ID       Age  Sequence # Checksum\n"
    "  --------- --------------- --------------- ---- ----------- ----------"
)
STATES: Final = {"Full": "FULL", "2-Way": "2WAY", "Init": "INIT", "ExStart": "EXSTART",
                 "Exchange": "EXCHANGE", "Loading": "LOADING", "Down": "DOWN",
                 "Attempt": "ATTEMPT"}
"""FRR's neighbour states (`Full/DR`) as the switch writes them."""
ROLES: Final = {"DR": "DR", "Backup": "BDR", "DROther": ""}
INTERFACE_STATES: Final = {"DR": "DR", "Backup": "BDR", "DROther": "DROTHER",
                           "Waiting": "WAITING", "Point-To-Point": "P2P", "Loopback": "LOOPBACK",
                           "Down": "DOWN"}
LSA_KINDS: Final = (("routerLinkStates", "Router"), ("networkLinkStates", "Network"),
                    ("summaryLinkStates", "Summary"), ("asbrSummaryLinkStates", "AsbSummary"),
                    ("nssaExternalLinkStates", "NSSA"))
EXTERNAL_KIND: Final = ("asExternalLinkStates", "External")


class AreaId:
    """`backbone`, an area number or a dotted area ID; the model's spelling of it."""

    placeholder = "OSPF-AREA-ID"

    def parse(self, token: str) -> str:
        try:
            return ospf_area_id(token)
        except ValueError as exc:
            raise ValueError(token) from exc


AREA: Final = AreaId()


def _shown_area(dotted: str) -> str:
    return BACKBONE if dotted == "0.0.0.0" else dotted


# --- config ---

def enter_ospf(call: Call) -> None:
    call.device.running.ospf_open()
    call.session.enter(Mode(ModeKind.OSPF))


def remove_ospf(call: Call) -> None:
    call.device.running.ospf_remove()


def set_enabled(call: Call) -> None:
    call.device.running.ospf_set_enabled("enable" in call.words and not call.negated)


def add_area(call: Call) -> None:
    call.device.running.ospf_area_add(call.value("area-id", str))


def remove_area(call: Call) -> None:
    call.device.running.ospf_area_remove(call.value("area-id", str))


def set_redistribute(call: Call) -> None:
    with refused():
        call.device.running.ospf_redistribute(call.text("source"), not call.negated)


def vlan_area(call: Call) -> None:
    with refused():
        call.device.running.vlan_ospf_area(
            context_vid(call), None if call.negated else call.value("area-id", str))


def vlan_setting(call: Call) -> None:
    name = call.text("setting")
    with refused():
        call.device.running.vlan_ospf_setting(
            context_vid(call), name, None if call.negated else call.number("value"))


def vlan_passive(call: Call) -> None:
    with refused():
        call.device.running.vlan_ospf_passive(context_vid(call), not call.negated)


def vlan_off(call: Call) -> None:
    call.device.running.vlan_ospf_area(context_vid(call), None)


# --- show ---

async def _query(call: Call, what: str) -> dict[str, Any]:
    query = call.device.ospf_query
    return {} if query is None else await query(what)


def render_general(enabled: bool, general: dict[str, Any], router_id: str) -> str:
    f = GENERAL_FIELDS
    externals = general.get("lsaExternalCounter", 0)
    return "\n".join([
        "",
        " OSPF General Status",
        "",
        f.line("OSPF protocol", "enabled" if enabled else "disabled"),
        f.line("Router ID", router_id),
        f.line("RFC 1583 compatibility", "non-compatible" if general.get("rfc2328Conform", True)
               else "compatible"),
        f.line("Intra-area distance", "110"),
        f.line("Inter-area distance", "110"),
        f.line("AS-external distance", "110"),
        f.line("Area Border", "yes" if general.get("abrType") and
               len(general.get("areas", {})) > 1 else "no"),
        f.line("AS Border", "yes" if general.get("asbrRouter") else "no"),
        f.line("External LSA Count", str(externals)),
        f.line("External LSA Checksum Sum", str(general.get("lsaExternalChecksum", 0))),
    ])


async def show_general(call: Call) -> str:
    general = await _query(call, "")
    running = call.device.running
    enabled = bool(general) and running.ospf.enabled
    return render_general(enabled, general, str(general.get("routerId", "0.0.0.0")))


def neighbor_rows(answer: dict[str, Any]) -> list[str]:
    rows = []
    for router, entries in sorted(answer.get("neighbors", {}).items()):
        for entry in entries:
            state, _, role = str(entry.get("nbrState", "")).partition("/")
            rows.append(f"  {router:<15} {entry.get('nbrPriority', 1):<3} "
                        f"{entry.get('ifaceAddress', ''):<15} {ROLES.get(role, ''):<9} "
                        f"{STATES.get(state, state.upper()):<8} "
                        f"{entry.get('retransmitCounter', 0):<9} "
                        f"{entry.get('stateChangeCounter', 0)}".rstrip())
    return rows


async def show_neighbors(call: Call) -> str:
    answer = await _query(call, "neighbor detail")
    return "\n".join(["", " OSPF Neighbor Information", "", NEIGHBOR_HEADER,
                      *neighbor_rows(answer)])


def interface_rows(answer: dict[str, Any], passive: set[str]) -> list[str]:
    rows = []
    for name, interface in sorted(answer.get("interfaces", {}).items()):
        if not interface.get("ospfEnabled"):
            continue
        state = INTERFACE_STATES.get(str(interface.get("state", "")), "DOWN")
        rows.append(f"  {interface.get('ipAddress', ''):<15} "
                    f"{'enabled' if interface.get('ifUp') else 'disabled':<8} "
                    f"{_shown_area(str(interface.get('area', '')).split(' ')[0]):<15} "
                    f"{state:<7} {'none':<9} {interface.get('cost', 1):<6} "
                    f"{interface.get('priority', 1):<3} {'yes' if name in passive else 'no'}")
    return rows


async def show_interfaces(call: Call) -> str:
    answer = await _query(call, "interface")
    passive = {f"vlan{vid}" for vid, vlan in call.device.running.vlans.items()
               if vlan.ospf is not None and vlan.ospf.passive}
    return "\n".join(["", " OSPF Interface Status", "", INTERFACE_HEADER,
                      *interface_rows(answer, passive)])


def area_rows(general: dict[str, Any]) -> list[str]:
    rows = []
    for dotted, area in sorted(general.get("areas", {}).items()):
        kind = "stub" if area.get("stubArea") else "nssa" if area.get("nssa") else "normal"
        rows.append(f"  {_shown_area(dotted):<15} {kind:<6} {0:<6} "
                    f"{area.get('spfExecutedCounter', 0):<5} {0:<4} {0:<5} "
                    f"{area.get('lsaNumber', 0):<5} 0x{0:08x}")
    return rows


async def show_areas(call: Call) -> str:
    general = await _query(call, "")
    return "\n".join(["", " OSPF Area Information", "", AREA_HEADER, *area_rows(general)])


def _lsa_row(kind: str, lsa: dict[str, Any]) -> str:
    checksum = int(str(lsa.get("checksum", "0")), 16)
    return (f"  {kind:<9} {lsa.get('lsId', ''):<15} {lsa.get('advertisedRouter', ''):<15} "
            f"{lsa.get('lsaAge', 0):<4} 0x{lsa.get('sequenceNumber', '0')!s:<9} "
            f"0x{checksum:08x}")


def database_lines(answer: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    for dotted, area in sorted(answer.get("areas", {}).items()):
        lines += ["", f"{'':19}OSPF Link State Database for Area {dotted}", "",
                  DATABASE_HEADER]
        for key, kind in LSA_KINDS:
            lines += [_lsa_row(kind, lsa) for lsa in area.get(key, [])]
    externals = answer.get(EXTERNAL_KIND[0], [])
    if externals:
        lines += ["", f"{'':19}OSPF External Link State Database", "", DATABASE_HEADER,
                  *(_lsa_row(EXTERNAL_KIND[1], lsa) for lsa in externals)]
    return lines


async def show_database(call: Call) -> str:
    return "\n".join(database_lines(await _query(call, "database")))


HELP: Final = {
    "show": SHOW_HELP,
    "router": "Configure routing protocols.",
    "ospf": "Configure the OSPF protocol.",
    "area": "Configure an OSPF area.",
    "area-id": "backbone, an area number or an area ID in dotted form.",
    "redistribute": "Redistribute routes of another source into OSPF.",
    "connected": "Redistribute the directly connected networks.",
    "static": "Redistribute the static routes.",
    "enable": "Enable OSPF on the switch.",
    "disable": "Disable OSPF on the switch.",
    "ip-addr": "The VLAN's IP address.",
    "cost": "The OSPF cost of the interface; the default is 1.",
    "passive": "Advertise the network but send no OSPF packets on it.",
    "hello-interval": "Seconds between OSPF hellos; the default is 10.",
    "dead-interval": "Seconds without hellos before a neighbor is down; the default is 40.",
    "value": "The value.",
    "general": "Show OSPF general status.",
    "neighbor": "Show OSPF neighbor information.",
    "interface": "Show OSPF interface information.",
    "database": "Show the OSPF link state database.",
}

_VLAN_TAIL: Final = ("", "<ip-addr> ")

ROWS: Final = (
    Command("router ospf", enter_ospf, where=Where.CONFIG, level=Level.MANAGER,
            negate=remove_ospf, enters=ModeKind.OSPF),
    Command("area <area-id> [normal]", add_area, where=Where.OSPF, level=Level.MANAGER,
            params={"area-id": AREA}, negate=remove_area),
    Command("redistribute {source: connected|static}", set_redistribute, where=Where.OSPF,
            level=Level.MANAGER, negate=set_redistribute),
    Command("enable", set_enabled, where=Where.OSPF, level=Level.MANAGER, negate=set_enabled),
    Command("disable", set_enabled, where=Where.OSPF, level=Level.MANAGER),
    *(row for tail in _VLAN_TAIL for row in (
        Command(f"ip ospf {tail}area <area-id>", vlan_area, where=Where.VLAN,
                level=Level.MANAGER, params={"area-id": AREA, "ip-addr": IpAddress()},
                negate=vlan_area),
        Command(f"ip ospf {tail}{{setting: cost}} <value>", vlan_setting, where=Where.VLAN,
                level=Level.MANAGER,
                params={"value": IntRange(*OSPF_COST_RANGE), "ip-addr": IpAddress()}),
        Command(f"ip ospf {tail}{{setting: hello-interval|dead-interval}} <value>",
                vlan_setting, where=Where.VLAN, level=Level.MANAGER,
                params={"value": IntRange(*OSPF_INTERVAL_RANGE), "ip-addr": IpAddress()}),
        Command(f"ip ospf {tail}{{setting: cost|hello-interval|dead-interval}}", None,
                where=Where.VLAN, level=Level.MANAGER, params={"ip-addr": IpAddress()},
                negate=vlan_setting),
        Command(f"ip ospf {tail}passive", vlan_passive, where=Where.VLAN, level=Level.MANAGER,
                params={"ip-addr": IpAddress()}, negate=vlan_passive),
    )),
    Command("ip ospf", None, where=Where.VLAN, level=Level.MANAGER, negate=vlan_off),
    Command("show ip ospf [general]", show_general),
    Command("show ip ospf neighbor", show_neighbors),
    Command("show ip ospf interface", show_interfaces),
    Command("show ip ospf area", show_areas),
    Command("show ip ospf database", show_database),
)
