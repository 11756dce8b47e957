"""The MIB view over a live Device: order, exceptions, live rows and SETs through the model."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from emulator import hardware
from emulator.commands.show_system import render_version
from emulator.config.model import Community, CommunityAccess, SwitchConfig
from emulator.config.render import render_config
from emulator.device import Device, LldpNeighbor, MacEntry, PortCounters
from emulator.hardware import Inventory
from emulator.redundancy.state import FailoverEvent, ModuleStatus, ModuleView
from snmp import ber
from snmp.ber import Oid, Value
from snmp.mib import Snapshot, parse_oid
from snmp.mibs import view
from tests.emulator.replaying import replay_text

IF_DESCR = parse_oid("1.3.6.1.2.1.2.2.1.2")
IF_ADMIN = parse_oid("1.3.6.1.2.1.2.2.1.7")
IF_OPER = parse_oid("1.3.6.1.2.1.2.2.1.8")
IF_ALIAS = parse_oid("1.3.6.1.2.1.31.1.1.1.18")
IF_HC_IN = parse_oid("1.3.6.1.2.1.31.1.1.1.6")
IF_TRAP_ENABLE = parse_oid("1.3.6.1.2.1.31.1.1.1.14")
IF_HIGH_SPEED = parse_oid("1.3.6.1.2.1.31.1.1.1.15")
IF_PROMISCUOUS = parse_oid("1.3.6.1.2.1.31.1.1.1.16")
VLAN_FDB_ID = parse_oid("1.3.6.1.2.1.17.7.1.4.2.1.3")
SYS_NAME_0 = parse_oid("1.3.6.1.2.1.1.5.0")
VLAN_STATIC_NAME = parse_oid("1.3.6.1.2.1.17.7.1.4.3.1.1")
VLAN_UNTAGGED = parse_oid("1.3.6.1.2.1.17.7.1.4.3.1.4")
PVID = parse_oid("1.3.6.1.2.1.17.7.1.4.5.1.1")
HA_FAILOVERS_0 = parse_oid("1.3.6.1.4.1.11.2.14.11.1.11.2.2.0")
HA_MODULE_STATE = parse_oid("1.3.6.1.4.1.11.2.14.11.1.11.2.5.1.1")
HA_MODULE_BACKUP = parse_oid("1.3.6.1.4.1.11.2.14.11.1.11.2.5.1.5")
ENT_STANDBY = parse_oid("1.3.6.1.2.1.131.1.1.1.6")
LLDP_REM_SYS_NAME = parse_oid("1.0.8802.1.1.2.1.4.1.1.9")
LLDP_REM_CAP_SUPPORTED = parse_oid("1.0.8802.1.1.2.1.4.1.1.11")
LLDP_REM_CAP_ENABLED = parse_oid("1.0.8802.1.1.2.1.4.1.1.12")
Q_FDB_PORT = parse_oid("1.3.6.1.2.1.17.7.1.2.2.1.2")
FDB_PORT = parse_oid("1.3.6.1.2.1.17.4.3.1.2")
SYS_DESCR = parse_oid("1.3.6.1.2.1.1.1")
IF_SPEED = parse_oid("1.3.6.1.2.1.2.2.1.5")
ENT_DESCR = parse_oid("1.3.6.1.2.1.47.1.1.1.1.2")
ENT_VENDOR_TYPE = parse_oid("1.3.6.1.2.1.47.1.1.1.1.3")
ENT_CLASS = parse_oid("1.3.6.1.2.1.47.1.1.1.1.5")
MIXED = Inventory(modules={"A": "J9536A", "C": "J9538A", "F": "J9547A", "H": "J9546A",
                           "L": "J8702A"})
"""v2 zl modules of every port kind beside a zl one."""


def walk(device: Device, root: Oid) -> dict[Oid, Value]:
    return {f.oid[len(root):]: f.value for f in view().walk(Snapshot(device), root)}


def test_full_walk_is_strictly_increasing_and_consistent_with_get(device: Device) -> None:
    snap, mib = Snapshot(device), view()
    found = list(mib.walk(snap, ()))
    assert len(found) > 10_000
    for before, after in itertools.pairwise(found):
        assert before.oid < after.oid
    for item in found[::97]:
        assert mib.get(snap, item.oid) == item.value
        assert mib.next(snap, item.oid[:-1]) is not None


def test_exceptions(device: Device) -> None:
    snap, mib = Snapshot(device), view()
    assert mib.get(snap, (1, 3, 6, 1, 2, 1, 99, 0)).tag == ber.NO_SUCH_OBJECT
    assert mib.get(snap, (*IF_DESCR, 999)).tag == ber.NO_SUCH_INSTANCE
    assert mib.get(snap, (1, 3, 6, 1, 2, 1, 1, 5)).tag == ber.NO_SUCH_INSTANCE
    assert mib.next(snap, (2,)) is None
    last = list(mib.walk(snap, ()))[-1]
    assert mib.next(snap, last.oid) is None


def test_getnext_between_and_inside_instances(device: Device) -> None:
    snap, mib = Snapshot(device), view()
    first = mib.next(snap, IF_DESCR)
    assert first is not None and first.oid == (*IF_DESCR, 1) and first.value.data == b"A1"
    after = mib.next(snap, (*IF_DESCR, 24, 5))  # inside A24's subtree: the next row is B1
    assert after is not None and after.oid == (*IF_DESCR, 25)
    ahead = mib.next(snap, (1, 3, 6, 1, 2, 1, 1, 5, 0, 0))
    assert ahead is not None and ahead.oid == (1, 3, 6, 1, 2, 1, 1, 6, 0)


def test_interfaces_follow_the_config_and_inventory(device: Device) -> None:
    descr = walk(device, IF_DESCR)
    assert descr[(1,)].data == b"A1" and descr[(49,)].data == b"C1"
    assert (53,) not in descr  # C holds a 4-port module: C5 does not exist
    assert descr[(4097,)].data == b"DEFAULT_VLAN"
    device.running.vlan_create(20)
    device.running.vlan_add_ports(20, ["A3"], tagged=False)
    device.running.port_set_enabled("A2", False)
    assert walk(device, IF_DESCR)[(4116,)].data == b"VLAN20"
    assert walk(device, VLAN_STATIC_NAME)[(20,)].data == b"VLAN20"
    assert walk(device, VLAN_UNTAGGED)[(20,)].data == bytes([0x20]) + bytes(43)
    assert walk(device, PVID)[(3,)].data == 20
    assert walk(device, IF_ADMIN)[(2,)].data == 2
    assert walk(device, IF_ADMIN)[(1,)].data == 1


def test_counters_and_tables_from_the_fabric(device: Device) -> None:
    device.ports["B2"].counters.rx_bytes = 2**40 + 7
    device.mac_table = [MacEntry("001122-334455", "B2", 1)]
    device.lldp_neighbors = [LldpNeighbor("A5", "0011223344aa", "7", "eth0", "peer",
                                          capabilities_supported=("bridge", "router"),
                                          capabilities_enabled=("bridge",))]
    assert walk(device, IF_HC_IN)[(26,)] == Value(ber.COUNTER64, 2**40 + 7)
    assert walk(device, LLDP_REM_CAP_SUPPORTED) == {(0, 5, 1): Value(ber.OCTET_STRING, b"\x28")}
    assert walk(device, LLDP_REM_CAP_ENABLED) == {(0, 5, 1): Value(ber.OCTET_STRING, b"\x20")}
    assert walk(device, Q_FDB_PORT) == {(1, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55):
                                        Value(ber.INTEGER, 26)}
    assert walk(device, LLDP_REM_SYS_NAME) == {(0, 5, 1): Value(ber.OCTET_STRING, b"peer")}


def test_link_changes_reach_the_hooks_and_if_mib(device: Device) -> None:
    seen: list[tuple[str, bool]] = []
    device.on_link_change.append(lambda port, up: seen.append((port, up)))
    device.port_reported("A1", "tap:x", True)   # first report since takeover: reset, then up
    device.port_reported("A1", "tap:x", True)   # no change
    device.port_reported("A1", "tap:x", False)
    assert seen == [("A1", False), ("A1", True), ("A1", False)]
    device.port_reported("A1", "tap:x", True)
    assert walk(device, IF_OPER)[(1,)].data == 1


def test_redundancy_tables(device: Device) -> None:
    redundancy = device.redundancy
    redundancy.modules["MM2"] = ModuleView("MM2", ModuleStatus.STANDBY)
    redundancy.record.failovers = 3
    redundancy.record.log.append(FailoverEvent(0.0, "MM2", "MM1", "switchover requested"))
    assert walk(device, HA_FAILOVERS_0) == {(): Value(ber.COUNTER32, 3)}
    assert walk(device, HA_MODULE_STATE) == {(4,): Value(ber.INTEGER, 4),
                                             (5,): Value(ber.INTEGER, 2)}
    assert walk(device, ENT_STANDBY)[(4,)] == Value(ber.INTEGER, 4)
    # hpicfHAMgmtModuleBackUpState: realtimeBackupToSlave(3), receivingRealtimeData(6)
    assert walk(device, HA_MODULE_BACKUP) == {(4,): Value(ber.INTEGER, 3),
                                              (5,): Value(ber.INTEGER, 6)}


def test_set_goes_through_the_config_model(device: Device) -> None:
    mib, snap = view(), Snapshot(device)
    config = device.running
    assert mib.set(snap, config, [(SYS_NAME_0, Value(ber.OCTET_STRING, b"core-1")),
                                  ((*IF_ADMIN, 3), Value(ber.INTEGER, 2)),
                                  ((*IF_ALIAS, 3), Value(ber.OCTET_STRING, b"uplink"))]) == (0, 0)
    assert config.hostname == "core-1"
    assert not config.interfaces["A3"].enabled and config.interfaces["A3"].name == "uplink"
    assert mib.set(snap, config, [((*IF_ADMIN, 3), Value(ber.OCTET_STRING, b"x"))]) == (
        ber.WRONG_TYPE, 1)
    assert mib.set(snap, config, [((*IF_ADMIN, 3), Value(ber.INTEGER, 3))]) == (
        ber.WRONG_VALUE, 1)
    assert mib.set(snap, config, [(SYS_NAME_0, Value(ber.OCTET_STRING, b"x" * 33))]) == (
        ber.WRONG_VALUE, 1)
    assert mib.set(snap, config, [((*IF_DESCR, 1), Value(ber.OCTET_STRING, b"x"))]) == (
        ber.NOT_WRITABLE, 1)
    assert mib.set(snap, config, [((*IF_ALIAS, 4097), Value(ber.OCTET_STRING, b"x"))]) == (
        ber.NOT_WRITABLE, 1)


@pytest.mark.parametrize("text", [b"x\ny", b'a"b', b"nul\x00", b"caf\xc3\xa9"])
def test_set_text_the_config_could_not_keep_is_refused(device: Device, text: bytes) -> None:
    """A newline, quote or other non-printable in sysName would come back from `write
    memory` as a broken line: refused, and the running config keeps its value."""
    mib, snap = view(), Snapshot(device)
    config = device.running
    for oid in (SYS_NAME_0, (*IF_ALIAS, 3)):
        assert mib.set(snap, config, [(oid, Value(ber.OCTET_STRING, text))]) == (
            ber.WRONG_VALUE, 1)
    assert config.hostname == "HP-8212zl" and config.port("A3").name is None
    assert replay_text(render_config(config), device.inventory).errors == []


TEXT_COLUMNS: dict[Oid, Callable[[SwitchConfig], str | None]] = {
    parse_oid("1.3.6.1.2.1.1.4.0"): lambda c: c.snmp_contact,
    SYS_NAME_0: lambda c: c.hostname,
    parse_oid("1.3.6.1.2.1.1.6.0"): lambda c: c.snmp_location,
    (*IF_ALIAS, 3): lambda c: c.interfaces["A3"].name if "A3" in c.interfaces else "",
}
"""Every writable text object and the setting it is."""


@pytest.mark.parametrize("oid", list(TEXT_COLUMNS), ids=lambda oid: ".".join(map(str, oid)))
@settings(max_examples=100, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=40) | st.text(max_size=40).map(str.encode))
def test_set_text_is_refused_or_survives_the_saved_config(device: Device, oid: Oid,
                                                          data: bytes) -> None:
    mib, snap = view(), Snapshot(device)
    before = device.running.copy()
    config = device.running.copy()
    status = mib.set(snap, config, [(oid, Value(ber.OCTET_STRING, data))])
    if status == (ber.NO_ERROR, 0):
        assert TEXT_COLUMNS[oid](config) == data.decode("ascii")
        booted = replay_text(render_config(config), device.inventory)
        assert booted.errors == [] and booted.config == config
    else:
        assert status == (ber.WRONG_VALUE, 1) and config == before


def test_communities_are_config(device: Device) -> None:
    from snmp.agent import Access, community_access

    device.running.community_set(Community("ro", CommunityAccess.OPERATOR))
    device.running.community_set(Community("mgr", CommunityAccess.MANAGER, restricted=True))
    assert community_access(device, b"public") == Access.WRITE
    assert community_access(device, b"ro") == Access.READ
    assert community_access(device, b"mgr") == Access.READ
    assert community_access(device, b"nope") is None


def test_one_fdb_row_per_mac_from_its_first_vlan(device: Device) -> None:
    """A MAC learned in two VLANs: dot1dTpFdbTable (indexed by MAC alone) shows the entry of
    the lower VID, the fabric's first; dot1qTpFdbTable shows both."""
    mac = (0x00, 0x11, 0x22, 0x33, 0x44, 0x55)
    device.mac_table = [MacEntry("001122-334455", "B2", 1), MacEntry("001122-334455", "A1", 20)]
    assert walk(device, FDB_PORT) == {mac: Value(ber.INTEGER, 26)}
    assert walk(device, Q_FDB_PORT) == {(1, *mac): Value(ber.INTEGER, 26),
                                        (20, *mac): Value(ber.INTEGER, 1)}


