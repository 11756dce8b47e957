"""IF-MIB (RFC 2863): ifTable and ifXTable over the ports and VLAN interfaces.

Ports take their ifIndex from hardware.if_index ((slot-1)*24 + port), counters from the
fabric, admin status and alias from the running config (both writable). VLAN interfaces follow
the ports (ifType propVirtual, ifIndex from hardware.vlan_if_index).

ifStackTable says which interface runs over which, as real ProCurve walks do: each VLAN
interface over its member ports and trunks (a trunk, not its members), each trunk over its
members, `0.X` for an interface with nothing above it and `X.0` for a port with nothing below.
Pollers (LibreNMS' port relationships) draw trunks and VLANs from it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final

from emulator import hardware
from emulator.config.model import SwitchConfig, Vlan
from emulator.device import PortCounters, PortState
from snmp import ber
from snmp.ber import Oid, Value
from snmp.mib import (
    Column,
    Row,
    SetError,
    Snapshot,
    Table,
    counter32,
    counter64,
    gauge32,
    integer,
    object_id,
    octets,
    scalars,
    text_of,
    timeticks,
    truth,
)

INTERFACES: Final = (1, 3, 6, 1, 2, 1, 2)
IF_ENTRY: Final = (1, 3, 6, 1, 2, 1, 2, 2, 1)
IF_X_ENTRY: Final = (1, 3, 6, 1, 2, 1, 31, 1, 1, 1)
ETHERNET_CSMACD: Final = 6
PROP_VIRTUAL: Final = 53
PORT_MTU: Final = 1526
"""What ProCurve reports for ports (a real walk); VLAN interfaces report 1500."""
VLAN_MTU: Final = 1500
UP, DOWN, TESTING = 1, 2, 3
NULL_OID: Final = (0, 0)


@dataclass(slots=True)
class PortRow:
    snap: Snapshot
    port: str
    index: int
    state: PortState

    @property
    def enabled(self) -> bool:
        interface = self.snap.device.running.interfaces.get(self.port)
        return interface is None or interface.enabled

    @property
    def alias(self) -> str:
        interface = self.snap.device.running.interfaces.get(self.port)
        return (interface.name if interface else None) or ""

    @property
    def speed(self) -> int:
        return self.snap.device.inventory.port_media(self.port).speed

    @property
    def mac(self) -> bytes:
        return hardware.port_mac(self.snap.device.inventory.base_mac, self.port)


@dataclass(slots=True)
class VlanRow:
    snap: Snapshot
    vlan: Vlan

    @property
    def index(self) -> int:
        return hardware.vlan_if_index(self.vlan.vid)

    @property
    def up(self) -> bool:
        ports = self.snap.device.ports
        return any(ports[p].link_up for p in self.vlan.untagged | self.vlan.tagged
                   if p in ports)

    @property
    def alias(self) -> str:
        """Real walks show the VLAN's name."""
        return self.vlan.name

    @property
    def speed(self) -> int:
        """A VLAN interface has no speed of its own (real walks: ifHighSpeed 0)."""
        return 0


def port_rows(snap: Snapshot) -> Iterator[PortRow]:
    """Every installed port with its ifIndex: the rows IF-MIB and the bridge MIBs share."""
    for port in snap.device.inventory.ports():
        index = hardware.if_index(port)
        yield PortRow(snap, port, index, snap.device.ports[port])


# --- trunks and LACP (commands/trunk.py) ---
IEEE8023AD_LAG: Final = 161
"""ifType of a trunk (`Trk1` in real walks)."""


@dataclass(slots=True)
class TrunkRow(PortRow):
    """A trunk: a port whose state is its members' (up while one carries its traffic), and
    whose counters are the ones the fabric keeps on it."""

    @property
    def speed(self) -> int:
        device = self.snap.device
        return sum(device.inventory.port_media(p).speed
                   for p in device.trunk_links.get(self.port, ()))


def trunk_rows(snap: Snapshot) -> Iterator[TrunkRow]:
    device = snap.device
    for trunk in sorted(device.running.trunks, key=hardware.if_index):
        state = PortState(link_up=bool(device.trunk_links.get(trunk)), backend=trunk,
                          counters=device.trunk_counters.get(trunk, PortCounters()))
        yield TrunkRow(snap, trunk, hardware.if_index(trunk), state)


