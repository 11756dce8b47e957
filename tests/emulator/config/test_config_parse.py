"""Reading config text the way the switch boots it: good lines apply, bad lines are reported."""

from __future__ import annotations

import ipaddress

from emulator.config.model import Community, CommunityAccess, IpMode, SwitchConfig, VlanIp
from emulator.config.render import render_config
from emulator.device import LineError
from emulator.hardware import Inventory
from tests.emulator.replaying import replay_text

REALISTIC = """\
; J8715A Configuration Editor; Created on release #K.15.16.0008
; Ver #06:17.ff.3f.ef:e7
hostname "dc1-core"
module A type j8702a
module B type j8702a
ip default-gateway 192.168.1.254
interface A6
   name "rtr IPMI"
   exit
interface A8
   disable
   name "rtr eth0"
   exit
snmp-server community "public" unrestricted
snmp-server community "monitor" operator
snmp-server location "Rack 12"
vlan 1
   name "DEFAULT_VLAN"
   no untagged B11
   untagged A1-A24,B1-B10,B12-B24
   ip address 192.168.1.248 255.255.255.0
   exit
vlan 2
   name "Internet"
   tagged A2,A11
   no ip address
   exit
vlan 3
   name "PublicSpot"
   tagged A2,A4,A7,A11,A13,A17,B13,B15
   no ip address
   exit
vlan 4
   name "test"
   untagged B11
   ip address dhcp-bootp
   exit
password manager
password operator
"""


def test_realistic_config() -> None:
    result = replay_text(REALISTIC, Inventory())
    assert result.errors == []
    assert result.device.credentials.levels() == {"manager", "operator"}  # as on flash
    cfg = result.config
    assert cfg.hostname == "dc1-core"
    assert cfg.default_gateway == ipaddress.IPv4Address("192.168.1.254")
    assert cfg.port("A8").name == "rtr eth0"
    assert not cfg.port("A8").enabled
    assert cfg.port("A6").enabled
    assert cfg.communities == [
        Community("public", CommunityAccess.MANAGER, restricted=False),
        Community("monitor", CommunityAccess.OPERATOR, restricted=True),
    ]
    assert cfg.snmp_location == "Rack 12"
    assert sorted(cfg.vlans) == [1, 2, 3, 4]
    assert cfg.vlans[3].name == "PublicSpot"
    assert cfg.pvid("B11") == 4
    assert cfg.port_vlans("A2") == [(1, False), (2, True), (3, True)]
    assert cfg.vlans[1].ip == VlanIp(
        IpMode.MANUAL, [ipaddress.IPv4Interface("192.168.1.248/24")]
    )
    assert cfg.vlans[4].ip == VlanIp(IpMode.DHCP)
    assert cfg.passwords == {"manager", "operator"}
    assert render_config(cfg) == REALISTIC


def test_missing_vlan_1_still_gives_default_vlan() -> None:
    text = 'hostname "x"\nvlan 10\n   untagged A1-A4\n   tagged B1\n   exit\n'
    result = replay_text(text, Inventory())
    assert result.errors == []
    default = result.config.vlans[1]
    assert default.name == "DEFAULT_VLAN"
    assert default.untagged == set(Inventory().ports()) - {"A1", "A2", "A3", "A4"}
    assert default.ip == VlanIp(IpMode.DHCP)
    assert result.config.communities == []


def test_one_line_forms_and_case() -> None:
    text = (
        'vlan 10 name "users"\n'
        "vlan 10 untagged a1-a4\n"
        "VLAN 10 ip address 10.0.0.1/16\n"
        "interface A1 disable\n"
        'interface B1-B2 name "pair"\n'
        "interface B2 no name\n"
    )
    result = replay_text(text, Inventory())
    assert result.errors == []
    cfg = result.config
    assert cfg.vlans[10].name == "users"
    assert cfg.vlans[10].untagged == {"A1", "A2", "A3", "A4"}
    assert cfg.vlans[10].ip.primary == ipaddress.IPv4Interface("10.0.0.1/16")
    assert not cfg.port("A1").enabled
    assert cfg.port("B1").name == "pair"
    assert "B2" not in cfg.interfaces


def test_global_statement_inside_a_context_keeps_the_context() -> None:
    text = 'vlan 10\n   snmp-server contact "NOC"\n   name "after"\n   exit\n'
    result = replay_text(text, Inventory())
    assert result.errors == []
    assert result.config.snmp_contact == "NOC"
    assert result.config.vlans[10].name == "after"