def test_pvid_of_a_tagged_only_port_is_the_default_vlan(device: Device) -> None:
    device.running.vlan_create(20)
    device.running.vlan_add_ports(20, ["A5"], tagged=True)
    device.running.vlan_remove_ports(1, ["A5"], tagged=False)
    assert device.running.pvid("A5") is None
    assert walk(device, PVID)[(5,)] == Value(ber.GAUGE32, 1)


def test_vlan_interfaces_as_real_walks_show_them(device: Device) -> None:
    """The e2910al walk: a VLAN's ifAlias is its name, ifHighSpeed 0, link traps off; ports
    promiscuous; dot1qPvid and dot1qVlanFdbId are Unsigned32 (Gauge32 on the wire)."""
    from emulator.hardware import vlan_if_index

    row = (vlan_if_index(1),)
    assert walk(device, IF_ALIAS)[row] == Value(ber.OCTET_STRING, b"DEFAULT_VLAN")
    assert walk(device, IF_HIGH_SPEED)[row] == Value(ber.GAUGE32, 0)
    assert walk(device, IF_HIGH_SPEED)[(1,)] == Value(ber.GAUGE32, 1000)
    assert walk(device, IF_TRAP_ENABLE)[row] == Value(ber.INTEGER, 2)
    assert walk(device, IF_PROMISCUOUS)[(1,)] == Value(ber.INTEGER, 1)
    assert walk(device, VLAN_FDB_ID)[(0, 1)].tag == ber.GAUGE32  # (TimeMark, VlanIndex)


