"""Access lists on the wire: the filters the bridge runs where an ACL applies, and their hit
counts. Pure: no I/O, no config model (the fabric process must not import it); the active
module sends each list as `AclEntry` rows (emulator/ipc/messages.py) and where it applies.

Where the filtering lives, and why there: the in-band namespace's VLAN interfaces are ports of
the bridge (fabric/inband.py), so every routed packet crosses the bridge twice, into the
switch's stack on its ingress VLAN (to the switch's MAC) and out of it on its egress VLAN
(from the switch's port of that VLAN). Filtering at the bridge's ingress therefore sees
bridged and routed traffic alike, as the switch's ACL hardware does:

- a port ACL (`interface P ip access-group NAME in`): every IPv4 frame entering P;
- a VACL (`vlan N ip access-group NAME vlan`): every IPv4 frame entering the switch on VLAN N
  from a port (bridged, routed, or for the switch itself);
- an inbound RACL (`vlan N ... in`): IPv4 frames entering on VLAN N for the switch's MAC,
  i.e. routed or addressed to the switch;
- an outbound RACL (`vlan N ... out`): IPv4 frames the switch's stack sends into VLAN N,
  except those from its own addresses (the switch's own traffic is not filtered): the routed
  ones.

Each bridge port gets one check function, composed ahead of the frames when the program
changes (`Plan.check_for`), or None where no ACL can apply: an unfiltered port pays one
attribute test per frame. Non-IPv4 frames (ARP, IPv6) pass: these are IPv4 ACLs. An entry
matches on protocol, addresses under their wildcard masks, TCP/UDP ports (first fragments
only), TCP's `established` (ACK or RST set) and the ICMP type; the first match decides, and
no match is the implicit deny. A frame denied by several lists counts a hit in the first one
that denied it; each list counts the entries that matched.
"""

from __future__ import annotations

import ipaddress
import struct
import time
from collections.abc import Callable, Iterable
from typing import Final

from emulator.ipc.messages import AclDenied, AclEntry

Check = Callable[[int, bytes], bool]
"""(VLAN, frame) -> True when the frame is denied."""

IPV4: Final = 0x0800
TCP: Final = 6
UDP: Final = 17
ICMP: Final = 1
TCP_ACK_RST: Final = 0x14
ANY_PROTOCOL: Final = -1
_IP_HEADER: Final = struct.Struct("!B5xHxB2xII")
"""Version/IHL, flags and fragment offset, protocol, source, destination."""
_PORTS: Final = struct.Struct("!HH")
LOG_WINDOW: Final = 300.0
"""Seconds after a logged deny in which further ones of the same entry are only counted (the
manual's "approximately five minutes")."""
MAX_LOGGED: Final = 256
"""Logged denies a list keeps between two reads of the fabric."""
PROTOCOL_NAMES: Final = {1: "icmp", 2: "igmp", 6: "tcp", 17: "udp"}

Packet = tuple[int, int, int, int, int, bool, int]
"""(protocol, source, destination, source port, destination port, established, ICMP type);
ports and type -1 where the packet has none (not TCP/UDP/ICMP, or a later fragment)."""


def ipv4(frame: bytes) -> Packet | None:
    """The frame's IPv4 fields that entries match, None for anything else (or a header cut
    short). One struct unpack each for the header and the ports: a frame costs what its
    list's scan costs, not its parsing."""
    offset = 18 if frame[12] == 0x81 and frame[13] == 0x00 else 14
    if len(frame) < offset + 20 or (frame[offset - 2] << 8 | frame[offset - 1]) != IPV4:
        return None
    version_ihl, fragment, protocol, source, destination = _IP_HEADER.unpack_from(frame, offset)
    if version_ihl >> 4 != 4 or (version_ihl & 0x0F) < 5:
        return None
    sport = dport = icmp_type = -1
    established = False
    if not fragment & 0x1FFF:
        l4 = offset + (version_ihl & 0x0F) * 4
        if protocol in (TCP, UDP) and len(frame) >= l4 + 4:
            sport, dport = _PORTS.unpack_from(frame, l4)
            established = protocol == TCP and len(frame) > l4 + 13 and bool(
                frame[l4 + 13] & TCP_ACK_RST)
        elif protocol == ICMP and len(frame) > l4:
            icmp_type = frame[l4]
    return protocol, source, destination, sport, dport, established, icmp_type


