"""The forwarding core: 802.1Q learning bridge on raw bytes (emulator/fabric/bridge.py).

Frames are built and parsed with scapy here, in the tests only; the bridge never sees scapy.
"""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scapy.layers.inet import IP, TCP, UDP
from scapy.layers.l2 import Dot1Q, Ether
from scapy.packet import Packet, Raw, raw

from emulator.device import PortCounters
from emulator.fabric.bridge import COUNTER_FIELDS, Bridge
from emulator.fabric.offload import GSO_TCPV4, VNET_HDR, SuperFrame

PORTS = ("A1", "A2", "A3", "A4", "B1")
H1 = "00:00:00:00:00:01"
H2 = "00:00:00:00:00:02"
H3 = "00:00:00:00:00:03"
BCAST = "ff:ff:ff:ff:ff:ff"
LLDP_MAC = "01:80:c2:00:00:0e"


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


class Lab:
    """A bridge with every port attached to a list that collects what it sends."""

    def __init__(self, mac_age: float = 300.0, own_macs: tuple[bytes, ...] = ()) -> None:
        self.clock = Clock()
        self.bridge = Bridge(PORTS, mac_age, now=self.clock, own_macs=own_macs)
        self.sent: dict[str, list[bytes]] = {name: [] for name in PORTS}
        self.controls: list[tuple[str, int, bytes]] = []
        for name in PORTS:
            self.bridge.attach(name, self.sent[name].append)
        self.bridge.control = lambda port, vid, frame: self.controls.append((port, vid, frame))

    def port(self, name: str, pvid: int | None = 1, tagged: tuple[int, ...] = ()) -> None:
        self.bridge.configure(name, enabled=True, pvid=pvid, tagged=tagged)

    def send(self, port: str, pkt: Packet | bytes) -> None:
        self.bridge.receive(port, pkt if isinstance(pkt, bytes) else raw(pkt))

    def take(self) -> dict[str, list[bytes]]:
        """What each port sent since the last take (ports that sent nothing left out)."""
        out = {name: list(frames) for name, frames in self.sent.items() if frames}
        for frames in self.sent.values():
            frames.clear()
        return out


def udp(src: str, dst: str, payload: bytes = b"x" * 18) -> Packet:
    return Ether(src=src, dst=dst) / IP(src="10.0.0.1", dst="10.0.0.2") / UDP() / Raw(payload)


def tagged(src: str, dst: str, vid: int, prio: int = 0, payload: bytes = b"x" * 18) -> Packet:
    return (
        Ether(src=src, dst=dst)
        / Dot1Q(vlan=vid, prio=prio)
        / IP(src="10.0.0.1", dst="10.0.0.2")
        / UDP()
        / Raw(payload)
    )


@pytest.fixture
def lab() -> Lab:
    lab = Lab()
    for name in PORTS:
        lab.port(name)
    return lab


def test_counter_fields_are_port_counters() -> None:
    assert tuple(f.name for f in dataclasses.fields(PortCounters)) == COUNTER_FIELDS
    assert set(Bridge(PORTS, 300).counters("A1")) == set(COUNTER_FIELDS)


def test_unknown_unicast_floods_then_learned_unicast_goes_to_one_port(lab: Lab) -> None:
    first = raw(udp(H1, H2))
    lab.send("A1", first)
    assert lab.take() == {"A2": [first], "A3": [first], "A4": [first], "B1": [first]}
    reply = raw(udp(H2, H1))
    lab.send("A3", reply)
    assert lab.take() == {"A1": [reply]}  # H1 was learned on A1
    lab.send("A1", first)
    assert lab.take() == {"A3": [first]}  # and H2 on A3


def test_station_move_relearned(lab: Lab) -> None:
    lab.send("A1", udp(H1, BCAST))
    lab.send("A2", udp(H1, BCAST))
    lab.take()
    lab.send("A3", udp(H3, H1))
    assert list(lab.take()) == ["A2"]


