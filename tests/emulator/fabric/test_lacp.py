"""The LACP engine with its clock driven by the test: the LACPDU against scapy's LACP layer
(both directions), two engines bundling their links, a silent partner dropped, passive ends,
and a member whose partner is another system kept out of the trunk."""

from __future__ import annotations

from scapy.contrib.lacp import LACP, SlowProtocol
from scapy.layers.l2 import Ether
from scapy.packet import raw

from emulator.fabric import lacp

MAC_A = bytes.fromhex("001871c30000")
MAC_B = bytes.fromhex("001871d40000")
MAC_C = bytes.fromhex("001871e50000")
TRUNK_KEY = 289  # Trk1's ifIndex


def engine(system: bytes, ports: dict[str, tuple[bool, int, str | None]],
           now: float = 0.0) -> lacp.Lacp:
    e = lacp.Lacp(system)
    e.configure(ports)
    for name in ports:
        e.link(name, True, now)
    return e


def trunk(*ports: str, active: bool = True) -> dict[str, tuple[bool, int, str | None]]:
    return {name: (active, number, "Trk1") for number, name in enumerate(ports, start=1)}


def exchange(a: lacp.Lacp, b: lacp.Lacp, wiring: dict[str, str], now: float) -> int:
    """One round: each side's due LACPDUs delivered to the other's port; how many moved."""
    moved = 0
    for sender, receiver, links in ((a, b, wiring), (b, a, {v: k for k, v in wiring.items()})):
        for port, frame in sender.tick(now):
            if port in links:
                receiver.receive(links[port], frame, now)
                moved += 1
    return moved


def wire_up(a: lacp.Lacp, links: dict[str, tuple[lacp.Lacp, str]], rounds: int = 20) -> None:
    """`a`'s ports each linked to a port of another engine: every 0.1 s, each side's due
    LACPDUs delivered to the far end."""
    back = {(id(peer), far): near for near, (peer, far) in links.items()}
    peers = {id(peer): peer for peer, _ in links.values()}
    for step in range(rounds):
        now = step * 0.1
        for port, pdu in a.tick(now):
            peer, far = links[port]
            peer.receive(far, pdu, now)
        for key, peer in peers.items():
            for port, pdu in peer.tick(now):
                if (key, port) in back:
                    a.receive(back[(key, port)], pdu, now)


def converge(a: lacp.Lacp, b: lacp.Lacp, wiring: dict[str, str], start: float = 0.0) -> float:
    """Rounds every 0.1 s until a round moves nothing (both sides said all they had to)."""
    now = start
    for _ in range(50):
        if not exchange(a, b, wiring, now) and now > start:
            break
        now += 0.1
    return now


def test_our_lacpdu_reads_in_scapy_as_802_3ad_says() -> None:
    e = engine(MAC_A, trunk("A1"))
    [(port, frame)] = e.tick(0.0)
    parsed = Ether(frame)
    assert port == "A1" and len(frame) == 124
    assert parsed.dst == "01:80:c2:00:00:02" and parsed.type == lacp.ETHERTYPE
    assert parsed[SlowProtocol].subtype == 1
    pdu = parsed[LACP]
    assert pdu.actor_system == "00:18:71:c3:00:00"
    assert pdu.actor_system_priority == 32768 and pdu.actor_key == TRUNK_KEY
    assert pdu.actor_port_number == 1
    assert pdu.actor_state == lacp.ACTIVITY | lacp.TIMEOUT | lacp.AGGREGATION | lacp.DEFAULTED
    assert pdu.partner_system == "00:00:00:00:00:00" and pdu.partner_state == 0


def test_scapys_lacpdu_is_read_as_the_partner() -> None:
    e = engine(MAC_A, trunk("A1"))
    frame = raw(Ether(dst="01:80:c2:00:00:02", src="00:18:71:d4:00:07") / SlowProtocol()
                / LACP(actor_system="00:18:71:d4:00:00", actor_key=7, actor_port_number=12,
                       actor_state=0x3D, partner_system="00:18:71:c3:00:00",
                       partner_key=TRUNK_KEY, partner_port_number=1))
    e.receive("A1", frame, 0.0)
    [row] = e.report()
    assert (row.partner, row.partner_system, row.partner_key, row.partner_port) == (
        True, "001871-d40000", 7, 12)
    assert row.partner_active and not row.partner_fast
    assert row.lacpdus_received == 1 and row.distributing  # partner in sync: we distribute