_Ports = tuple[int, int, bool] | None
_Compiled = tuple[bool, int, int, int, int, int, _Ports, _Ports, bool, int]


def _bounds(ports: list[int]) -> _Ports:
    return None if not ports else (ports[0], ports[1], bool(ports[2]))


def _compile(e: AclEntry) -> _Compiled:
    """An entry as one flat tuple, addresses pre-masked, so the scan reads locals instead of
    attributes."""
    smask, dmask = ~e.source_wild & 0xFFFFFFFF, ~e.destination_wild & 0xFFFFFFFF
    return (e.permit, e.protocol, e.source & smask, smask, e.destination & dmask, dmask,
            _bounds(e.source_ports), _bounds(e.destination_ports), e.established, e.icmp_type)


class Rules:
    """One applied list: its entries, in sequence order, a hit count for each, and the state
    of its logged denies."""

    __slots__ = ("compiled", "denied", "entries", "hits", "log_until", "logs", "name",
                 "pending", "seqs", "unlogged")

    def __init__(self, name: str, entries: list[AclEntry]) -> None:
        self.name = name
        self.entries = tuple(sorted(entries, key=lambda e: e.seq))
        self.seqs = [e.seq for e in self.entries]
        self.hits = [0] * len(self.entries)
        self.compiled = tuple(enumerate(_compile(e) for e in self.entries))
        self.logs = [e.log for e in self.entries]
        self.pending = -1
        """The entry of the last logged deny, for the check that saw it to report."""
        self.log_until = [0.0] * len(self.entries)
        self.unlogged = [0] * len(self.entries)
        self.denied: list[AclDenied] = []

    def report(self, packet: Packet, port: str, vid: int, now: float, wall: float) -> None:
        """A `deny ... log` entry matched: its first match in LOG_WINDOW is described, the
        others counted for the window's summary (`drain`), as the switch rate-limits them."""
        index, self.pending = self.pending, -1
        if now < self.log_until[index]:
            self.unlogged[index] += 1
            return
        self.log_until[index] = now + LOG_WINDOW
        protocol, source, destination, sport, dport, _, _ = packet
        name = PROTOCOL_NAMES.get(protocol, str(protocol))
        ends = [str(ipaddress.IPv4Address(a)) + (f"({p})" if p >= 0 else "")
                for a, p in ((source, sport), (destination, dport))]
        if len(self.denied) < MAX_LOGGED:
            self.denied.append(AclDenied(wall, self.name, self.seqs[index],
                                         f"{name} {ends[0]}->{ends[1]} on vlan {vid}, port "
                                         f"{port}"))

    def drain(self, now: float, wall: float) -> list[AclDenied]:
        """The logged denies since the last call, and the counts of windows that ended."""
        for index, count in enumerate(self.unlogged):
            if count and now >= self.log_until[index]:
                self.denied.append(AclDenied(wall, self.name, self.seqs[index], count=count))
                self.unlogged[index] = 0
        denied, self.denied = self.denied, []
        return denied

    def permits(self, packet: Packet) -> bool:
        """The first matching entry's verdict (and one hit for it); none: the implicit deny.
        An entry with port bounds needs the packet's port: a later fragment has none."""
        protocol, source, destination, sport, dport, established, icmp_type = packet
        for index, (permit, proto, src, smask, dst, dmask, sports, dports, needs_established,
                    icmp) in self.compiled:
            if proto != ANY_PROTOCOL and proto != protocol:
                continue
            if source & smask != src or destination & dmask != dst:
                continue
            if sports is not None and (sport < 0 or (sports[0] <= sport <= sports[1])
                                       != sports[2]):
                continue
            if dports is not None and (dport < 0 or (dports[0] <= dport <= dports[1])
                                       != dports[2]):
                continue
            if (needs_established and not established) or (icmp >= 0 and icmp != icmp_type):
                continue
            self.hits[index] += 1
            if not permit and self.logs[index]:
                self.pending = index
            return permit
        return False

    def counts(self) -> list[list[int]]:
        return [[seq, hits] for seq, hits in zip(self.seqs, self.hits, strict=True)]


