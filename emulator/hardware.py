"""The 8212zl hardware catalog: chassis, module types, slots, port names and ifIndex.

Vendor facts live here as data so that show commands, the config model and the SNMP
agent's MIB view all agree on one set of numbers. Everything that turns a port name into a
number or a port list into text goes through this module: there is exactly one port-list
parser and one ifIndex rule in the product.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import random
import re
from dataclasses import dataclass, field
from typing import Final

CHASSIS_PRODUCT: Final = "J8715A"
CHASSIS_NAME: Final = "8212zl"
PRODUCT_LINE: Final = "HP J8715A Switch 8212zl"
SOFTWARE_REVISION: Final = "K.15.16.0008"
ROM_VERSION: Final = "K.15.30"
IMAGE_STAMP: Final = (
    "/ws/swbuildm/rel_tacoma_qaoff/code/build/btm(swbuildm_rel_tacoma_qaoff_rel_tacoma)",
    "Apr 21 2014 16:29:50",
)
IMAGE_BUILD: Final = "1323"
DEFAULT_HOSTNAME: Final = "HP-8212zl"
MEMORY_TOTAL: Final = 128_380_928
MEMORY_FREE: Final = 61_999_280
IDLE_CPU_PERCENT: Final = 3
"""An idle 8212zl's CPU load: `show system` and `show cpu` print these figures, and SNMP
(NETSWITCH-MIB) answers them, so the CLI and SNMP agree."""
MAX_VLANS: Final = 256
MAC_AGE_DEFAULT: Final = 300
"""Seconds (`mac-age-time`, `show system`): the factory setting."""
MAC_AGE_RANGE: Final = (10, 1_000_000)
PORTS_PER_SLOT_INDEX: Final = 24
"""ifIndex stride per slot: a zl slot always takes 24 indexes, whatever the module holds."""

SLOTS: Final = tuple("ABCDEFGHIJKL")
MANAGEMENT_SLOTS: Final = ("MM1", "MM2")


@dataclass(frozen=True)
class Media:
    """A kind of front port a zl module carries: how `show interfaces brief` types it (blank for
    a transceiver slot holding nothing), how ENTITY-MIB describes it, its nominal speed (IF-MIB)
    and whether it takes a transceiver."""

    brief_type: str
    entity_descr: str
    speed: int
    transceiver: bool = False


GIGABIT: Final = 1_000_000_000
TEN_GIGABIT: Final = 10_000_000_000
COPPER_GIG: Final = Media("100/1000T", "100/1000BASE-T Port", GIGABIT)
COPPER_FAST: Final = Media("10/100TX", "10/100BASE-TX Port", 100_000_000)
COPPER_10G: Final = Media("10GbE-T", "10GBASE-T Port", TEN_GIGABIT)
SFP: Final = Media("", "1000BASE-X SFP Port", GIGABIT, transceiver=True)
SFP_PLUS: Final = Media("", "10GbE SFP+ Port", TEN_GIGABIT, transceiver=True)
X2: Final = Media("10GbE-GEN", "10GbE X2 Port", TEN_GIGABIT, transceiver=True)
CX4: Final = Media("10GbE-CX4", "10GbE CX4 Port", TEN_GIGABIT)


class PoE(enum.Enum):
    """Power over Ethernet a module's copper ports give: none, 802.3af, or 802.3at (PoE+)."""

    NONE = "none"
    AF = "802.3af"
    AT = "802.3at"


@dataclass(frozen=True)
class ModuleType:
    """An interface-module product: `show modules` text, its ports' media in port order, which
    of them give power, and its arc under the zl module node of HP-ICF-OID where known."""

    product: str
    description: str
    ports: tuple[Media, ...]
    poe: PoE = PoE.NONE
    poe_ports: int = 0
    """The first `poe_ports` ports give power (the copper ones)."""
    oid_arc: int | None = None

    @property
    def config_name(self) -> str:
        """The lower-case product number used in `module A type j8702a`."""
        return self.product.lower()

    @property
    def port_types(self) -> tuple[str, ...]:
        """The `show interfaces brief` Type per port."""
        return tuple(media.brief_type for media in self.ports)


