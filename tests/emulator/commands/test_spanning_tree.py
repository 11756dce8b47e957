"""`spanning-tree ...` statements: typed, kept in the running config where K.15 writes them
(after the VLANs), read back from a saved config, refused with the switch's messages; and
the `show spanning-tree` screens over a snapshot of the fabric's engine."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from emulator.config.render import render_config
from emulator.device import Device
from emulator.fabric import stp
from emulator.fabric.client import spanning_tree_program
from tests.emulator.replaying import replay_text

if TYPE_CHECKING:
    from conftest import Cli

STATEMENTS = [
    "spanning-tree",
    "spanning-tree A1-A4,B2 admin-edge-port",
    "spanning-tree A5 bpdu-protection",
    "spanning-tree A6 bpdu-filter",
    "spanning-tree A7 root-guard",
    "spanning-tree A7 tcn-guard",
    "no spanning-tree A8 auto-edge-port",
    "spanning-tree A9-A10 path-cost 4000",
    "spanning-tree A11 priority 4",
    'spanning-tree config-name "region 1"',
    "spanning-tree config-revision 3",
    "spanning-tree instance 1 vlan 10 20-22",
    "spanning-tree instance 1 priority 2",
    "spanning-tree instance 1 A2-A3 path-cost 4000",
    "spanning-tree instance 1 A2 priority 2",
    "spanning-tree instance 2 vlan 30",
    "spanning-tree priority 1",
    "spanning-tree force-version rstp-operation",
]


def running(config: Cli) -> list[str]:
    return config("show running-config").splitlines()


def test_statements_are_stored_rendered_in_order_and_read_back(config: Cli,
                                                                device: Device) -> None:
    assert not [line for line in running(config) if "spanning-tree" in line]
    for line in STATEMENTS:
        assert config(line) == "", line
    lines = running(config)
    block = [line for line in lines if "spanning-tree" in line]
    assert block == STATEMENTS
    assert lines.index("spanning-tree") > lines.index("vlan 1")  # after the VLANs
    booted = replay_text(render_config(device.running), device.inventory)
    assert booted.errors == [] and booted.config.spanning_tree == device.running.spanning_tree


def test_the_forms_that_undo_each_statement(config: Cli, device: Device) -> None:
    for line in STATEMENTS:
        config(line)
    for line in ("no spanning-tree", "no spanning-tree A1-A4,B2 admin-edge-port",
                 "no spanning-tree A5 bpdu-protection", "no spanning-tree A6 bpdu-filter",
                 "no spanning-tree A7 root-guard", "no spanning-tree A7 tcn-guard",
                 "spanning-tree A8 auto-edge-port", "spanning-tree A9-A10 path-cost auto",
                 "no spanning-tree A11 priority", "no spanning-tree config-name",
                 "no spanning-tree config-revision", "no spanning-tree instance 1 vlan 20-22",
                 "no spanning-tree instance 1 priority",
                 "spanning-tree instance 1 A2-A3 path-cost auto",
                 "no spanning-tree instance 1 A2 priority", "no spanning-tree instance 2",
                 "no spanning-tree priority", "spanning-tree force-version mstp-operation"):
        assert config(line) == "", line
    assert [line for line in running(config) if "spanning-tree" in line] == [
        "spanning-tree instance 1 vlan 10"]
    config("no spanning-tree instance 1 vlan 10")  # an instance is its VLANs
    assert device.running.spanning_tree.instances == {}


@pytest.mark.parametrize(("line", "answer"), [
    ("spanning-tree priority 16", "Invalid input: 16"),
    ("spanning-tree A1 priority 16", "Invalid input: 16"),
    ("spanning-tree A1 path-cost 0", "Invalid input: 0"),
    ("spanning-tree instance 17 vlan 10", "Invalid input: 17"),
    ("spanning-tree instance 1 vlan 4095", "Invalid input: 4095"),
    ("spanning-tree instance 1 vlan 10-5", "Invalid input: 10-5"),
    ("spanning-tree instance 3 priority 2", "MST instance 3 is not configured."),
    ("spanning-tree instance 3 A1 priority 2", "MST instance 3 is not configured."),
    ("spanning-tree instance 1 A1 path-cost 0", "Invalid input: 0"),
    ("spanning-tree force-version pvst", "Invalid input: pvst"),
    ("spanning-tree C1 admin-edge-port", "Module not present for port or invalid port: C1"),
    ("spanning-tree config-name " + "x" * 33, "String too long. Maximum length is 32."),
])
def test_refusals_change_nothing(config: Cli, device: Device, line: str, answer: str) -> None:
    before = render_config(device.running)
    assert config(line) == answer
    assert render_config(device.running) == before


def test_a_vlan_belongs_to_one_instance(config: Cli, device: Device) -> None:
    config("spanning-tree instance 1 vlan 10")
    assert config("spanning-tree instance 2 vlan 10") == (
        "VLAN 10 is already mapped to instance 1.")
    assert device.running.spanning_tree.instances == {1: {10}}


def test_the_program_the_fabric_gets(config: Cli, device: Device) -> None:
    for line in STATEMENTS:
        config(line)
    settings = stp.settings_from_wire(spanning_tree_program(device.running, device.inventory))
    assert settings.enabled and settings.version == stp.Version.RSTP
    assert settings.priority == 4096 and settings.config_name == "region 1"
    assert settings.instances == {1: (10, 20, 21, 22), 2: (30,)}
    assert settings.instance_priority == {1: 8192}  # instance 2 keeps the default, 32768
    assert settings.instance_ports[1]["A2"] == (4000, 32)
    assert settings.instance_ports[1]["A4"] == (20000, 128)  # auto cost, not the CIST's
    assert settings.instance_ports[2]["A9"] == (20000, 128)
    assert settings.ports["A1"].admin_edge and settings.ports["A5"].bpdu_protection
    assert settings.ports["A9"].path_cost == 4000 and settings.ports["A11"].priority == 64
    assert settings.ports["A12"] == stp.PortSettings()  # 1 Gb/s: 802.1t cost 20000, prio 128
    config("no spanning-tree config-name")
    settings = stp.settings_from_wire(spanning_tree_program(device.running, device.inventory))
    assert settings.config_name == device.inventory.base_mac  # K.15's default: the base MAC


SNAPSHOT = {
    "enabled": True, "bridge": "8000" + "001871c30000", "root": "1000" + "001871000001",
    "root_cost": 20000, "root_port": "A1", "tc_count": 3, "tc_age": 250.0, "hello": 2.0,
    "max_age": 20.0, "forward_delay": 15.0, "events": [],
    "regional_root": "2000" + "001871000009", "internal_cost": 40000, "hops": 18,
    "instances": {"1": {
        "bridge": "8001" + "001871c30000", "regional_root": "1001" + "001871000002",
        "root_cost": 20000, "root_port": "A2", "hops": 19, "tc_count": 1, "tc_age": 5.0,
        "ports": {
            "A1": {"role": "Master", "state": "forwarding", "up": True, "cost": 20000,
                   "priority": 128, "designated_bridge": "1000001871000001"},
            "A2": {"role": "Root", "state": "forwarding", "up": True, "cost": 20000,
                   "priority": 128, "designated_bridge": "1001001871000002"},
            "A3": {"role": "Designated", "state": "forwarding", "up": True, "cost": 20000,
                   "priority": 128, "designated_bridge": "8001001871c30000"}}}},
    "ports": {
        "A1": {"role": "Root", "state": "forwarding", "up": True, "cost": 20000,
               "priority": 128, "designated_bridge": "1000001871000001", "edge": False},
        "A2": {"role": "Alternate", "state": "discarding", "up": True, "cost": 20000,
               "priority": 128, "designated_bridge": "8000001871000002", "edge": False},
        "A3": {"role": "Designated", "state": "forwarding", "up": True, "cost": 20000,
               "priority": 128, "designated_bridge": "8000001871c30000", "edge": True},
    },
}


def test_show_spanning_tree_prints_the_engines_tree(config: Cli, device: Device) -> None:
    config("spanning-tree")
    config("spanning-tree A5 bpdu-protection")
    device.spanning_tree = SNAPSHOT
    screen = config("show spanning-tree")
    lines = screen.splitlines()
    assert lines[:4] == ["", " Multiple Spanning Tree (MST) Information", "",
                         "  STP Enabled   : Yes"]
    assert "  Force Version : MSTP-operation" in lines
    assert "  IST Mapped VLANs : 1-4094" in lines
    assert "  Topology Change Count  : 3" in lines
    assert "  Time Since Last Change : 4 mins" in lines
    assert "  CST Root MAC Address : 001871-000001" in lines
    assert "  CST Root Priority    : 4096" in lines
    assert "  CST Root Path Cost   : 20000" in lines
    assert "  CST Root Port        : A1" in lines
    assert "  IST Regional Root MAC Address : 001871-000009" in lines
    assert "  IST Regional Root Priority    : 8192" in lines
    assert "  IST Regional Root Path Cost   : 40000" in lines
    assert "  IST Remaining Hops            : 18" in lines
    assert "  BPDU Protected Ports : A5" in lines
    assert "  Root Guard Ports     :" in lines
    assert ("  A1    100/1000T | 20000     128  Forwarding | 001871-000001 2    Yes No"
            in lines)
    assert ("  A2    100/1000T | 20000     128  Blocking   | 001871-000002 2    Yes No"
            in lines)
    assert ("  A3    100/1000T | 20000     128  Forwarding | 001871-c30000 2    Yes Yes"
            in lines)
    assert "  A4    100/1000T | 20000     128  Disabled   |" in lines
    only = config("show spanning-tree A2").splitlines()
    assert [line for line in only if "100/1000T" in line] == [
        "  A2    100/1000T | 20000     128  Blocking   | 001871-000002 2    Yes No"]


def test_show_spanning_tree_when_off_stops_after_the_bridge(config: Cli) -> None:
    screen = config("show spanning-tree")
    assert "  STP Enabled   : No" in screen
    assert screen.splitlines()[-1] == "  Forward Delay : 15"


def test_show_instance_and_mst_config(config: Cli, device: Device) -> None:
    config("spanning-tree")
    config("spanning-tree instance 1 vlan 10 20-22")
    device.spanning_tree = SNAPSHOT
    ist = config("show spanning-tree instance ist").splitlines()
    assert " IST Instance Information" in ist and "  Mapped VLANs : 1-9,11-19,23-4094" in ist
    assert any(line.split()[:5] == ["A2", "100/1000T", "20000", "128", "Alternate"]
               for line in ist)
    msti = config("show spanning-tree instance 1").splitlines()
    assert "  Mapped VLANs : 10,20-22" in msti
    assert any(line.split()[:5] == ["A1", "100/1000T", "20000", "128", "Master"]
               for line in msti)
    assert ("  A2    100/1000T 20000     128      Root       Forwarding 001871-000002"
            in msti)
    assert "  Regional Root MAC Address : 001871-000002" in msti
    assert "  Regional Root Priority    : 4096" in msti
    assert "  Regional Root Path Cost   : 20000" in msti
    assert "  Regional Root Port        : A2" in msti
    assert "  Remaining Hops            : 19" in msti
    assert "  Switch Priority        : 32768" in msti
    assert "  Topology Change Count   : 1" in msti
    assert "  Regional Root Port        : A1" in ist  # the IST's: toward the regional root
    assert "  Regional Root Path Cost   : 40000" in ist
    assert config("show spanning-tree instance 2") == "MST instance 2 is not configured."
    mst = config("show spanning-tree mst-config").splitlines()
    assert f"  MST Configuration Name : {device.inventory.base_mac}" in mst
    digest = stp.config_digest({1: {10, 20, 21, 22}}).hex().upper()
    assert f"  MST Configuration Digest : 0x{digest}" in mst
    assert mst[-1] == "  1           10,20-22"


def test_show_detail_counts_bpdus(config: Cli, device: Device) -> None:
    config("spanning-tree")
    device.spanning_tree = {**SNAPSHOT, "ports": {"A1": {
        **SNAPSHOT["ports"]["A1"], "bpdus_sent": 5, "bpdus_received": 7,  # type: ignore[dict-item]
        "boundary": False}}}
    detail = config("show spanning-tree A1 detail").splitlines()
    assert "  Port                           : A1" in detail
    assert "  BPDUs Sent                     : 5" in detail
    assert "  BPDUs Received                 : 7" in detail
    assert "  MST Region Boundary            : No" in detail  # its neighbour is in our region
