"""OSPF-MIB (snmp/mibs/ospf.py): the general group and the area, interface and neighbour
tables from the engine's last answers (FRR's JSON), disabled and empty without them."""

from __future__ import annotations

from emulator.device import Device
from snmp import ber
from snmp.mib import parse_oid
from tests.snmp.test_mib import walk

GENERAL = parse_oid("1.3.6.1.2.1.14.1")
AREA_SPF_RUNS = parse_oid("1.3.6.1.2.1.14.2.1.4")
IF_STATE = parse_oid("1.3.6.1.2.1.14.7.1.12")
IF_HELLO = parse_oid("1.3.6.1.2.1.14.7.1.9")
NBR_RTR_ID = parse_oid("1.3.6.1.2.1.14.10.1.3")
NBR_STATE = parse_oid("1.3.6.1.2.1.14.10.1.6")

STATE = {
    "general": {"routerId": "10.0.10.1", "areas": {"0.0.0.0": {"spfExecutedCounter": 4}}},
    "interfaces": {"interfaces": {"vlan10": {
        "ospfEnabled": True, "ipAddress": "10.0.10.1", "area": "0.0.0.0", "state": "DR",
        "timerMsecs": 1000, "timerDeadSecs": 4}}},
    "neighbors": {"neighbors": {"10.0.10.3": [{
        "ifaceAddress": "10.0.10.3", "nbrState": "Full/Backup", "nbrPriority": 1}]}},
}


def test_disabled_and_empty_without_the_engine(device: Device) -> None:
    general = walk(device, GENERAL)
    assert general[(2, 0)] == ber.Value(ber.INTEGER, 2)  # ospfAdminStat disabled
    assert walk(device, NBR_STATE) == {}


def test_rows_from_the_engine(device: Device) -> None:
    device.running.ospf_set_enabled(True)
    device.ospf_state = STATE
    general = walk(device, GENERAL)
    assert general[(1, 0)] == ber.Value(ber.IP_ADDRESS, bytes((10, 0, 10, 1)))
    assert general[(2, 0)].data == 1
    assert walk(device, AREA_SPF_RUNS) == {(0, 0, 0, 0): ber.Value(ber.COUNTER32, 4)}
    assert walk(device, IF_STATE)[(10, 0, 10, 1, 0)].data == 5  # designatedRouter
    assert walk(device, IF_HELLO)[(10, 0, 10, 1, 0)].data == 1
    assert walk(device, NBR_RTR_ID)[(10, 0, 10, 3, 0)].data == bytes((10, 0, 10, 3))
    assert walk(device, NBR_STATE)[(10, 0, 10, 3, 0)].data == 8  # full
