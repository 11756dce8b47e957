"""Spanning tree as K.15 runs it: MSTP (802.1s) by default, RSTP (802.1w) inside it, 802.1D
STP toward legacy neighbours. A pure state machine: no socket, no clock, no task. The fabric
process feeds it BPDUs (`receive`), carrier changes (`link`) and the time (`tick`, at
`deadline()`), and it answers through `Hooks`: frames to send, port states to enforce in the
bridge, address flushes, ports to disable, events to log. Tests drive it the same way, with
their own clock.

Why it lives in the fabric and not on the management module: it must keep running while the
modules switch over (nonstop switching), and it sees every BPDU on raw bytes where the bridge
classifies them. It knows ports only by name and number, so a trunk (TrkN) is one more port.

What it computes. The CIST as 802.1s does (802.1Q-2005 clause 13): priority vectors (root,
external root path cost, regional root, internal root path cost, designated bridge, designated
port), port roles (root, designated, alternate, backup, disabled), fast
transitions by proposal/agreement on point-to-point links, edge ports (admin and auto: a
designated port that hears no BPDU for three seconds), topology change (tcWhile, TC flags,
flushing every other port's addresses), protocol migration (a port that hears 802.1D config or
TCN BPDUs speaks 802.1D on that port: forward-delay timers and TCNs). BPDUs are MST BPDUs
(version 3, with the region's configuration identifier) in mstp-operation, RST BPDUs in
rstp-operation and config BPDUs in stp-compatible.

Regions. A port that hears MST BPDUs with our MST configuration identifier (name, revision,
VLAN-to-instance digest) while we run mstp-operation is internal; any other is a boundary port.
Inside a region costs add to the internal root path cost under the regional root (the bridge
whose CIST root port is a boundary port, or the CIST root); toward the outside a region is one
bridge, the regional root (it is the bridge field of every BPDU we send), so with no neighbour
in our region (the K.15 default: the config name is the base MAC) the CIST is exactly RSTP's
tree. Each MSTI (`spanning-tree instance N`) runs its own tree inside the region: its own bridge
priority, the 16-octet MSTI configuration messages of the MST BPDU, its own roles, states,
proposal/agreement and topology changes on internal ports. At the boundary every MSTI follows
the CIST (the CIST root port is each MSTI's master port), so a region is loop free toward the
world outside it in every instance.
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
_MASTER: Final = 0x80
"""An MSTI message's flag for a master port (in the CIST flags the bit is TC acknowledge)."""
_ROLE_BITS: Final = {"Master": 0, "Alternate": 1, "Backup": 1, "Root": 2, "Designated": 3}
"""The BPDU's port role field (alternate and backup share 1; 0 is an MSTI's master)."""


class Version(StrEnum):
    """`spanning-tree force-version`."""

    STP = "stp-compatible"
    RSTP = "rstp-operation"
    MSTP = "mstp-operation"


class Role(StrEnum):
    """Port roles as `show spanning-tree` prints them."""

    ROOT = "Root"
    MASTER = "Master"
    """An MSTI's role on the port that is the CIST root port at the region's boundary."""
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
    instance_priority: Mapping[int, int] = field(default_factory=dict)
    """MSTI -> its bridge priority (`spanning-tree instance N priority`), when not 32768."""
    instance_ports: Mapping[int, Mapping[str, tuple[int, int]]] = field(default_factory=dict)
    """MSTI -> port -> its (path cost, port priority) in the instance; a port not listed (a
    trunk) has its CIST ones."""
    ports: Mapping[str, PortSettings] = field(default_factory=dict)
    hello: int = HELLO
    max_age: int = MAX_AGE
    forward_delay: int = FORWARD_DELAY
    max_hops: int = MAX_HOPS


class Hooks(Protocol):
    """What the engine does to the world (the fabric implements it; tests record it)."""

    def send(self, port: str, frame: bytes) -> None: ...
    def set_state(self, port: str, state: State, instance: int) -> None: ...
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
    mstis: tuple[MstiRecord, ...] = ()
    """An MST BPDU's MSTI configuration messages, one per instance."""

    @property
    def role(self) -> int:
        return self.flags >> _ROLE_SHIFT & 3


