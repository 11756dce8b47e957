"""LLDP (802.1AB) on the ports: the switch's own adverts and the table of its neighbours.

The LLDPDU is a handful of type-length-value fields, built and read here with `struct` rather
than scapy: scapy costs ~34 MiB of memory per importing process (measured: RSS 20 -> 54 MiB),
a third of a chassis' budget, for frames that come every 30 s. The unit tests check both
directions against scapy's LLDP layers.

It runs in the fabric, beside the ports it speaks on: the active management module hands over
what the switch advertises (name, management address) with each program, and reads the
neighbours with the rest of the fabric's live tables. A module reset clears the table, as the
interface modules' reset on a real switchover does.

What an 8212zl puts in its adverts (K.15, verified against LLDP-MIB walks of ProCurve switches:
lldpLocPortId is the port's ifIndex as text): chassis ID = base MAC, port ID = the port's ifIndex
(subtype local), port description = the port name, TTL = 4 x the interval, system name =
hostname, system description = sysDescr, capabilities bridge and router supported, bridge
enabled, and the management address when a VLAN has one.
"""

from __future__ import annotations

import ipaddress
import struct
from dataclasses import dataclass
from typing import Any, Final

from emulator.hardware import format_mac

MULTICAST: Final = bytes.fromhex("0180c200000e")
"""Nearest-bridge group address: never forwarded by a bridge, so adverts go one hop."""
ETHERTYPE: Final = 0x88CC
HOLD_MULTIPLIER: Final = 4
TLV_END: Final = 0
TLV_CHASSIS_ID: Final = 1
TLV_PORT_ID: Final = 2
TLV_TTL: Final = 3
TLV_PORT_DESCR: Final = 4
TLV_SYSTEM_NAME: Final = 5
TLV_SYSTEM_DESCR: Final = 6
TLV_CAPABILITIES: Final = 7
TLV_MANAGEMENT_ADDRESS: Final = 8
CHASSIS_MAC: Final = 4
CHASSIS_LOCAL: Final = 7
PORT_MAC: Final = 3
PORT_LOCAL: Final = 7
CHASSIS_SUBTYPES: Final = {1: "chassis-component", 2: "interface-alias", 3: "port-component",
                           CHASSIS_MAC: "mac-address", 5: "network-address",
                           6: "interface-name", CHASSIS_LOCAL: "local"}
PORT_SUBTYPES: Final = {1: "interface-alias", 2: "port-component", PORT_MAC: "mac-address",
                        4: "network-address", 5: "interface-name", 6: "agent-circuit-id",
                        PORT_LOCAL: "local"}
"""802.1AB ID subtypes as `show lldp info remote-device PORT` names them (ChassisType,
PortType); LLDP-MIB serves the numbers."""
CAPABILITY_BITS: Final = {"other": 0, "repeater": 1, "bridge": 2, "wlan-access-point": 3,
                          "router": 4, "telephone": 5, "docsis-cable-device": 6,
                          "station-only": 7}
"""802.1AB system capability -> its bit number (the TLV's bit mask, LLDP-MIB's BITS), named
as the switch prints them (`bridge, wlan-access-point, router`)."""
TLV_ORGANIZATION: Final = 127
IEEE_8021: Final = b"\x00\x80\xc2"
PORT_VLAN_ID: Final = 1
"""The IEEE 802.1 organizationally specific TLV that carries the port's PVID."""
CAPABILITIES_SUPPORTED: Final = ("bridge", "router")
CAPABILITIES_ENABLED: Final = ("bridge",)
"""IP routing is not offered yet, so the switch only bridges."""
ADDRESS_IPV4: Final = 1
IF_NUMBERING_IFINDEX: Final = 2
MAX_TEXT: Final = 255
MAX_PER_PORT: Final = 32
MAX_NEIGHBORS: Final = 256
"""Table limits (ours, not a datasheet's): beyond them new neighbours are not learned, so a
flood of adverts cannot grow the table, or the fabric's report to the module, without bound."""
_TAG: Final = b"\x81\x00"


@dataclass(frozen=True)
class Advert:
    """What a neighbour said about itself on one port (MAC ids formatted `001871-c30000`)."""

    chassis_id: str
    port_id: str
    ttl: int
    port_descr: str = ""
    sys_name: str = ""
    sys_descr: str = ""
    management_address: str = ""
    capabilities_supported: tuple[str, ...] = ()
    capabilities_enabled: tuple[str, ...] = ()
    pvid: int | None = None
    chassis_subtype: int = CHASSIS_MAC
    port_subtype: int = PORT_LOCAL


@dataclass(frozen=True)
class LocalSystem:
    """What this switch advertises; the active module sends it with every program."""

    chassis_mac: bytes
    sys_name: str
    sys_descr: str
    management_address: str | None = None