def test_broadcast_and_multicast_flood_within_vlan_only(lab: Lab) -> None:
    lab.port("A3", pvid=20)
    lab.port("A4", pvid=20)
    for dst in (BCAST, "01:00:5e:00:00:05", H3):
        frame = raw(udp(H1, dst))
        lab.send("A1", frame)
        assert lab.take() == {"A2": [frame], "B1": [frame]}, dst


def test_vlan_isolation_same_mac_in_two_vlans() -> None:
    lab = Lab()
    lab.port("A1", pvid=10)
    lab.port("A2", pvid=10)
    lab.port("A3", pvid=20)
    lab.port("A4", pvid=20)
    lab.send("A1", udp(H1, BCAST))
    lab.send("A3", udp(H1, BCAST))  # the same MAC in VLAN 20 is a separate entry
    lab.take()
    lab.send("A2", udp(H2, H1))
    lab.send("A4", udp(H2, H1))
    assert sorted(lab.take()) == ["A1", "A3"]
    assert lab.bridge.mac_table() == [
        ("000000-000001", "A1", 10),
        ("000000-000002", "A2", 10),
        ("000000-000001", "A3", 20),
        ("000000-000002", "A4", 20),
    ]


def test_known_unicast_to_ingress_port_is_filtered(lab: Lab) -> None:
    lab.send("A1", udp(H1, BCAST))
    lab.send("A1", udp(H2, BCAST))
    lab.take()
    lab.send("A1", udp(H1, H2))
    assert lab.take() == {}
    assert lab.bridge.counters("A1")["rx_drops"] == 0


def test_tag_pushed_on_tagged_member_and_popped_on_untagged() -> None:
    lab = Lab()
    lab.port("A1", pvid=10)  # access port
    lab.port("A2", pvid=1, tagged=(10, 20))  # trunk
    lab.port("A3", pvid=None, tagged=(10,))
    lab.port("A4", pvid=20)

    lab.send("A1", udp(H1, BCAST))
    out = lab.take()
    assert sorted(out) == ["A2", "A3"]
    assert out["A2"][0] is out["A3"][0], "the tagged variant is built once per frame"
    pkt = Ether(out["A2"][0])
    assert pkt[Dot1Q].vlan == 10 and pkt[Dot1Q].prio == 0
    assert pkt[UDP].payload.load == b"x" * 18

    frame = tagged(H2, BCAST, 20, payload=b"hello")
    lab.send("A2", frame)
    out = lab.take()
    assert list(out) == ["A4"]
    pkt = Ether(out["A4"][0])
    assert Dot1Q not in pkt and pkt[UDP].payload.load == b"hello"
    assert out["A4"][0] == raw(udp(H2, BCAST, b"hello"))

    # A tagged frame for VLAN 10 reaches the access port untagged and the other trunk as is.
    frame = raw(tagged(H2, H1, 10))
    lab.send("A2", frame)
    assert lab.take() == {"A1": [raw(udp(H2, H1))]}  # H1 known on A1
    lab.send("A2", raw(tagged(H2, H3, 10)))
    out = lab.take()
    assert out["A3"] == [raw(tagged(H2, H3, 10))]
    assert out["A1"] == [raw(udp(H2, H3))]


def test_tagged_frame_for_the_untagged_vlan_is_accepted() -> None:
    lab = Lab()
    lab.port("A1", pvid=10)
    lab.port("A2", pvid=10)
    lab.send("A1", tagged(H1, BCAST, 10))
    assert lab.take() == {"A2": [raw(udp(H1, BCAST))]}


