"""The mutation rules of SwitchConfig: what the switch allows and refuses, and the error text."""

from __future__ import annotations

import ipaddress
import re

import pytest

from emulator.config.model import (
    Community,
    CommunityAccess,
    ConfigError,
    IpMode,
    SwitchConfig,
    VlanIp,
)
from emulator.hardware import MAX_VLANS, Inventory


@pytest.fixture
def cfg() -> SwitchConfig:
    return SwitchConfig.factory(Inventory())


def test_factory_puts_every_port_untagged_in_vlan_1(cfg: SwitchConfig) -> None:
    assert list(cfg.vlans) == [1]
    assert cfg.vlans[1].untagged == set(Inventory().ports())
    assert cfg.vlans[1].ip.mode is IpMode.DHCP
    assert cfg.communities == [Community("public", CommunityAccess.MANAGER, restricted=False)]


def test_hostname_limit(cfg: SwitchConfig) -> None:
    cfg.set_hostname("x" * 32)
    assert cfg.hostname == "x" * 32
    with pytest.raises(ConfigError, match=re.escape("String too long. Maximum length is 32.")):
        cfg.set_hostname("x" * 33)
    assert cfg.hostname == "x" * 32


def test_vlan_create_returns_existing_and_uses_default_name(cfg: SwitchConfig) -> None:
    vlan = cfg.vlan_create(10)
    assert vlan.name == "VLAN10"
    cfg.vlan_set_name(10, "users")
    assert cfg.vlan_create(10) is vlan
    assert vlan.name == "users"


@pytest.mark.parametrize("vid", [0, 4095, 5000])
def test_vlan_id_range(cfg: SwitchConfig, vid: int) -> None:
    with pytest.raises(ConfigError, match=f"Invalid input: {vid}"):
        cfg.vlan_create(vid)


def test_vlan_limit(cfg: SwitchConfig) -> None:
    for vid in range(2, MAX_VLANS + 1):
        cfg.vlan_create(vid)
    assert len(cfg.vlans) == MAX_VLANS
    with pytest.raises(ConfigError, match=r"maximum number of VLANs \(256\)"):
        cfg.vlan_create(4000)


def test_vlan_names_unique_and_limited(cfg: SwitchConfig) -> None:
    cfg.vlan_create(10)
    cfg.vlan_create(20)
    cfg.vlan_set_name(10, "servers")
    cfg.vlan_set_name(10, "servers")  # renaming to its own name is fine
    with pytest.raises(ConfigError, match='"servers" is already in use'):
        cfg.vlan_set_name(20, "servers")
    with pytest.raises(ConfigError, match="Maximum length is 32"):
        cfg.vlan_set_name(20, "n" * 33)
    with pytest.raises(ConfigError, match="Incomplete input"):
        cfg.vlan_set_name(20, "")
    assert cfg.vlans[20].name == "VLAN20"


def test_default_vlan_names_do_not_hold_their_name(cfg: SwitchConfig) -> None:
    cfg.vlan_create(5)
    cfg.vlan_set_name(5, "VLAN20")
    assert cfg.vlan_create(20).name == "VLAN20"
    cfg.vlan_set_name(20, "VLAN20")  # its own default: allowed
    with pytest.raises(ConfigError, match='"VLAN20" is already in use'):
        cfg.vlan_set_name(1, "VLAN20")  # against a chosen name: refused
    with pytest.raises(ConfigError, match='"DEFAULT_VLAN" is already in use'):
        cfg.vlan_set_name(20, "DEFAULT_VLAN")  # the default VLAN always holds its name
    cfg.vlan_create(30)
    cfg.vlan_set_name(1, "VLAN30")  # VLAN 30 only carries it as its default
    assert cfg.vlans[1].name == cfg.vlans[30].name == "VLAN30"


def test_missing_vlan(cfg: SwitchConfig) -> None:
    with pytest.raises(ConfigError, match=re.escape("VLAN 7 does not exist.")):
        cfg.vlan_set_name(7, "x")
    with pytest.raises(ConfigError, match=re.escape("VLAN 7 does not exist.")):
        cfg.vlan_delete(7)


def test_default_vlan_cannot_be_deleted(cfg: SwitchConfig) -> None:
    with pytest.raises(ConfigError, match=re.escape("The default VLAN cannot be deleted.")):
        cfg.vlan_delete(1)


def test_untagged_add_moves_port_out_of_every_other_vlan(cfg: SwitchConfig) -> None:
    cfg.vlan_create(10)
    cfg.vlan_create(20)
    cfg.vlan_add_ports(10, ["A1", "A2"], tagged=False)
    assert cfg.pvid("A1") == 10
    assert "A1" not in cfg.vlans[1].untagged
    cfg.vlan_add_ports(20, ["A1"], tagged=True)
    cfg.vlan_add_ports(20, ["A1"], tagged=False)
    assert cfg.pvid("A1") == 20
    assert "A1" not in cfg.vlans[10].untagged
    assert "A1" not in cfg.vlans[20].tagged
    assert cfg.port_vlans("A1") == [(20, False)]


