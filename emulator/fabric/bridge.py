"""The 8212zl's forwarding core: a VLAN-aware (802.1Q) learning bridge on raw bytes.

No I/O happens here. The fabric process owns the port fds, attaches one send function per
port (`attach`) and calls `receive` for every frame its epoll loop drains. Everything else
(`configure`, `flush`, `mac_table`, `counters`) is the control side that the active
management module drives through the fabric process.

Why the hot path looks the way it does (measured by benchmarks/bench_dataplane.py): a frame
costs ~6-9 us of CPU in total, of which the read and the write syscalls are most; dissecting it
with scapy costs ~180 us, 20-30x the whole raw path. So `receive` reads only header bytes
(`frame[0]`, the 802.1Q TCI, two 6-byte slices for the MACs), does dict lookups, and builds at
most one bytes object per egress variant (untagged, tagged) per frame, shared by every port
that gets that variant. Everything that can be decided ahead of a frame is: each VLAN keeps a
prebuilt flood list of (port, tagged) pairs and its 4-byte tag, rebuilt when ports are
configured or attached, not per frame. Counters are per-port lists of ints laid out as
`PortCounters`' fields so the hot path indexes them without a lookup by name. No logging.

Semantics follow 802.1Q as a ProCurve applies it:

- Ingress on a disabled port is not seen at all (a down link receives nothing). A port with no
  send function attached counts the frame in `rx_drops`.
- Frames shorter than 14 bytes (18 with an 802.1Q tag) or longer than 1522 bytes are
  `rx_errors` and never forwarded.
- A TCP super-frame from a host's offloads (offload.SuperFrame, up to 64 KiB) is forwarded
  whole when the segments it stands for fit (the check above applies to them), and counted as
  those segments, frames and octets, on every port it enters or leaves, as the real switch
  would count the frames the host's NIC put on the wire. Only frames past the standard
  length can be one, so the common path pays nothing for it.
- An untagged frame belongs to the port's untagged VLAN (its PVID); without one it is dropped.
  A tagged frame belongs to the VLAN in its TCI; a priority tag (VID 0) means the PVID. VID 4095
  is reserved and dropped. Ingress filtering: a frame for a VLAN the port is not a member of is
  dropped (`rx_drops`).
- Frames to the link-local group addresses 01:80:c2:00:00:00-0f (STP, LACP, LLDP, 802.1X...) are
  never forwarded. They go to `control` with the ingress port and VLAN, before ingress
  filtering, because LLDP and STP run on a port whatever its VLANs are (the VLAN passed is
  0 when an untagged control frame arrives on a port without an untagged VLAN). They are not
  learned.
- Learning: the source MAC (unless it is a group address) is bound to the ingress port in the
  frame's VLAN and its age refreshed on every frame. Entries older than the MAC age are ignored
  and removed lazily: on lookup, by `mac_table`, and by a sweep that runs at most once per half
  age (so a stream of new source MACs cannot grow the table without bound). The table holds at
  most `MAX_MACS` addresses; beyond that new sources are not learned and their frames flood.
- The switch's own addresses (its base MAC, which every VLAN interface has) are permanent
  entries: in each VLAN where the switch has an interface (a port added with `add_port`) they
  point there, never age and never move. A frame arriving on any other port with one of them as
  its source is forwarded but not learned, and counted per port (`own_address_frames`): a host
  that sends as the switch, by mistake or to capture its traffic, cannot take its address.
- Broadcast, multicast and unknown unicast flood to every other enabled, attached member of the
  VLAN. Known unicast goes to its one port; never back out of the ingress port (an entry that
  points there means both stations are on that segment: the frame is filtered silently).
- Egress: untagged members get the frame without a tag, tagged members with the VLAN's tag. The
  PCP (and DEI) bits of a tagged ingress frame are kept; an untagged ingress frame gets PCP 0.
- Access lists (fabric/acl.py) filter a frame after its VLAN is known and before it is
  learned: a denied frame is counted received on its port and goes nowhere. A port where no
  list applies pays one attribute test.
- A send function that raises OSError (BlockingIOError for a full queue, anything else for a
  vanished host link) counts `tx_drops` and never propagates.
- Spanning tree (fabric/stp.py decides, `set_stp_state` enforces): a port that is not
  forwarding in a VLAN's instance is left out of that VLAN's egress, so nothing is sent there
  and what it receives takes the not-a-member path: dropped, and learned first when the port
  is learning. The forwarding path pays nothing for it, and nothing at all while spanning tree
  is off (every port forwarding, as a port with no state is).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Final

from emulator.fabric.offload import SuperFrame
from emulator.hardware import format_mac

if TYPE_CHECKING:
    from emulator.fabric.acl import Check as AclCheck
    from emulator.fabric.acl import Plan as AclPlan

Send = Callable[[bytes], object]
"""A port's transmit function: takes one whole Ethernet frame (no FCS)."""
Control = Callable[[str, int, bytes], None]
"""Where link-local control frames go: (ingress port, VLAN, frame)."""

