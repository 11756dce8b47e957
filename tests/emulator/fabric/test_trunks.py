"""Trunks below the bridge, in the fabric process' own logic: a trunk is one bridge port whose
frames leave by one member per conversation and whose members' frames enter as the trunk's;
a member going down moves its conversations; LACP decides an LACP trunk's links. The wires
are in-memory recorders (the end-to-end tests wire real peers: tests/e2e/test_trunks.py)."""

from __future__ import annotations

from collections import Counter

from emulator.fabric import lacp, lldp, stp
from emulator.fabric.bridge import COUNTER_FIELDS
from emulator.fabric.offload import GSO_TCPV4, SuperFrame
from emulator.fabric.process import Fabric
from emulator.fabric.trunks import RX_BYTES, RX_UNICAST, count, link_hash
from emulator.ipc.messages import FabricProgram, FabricQuery
from emulator.portspec import parse_backend

HOST_A = bytes.fromhex("020000000001")
BROADCAST = b"\xff" * 6


class RecordingWire:
    """A port back-end that keeps what the fabric sends."""

    def __init__(self) -> None:
        self.sent: list[bytes] = []
        self.carrier = False

    def send(self, frame: bytes) -> None:
        self.sent.append(frame)

    def set_carrier(self, up: bool) -> None:
        self.carrier = up

    def close(self) -> None:
        pass


def frame(dst: bytes, src: bytes, ip_src: int = 1, ip_dst: int = 2) -> bytes:
    """An untagged IPv4 frame whose addresses end in `ip_src` and `ip_dst`."""
    header = bytes(12) + bytes((10, 0, 0, ip_src, 10, 0, 0, ip_dst))
    return dst + src + b"\x08\x00" + bytes([0x45]) + header[1:] + bytes(26)


def fabric(kind: str = "trunk", members: tuple[str, ...] = ("A1", "A2")) -> Fabric:
    ports = ("A1", "A2", "A3", "A4")
    f = Fabric({p: parse_backend(f"tap:x{p}") for p in ports}, 300, mac=bytes(range(6)))
    for port in ports:
        f.plug(port, RecordingWire())  # type: ignore[arg-type]
    outside = [p for p in ports if p not in members]
    f.program(FabricProgram(
        pvid={**dict.fromkeys(outside, 1), "Trk1": 1}, tagged={},
        trunks={"Trk1": list(members)}, trunk_kinds={"Trk1": kind}))
    return f


def sent(f: Fabric, port: str) -> list[bytes]:
    """The data frames a port sent (its LLDP adverts and LACPDUs left out)."""
    wire = f.wires[port]
    assert isinstance(wire, RecordingWire)
    return [data for data in wire.sent if data[:5] != b"\x01\x80\xc2\x00\x00"]


def inject(f: Fabric, port: str, data: bytes) -> None:
    f.receivers.get(port, f.bridge.receive)(port, data)


def test_member_frames_enter_as_the_trunk_and_are_learned_there() -> None:
    f = fabric()
    inject(f, "A2", frame(BROADCAST, HOST_A))
    assert sent(f, "A3") and sent(f, "A4")
    assert sent(f, "A1") == []  # never back into the trunk it came from
    assert f.bridge.mac_table() == [("020000-000001", "Trk1", 1)]
    assert f.state(FabricQuery()).macs == [["020000-000001", "Trk1", 1]]


def test_conversations_spread_over_the_members_and_each_keeps_one_link() -> None:
    f = fabric()
    inject(f, "A1", frame(BROADCAST, HOST_A))  # learned on Trk1
    hosts = [bytes.fromhex(f"0200000001{n:02x}") for n in range(32)]
    for n, host in enumerate(hosts):
        for _ in range(3):
            inject(f, "A3", frame(HOST_A, host, ip_src=n, ip_dst=7))
    a1, a2 = sent(f, "A1"), sent(f, "A2")
    assert len(a1) + len(a2) == 3 * len(hosts)
    assert len(a1) >= 8 and len(a2) >= 8
    per_link = {link: Counter(data[6:12] for data in frames) for link, frames in
                (("A1", a1), ("A2", a2))}
    assert not set(per_link["A1"]) & set(per_link["A2"])  # no conversation split
    # Each member counts what it sent; the trunk counts them all, as a port would.
    assert f.bridge.counters("A1")["tx_unicast"] == len(a1)
    assert f.bridge.counters("A2")["tx_unicast"] == len(a2)
    assert f.bridge.counters("Trk1")["tx_unicast"] == 3 * len(hosts)
    assert f.bridge.counters("A1")["rx_bcast"] == f.bridge.counters("Trk1")["rx_bcast"] == 1


