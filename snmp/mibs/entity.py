"""ENTITY-MIB (RFC 6933) entPhysicalTable and ENTITY-STATE-MIB (RFC 4268) for the chassis.

The containment tree follows the real zl/zl2 chassis walks ("Switch Management Module Slot",
"Slot A" ... with the module inside and its ports inside that). Physical indexes are fixed by
position, so a poller's index stays put when a module is pulled or a switchover happens:
PHYSICAL_INDEX gives the first index of each kind.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Final

from emulator import hardware
from emulator.redundancy.state import ModuleStatus
from snmp.ber import Oid
from snmp.mib import Column, Snapshot, Table, integer, object_id, octets, parse_oid, truth

ENT_PHYSICAL_ENTRY: Final = (1, 3, 6, 1, 2, 1, 47, 1, 1, 1, 1)
ENT_STATE_ENTRY: Final = (1, 3, 6, 1, 2, 1, 131, 1, 1, 1)
HP_OID: Final = parse_oid(hardware.SYS_OBJECT_ID)
MANUFACTURER: Final = "HP"

# PhysicalClass (RFC 6933)
CHASSIS, CONTAINER, MODULE, PORT = 3, 5, 9, 10
PHYSICAL_INDEX: Final = {
    "chassis": 1, "mm-slot": 2, "mm": 4, "fm-slot": 6, "fm": 8, "ssm": 10,
    "slot": 11, "module": 23, "port": 100,
}
"""First entPhysicalIndex of each kind (management/fabric slots and modules, the twelve
interface slots and modules); a port's is 100 + its ifIndex."""
FABRIC_SLOTS: Final = ("FM1", "FM2")
VENDOR_TYPES: Final = {
    "J9092A": (*HP_OID, 1), "J9093A": (*HP_OID, 2), "J9095A": (*HP_OID, 3),
}
"""hpManagementModuleJ9092A / hpFabricModuleJ9093A / the system support module under
hpSwitchJ9091A in HP-ICF-OID; interface modules use module_vendor_type."""
ZL_MODULE_NODE: Final = (1, 3, 6, 1, 4, 1, 11, 2, 3, 7, 11, 50)
"""hpEtherSwitch 50, the zl module node: a module's vendor type is its catalog arc under it."""
NULL_OID: Final = (0, 0)


def module_vendor_type(product: str) -> Oid:
    """An interface module's OID under the zl module node, or zeroDotZero (ENTITY-MIB's
    "unknown") for a module whose arc the catalog does not hold."""
    arc = hardware.MODULE_TYPES[product].oid_arc
    return NULL_OID if arc is None else (*ZL_MODULE_NODE, arc)

# EntityStandbyStatus / admin / oper / usage (ENTITY-STATE-TC-MIB)
STANDBY: Final = {ModuleStatus.ACTIVE: 4, ModuleStatus.STANDBY: 2}
"""providingService(4), hotStandby(2); any other state is unknown(1)."""
UNLOCKED, LOCKED = 4, 2
ENABLED, DISABLED = 3, 2
USAGE_ACTIVE, USAGE_IDLE = 3, 2


@dataclass(slots=True)
class Entity:
    descr: str
    vendor_type: Oid
    contained_in: int
    cls: int
    position: int
    name: str
    serial: str = ""
    model: str = ""
    fru: bool = False
    standby: int = 1
    enabled: bool = True
    software: str = ""
    """entPhysicalSoftwareRev: the version the chassis and its modules run (the image the
    management module booted)."""


def mm_index(slot: str) -> int:
    """entPhysicalIndex of a management module (HpicfHighAvailability-MIB indexes by it)."""
    return PHYSICAL_INDEX["mm"] + hardware.MANAGEMENT_SLOTS.index(slot)


def _module(product: str, descr: str, slot: str, snap: Snapshot, container: int, pos: int,
            vendor_type: Oid) -> Entity:
    serial = snap.device.inventory.module_serials.get(slot, "")
    return Entity(descr, vendor_type, container, MODULE, pos, descr, serial, product, True,
                  software=snap.device.software_version())


