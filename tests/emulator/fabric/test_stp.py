"""The spanning-tree engine, driven by the test's clock: bridges joined by simulated links
whose BPDUs are delivered at once, so every transition that needs no timer (proposal and
agreement) is seen to need none. The codec is checked against scapy's STP layer."""

from __future__ import annotations

from dataclasses import dataclass, field

from hypothesis import given
from hypothesis import strategies as st
from scapy.layers.l2 import LLC, STP, Dot3
from scapy.packet import raw

from emulator.fabric import stp
from emulator.fabric.stp import PortSettings, Role, Settings, SpanningTree, State, Version


@dataclass
class Recorder:
    """The hooks of one bridge: what it sent, enforced, flushed, protected, logged."""

    net: Net
    name: str
    sent: list[tuple[str, bytes]] = field(default_factory=list)
    flushed: list[str] = field(default_factory=list)
    protected: list[str] = field(default_factory=list)
    logged: list[str] = field(default_factory=list)

    def send(self, port: str, frame: bytes) -> None:
        self.sent.append((port, frame))
        self.net.queue.append((self.name, port, frame))

    def set_state(self, port: str, state: State, instance: int) -> None:
        pass

    def flush(self, port: str) -> None:
        self.flushed.append(port)

    def protect(self, port: str) -> None:
        self.protected.append(port)

    def log(self, message: str) -> None:
        self.logged.append(message)


class Net:
    """Bridges and point-to-point links between their ports; a clock the test moves."""

    def __init__(self) -> None:
        self.now = 0.0
        self.bridges: dict[str, SpanningTree] = {}
        self.hooks: dict[str, Recorder] = {}
        self.wires: dict[tuple[str, str], tuple[str, str]] = {}
        self.queue: list[tuple[str, str, bytes]] = []

    def bridge(self, name: str, mac: int, names: tuple[str, ...], **kw: object) -> SpanningTree:
        hooks = self.hooks[name] = Recorder(self, name)
        engine = SpanningTree(bytes.fromhex("001871000000")[:5] + bytes([mac]),
                              {p: i + 1 for i, p in enumerate(names)}, hooks)
        self.bridges[name] = engine
        kw.setdefault("config_name", name)  # K.15's default: a region of its own
        engine.configure(Settings(enabled=True, **kw), self.now)  # type: ignore[arg-type]
        return engine

    def wire(self, a: str, pa: str, b: str, pb: str) -> None:
        self.wires[(a, pa)] = (b, pb)
        self.wires[(b, pb)] = (a, pa)
        self.bridges[a].link(pa, True, self.now)
        self.bridges[b].link(pb, True, self.now)
        self.deliver()

    def cut(self, a: str, pa: str) -> None:
        b, pb = self.wires.pop((a, pa))
        del self.wires[(b, pb)]
        self.bridges[a].link(pa, False, self.now)
        self.bridges[b].link(pb, False, self.now)
        self.deliver()

    def deliver(self) -> None:
        for _ in range(10000):
            if not self.queue:
                return
            name, port, frame = self.queue.pop(0)
            peer = self.wires.get((name, port))
            if peer is not None:
                self.bridges[peer[0]].receive(peer[1], frame, self.now)
        raise AssertionError("BPDUs never settle")

    def run(self, seconds: float) -> None:
        """Advance the clock, firing each bridge's timers when they are due."""
        end = self.now + seconds
        while True:
            due = [d for b in self.bridges.values() if (d := b.deadline()) is not None]
            step = min(due, default=end)
            if step > end:
                break
            self.now = max(self.now, step)
            for b in self.bridges.values():
                b.tick(self.now)
            self.deliver()
        self.now = end


def roles(engine: SpanningTree) -> dict[str, tuple[Role, State]]:
    return {p.name: (p.role, p.state) for p in engine.ports.values() if p.up}


def triangle() -> Net:
    """s1 (lowest MAC: the root), s2, s3; each pair joined port to port."""
    net = Net()
    for name, mac in (("s1", 1), ("s2", 2), ("s3", 3)):
        net.bridge(name, mac, ("A1", "A2", "A3"))
    net.wire("s1", "A1", "s2", "A1")
    net.wire("s1", "A2", "s3", "A1")
    net.wire("s2", "A2", "s3", "A2")
    return net


