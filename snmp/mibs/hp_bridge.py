"""HP-ICF-BRIDGE (hpicfBridge, 1.3.6.1.4.1.11.2.14.11.5.1.12): the spanning-tree version a
ProCurve reports beside BRIDGE-MIB (hpicfBridgeRstp: which of 802.1D/w/s runs and whether it is
on) and loop protection (hpicfBridgeLoopProtect: the settings, and per port whether it is
protected, has seen a loop, how often and when). Monitoring that reads a ProCurve's loops
(LibreNMS' trap handler, check_procurve_loop) reads these objects, and the loop-detected
notification (snmp/notify.py) carries the port's count and receiver action from this table."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

from emulator.config.model import LOOP_PROTECT_ACTIONS
from emulator.fabric.loop_protect import LoopStatus
from snmp.ber import Oid
from snmp.mib import Column, Snapshot, Table, counter32, integer, scalars, timeticks, truth
from snmp.mibs.if_mib import PortRow, port_rows

HPICF_BRIDGE: Final = (1, 3, 6, 1, 4, 1, 11, 2, 14, 11, 5, 1, 12)
HPICF_BRIDGE_RSTP: Final = (*HPICF_BRIDGE, 1, 4)
LOOP_PROTECT: Final = (*HPICF_BRIDGE, 1, 5)
LOOP_PROTECT_PORT_ENTRY: Final = (*LOOP_PROTECT, 2, 1, 1)
LOOP_COUNT: Final = (*LOOP_PROTECT_PORT_ENTRY, 4)
RECEIVER_ACTION: Final = (*LOOP_PROTECT_PORT_ENTRY, 5)
LOOP_DETECTED_NOTIFICATION: Final = (*LOOP_PROTECT, 0, 1)
"""hpicfBridgeLoopProtectLoopDetectedNotification: ifIndex, the port's loop count and its
receiver action."""

FORCE_VERSION: Final = {"stp-compatible": 0, "rstp-operation": 2, "mstp-operation": 3}
"""hpicfBridgeRstpForceVersion: stpCompatibility(0), rstpOperation(2), mstpOperation(3)."""
PROTOCOL_VERSION: Final = 3
"""hpicfBridgeRstpProtocolVersion: ieee8021s(3), the protocol K.15 runs (MSTP), whatever the
forced version its ports speak."""
ENABLE: Final = 1
DISABLE: Final = 2
RECEIVER_ACTIONS: Final = {LOOP_PROTECT_ACTIONS[0]: 1, LOOP_PROTECT_ACTIONS[1]: 2}
"""LoopProtectReceiverAction: disableTx(1) for send-disable, noDisable(2)."""
PORT_MODE: Final = 1
"""hpicfBridgeLoopProtectMode: port(1); K.15 protects ports, not VLANs."""
CENTI: Final = 100


def receiver_action(action: str) -> int:
    return RECEIVER_ACTIONS.get(action, RECEIVER_ACTIONS[LOOP_PROTECT_ACTIONS[0]])


def _status(row: PortRow) -> LoopStatus | None:
    return next((s for s in row.snap.device.loop_protect if s.port == row.port), None)


def _last_loop(row: PortRow) -> int:
    """TimeStamp: sysUpTime when the port last saw a loop, 0 if it never did (or before this
    module's agent started)."""
    status = _status(row)
    if status is None or status.since_last is None:
        return 0
    return max(0, row.snap.uptime - status.since_last * CENTI)


def loop_rows(snap: Snapshot) -> Iterator[tuple[Oid, PortRow]]:
    for row in port_rows(snap):
        yield (row.index,), row


TABLES: Final = (
    scalars(HPICF_BRIDGE_RSTP, (
        Column(1, "hpicfBridgeRstpForceVersion", lambda s: integer(
            FORCE_VERSION[s.device.running.spanning_tree.version])),
        Column(3, "hpicfBridgeRstpProtocolVersion", lambda s: integer(PROTOCOL_VERSION)),
        Column(4, "hpicfBridgeRstpAdminStatus", lambda s: integer(
            ENABLE if s.device.running.spanning_tree.enabled else DISABLE)),
    )),
    scalars((*LOOP_PROTECT, 1), (
        Column(1, "hpicfBridgeLoopProtectInterval", lambda s: integer(
            s.device.running.loop_protect_interval)),
        Column(2, "hpicfBridgeLoopProtectTrapLoopDetectEnable", lambda s: truth(
            s.device.running.loop_protect_trap)),
        Column(3, "hpicfBridgeLoopProtectEnableTimer", lambda s: integer(
            s.device.running.loop_protect_disable_timer)),
        Column(4, "hpicfBridgeLoopProtectMode", lambda s: integer(PORT_MODE)),
    )),
    Table(LOOP_PROTECT_PORT_ENTRY, (
        Column(1, "hpicfBridgeLoopProtectPortEnable", lambda r: truth(
            r.port in r.snap.device.running.loop_protect)),
        Column(2, "hpicfBridgeLoopProtectPortLoopDetected", lambda r: truth(
            (s := _status(r)) is not None and s.detected)),
        Column(3, "hpicfBridgeLoopProtectPortLastLoopTime", lambda r: timeticks(
            _last_loop(r))),
        Column(4, "hpicfBridgeLoopProtectPortLoopCount", lambda r: counter32(
            0 if (s := _status(r)) is None else s.count)),
        Column(5, "hpicfBridgeLoopProtectPortReceiverAction", lambda r: integer(
            receiver_action(r.snap.device.running.loop_protect.get(r.port, "")))),
    ), loop_rows, live=True),
)
