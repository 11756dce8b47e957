"""HpicfHighAvailability-MIB: redundancy mode, failover count and time, the failover log and
the per-module state table, from the failover record the modules keep on flash (so the count
survives the switchovers it counts) and the live module roles."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

from emulator import hardware
from emulator.redundancy.state import FailoverEvent, ModuleStatus, ModuleView
from snmp.ber import Oid, Value
from snmp.mib import Column, Snapshot, Table, counter32, integer, scalars, timeticks
from snmp.mibs.entity import STANDBY, mm_index

HA: Final = (1, 3, 6, 1, 4, 1, 11, 2, 14, 11, 1, 11)
HA_CONFIG: Final = (*HA, 1)
HA_STATUS: Final = (*HA, 2)
FAILOVER_LOG_ENTRY: Final = (*HA_STATUS, 4, 1)
MODULE_ENTRY: Final = (*HA_STATUS, 5, 1)
MODE_ENABLE, MODE_DISABLE = 1, 2
CONTINUOUS_FORWARDING_TIME: Final = 300
NO_PREFERENCE: Final = 0
# hpicfHAMgmtRedundancyFailureReason
NO_REDUNDANT_MODULE, NO_FAILURE, REDUNDANCY_DISABLED = 1, 2, 7
# hpicfHAFailOverLogState
LOG_ACTIVE: Final = 2
# hpicfHAMgmtModuleRedundancyState / BackUpState
REDUNDANCY_STATE: Final = {ModuleStatus.ACTIVE: 2, ModuleStatus.STANDBY: 5}
"""active(2), warmStandby(5); anything else unavailable(1)."""
BACKUP_STATE: Final = {ModuleStatus.ACTIVE: 3, ModuleStatus.STANDBY: 6}
"""hpicfHAMgmtModuleBackUpState as the MIB enumerates it (failed(0), unknown(1), waiting(2),
realtimeBackupToSlave(3), slaveIsAbsent(4), batchBackup(5), receivingRealtimeData(6),
offline(7)): the active module backs up to the standby, the standby receives; other states
report offline(7)."""
BACKUP_OFFLINE: Final = 7
FAILOVER_REASONS: Final = (("switchover", 1), ("button", 2), ("crash", 3), ("killed", 3),
                           ("heartbeat", 3), ("reset", 4), ("reboot", 4))
"""Words of the logged takeover reason -> hpicfHAFailOverLogReason (switchoverReq(1),
buttonReq(2), crashReq(3), activeReset(4)); the first match wins, unknown is invalid(0)."""


def ticks_since_boot(snap: Snapshot, wall: float | None) -> int:
    """A wall-clock moment as sysUpTime ticks of this agent (0 before it started)."""
    if wall is None:
        return 0
    return snap.ticks_at(snap.now - (snap.device.clock.now() - wall))


def failover_reason(text: str) -> int:
    lowered = text.lower()
    return next((code for word, code in FAILOVER_REASONS if word in lowered), 0)


def failure_reason(snap: Snapshot) -> Value:
    redundancy = snap.device.redundancy
    if not redundancy.enabled:
        return integer(REDUNDANCY_DISABLED)
    other = redundancy.other()
    present = other is not None and other.status is ModuleStatus.STANDBY
    return integer(NO_FAILURE if present else NO_REDUNDANT_MODULE)


def log_rows(snap: Snapshot) -> Iterator[tuple[Oid, tuple[Snapshot, FailoverEvent]]]:
    for number, event in enumerate(snap.device.redundancy.record.log, 1):
        yield (number,), (snap, event)


def module_rows(snap: Snapshot) -> Iterator[tuple[Oid, tuple[Snapshot, ModuleView]]]:
    for slot, view in snap.device.redundancy.modules.items():
        if slot in hardware.MANAGEMENT_SLOTS:
            yield (mm_index(slot),), (snap, view)


TABLES: Final = (
    scalars(HA_CONFIG, (
        Column(1, "hpicfHARedundancyManagementModuleMode", lambda s: integer(
            MODE_ENABLE if s.device.redundancy.enabled else MODE_DISABLE)),
        Column(2, "hpicfHAContinuousFwdingTime", lambda s: integer(CONTINUOUS_FORWARDING_TIME)),
        Column(3, "hpicfHAPreferredActiveManagement", lambda s: integer(NO_PREFERENCE)),
    )),
    scalars(HA_STATUS, (
        Column(1, "hpicfHAMgmtRedundancyFailureReason", failure_reason),
        Column(2, "hpicfHAMgmtFailovers",
               lambda s: counter32(s.device.redundancy.record.failovers)),
        Column(3, "hpicfHALastFailoverTime", lambda s: timeticks(
            ticks_since_boot(s, s.device.redundancy.record.last_failover))),
    )),
    Table(FAILOVER_LOG_ENTRY, (
        Column(2, "hpicfHAFailOverLogMgmtModule", lambda r: integer(mm_index(r[1].to_slot))),
        Column(3, "hpicfHAFailOverLogState", lambda r: integer(LOG_ACTIVE)),
        Column(4, "hpicfHAFailOverLogTime",
               lambda r: timeticks(ticks_since_boot(r[0], r[1].when))),
        Column(5, "hpicfHAFailOverLogReason", lambda r: integer(failover_reason(r[1].reason))),
    ), log_rows),
    Table(MODULE_ENTRY, (
        Column(1, "hpicfHAMgmtModuleState", lambda r: integer(STANDBY.get(r[1].status, 1))),
        Column(2, "hpicfHAMgmtModuleCardUpSince", lambda r: timeticks(0)),
        Column(3, "hpicfHAMgmtModuleStateSince", lambda r: timeticks(0)),
        Column(4, "hpicfHAMgmtModuleRedundancyState",
               lambda r: integer(REDUNDANCY_STATE.get(r[1].status, 1))),
        Column(5, "hpicfHAMgmtModuleBackUpState",
               lambda r: integer(BACKUP_STATE.get(r[1].status, BACKUP_OFFLINE))),
    ), module_rows),
)
