"""LACP (IEEE 802.3ad, now 802.1AX) on the switch's ports: the LACPDUs and the per-port state
machines that decide which links of a trunk carry traffic.

Pure and I/O-free: the fabric process hands in received LACPDUs, carrier changes and the time
(`receive`, `link`, `tick`), sends what `tick` returns, and asks `distributing` which members a
trunk may use. The unit tests drive the clock and check the frames against scapy's LACP layer.

What the 8212zl does, and what is kept of the standard's machines (802.1AX-2008 5.4):
- Receive machine: a partner's LACPDU is recorded with a deadline of three of its periodic
  intervals (3 s with a short timeout, 90 s with a long one); past it the partner is expired and
  forgotten (defaulted), as the standard's CURRENT -> EXPIRED -> DEFAULTED path does.
- Selection: the ports of one trunk aggregate with each other when their partners agree on one
  system and key (the first member that hears a partner decides which); a member whose partner
  differs stays out (not aggregated), as a link to a second switch would. Ports with dynamic
  LACP (`lacp active|passive`, no trunk) that hear one partner system and key form a dynamic
  trunk, `DynN`, N the lowest trunk number no static trunk uses (the manual: "DynX where X is
  automatically assigned ... depending on how many dynamic and static trunks are currently on
  the switch").
- Mux with coupled control: a selected port is in sync; it collects and distributes once its
  partner says it is in sync too.
- Periodic transmission: every second while the partner asks for a short timeout, every 30 s
  otherwise; a passive port speaks only to an active partner; any change of what we say is
  sent at once (need-to-transmit), at most three LACPDUs a second.
- Actor values: system priority 32768 and the base MAC; the port number is the port's ifIndex;
  the key is the trunk's ifIndex for `trunk ... lacp` and one shared key for dynamic ports; the
  actor asks for the short timeout (the K.15 peers' listings show `Fast`), so a partner that
  falls silent is dropped within 3 s.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from typing import Final

from emulator.hardware import DYNAMIC_PREFIX, MAX_TRUNKS, format_mac, if_index

MULTICAST: Final = bytes.fromhex("0180c2000002")
"""The Slow Protocols group address: a bridge never forwards it."""
ETHERTYPE: Final = 0x8809
SUBTYPE: Final = 1
VERSION: Final = 1
TLV_ACTOR: Final = 1
TLV_PARTNER: Final = 2
TLV_COLLECTOR: Final = 3
INFO_LENGTH: Final = 20
COLLECTOR_LENGTH: Final = 16
PDU_LENGTH: Final = 110
"""An LACPDU's payload after the EtherType, terminator and reserved octets included."""

# Actor/partner state bits (802.1AX 5.4.2.2, item m).
ACTIVITY: Final = 0x01
TIMEOUT: Final = 0x02
"""Set: short timeout (the sender wants a LACPDU every second)."""
AGGREGATION: Final = 0x04
SYNCHRONIZATION: Final = 0x08
COLLECTING: Final = 0x10
DISTRIBUTING: Final = 0x20
DEFAULTED: Final = 0x40
EXPIRED: Final = 0x80

SYSTEM_PRIORITY: Final = 32768
PORT_PRIORITY: Final = 0
"""The K.15 listings (`show lacp peer`) show port priority 0."""
DYNAMIC_KEY: Final = 300
"""The operational key of ports with dynamic LACP (the manual's `show lacp` shows 300 on such a
port); chosen, as a trunk's key (its ifIndex) is."""
FAST_PERIOD: Final = 1.0
SLOW_PERIOD: Final = 30.0
TIMEOUT_FACTOR: Final = 3
TX_LIMIT: Final = 3
"""LACPDUs a port may send in one second (802.1AX 5.4.16)."""
MAX_COLLECTOR_DELAY: Final = 0


@dataclass(frozen=True)
class Info:
    """What one end of a link says about itself in a LACPDU (actor or partner fields)."""

    system_priority: int
    system: bytes
    key: int
    port_priority: int
    port: int
    state: int

    def pack(self) -> bytes:
        return struct.pack("!H6sHHHB3x", self.system_priority, self.system, self.key,
                           self.port_priority, self.port, self.state)

    @classmethod
    def unpack(cls, raw: bytes) -> Info:
        return cls(*struct.unpack("!H6sHHHB3x", raw))

    def same_link(self, other: Info) -> bool:
        """The same system, key and port: everything but the state."""
        return (self.system_priority, self.system, self.key, self.port_priority,
                self.port) == (other.system_priority, other.system, other.key,
                               other.port_priority, other.port)


NO_PARTNER: Final = Info(0, bytes(6), 0, 0, 0, 0)


@dataclass(frozen=True)
class Lacpdu:
    actor: Info
    partner: Info


