"""IP routing: the switch's route table, the kernel routes that carry it out, and traceroute.

The switch routes with the kernel of its in-band namespace (emulator/inband.py), where its
VLAN interfaces live: `ip routing` turns on forwarding there and the static routes of the
config become kernel routes (`kernel_routes`), which the fabric installs with the VLAN
addresses (emulator/fabric/inband.py), so they are back as soon as a new active module has
programmed the fabric after a switchover. OSPF's routes are the engine's to install
(emulator/ospf.py).

`show ip route` and the route tables in SNMP read `route_table`: the table the switch builds
from its connected networks, its static routes and what OSPF learnt, keeping for each
destination the routes of the lowest administrative distance, as the manual describes it.
Static routes stay in the table while their next hop is on a connected network.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import socket
import struct
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from emulator import inband

if TYPE_CHECKING:
    from emulator.config.model import StaticRoute, SwitchConfig

DEFAULT_TTL: Final = 64
"""The TTL of the switch's own packets (`show ip`, ipDefaultTTL)."""
CONNECTED: Final = "connected"
STATIC: Final = "static"
OSPF: Final = "ospf"
ROUTE_TYPES: Final = (CONNECTED, STATIC, OSPF)
CONNECTED_METRIC: Final = 1
STATIC_METRIC: Final = 1
GATEWAY_METRIC: Final = 250
"""The default gateway, shown as a static default route while routing is off (a real
K.15 `show ip route` with routing disabled shows it so: metric 250, distance 1)."""
LOOPBACK_ROWS: Final = (
    ("127.0.0.0/8", "reject", STATIC, 0, 0),
    ("127.0.0.1/32", "", CONNECTED, 1, 0),
)
"""The switch's own loopback entries, in every real table."""
NO_NEXT_HOP: Final = ipaddress.IPv4Address(0)
KERNEL_GATEWAY_METRIC: Final = 250
"""The kernel metric of the default gateway's route: any static default route wins over it."""


@dataclass(frozen=True)
class RouteEntry:
    """One row of the route table: `gateway` as the screen shows it (an address, a VLAN
    name, reject or blackhole), `next_hop` the address SNMP shows (0.0.0.0 for a
    connected or discard route), `vid` the VLAN it leaves by (None for none)."""

    destination: ipaddress.IPv4Network
    gateway: str
    vid: int | None
    kind: str
    subtype: str = ""
    metric: int = 1
    distance: int = 0
    next_hop: ipaddress.IPv4Address = NO_NEXT_HOP


def _vlan_holding(cfg: SwitchConfig, address: ipaddress.IPv4Address) -> int | None:
    return next((vid for vid, vlan in sorted(cfg.vlans.items())
                 if any(address in held.network for held in vlan.ip.addresses)), None)


def _static_entry(cfg: SwitchConfig, route: StaticRoute) -> RouteEntry | None:
    """None while the next hop is not reachable (its network is not connected)."""
    if route.discard is not None:
        return RouteEntry(route.destination, route.discard, None, STATIC, "",
                          STATIC_METRIC, route.distance)
    if route.vlan is not None:
        vlan = cfg.vlans.get(route.vlan)
        if vlan is None or not vlan.ip.addresses:
            return None
        return RouteEntry(route.destination, vlan.name, route.vlan, STATIC, "", STATIC_METRIC,
                          route.distance)
    assert route.gateway is not None
    vid = _vlan_holding(cfg, route.gateway)
    if vid is None:
        return None
    return RouteEntry(route.destination, str(route.gateway), vid, STATIC, "", STATIC_METRIC,
                      route.distance, route.gateway)


def route_table(cfg: SwitchConfig, learnt: Iterable[RouteEntry] = ()) -> list[RouteEntry]:
    """The route table: for each destination the candidates of the lowest distance, by
    destination address and prefix length, loopback entries among them."""
    candidates = [RouteEntry(address.network, vlan.name, vid, CONNECTED, "", CONNECTED_METRIC, 0)
                  for vid, vlan in sorted(cfg.vlans.items()) for address in vlan.ip.addresses]
    candidates += [entry for route in cfg.static_routes
                   if (entry := _static_entry(cfg, route)) is not None]
    gateway = cfg.default_gateway
    if not cfg.ip_routing and gateway is not None and (vid := _vlan_holding(cfg, gateway)):
        candidates.append(RouteEntry(ipaddress.IPv4Network("0.0.0.0/0"), str(gateway), vid,
                                     STATIC, "", GATEWAY_METRIC, 1, gateway))
    candidates += learnt
    candidates += [RouteEntry(ipaddress.IPv4Network(dest), gateway_text, None, kind, "",
                              metric, distance)
                   for dest, gateway_text, kind, metric, distance in LOOPBACK_ROWS]
    best: dict[ipaddress.IPv4Network, list[RouteEntry]] = {}
    for entry in candidates:
        kept = best.setdefault(entry.destination, [])
        if kept and entry.distance > kept[0].distance:
            continue
        if kept and entry.distance < kept[0].distance:
            kept.clear()
        if entry not in kept:
            kept.append(entry)
    return [entry for destination in sorted(best, key=lambda n: (int(n.network_address),
                                                                  n.prefixlen))
            for entry in best[destination]]