def test_two_switches_bundle_both_links_and_drop_a_silent_partner_within_3_s() -> None:
    a = engine(MAC_A, trunk("A1", "A2"))
    b = engine(MAC_B, trunk("B1", "B2"))
    wiring = {"A1": "B1", "A2": "B2"}
    now = converge(a, b, wiring)
    assert [a.distributing(p) for p in ("A1", "A2")] == [True, True]
    assert [b.distributing(p) for p in ("B1", "B2")] == [True, True]
    # B2 falls silent (its link cut beyond a media converter): A2 leaves within 3 s.
    silent = {"A1": "B1"}
    while now < 10 and a.distributing("A2"):
        exchange(a, b, silent, now)
        now += 0.1
    assert not a.distributing("A2") and a.distributing("A1")
    assert 3.0 <= now <= 4.5


def test_a_link_down_stops_distributing_at_once() -> None:
    a = engine(MAC_A, trunk("A1", "A2"))
    b = engine(MAC_B, trunk("B1", "B2"))
    now = converge(a, b, {"A1": "B1", "A2": "B2"})
    a.link("A2", False, now)
    assert not a.distributing("A2") and a.distributing("A1")


def test_passive_ends_never_speak_and_a_passive_end_answers_an_active_one() -> None:
    a = engine(MAC_A, trunk("A1", active=False))
    b = engine(MAC_B, {"B1": (False, 1, None)})
    assert a.tick(0.0) == [] and b.tick(0.0) == []
    active = engine(MAC_C, {"C1": (True, 1, None)})
    converge(a, active, {"A1": "C1"})
    assert a.distributing("A1") and active.distributing("C1")
    assert a.report()[0].lacpdus_sent > 0


def test_a_member_facing_another_system_stays_out_of_the_trunk() -> None:
    a = engine(MAC_A, trunk("A1", "A2"))
    b = engine(MAC_B, trunk("B1"))
    c = engine(MAC_C, trunk("C1"))
    wire_up(a, {"A1": (b, "B1"), "A2": (c, "C1")})
    assert a.distributing("A1") and not a.distributing("A2")
    assert b.distributing("B1") and not c.distributing("C1")


def test_periodic_lacpdus_follow_the_partners_timeout() -> None:
    """Every second while the partner asks for the short timeout; at most three a second."""
    a = engine(MAC_A, trunk("A1"))
    b = engine(MAC_B, trunk("B1"))
    now = converge(a, b, {"A1": "B1"})
    sent = a.report()[0].lacpdus_sent
    for _ in range(100):  # ten seconds
        exchange(a, b, {"A1": "B1"}, now)
        now += 0.1
    assert 9 <= a.report()[0].lacpdus_sent - sent <= 11


def test_garbage_on_the_slow_protocols_address_is_counted_not_fatal() -> None:
    e = engine(MAC_A, trunk("A1"))
    for frame in (lacp.MULTICAST + MAC_B + b"\x88\x09", lacp.MULTICAST + MAC_B + b"\x88\x09\x02",
                  lacp.MULTICAST + MAC_B + b"\x88\x09" + bytes(110), b"\x00" * 60):
        e.receive("A1", frame, 0.0)
    [row] = e.report()
    assert row.errors == 4 and not row.partner


def test_dynamic_ports_facing_one_partner_form_a_dynamic_trunk_numbered_around_static_ones(
        ) -> None:
    a = engine(MAC_A, {"A1": (True, 1, None), "A2": (False, 2, None), "A3": (True, 3, None)})
    a.configure({name: (port.active, port.number, None) for name, port in a.ports.items()},
                reserved=frozenset({1, 3}))
    b = engine(MAC_B, trunk("B1", "B2"))
    c = engine(MAC_C, {"C1": (True, 1, None)})
    wire_up(a, {"A1": (b, "B1"), "A2": (b, "B2"), "A3": (c, "C1")})
    assert a.dynamic == {"Dyn2": ("A1", "A2"), "Dyn4": ("A3",)}
    assert {row.port: row.trunk for row in a.report()} == {"A1": "Dyn2", "A2": "Dyn2",
                                                            "A3": "Dyn4"}
    assert all(a.distributing(p) for p in ("A1", "A2", "A3"))
    a.link("A3", False, 2.0)
    assert a.dynamic == {"Dyn2": ("A1", "A2")}