def test_firmware_and_serial_where_pollers_look(device: Device) -> None:
    """NETSWITCH-MIB hpSwitchOsVersion.0 and SEMI-MIB hpHttpMgSerialNumber.0 (both in real
    ProCurve walks; LibreNMS and Zabbix's HP templates read them)."""
    version = walk(device, parse_oid("1.3.6.1.4.1.11.2.14.11.5.1.1.3"))
    assert version == {(0,): Value(ber.OCTET_STRING, device.software_version().encode())}
    serial = walk(device, parse_oid("1.3.6.1.4.1.11.2.36.1.1.2.9"))
    assert serial == {(0,): Value(ber.OCTET_STRING, device.inventory.serial.encode())}


def test_lldp_remote_ids_keep_the_subtypes_they_came_with(device: Device) -> None:
    """A Linux neighbour (lldpd): chassis ID its MAC, port ID its interface name (subtype 5);
    a 12-hex-digit local port ID stays text."""
    device.lldp_neighbors = [
        LldpNeighbor("A5", "0011223344aa", "eth0", "", "host", port_subtype=5),
        LldpNeighbor("A6", "0011223344bb", "001122334455", "", "odd", chassis_subtype=7),
    ]
    entry = parse_oid("1.0.8802.1.1.2.1.4.1.1")
    table = walk(device, entry)
    assert table[(4, 0, 5, 1)] == Value(ber.INTEGER, 4)
    assert table[(5, 0, 5, 1)] == Value(ber.OCTET_STRING, bytes.fromhex("0011223344aa"))
    assert table[(6, 0, 5, 1)] == Value(ber.INTEGER, 5)
    assert table[(7, 0, 5, 1)] == Value(ber.OCTET_STRING, b"eth0")
    assert table[(4, 0, 6, 1)] == Value(ber.INTEGER, 7)
    assert table[(5, 0, 6, 1)] == Value(ber.OCTET_STRING, b"0011223344bb")
    assert table[(7, 0, 6, 1)] == Value(ber.OCTET_STRING, b"001122334455")