def test_pcp_kept_from_tagged_ingress() -> None:
    lab = Lab()
    lab.port("A1", pvid=None, tagged=(30,))
    lab.port("A2", pvid=None, tagged=(30,))
    lab.port("A3", pvid=30)
    lab.send("A1", tagged(H1, BCAST, 30, prio=5))
    out = lab.take()
    assert Ether(out["A2"][0])[Dot1Q].prio == 5
    assert Ether(out["A2"][0])[Dot1Q].vlan == 30
    assert Dot1Q not in Ether(out["A3"][0])
    # and untagged ingress gets PCP 0 on a tagged member
    lab.send("A3", udp(H3, BCAST))
    pkt = Ether(lab.take()["A1"][0])
    assert pkt[Dot1Q].prio == 0 and pkt[Dot1Q].vlan == 30


def test_priority_tag_means_pvid_and_keeps_pcp() -> None:
    lab = Lab()
    lab.port("A1", pvid=40)
    lab.port("A2", pvid=40)
    lab.port("A3", pvid=None, tagged=(40,))
    lab.send("A1", tagged(H1, BCAST, 0, prio=6))
    out = lab.take()
    assert out["A2"] == [raw(udp(H1, BCAST))]
    tag = Ether(out["A3"][0])[Dot1Q]
    assert (tag.vlan, tag.prio) == (40, 6)
    assert lab.bridge.mac_table() == [("000000-000001", "A1", 40)]


def test_priority_tag_without_pvid_dropped() -> None:
    lab = Lab()
    lab.port("A1", pvid=None, tagged=(40,))
    lab.port("A2", pvid=None, tagged=(40,))
    lab.send("A1", tagged(H1, BCAST, 0))
    assert lab.take() == {}
    assert lab.bridge.counters("A1")["rx_drops"] == 1


def test_non_member_vlan_dropped() -> None:
    lab = Lab()
    lab.port("A1", pvid=1, tagged=(10,))
    lab.port("A2", pvid=1, tagged=(10, 20))
    lab.send("A1", tagged(H1, BCAST, 20))  # A1 is not in VLAN 20
    lab.send("A1", tagged(H1, BCAST, 4095))  # reserved
    lab.send("A1", tagged(H1, BCAST, 99))  # a VLAN nobody has
    assert lab.take() == {}
    counters = lab.bridge.counters("A1")
    assert counters["rx_drops"] == 3 and counters["rx_bcast"] == 3
    assert lab.bridge.mac_table() == []


def test_untagged_on_port_without_pvid_dropped() -> None:
    lab = Lab()
    lab.port("A1", pvid=None, tagged=(10,))
    lab.port("A2", pvid=None, tagged=(10,))
    lab.send("A1", udp(H1, BCAST))
    assert lab.take() == {}
    assert lab.bridge.counters("A1")["rx_drops"] == 1


def test_disabled_port_neither_receives_nor_sends(lab: Lab) -> None:
    lab.bridge.configure("A2", enabled=False, pvid=1, tagged=())
    lab.send("A2", udp(H2, BCAST))
    assert lab.take() == {}
    assert lab.bridge.counters("A2") == dict.fromkeys(COUNTER_FIELDS, 0)
    lab.send("A1", udp(H1, BCAST))
    assert sorted(lab.take()) == ["A3", "A4", "B1"]


def test_disabling_a_port_forgets_its_addresses(lab: Lab) -> None:
    lab.send("A2", udp(H2, BCAST))
    lab.take()
    lab.bridge.configure("A2", enabled=False, pvid=1, tagged=())
    assert lab.bridge.mac_table() == []
    lab.bridge.configure("A2", enabled=True, pvid=1, tagged=())
    lab.send("A1", udp(H1, H2))
    assert sorted(lab.take()) == ["A2", "A3", "A4", "B1"]


def test_detached_port(lab: Lab) -> None:
    lab.bridge.attach("A2", None)
    lab.send("A2", udp(H2, BCAST))
    assert lab.take() == {}
    assert lab.bridge.counters("A2")["rx_drops"] == 1
    lab.send("A1", udp(H1, BCAST))
    assert sorted(lab.take()) == ["A3", "A4", "B1"]


