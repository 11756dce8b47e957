"""Spanning tree as K.15 runs it: MSTP (802.1s) by default, RSTP (802.1w) inside it, 802.1D
STP toward legacy neighbours. A pure state machine: no socket, no clock, no task. The fabric
process feeds it BPDUs (`receive`), carrier changes (`link`) and the time (`tick`, at
`deadline()`), and it answers through `Hooks`: frames to send, port states to enforce in the
bridge, address flushes, ports to disable, events to log. Tests drive it the same way, with
their own clock.

Why it lives in the fabric and not on the management module: it must keep running while the
modules switch over (nonstop switching), and it sees every BPDU on raw bytes where the bridge
classifies them. It knows ports only by name and number, so a trunk (TrkN) is one more port.

What it computes. The CIST as 802.1w does: priority vectors (root, root path cost, designated
bridge, designated port), port roles (root, designated, alternate, backup, disabled), fast
transitions by proposal/agreement on point-to-point links, edge ports (admin and auto: a
designated port that hears no BPDU for three seconds), topology change (tcWhile, TC flags,
flushing every other port's addresses), protocol migration (a port that hears 802.1D config or
TCN BPDUs speaks 802.1D on that port: forward-delay timers and TCNs). BPDUs are MST BPDUs
(version 3, with the region's configuration identifier) in mstp-operation, RST BPDUs in
rstp-operation and config BPDUs in stp-compatible. The switch is its own MST region as long as
its config name is its own (the K.15 default: the base MAC); each region looks to the others like
one bridge, so the CIST across regions is exactly RSTP's tree, and every MSTI's port state at a
region boundary is the CIST's, which is what `state()` reports for each instance.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import struct
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Final, NamedTuple, Protocol

MULTICAST: Final = bytes.fromhex("0180c2000000")
"""The bridge group address BPDUs go to (never forwarded by a bridge)."""
LLC: Final = b"\x42\x42\x03"
MIN_FRAME: Final = 60
"""Shorter BPDUs (a TCN, a config BPDU) are padded to Ethernet's minimum, FCS aside."""

HELLO: Final = 2
MAX_AGE: Final = 20
FORWARD_DELAY: Final = 15
MAX_HOPS: Final = 20
MIGRATE_TIME: Final = 3.0
"""802.1w's Migrate Time: how long a port keeps its BPDU version after a change, and how long
an auto-edge port listens for BPDUs before it calls itself an edge."""
PRIORITY_STEP: Final = 4096
PORT_PRIORITY_STEP: Final = 16
DEFAULT_PRIORITY: Final = 32768
DEFAULT_PORT_PRIORITY: Final = 128
MST_KEY: Final = bytes.fromhex("13AC06A62E47FD51F95D2BA243CD0346")
"""802.1s 13.7: the HMAC-MD5 key of the configuration digest."""
MAX_VID: Final = 4094

_CONFIG: Final = 0x00
_TCN: Final = 0x80
_RST: Final = 0x02
_TC: Final = 0x01
_PROPOSAL: Final = 0x02
_ROLE_SHIFT: Final = 2
_LEARNING: Final = 0x10
_FORWARDING: Final = 0x20
_AGREEMENT: Final = 0x40
_TCA: Final = 0x80
_MST_LENGTH: Final = 102
"""An MST BPDU's length without MSTI records (802.1Q 14.6); a shorter one is read as RST."""
_ROLE_BITS: Final = {"Alternate": 1, "Backup": 1, "Root": 2, "Designated": 3}
"""The BPDU's port role field (alternate and backup share 1)."""


class Version(StrEnum):
    """`spanning-tree force-version`."""

    STP = "stp-compatible"
    RSTP = "rstp-operation"
    MSTP = "mstp-operation"


class Role(StrEnum):
    """Port roles as `show spanning-tree` prints them."""

    ROOT = "Root"
    DESIGNATED = "Designated"
    ALTERNATE = "Alternate"
    BACKUP = "Backup"
    DISABLED = "Disabled"


class State(StrEnum):
    """What the bridge does with a port's frames (802.1w's three states)."""

    DISCARDING = "discarding"
    LEARNING = "learning"
    FORWARDING = "forwarding"