def test_a_triangle_blocks_one_port_at_once_by_proposal_and_agreement() -> None:
    net = triangle()
    s1, s2, s3 = (net.bridges[n] for n in ("s1", "s2", "s3"))
    assert s1.root_port is None and s2.root.root == s1.bridge == s3.root.root
    fwd, dis = State.FORWARDING, State.DISCARDING
    assert roles(s1) == {"A1": (Role.DESIGNATED, fwd), "A2": (Role.DESIGNATED, fwd)}
    assert roles(s2) == {"A1": (Role.ROOT, fwd), "A2": (Role.DESIGNATED, fwd)}
    # s3 loses the tie on the s2-s3 link (equal cost, higher bridge ID): the one blocked port
    assert roles(s3) == {"A1": (Role.ROOT, fwd), "A2": (Role.ALTERNATE, dis)}
    assert net.now == 0.0  # no timer was needed
    net.run(30)  # and hellos keep it so
    assert roles(s3)["A2"] == (Role.ALTERNATE, dis)
    assert s2.root.cost == 20000 and s3.root.cost == 20000


def test_cutting_the_root_link_unblocks_the_alternate_without_a_timer() -> None:
    net = triangle()
    net.run(10)
    net.cut("s1", "A2")
    s3 = net.bridges["s3"]
    assert roles(s3) == {"A2": (Role.ROOT, State.FORWARDING)}
    assert s3.root.cost == 40000 and s3.root.root == net.bridges["s1"].bridge
    assert roles(net.bridges["s2"])["A2"] == (Role.DESIGNATED, State.FORWARDING)
    assert "A2" in net.hooks["s3"].flushed or "A1" in net.hooks["s3"].flushed


def test_losing_the_root_bridge_link_on_one_side_ages_out_in_three_hellos() -> None:
    net = triangle()
    net.run(5)
    # s3 stops hearing s1 (a one-way failure): its info ages out after 3 x hello
    del net.wires[("s1", "A2")]  # the last BPDU s3 heard on A1 came at 4 s
    net.run(4.9)
    assert roles(net.bridges["s3"])["A1"][0] == Role.ROOT
    net.run(0.2)
    assert roles(net.bridges["s3"])["A2"] == (Role.ROOT, State.FORWARDING)


def test_a_host_port_becomes_an_edge_after_three_quiet_seconds() -> None:
    net = Net()
    s = net.bridge("s", 1, ("A1", "A2"), ports={"A2": PortSettings(admin_edge=True)})
    s.link("A1", True, 0.0)
    s.link("A2", True, 0.0)
    assert s.state("A2") == State.FORWARDING  # admin-edge: at once
    assert s.state("A1") == State.DISCARDING
    net.run(2.9)
    assert s.state("A1") == State.DISCARDING
    net.run(0.2)
    assert s.state("A1") == State.FORWARDING and s.ports["A1"].oper_edge
    assert s.tc_count == 0  # edges coming up change no topology


def test_priority_decides_the_root() -> None:
    net = Net()
    net.bridge("a", 1, ("A1",))
    b = net.bridge("b", 2, ("A1",), priority=4096)
    net.wire("a", "A1", "b", "A1")
    assert b.root_port is None and net.bridges["a"].root.root == b.bridge
    assert net.bridges["a"].ports["A1"].role == Role.ROOT


def test_a_legacy_stp_neighbour_gets_config_bpdus_and_forward_delay() -> None:
    net = triangle()
    s1, s2 = net.bridges["s1"], net.bridges["s2"]
    before = len(net.hooks["s2"].sent)
    s2.configure(Settings(enabled=True, version=Version.STP), net.now)
    net.deliver()
    net.run(1)
    sent = [stp.decode(f) for p, f in net.hooks["s2"].sent[before:]]
    assert sent
    assert {b.kind for b in sent if b} <= {0x00, 0x80}  # config and TCN BPDUs only
    net.run(40)
    assert s1.ports["A1"].rstp is False  # s1 migrated its port to 802.1D
    assert s1.ports["A1"].state == State.FORWARDING
    assert s2.ports["A1"].role == Role.ROOT