def interface_rows(snap: Snapshot) -> Iterator[tuple[Oid, PortRow | VlanRow]]:
    for row in port_rows(snap):
        yield (row.index,), row
    for trunk in trunk_rows(snap):  # trunks: after every port, before the VLANs
        yield (trunk.index,), trunk
    for vlan in snap.device.running.vlans.values():
        yield (hardware.vlan_if_index(vlan.vid),), VlanRow(snap, vlan)


def _port_only(row: Row) -> PortRow:
    if not isinstance(row, PortRow) or isinstance(row, TrunkRow):
        raise SetError(ber.NOT_WRITABLE)
    return row


def _set_admin(config: SwitchConfig, row: Row, value: Value) -> None:
    if value.data not in (UP, DOWN):
        raise SetError(ber.WRONG_VALUE)
    config.port_set_enabled(_port_only(row).port, value.data == UP)


def _set_alias(config: SwitchConfig, row: Row, value: Value) -> None:
    config.port_set_name(_port_only(row).port, text_of(value))


def _counters(row: Row) -> PortCounters:
    return row.state.counters if isinstance(row, PortRow) else PortCounters()


def _descr(row: Row) -> Value:
    return octets(row.port if isinstance(row, PortRow) else row.vlan.name)


def _admin(row: Row) -> Value:
    return integer(UP if not isinstance(row, PortRow) or row.enabled else DOWN)


def _oper(row: Row) -> Value:
    up = row.state.link_up if isinstance(row, PortRow) else row.up
    return integer(UP if up else DOWN)


def _last_change(row: Row) -> Value:
    if isinstance(row, PortRow):
        return timeticks(row.snap.ticks_at(row.state.last_change))
    return timeticks(0)


def _phys(row: Row) -> Value:
    if isinstance(row, PortRow):
        return octets(row.mac)
    return octets(hardware.mac_bytes(row.snap.device.inventory.base_mac))


IF_COLUMNS: Final = (
    Column(1, "ifIndex", lambda r: integer(r.index)),
    Column(2, "ifDescr", _descr),
    Column(3, "ifType", lambda r: integer(IEEE8023AD_LAG if isinstance(r, TrunkRow)
                                          else ETHERNET_CSMACD if isinstance(r, PortRow)
                                          else PROP_VIRTUAL)),
    Column(4, "ifMtu", lambda r: integer(PORT_MTU if isinstance(r, PortRow) else VLAN_MTU)),
    Column(5, "ifSpeed", lambda r: gauge32(r.speed)),
    Column(6, "ifPhysAddress", _phys),
    Column(7, "ifAdminStatus", _admin, _set_admin),
    Column(8, "ifOperStatus", _oper),
    Column(9, "ifLastChange", _last_change),
    Column(10, "ifInOctets", lambda r: counter32(_counters(r).rx_bytes)),
    Column(11, "ifInUcastPkts", lambda r: counter32(_counters(r).rx_unicast)),
    Column(12, "ifInNUcastPkts", lambda r: counter32(_counters(r).rx_mcast
                                                     + _counters(r).rx_bcast)),
    Column(13, "ifInDiscards", lambda r: counter32(_counters(r).rx_drops)),
    Column(14, "ifInErrors", lambda r: counter32(_counters(r).rx_errors)),
    Column(15, "ifInUnknownProtos", lambda r: counter32(0)),
    Column(16, "ifOutOctets", lambda r: counter32(_counters(r).tx_bytes)),
    Column(17, "ifOutUcastPkts", lambda r: counter32(_counters(r).tx_unicast)),
    Column(18, "ifOutNUcastPkts", lambda r: counter32(_counters(r).tx_mcast
                                                      + _counters(r).tx_bcast)),
    Column(19, "ifOutDiscards", lambda r: counter32(_counters(r).tx_drops)),
    Column(20, "ifOutErrors", lambda r: counter32(_counters(r).tx_errors)),
    Column(21, "ifOutQLen", lambda r: gauge32(0)),
    Column(22, "ifSpecific", lambda r: object_id(NULL_OID)),
)