def capability_mask(names: tuple[str, ...]) -> int:
    """The System Capabilities TLV's 16-bit mask."""
    return sum(1 << CAPABILITY_BITS[name] for name in names)


def capability_octets(names: tuple[str, ...]) -> bytes:
    """The same capabilities as LLDP-MIB's BITS: bit 0 is the first octet's high bit."""
    return bytes([sum(0x80 >> CAPABILITY_BITS[name] for name in names)])


def _tlv(kind: int, value: bytes) -> bytes:
    return struct.pack("!H", kind << 9 | len(value)) + value


def _octets(value: str) -> bytes:
    return value.encode(errors="replace")[:MAX_TEXT]


def capability_names(mask: int) -> tuple[str, ...]:
    """A System Capabilities TLV's mask as names, in bit order (the switch's order)."""
    return tuple(name for name, bit in CAPABILITY_BITS.items() if mask >> bit & 1)


SENDS: Final = frozenset({"tx_rx", "txonly"})
LEARNS: Final = frozenset({"tx_rx", "rxonly"})
"""`lldp admin-status` modes that send adverts, and those that learn from them."""
DEFAULT_MODE: Final = "tx_rx"


def encode(local: LocalSystem, port_id: str, port_descr: str, ttl: int,
           pvid: int | None = None) -> bytes:
    """One LLDPDU in an untagged Ethernet frame from the chassis MAC; the port's PVID, when it
    has one, in the IEEE 802.1 Port VLAN ID TLV."""
    caps = struct.pack("!HH", capability_mask(CAPABILITIES_SUPPORTED),
                       capability_mask(CAPABILITIES_ENABLED))
    body = [
        _tlv(TLV_CHASSIS_ID, bytes([CHASSIS_MAC]) + local.chassis_mac),
        _tlv(TLV_PORT_ID, bytes([PORT_LOCAL]) + _octets(port_id)),
        _tlv(TLV_TTL, struct.pack("!H", ttl)),
        _tlv(TLV_PORT_DESCR, _octets(port_descr)),
        _tlv(TLV_SYSTEM_NAME, _octets(local.sys_name)),
        _tlv(TLV_SYSTEM_DESCR, _octets(local.sys_descr)),
        _tlv(TLV_CAPABILITIES, caps),
    ]
    if pvid is not None:
        body.append(_tlv(TLV_ORGANIZATION, IEEE_8021 + bytes([PORT_VLAN_ID])
                         + struct.pack("!H", pvid)))
    if local.management_address:
        address = ipaddress.IPv4Address(local.management_address).packed
        body.append(_tlv(TLV_MANAGEMENT_ADDRESS,
                         bytes([1 + len(address), ADDRESS_IPV4]) + address
                         + bytes([IF_NUMBERING_IFINDEX]) + struct.pack("!I", 0) + b"\x00"))
    body.append(_tlv(TLV_END, b""))
    return MULTICAST + local.chassis_mac + struct.pack("!H", ETHERTYPE) + b"".join(body)


def _text(value: bytes) -> str:
    """A neighbour's text as the CLI may print it: at most 255 characters, and no control
    characters (a CR/LF or an escape sequence in a system name would paint a fake prompt)."""
    text = value[:MAX_TEXT].decode(errors="replace")
    return "".join(c if c.isprintable() else "?" for c in text)


def _id(subtype: int, value: bytes, mac_subtype: int) -> str:
    if subtype == mac_subtype and len(value) == 6:
        return format_mac(value)
    return _text(value)


def _management_address(value: bytes) -> str:
    if len(value) >= 6 and value[0] == 5 and value[1] == ADDRESS_IPV4:
        return str(ipaddress.IPv4Address(value[2:6]))
    return ""


def decode(frame: bytes) -> Advert | None:
    """The advert in an LLDP frame (tagged or not), or None for anything malformed: the
    mandatory chassis ID, port ID and TTL first and in that order, every TLV within the frame."""
    offset = 16 if frame[12:14] == _TAG else 12
    if frame[offset:offset + 2] != struct.pack("!H", ETHERTYPE):
        return None
    offset += 2
    fields: dict[int, bytes] = {}
    order: list[int] = []
    while offset + 2 <= len(frame):
        (header,) = struct.unpack_from("!H", frame, offset)
        kind, length = header >> 9, header & 0x1FF
        offset += 2
        value = frame[offset:offset + length]
        if len(value) != length:
            return None
        offset += length
        if kind == TLV_END:
            break
        order.append(kind)
        if kind == TLV_ORGANIZATION:
            kind = _org_kind(value)
        fields.setdefault(kind, value)
    if order[:3] != [TLV_CHASSIS_ID, TLV_PORT_ID, TLV_TTL]:
        return None
    chassis, port, ttl = fields[TLV_CHASSIS_ID], fields[TLV_PORT_ID], fields[TLV_TTL]
    if len(chassis) < 2 or len(port) < 2 or len(ttl) != 2:
        return None
    caps = fields.get(TLV_CAPABILITIES, b"")
    supported, enabled = struct.unpack("!HH", caps) if len(caps) == 4 else (0, 0)
    pvid_tlv = fields.get(_PVID_KIND, b"")
    pvid = struct.unpack_from("!H", pvid_tlv, 4)[0] if len(pvid_tlv) == 6 else None
    return Advert(
        chassis_id=_id(chassis[0], chassis[1:], CHASSIS_MAC),
        port_id=_id(port[0], port[1:], PORT_MAC),
        ttl=struct.unpack("!H", ttl)[0],
        port_descr=_text(fields.get(TLV_PORT_DESCR, b"")),
        sys_name=_text(fields.get(TLV_SYSTEM_NAME, b"")),
        sys_descr=_text(fields.get(TLV_SYSTEM_DESCR, b"")),
        management_address=_management_address(fields.get(TLV_MANAGEMENT_ADDRESS, b"")),
        capabilities_supported=capability_names(supported),
        capabilities_enabled=capability_names(enabled),
        pvid=pvid or None,  # 0: the port has none
        chassis_subtype=chassis[0],
        port_subtype=port[0],
    )


