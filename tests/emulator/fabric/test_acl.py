"""Access lists on the wire (fabric/acl.py and the bridge's hook): which frames each kind of
application filters, what an entry matches, the implicit deny, hit counts that survive a
program that leaves the list alone, and no check at all on a port where nothing applies.

Frames are built with scapy here, in the tests only; the fabric never sees scapy."""

from __future__ import annotations

from scapy.layers.inet import ICMP, IP, TCP, UDP
from scapy.layers.l2 import ARP, Dot1Q, Ether
from scapy.packet import Packet, raw

from emulator.config.acl import AccessList, denied_text, parse_ace
from emulator.fabric.acl import Plan
from emulator.fabric.bridge import Bridge
from emulator.ipc.messages import AclEntry

OWN = b"\x00\x18\x71\xc3\x00\x00"
OWN_MAC = "00:18:71:c3:00:00"
H1, H2 = "00:00:00:00:00:01", "00:00:00:00:00:02"
PORTS = ("A1", "A2", "A3")
SWITCH_IP = "10.0.20.1"


def entries(kind: str, *lines: str) -> list[AclEntry]:
    acl = AccessList("t", kind)
    for line in lines:
        action, *words = line.split()
        acl.add(parse_ace(kind, action == "permit", words), None)
    return acl.wire()


class Lab:
    """Front ports in VLAN 20 (A2, A3 also tagged in 30) and the switch's interface in 20."""

    def __init__(self) -> None:
        self.bridge = Bridge(PORTS, 300.0, own_macs=(OWN,))
        self.sent: dict[str, list[bytes]] = {p: [] for p in (*PORTS, "vlan20")}
        for port in PORTS:
            self.bridge.attach(port, self.sent[port].append)
            self.bridge.configure(port, enabled=True, pvid=20,
                                  tagged=(30,) if port != "A1" else ())
        self.bridge.add_port("vlan20")
        self.bridge.attach("vlan20", self.sent["vlan20"].append)
        self.bridge.configure("vlan20", enabled=True, pvid=20, tagged=())
        self.plan: Plan | None = None

    def apply(self, groups: dict[str, str], lists: dict[str, list[AclEntry]]) -> Plan:
        self.plan = Plan(lists, groups, [int.from_bytes(bytes([10, 0, 20, 1]), "big")], (OWN,),
                         self.plan)
        self.bridge.set_acls(self.plan)
        return self.plan

    def passes(self, port: str, pkt: Packet) -> bool:
        for frames in self.sent.values():
            frames.clear()
        self.bridge.receive(port, raw(pkt))
        return any(self.sent.values())


def tcp(dport: int, src: str = "10.0.20.5", dst: str = "10.0.20.6", dmac: str = H2,
        flags: str = "S") -> Packet:
    return Ether(src=H1, dst=dmac) / IP(src=src, dst=dst) / TCP(sport=40000, dport=dport,
                                                                  flags=flags)


NO_SSH = entries("extended", "deny tcp host 10.0.20.5 host 10.0.20.6 eq 22",
                 "permit ip any any")


def test_port_acl_drops_exactly_the_denied_traffic_and_counts_hits() -> None:
    lab = Lab()
    plan = lab.apply({"port A1 in": "NO-SSH"}, {"NO-SSH": NO_SSH})
    assert not lab.passes("A1", tcp(22))
    assert lab.passes("A1", tcp(23))
    assert lab.passes("A1", Ether(src=H1, dst=H2) / IP(src="10.0.20.5", dst="10.0.20.6")
                      / ICMP())
    assert lab.passes("A1", Ether(src=H1, dst="ff:ff:ff:ff:ff:ff") / ARP())  # not IPv4
    assert lab.passes("A2", tcp(22))  # applied to A1 only
    assert plan.hits() == {"port A1 in": [[10, 1], [20, 2]]}


def test_a_tagged_frame_is_read_past_its_tag() -> None:
    lab = Lab()
    lab.apply({"port A3 in": "NO-SSH"}, {"NO-SSH": NO_SSH})
    assert not lab.passes("A3", Ether(src=H1, dst=H2) / Dot1Q(vlan=20) / tcp(22)[IP])
    assert lab.passes("A3", Ether(src=H1, dst=H2) / Dot1Q(vlan=20) / tcp(80)[IP])


def test_implicit_deny_and_an_empty_or_missing_list() -> None:
    lab = Lab()
    lab.apply({"port A1 in": "WEB", "port A2 in": "GONE"},
              {"WEB": entries("extended", "permit tcp any any eq 80")})
    assert lab.passes("A1", tcp(80))
    assert not lab.passes("A1", tcp(81))
    assert not lab.passes("A2", tcp(80))


def test_vacl_filters_bridged_frames_of_its_vlan_only() -> None:
    lab = Lab()
    lab.apply({"vlan 20 vlan": "NO-SSH"}, {"NO-SSH": NO_SSH})
    assert not lab.passes("A2", tcp(22))
    assert lab.passes("A3", Ether(src=H1, dst=H2) / Dot1Q(vlan=30) / tcp(22)[IP])