def test_bpdu_protection_disables_the_port_and_logs() -> None:
    net = Net()
    net.bridge("a", 1, ("A1",))
    b = net.bridge("b", 2, ("A1",), ports={"A1": PortSettings(bpdu_protection=True)})
    net.wire("a", "A1", "b", "A1")
    assert net.hooks["b"].protected == ["A1"]
    assert net.hooks["b"].logged == ["port A1 disabled - BPDU received on protected port."]
    assert b.ports["A1"].role == Role.DISABLED and b.ports["A1"].state == State.DISCARDING


def test_root_guard_keeps_a_superior_bridge_from_becoming_root_through_the_port() -> None:
    net = Net()
    net.bridge("rogue", 1, ("A1",))
    b = net.bridge("b", 2, ("A1", "A2"), ports={"A1": PortSettings(root_guard=True)})
    net.wire("rogue", "A1", "b", "A1")
    assert b.root_port is None
    assert roles(b)["A1"] == (Role.ALTERNATE, State.DISCARDING)
    assert b.ports["A1"].root_inconsistent


def test_bpdu_filter_neither_sends_nor_hears() -> None:
    net = Net()
    net.bridge("a", 1, ("A1",))
    b = net.bridge("b", 2, ("A1",), ports={"A1": PortSettings(bpdu_filter=True)})
    net.wire("a", "A1", "b", "A1")
    net.run(10)
    assert net.hooks["b"].sent == []
    assert b.root_port is None and b.ports["A1"].bpdus_received == 0


def test_tcn_guard_does_not_propagate_a_received_topology_change() -> None:
    net = triangle()
    net.run(5)
    s2 = net.bridges["s2"]
    s2.configure(Settings(enabled=True, ports={"A1": PortSettings(tcn_guard=True)}), net.now)
    count = s2.tc_count
    flushed = len(net.hooks["s2"].flushed)
    net.bridges["s1"].ports["A1"].tc_until = net.now + 4  # s1 says TC toward s2
    net.run(2.1)
    assert s2.tc_count == count and len(net.hooks["s2"].flushed) == flushed


def test_spanning_tree_off_forwards_everything_and_sends_nothing() -> None:
    net = Net()
    hooks = Recorder(net, "x")
    s = SpanningTree(bytes(6), {"A1": 1}, hooks)
    s.link("A1", True, 0.0)
    assert s.ports["A1"].state == State.FORWARDING and s.deadline() is None
    s.receive("A1", bytes(60), 0.0)
    assert hooks.sent == [] and hooks.protected == []


def test_our_mst_bpdu_reads_in_scapy() -> None:
    mac = bytes.fromhex("001871c30000")
    regional = stp.bridge_id(32768, mac)
    vector = stp.Vector(stp.bridge_id(4096, mac), 20000, regional, 40000,
                        stp.bridge_id(36864, bytes(6)), 0x8001)
    bpdu = stp.Bpdu(0x02, 3, 0x3E, vector, 1.0,
                    region=b"\x00" + b"x" * 32 + b"\x00\x01" + bytes(16), hops=17)
    frame = Dot3(stp.encode(mac, bpdu))
    assert frame.dst == "01:80:c2:00:00:00" and frame[LLC].dsap == 0x42
    layer = frame[STP]
    assert (layer.version, layer.bpdutype, layer.bpduflags) == (3, 2, 0x3E)
    assert layer.rootid == 4096 and layer.rootmac == "00:18:71:c3:00:00"
    assert layer.pathcost == 20000 and layer.bridgeid == 32768 and layer.portid == 0x8001
    assert layer.age == 1.0 and layer.maxage == 20 and layer.hellotime == 2
    assert layer.fwddelay == 15
    back = stp.decode(raw(frame))
    assert back is not None and back.vector == bpdu.vector and back.region == bpdu.region
    assert back.hops == 17


def test_a_scapy_config_bpdu_decodes() -> None:
    frame = raw(Dot3(dst="01:80:c2:00:00:00", src="00:00:00:00:00:01") / LLC() / STP(
        rootid=32768, rootmac="00:00:00:00:00:01", pathcost=4, bridgeid=32768,
        bridgemac="00:00:00:00:00:01", portid=0x8002, bpduflags=0x81))
    bpdu = stp.decode(frame)
    assert bpdu is not None and bpdu.kind == 0 and bpdu.flags == 0x81
    assert bpdu.vector.cost == 4 and bpdu.vector.port == 0x8002