_PVID_KIND: Final = -PORT_VLAN_ID
"""Where decode() files the Port VLAN ID TLV among the standard TLVs (a key no type has)."""


def _org_kind(value: bytes) -> int:
    """An organizationally specific TLV's key in decode()'s table: the 802.1 PVID TLV is
    kept, any other is left out (key TLV_ORGANIZATION, never read)."""
    return _PVID_KIND if value[:4] == IEEE_8021 + bytes([PORT_VLAN_ID]) else TLV_ORGANIZATION


SENT, RECEIVED, DISCARDED = range(3)
"""The columns of Neighbors.frames."""


class Neighbors:
    """The remote-device table: one entry per (port, chassis ID, port ID), until its TTL runs
    out, a TTL 0 advert (the neighbour's LLDP shutting down) arrives, or the port goes down.
    It counts what `show lldp stats` prints: entries added, deleted, dropped and aged out, and
    each port's frames sent, received and discarded (undecodable)."""

    def __init__(self) -> None:
        self.entries: dict[tuple[str, str, str], tuple[Advert, float]] = {}
        self.dropped = 0
        """Adverts of new neighbours not learned for want of room (lldpStatsRemTablesDrops)."""
        self.inserts = self.deletes = self.ageouts = 0
        self.changed_at: float | None = None
        """When an entry was last added or removed (monotonic seconds)."""
        self.frames: dict[str, list[int]] = {}
        """Port -> [frames sent, received, discarded]."""

    def counted(self, port: str, column: int) -> None:
        """One more frame SENT, RECEIVED or DISCARDED on the port."""
        self.frames.setdefault(port, [0, 0, 0])[column] += 1

    def _changed(self, when: float) -> None:
        self.changed_at = when if self.changed_at is None else max(self.changed_at, when)

    def learn(self, port: str, advert: Advert, now: float) -> None:
        key = (port, advert.chassis_id, advert.port_id)
        if advert.ttl == 0:
            if self.entries.pop(key, None) is not None:
                self.deletes += 1
                self._changed(now)
            return
        if key not in self.entries:
            self.rows(now)  # room made by the expired first
            on_port = sum(1 for known in self.entries if known[0] == port)
            if on_port >= MAX_PER_PORT or len(self.entries) >= MAX_NEIGHBORS:
                self.dropped += 1
                return
            self.inserts += 1
            self._changed(now)
        self.entries[key] = (advert, now + advert.ttl)

    def forget_port(self, port: str, now: float) -> None:
        gone = [key for key in self.entries if key[0] == port]
        for key in gone:
            del self.entries[key]
        if gone:
            self.deletes += len(gone)
            self._changed(now)

    def clear(self) -> None:
        """A module reset: the table and its statistics start again."""
        self.entries.clear()
        self.frames.clear()
        self.dropped = self.inserts = self.deletes = self.ageouts = 0
        self.changed_at = None

    def rows(self, now: float) -> list[tuple[str, Advert]]:
        """Live entries as (local port, advert), in the order they were first learned."""
        expired = {key: expires for key, (_, expires) in self.entries.items() if expires <= now}
        for key in expired:
            del self.entries[key]
        if expired:  # the table changed when they expired, not when they were noticed
            self.ageouts += len(expired)
            self._changed(max(expired.values()))
        return [(key[0], advert) for key, (advert, _) in self.entries.items()]

    def stats(self, now: float) -> dict[str, Any]:
        """What FabricState carries to the module for `show lldp stats`."""
        self.rows(now)
        return {"inserts": self.inserts, "deletes": self.deletes, "drops": self.dropped,
                "ageouts": self.ageouts, "frames": self.frames,
                "updated_ago": None if self.changed_at is None else now - self.changed_at}