def test_sys_descr_names_the_build_show_version_prints(device: Device) -> None:
    """The issue's inconsistency: sysDescr named another build than `show version`."""
    stamp = render_version(device).split("\n")[1].removeprefix("Image stamp:").strip()
    descr = walk(device, SYS_DESCR)[(0,)].data
    assert descr == (f"HP J8715A Switch 8212zl, revision {hardware.SOFTWARE_REVISION}, "
                     f"ROM {hardware.ROM_VERSION} ({stamp})").encode()


@pytest.mark.parametrize("inventory", [MIXED])
def test_if_mib_follows_the_inventory(device: Device) -> None:
    speeds = {index: value.data for (index,), value in walk(device, IF_SPEED).items()
              if index < hardware.VLAN_IF_INDEX_BASE}
    assert len(speeds) == 22 + 8 + 24 + 8 + 24
    assert [speeds[hardware.if_index(p)] for p in ("A1", "A21", "C1", "F1", "H1", "L24")] == [
        10**9, 4294967295, 4294967295, 10**8, 4294967295, 10**9]
    assert (hardware.if_index("A23"),) not in walk(device, IF_DESCR)
    high = walk(device, IF_HIGH_SPEED)
    assert [high[(hardware.if_index(p),)].data for p in ("A21", "C8", "H8", "F24")] == [
        10_000, 10_000, 10_000, 100]


