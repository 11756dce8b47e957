"""The switch configuration as data: what `show running-config` renders and `write memory` saves.

The model validates; handlers in emulator/commands change it only through the methods here,
so the CLI, a startup config file and (later) SNMP SETs obey the same rules the real switch
enforces (one untagged VLAN per port, VLAN 1 cannot be deleted, ...).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from enum import Enum

from emulator.hardware import DEFAULT_HOSTNAME, DEFAULT_MODULES, Inventory

DEFAULT_VLAN_ID = 1
DEFAULT_VLAN_NAME = "DEFAULT_VLAN"


class ConfigError(ValueError):
    """A change the switch refuses; the message is the switch's own error text."""


class IpMode(Enum):
    DISABLED = "disabled"
    DHCP = "dhcp-bootp"
    MANUAL = "manual"


@dataclass
class VlanIp:
    mode: IpMode = IpMode.DISABLED
    interface: ipaddress.IPv4Interface | None = None


@dataclass
class Vlan:
    vid: int
    name: str
    untagged: set[str] = field(default_factory=set)
    tagged: set[str] = field(default_factory=set)
    ip: VlanIp = field(default_factory=VlanIp)

    @staticmethod
    def default_name(vid: int) -> str:
        return DEFAULT_VLAN_NAME if vid == DEFAULT_VLAN_ID else f"VLAN{vid}"


@dataclass
class Interface:
    """Per-port settings; a port with all defaults has no `interface` block in the config."""

    port: str
    name: str | None = None
    enabled: bool = True

    def is_default(self) -> bool:
        return self.name is None and self.enabled


class CommunityAccess(Enum):
    OPERATOR = "operator"
    MANAGER = "manager"


@dataclass(frozen=True)
class Community:
    name: str
    access: CommunityAccess = CommunityAccess.OPERATOR
    restricted: bool = True


@dataclass
class SwitchConfig:
    hostname: str = DEFAULT_HOSTNAME
    modules: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_MODULES))
    """slot letter -> module product number (upper case, e.g. J8702A)."""
    vlans: dict[int, Vlan] = field(default_factory=dict)
    interfaces: dict[str, Interface] = field(default_factory=dict)
    communities: list[Community] = field(default_factory=list)
    snmp_contact: str = ""
    snmp_location: str = ""
    default_gateway: ipaddress.IPv4Address | None = None
    passwords: set[str] = field(default_factory=set)
    """Which of `manager`/`operator` have a password; the secrets live in security files."""

    @classmethod
    def factory(cls, inventory: Inventory) -> SwitchConfig:
        """The factory-default config of a chassis with this hardware (`erase startup-config`)."""
        ports = set(inventory.ports())
        default_vlan = Vlan(
            DEFAULT_VLAN_ID, DEFAULT_VLAN_NAME, untagged=ports, ip=VlanIp(IpMode.DHCP)
        )
        return cls(
            modules=dict(inventory.modules),
            vlans={DEFAULT_VLAN_ID: default_vlan},
            communities=[Community("public", CommunityAccess.MANAGER, restricted=False)],
        )
