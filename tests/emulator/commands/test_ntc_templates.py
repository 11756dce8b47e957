"""Every `hp_procurve` template of the installed ntc-templates (9.3.0), read from its index:
each one whose command a K.15 8212zl has parses the emulator's output into records with the
values the switch holds; each other one is listed with the reason it is not parsed. A template a
new ntc-templates release adds fails the test until it is placed in one of the two lists. The
same templates run over SSH against a running chassis in tests/e2e/test_ntc_templates.py.

Parsed (14): show arp, show interfaces, show interfaces brief, show interfaces status, show ip,
show ip route, show lldp info local-device, show lldp info remote-device, show lldp info
remote-device PORT (detail), show mac-address, show system, show tech buffers, show trunks,
show vlans.

Not parsed (4), and why:
- show version: the template reads ArubaOS access-point output (`ArubaOS (MODEL: ...)`), not a
  switch's; the emulator prints K.15's image stamps, as the switch does.
- show vsf detail: VSF is a 5400R (KB.16) feature; the 8212zl has no such command.
- show cdp neighbors detail: the fabric hears no CDP, so the screen is its title and no record
  (test_empty_cdp_detail checks that it parses to nothing).
- show port-security: port security belongs to the AAA issue.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import TYPE_CHECKING, Final

import ntc_templates
import pytest

from emulator.cli.context import CONFIG
from emulator.device import ArpEntry, Device, LldpNeighbor, MacEntry

if TYPE_CHECKING:
    from conftest import Cli, NtcParse

INDEX: Final = Path(ntc_templates.__file__).parent / "templates" / "index"

PARSED: Final[dict[str, tuple[str, dict[str, str]]]] = {
    "hp_procurve_show_arp.textfsm": (
        "show arp", {"ip_address": "10.0.10.11", "mac_address": "0015b2-a45078", "port": "A2"}),
    "hp_procurve_show_interfaces_brief.textfsm": (
        "show interfaces brief", {"port": "A1", "type": "100/1000T", "enabled": "Yes"}),
    "hp_procurve_show_interfaces.textfsm": (
        "show interfaces", {"port": "A1", "total_frames": "0", "flow_ctrl": "off"}),
    "hp_procurve_show_mac-address.textfsm": (
        "show mac-address", {"mac_address": "5c0e8b-97d9db", "port": "B3", "vlan_id": "1"}),
    "hp_procurve_show_lldp_info_remote-device.textfsm": (
        "show lldp info remote-device", {"local_interface": "A1", "neighbor_name": "sw123"}),
    "hp_procurve_show_lldp_info_remote-device_detail.textfsm": (
        "show lldp info remote-device A1",
        {"local_interface": "A1", "chassis_id": "00 25 90 3d c3 1f", "neighbor_name": "sw123"}),
    "hp_procurve_show_lldp_info_local-device.textfsm": (
        "show lldp info local-device",
        {"system_name": "lab-core", "pid": "J8715A", "mgmt_address": "10.0.10.1"}),
    "hp_procurve_show_system.textfsm": (
        "show system", {"name": "lab-core", "software_version": "K.15.16.0008"}),
    "hp_procurve_show_vlans.textfsm": ("show vlans", {"vlan_id": "10", "vlan_name": "Servers"}),
    "hp_procurve_show_ip.textfsm": (
        "show ip", {"vlan_name": "Servers", "ip_address": "10.0.10.1"}),
    "hp_procurve_show_tech_buffers.textfsm": (
        "show tech buffers", {"product": "HP J9091A", "version": "K.15.16.0008"}),
    "hp_procurve_show_trunks.textfsm": (
        "show trunks", {"local_port": "B1", "trunk": "Trk1", "trunk_type": "LACP"}),
    "hp_procurve_show_interfaces_status.textfsm": (
        "show interfaces status",
        {"port": "A1", "status": "Down", "config_mode": "Auto", "vlan_untagged": "10"}),
    "hp_procurve_show_ip_route.textfsm": (
        "show ip route", {"destination": "10.0.10.0/24", "gateway": "Servers",
                          "vlan_name": "10", "type": "connected", "distance": "0"}),
}
"""Template -> (the command run, fields one of its records must hold)."""

NOT_PARSED: Final[dict[str, str]] = {
    "hp_procurve_show_version.textfsm":
        "reads ArubaOS access-point output (`ArubaOS (MODEL: ...)`), not a switch's",
    "hp_procurve_show_vsf_detail.textfsm": "VSF is a 5400R/KB.16 feature, absent on the 8212zl",
    "hp_procurve_show_cdp_neighbors_detail.textfsm":
        "the fabric hears no CDP: the screen is its title, no record (test_empty_cdp_detail)",
    "hp_procurve_show_port-security.textfsm": "port security belongs to the AAA issue",
}


def _procurve_templates() -> set[str]:
    with INDEX.open() as index:
        rows = [row for row in csv.reader(index) if row and not row[0].startswith("#")]
    return {row[0].strip() for row in rows[1:]
            if len(row) > 2 and "procurve" in row[2]}


@pytest.fixture
def switch(cli: Cli, device: Device) -> Cli:
    """A configured switch with a neighbor, an ARP entry and a learned address."""
    cli.session.enter(CONFIG)
    for line in ("hostname lab-core", 'vlan 10 name "Servers"', "vlan 10 untagged A1-A4",
                 "vlan 10 ip address 10.0.10.1/24", "trunk B1-B2 trk1 lacp"):
        assert cli(line) == "", line
    cli.session.end()
    device.lldp_neighbors = [LldpNeighbor("A1", "00:25:90:3d:c3:1f", "48", "48", "sw123",
                                          "ProCurve J4904A Switch 2848")]
    device.arp_table = [ArpEntry("10.0.10.11", "0015b2a45078", "A2")]
    device.mac_table = [MacEntry("5c0e8b97d9db", "B3", 1)]
    return cli


def test_every_procurve_template_is_listed() -> None:
    templates = _procurve_templates()
    assert len(templates) >= 18
    assert templates == set(PARSED) | set(NOT_PARSED)
    assert not set(PARSED) & set(NOT_PARSED)


@pytest.mark.parametrize("template", sorted(PARSED))
def test_template_parses_the_emulator_output(switch: Cli, ntc: NtcParse, template: str) -> None:
    command, expected = PARSED[template]
    records = ntc(command, switch(command))
    assert records, command
    assert any(all(record.get(key) == value for key, value in expected.items())
               for record in records), (command, records[:3])


def test_empty_cdp_detail(cli: Cli, ntc: NtcParse) -> None:
    assert ntc("show cdp neighbors detail", cli("show cdp neighbors detail")) == []