def test_inbound_racl_filters_frames_for_the_switch_only() -> None:
    lab = Lab()
    lab.apply({"vlan 20 in": "NO-SSH"}, {"NO-SSH": NO_SSH})
    assert lab.passes("A1", tcp(22))  # bridged: not routed
    assert not lab.passes("A1", tcp(22, dmac=OWN_MAC))
    assert lab.passes("A1", tcp(80, dmac=OWN_MAC))


def test_outbound_racl_filters_routed_frames_leaving_the_stack() -> None:
    lab = Lab()
    deny_from_far = entries("extended", "deny ip 10.0.10.0/24 any", "permit ip any any")
    lab.apply({"vlan 20 out": "FAR"}, {"FAR": deny_from_far})
    lab.passes("A1", tcp(80, src="10.0.20.6", dst="10.0.20.9", dmac=H1))  # learn H1 on A1
    routed = Ether(src=OWN_MAC, dst=H1) / IP(src="10.0.10.5", dst="10.0.20.6") / UDP()
    own = Ether(src=OWN_MAC, dst=H1) / IP(src=SWITCH_IP, dst="10.0.10.5") / UDP()
    assert not lab.passes("vlan20", routed)
    assert lab.passes("vlan20", own)  # the switch's own traffic is not filtered


def test_entry_fields() -> None:
    lab = Lab()
    lab.apply({"port A1 in": "X"}, {"X": entries(
        "extended", "permit tcp any any established", "permit udp any range 1000 2000 any",
        "permit icmp any any 8", "deny tcp any any neq 25",
        "permit tcp 10.0.0.0 0.255.255.255 any")})
    assert lab.passes("A1", tcp(9999, flags="A"))
    assert not lab.passes("A1", tcp(9999))
    assert lab.passes("A1", Ether(src=H1, dst=H2) / IP(src="1.1.1.1", dst="2.2.2.2")
                      / UDP(sport=1500, dport=9))
    assert not lab.passes("A1", Ether(src=H1, dst=H2) / IP(src="1.1.1.1", dst="2.2.2.2")
                          / UDP(sport=999, dport=9))
    assert lab.passes("A1", Ether(src=H1, dst=H2) / IP(dst="2.2.2.2") / ICMP(type=8))
    assert not lab.passes("A1", Ether(src=H1, dst=H2) / IP(dst="2.2.2.2") / ICMP(type=0))
    assert lab.passes("A1", tcp(25))
    assert not lab.passes("A1", tcp(25, src="11.0.0.1"))
    # A later fragment carries no ports: `deny ... neq 25` cannot match it, the last does.
    fragment = Ether(src=H1, dst=H2) / IP(src="10.0.20.5", dst="10.0.20.6", frag=100, proto=6)
    assert lab.passes("A1", fragment / (b"\x00" * 20))


def test_counts_survive_a_program_that_leaves_the_list_alone() -> None:
    lab = Lab()
    lab.apply({"port A1 in": "NO-SSH"}, {"NO-SSH": NO_SSH})
    lab.passes("A1", tcp(22))
    assert lab.apply({"port A1 in": "NO-SSH", "port A2 in": "NO-SSH"},
                     {"NO-SSH": NO_SSH}).hits()["port A1 in"] == [[10, 1], [20, 0]]
    changed = entries("extended", "deny tcp any any eq 22", "permit ip any any")
    assert lab.apply({"port A1 in": "NO-SSH"}, {"NO-SSH": changed}).hits() == {
        "port A1 in": [[10, 0], [20, 0]]}


def test_no_check_where_nothing_applies() -> None:
    lab = Lab()
    lab.apply({"port A1 in": "NO-SSH"}, {"NO-SSH": NO_SSH})
    lab.apply({}, {})
    lab.bridge.set_acls(None)
    assert not any(port.acl for port in lab.bridge._ports.values())
    assert lab.passes("A1", tcp(22))


def test_a_logged_deny_is_described_once_then_counted_per_window() -> None:
    lab = Lab()
    logged = entries("extended", "deny tcp any any eq 22 log", "deny tcp any any eq 23",
                     "permit ip any any")
    plan = lab.apply({"port A1 in": "NO-SSH"}, {"NO-SSH": logged})
    for _ in range(3):
        assert not lab.passes("A1", tcp(22))
    assert not lab.passes("A1", tcp(23))  # denied, not logged
    first = plan.denied()
    assert [(d.acl, d.seq, d.text, d.count) for d in first] == [
        ("NO-SSH", 10, "tcp 10.0.20.5(40000)->10.0.20.6(22) on vlan 20, port A1", 0)]
    assert denied_text(first[0]).endswith(
        "List NO-SSH, seq#10 denied tcp 10.0.20.5(40000)->10.0.20.6(22) on vlan 20, port A1")
    assert plan.denied() == []  # the two others wait for the window's end
    rules = plan.rules["port A1 in"]
    rules.log_until[0] = 0.0  # the window is over
    summary = plan.denied()
    assert [(d.seq, d.count) for d in summary] == [(10, 2)]
    assert denied_text(summary[0]) == "ACL NO-SSH seq#10 denied 2 packets"