COUNTER_FIELDS: Final = (
    "rx_bytes",
    "tx_bytes",
    "rx_unicast",
    "tx_unicast",
    "rx_bcast",
    "tx_bcast",
    "rx_mcast",
    "tx_mcast",
    "rx_drops",
    "tx_drops",
    "rx_errors",
    "tx_errors",
)
"""The field names of `emulator.device.PortCounters`, in its order (a test keeps them equal).
Not imported from there: the fabric process must not pull in the config model and flash code."""

# Indexes into a port's counter list. RX_UNICAST + 2 * kind is the rx counter of a frame's
# kind (0 unicast, 1 broadcast, 2 multicast) and the tx counter is the next one.
_RX_BYTES: Final = 0
_TX_BYTES: Final = 1
_RX_UNICAST: Final = 2
_RX_BCAST: Final = 4
_RX_MCAST: Final = 6
_RX_DROPS: Final = 8
_TX_DROPS: Final = 9
_RX_ERRORS: Final = 10

MIN_FRAME: Final = 14
"""Destination, source, EtherType: anything shorter is a runt."""
MIN_TAGGED_FRAME: Final = 18
MAX_FRAME: Final = 1518
MAX_UNTAGGED_FRAME: Final = 1514
"""Longest frames a standard port takes, tagged and untagged (1522 and 1518 on the wire,
whose 4-octet FCS a TAP or packet socket does not carry); anything longer is a giant. So a
frame that leaves with a tag added fits a 1500-octet interface."""
MAX_JUMBO_FRAME: Final = 9216
"""In a `jumbo` VLAN: the switch's 9220-octet jumbo frames, less the FCS."""
MAX_MACS: Final = 65536
"""Size of the address table (the 8212zl's is 64K entries)."""
MAX_VID: Final = 4094

FORWARDING: Final = "forwarding"
LEARNING: Final = "learning"
"""Spanning-tree port states as fabric/stp.py names them (any other: discarding)."""

_BROADCAST: Final = b"\xff\xff\xff\xff\xff\xff"
_LINK_LOCAL: Final = b"\x01\x80\xc2\x00\x00"
"""01:80:c2:00:00:00-0f: the group addresses 802.1Q bridges never forward."""
_TPID_HI: Final = 0x81
_TPID_LO: Final = 0x00


class _Port:
    """One port's state. Plain slots: the hot path reads these attributes on every frame."""

    __slots__ = ("acl", "counters", "enabled", "name", "own", "own_address_frames", "pvid",
                 "send", "stp", "tagged")

    def __init__(self, name: str, own: bool = False) -> None:
        self.name = name
        self.own = own
        """The switch's own interface in a VLAN, where its addresses are permanent entries."""
        self.own_address_frames = 0
        """Frames that came in here with one of the switch's addresses as their source."""
        self.enabled = False
        self.pvid: int | None = None
        self.tagged: frozenset[int] = frozenset()
        self.send: Send | None = None
        self.counters = [0] * len(COUNTER_FIELDS)
        self.stp: dict[int, str] = {}
        """Spanning-tree state per MST instance (`forwarding`, `learning`, `discarding`); an
        instance not listed forwards."""
        self.acl: AclCheck | None = None
        """Access lists (fabric/acl.py): (VLAN, frame) -> denied; None where none applies."""

    def member(self, vid: int) -> bool:
        return vid == self.pvid or vid in self.tagged