class Vector(NamedTuple):
    """An 802.1s CIST priority vector; smaller is better, compared field by field. Outside a
    region (an RST or STP BPDU) the regional root is the designated bridge and the internal
    cost 0, so the comparison is 802.1w's."""

    root: bytes
    cost: int
    """The external root path cost: between regions (every bridge is one outside MSTP)."""
    regional: bytes
    internal: int
    """The internal root path cost: from the regional root, inside the region."""
    bridge: bytes
    port: int


NO_VECTOR: Final = Vector(b"", 0, b"", 0, b"", 0)
"""A TCN's (it carries none), and the root before the first election."""


@dataclass(frozen=True)
class PortSettings:
    """One port's `spanning-tree PORT ...` settings, with its effective path cost."""

    path_cost: int = 20000
    priority: int = DEFAULT_PORT_PRIORITY
    admin_edge: bool = False
    auto_edge: bool = True
    bpdu_protection: bool = False
    root_guard: bool = False
    tcn_guard: bool = False
    bpdu_filter: bool = False


@dataclass(frozen=True)
class Settings:
    """The bridge's spanning-tree configuration, as the active module programs it."""

    enabled: bool = False
    version: Version = Version.MSTP
    priority: int = DEFAULT_PRIORITY
    config_name: str = ""
    """The region's name (the module sends the base MAC when the config names none)."""
    config_revision: int = 0
    instances: Mapping[int, tuple[int, ...]] = field(default_factory=dict)
    """MSTI -> its VLANs; the others are the IST's."""
    ports: Mapping[str, PortSettings] = field(default_factory=dict)
    hello: int = HELLO
    max_age: int = MAX_AGE
    forward_delay: int = FORWARD_DELAY
    max_hops: int = MAX_HOPS


class Hooks(Protocol):
    """What the engine does to the world (the fabric implements it; tests record it)."""

    def send(self, port: str, frame: bytes) -> None: ...
    def set_state(self, port: str, state: State) -> None: ...
    def flush(self, port: str) -> None: ...
    def protect(self, port: str) -> None: ...
    def log(self, message: str) -> None: ...


def config_digest(instances: Mapping[int, Iterable[int]]) -> bytes:
    """The MST configuration digest of a VID -> MSTI table (802.1s 13.7)."""
    table = [0] * (MAX_VID + 2)
    for msti, vids in instances.items():
        for vid in vids:
            table[vid] = msti
    return hmac.new(MST_KEY, struct.pack(f"!{len(table)}H", *table), hashlib.md5).digest()


def bridge_id(priority: int, mac: bytes) -> bytes:
    return struct.pack("!H", priority) + mac


@dataclass
class Bpdu:
    """A decoded BPDU (the CIST part of an MST BPDU)."""

    kind: int
    version: int = 0
    flags: int = 0
    vector: Vector = NO_VECTOR
    message_age: float = 0.0
    max_age: float = MAX_AGE
    hello: float = HELLO
    forward_delay: float = FORWARD_DELAY
    region: bytes = b""
    """An MST BPDU's configuration identifier (format, name, revision, digest)."""
    hops: int = MAX_HOPS
    """An MST BPDU's remaining hops: how far inside the region its news may still travel."""

    @property
    def role(self) -> int:
        return self.flags >> _ROLE_SHIFT & 3


def decode(frame: bytes) -> Bpdu | None:
    """The BPDU in an 802.3/LLC frame, or None for anything malformed."""
    if len(frame) < 21 or frame[12] >= 0x06 or frame[14:17] != LLC:
        return None
    body = frame[17:17 + ((frame[12] << 8 | frame[13]) - 3)]
    if len(body) < 4 or body[:2] != b"\x00\x00":
        return None
    version, kind = body[2], body[3]
    if kind == _TCN:
        return Bpdu(_TCN, version)
    if kind not in (_CONFIG, _RST) or len(body) < 35 or (kind == _RST and len(body) < 36):
        return None
    flags = body[4]
    root, cost, regional, port, age, max_age, hello, delay = struct.unpack_from(
        "!8sI8sHHHHH", body, 5)
    region, internal, bridge, hops = b"", 0, regional, MAX_HOPS
    if kind == _RST and version >= 3 and len(body) >= _MST_LENGTH:
        region = body[38:89]
        internal, bridge, hops = struct.unpack_from("!I8sB", body, 89)
    if kind == _CONFIG:
        flags &= _TC | _TCA
    return Bpdu(kind, version, flags, Vector(root, cost, regional, internal, bridge, port),
                age / 256, max_age / 256, hello / 256, delay / 256, region, hops)


