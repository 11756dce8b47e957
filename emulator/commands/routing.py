"""IP routing: `[no] ip routing`, `[no] ip route DEST MASK|DEST/LEN GATEWAY|vlan N|blackhole|
reject [distance N]`, `show ip route [connected|static|ospf]` and `traceroute`.

The kernel of the switch's in-band namespace does the forwarding (emulator/routing.py says
how); the table `show ip route` prints is emulator/routing.py's `route_table`, in the shape
ntc-templates' hp_procurve_show_ip_route reads (a real K.15 capture's columns).
"""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING, Final

from emulator import routing
from emulator.cli.grammar import (
    VLAN_ID,
    CliError,
    Command,
    Either,
    IntRange,
    IpAddress,
    IpInterface,
    Level,
    Where,
)
from emulator.commands.format import SHOW_HELP, refused
from emulator.commands.vlan import BAD_MASK
from emulator.config.model import (
    DISTANCE_RANGE,
    ROUTE_HOST_BITS,
    STATIC_DISTANCE,
    StaticRoute,
)

if TYPE_CHECKING:
    from emulator.cli.context import Call

ROUTE_TITLE: Final = f"{'':<32}IP Route Entries"
ROUTE_HEADER: Final = (
    "  Destination        Gateway         VLAN Type      Sub-Type   Metric     Dist.\n"
    "  ------------------ --------------- ---- --------- ---------- ---------- -----"
)
TRACE_DEFAULTS: Final = {"minttl": 1, "maxttl": 30, "timeout": 5, "probes": 3}


def _destination(call: Call) -> ipaddress.IPv4Network:
    """`DEST MASK` or `DEST/LEN`; a destination with host bits set is refused."""
    if "prefix" in call.args:
        prefix = call.interface("prefix")
        address, length = prefix.ip, prefix.network.prefixlen
    else:
        mask = call.address("mask")
        try:
            length = ipaddress.IPv4Network(f"0.0.0.0/{mask}").prefixlen
        except ValueError as exc:
            raise CliError(BAD_MASK.format(mask=mask)) from exc
        address = call.address("dest")
    try:
        return ipaddress.IPv4Network((address, length))
    except ValueError as exc:
        raise CliError(ROUTE_HOST_BITS.format(destination=f"{address}/{length}")) from exc


def _route(call: Call) -> StaticRoute:
    destination = _destination(call)
    distance = call.number("distance", STATIC_DISTANCE)
    if "gateway" in call.args:
        return StaticRoute(destination, gateway=call.address("gateway"), distance=distance)
    if "vlan-id" in call.args:
        return StaticRoute(destination, vlan=call.number("vlan-id"), distance=distance)
    return StaticRoute(destination, discard=call.text("discard"), distance=distance)


def add_route(call: Call) -> None:
    with refused():
        call.device.running.static_route_add(_route(call))


def remove_route(call: Call) -> None:
    """`no ip route DEST MASK [HOP ...]`: the route by that next hop, or every one to DEST."""
    hop = None if not ({"gateway", "vlan-id", "discard"} & set(call.args)) \
        else _route(call).hop()
    call.device.running.static_route_remove(_destination(call), hop)


def set_routing(call: Call) -> None:
    call.device.running.set_ip_routing(not call.negated)


def route_row(entry: routing.RouteEntry) -> str:
    vid = "" if entry.vid is None else str(entry.vid)
    return (f"  {entry.destination!s:<18} {entry.gateway:<15} {vid:<4} {entry.kind:<9} "
            f"{entry.subtype:<10} {entry.metric:<10} {entry.distance}")


def render_routes(entries: list[routing.RouteEntry], kind: str | None = None) -> str:
    return "\n".join([
        "",
        ROUTE_TITLE,
        "",
        ROUTE_HEADER,
        *(route_row(e) for e in entries if kind is None or e.kind == kind),
    ])


def show_routes(call: Call) -> str:
    device = call.device  # refreshed before the command: the engine's learnt routes are fresh
    return render_routes(routing.route_table(device.running, device.learnt_routes),
                         call.text("kind") if "kind" in call.args else None)


def _hop_line(ttl: int, answers: list[routing.HopAnswer | None]) -> str:
    """`  1   10.0.0.1        0 ms    0 ms    0 ms`; `*` for a probe that drew no answer."""
    who = next((a.address for a in answers if a is not None), None)
    times = "".join(f"{'*':<8}" if a is None else f"{int(a.rtt_ms)} ms".ljust(8)
                    for a in answers)
    return f"  {ttl:<3} {'' if who is None else str(who):<15} {times}".rstrip()