def test_malformed_bpdus_decode_to_none() -> None:
    good = stp.encode(bytes(6), stp.Bpdu(0x02, 2))
    for bad in (good[:20], good[:14] + b"\x42\x42\x00" + good[17:], good[:17] + b"\x00\x01",
                good[:30]):
        assert stp.decode(bad) is None


def test_the_default_mst_digest_is_the_well_known_one() -> None:
    assert stp.config_digest({}).hex() == "ac36177f50283cd4b83821d8ab26de62"


@given(st.binary(max_size=200), st.integers(0, 255))
def test_any_frame_is_decoded_or_refused_and_never_breaks_the_engine(body: bytes,
                                                                     kind: int) -> None:
    net = Net()
    s = net.bridge("s", 1, ("A1",))
    s.link("A1", True, 0.0)
    header = stp.MULTICAST + bytes(6) + len(body).to_bytes(2, "big")
    for frame in (header + body, header + stp.LLC + b"\x00\x00\x03" + bytes([kind]) + body):
        stp.decode(frame)
        s.receive("A1", frame, 1.0)
    s.tick(100.0)
    assert s.ports["A1"].role in (Role.DESIGNATED, Role.ROOT, Role.ALTERNATE, Role.BACKUP)


def test_a_trunk_joins_as_one_more_port_and_leaves_cleanly() -> None:
    net = Net()
    net.bridge("a", 1, ("A1",))
    b = net.bridge("b", 2, ("A1",))
    b.add_port("Trk1", 289)
    net.wire("a", "A1", "b", "Trk1")
    assert b.root_port == "Trk1" and b.state("Trk1") == State.FORWARDING
    b.remove_port("Trk1", net.now)
    assert b.root_port is None and "Trk1" not in b.ports


# --- MST regions ---------------------------------------------------------------------------

def region_triangle(net: Net, **kw: object) -> None:
    """s1 (lowest MAC), s2, s3 in one region ("lab", revision 1), each pair joined."""
    for name, mac in (("s1", 1), ("s2", 2), ("s3", 3)):
        net.bridge(name, mac, ("A1", "A2", "A3"), config_name="lab", config_revision=1, **kw)
    net.wire("s1", "A1", "s2", "A1")
    net.wire("s1", "A2", "s3", "A1")
    net.wire("s2", "A2", "s3", "A2")


def test_a_region_alone_elects_its_regional_root_and_counts_internal_cost() -> None:
    net = Net()
    region_triangle(net)
    s1, s2, s3 = (net.bridges[n] for n in ("s1", "s2", "s3"))
    assert all(p.internal for b in (s1, s2, s3) for p in b.ports.values() if p.up)
    assert {b.root.regional for b in (s1, s2, s3)} == {s1.bridge}
    assert (s2.root.cost, s2.root.internal) == (0, 20000)  # no cost outside the region
    assert roles(s3) == {"A1": (Role.ROOT, State.FORWARDING),
                         "A2": (Role.ALTERNATE, State.DISCARDING)}
    assert net.now == 0.0
    snap = s3.snapshot(net.now)
    assert snap["regional_root"] == s1.bridge.hex() and snap["internal_cost"] == 20000
    assert snap["hops"] == stp.MAX_HOPS - 1 and snap["ports"]["A1"]["boundary"] is False


def test_a_region_next_to_an_rstp_bridge_is_one_bridge_to_it() -> None:
    """x (RSTP, the CIST root) is wired to s2 and s3 of a region: the region keeps exactly
    one path to it, through its regional root s2 (the better of the two boundary bridges)."""
    net = Net()
    region_triangle(net)
    net.bridge("x", 9, ("A1", "A2"), priority=4096, version=Version.RSTP)
    net.wire("x", "A1", "s2", "A3")
    net.wire("x", "A2", "s3", "A3")
    net.run(10)
    x, s1, s2, s3 = (net.bridges[n] for n in ("x", "s1", "s2", "s3"))
    assert {b.root.root for b in (s1, s2, s3)} == {x.bridge}
    assert {b.root.regional for b in (s1, s2, s3)} == {s2.bridge}  # its root port: boundary
    assert s2.root_port == "A3" and not s2.ports["A3"].internal
    assert s1.root_port == "A1" and s3.root_port == "A2"  # both reach it inside the region
    assert roles(s3)["A3"] == (Role.ALTERNATE, State.DISCARDING)
    assert roles(s1)["A2"] == (Role.DESIGNATED, State.FORWARDING)
    assert {p: r for p, (r, _) in roles(x).items()} == {"A1": Role.DESIGNATED,
                                                         "A2": Role.DESIGNATED}


