"""IEEE8023-LAG-MIB over the fabric's LACP report: an LACP trunk is an aggregator, each LACP
port names the aggregator it is attached to while it distributes."""

from __future__ import annotations

from emulator import hardware
from emulator.device import Device
from emulator.fabric.lacp import ACTIVITY, AGGREGATION, DISTRIBUTING, SYNCHRONIZATION, LacpStatus
from snmp import ber
from snmp.ber import Value
from snmp.mib import parse_oid
from snmp.mibs.lag import lacp_state
from tests.snmp.test_mib import walk

AGG = parse_oid("1.2.840.10006.300.43.1.1.1.1")
AGG_PORT = parse_oid("1.2.840.10006.300.43.1.2.1.1")
AGG_PORT_STATS = parse_oid("1.2.840.10006.300.43.1.2.2.1")
PARTNER = "00163e-000001"


def status(port: str, distributing: bool) -> LacpStatus:
    state = ACTIVITY | AGGREGATION | SYNCHRONIZATION | (DISTRIBUTING if distributing else 0)
    return LacpStatus(port, "Trk1", True, True, True, distributing, 1, PARTNER, 7, 0, 9, True,
                      False, 12, 11, 0, actor_state=state, partner_state=state,
                      partner_system_priority=32768)


def test_an_lacp_trunk_and_its_ports(device: Device) -> None:
    device.running.trunk_add(["A1", "A2"], "Trk1", "lacp")
    device.running.trunk_add(["A3"], "Trk2", "trunk")  # static: no aggregator row
    device.lacp = [status("A1", True), status("A2", False)]
    trk1 = hardware.if_index("Trk1")
    aggregators = walk(device, AGG)
    assert {index for _, index in aggregators} == {trk1}
    assert aggregators[(8, trk1)] == Value(ber.OCTET_STRING, bytes.fromhex("00163e000001"))
    assert aggregators[(10, trk1)] == Value(ber.INTEGER, 9)
    device.lacp.append(LacpStatus("A5", "Dyn1", True, True, True, True, 300, PARTNER, 1, 0, 9,
                                  True, False, 1, 1, 0))
    assert {index for _, index in walk(device, AGG)} == {trk1, hardware.if_index("Dyn1")}
    device.lacp.pop()
    ports = walk(device, AGG_PORT)
    assert ports[(13, 1)] == Value(ber.INTEGER, trk1)  # A1 distributes on Trk1
    assert ports[(13, 2)] == Value(ber.INTEGER, 0)  # A2 selected it, not attached yet
    assert ports[(12, 2)] == Value(ber.INTEGER, trk1)
    assert ports[(17, 1)] == Value(ber.INTEGER, 7)
    assert ports[(21, 1)] == Value(ber.OCTET_STRING, bytes([0b10110100]))
    stats = walk(device, AGG_PORT_STATS)
    assert stats[(1, 1)] == Value(ber.COUNTER32, 11) and stats[(6, 1)] == Value(
        ber.COUNTER32, 12)


def test_lacp_state_bits_run_from_the_high_bit() -> None:
    assert lacp_state(ACTIVITY) == b"\x80"
    assert lacp_state(DISTRIBUTING) == b"\x04"
