"""IF-MIB's ifStackTable as real ProCurve walks show it: VLAN interfaces over their ports and
trunks, a trunk over its members, `0.X` above what nothing runs over, `X.0` below every port."""

from __future__ import annotations

from emulator import hardware
from emulator.device import Device
from snmp import ber
from snmp.ber import Value
from snmp.mib import parse_oid
from tests.snmp.test_mib import walk

IF_STACK_STATUS = parse_oid("1.3.6.1.2.1.31.1.2.1.3")


def test_vlans_over_ports_and_trunks_over_members(device: Device) -> None:
    running = device.running
    running.trunk_add(["A1", "A2"], "Trk1", "trunk")
    running.vlan_create(20)
    running.vlan_add_ports(20, ["Trk1", "A3"], tagged=True)
    stack = walk(device, IF_STACK_STATUS)
    assert set(stack.values()) == {Value(ber.INTEGER, 1)}
    vlan1, vlan20 = hardware.vlan_if_index(1), hardware.vlan_if_index(20)
    trk1 = hardware.if_index("Trk1")
    assert {(0, vlan1), (0, vlan20), (vlan20, trk1), (vlan1, trk1), (vlan20, 3),
            (trk1, 1), (trk1, 2), (1, 0), (2, 0), (3, 0)} <= set(stack)
    assert (vlan1, 1) not in stack and (vlan20, 1) not in stack  # a member runs under its trunk
    assert (0, 1) not in stack and (0, trk1) not in stack
    assert len([pair for pair in stack if pair[1] == 0]) == len(device.ports)


def test_a_port_in_no_vlan_has_nothing_above_it(device: Device) -> None:
    device.running.vlan_remove_ports(1, ["A5"], tagged=False)
    stack = walk(device, IF_STACK_STATUS)
    assert (0, 5) in stack and (hardware.vlan_if_index(1), 5) not in stack