class _Vlan:
    """One VLAN's forwarding state: its ports (rebuilt on configuration) and address table.

    `macs` and `seen` are two dicts keyed by the 6-byte MAC rather than one dict of
    (port, time) pairs, so refreshing an entry on every frame allocates no tuple.
    """

    __slots__ = ("egress", "flood", "learners", "macs", "seen", "tag", "vid")

    def __init__(self, vid: int) -> None:
        self.vid = vid
        self.tag = bytes((_TPID_HI, _TPID_LO, vid >> 8, vid & 0xFF))
        """TPID and TCI with PCP 0: what an untagged ingress frame gets on a tagged port."""
        self.egress: dict[_Port, bool] = {}
        """Enabled, attached member ports -> tagged on egress."""
        self.flood: tuple[tuple[_Port, bool, Send], ...] = ()
        """`egress` as a tuple with each port's send function: iterating it per flooded frame
        allocates nothing and reads no attribute."""
        self.macs: dict[bytes, _Port] = {}
        self.seen: dict[bytes, float] = {}
        self.learners: frozenset[_Port] = frozenset()
        """Member ports in spanning tree's learning state: they learn, never forward."""


class Bridge:
    """The VLAN-aware learning bridge of one chassis. See the module docstring."""

    control: Control | None
    """Set by the fabric process: receives every link-local control frame."""

    def __init__(
        self,
        ports: Sequence[str],
        mac_age: float,
        now: Callable[[], float] = time.monotonic,
        own_macs: Iterable[bytes] = (),
    ) -> None:
        self._ports: dict[str, _Port] = {name: _Port(name) for name in ports}
        self._own_macs = frozenset(own_macs)
        """The switch's addresses (6 bytes each): never learned on a port."""
        self._vlans: dict[int, _Vlan] = {}
        self._now = now
        self._mac_age = math.inf
        self._next_sweep = math.inf
        self._learned = 0
        self._jumbo: frozenset[int] = frozenset()
        self._instances: dict[int, int] = {}
        """VLAN -> MST instance, for the VLANs not in the IST (instance 0)."""
        self._acl_plan: AclPlan | None = None
        self.control = None
        self.set_mac_age(mac_age)

    # -- control side ---------------------------------------------------------------------

    def _port(self, name: str) -> _Port:
        try:
            return self._ports[name]
        except KeyError:
            raise KeyError(f"no such port {name!r}") from None

    def configure(
        self, port: str, *, enabled: bool, pvid: int | None, tagged: Iterable[int]
    ) -> None:
        """Program one port: admin state, untagged VLAN (None: untagged frames are dropped)
        and the VLANs it carries tagged. Replaces the port's previous settings.

        ValueError for a VID outside 1-4094 or a VLAN both untagged and tagged on the port
        (a ProCurve port is one or the other per VLAN; the config model decides which).
        Disabling a port or taking it out of a VLAN forgets the addresses learned there.
        """
        p = self._port(port)
        tags = frozenset(tagged)
        for vid in (*tags, *(() if pvid is None else (pvid,))):
            if not 1 <= vid <= MAX_VID:
                raise ValueError(f"bad VLAN id {vid} on port {port} (1-{MAX_VID})")
        if pvid is not None and pvid in tags:
            raise ValueError(f"port {port} cannot be both untagged and tagged in VLAN {pvid}")
        p.enabled = enabled
        p.pvid = pvid
        p.tagged = tags
        self._compose_acl(p)
        self._rebuild()

    def set_jumbo(self, vids: Iterable[int]) -> None:
        """The VLANs whose frames may be jumbo; in the others a frame beyond the standard
        size is a giant."""
        self._jumbo = frozenset(vids)

    def _jumbo_allowed(self, p: _Port, frame: bytes, tagged_in: bool) -> bool:
        """Whether a long frame belongs to a jumbo VLAN (off the common path: only frames
        beyond the standard size get here)."""
        vid = ((frame[14] & 0x0F) << 8 | frame[15]) if tagged_in else 0
        return (vid or p.pvid or 0) in self._jumbo

    def set_mac_age(self, seconds: float) -> None:
        """Entries not refreshed for this long are forgotten. 0 (or less) means never age."""
        self._mac_age = seconds if seconds > 0 else math.inf
        self._next_sweep = self._now() + self._mac_age / 2

    def add_port(self, port: str, own: bool = True) -> None:
        """A port beyond the front panel: the switch's own interface in a VLAN (in-band
        management), or (`own` False) a trunk, which frames enter and leave like a port's.
        It starts disabled, like every port."""
        if port in self._ports:
            raise ValueError(f"port {port!r} exists")
        self._ports[port] = _Port(port, own=own)

    def has_port(self, port: str) -> bool:
        return port in self._ports

    def remove_port(self, port: str) -> None:
        """Forget a port added with `add_port`, and every address learned on it."""
        self._port(port).send = None
        self._port(port).enabled = False
        self._rebuild()
        del self._ports[port]

    def attach(self, port: str, send: Send | None) -> None:
        """Give a port its transmit function; None detaches it (no back-end, no carrier)."""
        self._port(port).send = send
        self._rebuild()

    def flush(self) -> None:
        """Interface-module reset: the address table and every counter of every port cleared
        (the switch's permanent entries stay)."""
        for vlan in self._vlans.values():
            vlan.macs.clear()
            vlan.seen.clear()
        self._learned = 0
        for p in self._ports.values():
            p.counters[:] = [0] * len(COUNTER_FIELDS)
            p.own_address_frames = 0
        self._rebuild()

    def set_stp_state(self, port: str, state: str, instance: int = 0) -> None:
        """Spanning tree's verdict on a port in one instance: `forwarding`, `learning` or
        `discarding`. Leaving forwarding forgets what the port learned there."""
        p = self._port(port)
        if p.stp.get(instance, FORWARDING) != state:
            if state == FORWARDING:
                p.stp.pop(instance, None)
            else:
                p.stp[instance] = state
            self._rebuild()

    def set_instances(self, instances: dict[int, int]) -> None:
        """Which MST instance each VLAN belongs to (the IST, 0, for any not listed)."""
        self._instances = dict(instances)
        self._rebuild()

    def forget_port(self, port: str, instance: int | None = None) -> None:
        """A topology change: the addresses learned on this port are stale, in one MST
        instance's VLANs (None: in every VLAN)."""
        p = self._port(port)
        for vid, vlan in self._vlans.items():
            if instance is not None and self._instances.get(vid, 0) != instance:
                continue
            for mac in [mac for mac, q in vlan.macs.items() if q is p]:
                self._forget(vlan, mac)

    def mac_table(self) -> list[tuple[str, str, int]]:
        """Unexpired entries as (`001871-c3f2ff`, port, VID), sorted by VID then MAC."""
        self._expire(self._now())
        rows = [
            (mac, p.name, vid) for vid, vlan in self._vlans.items() for mac, p in vlan.macs.items()
        ]
        rows.sort(key=lambda row: (row[2], row[0]))
        return [(format_mac(mac), name, vid) for mac, name, vid in rows]

    def pvid(self, port: str) -> int | None:
        """The port's untagged VLAN as programmed (None: it takes no untagged frames)."""
        return self._port(port).pvid

    def count_error(self, port: str) -> None:
        """A frame the port's back-end dropped before the bridge saw it (unusable offload)."""
        self._port(port).counters[_RX_ERRORS] += 1

    def count_tx_drops(self, port: str, count: int) -> None:
        """Frames the port's back-end took but could not send (a batched send that failed
        after the bridge counted them out)."""
        self._port(port).counters[_TX_DROPS] += count

    def counter_list(self, port: str) -> list[int]:
        """The port's live counters, laid out as COUNTER_FIELDS: for a layer below the bridge
        that counts frames it passes on a port's behalf (a trunk's members)."""
        return self._port(port).counters

    def counters(self, port: str) -> dict[str, int]:
        """The port's counters, keyed by the field names of `PortCounters`."""
        return dict(zip(COUNTER_FIELDS, self._port(port).counters, strict=True))

    def own_address_frames(self) -> dict[str, int]:
        """Ports that received frames with the switch's own address as their source: how
        many each (not learned, see the module docstring)."""
        return {p.name: p.own_address_frames for p in self._ports.values()
                if p.own_address_frames}

    # --- access lists (fabric/acl.py) ---

    def set_acls(self, plan: AclPlan | None) -> None:
        """Where access lists apply from now on (None: nowhere); each port's check is
        composed here, ahead of the frames (and again when `configure` changes its VLANs)."""
        self._acl_plan = plan
        for p in self._ports.values():
            self._compose_acl(p)

    def _compose_acl(self, p: _Port) -> None:
        plan = self._acl_plan
        p.acl = None if plan is None else plan.check_for(
            p.name, p.own, (*p.tagged, *(() if p.pvid is None else (p.pvid,))))

    def _rebuild(self) -> None:
        """Recompute each VLAN's egress ports and drop addresses on ports no longer in it."""
        wanted: dict[int, dict[_Port, bool]] = {}
        learners: dict[int, set[_Port]] = {}
        for p in self._ports.values():
            if not p.enabled or p.send is None:
                continue
            for vid, tagged in ((*(() if p.pvid is None else ((p.pvid, False),)),
                                 *((v, True) for v in p.tagged))):
                state = p.stp.get(self._instances.get(vid, 0), FORWARDING) if p.stp else (
                    FORWARDING)
                if state == FORWARDING:
                    wanted.setdefault(vid, {})[p] = tagged
                elif state == LEARNING:
                    learners.setdefault(vid, set()).add(p)
        for vid in learners:
            wanted.setdefault(vid, {})
        for vid in [vid for vid in self._vlans if vid not in wanted]:
            self._learned -= len(self._vlans.pop(vid).macs)
        for vid, egress in wanted.items():
            vlan = self._vlans.get(vid)
            if vlan is None:
                vlan = self._vlans[vid] = _Vlan(vid)
            vlan.egress = egress
            vlan.learners = frozenset(learners.get(vid, ()))
            vlan.flood = tuple((q, t, q.send) for q, t in egress.items() if q.send is not None)
            for mac, p in list(vlan.macs.items()):
                if p not in egress and p not in vlan.learners:
                    self._forget(vlan, mac)
            self._pin_own(vlan)

    def _pin_own(self, vlan: _Vlan) -> None:
        """The switch's addresses as permanent entries on its interface in `vlan`, if any."""
        own = next((q for q in vlan.egress if q.own), None)
        if own is None:
            return
        now = self._now()
        for mac in self._own_macs:
            if mac not in vlan.macs:
                self._learned += 1
            vlan.macs[mac] = own
            vlan.seen[mac] = now

    def _forget(self, vlan: _Vlan, mac: bytes) -> None:
        del vlan.macs[mac]
        del vlan.seen[mac]
        self._learned -= 1

    def _expire(self, now: float) -> None:
        """Remove every entry older than the MAC age; schedule the next sweep."""
        oldest = now - self._mac_age
        for vlan in self._vlans.values():
            stale = [mac for mac, seen in vlan.seen.items()
                     if seen < oldest and not vlan.macs[mac].own]
            for mac in stale:
                self._forget(vlan, mac)
        self._next_sweep = now + self._mac_age / 2

    # -- the hot path ---------------------------------------------------------------------

    def receive(self, port: str, frame: bytes, sized: bool = False) -> None:
        """Forward one frame that arrived on `port`. Never raises for any frame content.
        `sized`: a super-frame whose segments were found to fit (`_receive_super`).

        Straight-line code on purpose: every helper call costs about as much as a dict
        lookup, so the common cases (known unicast, flood) are inline.
        """
        p = self._ports.get(port)
        if p is None or not p.enabled:
            return
        c = p.counters
        n = len(frame)
        if n < MIN_FRAME:
            c[_RX_ERRORS] += 1
            return
        tagged_in = frame[12] == _TPID_HI and frame[13] == _TPID_LO
        if tagged_in and n < MIN_TAGGED_FRAME:
            c[_RX_ERRORS] += 1
            return
        if n > (MAX_FRAME if tagged_in else MAX_UNTAGGED_FRAME) and not sized:
            if isinstance(frame, SuperFrame):
                self._receive_super(p, frame, tagged_in)
                return
            if n > MAX_JUMBO_FRAME or not self._jumbo_allowed(p, frame, tagged_in):
                c[_RX_ERRORS] += 1
                return
        c[_RX_BYTES] += n
        dst = frame[:6]
        group = frame[0] & 1
        if not group:
            rx = _RX_UNICAST
        elif dst == _BROADCAST:
            rx = _RX_BCAST
        else:
            rx = _RX_MCAST
        c[rx] += 1
        if p.send is None:
            c[_RX_DROPS] += 1
            return

        # keep_tag: the ingress frame already is the tagged egress variant (same VID, its PCP).
        keep_tag = False
        if tagged_in:
            pcp = frame[14] & 0xF0  # PCP and DEI; the VID's top nibble is masked off
            vid = ((frame[14] & 0x0F) << 8) | frame[15]
            if vid:
                keep_tag = True
            else:
                vid = p.pvid or 0  # priority tag
        else:
            pcp = 0
            vid = p.pvid or 0

        if group and dst[:5] == _LINK_LOCAL and frame[5] < 0x10:
            control = self.control
            if control is not None:
                control(port, vid, frame)
            return

        vlan = self._vlans.get(vid)
        if vlan is None or p not in vlan.egress:
            # Not a member (this also covers VID 0 without a PVID and the reserved 4095), or
            # spanning tree keeps the port from forwarding here.
            if vlan is not None and p in vlan.learners:
                self._learn_only(vlan, p, frame)
            c[_RX_DROPS] += 1
            return
        acl = p.acl
        if acl is not None and acl(vid, frame):
            return  # denied by an access list (fabric/acl.py)

        now = self._now()
        if now >= self._next_sweep:
            self._expire(now)
        macs = vlan.macs
        if not frame[6] & 1:
            src = frame[6:12]
            old = macs.get(src)
            if old is p:
                vlan.seen[src] = now
            elif old is not None and not old.own:
                macs[src] = p  # station moved
                vlan.seen[src] = now
            elif old is not None or src in self._own_macs:
                p.own_address_frames += 1  # a front port sending as the switch
            elif self._learned < MAX_MACS:
                macs[src] = p
                vlan.seen[src] = now
                self._learned += 1

        tx = rx + 1
        if not group:
            out = macs.get(dst)
            if out is not None:
                if now - vlan.seen[dst] > self._mac_age and not out.own:
                    self._forget(vlan, dst)
                elif out is p:
                    return
                else:
                    out_tagged = vlan.egress.get(out)
                    if out_tagged is not None and out.send is not None:
                        if out_tagged:
                            data = frame if keep_tag else self._tag(frame, tagged_in, pcp, vlan)
                        else:
                            data = frame[:12] + frame[16:] if tagged_in else frame
                        oc = out.counters
                        try:
                            out.send(data)
                        except OSError:
                            oc[_TX_DROPS] += 1
                        else:
                            oc[_TX_BYTES] += len(data)
                            oc[tx] += 1
                        return

        # Flood: each variant is built at most once, on first need.
        as_tagged: bytes | None = None
        as_untagged: bytes | None = None
        for q, q_tagged, q_send in vlan.flood:
            if q is p:
                continue
            if q_tagged:
                if as_tagged is None:
                    as_tagged = frame if keep_tag else self._tag(frame, tagged_in, pcp, vlan)
                data = as_tagged
            else:
                if as_untagged is None:
                    as_untagged = frame[:12] + frame[16:] if tagged_in else frame
                data = as_untagged
            qc = q.counters
            try:
                q_send(data)
            except OSError:
                qc[_TX_DROPS] += 1
            else:
                qc[_TX_BYTES] += len(data)
                qc[tx] += 1

    def _receive_super(self, p: _Port, frame: SuperFrame, tagged_in: bool) -> None:
        """A super-frame: a giant unless its segments fit; else forwarded whole, and the
        counters it moved (on its port and its VLAN's) scaled from one frame to its
        segments."""
        segments = frame.frames()
        longest = frame.wire_length(len(frame)) if segments == 1 else (
            frame.hdr_len + frame.shift() + frame.gso_size)
        if longest > (MAX_FRAME if tagged_in else MAX_UNTAGGED_FRAME) and (
                longest > MAX_JUMBO_FRAME or not self._jumbo_allowed(p, frame, tagged_in)):
            p.counters[_RX_ERRORS] += segments
            return
        vid = ((frame[14] & 0x0F) << 8 | frame[15]) if tagged_in else 0
        vlan = self._vlans.get(vid or p.pvid or 0)
        ports = {p, *(vlan.egress if vlan is not None else ())}
        before = [(q.counters, q.counters.copy()) for q in ports]
        self.receive(p.name, frame, sized=True)
        # Inline arithmetic, not SuperFrame's methods per counter: this runs for every
        # super-frame (the method calls cost ~5 us of one, measured). A copy of `length`
        # octets stands for `segments` frames of length + extra * (repeated + length).
        extra = segments - 1
        repeated = frame.hdr_len - frame.base
        for counters, old in before:
            if counters == old:
                continue  # a member the frame did not go to
            for direction in (0, 1):  # rx, tx
                moved = (counters[2 + direction] - old[2 + direction]
                         + counters[4 + direction] - old[4 + direction]
                         + counters[6 + direction] - old[6 + direction])
                if moved:
                    octets = counters[direction] - old[direction]
                    length = octets // moved
                    counters[direction] += moved * (length + extra * (repeated + length)) - octets
            if extra:
                for i in range(2, len(counters)):
                    if counters[i] != old[i]:
                        counters[i] += (counters[i] - old[i]) * extra

    def _learn_only(self, vlan: _Vlan, p: _Port, frame: bytes) -> None:
        """Spanning tree's learning state: the source is learned (as the forwarding path
        learns it), the frame goes no further."""
        src = frame[6:12]
        if frame[6] & 1 or src in self._own_macs:
            return
        old = vlan.macs.get(src)
        if old is not None and old.own:
            return
        if old is None:
            if self._learned >= MAX_MACS:
                return
            self._learned += 1
        vlan.macs[src] = p
        vlan.seen[src] = self._now()

    @staticmethod
    def _tag(frame: bytes, tagged_in: bool, pcp: int, vlan: _Vlan) -> bytes:
        """The frame with `vlan`'s tag: an untagged frame gets the prebuilt tag (PCP 0), a
        tagged one (a priority tag, in practice) a new TCI that keeps its PCP/DEI bits."""
        if not tagged_in:
            return frame[:12] + vlan.tag + frame[12:]
        vid = vlan.vid
        return frame[:14] + bytes((pcp | vid >> 8, vid & 0xFF)) + frame[16:]
