"""HP-ICF-BRIDGE: the spanning-tree version ProCurves report beside BRIDGE-MIB, and loop
protection's settings and per-port loops as monitoring reads them."""

from __future__ import annotations

from emulator.device import Device
from emulator.fabric.loop_protect import LoopStatus
from snmp import ber
from snmp.ber import Value
from snmp.mib import parse_oid
from tests.snmp.test_mib import walk

RSTP = parse_oid("1.3.6.1.4.1.11.2.14.11.5.1.12.1.4")
LOOP_BASE = parse_oid("1.3.6.1.4.1.11.2.14.11.5.1.12.1.5.1")
LOOP_PORTS = parse_oid("1.3.6.1.4.1.11.2.14.11.5.1.12.1.5.2.1.1")


def integer(number: int) -> Value:
    return Value(ber.INTEGER, number)


def test_the_spanning_tree_version_and_state(device: Device) -> None:
    assert walk(device, RSTP) == {(1, 0): integer(3), (3, 0): integer(3), (4, 0): integer(2)}
    device.running.spanning_tree.set_enabled(True)
    device.running.spanning_tree.set_version("rstp-operation")
    assert walk(device, RSTP) == {(1, 0): integer(2), (3, 0): integer(3), (4, 0): integer(1)}


def test_loop_protection_settings_and_each_ports_loops(device: Device) -> None:
    running = device.running
    running.loop_protect_set(["A1"], "send-disable")
    running.loop_protect_set(["A2"], "no-disable")
    running.set_loop_protect_interval(3)
    running.set_loop_protect_trap(True)
    device.loop_protect = [LoopStatus("A1", "send-disable", True, 2, 0, True),
                           LoopStatus("A2", "no-disable", False, 0, None, False)]
    assert walk(device, LOOP_BASE) == {(1, 0): integer(3), (2, 0): integer(1),
                                       (3, 0): integer(0), (4, 0): integer(1)}
    ports = walk(device, LOOP_PORTS)
    assert ports[(1, 1)] == ports[(1, 2)] == integer(1)  # protected
    assert ports[(1, 3)] == integer(2)
    assert ports[(2, 1)] == integer(1) and ports[(2, 2)] == integer(2)  # loop detected on A1
    assert ports[(4, 1)] == Value(ber.COUNTER32, 2)
    assert ports[(4, 3)] == Value(ber.COUNTER32, 0)
    assert ports[(5, 1)] == integer(1) and ports[(5, 2)] == integer(2)  # disableTx, noDisable
    assert ports[(3, 2)] == Value(ber.TIMETICKS, 0)  # never looped
