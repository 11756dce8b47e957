"""OSPF statements and screens (commands/ospf.py, emulator/ospf.py): `router ospf` and its
context in the CLI, a startup config and `show running-config`; `vlan N ip ospf ...` and its
refusals; the ospfd config made from them; FRR's JSON answers as the switch's screens and as
`show ip route`'s ospf rows."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from emulator.commands.ospf import area_rows, database_lines, interface_rows, neighbor_rows
from emulator.config.render import render_config
from emulator.device import Device
from emulator.ospf import learnt_routes, ospfd_config
from emulator.routing import route_table
from tests.emulator.replaying import replay_text

if TYPE_CHECKING:
    from conftest import Cli

OSPF = ("vlan 10 ip address 10.0.10.1/24", "vlan 20 ip address 10.0.20.1/24", "ip routing",
        "router ospf", "area backbone", "area 1", "redistribute static", "enable", "exit",
        "vlan 10 ip ospf area backbone", "vlan 10 ip ospf cost 5",
        "vlan 20 ip ospf 10.0.20.1 area 0.0.0.1", "vlan 20 ip ospf passive",
        "vlan 20 ip ospf hello-interval 1")


def test_router_ospf_context_and_config(config: Cli, device: Device) -> None:
    assert config("router ospf") == ""
    assert config.session.mode.prompt("HP-8212zl", config.session.level) == "HP-8212zl(ospf)# "
    config("exit")
    for line in OSPF:
        assert config(line) == "", line
    lines = config("show running-config").splitlines()
    at = lines.index("router ospf")
    assert lines[at:at + 6] == ["router ospf", "   area backbone", "   area 0.0.0.1",
                                "   redistribute static", "   enable", "   exit"]
    at = lines.index("   ip address 10.0.10.1 255.255.255.0")
    assert lines[at + 1:at + 3] == ["   ip ospf 10.0.10.1 area backbone",
                                    "   ip ospf 10.0.10.1 cost 5"]
    at = lines.index("   ip address 10.0.20.1 255.255.255.0")
    assert lines[at + 1:at + 4] == ["   ip ospf 10.0.20.1 area 0.0.0.1",
                                    "   ip ospf 10.0.20.1 hello-interval 1",
                                    "   ip ospf 10.0.20.1 passive"]
    booted = replay_text(render_config(device.running), device.inventory)
    assert booted.errors == []
    assert booted.config == device.running


def test_refusals_and_no_forms(config: Cli, device: Device) -> None:
    config("vlan 10 ip address 10.0.10.1/24")
    assert config("vlan 30 ip ospf area backbone") == \
        "An IP address must be configured on VLAN 30 first."
    assert config("vlan 10 ip ospf area backbone") == "OSPF area backbone is not configured."
    assert config("vlan 10 ip ospf cost 5") == "OSPF is not enabled on VLAN 10."
    config("router ospf")
    config("area backbone")
    config("exit")
    assert config("vlan 10 ip ospf area backbone") == ""
    assert config("vlan 10 ip ospf cost 0") == "Invalid input: 0"
    assert config("vlan 10 no ip ospf") == ""
    assert device.running.vlans[10].ospf is None
    config("vlan 10 ip ospf area backbone")
    assert config("vlan 10 no ip address") == ""  # OSPF goes with the address
    assert device.running.vlans[10].ospf is None
    assert config("no router ospf") == ""
    assert "router ospf" not in config("show running-config")


def test_ospfd_config(config: Cli, device: Device) -> None:
    for line in OSPF:
        config(line)
    assert ospfd_config(device.running) == "\n".join([
        "interface vlan10", " ip ospf area 0.0.0.0", " ip ospf cost 5",
        " ip ospf hello-interval 10", " ip ospf dead-interval 40", "!",
        "interface vlan20", " ip ospf area 0.0.0.1", " ip ospf cost 1",
        " ip ospf hello-interval 1", " ip ospf dead-interval 40", "!",
        "router ospf", " ospf router-id 10.0.10.1", " passive-interface vlan20",
        " redistribute kernel", "!", ""])
    config("no ip routing")
    assert ospfd_config(device.running) is None
    config("ip routing")
    config("router ospf")
    config("disable")
    assert ospfd_config(device.running) is None


ROUTES: dict[str, Any] = {
    "10.0.10.0/24": {"routeType": "N", "cost": 5, "area": "0.0.0.0",
                     "nexthops": [{"ip": " ", "directlyAttachedTo": "vlan10"}]},
    "10.0.30.0/24": {"routeType": "N", "cost": 6, "area": "0.0.0.0",
                     "nexthops": [{"ip": "10.0.10.2", "via": "vlan10"}]},
    "10.7.0.0/16": {"routeType": "N E2", "cost": 5, "type2cost": 20,
                    "nexthops": [{"ip": "10.0.10.2", "via": "vlan10"}]},
    "10.0.10.2": {"routeType": "R ", "cost": 5},
}


def test_learnt_routes_join_the_route_table(config: Cli, device: Device) -> None:
    for line in OSPF:
        config(line)
    device.learnt_routes = learnt_routes(ROUTES)
    rows = [line for line in config("show ip route ospf").splitlines()[5:]]
    assert rows == [
        "  10.0.30.0/24       10.0.10.2       10   ospf      IntraArea  6          110",
        "  10.7.0.0/16        10.0.10.2       10   ospf      External2  20         110",
    ]
    assert [e.kind for e in route_table(device.running, device.learnt_routes)
            if str(e.destination) == "10.0.10.0/24"] == ["connected"]


def test_screens_from_frr_answers() -> None:
    neighbors = {"neighbors": {"10.0.10.3": [{
        "nbrPriority": 1, "nbrState": "Full/Backup", "ifaceAddress": "10.0.10.3",
        "retransmitCounter": 0, "stateChangeCounter": 5}]}}
    assert neighbor_rows(neighbors) == [
        "  10.0.10.3       1   10.0.10.3       BDR       FULL     0         5"]
    interfaces = {"interfaces": {"vlan10": {
        "ifUp": True, "ospfEnabled": True, "ipAddress": "10.0.10.1", "area": "0.0.0.0",
        "state": "DR", "cost": 1, "priority": 1}}}
    assert interface_rows(interfaces, {"vlan10"}) == [
        "  10.0.10.1       enabled  backbone        DR      none      1      1   yes"]
    assert area_rows({"areas": {"0.0.0.0": {"spfExecutedCounter": 3, "lsaNumber": 4}}}) == [
        "  backbone        normal 0      3     0    0     4     0x00000000"]
    database = {"areas": {"0.0.0.0": {"routerLinkStates": [{
        "lsId": "10.0.10.1", "advertisedRouter": "10.0.10.1", "lsaAge": 6,
        "sequenceNumber": "80000006", "checksum": "affb"}]}}}
    lines = database_lines(database)
    assert lines[1].strip() == "OSPF Link State Database for Area 0.0.0.0"
    assert lines[-1] == ("  Router    10.0.10.1       10.0.10.1       6    0x80000006  "
                         "0x0000affb")


def test_shows_without_the_engine(config: Cli) -> None:
    assert "OSPF protocol                : disabled" in config("show ip ospf")
    assert config("show ip ospf neighbor").splitlines()[-1].startswith("  ---")