def test_a_member_going_down_moves_its_traffic_and_the_last_one_takes_the_trunk_down() -> None:
    f = fabric()
    inject(f, "A1", frame(BROADCAST, HOST_A))
    del f.wires["A2"]
    f.apply_port("A2")  # carrier gone
    assert f.trunks.up["Trk1"] == ("A1",)
    for n in range(16):
        inject(f, "A3", frame(HOST_A, bytes.fromhex(f"0200000002{n:02x}"), ip_src=n))
    assert len(sent(f, "A1")) == 16
    del f.wires["A1"]
    f.apply_port("A1")
    assert f.trunks.up["Trk1"] == ()
    # What the trunk learned is forgotten with it.
    assert [row for row in f.bridge.mac_table() if row[1] == "Trk1"] == []
    flooded = len(sent(f, "A4"))
    inject(f, "A1", frame(BROADCAST, HOST_A))  # a down member's frames go nowhere
    assert len(sent(f, "A4")) == flooded
    assert f.carrier["A1"] is False


def test_an_lacp_trunk_carries_nothing_until_its_partner_agrees() -> None:
    f = fabric("lacp")
    assert f.trunks.up["Trk1"] == ()
    inject(f, "A1", frame(BROADCAST, HOST_A))
    assert sent(f, "A3") == []
    partner = lacp.Lacp(bytes.fromhex("001871d40000"))
    partner.configure({"B1": (True, 1, "Trk1"), "B2": (True, 2, "Trk1")})
    for port in ("B1", "B2"):
        partner.link(port, True, 0.0)
    wiring = {"B1": "A1", "B2": "A2"}
    for step in range(10):
        now = step * 0.1
        for port, pdu in partner.tick(now):
            inject(f, wiring[port], pdu)
        for port, pdu in f.lacp.tick(now):
            partner.receive({v: k for k, v in wiring.items()}[port], pdu, now)
    f.update_trunks()
    assert f.trunks.up["Trk1"] == ("A1", "A2")
    rows = {row["port"]: row for row in f.state(FabricQuery()).lacp}
    assert rows["A1"]["partner_system"] == "001871-d40000" and rows["A2"]["distributing"]
    inject(f, "A1", frame(BROADCAST, HOST_A))
    assert sent(f, "A3")


def test_the_hash_reads_ip_addresses_tagged_or_not_and_macs_otherwise() -> None:
    untagged = frame(HOST_A, BROADCAST, ip_src=5, ip_dst=3)
    tagged = untagged[:12] + b"\x81\x00\x00\x0a" + untagged[12:]
    assert link_hash(untagged) == link_hash(tagged) == 5 ^ 3
    arp = HOST_A + bytes.fromhex("02000000000e") + b"\x08\x06" + bytes(28)
    assert link_hash(arp) == 0x01 ^ 0x0E
    assert link_hash(untagged[:20]) == untagged[5] ^ untagged[11]


def test_lldp_runs_per_member() -> None:
    """A neighbour's advert on a member is that member's neighbour; our adverts go out on
    every member with the trunk's VLAN."""
    f = fabric()
    f.local = lldp.LocalSystem(bytes(range(6)), "sw", "descr")
    neighbour = lldp.encode(lldp.LocalSystem(bytes.fromhex("001871d40000"), "peer", "d"),
                            "7", "B7", 120)
    inject(f, "A2", neighbour)
    assert [port for port, _ in f.neighbors.rows(0.0)] == ["A2"]
    assert sent(f, "A3") == []  # never forwarded
    f.send_advert("A1")
    wire = f.wires["A1"]
    assert isinstance(wire, RecordingWire)
    advert = lldp.decode(wire.sent[-1])
    assert advert is not None and advert.port_descr == "A1" and advert.pvid == 1