class MstiRecord(NamedTuple):
    """An MSTI configuration message (802.1Q 14.6.1): 16 octets per instance. The instance's
    designated bridge and port are its bridge and port priorities (4 bits each) over the CIST
    bridge's MAC and the CIST port number the BPDU carries."""

    flags: int
    regional: bytes
    """The MSTI regional root; its system ID extension is the MSTID."""
    internal: int
    bridge_priority: int
    port_priority: int
    hops: int

    @property
    def mstid(self) -> int:
        return int.from_bytes(self.regional[:2], "big") & 0xFFF

    @property
    def role(self) -> int:
        return self.flags >> _ROLE_SHIFT & 3


_MSTI: Final = struct.Struct("!B8sIBBB")
MAX_MSTIS: Final = 64
"""An MST BPDU carries at most 64 MSTI messages (K.15 runs up to 64 instances)."""


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
    records: tuple[MstiRecord, ...] = ()
    v3 = int.from_bytes(body[36:38], "big") if len(body) >= 38 else 0
    count, rest = divmod(v3 - (_MST_LENGTH - 38), _MSTI.size)
    if (kind == _RST and version >= 3 and len(body) >= 38 + v3 and v3 >= _MST_LENGTH - 38
            and not rest and count <= MAX_MSTIS):  # else 802.1Q 14.4: read it as an RST BPDU
        region = body[38:89]
        internal, bridge, hops = struct.unpack_from("!I8sB", body, 89)
        records = tuple(MstiRecord(*_MSTI.unpack_from(body, _MST_LENGTH + i * _MSTI.size))
                        for i in range(count))
    if kind == _CONFIG:
        flags &= _TC | _TCA
    return Bpdu(kind, version, flags, Vector(root, cost, regional, internal, bridge, port),
                age / 256, max_age / 256, hello / 256, delay / 256, region, hops, records)


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
            tail = bpdu.region + struct.pack("!I8sB", v.internal, v.bridge, bpdu.hops) + b"".join(
                _MSTI.pack(*record) for record in bpdu.mstis)
            body += struct.pack("!H", len(tail)) + tail
    length = len(body) + len(LLC)
    return (MULTICAST + src + struct.pack("!H", length) + LLC + body).ljust(MIN_FRAME, b"\0")


@dataclass(kw_only=True)
class TreePort:
    """A port's place in one tree: the CIST's (the port itself) or an MSTI's."""

    role: Role = Role.DISABLED
    state: State = State.DISCARDING
    info: Vector | None = None
    """The best priority vector heard on the port (from its designated bridge); an MSTI's
    has no external part (root and external cost empty)."""
    info_hops: int = MAX_HOPS
    info_expires: float = 0.0
    designated: Vector | None = None
    """What the port sends while designated (our designated priority vector)."""
    proposing: bool = False
    agreed: bool = False
    agree: bool = False
    """Send one agreement (a root or alternate port answering a proposal)."""
    fd_at: float | None = None
    """When the forward-delay timer moves a designated port on (discarding -> learning ->
    forwarding) while no agreement comes."""
    tc_until: float = 0.0
    forward_transitions: int = 0


@dataclass
class PortInfo(TreePort):
    """One port's spanning-tree state: its CIST tree fields, and one `TreePort` per MSTI."""

    name: str
    number: int
    settings: PortSettings = PortSettings()
    up: bool = False
    info_age: float = 0.0
    internal: bool = False
    """The port hears MST BPDUs of our own region (we run MSTP): inside the region, costs
    add to the internal root path cost and the MSTIs run their own trees; otherwise it is a
    boundary port, where every MSTI follows the CIST."""
    rstp: bool = True
    migrate_until: float = 0.0
    oper_edge: bool = False
    edge_at: float | None = None
    tc_ack: bool = False
    tcn_pending: bool = False
    hello_at: float = 0.0
    root_inconsistent: bool = False
    bpdus_sent: int = 0
    bpdus_received: int = 0
    msti: dict[int, TreePort] = field(default_factory=dict)

    @property
    def port_id(self) -> int:
        return self.settings.priority << 8 | (self.number & 0xFFF)