# --- MST instances -------------------------------------------------------------------------

INSTANCES = {1: (10,), 2: (20,)}


def instance_roles(engine: SpanningTree, mstid: int) -> dict[str, tuple[Role, State]]:
    return {p.name: (p.msti[mstid].role, p.msti[mstid].state)
            for p in engine.ports.values() if p.up}


def blocked(net: Net, mstid: int) -> set[tuple[str, str]]:
    return {(name, port) for name, b in net.bridges.items() for port, p in b.ports.items()
            if p.up and b.state(port, mstid) != State.FORWARDING}


def test_each_instance_of_a_region_has_its_own_root_and_blocks_its_own_link() -> None:
    """The CIST's root is s1; instance 1's is s2 and instance 2's s3 (by their instance
    priorities): each tree blocks the link its root is not on, at once."""
    net = Net()
    for name, mac in (("s1", 1), ("s2", 2), ("s3", 3)):
        mine = {1: 4096} if name == "s2" else {2: 4096} if name == "s3" else {}
        net.bridge(name, mac, ("A1", "A2", "A3"), config_name="lab", instances=INSTANCES,
                   instance_priority=mine)
    net.wire("s1", "A1", "s2", "A1")
    net.wire("s1", "A2", "s3", "A1")
    net.wire("s2", "A2", "s3", "A2")
    s1, s2, s3 = (net.bridges[n] for n in ("s1", "s2", "s3"))
    assert net.now == 0.0  # proposal and agreement in every tree, no timer
    assert blocked(net, 0) == {("s3", "A2")}  # the CIST's: s2-s3, away from s1
    assert blocked(net, 1) == {("s3", "A1")}  # instance 1's: s1-s3, away from s2
    assert blocked(net, 2) == {("s2", "A1")}  # instance 2's: s1-s2, away from s3
    assert s1.mstis[1].root.regional == s2.mstis[1].bridge == s3.mstis[1].root.regional
    assert s2.mstis[1].root_port is None and s1.mstis[1].root_port == "A1"
    assert s1.mstis[2].root.regional == s3.mstis[2].bridge and s1.mstis[2].root.internal == 20000
    assert s2.mstis[1].bridge == stp.bridge_id(4096 | 1, s2.mac)  # MSTID in the system ID
    assert instance_roles(s3, 1) == {"A1": (Role.ALTERNATE, State.DISCARDING),
                                     "A2": (Role.ROOT, State.FORWARDING)}
    net.run(30)  # hellos keep it so
    assert (blocked(net, 0), blocked(net, 1), blocked(net, 2)) == (
        {("s3", "A2")}, {("s3", "A1")}, {("s2", "A1")})
    snap = s3.snapshot(net.now)["instances"]["1"]
    assert snap["regional_root"] == s2.mstis[1].bridge.hex() and snap["root_port"] == "A2"
    assert snap["ports"]["A1"]["role"] == "Alternate" and snap["root_cost"] == 20000

    # instance 1's root link s2-s3 breaks: s3 unblocks its port toward s1 without a timer
    net.cut("s2", "A2")
    assert blocked(net, 1) == set() and s3.mstis[1].root_port == "A1"
    assert s3.mstis[1].root.internal == 40000


def test_a_region_next_to_an_rstp_bridge_has_one_path_out_in_every_instance() -> None:
    net = Net()
    for name, mac in (("s1", 1), ("s2", 2), ("s3", 3)):
        mine = {1: 4096} if name == "s1" else {2: 4096} if name == "s3" else {}
        net.bridge(name, mac, ("A1", "A2", "A3"), config_name="lab", instances=INSTANCES,
                   instance_priority=mine)
    net.wire("s1", "A1", "s2", "A1")
    net.wire("s1", "A2", "s3", "A1")
    net.wire("s2", "A2", "s3", "A2")
    net.bridge("x", 9, ("A1", "A2"), priority=4096, version=Version.RSTP)
    net.wire("x", "A1", "s2", "A3")
    net.wire("x", "A2", "s3", "A3")
    net.run(10)
    s2, s3 = net.bridges["s2"], net.bridges["s3"]
    for mstid in (0, 1, 2):  # s2 is the regional root: its boundary port is the way out
        assert s2.state("A3", mstid) == State.FORWARDING
        assert s3.state("A3", mstid) == State.DISCARDING
    assert s2.ports["A3"].msti[1].role == Role.MASTER
    assert s3.ports["A3"].msti[2].role == Role.ALTERNATE
    # inside, each instance still has its own tree: a loop-free one (one blocked link each)
    inside = {("s1", "A1"), ("s1", "A2"), ("s2", "A1"), ("s2", "A2"), ("s3", "A1"),
              ("s3", "A2")}
    assert len(blocked(net, 1) & inside) == 1 and len(blocked(net, 2) & inside) == 1
    assert blocked(net, 1) & inside != blocked(net, 2) & inside