def entities(snap: Snapshot) -> Iterator[tuple[int, Entity]]:
    inventory = snap.device.inventory
    yield PHYSICAL_INDEX["chassis"], Entity(
        hardware.PRODUCT_LINE, HP_OID, 0, CHASSIS, -1, "Chassis", inventory.serial,
        hardware.CHASSIS_PRODUCT, software=snap.device.software_version())
    views = snap.device.redundancy.modules
    for pos, slot in enumerate(hardware.MANAGEMENT_SLOTS):
        container = PHYSICAL_INDEX["mm-slot"] + pos
        yield container, Entity("Switch Management Module Slot", NULL_OID, 1, CONTAINER,
                                pos + 1, f"Switch Management Module Slot {slot}")
        if slot in inventory.management:
            product, descr = hardware.MANAGEMENT_MODULE
            module = _module(product, descr, slot, snap, container, 1, VENDOR_TYPES[product])
            view = views.get(slot)
            status = view.status if view else ModuleStatus.OFFLINE
            yield mm_index(slot), replace(module, standby=STANDBY.get(status, 1),
                                          enabled=status in STANDBY,
                                          software=(view.version if view else None)
                                          or module.software)
    for pos, slot in enumerate(FABRIC_SLOTS):
        container = PHYSICAL_INDEX["fm-slot"] + pos
        yield container, Entity("Fabric Module Bay", NULL_OID, 1, CONTAINER, pos + 3,
                                f"Fabric Module Bay {slot}")
        product, descr = hardware.FABRIC_MODULE
        yield PHYSICAL_INDEX["fm"] + pos, _module(product, descr, slot, snap, container, 1,
                                                 VENDOR_TYPES[product])
    product, descr = hardware.SYSTEM_SUPPORT_MODULE
    yield PHYSICAL_INDEX["ssm"], _module(product, descr, "SSM", snap, 1, 5,
                                        VENDOR_TYPES[product])
    for pos, slot in enumerate(hardware.SLOTS):
        container = PHYSICAL_INDEX["slot"] + pos
        yield container, Entity(f"Slot {slot} port module slot", NULL_OID, 1, CONTAINER,
                                pos + 6, f"Slot {slot}")
        installed = inventory.modules.get(slot)
        if installed is None:
            continue
        kind = hardware.MODULE_TYPES[installed]
        module_index = PHYSICAL_INDEX["module"] + pos
        yield module_index, _module(installed, kind.description, slot, snap, container, 1,
                                    module_vendor_type(installed))
        for number, media in enumerate(kind.ports, 1):
            port = f"{slot}{number}"
            yield PHYSICAL_INDEX["port"] + hardware.if_index(port), Entity(
                f"HP {media.entity_descr}", NULL_OID, module_index, PORT, number,
                f"Port {port}")


def entity_rows(snap: Snapshot) -> Iterator[tuple[Oid, Entity]]:
    for index, entity in entities(snap):
        yield (index,), entity


def state_rows(snap: Snapshot) -> Iterator[tuple[Oid, Entity]]:
    """ENTITY-STATE-MIB rows: the modules (the components that have a standby state)."""
    for index, entity in entities(snap):
        if entity.cls == MODULE:
            yield (index,), entity


ENTITY_COLUMNS: Final = (
    Column(2, "entPhysicalDescr", lambda e: octets(e.descr)),
    Column(3, "entPhysicalVendorType", lambda e: object_id(e.vendor_type)),
    Column(4, "entPhysicalContainedIn", lambda e: integer(e.contained_in)),
    Column(5, "entPhysicalClass", lambda e: integer(e.cls)),
    Column(6, "entPhysicalParentRelPos", lambda e: integer(e.position)),
    Column(7, "entPhysicalName", lambda e: octets(e.name)),
    Column(8, "entPhysicalHardwareRev", lambda e: octets("")),
    Column(9, "entPhysicalFirmwareRev", lambda e: octets(
        hardware.ROM_VERSION if e.cls in (CHASSIS, MODULE) else "")),
    Column(10, "entPhysicalSoftwareRev", lambda e: octets(e.software)),
    Column(11, "entPhysicalSerialNum", lambda e: octets(e.serial)),
    Column(12, "entPhysicalMfgName", lambda e: octets(MANUFACTURER)),
    Column(13, "entPhysicalModelName", lambda e: octets(e.model)),
    Column(14, "entPhysicalAlias", lambda e: octets("")),
    Column(15, "entPhysicalAssetID", lambda e: octets("")),
    Column(16, "entPhysicalIsFRU", lambda e: truth(e.fru)),
)

STATE_COLUMNS: Final = (
    Column(2, "entStateAdmin", lambda e: integer(UNLOCKED)),
    Column(3, "entStateOper", lambda e: integer(ENABLED if e.enabled else DISABLED)),
    Column(4, "entStateUsage", lambda e: integer(USAGE_ACTIVE if e.enabled else USAGE_IDLE)),
    Column(6, "entStateStandby", lambda e: integer(e.standby)),
)

TABLES: Final = (
    Table(ENT_PHYSICAL_ENTRY, ENTITY_COLUMNS, entity_rows),
    Table(ENT_STATE_ENTRY, STATE_COLUMNS, state_rows),
)
