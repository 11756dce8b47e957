"""BRIDGE-MIB dot1dStp over the fabric's spanning-tree snapshot: the root, the topology
changes, each port's state as pollers read them."""

from __future__ import annotations

from emulator.device import Device
from snmp import ber
from snmp.ber import Value
from snmp.mib import parse_oid
from tests.emulator.commands.test_spanning_tree import SNAPSHOT
from tests.snmp.test_mib import walk

STP = parse_oid("1.3.6.1.2.1.17.2")
PORT_STATE = parse_oid("1.3.6.1.2.1.17.2.15.1.3")
PORT_DESIGNATED_BRIDGE = parse_oid("1.3.6.1.2.1.17.2.15.1.8")


def test_the_bridge_scalars_follow_the_engine(device: Device) -> None:
    device.running.spanning_tree.set_enabled(True)
    device.running.spanning_tree.set_priority(2)
    device.spanning_tree = SNAPSHOT
    scalars = walk(device, STP)
    assert scalars[(2, 0)] == Value(ber.INTEGER, 8192)  # dot1dStpPriority
    assert scalars[(4, 0)] == Value(ber.COUNTER32, 3)  # dot1dStpTopChanges
    assert scalars[(3, 0)] == Value(ber.TIMETICKS, 25000)  # 250 s since the last change
    assert scalars[(5, 0)] == Value(ber.OCTET_STRING, bytes.fromhex("1000001871000001"))
    assert scalars[(6, 0)] == Value(ber.INTEGER, 20000)  # dot1dStpRootCost
    assert scalars[(7, 0)] == Value(ber.INTEGER, 1)  # dot1dStpRootPort: A1's ifIndex
    assert scalars[(16, 0)] == Value(ber.INTEGER, 2)  # dot1dStpVersion rstp(2): MSTP's CIST


def test_port_states_as_pollers_read_them(device: Device) -> None:
    device.running.spanning_tree.set_enabled(True)
    device.spanning_tree = SNAPSHOT
    states = walk(device, PORT_STATE)
    assert states[(1,)] == Value(ber.INTEGER, 5)  # A1 forwarding
    assert states[(2,)] == Value(ber.INTEGER, 2)  # A2 blocking
    assert states[(4,)] == Value(ber.INTEGER, 1)  # A4 without link: disabled
    assert walk(device, PORT_DESIGNATED_BRIDGE)[(2,)] == Value(
        ber.OCTET_STRING, bytes.fromhex("8000001871000002"))