@pytest.mark.parametrize("size", [0, 1, 13, 1515, 1519, 9000])
def test_runts_and_giants_are_errors(lab: Lab, size: int) -> None:
    lab.send("A1", b"\xff" * size)
    assert lab.take() == {}
    counters = lab.bridge.counters("A1")
    assert counters["rx_errors"] == 1
    assert counters["rx_bytes"] == 0 and counters["rx_drops"] == 0


def test_tagged_runt_is_an_error(lab: Lab) -> None:
    lab.send("A1", b"\xff" * 12 + b"\x81\x00\x00")
    assert lab.take() == {}
    assert lab.bridge.counters("A1")["rx_errors"] == 1


def test_limits_are_inclusive(lab: Lab) -> None:
    lab.send("A1", raw(Ether(src=H1, dst=BCAST, type=0x88B5)))  # 14 bytes
    big = raw(tagged(H1, BCAST, 1, payload=b"y" * 1472))
    assert len(big) == 1518
    lab.send("A1", big)
    lab.send("A1", big[:12] + big[16:])  # untagged, 1514
    lab.send("A1", big + b"z")  # tagged, 1519: a giant
    assert len(lab.take()["A2"]) == 3
    assert lab.bridge.counters("A1")["rx_errors"] == 1


def test_jumbo_vlans_take_frames_up_to_the_jumbo_size(lab: Lab) -> None:
    """A1 untagged in VLAN 1, tagged in 10 (the fixture); only VLAN 10 is jumbo."""
    lab.port("A1", pvid=1, tagged=(10,))
    lab.port("A2", pvid=1, tagged=(10,))
    lab.bridge.set_jumbo([10])
    jumbo = raw(tagged(H1, BCAST, 10, payload=b"j" * 9000))
    lab.send("A1", jumbo)
    lab.send("A1", raw(udp(H1, BCAST, payload=b"j" * 9000)))  # untagged: VLAN 1, not jumbo
    lab.send("A1", raw(tagged(H1, BCAST, 10, payload=b"j" * 9200)))  # beyond 9216
    assert lab.take()["A2"] == [jumbo]
    assert lab.bridge.counters("A1")["rx_errors"] == 2
    lab.bridge.set_jumbo([])
    lab.send("A1", jumbo)
    assert lab.take() == {} and lab.bridge.counters("A1")["rx_errors"] == 3


def test_lldp_goes_to_control_not_forwarded(lab: Lab) -> None:
    lldp = raw(Ether(src=H1, dst=LLDP_MAC, type=0x88CC) / Raw(b"\x02\x07\x04" + b"\x00" * 20))
    lab.send("A1", lldp)
    assert lab.take() == {}
    assert lab.controls == [("A1", 1, lldp)]
    assert lab.bridge.mac_table() == []
    assert lab.bridge.counters("A1")["rx_mcast"] == 1


@pytest.mark.parametrize("last", [0x00, 0x02, 0x03, 0x0F])
def test_link_local_group_addresses_never_forwarded(lab: Lab, last: int) -> None:
    lab.bridge.control = None
    lab.send("A1", raw(Ether(src=H1, dst=f"01:80:c2:00:00:{last:02x}") / Raw(b"\x00" * 46)))
    assert lab.take() == {}


def test_01_80_c2_00_00_10_is_forwarded(lab: Lab) -> None:
    lab.send("A1", raw(Ether(src=H1, dst="01:80:c2:00:00:10") / Raw(b"\x00" * 46)))
    assert len(lab.take()) == 4
    assert lab.controls == []


def test_control_frame_on_port_without_untagged_vlan() -> None:
    lab = Lab()
    lab.port("A1", pvid=None, tagged=(10,))
    frame = raw(Ether(src=H1, dst=LLDP_MAC, type=0x88CC) / Raw(b"\x00" * 46))
    lab.send("A1", frame)
    tagged_bpdu = raw(Ether(src=H1, dst="01:80:c2:00:00:00") / Dot1Q(vlan=10) / Raw(b"\0" * 42))
    lab.send("A1", tagged_bpdu)
    assert lab.controls == [("A1", 0, frame), ("A1", 10, tagged_bpdu)]