def encode(source: bytes, pdu: Lacpdu) -> bytes:
    """The whole frame, source MAC `source` (the port's own)."""
    body = (bytes((SUBTYPE, VERSION, TLV_ACTOR, INFO_LENGTH)) + pdu.actor.pack()
            + bytes((TLV_PARTNER, INFO_LENGTH)) + pdu.partner.pack()
            + bytes((TLV_COLLECTOR, COLLECTOR_LENGTH)) + struct.pack("!H", MAX_COLLECTOR_DELAY)
            + bytes(12))
    body += bytes(PDU_LENGTH - len(body))  # terminator TLV (type 0, length 0) and reserved
    return MULTICAST + source + struct.pack("!H", ETHERTYPE) + body


def decode(frame: bytes) -> Lacpdu | None:
    """An untagged LACPDU, or None for anything else (another slow protocol, a runt, a
    malformed TLV)."""
    if len(frame) < 14 + 4 + 2 * (INFO_LENGTH + 2) - 2 or frame[12:14] != b"\x88\x09":
        return None
    body = frame[14:]
    if body[0] != SUBTYPE or body[2] != TLV_ACTOR or body[3] != INFO_LENGTH:
        return None
    partner_at = 4 + INFO_LENGTH - 2
    if body[partner_at] != TLV_PARTNER or body[partner_at + 1] != INFO_LENGTH:
        return None
    return Lacpdu(Info.unpack(body[4:partner_at]),
                  Info.unpack(body[partner_at + 2:partner_at + INFO_LENGTH]))


@dataclass
class Counters:
    """`show lacp counters`: LACPDUs each way, and the ones that did not parse."""

    lacpdus_sent: int = 0
    lacpdus_received: int = 0
    errors: int = 0


@dataclass
class LacpPort:
    """One port's LACP: its settings, what it last heard, and what it does about it."""

    name: str
    number: int
    active: bool
    key: int
    trunk: str | None
    """The `trunk ... lacp` group, or None for dynamic LACP."""
    dynamic: str | None = None
    """The dynamic trunk (`Dyn1`) a dynamic port is aggregated in now."""
    link_up: bool = False
    partner: Info | None = None
    partner_deadline: float = 0.0
    selected: bool = False
    state: int = 0
    """Our actor state bits, as last sent."""
    next_periodic: float = 0.0
    need_to_transmit: bool = False
    sent_at: list[float] = field(default_factory=list)
    counters: Counters = field(default_factory=Counters)

    @property
    def distributing(self) -> bool:
        return bool(self.state & DISTRIBUTING)


@dataclass(frozen=True)
class LacpStatus:
    """One LACP port as the show commands print it (sent from the fabric to the module)."""

    port: str
    trunk: str
    """Its trunk, or the port itself for dynamic LACP (`show lacp`'s Trunk Group)."""
    active: bool
    link_up: bool
    partner: bool
    distributing: bool
    key: int
    partner_system: str
    partner_port: int
    partner_priority: int
    partner_key: int
    partner_active: bool
    partner_fast: bool
    lacpdus_sent: int
    lacpdus_received: int
    errors: int
    actor_state: int = 0
    partner_state: int = 0
    """The LACPDU state octets (ACTIVITY ... EXPIRED), ours and the partner's, for
    IEEE8023-LAG-MIB."""
    partner_system_priority: int = 0