@pytest.mark.parametrize("inventory", [MIXED])
def test_entity_mib_follows_the_inventory(device: Device) -> None:
    descr = {index: v.data.decode() for (index,), v in walk(device, ENT_DESCR).items()}
    vendor = {index: v.data for (index,), v in walk(device, ENT_VENDOR_TYPE).items()}
    modules = [text for text in descr.values() if text.endswith(" zl Module")]
    assert modules == [hardware.MODULE_TYPES[p].description
                       for p in ("J9536A", "J9538A", "J9547A", "J9546A", "J8702A")]
    ports = {index - 100: text for index, text in descr.items()
             if index > 100 and text.endswith(" Port")}
    assert len(ports) == 22 + 8 + 24 + 8 + 24
    assert [ports[hardware.if_index(p)] for p in ("A1", "A21", "C1", "F1", "H1")] == [
        "HP 100/1000BASE-T Port", "HP 10GbE SFP+ Port", "HP 10GbE SFP+ Port",
        "HP 10/100BASE-TX Port", "HP 10GBASE-T Port"]
    module_oids = {descr[i]: vendor[i] for i in descr if descr[i].endswith(" zl Module")}
    assert module_oids[hardware.MODULE_TYPES["J8702A"].description] == parse_oid(
        "1.3.6.1.4.1.11.2.3.7.11.50.2")
    assert module_oids[hardware.MODULE_TYPES["J9536A"].description] == (0, 0)


# --- trunks and LACP (commands/trunk.py) ---

IF_TYPE = parse_oid("1.3.6.1.2.1.2.2.1.3")
IF_NUMBER_0 = parse_oid("1.3.6.1.2.1.2.1.0")


def test_a_trunk_is_an_interface_after_the_ports_and_a_bridge_port_in_its_vlans(
        device: Device) -> None:
    ports = len(walk(device, IF_DESCR))
    device.running.trunk_add(["A1", "A2"], "Trk1", "lacp")
    device.running.trunk_add(["L24"], "Trk60", "trunk")
    device.running.vlan_create(20)
    device.running.vlan_add_ports(20, ["Trk60"], tagged=False)
    device.trunk_links = {"Trk1": ["A2"]}
    device.trunk_counters = {"Trk1": PortCounters(rx_bytes=2**33)}
    descr = walk(device, IF_DESCR)
    assert len(descr) == ports + 2 + 1  # two trunks, VLAN 20
    assert descr[(289,)].data == b"Trk1" and descr[(348,)].data == b"Trk60"
    assert list(descr).index((289,)) == list(descr).index((288,)) + 1  # ports, trunks, VLANs
    assert walk(device, IF_TYPE)[(289,)].data == 161  # ieee8023adLag
    assert walk(device, IF_OPER)[(289,)].data == 1 and walk(device, IF_OPER)[(348,)].data == 2
    assert walk(device, IF_HIGH_SPEED)[(289,)].data == 1000  # its one link up
    assert walk(device, IF_HC_IN)[(289,)] == Value(ber.COUNTER64, 2**33)
    assert view().get(Snapshot(device), IF_NUMBER_0).data == len(descr)
    untagged = walk(device, VLAN_UNTAGGED)[(20,)].data
    assert untagged == bytes(43) + bytes([0x80 >> 3])  # bit 347: Trk60, ifIndex 348
    trk60 = hardware.if_index("Trk60") - 1
    assert untagged[trk60 // 8] == 0x80 >> (trk60 % 8)