def test_aging_with_injected_clock() -> None:
    lab = Lab(mac_age=300)
    for name in PORTS:
        lab.port(name)
    lab.send("A2", udp(H2, BCAST))
    lab.take()
    lab.clock.t += 299
    lab.send("A1", udp(H1, H2))
    assert list(lab.take()) == ["A2"]
    assert [row[0] for row in lab.bridge.mac_table()] == ["000000-000001", "000000-000002"]
    lab.clock.t += 2  # H2 last seen 301 s ago, H1 2 s ago
    assert lab.bridge.mac_table() == [("000000-000001", "A1", 1)]
    lab.send("A1", udp(H1, H2))
    assert len(lab.take()) == 4  # unknown again: flooded


def test_refresh_keeps_entry_alive() -> None:
    lab = Lab(mac_age=10)
    for name in PORTS:
        lab.port(name)
    for _ in range(5):
        lab.send("A2", udp(H2, BCAST))
        lab.clock.t += 6
    lab.take()
    lab.send("A1", udp(H1, H2))
    assert list(lab.take()) == ["A2"]


def test_expired_entry_ignored_on_lookup() -> None:
    lab = Lab(mac_age=10)
    for name in PORTS:
        lab.port(name)
    lab.send("A2", udp(H2, BCAST))
    lab.take()
    lab.bridge._next_sweep = float("inf")  # no sweep: the lookup itself must notice
    lab.clock.t += 11
    lab.send("A1", udp(H1, H2))
    assert len(lab.take()) == 4
    assert lab.bridge._learned == 1  # and removed H2 on the way


def test_sweep_removes_entries_no_frame_looks_up() -> None:
    lab = Lab(mac_age=10)
    for name in PORTS:
        lab.port(name)
    for i in range(100):
        lab.send("A3", udp(f"00:00:00:00:01:{i:02x}", BCAST))
    lab.clock.t += 11
    lab.send("A1", udp(H1, BCAST))
    assert lab.bridge._learned == 1  # only H1 remains


def test_mac_age_zero_never_ages() -> None:
    lab = Lab(mac_age=0)
    for name in PORTS:
        lab.port(name)
    lab.send("A2", udp(H2, BCAST))
    lab.clock.t += 1e9
    assert lab.bridge.mac_table() == [("000000-000002", "A2", 1)]


def test_set_mac_age() -> None:
    lab = Lab(mac_age=300)
    for name in PORTS:
        lab.port(name)
    lab.send("A2", udp(H2, BCAST))
    lab.clock.t += 100
    lab.bridge.set_mac_age(50)
    assert lab.bridge.mac_table() == []


def test_flush_clears_table_and_counters(lab: Lab) -> None:
    lab.send("A1", udp(H1, BCAST))
    lab.send("A1", b"\x00")
    lab.bridge.flush()
    assert lab.bridge.mac_table() == []
    for name in PORTS:
        assert lab.bridge.counters(name) == dict.fromkeys(COUNTER_FIELDS, 0)
    lab.take()
    lab.send("A2", udp(H2, H1))
    assert len(lab.take()) == 4  # H1 forgotten


def test_mac_table_format_and_order() -> None:
    lab = Lab()
    lab.port("A1", pvid=20)
    lab.port("A2", pvid=5)
    lab.port("B1", pvid=5)
    lab.send("A1", udp("00:18:71:c3:f2:ff", BCAST))
    lab.send("B1", udp("00:18:71:c3:f2:01", BCAST))
    lab.send("A2", udp("00:00:00:00:00:aa", BCAST))
    lab.send("A2", udp("01:00:5e:00:00:01", BCAST))  # group source: never learned
    assert lab.bridge.mac_table() == [
        ("000000-0000aa", "A2", 5),
        ("001871-c3f201", "B1", 5),
        ("001871-c3f2ff", "A1", 20),
    ]


