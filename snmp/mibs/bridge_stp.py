"""BRIDGE-MIB's dot1dStp group (RFC 4188) and RSTP-MIB's version (RFC 4318) over the fabric's
spanning-tree snapshot: what pollers (LibreNMS, Cacti) read for the root, the topology changes
and each port's state. The CIST is served, as ProCurve switches serve it in MSTP mode; timers
are in hundredths of a second (the MIB's Timeout)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Final

from emulator import hardware
from emulator.config.model import STP_PRIORITY_DEFAULT
from emulator.fabric import stp
from emulator.fabric.client import path_cost
from snmp.ber import Oid
from snmp.mib import Column, Snapshot, Table, counter32, integer, octets, timeticks
from snmp.mibs.bridge import DOT1D_BRIDGE
from snmp.mibs.if_mib import PortRow, port_rows

DOT1D_STP: Final = (*DOT1D_BRIDGE, 2)
DOT1D_STP_PORT_ENTRY: Final = (*DOT1D_STP, 15, 1)

IEEE_8021D: Final = 3
"""dot1dStpProtocolSpecification: the 802.1D family (RSTP and MSTP included)."""
STP_VERSION: Final = {"stp-compatible": 0, "rstp-operation": 2, "mstp-operation": 2}
"""RSTP-MIB dot1dStpVersion: stpCompatible(0) or rstp(2); MSTP answers rstp, as its CIST is."""
TX_HOLD_COUNT: Final = 6
HOLD_TIME: Final = 100
PORT_STATE: Final = {"discarding": 2, "learning": 4, "forwarding": 5}
"""dot1dStpPortState: blocking(2), learning(4), forwarding(5); a port without link (or with
spanning tree off) is disabled(1)."""
DISABLED: Final = 1
ENABLED: Final = 1
PORT_DISABLED: Final = 2
CENTI: Final = 100


def _live(snap: Snapshot) -> dict[str, Any]:
    return snap.device.spanning_tree or {}


def _bridge_id(snap: Snapshot) -> bytes:
    priority = snap.device.running.spanning_tree.priority * stp.PRIORITY_STEP
    return stp.bridge_id(priority, bytes.fromhex(snap.device.inventory.base_mac.replace("-", "")))


def _id(text: object, snap: Snapshot) -> bytes:
    """A bridge ID from the snapshot (hex), or this bridge's own before the first read."""
    raw = bytes.fromhex(str(text)) if text else b""
    return raw if len(raw) == 8 else _bridge_id(snap)


def _root_port(snap: Snapshot) -> int:
    """dot1dStpRootPort: the root port's dot1dBasePort (its ifIndex); 0 on the root."""
    port = _live(snap).get("root_port")
    return hardware.if_index(str(port)) if port else 0


def _since_change(snap: Snapshot) -> int:
    age = _live(snap).get("tc_age")
    return int(float(age) * CENTI) if age is not None else snap.uptime


def _port(row: PortRow) -> dict[str, Any]:
    ports: dict[str, dict[str, Any]] = _live(row.snap).get("ports", {})
    return ports.get(row.port, {})


def _state(row: PortRow) -> int:
    live = _port(row)
    if not live.get("up") or not _live(row.snap).get("enabled"):
        return DISABLED
    return PORT_STATE.get(str(live.get("state")), DISABLED)


def _port_priority(row: PortRow) -> int:
    setting = row.snap.device.running.spanning_tree.ports.get(row.port)
    multiplier = STP_PRIORITY_DEFAULT if setting is None or setting.priority is None else (
        setting.priority)
    return multiplier * stp.PORT_PRIORITY_STEP


def _path_cost(row: PortRow) -> int:
    setting = row.snap.device.running.spanning_tree.ports.get(row.port)
    if setting is not None and setting.path_cost:
        return setting.path_cost
    return path_cost(row.snap.device.inventory, row.port)


def _designated_port(row: PortRow) -> bytes:
    number = int(_port(row).get("designated_port", 0)) or (
        _port_priority(row) << 8 | row.index & 0xFFF)
    return number.to_bytes(2, "big")