def test_dynamic_lacp_ports_bundle_into_a_dyn_trunk_in_the_default_vlan() -> None:
    ports = ("A1", "A2", "A3")
    f = Fabric({p: parse_backend(f"tap:x{p}") for p in ports}, 300, mac=bytes(range(6)))
    for port in ports:
        f.plug(port, RecordingWire())  # type: ignore[arg-type]
    f.program(FabricProgram(pvid=dict.fromkeys(ports, 1), tagged={},
                            lacp={"A1": "active", "A2": "passive"}))
    inject(f, "A3", frame(BROADCAST, HOST_A))
    assert len(sent(f, "A1")) == len(sent(f, "A2")) == 1  # two plain ports before LACP
    partner = lacp.Lacp(bytes.fromhex("001871d40000"))
    partner.configure({"B1": (True, 1, "Trk1"), "B2": (True, 2, "Trk1")})
    wiring = {"B1": "A1", "B2": "A2"}
    for step in range(10):
        now = step * 0.1
        for port in ("B1", "B2"):
            partner.link(port, True, now)
        for port, pdu in partner.tick(now):
            inject(f, wiring[port], pdu)
        for port, pdu in f.lacp.tick(now):
            partner.receive({v: k for k, v in wiring.items()}[port], pdu, now)
    f.update_trunks()
    assert f.trunks.members["Dyn1"] == ("A1", "A2") and f.trunks.up["Dyn1"] == ("A1", "A2")
    inject(f, "A3", frame(BROADCAST, HOST_A))
    assert len(sent(f, "A1")) + len(sent(f, "A2")) == 3  # one copy, over one member
    inject(f, "A2", frame(BROADCAST, bytes.fromhex("020000000009")))
    assert ("020000-000009", "Dyn1", 1) in f.bridge.mac_table()
    rows = {row["port"]: row["trunk"] for row in f.state(FabricQuery()).lacp}
    assert rows == {"A1": "Dyn1", "A2": "Dyn1"}
    f.wires.pop("A1")
    f.wires.pop("A2")
    f.apply_port("A1")
    f.apply_port("A2")
    assert "Dyn1" not in f.trunks.members  # the links gone, the trunk is gone


def test_bpdus_on_a_member_are_the_trunks() -> None:
    """Spanning tree sees a trunk as one port: a BPDU on a member reaches the control path
    as the trunk's (LACP and LLDP stay per member, see above)."""
    f = fabric()
    seen: list[str] = []
    f.bridge.control = lambda port, vid, data: seen.append(port)
    bpdu = bytes.fromhex("0180c2000000") + HOST_A + b"\x00\x26\x42\x42\x03" + bytes(39)
    inject(f, "A2", bpdu)
    assert seen == ["Trk1"]
    assert sent(f, "A3") == []  # never forwarded


def test_spanning_tree_sees_a_trunk_as_one_port_and_speaks_on_one_member() -> None:
    """With spanning tree on, Trk1 is a port of the tree in place of its members: its BPDUs
    leave by one member (as the trunk's other frames do), the members send none of their own,
    and the ports outside it keep theirs."""
    f = Fabric({p: parse_backend(f"tap:x{p}") for p in ("A1", "A2", "A3")}, 300,
               mac=bytes(range(6)))
    for port in ("A1", "A2", "A3"):
        f.plug(port, RecordingWire())  # type: ignore[arg-type]
    f.program(FabricProgram(
        pvid={"A3": 1, "Trk1": 1}, tagged={}, trunks={"Trk1": ["A1", "A2"]},
        trunk_kinds={"Trk1": "trunk"},
        spanning_tree=stp.settings_to_wire(stp.Settings(enabled=True))))
    assert set(f.stp.engine.ports) == {"A3", "Trk1"}
    assert f.stp.engine.ports["Trk1"].up
    f.stp.fire()  # the hello timer's first round

    def bpdus(port: str) -> int:
        wire = f.wires[port]
        assert isinstance(wire, RecordingWire)
        return sum(1 for data in wire.sent if data[:6] == stp.MULTICAST)

    # a lone bridge is root: each of its two tree ports sends one BPDU per hello
    assert bpdus("A3") >= 1
    assert bpdus("A1") + bpdus("A2") == bpdus("A3")


def test_a_super_frame_counts_as_its_segments_on_a_member() -> None:
    """Members keep their own counters below the bridge: as the bridge does, a TCP
    super-frame counts as the segments (and their octets) it stands for."""
    head = frame(HOST_A, HOST_A)[:14] + bytes([0x45]) + bytes(8) + bytes([6]) + bytes(10)
    tcp = bytes(12) + bytes([0x50]) + bytes(7)
    whole = SuperFrame(head + tcp + bytes(4000), GSO_TCPV4, 1448, 34, 16, 54)
    counters = [0] * len(COUNTER_FIELDS)
    count(counters, whole, RX_BYTES, RX_UNICAST)
    assert counters[RX_UNICAST] == 3 and counters[RX_BYTES] == len(whole) + 2 * 54
