"""The config text the switch writes: exact layout, minimal output, ProCurve spellings."""

from __future__ import annotations

import ipaddress

import pytest

from emulator.config.model import Community, CommunityAccess, IpMode, SwitchConfig, VlanIp
from emulator.config.render import render_config
from emulator.hardware import Inventory

HEADER = (
    "; J8715A Configuration Editor; Created on release #K.15.16.0008\n"
    "; Ver #06:17.ff.3f.ef:e7\n"
)

FACTORY = HEADER + """\
hostname "HP-8212zl"
module A type j8702a
module B type j8702a
snmp-server community "public" unrestricted
vlan 1
   name "DEFAULT_VLAN"
   untagged A1-A24,B1-B24
   ip address dhcp-bootp
   exit
"""


def test_factory_config_text() -> None:
    assert render_config(SwitchConfig.factory(Inventory())) == FACTORY


def test_full_config_text() -> None:
    inventory = Inventory(modules={"A": "J8702A", "C": "J8707A"})
    cfg = SwitchConfig.factory(inventory)
    cfg.set_hostname("core 1")
    cfg.set_default_gateway(ipaddress.IPv4Address("10.0.0.1"))
    cfg.port_set_name("C4", "uplink")
    cfg.port_set_enabled("A2", False)
    cfg.port_set_enabled("A1", False)
    cfg.port_set_name("A1", "spare")
    cfg.community_set(Community("ops", CommunityAccess.OPERATOR, restricted=False))
    cfg.set_contact("NOC")
    cfg.set_location("Rack 7")
    cfg.vlan_create(10)
    cfg.vlan_set_name(10, "users")
    cfg.vlan_add_ports(10, ["A5", "A6", "A7"], tagged=False)
    cfg.vlan_add_ports(10, ["C1", "C2"], tagged=True)
    cfg.vlan_set_ip(10, VlanIp(IpMode.MANUAL, [ipaddress.IPv4Interface("10.1.1.1/24")]))
    cfg.vlan_create(20)
    cfg.vlan_add_ports(20, ["C1"], tagged=True)
    cfg.vlan_remove_ports(1, ["C1"], tagged=False)
    cfg.vlan_add_ports(1, ["C2"], tagged=True)
    cfg.vlan_set_ip(1, VlanIp())
    cfg.password_set("operator")
    cfg.password_set("manager")
    assert render_config(cfg) == HEADER + """\
hostname "core 1"
module A type j8702a
module C type j8707a
ip default-gateway 10.0.0.1
interface A1
   disable
   name "spare"
   exit
interface A2
   disable
   exit
interface C4
   name "uplink"
   exit
snmp-server community "public" unrestricted
snmp-server community "ops" operator unrestricted
snmp-server contact "NOC" location "Rack 7"
vlan 1
   name "DEFAULT_VLAN"
   no untagged A5-A7,C1
   untagged A1-A4,A8-A24,C3-C4
   tagged C2
   no ip address
   exit
vlan 10
   name "users"
   untagged A5-A7
   tagged C1-C2
   ip address 10.1.1.1 255.255.255.0
   exit
vlan 20
   name "VLAN20"
   tagged C1
   no ip address
   exit
password manager
password operator
"""


@pytest.mark.parametrize(
    ("access", "restricted", "line"),
    [
        (CommunityAccess.MANAGER, False, 'snmp-server community "c" unrestricted'),
        (CommunityAccess.MANAGER, True, 'snmp-server community "c"'),
        (CommunityAccess.OPERATOR, True, 'snmp-server community "c" operator'),
        (CommunityAccess.OPERATOR, False, 'snmp-server community "c" operator unrestricted'),
    ],
)
def test_community_spelling(access: CommunityAccess, restricted: bool, line: str) -> None:
    cfg = SwitchConfig.blank(Inventory())
    cfg.community_set(Community("c", access, restricted))
    assert line + "\n" in render_config(cfg)


def test_port_entry_at_defaults_is_not_rendered() -> None:
    cfg = SwitchConfig.factory(Inventory())
    cfg.port("A1")
    assert render_config(cfg) == FACTORY


def test_redundancy_disabled_is_a_global_line_after_the_modules() -> None:
    """Enabled is the default and writes nothing; disabled sits among the global lines."""
    cfg = SwitchConfig.factory(Inventory())
    cfg.set_default_gateway(ipaddress.IPv4Address("10.0.0.1"))
    assert "redundancy" not in render_config(cfg)
    cfg.set_redundancy(False)
    lines = render_config(cfg).splitlines()
    assert lines[3:7] == ["module A type j8702a", "module B type j8702a",
                          "no redundancy management-module", "ip default-gateway 10.0.0.1"]
    cfg.set_redundancy(True)
    assert "redundancy" not in render_config(cfg)
