"""LLDP-MIB (IEEE 802.1AB-2005): local system and port tables, and the remote table from the
neighbours the module has heard (the same list `show lldp info remote-device` prints).
lldpLocPortNum and lldpRemLocalPortNum are the port's ifIndex; lldpLocPortId is its ifIndex as
text (locally assigned), as in real ProCurve walks."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

from emulator import hardware
from emulator.device import LldpNeighbor
from emulator.fabric import lldp
from snmp.ber import Oid
from snmp.mib import Column, Snapshot, Table, integer, octets, scalars
from snmp.mibs.if_mib import PortRow, port_rows

LLDP_LOCAL: Final = (1, 0, 8802, 1, 1, 2, 1, 3)
LLDP_LOC_PORT_ENTRY: Final = (*LLDP_LOCAL, 7, 1)
LLDP_REM_ENTRY: Final = (1, 0, 8802, 1, 1, 2, 1, 4, 1, 1)


def as_mac(text: str) -> bytes | None:
    """A chassis or port ID that is a MAC address, as its six octets."""
    try:
        return hardware.mac_bytes(hardware.format_mac(text))
    except ValueError:
        return None


def _id(text: str, subtype: int, mac_subtype: int) -> bytes:
    """An ID's octets: six for a MAC subtype, the text otherwise."""
    mac = as_mac(text) if subtype == mac_subtype else None
    return text.encode() if mac is None else mac


def loc_port_rows(snap: Snapshot) -> Iterator[tuple[Oid, PortRow]]:
    for row in port_rows(snap):
        yield (row.index,), row


def rem_rows(snap: Snapshot) -> Iterator[tuple[Oid, LldpNeighbor]]:
    """Indexed (lldpRemTimeMark 0, local port ifIndex, lldpRemIndex per local port)."""
    seen: dict[str, int] = {}
    for neighbor in snap.device.lldp_neighbors:
        seen[neighbor.local_port] = seen.get(neighbor.local_port, 0) + 1
        yield (0, hardware.if_index(neighbor.local_port), seen[neighbor.local_port]), neighbor


def _local_chassis(snap: Snapshot) -> bytes:
    return hardware.mac_bytes(snap.device.inventory.base_mac)


TABLES: Final = (
    scalars(LLDP_LOCAL, (
        Column(1, "lldpLocChassisIdSubtype", lambda s: integer(lldp.CHASSIS_MAC)),
        Column(2, "lldpLocChassisId", lambda s: octets(_local_chassis(s))),
        Column(3, "lldpLocSysName", lambda s: octets(s.device.running.hostname)),
        Column(4, "lldpLocSysDesc", lambda s: octets(s.device.sys_descr())),
        Column(5, "lldpLocSysCapSupported",
               lambda s: octets(lldp.capability_octets(lldp.CAPABILITIES_SUPPORTED))),
        Column(6, "lldpLocSysCapEnabled",
               lambda s: octets(lldp.capability_octets(lldp.CAPABILITIES_ENABLED))),
    )),
    Table(LLDP_LOC_PORT_ENTRY, (
        Column(2, "lldpLocPortIdSubtype", lambda r: integer(lldp.PORT_LOCAL)),
        Column(3, "lldpLocPortId", lambda r: octets(str(r.index))),
        Column(4, "lldpLocPortDesc", lambda r: octets(r.port)),
    ), loc_port_rows),
    Table(LLDP_REM_ENTRY, (
        Column(4, "lldpRemChassisIdSubtype", lambda n: integer(n.chassis_subtype)),
        Column(5, "lldpRemChassisId",
               lambda n: octets(_id(n.chassis_id, n.chassis_subtype, lldp.CHASSIS_MAC))),
        Column(6, "lldpRemPortIdSubtype", lambda n: integer(n.port_subtype)),
        Column(7, "lldpRemPortId", lambda n: octets(_id(n.port_id, n.port_subtype, lldp.PORT_MAC))),
        Column(8, "lldpRemPortDesc", lambda n: octets(n.port_descr)),
        Column(9, "lldpRemSysName", lambda n: octets(n.sys_name)),
        Column(10, "lldpRemSysDesc", lambda n: octets(n.sys_descr)),
        Column(11, "lldpRemSysCapSupported",
               lambda n: octets(lldp.capability_octets(n.capabilities_supported))),
        Column(12, "lldpRemSysCapEnabled",
               lambda n: octets(lldp.capability_octets(n.capabilities_enabled))),
    ), rem_rows),
)