IF_X_COLUMNS: Final = (
    Column(1, "ifName", _descr),
    Column(2, "ifInMulticastPkts", lambda r: counter32(_counters(r).rx_mcast)),
    Column(3, "ifInBroadcastPkts", lambda r: counter32(_counters(r).rx_bcast)),
    Column(4, "ifOutMulticastPkts", lambda r: counter32(_counters(r).tx_mcast)),
    Column(5, "ifOutBroadcastPkts", lambda r: counter32(_counters(r).tx_bcast)),
    Column(6, "ifHCInOctets", lambda r: counter64(_counters(r).rx_bytes)),
    Column(7, "ifHCInUcastPkts", lambda r: counter64(_counters(r).rx_unicast)),
    Column(8, "ifHCInMulticastPkts", lambda r: counter64(_counters(r).rx_mcast)),
    Column(9, "ifHCInBroadcastPkts", lambda r: counter64(_counters(r).rx_bcast)),
    Column(10, "ifHCOutOctets", lambda r: counter64(_counters(r).tx_bytes)),
    Column(11, "ifHCOutUcastPkts", lambda r: counter64(_counters(r).tx_unicast)),
    Column(12, "ifHCOutMulticastPkts", lambda r: counter64(_counters(r).tx_mcast)),
    Column(13, "ifHCOutBroadcastPkts", lambda r: counter64(_counters(r).tx_bcast)),
    Column(14, "ifLinkUpDownTrapEnable", lambda r: truth(isinstance(r, PortRow))),
    Column(15, "ifHighSpeed", lambda r: gauge32(r.speed // 1_000_000)),
    Column(16, "ifPromiscuousMode", lambda r: truth(isinstance(r, PortRow))),
    Column(17, "ifConnectorPresent", lambda r: truth(isinstance(r, PortRow))),
    Column(18, "ifAlias", lambda r: octets(r.alias), _set_alias),
    Column(19, "ifCounterDiscontinuityTime", lambda r: timeticks(0)),
)


def _if_number(snap: Snapshot) -> Value:
    return integer(len(snap.device.ports) + len(snap.device.running.trunks)
                   + len(snap.device.running.vlans))


IF_STACK_ENTRY: Final = (1, 3, 6, 1, 2, 1, 31, 1, 2, 1)
ACTIVE: Final = 1
"""ifStackStatus: RowStatus active(1), the only value real walks show."""


def stack_rows(snap: Snapshot) -> Iterator[tuple[Oid, Snapshot]]:
    """(higher ifIndex, lower ifIndex) pairs; see the module docstring."""
    running, installed = snap.device.running, set(snap.device.ports)
    members = {name: [p for p in trunk.ports if p in installed]
               for name, trunk in running.trunks.items()}
    above: set[int] = set()
    for vlan in running.vlans.values():
        vlan_index = hardware.vlan_if_index(vlan.vid)
        yield (0, vlan_index), snap
        for port in vlan.untagged | vlan.tagged:
            if port in installed or port in members:
                above.add(hardware.if_index(port))
                yield (vlan_index, hardware.if_index(port)), snap
    for trunk, ports in members.items():
        for port in ports:
            above.add(hardware.if_index(port))
            yield (hardware.if_index(trunk), hardware.if_index(port)), snap
        if hardware.if_index(trunk) not in above:
            yield (0, hardware.if_index(trunk)), snap
    for port in installed:
        if hardware.if_index(port) not in above:
            yield (0, hardware.if_index(port)), snap
        yield (hardware.if_index(port), 0), snap


TABLES: Final = (
    scalars(INTERFACES, (Column(1, "ifNumber", _if_number),)),
    Table(IF_ENTRY, IF_COLUMNS, interface_rows, live=True),
    Table(IF_X_ENTRY, IF_X_COLUMNS, interface_rows, live=True),
    Table(IF_STACK_ENTRY, (Column(3, "ifStackStatus", lambda s: integer(ACTIVE)),), stack_rows),
)