def test_bad_lines_become_errors_and_good_lines_around_them_apply() -> None:
    text = """\
hostname "this-hostname-is-far-too-long-for-a-procurve"
module B type j8706a
module C type j8702a
module D type j9999a
no-such-statement
interface A1
   name "kept"
   speed-duplex 1000-half
   disable
   exit
interface C1
   name "lost"
   exit
vlan 5000
   name "skipped"
   exit
vlan 10
   name "users"
   untagged A5,C1
   untagged A6-A7
   tagged A1-B30
   tagged A9
   ip address 10.1.1.300 255.255.255.0
   ip address 10.1.1.1 255.0.255.0
   ip address
   no ip address
   exit
vlan 20 name "users"
snmp-server community "public" readonly
password manager user-name "admin" plaintext
password root
vlan 1 tagged
"""
    result = replay_text(text, Inventory())
    lines = text.splitlines()
    expected = [
        (1, "String too long. Maximum length is 32."),
        (2, "Module B type mismatch: j8706a configured, j8702a found."),
        (3, "Module C is not present."),
        (4, "Invalid input: j9999a"),
        (5, "Invalid input: no-such-statement"),
        (8, "Invalid input: 1000-half"),
        (11, "Module not present for port or invalid port: C1"),
        (14, "Invalid input: 5000"),
        (19, "Module not present for port or invalid port: C1"),
        (21, "Invalid input: A1-B30"),
        (23, "Invalid input: 10.1.1.300"),
        (24, "Invalid subnet mask: 255.0.255.0"),  # the CLI's own answer
        (25, "Incomplete input: address"),
        (28, 'The VLAN name "users" is already in use.'),
        (29, "Invalid input: readonly"),
        (30, "Incomplete input: plaintext"),
        (31, "Invalid input: root"),
        (32, "Incomplete input: tagged"),
    ]
    assert result.errors == [LineError(n, lines[n - 1], message) for n, message in expected]
    cfg = result.config
    assert cfg.hostname == "HP-8212zl"
    assert cfg.modules == {"A": "J8702A", "B": "J8702A"}
    assert cfg.port("A1").name == "kept"
    assert not cfg.port("A1").enabled
    assert sorted(cfg.vlans) == [1, 10, 20]
    assert cfg.vlans[10].name == "users"
    assert cfg.vlans[10].untagged == {"A6", "A7"}
    assert cfg.vlans[10].tagged == {"A9"}
    assert cfg.vlans[10].ip == VlanIp()
    assert cfg.vlans[20].name == "VLAN20"
    assert cfg.communities == []
    assert cfg.passwords == set()


def test_password_lines_give_credentials() -> None:
    text = (
        'password manager user-name "admin" plaintext "s3cret pass"\n'
        'password operator plaintext "op"\n'
    )
    result = replay_text(text, Inventory())
    assert result.errors == []
    assert result.device.credentials.check("admin", "s3cret pass") == "manager"
    assert result.device.credentials.check("operator", "op") == "operator"
    assert result.config.passwords == {"manager", "operator"}
    assert "s3cret" not in render_config(result.config)


def test_inventory_modules_win_over_missing_module_lines() -> None:
    inventory = Inventory(modules={"A": "J8702A", "D": "J8708A"})
    result = replay_text("interface D4 disable\n", inventory)
    assert result.errors == []
    expected = SwitchConfig.blank(inventory)
    expected.port_set_enabled("D4", False)
    assert render_config(result.config) == render_config(expected)
    assert "module D type j8708a\n" in render_config(result.config)


def test_redundancy_management_module_lines() -> None:
    """The last line wins, as when the CLI runs them in order; extra words are refused."""
    inventory = Inventory()
    assert replay_text("", inventory).config.redundancy_enabled
    disabled = replay_text("no redundancy management-module\n", inventory)
    assert disabled.errors == [] and not disabled.config.redundancy_enabled
    again = replay_text("No Redundancy management-module\nredundancy management-module\n",
                         inventory)
    assert again.errors == [] and again.config.redundancy_enabled
    bad = replay_text("no redundancy management-module now\nno redundancy\n", inventory)
    assert [e.message for e in bad.errors] == ["Invalid input: now",
                                                "Incomplete input: redundancy"]
    assert bad.config.redundancy_enabled