def test_counters(lab: Lab) -> None:
    uni = raw(udp(H1, H2))
    bc = raw(udp(H1, BCAST))
    mc = raw(udp(H1, "01:00:5e:00:00:05"))
    for frame in (uni, bc, mc, mc):
        lab.send("A1", frame)
    lab.send("A2", raw(udp(H2, H1)))
    a1 = lab.bridge.counters("A1")
    assert a1 == {
        **dict.fromkeys(COUNTER_FIELDS, 0),
        "rx_bytes": len(uni) + len(bc) + 2 * len(mc),
        "rx_unicast": 1,
        "rx_bcast": 1,
        "rx_mcast": 2,
        "tx_bytes": len(uni),
        "tx_unicast": 1,
    }
    a3 = lab.bridge.counters("A3")
    assert a3["tx_unicast"] == 1 and a3["tx_bcast"] == 1 and a3["tx_mcast"] == 2
    assert a3["tx_bytes"] == len(uni) + len(bc) + 2 * len(mc)
    assert a3["rx_bytes"] == 0


def test_tx_bytes_count_the_tag() -> None:
    lab = Lab()
    lab.port("A1", pvid=1)
    lab.port("A2", pvid=None, tagged=(1,))
    frame = raw(udp(H1, BCAST))
    lab.send("A1", frame)
    assert lab.bridge.counters("A2")["tx_bytes"] == len(frame) + 4


@pytest.mark.parametrize("error", [BlockingIOError, OSError, ConnectionRefusedError])
def test_raising_send_counts_tx_drops(lab: Lab, error: type[OSError]) -> None:
    def broken(frame: bytes) -> None:
        raise error(11, "queue full")

    lab.bridge.attach("A2", broken)
    lab.send("A1", udp(H1, BCAST))
    assert sorted(lab.take()) == ["A3", "A4", "B1"]
    assert lab.bridge.counters("A2")["tx_drops"] == 1
    assert lab.bridge.counters("A2")["tx_bcast"] == 0
    lab.send("A2", udp(H2, BCAST))
    lab.take()
    lab.send("A1", udp(H1, H2))  # known unicast to the broken port
    assert lab.take() == {}
    assert lab.bridge.counters("A2")["tx_drops"] == 2


def test_configure_validates() -> None:
    bridge = Bridge(PORTS, 300)
    with pytest.raises(ValueError):
        bridge.configure("A1", enabled=True, pvid=0, tagged=())
    with pytest.raises(ValueError):
        bridge.configure("A1", enabled=True, pvid=1, tagged=(4095,))
    with pytest.raises(ValueError):
        bridge.configure("A1", enabled=True, pvid=7, tagged=(7,))
    with pytest.raises(KeyError):
        bridge.configure("Z9", enabled=True, pvid=1, tagged=())
    bridge.receive("Z9", b"\x00" * 60)  # an unknown port on the hot path is ignored


def test_reconfigure_removes_vlan_and_its_addresses() -> None:
    lab = Lab()
    lab.port("A1", pvid=10)
    lab.port("A2", pvid=10)
    lab.send("A1", udp(H1, BCAST))
    lab.port("A1", pvid=11)
    lab.port("A2", pvid=11)
    assert lab.bridge.mac_table() == []
    assert lab.bridge._learned == 0


_ports = st.sampled_from([*PORTS, "nope"])
_frames = st.one_of(
    st.binary(max_size=1600),
    # headers that look like 802.1Q / link-local / broadcast, random rest
    st.builds(
        lambda dst, vlan, rest: dst + bytes(6) + vlan + rest,
        st.sampled_from(
            [b"\xff" * 6, b"\x01\x80\xc2\x00\x00\x0e", bytes(6), b"\x00" * 5 + b"\x02"]
        ),
        st.one_of(st.just(b""), st.binary(min_size=1, max_size=4).map(lambda b: b"\x81\x00" + b)),
        st.binary(max_size=1600),
    ),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_ports, _frames), max_size=20), st.floats(0, 1000))