def _ports(media: Media, count: int) -> tuple[Media, ...]:
    return (media,) * count


MODULE_TYPES: Final[dict[str, ModuleType]] = {
    m.product: m
    for m in (
        # zl modules (the first generation; PoE is 802.3af where the copper ports give any).
        ModuleType("J8702A", "HP J8702A 24p Gig-T zl Module", _ports(COPPER_GIG, 24),
                   PoE.AF, 24, oid_arc=2),
        ModuleType("J8705A", "HP J8705A 20p Gig-T + 4p mini-GBIC zl Module",
                   _ports(COPPER_GIG, 20) + _ports(SFP, 4), PoE.AF, 20, oid_arc=3),
        ModuleType("J8706A", "HP J8706A 24p SFP zl Module", _ports(SFP, 24), oid_arc=4),
        ModuleType("J8707A", "HP J8707A 4p 10-GbE X2 zl Module", _ports(X2, 4), oid_arc=5),
        ModuleType("J8708A", "HP J8708A 4p 10-GbE CX4 zl Module", _ports(CX4, 4), oid_arc=6),
        ModuleType("J9307A", "HP J9307A 24p Gig-T PoE+ zl Module", _ports(COPPER_GIG, 24),
                   PoE.AT, 24),
        ModuleType("J9308A", "HP J9308A 20p Gig-T PoE+/4p SFP zl Module",
                   _ports(COPPER_GIG, 20) + _ports(SFP, 4), PoE.AT, 20),
        ModuleType("J9309A", "HP J9309A 4p 10-GbE SFP+ zl Module", _ports(SFP_PLUS, 4)),
        ModuleType("J9478A", "HP J9478A 24p 10/100 PoE+ zl Module", _ports(COPPER_FAST, 24),
                   PoE.AT, 24),
        # v2 zl modules.
        ModuleType("J9534A", "HP J9534A 24p Gig-T PoE+ v2 zl Module", _ports(COPPER_GIG, 24),
                   PoE.AT, 24, oid_arc=24),
        ModuleType("J9535A", "HP J9535A 20p GT PoE+/4p SFP v2 zl Module",
                   _ports(COPPER_GIG, 20) + _ports(SFP, 4), PoE.AT, 20),
        ModuleType("J9536A", "HP J9536A 20p GT PoE+/2p SFP+ v2 zl Module",
                   _ports(COPPER_GIG, 20) + _ports(SFP_PLUS, 2), PoE.AT, 20),
        ModuleType("J9537A", "HP J9537A 24p SFP v2 zl Module", _ports(SFP, 24)),
        ModuleType("J9538A", "HP J9538A 8p 10-GbE SFP+ v2 zl Module", _ports(SFP_PLUS, 8)),
        ModuleType("J9546A", "HP J9546A 8p 10GBASE-T v2 zl Module", _ports(COPPER_10G, 8)),
        ModuleType("J9547A", "HP J9547A 24p 10/100 PoE+ v2 zl Module", _ports(COPPER_FAST, 24),
                   PoE.AT, 24),
        ModuleType("J9548A", "HP J9548A 20p Gig-T/2p SFP+ v2 zl Module",
                   _ports(COPPER_GIG, 20) + _ports(SFP_PLUS, 2)),
        ModuleType("J9549A", "HP J9549A 20p Gig-T/4p SFP v2 zl Module",
                   _ports(COPPER_GIG, 20) + _ports(SFP, 4)),
        ModuleType("J9550A", "HP J9550A 24p Gig-T v2 zl Module", _ports(COPPER_GIG, 24),
                   oid_arc=33),
    )
}
"""The 8212zl's K.15 interface modules (HP's zl and v2 zl module data sheets: port counts,
media; the PoE class from HP's PoE/PoE+ Planning and Implementation Guide 2011-09, "Provisioning
Power for PoE": J8702A and J8705A give PoE, J9307A, J9308A, J9478A, J9534A, J9535A, J9536A and
J9547A PoE+, the seven PoE+ zl modules of the E8200zl); descriptions as `show modules` prints
them, at most MODULE_DESCR_WIDTH.
`oid_arc` None: the product's arc is not in the public HP-ICF-OID excerpts this was built
from, and ENTITY-MIB answers zeroDotZero for it."""

