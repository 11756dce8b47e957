"""Spanning-tree port states in the forwarding core: a discarding port neither forwards nor
learns, a learning port learns only, per MST instance; BPDUs still reach the control side."""

from __future__ import annotations

from scapy.layers.l2 import Dot1Q, Ether
from scapy.packet import raw

from tests.emulator.fabric.test_bridge import BCAST, H1, H2, Lab


def ping(src: str, dst: str, vid: int | None = None) -> bytes:
    frame = Ether(src=src, dst=dst)
    return raw(frame / Dot1Q(vlan=vid) / (b"x" * 46) if vid else frame / (b"x" * 46))


def test_a_discarding_port_neither_forwards_nor_learns_and_still_hears_bpdus() -> None:
    lab = Lab()
    for port in ("A1", "A2", "A3"):
        lab.port(port)
    lab.bridge.set_stp_state("A2", "discarding")
    lab.send("A1", ping(H1, BCAST))
    assert set(lab.take()) == {"A3"}  # the flood skips A2
    lab.send("A2", ping(H2, BCAST))
    assert lab.take() == {} and lab.bridge.mac_table() == [("000000-000001", "A1", 1)]
    lab.send("A2", raw(Ether(src=H2, dst="01:80:c2:00:00:00") / (b"\x00" * 46)))
    assert [c[0] for c in lab.controls] == ["A2"]


def test_a_learning_port_learns_but_does_not_forward() -> None:
    lab = Lab()
    for port in ("A1", "A2"):
        lab.port(port)
    lab.bridge.set_stp_state("A2", "learning")
    lab.send("A2", ping(H2, BCAST))
    assert lab.take() == {}
    assert ("000000-000002", "A2", 1) in lab.bridge.mac_table()
    lab.bridge.set_stp_state("A2", "forwarding")
    lab.send("A1", ping(H1, H2))
    assert set(lab.take()) == {"A2"}  # known at once: no flood


def test_states_follow_the_vlans_instance() -> None:
    lab = Lab()
    for port in ("A1", "A2"):
        lab.port(port, pvid=None, tagged=(10, 20))
    lab.bridge.set_instances({20: 1})
    lab.bridge.set_stp_state("A2", "discarding", instance=1)
    lab.send("A1", ping(H1, BCAST, vid=10))
    assert set(lab.take()) == {"A2"}  # VLAN 10 is the IST's: A2 forwards there
    lab.send("A1", ping(H1, BCAST, vid=20))
    assert lab.take() == {}  # VLAN 20 is instance 1's, where A2 discards


def test_leaving_forwarding_forgets_and_a_topology_change_flushes_a_port() -> None:
    lab = Lab()
    for port in ("A1", "A2", "A3"):
        lab.port(port)
    lab.send("A2", ping(H2, BCAST))
    lab.send("A3", ping(H1, BCAST))
    lab.bridge.forget_port("A3")
    assert lab.bridge.mac_table() == [("000000-000002", "A2", 1)]
    lab.bridge.set_stp_state("A2", "discarding")
    assert lab.bridge.mac_table() == []


def test_a_topology_change_in_one_instance_flushes_only_its_vlans() -> None:
    lab = Lab()
    for port in ("A1", "A2"):
        lab.port(port, pvid=None, tagged=(10, 20))
    lab.bridge.set_instances({20: 1})
    lab.send("A2", ping(H2, BCAST, vid=10))
    lab.send("A2", ping(H2, BCAST, vid=20))
    lab.bridge.forget_port("A2", 1)
    assert lab.bridge.mac_table() == [("000000-000002", "A2", 10)]  # the IST's stays
    lab.bridge.forget_port("A2")
    assert lab.bridge.mac_table() == []