def test_random_bytes_never_raise(inputs: list[tuple[str, bytes]], step: float) -> None:
    lab = Lab(mac_age=100)
    lab.port("A1", pvid=1, tagged=(10, 20))
    lab.port("A2", pvid=None, tagged=(10,))
    lab.port("A3", pvid=20)
    lab.bridge.configure("A4", enabled=False, pvid=1, tagged=())
    for port, frame in inputs:
        lab.bridge.receive(port, frame)
        lab.clock.t += step
    for frames in lab.take().values():
        for frame in frames:
            assert 14 <= len(frame) <= 1518
    lab.bridge.mac_table()


def test_added_port_forwards_in_its_vlan_and_removed_port_is_forgotten(lab: Lab) -> None:
    own: list[bytes] = []
    lab.bridge.add_port("vlan1")
    lab.bridge.attach("vlan1", own.append)
    lab.bridge.configure("vlan1", enabled=True, pvid=1, tagged=())
    lab.send("vlan1", udp(H3, BCAST))
    assert set(lab.take()) == set(PORTS)
    lab.send("A1", udp(H1, H3))
    assert own and not lab.take()  # H3 was learned on the added port
    assert ("000000-000003", "vlan1", 1) in lab.bridge.mac_table()
    with pytest.raises(ValueError):
        lab.bridge.add_port("vlan1")
    lab.bridge.remove_port("vlan1")
    assert all(port != "vlan1" for _, port, _ in lab.bridge.mac_table())
    lab.send("vlan1", udp(H3, BCAST))  # no such port any more: ignored
    assert not lab.take()


SWITCH = "00:18:71:c3:00:00"


def test_own_address_is_a_permanent_entry_no_front_port_can_take() -> None:
    lab = Lab(own_macs=(bytes.fromhex(SWITCH.replace(":", "")),))
    for name in PORTS:
        lab.port(name)
    lab.port("A3", pvid=20)
    own: list[bytes] = []
    lab.bridge.add_port("vlan1")
    lab.bridge.attach("vlan1", own.append)
    lab.bridge.configure("vlan1", enabled=True, pvid=1, tagged=())
    lab.send("A1", udp(H1, SWITCH))
    assert len(own) == 1 and not lab.take()  # known before the switch ever sent a frame

    lab.send("A2", udp(SWITCH, BCAST))  # a host sending as the switch: forwarded, not learned
    assert set(lab.take()) == {"A1", "A4", "B1"} and len(own) == 2
    lab.send("A3", udp(SWITCH, BCAST))  # VLAN 20, where the switch has no interface
    lab.take()
    assert lab.bridge.own_address_frames() == {"A2": 1, "A3": 1}
    switch_rows = [row for row in lab.bridge.mac_table() if row[0] == "001871-c30000"]
    assert switch_rows == [("001871-c30000", "vlan1", 1)]

    lab.clock.t += 1000  # far beyond the MAC age, and a sweep runs
    lab.send("A1", udp(H1, SWITCH))
    lab.bridge.flush()
    lab.send("A1", udp(H1, SWITCH))
    assert len(own) == 4 and not lab.take()
    assert lab.bridge.own_address_frames() == {}  # counters go with a reset


def test_an_address_learned_on_the_switch_interface_does_not_move() -> None:
    """Without the base MAC given, what the switch's interface sends from is still its own."""
    lab = Lab()
    lab.port("A1")
    lab.port("A2")
    own: list[bytes] = []
    lab.bridge.add_port("vlan1")
    lab.bridge.attach("vlan1", own.append)
    lab.bridge.configure("vlan1", enabled=True, pvid=1, tagged=())
    lab.send("vlan1", udp(H3, BCAST))
    lab.send("A2", udp(H3, BCAST))
    lab.take()
    lab.send("A1", udp(H1, H3))
    assert len(own) == 2 and not lab.take()
    assert lab.bridge.own_address_frames() == {"A2": 1}