async def traceroute(call: Call) -> str | None:
    """The header, then one line per hop as it completes, until the target (or another
    unreachable) answers or maxttl is reached."""
    target = call.address("ip-addr")
    minttl, maxttl = (call.number(k, TRACE_DEFAULTS[k]) for k in ("minttl", "maxttl"))
    timeout, probes = (call.number(k, TRACE_DEFAULTS[k]) for k in ("timeout", "probes"))
    source = call.args.get("source")
    if isinstance(source, int):
        vlan = call.device.running.vlans.get(source)
        source = None if vlan is None or vlan.ip.primary is None else vlan.ip.primary.ip
    netns = call.device.mgmt_netns
    await call.session.emit(f"traceroute to {target} ,\n"
                            f"{'':10}{minttl} hop min, {maxttl} hops max, {timeout} sec. "
                            f"timeout, {probes} probes")
    for ttl in range(minttl, maxttl + 1):
        answers: list[routing.HopAnswer | None] = []
        for sequence in range(probes):
            answers.append(None if netns is None else await routing.probe(
                netns, target, ttl, timeout, ttl * probes + sequence,
                source if isinstance(source, ipaddress.IPv4Address) else None))
        await call.session.emit(_hop_line(ttl, answers))
        if any(a is not None and a.final for a in answers):
            break
    return None


HELP: Final = {
    "show": SHOW_HELP,
    "ip": "Configure IP parameters.",
    "routing": "Enable/disable IP routing on the switch.",
    "route": "Add/delete static route entries.",
    "dest": "Destination network address.",
    "mask": "Destination network mask.",
    "prefix": "Destination network address and mask length.",
    "gateway": "IPv4 address of the next-hop gateway.",
    "vlan": "Route to a VLAN interface.",
    "blackhole": "Silently discard the packets of this destination.",
    "reject": "Discard the packets of this destination and send an ICMP unreachable.",
    "distance": "The administrative distance of the route; the default is 1.",
    "connected": "Show directly connected routes.",
    "static": "Show static routes.",
    "ospf": "Show OSPF routes.",
    "traceroute": "Send traceroute to a device on the network.",
    "minttl": "Minimum number of hops for the traceroute; the default is 1.",
    "maxttl": "Maximum number of hops for the traceroute; the default is 30.",
    "timeout": "Seconds to wait for a response; the default is 5.",
    "probes": "Number of probes for each hop; the default is 3.",
    "source": "The source IPv4 address or VLAN.",
}

_DISTANCE: Final = {"distance": IntRange(*DISTANCE_RANGE)}
_ROUTE_ROWS: Final = tuple(
    Command(f"ip route {dest} {hop} [distance <distance>]", add_route, where=Where.CONFIG,
            level=Level.MANAGER, params={**dest_params, **hop_params, **_DISTANCE},
            negate=remove_route)
    for dest, dest_params in (("<dest> <mask>", {"dest": IpAddress(), "mask": IpAddress()}),
                              ("<prefix>", {"prefix": IpInterface()}))
    for hop, hop_params in (("<gateway>", {"gateway": IpAddress()}),
                            ("vlan <vlan-id>", {"vlan-id": VLAN_ID}),
                            ("{discard: blackhole|reject}", {}))
)

ROWS: Final = (
    Command("ip routing", set_routing, where=Where.CONFIG, level=Level.MANAGER,
            negate=set_routing),
    *_ROUTE_ROWS,
    Command("ip route <dest> <mask>", None, where=Where.CONFIG, level=Level.MANAGER,
            params={"dest": IpAddress(), "mask": IpAddress()}, negate=remove_route),
    Command("ip route <prefix>", None, where=Where.CONFIG, level=Level.MANAGER,
            params={"prefix": IpInterface()}, negate=remove_route),
    Command("show ip route [{kind: connected|static|ospf}]", show_routes),
    Command("traceroute <ip-addr> [minttl <minttl>] [maxttl <maxttl>] [timeout <timeout>] "
            "[probes <probes>] [source <source>]", traceroute,
            params={"ip-addr": IpAddress(), "minttl": IntRange(1, 255),
                    "maxttl": IntRange(1, 255), "timeout": IntRange(1, 120),
                    "probes": IntRange(1, 5),
                    "source": Either((IpAddress(), VLAN_ID), "IP_ADDR|VLAN-ID")}),
)