MODULE_DESCR_WIDTH: Final = 45
"""The Module Description column of `show modules`."""

MANAGEMENT_MODULE: Final = ("J9092A", "HP J9092A Management Module 8200zl")
FABRIC_MODULE: Final = ("J9093A", "HP J9093A Fabric Module 8200zl")
SYSTEM_SUPPORT_MODULE: Final = ("J9095A", "HP J9095A System Support Module 8200zl")

DEFAULT_MODULES: Final = {"A": "J8702A", "B": "J8702A"}

_PORT_RE: Final = re.compile(r"^([A-La-l])(\d{1,2})$")


class PortListError(ValueError):
    """A port or port list the chassis cannot name; `token` is what the CLI reports."""

    def __init__(self, token: str) -> None:
        super().__init__(token)
        self.token = token


def module_type_for_config(name: str) -> ModuleType | None:
    """Look up `j8702a` (as written in config) or `J8702A`."""
    return MODULE_TYPES.get(name.upper())


def slot_letter(token: str) -> str:
    """A slot as a config or flag names it: `a`/`A`, or the numbered form K.15 prints for some
    chassis (`module 1 type j9534a`), 1-12 counting A-L. ValueError for anything else."""
    if token.upper() in SLOTS:
        return token.upper()
    if token.isdigit() and 1 <= int(token) <= len(SLOTS):
        return SLOTS[int(token) - 1]
    raise ValueError(token)


_MODULE_LINE: Final = re.compile(r"^\s*module\s+(\S+)\s+type\s+(\S+)\s*$",
                                 re.IGNORECASE | re.MULTILINE)


def configured_modules(config_text: str) -> dict[str, str]:
    """Slot -> product of a config's `module X type jNNNNa` lines that name a slot and a module
    of this chassis: what a new chassis is built with when a startup config comes with it.
    Other lines, and module lines the catalog cannot place, are the CLI's to judge."""
    modules: dict[str, str] = {}
    for slot, product in _MODULE_LINE.findall(config_text):
        module = module_type_for_config(product)
        try:
            letter = slot_letter(slot)
        except ValueError:
            continue
        if module is not None:
            modules[letter] = module.product
    return modules


def module_assignment(text: str) -> tuple[str, str]:
    """`A=J9550A` (--module, PROCURVE_MODULES): a slot and the module it holds."""
    slot, sep, product = text.partition("=")
    module = module_type_for_config(product)
    try:
        letter = slot_letter(slot)
    except ValueError:
        raise ValueError(f"invalid module {text!r}: no slot {slot!r} (A-L or 1-12)") from None
    if not sep or module is None:
        raise ValueError(f"invalid module {text!r}: the 8212zl knows no module {product!r} "
                         f"(one of {', '.join(MODULE_TYPES)})")
    return letter, module.product


HP_OUI: Final = "001871"
"""Hewlett-Packard's OUI, the first half of every generated base MAC."""
MAC_PATTERN: Final = re.compile(
    r"^[0-9a-fA-F]{6}-?[0-9a-fA-F]{6}$|^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$")
"""A MAC as a user writes one: `001871-c3f2ff`, `001871c3f2ff` or `00:18:71:c3:f2:ff`."""
SERIAL_PATTERN: Final = re.compile(r"^[A-Z0-9]{10}$")
"""A chassis serial number as the label and `show system` print it (`SG749HB0MK`)."""