class Lacp:
    """Every LACP port of one switch. See the module docstring."""

    def __init__(self, system: bytes) -> None:
        self.system = system
        self.ports: dict[str, LacpPort] = {}
        self.reserved: frozenset[int] = frozenset()
        """Trunk numbers the static trunks take: dynamic trunks are numbered around them."""
        self.dynamic: dict[str, tuple[str, ...]] = {}
        """`Dyn1` -> its ports, in port order."""

    def configure(self, ports: dict[str, tuple[bool, int, str | None]],
                  reserved: frozenset[int] = frozenset()) -> None:
        """The ports that speak LACP: name -> (active, ifIndex, trunk or None). A port that
        keeps its settings keeps its partner; the others start afresh."""
        self.reserved = reserved
        kept = {}
        for name, (active, number, trunk) in ports.items():
            key = DYNAMIC_KEY if trunk is None else if_index(trunk)
            old = self.ports.get(name)
            if old is not None and (old.active, old.key, old.trunk) == (active, key, trunk):
                kept[name] = old
            else:
                kept[name] = LacpPort(name, number, active, key, trunk,
                                      link_up=old.link_up if old else False)
        self.ports = kept
        self._select()

    def clear(self) -> None:
        """The interface modules' reset: nothing speaks LACP until the next program."""
        self.ports.clear()
        self.dynamic = {}

    def link(self, name: str, up: bool, now: float) -> None:
        """Carrier came or went: a port without link has no partner."""
        port = self.ports.get(name)
        if port is None or port.link_up == up:
            return
        port.link_up = up
        port.partner = None
        port.next_periodic = now
        port.need_to_transmit = up
        self._select()

    def receive(self, name: str, frame: bytes, now: float) -> None:
        port = self.ports.get(name)
        if port is None or not port.link_up:
            return
        pdu = decode(frame)
        if pdu is None:
            port.counters.errors += 1
            return
        port.counters.lacpdus_received += 1
        short = pdu.actor.state & TIMEOUT
        port.partner_deadline = now + TIMEOUT_FACTOR * (FAST_PERIOD if short else SLOW_PERIOD)
        changed = port.partner is None or not port.partner.same_link(pdu.actor)
        port.partner = pdu.actor
        # The partner's view of us is out of date: tell it at once.
        if not pdu.partner.same_link(self._actor(port)) or pdu.partner.state != port.state:
            port.need_to_transmit = True
        if changed:
            self._select()
        else:
            self._mux()

    def tick(self, now: float) -> list[tuple[str, bytes]]:
        """Expire silent partners, then the LACPDUs due now: (port, frame) pairs."""
        expired = False
        for port in self.ports.values():
            if port.partner is not None and now >= port.partner_deadline:
                port.partner = None
                expired = True
        if expired:
            self._select()
        out = []
        for port in self.ports.values():
            if not port.link_up:
                continue
            partner_active = port.partner is not None and port.partner.state & ACTIVITY
            if not (port.active or partner_active):
                continue
            periodic = now >= port.next_periodic
            if not (periodic or port.need_to_transmit):
                continue
            port.sent_at = [t for t in port.sent_at if now - t < 1.0]
            if len(port.sent_at) >= TX_LIMIT:
                continue
            port.sent_at.append(now)
            port.need_to_transmit = False
            fast = port.partner is None or port.partner.state & TIMEOUT
            port.next_periodic = now + (FAST_PERIOD if fast else SLOW_PERIOD)
            port.counters.lacpdus_sent += 1
            out.append((port.name, self._pdu(port)))
        return out

    def pdu(self, name: str) -> Lacpdu:
        """What the port would say now (for the tests and the show commands)."""
        return self._lacpdu(self.ports[name])

    def _pdu(self, port: LacpPort) -> bytes:
        return encode(self.system, self._lacpdu(port))

    def _lacpdu(self, port: LacpPort) -> Lacpdu:
        partner = port.partner or NO_PARTNER
        return Lacpdu(self._actor(port), partner)

    def _actor(self, port: LacpPort) -> Info:
        return Info(SYSTEM_PRIORITY, self.system, port.key, PORT_PRIORITY, port.number,
                    port.state)

    def report(self) -> list[LacpStatus]:
        rows = []
        for port in self.ports.values():
            partner = port.partner or NO_PARTNER
            rows.append(LacpStatus(
                port=port.name, trunk=port.trunk or port.dynamic or port.name,
                active=port.active,
                link_up=port.link_up, partner=port.partner is not None,
                distributing=port.distributing, key=port.key,
                partner_system=format_mac(partner.system), partner_port=partner.port,
                partner_priority=partner.port_priority, partner_key=partner.key,
                partner_active=bool(partner.state & ACTIVITY),
                partner_fast=bool(partner.state & TIMEOUT),
                lacpdus_sent=port.counters.lacpdus_sent,
                lacpdus_received=port.counters.lacpdus_received,
                errors=port.counters.errors, actor_state=port.state,
                partner_state=partner.state, partner_system_priority=partner.system_priority))
        return rows

    def distributing(self, name: str) -> bool:
        port = self.ports.get(name)
        return port is not None and port.distributing

    def _select(self) -> None:
        """Which ports aggregate: per trunk, those whose partner is the first member's
        partner system and key."""
        chosen: dict[str, tuple[int, bytes, int]] = {}
        dynamic: dict[tuple[int, bytes, int], list[str]] = {}
        for port in sorted(self.ports.values(), key=lambda p: p.number):
            partner = port.partner
            port.dynamic = None
            if partner is None or not partner.state & AGGREGATION:
                port.selected = False
                continue
            wanted = (partner.system_priority, partner.system, partner.key)
            if port.trunk is None:
                port.selected = True
                dynamic.setdefault(wanted, []).append(port.name)
                continue
            port.selected = chosen.setdefault(port.trunk, wanted) == wanted
        numbers = (n for n in range(1, MAX_TRUNKS + 1) if n not in self.reserved)
        self.dynamic = {}
        for members, number in zip(dynamic.values(), numbers, strict=False):
            name = f"{DYNAMIC_PREFIX}{number}"
            self.dynamic[name] = tuple(members)
            for member in members:
                self.ports[member].dynamic = name
        self._mux()

    def _mux(self) -> None:
        for port in self.ports.values():
            state = (ACTIVITY if port.active else 0) | TIMEOUT | AGGREGATION
            if port.partner is None:
                state |= DEFAULTED
            if port.selected:
                state |= SYNCHRONIZATION
                if port.partner is not None and port.partner.state & SYNCHRONIZATION:
                    state |= COLLECTING | DISTRIBUTING
            if state != port.state:
                port.state = state
                port.need_to_transmit = port.link_up