class Plan:
    """Where lists apply: built by the fabric from each program, asked by the bridge for each
    port's check function (None where nothing applies)."""

    def __init__(self, lists: dict[str, list[AclEntry]], groups: dict[str, str],
                 own_addresses: Iterable[int], own_macs: Iterable[bytes],
                 previous: Plan | None = None) -> None:
        self.rules: dict[str, Rules] = {}
        """Application (`port A1 in`, `vlan 20 out`...) -> its list's rules and hits; a
        list applied unchanged keeps its counts across programs."""
        for where, name in groups.items():
            entries = lists.get(name, [])
            old = None if previous is None else previous.rules.get(where)
            if old is not None and list(old.entries) == sorted(entries, key=lambda e: e.seq):
                self.rules[where] = old
            else:
                self.rules[where] = Rules(name, entries)
        self.own_addresses = frozenset(own_addresses)
        self.own_macs = frozenset(own_macs)

    def hits(self) -> dict[str, list[list[int]]]:
        return {where: rules.counts() for where, rules in self.rules.items()}

    def denied(self) -> list[AclDenied]:
        now, wall = time.monotonic(), time.time()
        return [d for rules in {id(r): r for r in self.rules.values()}.values()
                for d in rules.drain(now, wall)]

    def check_for(self, port: str, own: bool, vids: Iterable[int]) -> Check | None:
        """The check of a bridge port: for the switch's own interface in VLAN N its outbound
        RACL; for a front port its port ACL, then each VLAN's VACL and inbound RACL."""
        if own:
            outbound = {vid: r for vid in vids if (r := self.rules.get(f"vlan {vid} out"))}
            return self._outbound(outbound) if outbound else None
        port_rules = self.rules.get(f"port {port} in")
        vacls = {vid: r for vid in vids if (r := self.rules.get(f"vlan {vid} vlan"))}
        racls = {vid: r for vid in vids if (r := self.rules.get(f"vlan {vid} in"))}
        if port_rules is None and not vacls and not racls:
            return None
        own_macs = self.own_macs

        def denies(rules: Rules, packet: Packet, vid: int) -> bool:
            if rules.permits(packet):
                return False
            if rules.pending >= 0:
                rules.report(packet, port, vid, time.monotonic(), time.time())
            return True

        def check(vid: int, frame: bytes) -> bool:
            packet = ipv4(frame)
            if packet is None:
                return False
            if port_rules is not None and denies(port_rules, packet, vid):
                return True
            vacl = vacls.get(vid)
            if vacl is not None and denies(vacl, packet, vid):
                return True
            racl = racls.get(vid)
            return racl is not None and frame[:6] in own_macs and denies(racl, packet, vid)

        return check

    def _outbound(self, racls: dict[int, Rules]) -> Check:
        own_addresses = self.own_addresses

        def check(vid: int, frame: bytes) -> bool:
            packet = ipv4(frame)
            if packet is None or packet[1] in own_addresses:
                return False
            racl = racls.get(vid)
            if racl is None or racl.permits(packet):
                return False
            if racl.pending >= 0:
                racl.report(packet, f"vlan{vid}", vid, time.monotonic(), time.time())
            return True

        return check