def test_tagged_add_converts_untagged_member(cfg: SwitchConfig) -> None:
    cfg.vlan_add_ports(1, ["A3"], tagged=True)
    assert cfg.pvid("A3") is None
    assert cfg.port_vlans("A3") == [(1, True)]


def test_port_vlans_sorted(cfg: SwitchConfig) -> None:
    for vid in (30, 10):
        cfg.vlan_create(vid)
        cfg.vlan_add_ports(vid, ["B1"], tagged=True)
    assert cfg.port_vlans("B1") == [(1, False), (10, True), (30, True)]
    assert cfg.pvid("B1") == 1


def test_remove_ports(cfg: SwitchConfig) -> None:
    cfg.vlan_create(10)
    cfg.vlan_add_ports(10, ["A1"], tagged=True)
    cfg.vlan_remove_ports(10, ["A1"], tagged=True)
    cfg.vlan_remove_ports(10, ["A2"], tagged=False)  # not a member: accepted, no effect
    cfg.vlan_remove_ports(1, ["A4"], tagged=False)
    assert cfg.port_vlans("A1") == [(1, False)]
    assert cfg.port_vlans("A4") == []
    assert cfg.pvid("A4") is None


def test_delete_returns_untagged_ports_to_default_vlan(cfg: SwitchConfig) -> None:
    cfg.vlan_create(10)
    cfg.vlan_create(20)
    cfg.vlan_add_ports(10, ["A1", "A2"], tagged=False)
    cfg.vlan_add_ports(10, ["A3"], tagged=True)
    cfg.vlan_add_ports(20, ["A2"], tagged=True)
    cfg.vlan_remove_ports(1, ["A3"], tagged=False)
    cfg.vlan_delete(10)
    assert 10 not in cfg.vlans
    assert cfg.pvid("A1") == 1
    assert cfg.port_vlans("A2") == [(1, False), (20, True)]
    assert cfg.port_vlans("A3") == []


def test_ports_must_exist_on_configured_modules(cfg: SwitchConfig) -> None:
    cfg.vlan_create(10)
    with pytest.raises(ConfigError, match="Module not present for port or invalid port: C1"):
        cfg.vlan_add_ports(10, ["A1", "C1"], tagged=False)
    with pytest.raises(ConfigError, match="invalid port: A25"):
        cfg.vlan_add_ports(10, ["A25"], tagged=True)
    with pytest.raises(ConfigError, match="Invalid input: Z1"):
        cfg.port("Z1")
    assert cfg.vlans[10].untagged == set()
    assert cfg.pvid("A1") == 1


def test_vlan_ip(cfg: SwitchConfig) -> None:
    addr = ipaddress.IPv4Interface("10.1.1.1/24")
    cfg.vlan_set_ip(1, VlanIp(IpMode.MANUAL, [addr]))
    assert cfg.vlans[1].ip == VlanIp(IpMode.MANUAL, [addr])
    with pytest.raises(ConfigError, match="Incomplete input"):
        cfg.vlan_set_ip(1, VlanIp(IpMode.MANUAL))
    cfg.vlan_set_ip(1, VlanIp(IpMode.DHCP, [addr]))
    assert cfg.vlans[1].ip == VlanIp(IpMode.DHCP)


def test_interface_entries_disappear_at_defaults(cfg: SwitchConfig) -> None:
    cfg.port_set_name("A1", "uplink")
    cfg.port_set_enabled("A1", False)
    assert cfg.port("A1").name == "uplink"
    assert not cfg.interfaces["A1"].enabled
    cfg.port_set_name("A1", None)
    cfg.port_set_enabled("A1", True)
    assert "A1" not in cfg.interfaces
    cfg.port_set_name("A2", "x")
    cfg.port_set_name("A2", "")
    assert "A2" not in cfg.interfaces
    with pytest.raises(ConfigError, match="invalid port: C3"):
        cfg.port_set_enabled("C3", False)


def test_communities_replace_by_name_in_place(cfg: SwitchConfig) -> None:
    cfg.community_set(Community("ro"))
    cfg.community_set(Community("public", CommunityAccess.OPERATOR))
    assert [c.name for c in cfg.communities] == ["public", "ro"]
    assert cfg.communities[0].access is CommunityAccess.OPERATOR
    cfg.community_remove("public")
    cfg.community_remove("absent")
    assert cfg.communities == [Community("ro")]


def test_contact_location_gateway_passwords(cfg: SwitchConfig) -> None:
    cfg.set_contact("NOC")
    cfg.set_location("")
    cfg.set_default_gateway(ipaddress.IPv4Address("10.0.0.1"))
    cfg.password_set("operator")
    assert (cfg.snmp_contact, cfg.snmp_location) == ("NOC", "")
    assert cfg.default_gateway == ipaddress.IPv4Address("10.0.0.1")
    assert cfg.passwords == {"operator"}
    with pytest.raises(ConfigError, match="Invalid input: root"):
        cfg.password_set("root")
    with pytest.raises(ConfigError, match="Maximum length is 255"):
        cfg.set_location("l" * 256)