@dataclass(frozen=True)
class Identity:
    """What makes a chassis this one and no other: how its first boot draws a base MAC and
    serials (`seed`, None for at random), and values a lab fixes whatever the flash holds."""

    seed: str | None = None
    base_mac: str | None = None
    serial: str | None = None

    def __post_init__(self) -> None:
        if self.base_mac is not None and not (
                MAC_PATTERN.match(self.base_mac) and not mac_bytes(self.base_mac)[0] & 1):
            raise ValueError(f"not a unicast MAC address: {self.base_mac!r}")
        if self.serial is not None and not SERIAL_PATTERN.match(self.serial):
            raise ValueError(f"not a serial number (10 capitals and digits): {self.serial!r}")

    def apply(self, inventory: Inventory) -> Inventory:
        """The inventory with the fixed values in place."""
        return dataclasses.replace(
            inventory,
            base_mac=inventory.base_mac if self.base_mac is None else format_mac(self.base_mac),
            serial=inventory.serial if self.serial is None else self.serial)


@dataclass
class Inventory:
    """What is plugged into this chassis: interface modules per slot, base MAC, serials.

    Stored in chassis.json; the config's `module X type` lines must agree with it the way
    a real switch's config must agree with its hardware.
    """

    modules: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_MODULES))
    base_mac: str = "001871-c30000"
    serial: str = "SG749HB0MK"
    module_serials: dict[str, str] = field(default_factory=dict)
    management: list[str] = field(default_factory=lambda: list(MANAGEMENT_SLOTS))
    """Management slots holding a module; `procurve-emu fault pull` takes one out for good
    (until `insert`), across chassis restarts, as a module removed from the box."""

    @classmethod
    def generate(cls, seed: str | None = None,
                 modules: dict[str, str] | None = None) -> Inventory:
        """A new chassis: base MAC and serials drawn at random, so that every node of a lab is
        a different switch even where all their data directories are `/flash`; or derived
        from `seed` when a lab must come out the same on every deploy. `modules`: the
        interface modules it holds, else the factory's two."""
        rng = random.Random(seed) if seed is not None else random.SystemRandom()
        mac = f"{HP_OUI}-{rng.randrange(0x1000000):06x}"
        serial = f"SG{rng.randrange(700, 999)}{rng.choice('ABCDEFGH')}{rng.randrange(10**4, 10**5)}"
        installed = dict(DEFAULT_MODULES) if modules is None else dict(modules)
        slots = sorted(installed) + list(MANAGEMENT_SLOTS) + ["FM1", "FM2", "SSM"]
        serials = {s: f"SG{rng.randrange(700, 999)}ZL{rng.randrange(1000, 9999)}" for s in slots}
        return cls(installed, mac, serial, serials)

    def ports(self) -> list[str]:
        """Every port name in slot order: A1..A24, B1..."""
        names: list[str] = []
        for slot in SLOTS:
            product = self.modules.get(slot)
            if product is None:
                continue
            names.extend(f"{slot}{n}" for n in range(1, len(MODULE_TYPES[product].ports) + 1))
        return names

    def port_media(self, port: str) -> Media:
        slot, number = split_port(port)
        return MODULE_TYPES[self.modules[slot]].ports[number - 1]

    def port_type(self, port: str) -> str:
        """The `show interfaces brief` Type of an installed port."""
        return self.port_media(port).brief_type

    def has_port(self, port: str) -> bool:
        try:
            slot, number = split_port(port)
        except PortListError:
            return False
        product = self.modules.get(slot)
        return product is not None and number <= len(MODULE_TYPES[product].ports)


FULL_CHASSIS: Final = Inventory(modules=dict.fromkeys(SLOTS, "J8702A"))
"""Every port a zl slot can hold: --port is read before the chassis knows its modules, which
then refuses a port its own modules lack (chassis/start.py)."""