def tcp_super_frame(src: str, dst: str, payload: int, gso_size: int = 1448) -> SuperFrame:
    """A host's TSO super-frame as a port back-end hands it to the bridge."""
    frame = raw(Ether(src=src, dst=dst) / IP(src="10.0.0.1", dst="10.0.0.2") / TCP()
                / Raw(b"t" * payload))
    return SuperFrame(frame, GSO_TCPV4, gso_size, 34, 16, 54)


def test_super_frame_crosses_whole_and_counts_as_its_segments(lab: Lab) -> None:
    """A2 takes VLAN 1 tagged: the tag goes in ahead of the headers, which the frame's
    offsets follow; both ports count the 4 segments and their octets."""
    lab.port("A2", pvid=None, tagged=(1,))
    for name in ("A3", "A4", "B1"):
        lab.port(name, pvid=20)
    lab.send("A2", raw(tagged(H2, H1, 1)))  # H2 learned on A2
    lab.take()
    rx_before = lab.bridge.counters("A1")
    frame = tcp_super_frame(H1, H2, 5000)
    lab.bridge.receive("A1", frame)
    [out] = lab.take()["A2"]
    assert isinstance(out, SuperFrame) and out.shift() == 4
    assert VNET_HDR.unpack(out.vnet_header())[2::2] == (58, 38)
    rx = lab.bridge.counters("A1")
    assert rx["rx_unicast"] - rx_before["rx_unicast"] == 4
    assert rx["rx_bytes"] - rx_before["rx_bytes"] == len(frame) + 3 * 54
    tx = lab.bridge.counters("A2")
    assert tx["tx_unicast"] == 4 and tx["tx_bytes"] == len(out) + 3 * 58


def test_a_flooded_super_frame_counts_as_its_segments_on_every_port(lab: Lab) -> None:
    """Unknown unicast floods: each member counts the segments of the variant it got (tagged
    on A2, untagged on A3), a member whose send fails counts them dropped, and ports of other
    VLANs count nothing."""
    lab.port("A2", pvid=None, tagged=(1,))
    lab.port("B1", pvid=20)

    def refuse(frame: bytes) -> None:
        raise BlockingIOError

    lab.bridge.attach("A4", refuse)
    frame = tcp_super_frame(H1, H2, 5000)
    lab.bridge.receive("A1", frame)
    out = lab.take()
    [tagged_out], [plain_out] = out["A2"], out["A3"]
    assert tagged_out.shift() == 4 and plain_out == frame and "B1" not in out
    rx = lab.bridge.counters("A1")
    assert rx["rx_unicast"] == 4 and rx["rx_bytes"] == len(frame) + 3 * 54
    for port, sent, headers in (("A2", tagged_out, 58), ("A3", plain_out, 54)):
        tx = lab.bridge.counters(port)
        assert tx["tx_unicast"] == 4 and tx["tx_bytes"] == len(sent) + 3 * headers
    dropped = lab.bridge.counters("A4")
    assert dropped["tx_drops"] == 4 and dropped["tx_unicast"] == dropped["tx_bytes"] == 0
    assert lab.bridge.counters("B1") == Bridge(PORTS, 300).counters("B1")


def test_super_frame_is_a_giant_only_when_its_segments_are(lab: Lab) -> None:
    lab.port("A1", pvid=1, tagged=(10,))
    lab.port("A2", pvid=1, tagged=(10,))
    lab.bridge.receive("A1", tcp_super_frame(H1, BCAST, 9000, gso_size=8000))
    assert "A2" not in lab.take()
    assert lab.bridge.counters("A1")["rx_errors"] == 2
    lab.bridge.set_jumbo([1])
    lab.bridge.receive("A1", tcp_super_frame(H1, BCAST, 9000, gso_size=8000))
    assert len(lab.take()["A2"]) == 1