@dataclass
class Msti:
    """One MST instance's bridge-wide state: its bridge ID (priority and MSTID over the MAC)
    and the root it elected inside the region."""

    mstid: int
    bridge: bytes
    root: Vector = NO_VECTOR
    root_port: str | None = None
    tc_count: int = 0
    tc_at: float | None = None


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
        self.mstis: dict[int, Msti] = {}

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
        mstis = {mstid: bridge_id(settings.instance_priority.get(mstid, DEFAULT_PRIORITY)
                                  | mstid, self.mac) for mstid in sorted(settings.instances)}
        new_mstis = mstis != {m.mstid: m.bridge for m in self.mstis.values()}
        if new_mstis:
            self.mstis = {mstid: Msti(mstid, bridge) for mstid, bridge in mstis.items()}
        for port in self.ports.values():
            port.settings = settings.ports.get(port.name, PortSettings())
            if new_mstis:
                port.msti = {mstid: TreePort() for mstid in mstis}
        if not settings.enabled:
            for port in self.ports.values():
                port.internal = False
                self._set_state(port, port, State.FORWARDING if port.up else State.DISCARDING,
                                now, 0)
                self._follow(port, now)
                port.role = Role.DISABLED
            return
        restart = (not was.enabled or was.version != settings.version
                   or was.priority != settings.priority or new_mstis)
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
        self.ports[port] = PortInfo(port, number, self.settings.ports.get(port, PortSettings()),
                                    msti={mstid: TreePort() for mstid in self.mstis})

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
            self._set_state(p, p, State.FORWARDING if up else State.DISCARDING, now, 0)
            self._follow(p, now)
            return
        if up:
            self._port_up(p, now)
        else:
            self._port_down(p, now)
        self._update(now)
        self._send_due(now)

    def receive(self, port: str, frame: bytes, now: float) -> None:
        """A frame to the bridge group address arrived on `port`."""
        p = self.ports.get(port)
        if p is None or not p.up or not self.settings.enabled or p.settings.bpdu_filter:
            return
        if p.settings.bpdu_protection:
            p.up = False
            self._port_down(p, now)
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
                self._topology_change(p, now, received=True, mstid=0)
                self._transmit(p, now)
            return
        v = bpdu.vector
        designated = bpdu.kind == _CONFIG or bpdu.role == _ROLE_BITS["Designated"]
        if designated and v.bridge == self.bridge and v.port == p.port_id:
            return  # our own BPDU, looped straight back
        if bpdu.message_age >= bpdu.max_age or (p.internal and bpdu.hops == 0):
            return
        wait = bpdu.hello * 3 if p.rstp else bpdu.max_age - bpdu.message_age
        better = p.designated is None or v < p.designated
        if designated and self._record(p, v, bpdu.hops, now + wait):
            p.info_age = bpdu.message_age
            if p.name == self.root_port or better:
                self.root_times = (bpdu.max_age, bpdu.hello, bpdu.forward_delay)
        records = [(r, self._msti_vector(bpdu, r)) for r in bpdu.mstis
                   if p.internal and r.mstid in self.mstis and r.hops > 0]
        for record, vector in records:
            if record.role == _ROLE_BITS["Designated"]:
                self._record(p.msti[record.mstid], vector, record.hops, now + wait)
        flags = bpdu.flags
        if flags & _TCA:
            p.tcn_pending = False
        self._update(now)
        if flags & _TC and not p.settings.tcn_guard:
            # a change from outside the region is every instance's; inside, the CIST's
            for mstid in (0, *(() if p.internal else self.mstis)):
                if self._tree(p, mstid).role in (Role.ROOT, Role.DESIGNATED, Role.MASTER):
                    self._topology_change(p, now, received=True, mstid=mstid)
        regional = self.root.regional if p.internal else None
        self._handshake(p, p, 0, bpdu.flags, bpdu.role, v, regional, now)
        for record, vector in records:
            mstid = record.mstid
            if record.flags & _TC and not p.settings.tcn_guard and p.msti[mstid].role in (
                    Role.ROOT, Role.DESIGNATED):
                self._topology_change(p, now, received=True, mstid=mstid)
            self._handshake(p, p.msti[mstid], mstid, record.flags, record.role,
                            vector, self.mstis[mstid].root.regional, now)
        self._send_due(now)

    def tick(self, now: float) -> None:
        """Run every timer that is due."""
        if not self.settings.enabled:
            return
        changed = False
        for p in self.ports.values():
            if not p.up:
                continue
            for t in (p, *p.msti.values()):
                if t.info is not None and now >= t.info_expires:
                    t.info = None
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
            for mstid, t in self._trees(p):
                if t.fd_at is not None and now >= t.fd_at:
                    t.fd_at = None
                    if t.state == State.DISCARDING:
                        self._set_state(p, t, State.LEARNING, now, mstid)
                        t.fd_at = now + self._forward_delay()
                    elif t.state == State.LEARNING:
                        self._set_state(p, t, State.FORWARDING, now, mstid)
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
            if p.edge_at is not None:
                times.append(p.edge_at)
            for t in (p, *p.msti.values()):
                if t.info is not None:
                    times.append(t.info_expires)
                if t.fd_at is not None:
                    times.append(t.fd_at)
        return min(times, default=None)

    # -- outputs ------------------------------------------------------------------------

    def state(self, port: str, instance: int = 0) -> State:
        """The port's state in an instance (the CIST's for an instance not configured)."""
        p = self.ports[port]
        return p.msti[instance].state if instance in p.msti else p.state

    def snapshot(self, now: float) -> dict[str, Any]:
        """What `show spanning-tree` and the MIB print, as JSON (the fabric's answer to a
        query): the bridge, the root, the topology changes and every port with link, for
        the CIST and (under `instances`) each MSTI."""
        me = self.bridge
        root = self.root if self.root_port is not None else Vector(me, 0, me, 0, me, 0)
        ports = {}
        for p in self.ports.values():
            ports[p.name] = {
                **self._port_row(p, p, p.settings.path_cost, p.settings.priority), "up": p.up,
                "edge": p.oper_edge, "rstp": p.rstp, "root_inconsistent": p.root_inconsistent,
                "boundary": not p.internal,
                "forward_transitions": p.forward_transitions,
                "bpdus_sent": p.bpdus_sent, "bpdus_received": p.bpdus_received,
            }
        instances = {}
        for m in self.mstis.values():
            instances[str(m.mstid)] = {
                "bridge": m.bridge.hex(), "regional_root": m.root.regional.hex(),
                "root_cost": m.root.internal, "root_port": m.root_port,
                "hops": self._msti_hops(m), "tc_count": m.tc_count,
                "tc_age": None if m.tc_at is None else now - m.tc_at,
                "ports": {p.name: {**self._port_row(p, p.msti[m.mstid],
                                                    *self._msti_settings(p, m.mstid)),
                                   "up": p.up, "boundary": not p.internal}
                          for p in self.ports.values()},
            }
        return {
            "enabled": self.settings.enabled, "bridge": self.bridge.hex(),
            "root": root.root.hex(), "root_cost": root.cost, "root_port": self.root_port,
            "regional_root": root.regional.hex(), "internal_cost": root.internal,
            "hops": self._hops(),
            "tc_count": self.tc_count,
            "tc_age": None if self.tc_at is None else now - self.tc_at,
            "max_age": self.root_times[0], "hello": self.root_times[1],
            "forward_delay": self.root_times[2], "ports": ports, "instances": instances,
        }

    def _port_row(self, p: PortInfo, t: TreePort, cost: int, priority: int) -> dict[str, Any]:
        """A port's role, state and designated bridge in one tree (the neighbour's when it
        is the designated one, ours when we are); the designated cost is the CIST's external
        one, an MSTI's internal one."""
        designated = t.info if t.role in (Role.ROOT, Role.ALTERNATE, Role.BACKUP) else (
            t.designated)
        return {
            "role": str(t.role), "state": str(t.state),
            "cost": cost, "priority": priority,
            "designated_bridge": "" if designated is None else designated.bridge.hex(),
            "designated_cost": 0 if designated is None else (
                designated.internal if t is not p else designated.cost),
            "designated_port": 0 if designated is None else designated.port,
        }

    # -- the machine --------------------------------------------------------------------

    def _tree(self, p: PortInfo, mstid: int) -> TreePort:
        return p.msti[mstid] if mstid else p

    def _trees(self, p: PortInfo) -> list[tuple[int, TreePort]]:
        """The port's trees: the CIST's, then each MSTI's."""
        return [(0, p), *p.msti.items()]

    def _forward_delay(self) -> float:
        return self.root_times[2] if self.root_port else self.settings.forward_delay

    def _port_up(self, p: PortInfo, now: float) -> None:
        p.internal = False
        p.rstp = self.settings.version != Version.STP
        p.migrate_until = now + MIGRATE_TIME
        p.oper_edge = p.settings.admin_edge
        p.edge_at = now + MIGRATE_TIME if p.settings.auto_edge and not p.oper_edge else None
        p.hello_at = now
        for mstid, t in self._trees(p):
            t.info = None
            t.designated = None
            t.agreed = t.proposing = t.agree = False
            t.fd_at = None
            t.role = Role.DISABLED
            self._set_state(p, t, State.DISCARDING, now, mstid)

    def _port_down(self, p: PortInfo, now: float) -> None:
        p.internal = False
        for mstid, t in self._trees(p):
            t.info = None
            t.role = Role.DISABLED
            t.fd_at = None
            self._set_state(p, t, State.DISCARDING, now, mstid)

    def _record(self, t: TreePort, v: Vector, hops: int, expires: float) -> bool:
        """Keep a designated bridge's message when it is better than what we would say on
        the port, or news from the neighbour we already heard (802.1w's superior or
        repeated designated information)."""
        same_sender = t.info is not None and (t.info.bridge, t.info.port) == (v.bridge, v.port)
        better = t.designated is None or v < t.designated
        if better or same_sender:
            t.info, t.info_hops, t.info_expires = v, hops, expires
        return better or same_sender

    def _msti_vector(self, bpdu: Bpdu, record: MstiRecord) -> Vector:
        """An MSTI message's vector: designated bridge and port from its priorities over the
        CIST bridge's MAC and port number."""
        bridge = struct.pack("!H", (record.bridge_priority & 0xF0) << 8 | record.mstid)
        port = (record.port_priority & 0xF0) << 8 | (bpdu.vector.port & 0xFFF)
        return Vector(b"", 0, record.regional, record.internal,
                      bridge + bpdu.vector.bridge[2:], port)

    def _handshake(self, p: PortInfo, t: TreePort, mstid: int, flags: int, role: int,
                   v: Vector, regional: bytes | None, now: float) -> None:
        """Proposal and agreement in one tree: an agreement from the neighbour of a
        designated port (about our root, and our regional root inside the region) lets it
        forward; a proposal to our root port syncs the tree and is agreed to, one to an
        alternate or backup port is agreed to at once."""
        designated = role == _ROLE_BITS["Designated"]
        if (flags & _AGREEMENT and t.role == Role.DESIGNATED and not designated
                and (mstid or v.root == self.root.root)
                and (regional is None or v.regional == regional)):
            t.agreed = True
            t.proposing = False
            self._update(now)
        if flags & _PROPOSAL and designated:
            if t.role == Role.ROOT:
                self._sync(now, mstid)
                t.agree = True
                self._transmit(p, now)
            elif t.role in (Role.ALTERNATE, Role.BACKUP):
                t.agree = True
                self._transmit(p, now)

    def _update(self, now: float) -> None:
        """Port role selection (802.1w 17.21.25 over 802.1s 13.10's CIST vectors) and the
        transitions it starts, then each MSTI's. Through a boundary port the path cost adds
        to the external cost and this bridge becomes its region's root; through an internal
        port it adds to the internal cost under the regional root the neighbour names."""
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
            self._select(p, p, 0, self._designated(p), best_port, now,
                         inconsistent=p.root_inconsistent)
        if rerooted:
            self._sync(now, 0)
        for m in self.mstis.values():
            self._update_msti(m, now)

    def _update_msti(self, m: Msti, now: float) -> None:
        """An MSTI's role selection (802.1s 13.26.23) among the internal ports; every other
        port follows the CIST (master where the CIST has its boundary root port)."""
        best = Vector(b"", 0, m.bridge, 0, m.bridge, 0)
        best_port: str | None = None
        best_key = (best, 0)
        for p in self.ports.values():
            t = p.msti[m.mstid]
            if not p.up or not p.internal or t.info is None or t.info.bridge[2:] == self.mac:
                continue
            i, (cost, port_id) = t.info, self._msti_port(p, m.mstid)
            candidate = Vector(b"", 0, i.regional, i.internal + cost, i.bridge, i.port)
            if (candidate, port_id) < best_key:
                best_key, best, best_port = (candidate, port_id), candidate, p.name
        rerooted = best_port != m.root_port or best.regional != m.root.regional
        m.root, m.root_port = best, best_port
        for p in self.ports.values():
            t = p.msti[m.mstid]
            if p.up and p.internal:
                designated = Vector(b"", 0, best.regional, best.internal, m.bridge,
                                    self._msti_port(p, m.mstid)[1])
                self._select(p, t, m.mstid, designated, best_port, now, inconsistent=False)
                continue
            t.role = Role.MASTER if p.role == Role.ROOT else p.role
            t.designated = None
            t.agreed = t.proposing = t.agree = False
            self._follow(p, now, m.mstid)
        if rerooted:
            self._sync(now, m.mstid)

    def _select(self, p: PortInfo, t: TreePort, mstid: int, designated: Vector,
                root_port: str | None, now: float, *, inconsistent: bool) -> None:
        """A port's role in one tree, from its designated vector against what it heard."""
        if t.designated is not None and designated > t.designated:
            t.agreed = False  # worse news than the neighbour agreed to
        if designated != t.designated:
            p.hello_at = now  # news for the neighbour (802.1w's newInfo)
        t.designated = designated
        if p.name == root_port:
            role = Role.ROOT
        elif inconsistent or (t.info is not None and t.info < designated):
            role = Role.BACKUP if t.info is not None and t.info.bridge[2:] == self.mac else (
                Role.ALTERNATE)
        else:
            role = Role.DESIGNATED
        self._assume(p, t, mstid, role, now)

    def _follow(self, p: PortInfo, now: float, only: int | None = None) -> None:
        """The MSTIs (or one) take the CIST's state on a port outside the region."""
        for mstid, t in p.msti.items():
            if only is None or mstid == only:
                t.fd_at = None
                self._set_state(p, t, p.state, now, mstid)

    def _assume(self, p: PortInfo, t: TreePort, mstid: int, role: Role, now: float) -> None:
        old = t.role
        t.role = role
        if role in (Role.ALTERNATE, Role.BACKUP):
            t.proposing = False
            t.fd_at = None
            self._set_state(p, t, State.DISCARDING, now, mstid)
        elif role == Role.ROOT:
            t.proposing = False
            if p.rstp:
                t.fd_at = None
                self._set_state(p, t, State.FORWARDING, now, mstid)
            elif t.state != State.FORWARDING and t.fd_at is None:
                t.fd_at = now + self._forward_delay()
        elif role == Role.DESIGNATED:
            if p.oper_edge or (t.agreed and p.rstp):
                t.fd_at = None
                t.proposing = False
                self._set_state(p, t, State.FORWARDING, now, mstid)
            elif t.state != State.FORWARDING:
                if t.fd_at is None:
                    t.fd_at = now + self._forward_delay()
                if p.rstp and not t.proposing:
                    t.proposing = True
                    p.hello_at = now
        if old != role:
            p.hello_at = now

    def _sync(self, now: float, mstid: int) -> None:
        """A new root port, or a proposal on it: every designated port of the tree that the
        neighbour has not agreed to goes discarding and proposes, so no loop forms while the
        news travels down the tree."""
        for p in self.ports.values():
            t = self._tree(p, mstid)
            if (p.up and t.role == Role.DESIGNATED and not p.oper_edge and not t.agreed
                    and (mstid == 0 or p.internal)):
                if t.state != State.DISCARDING:
                    self._set_state(p, t, State.DISCARDING, now, mstid)
                t.fd_at = now + self._forward_delay()
                if p.rstp:
                    t.proposing = True
                p.hello_at = now

    def _set_state(self, p: PortInfo, t: TreePort, state: State, now: float,
                   mstid: int) -> None:
        if t.state == state:
            return
        t.state = state
        self.hooks.set_state(p.name, state, mstid)
        if mstid and not p.internal:
            return  # following the CIST, whose change it is
        if state == State.FORWARDING:
            t.forward_transitions += 1
            if self.settings.enabled and not p.oper_edge:
                self._topology_change(p, now, received=False, mstid=mstid)
        elif state == State.DISCARDING:
            self.hooks.flush(p.name)
        if mstid == 0 and not p.internal:
            self._follow(p, now)

    def _topology_change(self, origin: PortInfo, now: float, *, received: bool,
                         mstid: int) -> None:
        """802.1w TC in one tree: every other non-edge root/designated port flushes what it
        learned and tells its neighbour (TC flags for tcWhile; a TCN toward a legacy root)."""
        fresh = False
        for p in self.ports.values():
            t = self._tree(p, mstid)
            if not p.up or p.oper_edge or t.role not in (Role.ROOT, Role.DESIGNATED,
                                                         Role.MASTER):
                continue
            if (p is origin and received) or now < t.tc_until:
                continue  # a TC already running is not restarted, nor re-sent
            fresh = True
            if p is not origin:
                self.hooks.flush(p.name)
            t.tc_until = now + (self.settings.hello * 2 if p.rstp
                                else self.root_times[0] + self.root_times[2])
            if mstid == 0 and p.role == Role.ROOT and not p.rstp:
                p.tcn_pending = True
            p.hello_at = now
        if fresh and mstid:
            self.mstis[mstid].tc_count += 1
            self.mstis[mstid].tc_at = now
        elif fresh:
            self.tc_count += 1
            self.tc_at = now

    def _flags(self, t: TreePort, tc: bool) -> int:
        """A tree's flags in a BPDU or MSTI message (role, TC, proposal, agreement, state);
        sending the agreement uses it up."""
        flags = _ROLE_BITS.get(str(t.role), 0) << _ROLE_SHIFT | (_TC if tc else 0)
        if t.state != State.DISCARDING:
            flags |= _LEARNING
        if t.state == State.FORWARDING:
            flags |= _FORWARDING
        if t.proposing and t.role == Role.DESIGNATED:
            flags |= _PROPOSAL
        if t.agree:
            flags |= _AGREEMENT
            t.agree = False
        return flags

    def _transmit(self, p: PortInfo, now: float) -> None:
        """This port's BPDU, if it has one to say; the next one a hello later. An MST BPDU
        goes when any tree has news or is designated on the port, and carries every MSTI."""
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
        mstp = self.settings.version == Version.MSTP
        trees = [p, *p.msti.values()] if mstp else [p]
        if not any(t.role == Role.DESIGNATED or t.agree
                   or (now < t.tc_until and t.role in (Role.ROOT, Role.MASTER))
                   for t in trees):
            return
        flags = self._flags(p, tc)
        records = tuple(self._msti_record(p, m, now) for m in self.mstis.values()) if mstp else ()
        self._send(p, Bpdu(_RST, 3 if mstp else 2, flags, self._designated(p),
                           self._message_age(),
                           *self.root_times, region=self.region, hops=self._hops(),
                           mstis=records))

    def _msti_record(self, p: PortInfo, m: Msti, now: float) -> MstiRecord:
        t = p.msti[m.mstid]
        flags = self._flags(t, now < t.tc_until) | (_MASTER if t.role == Role.MASTER else 0)
        return MstiRecord(flags, m.root.regional, m.root.internal, m.bridge[0] & 0xF0,
                          self._msti_settings(p, m.mstid)[1] & 0xF0, self._msti_hops(m))

    def _send_due(self, now: float) -> None:
        """Every BPDU that is due: a hello's, or news (a new role, a proposal, a TC) that
        set the port's hello timer to now."""
        for p in self.ports.values():
            if p.up and now >= p.hello_at:
                self._transmit(p, now)

    def _msti_settings(self, p: PortInfo, mstid: int) -> tuple[int, int]:
        """The port's path cost and port priority in an MSTI."""
        return self.settings.instance_ports.get(mstid, {}).get(
            p.name, (p.settings.path_cost, p.settings.priority))

    def _msti_port(self, p: PortInfo, mstid: int) -> tuple[int, int]:
        """The port's path cost and port ID in an MSTI."""
        cost, priority = self._msti_settings(p, mstid)
        return cost, priority << 8 | (p.number & 0xFFF)

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

    def _msti_hops(self, m: Msti) -> int:
        if m.root_port is None:
            return self.settings.max_hops
        return max(self.ports[m.root_port].msti[m.mstid].info_hops - 1, 0)

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
        "instance_priority": {str(k): v for k, v in settings.instance_priority.items()},
        "instance_ports": {str(k): {port: list(pair) for port, pair in ports.items()}
                           for k, ports in settings.instance_ports.items()},
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
        instance_priority={int(k): int(v)
                           for k, v in dict(data.get("instance_priority", {})).items()},
        instance_ports={int(k): {str(port): (int(cost), int(priority))
                                 for port, (cost, priority) in dict(ports).items()}
                        for k, ports in dict(data.get("instance_ports", {})).items()},
        ports={str(name): PortSettings(**port) for name, port in dict(data["ports"]).items()},
    )