def split_port(name: str) -> tuple[str, int]:
    """`a7` -> ("A", 7); raises PortListError for anything that is not a zl port name."""
    match = _PORT_RE.match(name)
    if not match or int(match.group(2)) == 0:
        raise PortListError(name)
    return match.group(1).upper(), int(match.group(2))


@functools.lru_cache(maxsize=2 * len(SLOTS) * PORTS_PER_SLOT_INDEX)
def if_index(port: str) -> int:
    """ifIndex of a port: (slot-1)*24 + port, whatever the module's port count. Remembered:
    an SNMP walk asks it for every port of every table row it passes (a fifth of its time)."""
    if is_trunk(port):
        return TRUNK_IF_INDEX_BASE + trunk_number(port)
    if port.startswith(DYNAMIC_PREFIX) and port[3:].isdigit():
        return TRUNK_IF_INDEX_BASE + int(port[3:])
    slot, number = split_port(port)
    return SLOTS.index(slot) * PORTS_PER_SLOT_INDEX + number


VLAN_IF_INDEX_BASE: Final = 4096
"""VLAN interfaces follow every possible port index (inferred: the public walks are of
stackable boxes whose VLAN numbering differs)."""


def vlan_if_index(vid: int) -> int:
    return VLAN_IF_INDEX_BASE + vid


def port_mac(base_mac: str, port: str) -> bytes:
    """A port's own MAC: they count down from the base MAC by ifIndex, as in real walks."""
    base = int.from_bytes(mac_bytes(base_mac), "big")
    return ((base - if_index(port)) % (1 << 48)).to_bytes(6, "big")


# --- trunks (emulator/commands/trunk.py, emulator/fabric/trunks.py) ---

MAX_TRUNKS: Final = 60
"""`trunk ... trk1` to `trk60`: K.15's trunk groups on the 8212zl."""
MAX_TRUNK_PORTS: Final = 8
"""Links a trunk bundles (LACP may hold more as standby; this switch keeps none)."""
TRUNK_IF_INDEX_BASE: Final = len(SLOTS) * PORTS_PER_SLOT_INDEX
"""TrkN's ifIndex is this + N: trunks follow every possible port index, as in the 2910al's
walk (Trk1 after its ports); inferred for the zl chassis, like the ports' numbering."""
_TRUNK_RE: Final = re.compile(r"^[Tt][Rr][Kk](\d{1,2})$")
DYNAMIC_PREFIX: Final = "Dyn"
"""A dynamic LACP trunk, `Dyn1`: numbered in the trunks' space, never typed in a command."""


def is_trunk(name: str) -> bool:
    """`Trk1`..`Trk60` in any case: a trunk is a logical port wherever a port list goes."""
    match = _TRUNK_RE.match(name)
    return match is not None and 1 <= int(match.group(1)) <= MAX_TRUNKS


def trunk_number(name: str) -> int:
    match = _TRUNK_RE.match(name)
    if match is None or not 1 <= int(match.group(1)) <= MAX_TRUNKS:
        raise PortListError(name)
    return int(match.group(1))


def trunk_name(number: int) -> str:
    """How the switch writes a trunk: `Trk1`."""
    return f"Trk{number}"


def port_sort_key(port: str) -> int:
    return if_index(port)


def parse_port_list(text: str, inventory: Inventory | None = None) -> list[str]:
    """Parse `A1-A4,B2` (or `A1-4,B2`) into port names in chassis order, without duplicates.

    With an inventory, ports that are not installed are refused the way the switch
    refuses them (PortListError naming the bad element).
    """
    ports: set[str] = set()
    for element in text.split(","):
        if not element:
            raise PortListError(text)
        if is_trunk(element):  # a trunk is one logical port (no trunk ranges)
            ports.add(trunk_name(trunk_number(element)))
            continue
        first, sep, last = element.partition("-")
        slot_a, a = split_port(first)
        if sep:
            # `B1-16`: a range whose end omits the slot letter stays in the first's slot
            # (hand-typed; the switch itself writes B1-B16).
            slot_b, b = (slot_a, int(last)) if last.isdigit() else split_port(last)
            if slot_a != slot_b or b < a:
                raise PortListError(element)
            names = [f"{slot_a}{n}" for n in range(a, b + 1)]
        else:
            names = [f"{slot_a}{a}"]
        if inventory is not None:
            for name in names:
                if not inventory.has_port(name):
                    raise PortListError(name)
        ports.update(names)
    return sorted(ports, key=port_sort_key)