def encode(src: bytes, bpdu: Bpdu) -> bytes:
    """An 802.3/LLC frame carrying `bpdu`. Its bridge field is the regional root (a region
    is one bridge to the world outside it); an MST BPDU's version 3 part carries the
    designated bridge itself, with the internal cost and the remaining hops."""
    if bpdu.kind == _TCN:
        body = b"\x00\x00\x00" + bytes([_TCN])
    else:
        v = bpdu.vector
        body = struct.pack("!HBBB8sI8sHHHHH", 0, bpdu.version, bpdu.kind, bpdu.flags, v.root,
                           v.cost, v.regional, v.port, round(bpdu.message_age * 256),
                           round(bpdu.max_age * 256), round(bpdu.hello * 256),
                           round(bpdu.forward_delay * 256))
        if bpdu.kind == _RST:
            body += b"\x00"
        if bpdu.version >= 3:
            tail = bpdu.region + struct.pack("!I8sB", v.internal, v.bridge, bpdu.hops)
            body += struct.pack("!H", len(tail)) + tail
    length = len(body) + len(LLC)
    return (MULTICAST + src + struct.pack("!H", length) + LLC + body).ljust(MIN_FRAME, b"\0")


@dataclass
class PortInfo:
    """One port's spanning-tree state."""

    name: str
    number: int
    settings: PortSettings = PortSettings()
    up: bool = False
    role: Role = Role.DISABLED
    state: State = State.DISCARDING
    info: Vector | None = None
    """The best priority vector heard on the port (from its designated bridge)."""
    info_age: float = 0.0
    info_hops: int = MAX_HOPS
    info_expires: float = 0.0
    internal: bool = False
    """The port hears MST BPDUs of our own region (we run MSTP): inside the region, costs
    add to the internal root path cost; otherwise it is a boundary port."""
    designated: Vector | None = None
    """What the port sends while designated (our designated priority vector)."""
    rstp: bool = True
    migrate_until: float = 0.0
    oper_edge: bool = False
    edge_at: float | None = None
    proposing: bool = False
    agreed: bool = False
    agree: bool = False
    """Send one agreement (a root or alternate port answering a proposal)."""
    fd_at: float | None = None
    """When the forward-delay timer moves a designated port on (discarding -> learning ->
    forwarding) while no agreement comes."""
    tc_until: float = 0.0
    tc_ack: bool = False
    tcn_pending: bool = False
    hello_at: float = 0.0
    root_inconsistent: bool = False
    forward_transitions: int = 0
    bpdus_sent: int = 0
    bpdus_received: int = 0

    @property
    def port_id(self) -> int:
        return self.settings.priority << 8 | (self.number & 0xFFF)


