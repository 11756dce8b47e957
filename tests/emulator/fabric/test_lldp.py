"""The LLDP codec against scapy's LLDP layers (both directions), malformed frames, the
neighbour table's aging, and the fabric obeying `lldp run` / `lldp admin-status`."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from scapy.contrib.lldp import (
    LLDPDU,
    LLDPDUChassisID,
    LLDPDUEndOfLLDPDU,
    LLDPDUGenericOrganisationSpecific,
    LLDPDUManagementAddress,
    LLDPDUPortDescription,
    LLDPDUPortID,
    LLDPDUSystemCapabilities,
    LLDPDUSystemDescription,
    LLDPDUSystemName,
    LLDPDUTimeToLive,
)
from scapy.layers.l2 import Dot1Q, Ether
from scapy.packet import raw

from emulator.fabric import lldp
from emulator.fabric.process import Fabric
from emulator.ipc.messages import FabricProgram
from emulator.portspec import parse_backend
from tests.emulator.fabric.test_trunks import RecordingWire

BASE_MAC = bytes.fromhex("001871c30000")
LOCAL = lldp.LocalSystem(BASE_MAC, "core-1", "HP J8715A Switch 8212zl", "10.0.0.5")


def test_our_advert_reads_in_scapy_as_an_8212zl_says_it() -> None:
    frame = Ether(lldp.encode(LOCAL, "24", "A24", 120))
    assert frame.dst == "01:80:c2:00:00:0e" and frame.type == lldp.ETHERTYPE
    assert frame[LLDPDUChassisID].subtype == 4 and frame[LLDPDUChassisID].id == "00:18:71:c3:00:00"
    assert frame[LLDPDUPortID].subtype == 7 and frame[LLDPDUPortID].id == b"24"
    assert frame[LLDPDUTimeToLive].ttl == 120
    assert frame[LLDPDUPortDescription].description == b"A24"
    assert frame[LLDPDUSystemName].system_name == b"core-1"
    assert frame[LLDPDUSystemDescription].description == b"HP J8715A Switch 8212zl"
    caps = frame[LLDPDUSystemCapabilities]
    assert caps.mac_bridge_available and caps.router_available and caps.mac_bridge_enabled
    assert not caps.router_enabled
    assert frame[LLDPDUManagementAddress].management_address == b"\x0a\x00\x00\x05"
    assert frame.haslayer(LLDPDUEndOfLLDPDU)


def test_round_trip_and_no_management_address() -> None:
    local = lldp.LocalSystem(BASE_MAC, "edge", "descr")
    advert = lldp.decode(lldp.encode(local, "3", "A3", 120))
    assert advert == lldp.Advert("001871-c30000", "3", 120, "A3", "edge", "descr", "",
                                 ("bridge", "router"), ("bridge",))
    with_pvid = lldp.decode(lldp.encode(local, "3", "A3", 120, pvid=20))
    assert with_pvid is not None and with_pvid.pvid == 20


def test_capabilities_and_pvid_as_scapy_sends_them() -> None:
    """A foreign advert's System Capabilities and IEEE 802.1 Port VLAN ID TLVs (scapy builds
    them), and our own PVID TLV as scapy reads it."""
    tlvs = (LLDPDUChassisID(subtype=4, id="02:00:00:00:00:01"),
            LLDPDUPortID(subtype=7, id=b"7"),
            LLDPDUTimeToLive(ttl=120),
            LLDPDUSystemCapabilities(mac_bridge_available=1, wlan_access_point_available=1,
                                     router_available=1, mac_bridge_enabled=1),
            LLDPDUGenericOrganisationSpecific(org_code=0x0080C2, subtype=1, data=b"\x00\x0a"),
            LLDPDUEndOfLLDPDU())
    advert = lldp.decode(scapy_lldp(*tlvs))
    assert advert is not None
    assert advert.capabilities_supported == ("bridge", "wlan-access-point", "router")
    assert advert.capabilities_enabled == ("bridge",) and advert.pvid == 10
    ours = Ether(lldp.encode(lldp.LocalSystem(BASE_MAC, "edge", "descr"), "3", "A3", 120,
                             pvid=30))
    org = ours[LLDPDUGenericOrganisationSpecific]
    assert (org.org_code, org.subtype, org.data) == (0x0080C2, 1, b"\x00\x1e")


def scapy_lldp(*tlvs: LLDPDU, tag: bool = False) -> bytes:
    packet = Ether(dst="01:80:c2:00:00:0e", src="02:00:00:00:00:01",
                   type=0x8100 if tag else lldp.ETHERTYPE)
    if tag:
        packet = packet / Dot1Q(vlan=10, type=lldp.ETHERTYPE)
    for tlv in tlvs:
        packet = packet / tlv
    return raw(packet)


def test_a_foreign_advert_from_scapy_decodes_tagged_or_not() -> None:
    tlvs = (LLDPDUChassisID(subtype=4, id="02:00:00:00:00:01"),
            LLDPDUPortID(subtype=5, id=b"ge-0/0/1"),
            LLDPDUTimeToLive(ttl=90),
            LLDPDUSystemName(system_name=b"peer"),
            LLDPDUEndOfLLDPDU())
    for tag in (False, True):
        advert = lldp.decode(scapy_lldp(*tlvs, tag=tag))
        assert advert == lldp.Advert("020000-000001", "ge-0/0/1", 90, "", "peer", "", "",
                                     port_subtype=5)  # interface-name


def test_mandatory_tlvs_out_of_order_or_cut_short_are_refused() -> None:
    swapped = (LLDPDUPortID(subtype=7, id=b"1"), LLDPDUChassisID(subtype=4, id="02:00:00:00:00:01"),
               LLDPDUTimeToLive(ttl=90), LLDPDUEndOfLLDPDU())
    assert lldp.decode(scapy_lldp(*swapped)) is None
    good = lldp.encode(LOCAL, "1", "A1", 120)
    assert lldp.decode(good[:20]) is None
    assert lldp.decode(good[:14]) is None


@given(st.binary(max_size=200))
def test_garbage_after_the_ethertype_never_raises(payload: bytes) -> None:
    frame = bytes.fromhex("0180c200000e") + BASE_MAC + b"\x88\xcc" + payload
    advert = lldp.decode(frame)
    assert advert is None or isinstance(advert, lldp.Advert)


def test_neighbors_age_out_and_ttl_zero_or_port_down_removes_them() -> None:
    table = lldp.Neighbors()
    a = lldp.Advert("020000-000001", "1", 120, sys_name="a")
    b = lldp.Advert("020000-000002", "7", 30, sys_name="b")
    table.learn("A1", a, now=0.0)
    table.learn("A2", b, now=0.0)
    assert table.rows(29.0) == [("A1", a), ("A2", b)]
    assert table.rows(30.0) == [("A1", a)]
    table.learn("A1", lldp.Advert("020000-000001", "1", 0), now=31.0)  # shutdown advert
    assert table.rows(31.0) == []
    table.learn("A3", a, now=40.0)
    table.forget_port("A3", 41.0)
    assert table.rows(41.0) == []


def test_neighbors_count_what_show_lldp_stats_prints() -> None:
    table = lldp.Neighbors()
    a = lldp.Advert("020000-000001", "1", 30, sys_name="a")
    table.learn("A1", a, now=0.0)
    table.learn("A1", a, now=10.0)  # a refresh is no new entry
    table.learn("A2", lldp.Advert("020000-000002", "7", 120), now=10.0)
    table.counted("A1", lldp.SENT)
    table.counted("A1", lldp.RECEIVED)
    table.counted("A1", lldp.DISCARDED)
    table.forget_port("A2", 20.0)
    stats = table.stats(45.0)  # A1's entry has aged out at 40
    assert stats == {"inserts": 2, "deletes": 1, "drops": 0, "ageouts": 1,
                     "frames": {"A1": [1, 1, 1]}, "updated_ago": 5.0}
    table.clear()
    assert table.stats(50.0) == {"inserts": 0, "deletes": 0, "drops": 0, "ageouts": 0,
                                 "frames": {}, "updated_ago": None}


def test_neighbour_text_is_cut_and_made_printable() -> None:
    tlvs = (LLDPDUChassisID(subtype=4, id="02:00:00:00:00:01"),
            LLDPDUPortID(subtype=7, id=b"1"),
            LLDPDUTimeToLive(ttl=90),
            LLDPDUSystemName(system_name=b"evil\r\nHP-8212zl# \x1b[2J" + b"x" * 400),
            LLDPDUEndOfLLDPDU())
    advert = lldp.decode(scapy_lldp(*tlvs))
    assert advert is not None
    assert advert.sys_name.startswith("evil??HP-8212zl# ?[2J")
    assert len(advert.sys_name) == lldp.MAX_TEXT


def test_a_flood_of_new_neighbours_is_bounded() -> None:
    table = lldp.Neighbors()
    for n in range(lldp.MAX_PER_PORT + 5):
        table.learn("A1", lldp.Advert(f"chassis-{n}", "1", 120), now=0.0)
    assert len(table.rows(1.0)) == lldp.MAX_PER_PORT and table.dropped == 5
    known = lldp.Advert("chassis-0", "1", 120, sys_name="renamed")
    table.learn("A1", known, now=2.0)  # a known neighbour is still refreshed
    assert ("A1", known) in table.rows(3.0)
    for n in range(lldp.MAX_NEIGHBORS):
        table.learn(f"B{n % 24 + 1}", lldp.Advert(f"other-{n}", "1", 120), now=0.0)
    assert len(table.rows(1.0)) == lldp.MAX_NEIGHBORS
    assert len(table.rows(200.0)) == 0  # and everything still ages out


# --- LLDP settings (commands/lldp_settings.py): `lldp run` and `lldp admin-status` ---

def _fabric() -> tuple[Fabric, dict[str, RecordingWire]]:
    fabric = Fabric({p: parse_backend(f"tap:x{p}") for p in ("A1", "A2")}, 300,
                    mac=BASE_MAC)
    wires = {p: RecordingWire() for p in ("A1", "A2")}
    for port, wire in wires.items():
        fabric.plug(port, wire)  # type: ignore[arg-type]
    fabric.program(FabricProgram(pvid=dict.fromkeys(wires, 1), system_name="core-1"))
    return fabric, wires


def _adverts(wire: RecordingWire) -> list[lldp.Advert]:
    return [advert for frame in wire.sent if frame[:6] == lldp.MULTICAST
            and (advert := lldp.decode(frame)) is not None]


PEER = lldp.encode(lldp.LocalSystem(bytes.fromhex("020000000001"), "peer", "descr"), "7",
                   "ge7", 120)


def test_admin_status_decides_what_each_port_sends_and_learns() -> None:
    fabric, wires = _fabric()
    for port in wires:
        fabric.control_frame(port, 1, PEER)
    assert [port for port, _ in fabric.neighbors.rows(0)] == ["A1", "A2"]
    sent = {port: len(_adverts(wire)) for port, wire in wires.items()}
    fabric.program(FabricProgram(pvid=dict.fromkeys(wires, 1), system_name="core-1",
                                 lldp_admin={"A1": "rxonly", "A2": "txonly"}))
    shutdown = _adverts(wires["A1"])[sent["A1"]:]
    assert [advert.ttl for advert in shutdown] == [0]  # A1 tells its neighbour to forget it
    assert [port for port, _ in fabric.neighbors.rows(0)] == ["A1"]  # A2 forgot its own
    fabric.control_frame("A2", 1, PEER)
    assert [port for port, _ in fabric.neighbors.rows(0)] == ["A1"]
    before = {port: len(wire.sent) for port, wire in wires.items()}
    for port in wires:
        fabric.send_advert(port)
    assert {port: len(wire.sent) - before[port] for port, wire in wires.items()} == {
        "A1": 0, "A2": 1}


def test_no_lldp_run_silences_every_port() -> None:
    fabric, wires = _fabric()
    fabric.program(FabricProgram(pvid=dict.fromkeys(wires, 1), system_name="core-1",
                                 lldp_run=False))
    assert all(_adverts(wire)[-1].ttl == 0 for wire in wires.values())
    fabric.control_frame("A1", 1, PEER)
    assert fabric.neighbors.rows(0) == []
    fabric.program(FabricProgram(pvid=dict.fromkeys(wires, 1), system_name="core-1"))
    assert all(_adverts(wire)[-1].ttl == 120 for wire in wires.values())  # at once