def format_port_list(ports: list[str] | set[str] | tuple[str, ...]) -> str:
    """The inverse of parse_port_list: `A1-A4,B2`, ranges per slot as the switch prints them."""
    out: list[str] = []
    run: list[tuple[str, int]] = []

    def flush() -> None:
        if run:
            (slot, a), (_, b) = run[0], run[-1]
            out.append(f"{slot}{a}" if a == b else f"{slot}{a}-{slot}{b}")
            run.clear()

    for port in sorted(set(ports), key=port_sort_key):
        if is_trunk(port):
            flush()
            out.append(port)
            continue
        slot, number = split_port(port)
        if run and (run[-1][0] != slot or run[-1][1] + 1 != number):
            flush()
        run.append((slot, number))
    flush()
    return ",".join(out)


def format_mac(mac: bytes | str) -> str:
    """The one MAC formatter: `001871-c3f2ff`, from raw bytes or any hex spelling."""
    raw = mac.hex() if isinstance(mac, bytes) else re.sub(r"[^0-9a-fA-F]", "", mac).lower()
    if len(raw) != 12:
        raise ValueError(f"not a MAC address: {mac!r}")
    return f"{raw[:6]}-{raw[6:]}"


def mac_bytes(mac: str) -> bytes:
    return bytes.fromhex(re.sub(r"[^0-9a-fA-F]", "", mac))

LOGIN_BANNER: Final = f"""
{PRODUCT_LINE}
Software revision {SOFTWARE_REVISION}

Copyright (C) 1991-2014 Hewlett-Packard Development Company, L.P.

                   RESTRICTED RIGHTS LEGEND
 Confidential computer software. Valid license from HP required for possession,
 use or copying. Consistent with FAR 12.211 and 12.212, Commercial Computer
 Software, Computer Software Documentation, and Technical Data for Commercial
 Items are licensed to the U.S. Government under vendor's standard commercial
 license.
                   HEWLETT-PACKARD DEVELOPMENT COMPANY, L.P.
                   20555 State Highway 249, Houston, TX 77070

We'd like to keep you up to date about:
  * Software feature updates
  * New product announcements
  * Special events

Please register your products now at:  www.ProCurve.com

"""
"""What the switch paints after login, before `Press any key to continue`."""

def sys_descr(version: str) -> str:
    """sysDescr.0 and the LLDP system description of a module running `version` (the image
    it booted: an upgrade rehearsal shows in pollers too)."""
    return f"{PRODUCT_LINE}, revision {version}, ROM {ROM_VERSION} ({IMAGE_STAMP[0]})"


SYS_DESCR: Final = sys_descr(SOFTWARE_REVISION)
"""sysDescr.0 and the LLDP system description of the shipped image. Builds before the HP
rebranding wrote
`ProCurve J8697A Switch 5406zl, revision K.15.04.0007, ROM K.15.13 (/sw/code/build/btm(K_15_04))`
(a real walk); late K.15 and K.16 builds write `HP J8715A Switch 8212zl, revision ...,
ROM K.15.30 (/ws/swbuildm/...)`, as the banner of this K.15.16 does. The build path is the
image stamp `show version` prints: one build string everywhere. napalm's model is the text
before ", "; ntc-templates read the product number after `HP`."""
SYS_OBJECT_ID: Final = "1.3.6.1.4.1.11.2.3.7.11.72"