def test_an_mst_bpdu_with_msti_messages_round_trips() -> None:
    mac = bytes.fromhex("001871c30000")
    records = (stp.MstiRecord(0x7C, stp.bridge_id(4096 | 1, mac), 20000, 0x80, 0x80, 19),
               stp.MstiRecord(0x81, stp.bridge_id(32768 | 2, mac), 0, 0x10, 0x20, 20))
    vector = stp.Vector(stp.bridge_id(32768, mac), 0, stp.bridge_id(32768, mac), 0,
                        stp.bridge_id(32768, mac), 0x8003)
    bpdu = stp.Bpdu(0x02, 3, 0x3C, vector, region=b"\x00" + b"lab".ljust(32, b"\x00")
                    + b"\x00\x00" + stp.config_digest(INSTANCES), mstis=records)
    frame = stp.encode(mac, bpdu)
    assert len(frame) == 14 + 3 + 102 + 32
    back = stp.decode(frame)
    assert back == bpdu
    assert [r.mstid for r in back.mstis] == [1, 2] and back.mstis[0].role == 3
    assert Dot3(frame)[STP].version == 3  # scapy still reads the CIST part


@given(st.lists(st.tuples(st.integers(0, 255), st.binary(min_size=8, max_size=8),
                          st.integers(0, 2**32 - 1), st.integers(0, 255), st.integers(0, 255),
                          st.integers(0, 255)), max_size=4),
       st.binary(max_size=40), st.integers(0, 0xFFFF))
def test_any_msti_messages_decode_or_are_refused_and_never_break_the_engine(
        records: list[tuple[int, bytes, int, int, int, int]], tail: bytes, v3: int) -> None:
    net = Net()
    s = net.bridge("s", 1, ("A1",), config_name="lab", instances=INSTANCES)
    s.link("A1", True, 0.0)
    region = s.region
    good = stp.encode(bytes(6), stp.Bpdu(0x02, 3, 0x7C, stp.Vector(
        bytes(8), 0, bytes(8), 0, bytes(8), 1), region=region,
        mstis=tuple(stp.MstiRecord(*r) for r in records)))
    mangled = good[:53] + v3.to_bytes(2, "big") + good[55:] + tail
    for frame in (good, good + tail, mangled):
        bpdu = stp.decode(frame)
        assert bpdu is None or len(bpdu.mstis) <= stp.MAX_MSTIS
        s.receive("A1", frame, 1.0)
    s.tick(100.0)
    assert s.ports["A1"].msti[1].role != Role.DISABLED


def test_an_instance_port_cost_moves_only_that_instances_root_port() -> None:
    net = Net()
    for name, mac in (("s1", 1), ("s2", 2), ("s3", 3)):
        own = {1: {"A1": (100000, 128)}} if name == "s3" else {}
        net.bridge(name, mac, ("A1", "A2", "A3"), config_name="lab", instances=INSTANCES,
                   instance_ports=own)
    net.wire("s1", "A1", "s2", "A1")
    net.wire("s1", "A2", "s3", "A1")
    net.wire("s2", "A2", "s3", "A2")
    s3 = net.bridges["s3"]
    assert s3.root_port == "A1" and s3.mstis[2].root_port == "A1"
    assert s3.mstis[1].root_port == "A2" and s3.mstis[1].root.internal == 40000
    assert blocked(net, 1) == {("s3", "A1")} and blocked(net, 0) == {("s3", "A2")}
    row = s3.snapshot(net.now)["instances"]["1"]["ports"]["A1"]
    assert (row["cost"], row["priority"], row["role"]) == (100000, 128, "Alternate")