def stp_port_rows(snap: Snapshot) -> Iterator[tuple[Oid, PortRow]]:
    for row in port_rows(snap):
        yield (row.index,), row


def _timer(snap: Snapshot, key: str, default: int) -> int:
    return int(float(_live(snap).get(key, default)) * CENTI)


def _scalar_row(snap: Snapshot) -> Iterator[tuple[Oid, Snapshot]]:
    yield (0,), snap


TABLES: Final = (
    Table(DOT1D_STP, (
        Column(1, "dot1dStpProtocolSpecification", lambda s: integer(IEEE_8021D)),
        Column(2, "dot1dStpPriority", lambda s: integer(
            s.device.running.spanning_tree.priority * stp.PRIORITY_STEP)),
        Column(3, "dot1dStpTimeSinceTopologyChange", lambda s: timeticks(_since_change(s))),
        Column(4, "dot1dStpTopChanges", lambda s: counter32(int(_live(s).get("tc_count", 0)))),
        Column(5, "dot1dStpDesignatedRoot", lambda s: octets(_id(_live(s).get("root"), s))),
        Column(6, "dot1dStpRootCost", lambda s: integer(int(_live(s).get("root_cost", 0)))),
        Column(7, "dot1dStpRootPort", lambda s: integer(_root_port(s))),
        Column(8, "dot1dStpMaxAge", lambda s: integer(_timer(s, "max_age", stp.MAX_AGE))),
        Column(9, "dot1dStpHelloTime", lambda s: integer(_timer(s, "hello", stp.HELLO))),
        Column(10, "dot1dStpHoldTime", lambda s: integer(HOLD_TIME)),
        Column(11, "dot1dStpForwardDelay", lambda s: integer(
            _timer(s, "forward_delay", stp.FORWARD_DELAY))),
        Column(12, "dot1dStpBridgeMaxAge", lambda s: integer(stp.MAX_AGE * CENTI)),
        Column(13, "dot1dStpBridgeHelloTime", lambda s: integer(stp.HELLO * CENTI)),
        Column(14, "dot1dStpBridgeForwardDelay", lambda s: integer(stp.FORWARD_DELAY * CENTI)),
        Column(16, "dot1dStpVersion", lambda s: integer(
            STP_VERSION[s.device.running.spanning_tree.version])),
        Column(17, "dot1dStpTxHoldCount", lambda s: integer(TX_HOLD_COUNT)),
    ), _scalar_row, live=True),  # scalars, read from the fabric
    Table(DOT1D_STP_PORT_ENTRY, (
        Column(1, "dot1dStpPort", lambda r: integer(r.index)),
        Column(2, "dot1dStpPortPriority", lambda r: integer(_port_priority(r))),
        Column(3, "dot1dStpPortState", lambda r: integer(_state(r))),
        Column(4, "dot1dStpPortEnable", lambda r: integer(
            ENABLED if r.snap.device.running.spanning_tree.enabled else PORT_DISABLED)),
        Column(5, "dot1dStpPortPathCost", lambda r: integer(min(_path_cost(r), 65535))),
        Column(6, "dot1dStpPortDesignatedRoot", lambda r: octets(
            _id(_live(r.snap).get("root"), r.snap))),
        Column(7, "dot1dStpPortDesignatedCost", lambda r: integer(
            int(_port(r).get("designated_cost", 0)))),
        Column(8, "dot1dStpPortDesignatedBridge", lambda r: octets(
            _id(_port(r).get("designated_bridge"), r.snap))),
        Column(9, "dot1dStpPortDesignatedPort", lambda r: octets(_designated_port(r))),
        Column(10, "dot1dStpPortForwardTransitions", lambda r: counter32(
            int(_port(r).get("forward_transitions", 0)))),
        Column(11, "dot1dStpPortPathCost32", lambda r: integer(_path_cost(r))),
    ), stp_port_rows, live=True),
)
