"""`trunk PORT-LIST trkN [trunk|lacp]`, `no trunk`, `lacp active|passive`, `show trunks` and
`show lacp [counters|local|peer]`: stored, rendered where K.15 writes them, read back, refused
with the switch's words, and printed in the manuals' shapes (ntc-templates parses `show
trunks`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from emulator.config.render import render_config
from emulator.device import Device, MacEntry
from emulator.fabric.lacp import LacpStatus
from tests.emulator.replaying import replay_text

if TYPE_CHECKING:
    from conftest import Cli, NtcParse


def lacp_row(port: str, trunk: str, **changes: object) -> LacpStatus:
    fields: dict[str, object] = dict(
        port=port, trunk=trunk, active=True, link_up=True, partner=True, distributing=True,
        key=289, partner_system="001871-d40000", partner_port=12, partner_priority=0,
        partner_key=7, partner_active=True, partner_fast=False, lacpdus_sent=31,
        lacpdus_received=29, errors=0)
    fields.update(changes)
    return LacpStatus(**fields)  # type: ignore[arg-type]


def test_a_trunk_is_stored_rendered_after_the_modules_and_read_back(config: Cli,
                                                                     device: Device) -> None:
    assert config("trunk A1-A2 trk1 lacp") == ""
    assert config("trunk A3,A4 TRK2") == ""  # the kind defaults to a static trunk
    assert config("vlan 10 tagged trk1") == ""
    lines = config("show running-config").splitlines()
    at = lines.index("module B type j8702a")
    assert lines[at + 1:at + 3] == ["trunk A1-A2 trk1 lacp", "trunk A3-A4 trk2 trunk"]
    vlan1 = lines[lines.index("vlan 1"):lines.index("vlan 10")]
    assert "   untagged A5-A24,B1-B24,Trk1,Trk2" in vlan1
    assert not any("no untagged" in line for line in vlan1)  # members are not outside VLAN 1
    assert "   tagged Trk1" in lines[lines.index("vlan 10"):]
    booted = replay_text(render_config(device.running), device.inventory)
    assert booted.errors == [] and booted.config == device.running


def test_members_leave_their_vlans_and_come_back_untagged_in_vlan_1(config: Cli,
                                                                    device: Device) -> None:
    assert config("vlan 20 untagged A1") == ""
    assert config("vlan 30 tagged A2") == ""
    assert config("trunk A1-A2 trk5 trunk") == ""
    assert device.running.port_vlans("A1") == device.running.port_vlans("A2") == []
    assert device.running.port_vlans("Trk5") == [(1, False)]
    assert config("no trunk A1") == ""
    assert device.running.port_vlans("A1") == [(1, False)]
    assert config("no trunk A2") == ""
    assert "Trk5" not in device.running.trunks
    assert device.running.port_vlans("Trk5") == []
    assert "trunk" not in config("show running-config")


def test_a_port_moves_between_trunks_and_the_kind_given_is_the_trunks(config: Cli,
                                                                      device: Device) -> None:
    assert config("trunk A1-A2 trk1 trunk") == ""
    assert config("trunk A2 trk2 lacp") == ""
    assert device.running.trunks["Trk1"].ports == {"A1"}
    assert device.running.trunks["Trk2"].ports == {"A2"}
    assert config("trunk A3 trk1 lacp") == ""
    assert device.running.trunks["Trk1"].kind == "lacp"


@pytest.mark.parametrize(("line", "error"), [
    ("trunk A1-A9 trk1", "Unable to add more than 8 ports to trunk Trk1."),
    ("trunk A1 trk61", "Invalid input: trk61"),
    ("trunk A1 trk0", "Invalid input: trk0"),
    ("trunk A1 trk1 fec", "Invalid input: fec"),
    ("trunk C1 trk1", "Module not present for port or invalid port: C1"),
    ("vlan 10 tagged Trk3", "Module not present for port or invalid port: Trk3"),
])
def test_refusals(config: Cli, device: Device, line: str, error: str) -> None:
    assert config(line) == error
    assert device.running.trunks == {}
    assert device.running.port_vlans("A1") == [(1, False)]


def test_a_members_vlans_and_lacp_are_the_trunks(config: Cli, device: Device) -> None:
    assert config("trunk A1-A2 trk1 lacp") == ""
    assert config("vlan 10 untagged A1") == "Port A1 is a member of trunk Trk1."
    assert config("interface A2 lacp active") == "Port A2 is a member of trunk Trk1."
    assert device.running.port_vlans("A1") == []


def test_dynamic_lacp_is_an_interface_statement(config: Cli, device: Device) -> None:
    assert config("interface A5-A6 lacp passive") == ""
    assert config("interface A7") == ""
    assert config("lacp active") == ""
    text = config("show running-config")
    assert "interface A5\n   lacp passive\n   exit" in text
    assert "interface A7\n   lacp active\n   exit" in text
    assert config("no lacp") == ""
    assert "interface A7" not in config("show running-config")
    booted = replay_text(render_config(device.running), device.inventory)
    assert booted.errors == [] and booted.config == device.running
    assert config("lacp both") == "Invalid input: both"


def test_a_trunk_joining_a_port_with_dynamic_lacp_clears_it(config: Cli, device: Device) -> None:
    assert config("interface A1 lacp passive") == ""
    assert config("trunk A1-A2 trk1 lacp") == ""
    assert "A1" not in device.running.interfaces


SHOW_TRUNKS = """
 Load Balancing Method:  L3-based (default)

  Port   | Name                             Type       | Group Type    
  ------ + -------------------------------- ---------- + ----- --------
  A1     | uplink to core                   100/1000T  | Trk1  LACP    
  A2     |                                  100/1000T  | Trk1  LACP    
  B7     |                                  100/1000T  | Trk12 Trunk   """  # noqa: W291


def test_show_trunks_as_the_switch_prints_it_and_ntc_parses_it(config: Cli,
                                                                ntc: NtcParse) -> None:
    for line in ('interface A1 name "uplink to core"', "trunk A1-A2 trk1 lacp",
                 "trunk B7 trk12", "interface A5 lacp active"):
        assert config(line) == "", line
    assert config("show trunks") == SHOW_TRUNKS
    assert config("show trunks B1-B24") == "\n".join(
        [*SHOW_TRUNKS.splitlines()[:5], SHOW_TRUNKS.splitlines()[-1]])
    records = ntc("show trunks", config("show trunks"))
    assert [(r["local_port"], r["int_name"], r["trunk"], r["trunk_type"]) for r in records] == [
        ("A1", "uplink to core", "Trk1", "LACP"), ("A2", "", "Trk1", "LACP"),
        ("B7", "", "Trk12", "Trunk")]


def test_show_trunks_without_trunks_is_the_heading(cli: Cli, ntc: NtcParse) -> None:
    assert cli("show trunks") == "\n".join(SHOW_TRUNKS.splitlines()[:5])
    assert ntc("show trunks", cli("show trunks")) == []


def test_show_lacp_screens(cli: Cli, device: Device) -> None:
    device.lacp = [lacp_row("A2", "Trk1", partner_port=13),
                   lacp_row("A1", "Trk1"),
                   lacp_row("A5", "A5", active=False, link_up=False, partner=False,
                            distributing=False, key=300, partner_system="000000-000000",
                            partner_port=0, partner_key=0, partner_active=False,
                            lacpdus_sent=0, lacpdus_received=0, errors=2)]
    assert cli("show lacp") == "\n".join([
        "",
        "                          LACP",
        "       LACP     Trunk    Port              LACP     Admin  Oper",
        "Port   Enabled  Group    Status   Partner  Status   Key    Key",
        "----   -------  -------  -------  -------  -------  ------ ------",
        "A1     Active   Trk1     Up       Yes      Success  0      289",
        "A2     Active   Trk1     Up       Yes      Success  0      289",
        "A5     Passive  A5       Down     No       Success  0      300"])
    assert cli("show lacp counters A5").splitlines()[-1] == (
        "  A5   A5     0         0         0        0        0        0        2")
    assert cli("show lacp counters").splitlines()[-3] == (
        "  A1   Trk1   31        29        0        0        0        0        0")
    assert cli("show lacp peer A2").splitlines()[-1] == (
        "  A2     Trk1   001871-d40000  13    0         7       Active   Slow")
    assert "System ID: 001871-c30000" in cli("show lacp peer")
    assert cli("show lacp local").splitlines()[-3:] == [
        "  A1   Trk1   Active   Yes         Fast   No",
        "  A2   Trk1   Active   Yes         Fast   No",
        "  A5   A5     Passive  No          Fast   No"]


def test_a_vlan_holding_a_trunk_shows_it_down_until_a_link_carries_it(config: Cli,
                                                                      device: Device) -> None:
    assert config("trunk A1-A2 trk1 trunk") == ""
    assert config("vlan 10 tagged Trk1") == ""
    assert config("show vlans 10").splitlines()[-1].split() == ["Trk1", "Tagged", "Learn",
                                                                  "Down"]
    device.trunk_links = {"Trk1": ["A2"]}
    assert config("show vlans 10").splitlines()[-1].split()[-1] == "Up"


def test_port_screens_name_a_member_with_its_trunk(config: Cli, ntc: NtcParse) -> None:
    """`D1-Trk1`, as the real `show interfaces brief` prints a member; the port column widens
    and ntc-templates still reads every row."""
    assert config("trunk A1-A2 trk1 lacp") == ""
    brief = config("show interfaces brief")
    assert "  A1-Trk1      100/1000T  | No        Yes     Down   1000FDx    Auto off  0" in brief
    assert [r["port"] for r in ntc("show interfaces brief", brief)][:3] == [
        "A1-Trk1", "A2-Trk1", "A3"]
    assert config("show interfaces").splitlines()[5].startswith("  A1-Trk1      0 ")


def test_show_mac_address_of_a_trunk(config: Cli, device: Device) -> None:
    assert config("trunk A1-A2 trk1 lacp") == ""
    device.mac_table = [MacEntry("0015b2a45078", "Trk1", 1), MacEntry("0015b2a45079", "A3", 1)]
    table = config("show mac-address trk1")
    assert table.splitlines()[1] == " Status and Counters - Port Address Table - Trk1"
    assert table.splitlines()[-1] == "  0015b2-a45078 Trk1  1"
    assert config("show mac-address Trk2") == "Module not present for port or invalid port: Trk2"