class SpanningTree:
    """The switch's spanning tree. See the module docstring."""

    def __init__(self, mac: bytes, ports: Mapping[str, int], hooks: Hooks) -> None:
        self.mac = mac
        self.hooks = hooks
        self.settings = Settings()
        self.ports = {name: PortInfo(name, number) for name, number in ports.items()}
        self.root = NO_VECTOR
        self.root_port: str | None = None
        self.root_age = 0.0
        self.root_times = (float(MAX_AGE), float(HELLO), float(FORWARD_DELAY))
        self.tc_count = 0
        self.tc_at: float | None = None
        self.region = b""

    # -- inputs -------------------------------------------------------------------------

    @property
    def bridge(self) -> bytes:
        return bridge_id(self.settings.priority, self.mac)

    def configure(self, settings: Settings, now: float) -> None:
        """A new program. Turning spanning tree off sets every port forwarding (a switch
        without it bridges everything); a change of what the switch is rebuilds the tree."""
        was = self.settings
        self.settings = settings
        self.region = (b"\x00" + settings.config_name.encode()[:32].ljust(32, b"\x00")
                       + struct.pack("!H", settings.config_revision)
                       + config_digest(settings.instances))
        for port in self.ports.values():
            port.settings = settings.ports.get(port.name, PortSettings())
        if not settings.enabled:
            for port in self.ports.values():
                self._set_state(port, State.FORWARDING if port.up else State.DISCARDING, now)
                port.role = Role.DISABLED
            return
        restart = (not was.enabled or was.version != settings.version
                   or was.priority != settings.priority)
        for port in self.ports.values():
            if restart and port.up:
                self._port_up(port, now)
        self._update(now)
        self._send_due(now)

    def add_port(self, port: str, number: int) -> None:
        """A logical port (a trunk, TrkN) joins the tree, down until `link` says otherwise;
        its settings come with the next `configure`."""
        if port in self.ports:
            raise ValueError(f"port {port!r} exists")
        self.ports[port] = PortInfo(port, number, self.settings.ports.get(port, PortSettings()))

    def remove_port(self, port: str, now: float) -> None:
        """A logical port goes (a trunk dissolved): down first, so the tree reconverges."""
        self.link(port, False, now)
        del self.ports[port]
        if self.settings.enabled:  # off, every port just forwards while it is up
            self._update(now)

    def link(self, port: str, up: bool, now: float) -> None:
        p = self.ports.get(port)
        if p is None or p.up == up:
            return
        p.up = up
        if not self.settings.enabled:
            self._set_state(p, State.FORWARDING if up else State.DISCARDING, now)
            return
        if up:
            self._port_up(p, now)
        else:
            p.info = None
            p.role = Role.DISABLED
            self._set_state(p, State.DISCARDING, now)
        self._update(now)
        self._send_due(now)

    def receive(self, port: str, frame: bytes, now: float) -> None:
        """A frame to the bridge group address arrived on `port`."""
        p = self.ports.get(port)
        if p is None or not p.up or not self.settings.enabled or p.settings.bpdu_filter:
            return
        if p.settings.bpdu_protection:
            p.up = False
            p.info = None
            p.role = Role.DISABLED
            self._set_state(p, State.DISCARDING, now)
            self.hooks.protect(port)
            self.hooks.log(f"port {port} disabled - BPDU received on protected port.")
            self._update(now)
            return
        bpdu = decode(frame)
        if bpdu is None:
            return
        p.bpdus_received += 1
        p.internal = (self.settings.version == Version.MSTP and bpdu.version >= 3
                      and bpdu.region == self.region)
        p.oper_edge = False
        p.edge_at = None
        legacy = bpdu.kind == _TCN or bpdu.kind == _CONFIG
        if legacy and p.rstp and now >= p.migrate_until:
            p.rstp, p.migrate_until = False, now + MIGRATE_TIME
        elif (not legacy and not p.rstp and self.settings.version != Version.STP
              and now >= p.migrate_until):
            p.rstp, p.migrate_until = True, now + MIGRATE_TIME
        if bpdu.kind == _TCN:
            if p.role == Role.DESIGNATED:
                p.tc_ack = True
                self._topology_change(p, now, received=True)
                self._transmit(p, now)
            return
        v = bpdu.vector
        designated = bpdu.kind == _CONFIG or bpdu.role == _ROLE_BITS["Designated"]
        if designated and v.bridge == self.bridge and v.port == p.port_id:
            return  # our own BPDU, looped straight back
        if bpdu.message_age >= bpdu.max_age or (p.internal and bpdu.hops == 0):
            return
        same_sender = p.info is not None and (p.info.bridge, p.info.port) == (v.bridge, v.port)
        better = p.designated is None or v < p.designated
        if designated and (better or same_sender):
            p.info = v
            p.info_age = bpdu.message_age
            p.info_hops = bpdu.hops
            wait = bpdu.hello * 3 if p.rstp else bpdu.max_age - bpdu.message_age
            p.info_expires = now + wait
            if p.name == self.root_port or better:
                self.root_times = (bpdu.max_age, bpdu.hello, bpdu.forward_delay)
        flags = bpdu.flags
        if flags & _TCA:
            p.tcn_pending = False
        self._update(now)
        if flags & _TC and not p.settings.tcn_guard and p.role in (Role.ROOT, Role.DESIGNATED):
            self._topology_change(p, now, received=True)
        if (flags & _AGREEMENT and p.role == Role.DESIGNATED and not designated
                and v.root == self.root.root
                and (not p.internal or v.regional == self.root.regional)):
            p.agreed = True
            p.proposing = False
            self._update(now)
        if flags & _PROPOSAL and bpdu.role == _ROLE_BITS["Designated"]:
            if p.role == Role.ROOT:
                self._sync(now)
                p.agree = True
                self._transmit(p, now)
            elif p.role in (Role.ALTERNATE, Role.BACKUP):
                p.agree = True
                self._transmit(p, now)
        self._send_due(now)

    def tick(self, now: float) -> None:
        """Run every timer that is due."""
        if not self.settings.enabled:
            return
        changed = False
        for p in self.ports.values():
            if not p.up:
                continue
            if p.info is not None and now >= p.info_expires:
                p.info = None
                changed = True
            if p.edge_at is not None and now >= p.edge_at:
                p.edge_at = None
                p.oper_edge = True
                changed = True
        if changed:
            self._update(now)
        for p in self.ports.values():
            if not p.up:
                continue
            if p.fd_at is not None and now >= p.fd_at:
                p.fd_at = None
                if p.state == State.DISCARDING:
                    self._set_state(p, State.LEARNING, now)
                    p.fd_at = now + self._forward_delay()
                elif p.state == State.LEARNING:
                    self._set_state(p, State.FORWARDING, now)
        self._send_due(now)

    def deadline(self) -> float | None:
        """When `tick` next has something to do (None: nothing, spanning tree is off)."""
        if not self.settings.enabled:
            return None
        times = []
        for p in self.ports.values():
            if not p.up:
                continue
            times.append(p.hello_at)
            if p.info is not None:
                times.append(p.info_expires)
            if p.edge_at is not None:
                times.append(p.edge_at)
            if p.fd_at is not None:
                times.append(p.fd_at)
        return min(times, default=None)

    # -- outputs ------------------------------------------------------------------------

    def state(self, port: str, instance: int = 0) -> State:
        """The port's state in an instance (at a region boundary every MSTI follows the CIST)."""
        return self.ports[port].state

    def snapshot(self, now: float) -> dict[str, Any]:
        """What `show spanning-tree` and the MIB print, as JSON (the fabric's answer to a
        query): the bridge, the root, the topology changes and every port with link."""
        me = self.bridge
        root = self.root if self.root_port is not None else Vector(me, 0, me, 0, me, 0)
        ports = {}
        for p in self.ports.values():
            designated = p.info if p.role in (Role.ROOT, Role.ALTERNATE, Role.BACKUP) else (
                p.designated)
            ports[p.name] = {
                "role": str(p.role), "state": str(p.state), "up": p.up,
                "cost": p.settings.path_cost, "priority": p.settings.priority,
                "designated_bridge": "" if designated is None else designated.bridge.hex(),
                "designated_cost": 0 if designated is None else designated.cost,
                "designated_port": 0 if designated is None else designated.port,
                "edge": p.oper_edge, "rstp": p.rstp, "root_inconsistent": p.root_inconsistent,
                "boundary": not p.internal,
                "forward_transitions": p.forward_transitions,
                "bpdus_sent": p.bpdus_sent, "bpdus_received": p.bpdus_received,
            }
        return {
            "enabled": self.settings.enabled, "bridge": self.bridge.hex(),
            "root": root.root.hex(), "root_cost": root.cost, "root_port": self.root_port,
            "regional_root": root.regional.hex(), "internal_cost": root.internal,
            "hops": self._hops(),
            "tc_count": self.tc_count,
            "tc_age": None if self.tc_at is None else now - self.tc_at,
            "max_age": self.root_times[0], "hello": self.root_times[1],
            "forward_delay": self.root_times[2], "ports": ports,
        }

    # -- the machine --------------------------------------------------------------------

    def _forward_delay(self) -> float:
        return self.root_times[2] if self.root_port else self.settings.forward_delay

    def _port_up(self, p: PortInfo, now: float) -> None:
        p.info = None
        p.internal = False
        p.designated = None
        p.rstp = self.settings.version != Version.STP
        p.migrate_until = now + MIGRATE_TIME
        p.oper_edge = p.settings.admin_edge
        p.edge_at = now + MIGRATE_TIME if p.settings.auto_edge and not p.oper_edge else None
        p.agreed = p.proposing = p.agree = False
        p.fd_at = None
        p.hello_at = now
        p.role = Role.DISABLED
        self._set_state(p, State.DISCARDING, now)

    def _update(self, now: float) -> None:
        """Port role selection (802.1w 17.21.25 over 802.1s 13.10's CIST vectors) and the
        transitions it starts. Through a boundary port the path cost adds to the external
        cost and this bridge becomes its region's root; through an internal port it adds to
        the internal cost under the regional root the neighbour names."""
        me = self.bridge
        best = Vector(me, 0, me, 0, me, 0)
        best_port: str | None = None
        best_key = (best, 0)
        for p in self.ports.values():
            p.root_inconsistent = False
            if not p.up or p.info is None or p.info.bridge == me:
                continue
            i, cost = p.info, p.settings.path_cost
            candidate = (Vector(i.root, i.cost, i.regional, i.internal + cost, i.bridge, i.port)
                         if p.internal else Vector(i.root, i.cost + cost, me, 0, i.bridge,
                                                   i.port))
            if (candidate, p.port_id) < best_key:
                if p.settings.root_guard:
                    p.root_inconsistent = True
                    continue
                best_key, best, best_port = (candidate, p.port_id), candidate, p.name
        rerooted = best_port != self.root_port or best[:3] != self.root[:3]
        self.root, self.root_port = best, best_port
        if best_port is None:
            self.root_times = (float(self.settings.max_age), float(self.settings.hello),
                               float(self.settings.forward_delay))
            self.root_age = 0.0
        else:
            self.root_age = self.ports[best_port].info_age
        for p in self.ports.values():
            if not p.up:
                continue
            designated = self._designated(p)
            if p.designated is not None and designated > p.designated:
                p.agreed = False  # worse news than the neighbour agreed to
            p.designated = designated
            if p.name == best_port:
                role = Role.ROOT
            elif p.root_inconsistent or (p.info is not None and p.info < designated):
                role = Role.BACKUP if p.info is not None and p.info.bridge == me else (
                    Role.ALTERNATE)
            else:
                role = Role.DESIGNATED
            self._assume(p, role, now)
        if rerooted:
            self._sync(now)

    def _assume(self, p: PortInfo, role: Role, now: float) -> None:
        old = p.role
        p.role = role
        if role in (Role.ALTERNATE, Role.BACKUP):
            p.proposing = False
            p.fd_at = None
            self._set_state(p, State.DISCARDING, now)
        elif role == Role.ROOT:
            p.proposing = False
            if p.rstp:
                p.fd_at = None
                self._set_state(p, State.FORWARDING, now)
            elif p.state != State.FORWARDING and p.fd_at is None:
                p.fd_at = now + self._forward_delay()
        elif role == Role.DESIGNATED:
            if p.oper_edge or (p.agreed and p.rstp):
                p.fd_at = None
                p.proposing = False
                self._set_state(p, State.FORWARDING, now)
            elif p.state != State.FORWARDING:
                if p.fd_at is None:
                    p.fd_at = now + self._forward_delay()
                if p.rstp and not p.proposing:
                    p.proposing = True
                    p.hello_at = now
        if old != role:
            p.hello_at = now

    def _sync(self, now: float) -> None:
        """A new root port, or a proposal on it: every designated port that the neighbour
        has not agreed to goes discarding and proposes, so no loop forms while the news
        travels down the tree."""
        for p in self.ports.values():
            if p.up and p.role == Role.DESIGNATED and not p.oper_edge and not p.agreed:
                if p.state != State.DISCARDING:
                    self._set_state(p, State.DISCARDING, now)
                p.fd_at = now + self._forward_delay()
                if p.rstp:
                    p.proposing = True
                p.hello_at = now

    def _set_state(self, p: PortInfo, state: State, now: float) -> None:
        if p.state == state:
            return
        p.state = state
        self.hooks.set_state(p.name, state)
        if state == State.FORWARDING:
            p.forward_transitions += 1
            if self.settings.enabled and not p.oper_edge:
                self._topology_change(p, now, received=False)
        elif state == State.DISCARDING:
            self.hooks.flush(p.name)

    def _topology_change(self, origin: PortInfo, now: float, *, received: bool) -> None:
        """802.1w TC: every other non-edge root/designated port flushes what it learned and
        tells its neighbour (TC flags for tcWhile; a TCN toward a legacy root)."""
        fresh = False
        for p in self.ports.values():
            if not p.up or p.oper_edge or p.role not in (Role.ROOT, Role.DESIGNATED):
                continue
            if (p is origin and received) or now < p.tc_until:
                continue  # a TC already running is not restarted, nor re-sent
            fresh = True
            if p is not origin:
                self.hooks.flush(p.name)
            p.tc_until = now + (self.settings.hello * 2 if p.rstp
                                else self.root_times[0] + self.root_times[2])
            if p.role == Role.ROOT and not p.rstp:
                p.tcn_pending = True
            p.hello_at = now
        if fresh:
            self.tc_count += 1
            self.tc_at = now

    def _transmit(self, p: PortInfo, now: float) -> None:
        """This port's BPDU, if it has one to say; the next one a hello later."""
        p.hello_at = now + self.settings.hello
        if not p.up or p.settings.bpdu_filter or p.role == Role.DISABLED:
            return
        tc = now < p.tc_until
        if not p.rstp:
            if p.role == Role.DESIGNATED:
                flags = (_TC if tc else 0) | (_TCA if p.tc_ack else 0)
                p.tc_ack = False
                self._send(p, Bpdu(_CONFIG, 0, flags, self._designated(p),
                                   self._message_age(), *self.root_times))
            elif p.role == Role.ROOT and p.tcn_pending:
                self._send(p, Bpdu(_TCN))
            return
        if p.role != Role.DESIGNATED and not p.agree and not (tc and p.role == Role.ROOT):
            return
        role = _ROLE_BITS[str(p.role)]
        flags = role << _ROLE_SHIFT | (_TC if tc else 0)
        if p.state != State.DISCARDING:
            flags |= _LEARNING
        if p.state == State.FORWARDING:
            flags |= _FORWARDING
        if p.proposing and p.role == Role.DESIGNATED:
            flags |= _PROPOSAL
        if p.agree:
            flags |= _AGREEMENT
            p.agree = False
        vector = self._designated(p) if p.role == Role.DESIGNATED else (p.info or self.root)
        if p.role == Role.ROOT and p.info is not None:
            vector = self._designated(p)
        version = 3 if self.settings.version == Version.MSTP else 2
        self._send(p, Bpdu(_RST, version, flags, vector, self._message_age(), *self.root_times,
                           region=self.region, hops=self._hops()))

    def _send_due(self, now: float) -> None:
        """Every BPDU that is due: a hello's, or news (a new role, a proposal, a TC) that
        set the port's hello timer to now."""
        for p in self.ports.values():
            if p.up and now >= p.hello_at:
                self._transmit(p, now)

    def _designated(self, p: PortInfo) -> Vector:
        r = self.root
        return Vector(r.root, r.cost, r.regional, r.internal, self.bridge, p.port_id)

    def _internal_root(self) -> PortInfo | None:
        """The root port when it leads inside the region (None: we are the regional root)."""
        p = self.ports[self.root_port] if self.root_port is not None else None
        return p if p is not None and p.internal else None

    def _message_age(self) -> float:
        """Message age grows by a hop between regions only; inside one, hops count down."""
        return self.root_age + (1 if self.root_port and not self._internal_root() else 0)

    def _hops(self) -> int:
        inner = self._internal_root()
        return self.settings.max_hops if inner is None else max(inner.info_hops - 1, 0)

    def _send(self, p: PortInfo, bpdu: Bpdu) -> None:
        p.bpdus_sent += 1
        self.hooks.send(p.name, encode(self.mac, bpdu))


def settings_to_wire(settings: Settings) -> dict[str, Any]:
    """Settings as JSON, for the active module's FabricProgram."""
    return {
        "enabled": settings.enabled, "version": str(settings.version),
        "priority": settings.priority, "config_name": settings.config_name,
        "config_revision": settings.config_revision,
        "instances": {str(k): list(v) for k, v in settings.instances.items()},
        "ports": {name: dataclasses.asdict(port) for name, port in settings.ports.items()},
    }


def settings_from_wire(data: dict[str, Any]) -> Settings:
    """The fabric's reading of `settings_to_wire`; the wire has checked only that it is a
    dict, so a field of the wrong type raises (TypeError, ValueError) and the program is
    refused as a whole."""
    return Settings(
        enabled=bool(data["enabled"]), version=Version(data["version"]),
        priority=int(data["priority"]), config_name=str(data["config_name"]),
        config_revision=int(data["config_revision"]),
        instances={int(k): tuple(int(v) for v in vids)
                   for k, vids in dict(data["instances"]).items()},
        ports={str(name): PortSettings(**port) for name, port in dict(data["ports"]).items()},
    )