def test_copy_is_deep(cfg: SwitchConfig) -> None:
    clone = cfg.copy()
    clone.vlan_add_ports(1, ["A1"], tagged=True)
    clone.port_set_name("A2", "x")
    assert cfg.pvid("A1") == 1
    assert cfg.interfaces == {}


def test_redundancy_setting(cfg: SwitchConfig) -> None:
    assert cfg.redundancy_enabled
    cfg.set_redundancy(False)
    assert not cfg.redundancy_enabled
    assert cfg.copy().redundancy_enabled is False


def test_mac_age_time_range(cfg: SwitchConfig) -> None:
    assert cfg.mac_age == 300
    cfg.set_mac_age(10)
    assert cfg.mac_age == 10
    for bad in (9, 1_000_001):
        with pytest.raises(ConfigError, match=f"Invalid input: {bad}"):
            cfg.set_mac_age(bad)
    assert cfg.mac_age == 10


def _net(text: str) -> ipaddress.IPv4Interface:
    return ipaddress.IPv4Interface(text)


def test_multinetting_adds_addresses_in_order(cfg: SwitchConfig) -> None:
    """A second `ip address` joins the first (the primary stays first); typing one the VLAN
    holds again changes nothing; DHCP gives way to the first manual address."""
    cfg.vlan_add_ip(1, _net("10.0.1.1/24"))
    cfg.vlan_add_ip(1, _net("10.0.2.1/24"))
    cfg.vlan_add_ip(1, _net("10.0.1.1/24"))
    assert cfg.vlans[1].ip == VlanIp(IpMode.MANUAL, [_net("10.0.1.1/24"), _net("10.0.2.1/24")])
    assert cfg.vlans[1].ip.primary == _net("10.0.1.1/24")
    assert cfg.own_addresses() == {_net("10.0.1.1/24").ip, _net("10.0.2.1/24").ip}


def test_multinetting_refusals(cfg: SwitchConfig) -> None:
    """A ninth address, a subnet overlapping one of this or another VLAN's, and removing an
    address the VLAN does not hold are refused, and leave the addresses as they were."""
    for third in range(1, 9):
        cfg.vlan_add_ip(1, _net(f"10.0.{third}.1/24"))
    held = list(cfg.vlans[1].ip.addresses)
    with pytest.raises(ConfigError, match=re.escape(
            "The maximum number of IP addresses (8) on a VLAN has already been reached.")):
        cfg.vlan_add_ip(1, _net("10.0.9.1/24"))
    with pytest.raises(ConfigError, match=re.escape(
            "The IP address (or subnet) 10.0.1.2/24 already exists.")):
        cfg.vlan_add_ip(1, _net("10.0.1.2/24"))
    cfg.vlan_create(20)
    with pytest.raises(ConfigError, match=re.escape(
            "The IP address (or subnet) 10.0.0.1/16 already exists.")):
        cfg.vlan_add_ip(20, _net("10.0.0.1/16"))
    with pytest.raises(ConfigError, match=re.escape(
            "The IP address 10.0.1.1 is not configured on this VLAN.")):
        cfg.vlan_remove_ip(20, _net("10.0.1.1/24"))
    with pytest.raises(ConfigError, match="not configured"):
        cfg.vlan_remove_ip(1, _net("10.0.1.1/16"))
    assert cfg.vlans[1].ip.addresses == held
    assert cfg.vlans[20].ip == VlanIp()


def test_removing_addresses_promotes_the_next_and_the_last_disables_ip(
        cfg: SwitchConfig) -> None:
    cfg.vlan_add_ip(1, _net("10.0.1.1/24"))
    cfg.vlan_add_ip(1, _net("10.0.2.1/24"))
    cfg.vlan_helper_add(1, ipaddress.IPv4Address("10.9.9.9"))
    cfg.vlan_remove_ip(1, _net("10.0.1.1/24"))
    assert cfg.vlans[1].ip.primary == _net("10.0.2.1/24")
    assert cfg.vlans[1].helper_addresses == [ipaddress.IPv4Address("10.9.9.9")]
    cfg.vlan_remove_ip(1, _net("10.0.2.1/24"))
    assert cfg.vlans[1].ip == VlanIp()
    assert cfg.vlans[1].helper_addresses == []


def test_dhcp_bootp_replaces_every_static_address(cfg: SwitchConfig) -> None:
    cfg.vlan_set_ip(1, VlanIp(IpMode.MANUAL, [_net("10.0.1.1/24"), _net("10.0.2.1/24")]))
    assert len(cfg.vlans[1].ip.addresses) == 2
    cfg.vlan_set_ip(1, VlanIp(IpMode.DHCP))
    assert cfg.vlans[1].ip == VlanIp(IpMode.DHCP)
    with pytest.raises(ConfigError, match="already exists"):  # all or nothing
        cfg.vlan_set_ip(1, VlanIp(IpMode.MANUAL, [_net("10.0.1.1/24"), _net("10.0.1.2/24")]))
    assert cfg.vlans[1].ip == VlanIp(IpMode.DHCP)