def kernel_routes(cfg: SwitchConfig) -> list[str]:
    """The routes the stack's kernel holds besides its connected ones, as `ip route`
    arguments: the static routes (kernel metric = distance, so a lower distance wins) and,
    while routing is off, the default gateway."""
    routes = []
    for route in cfg.static_routes:
        tail = f"metric {route.distance} proto static"
        if route.discard is not None:
            kind = "blackhole" if route.discard == "blackhole" else "unreachable"
            routes.append(f"{kind} {route.destination} {tail}")
        elif route.vlan is not None:
            routes.append(f"{route.destination} dev {inband.interface_name(route.vlan)} {tail}")
        else:
            routes.append(f"{route.destination} via {route.gateway} {tail}")
    if not cfg.ip_routing and cfg.default_gateway is not None:
        routes.append(f"default via {cfg.default_gateway} metric {KERNEL_GATEWAY_METRIC} "
                      "proto static")
    return routes


# --- traceroute ---

IP_RECVERR: Final = 11
SO_EE_ORIGIN_ICMP: Final = 2
ICMP_UNREACHABLE: Final = 3
ICMP_PORT_UNREACHABLE: Final = 3
BASE_PORT: Final = 33434
_EXTENDED_ERR: Final = struct.Struct("=IBBBBII")
"""struct sock_extended_err, then the offender's sockaddr_in."""


@dataclass(frozen=True)
class HopAnswer:
    """Who answered one probe, after how many ms, and whether it is the target itself
    (port unreachable) or another unreachable that ends the trace."""

    address: ipaddress.IPv4Address
    rtt_ms: float
    final: bool


def _probe_socket(netns: str | None, ttl: int,
                  source: ipaddress.IPv4Address | None) -> socket.socket:
    with inband.entered(netns) if netns is not None else contextlib.nullcontext():
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.IPPROTO_IP, IP_RECVERR, 1)
    sock.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, ttl)
    if source is not None:
        sock.bind((str(source), 0))
    sock.setblocking(False)
    return sock


def _answer(sock: socket.socket, started: float) -> HopAnswer | None:
    """The ICMP error a probe drew (from the socket's error queue), or the target's own
    reply to it."""
    now = time.monotonic()
    with contextlib.suppress(BlockingIOError):
        _, ancillary, _, _ = sock.recvmsg(512, 512, socket.MSG_ERRQUEUE)
        for level, kind, data in ancillary:
            if level != socket.IPPROTO_IP or kind != IP_RECVERR:
                continue
            _, origin, icmp_type, _, _, _, _ = _EXTENDED_ERR.unpack_from(data)
            if origin != SO_EE_ORIGIN_ICMP:
                continue
            offender = ipaddress.IPv4Address(data[_EXTENDED_ERR.size + 4:
                                                  _EXTENDED_ERR.size + 8])
            return HopAnswer(offender, (now - started) * 1000, icmp_type == ICMP_UNREACHABLE)
    with contextlib.suppress(BlockingIOError):
        _, peer = sock.recvfrom(512)
        return HopAnswer(ipaddress.IPv4Address(peer[0]), (now - started) * 1000, True)
    return None


async def probe(netns: str | None, target: ipaddress.IPv4Address, ttl: int, timeout: float,
                sequence: int, source: ipaddress.IPv4Address | None = None
                ) -> HopAnswer | None:
    """One UDP probe with this TTL from the switch's stack; None after `timeout` seconds.
    IP_RECVERR hands the ICMP time-exceeded or unreachable it draws to this socket, so no
    raw socket is needed."""
    loop = asyncio.get_running_loop()
    sock = _probe_socket(netns, ttl, source)
    answered: asyncio.Future[HopAnswer] = loop.create_future()
    started = time.monotonic()

    def readable() -> None:
        found = _answer(sock, started)
        if found is not None and not answered.done():
            answered.set_result(found)

    try:
        loop.add_reader(sock.fileno(), readable)
        try:
            sock.sendto(bytes(32), (str(target), BASE_PORT + sequence))
        except OSError:  # no route: nothing will come back
            await asyncio.sleep(timeout)
            return None
        try:
            return await asyncio.wait_for(answered, timeout)
        except TimeoutError:
            return None
    finally:
        loop.remove_reader(sock.fileno())
        sock.close()
