"""Access lists in the CLI (commands/acl.py, config/acl.py): the named and numbered forms and
their context, remarks, sequence numbers, the canonical text the config writes, where lists
apply, the show screens, the switch's refusals, and the read-back from a startup config."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from emulator.config.render import render_config
from emulator.device import Device
from tests.emulator.replaying import replay_text

if TYPE_CHECKING:
    from conftest import Cli

NO_SSH = ['ip access-list extended "NO-SSH"',
          '   10 remark "no ssh to the server"',
          "   10 deny tcp 10.0.0.1 0.0.0.0 10.0.0.2 0.0.0.0 eq 22 log",
          "   15 permit icmp 10.0.0.0 0.0.0.255 0.0.0.0 255.255.255.255 8",
          "   20 permit ip 0.0.0.0 255.255.255.255 0.0.0.0 255.255.255.255",
          "   exit"]


def make_no_ssh(config: Cli) -> None:
    for line in ("ip access-list extended NO-SSH", 'remark "no ssh to the server"',
                 "deny tcp host 10.0.0.1 host 10.0.0.2 eq 22 log", "permit ip any any",
                 "15 permit icmp 10.0.0.0/24 any 8", "exit"):
        assert config(line) == "", line


def test_named_list_context_prompt_and_canonical_text(config: Cli) -> None:
    assert config("ip access-list extended NO-SSH") == ""
    assert config.session.mode.prompt("HP-8212zl", config.session.level) == \
        "HP-8212zl(config-ext-nacl)# "
    config("exit")
    config("ip access-list standard 7")
    assert config.session.mode.prompt("HP-8212zl", config.session.level) == \
        "HP-8212zl(config-std-nacl)# "
    config("exit")
    make_no_ssh(config)
    lines = config("show running-config").splitlines()
    start = lines.index(NO_SSH[0])
    assert lines[start:start + len(NO_SSH)] == NO_SSH
    assert config("show access-list NO-SSH config").splitlines()[1:] == NO_SSH


def test_numbered_form_appends_and_deletes(config: Cli, device: Device) -> None:
    assert config("access-list 5 permit 10.1.0.0 0.0.255.255") == ""
    assert config("access-list 5 deny any log") == ""
    assert config('access-list 5 remark "rest"') == ""
    assert config("access-list 5 permit host 10.9.9.9") == ""
    assert device.running.access_lists["5"].lines() == [
        "10 permit 10.1.0.0 0.0.255.255", "20 deny 0.0.0.0 255.255.255.255 log",
        '30 remark "rest"', "30 permit 10.9.9.9 0.0.0.0"]
    assert config("no access-list 5") == ""
    assert "5" not in device.running.access_lists


def test_no_seq_removes_an_entry_and_its_remark(config: Cli, device: Device) -> None:
    make_no_ssh(config)
    config("ip access-list extended NO-SSH")
    assert config("no 10") == ""
    assert config("no 10") == "ACE with sequence number 10 does not exist."
    assert 10 not in device.running.access_lists["NO-SSH"].remarks


@pytest.mark.parametrize(("line", "error"), [
    ("access-list 100 permit tcp any any eq 70000", "Invalid input: 70000"),
    ("access-list 100 permit tcp any any eq", "Incomplete input: eq"),
    ("access-list 100 permit bogus any any", "Invalid input: bogus"),
    ("access-list 100 permit tcp 10.0.0.1 any", "Invalid input: any"),
    ("access-list 100 permit ip any any extra", "Invalid input: extra"),
    ("access-list 100 permit tcp any range 20 10 any", "Invalid input: 10"),
    ("access-list 5 permit ip any", "Invalid input: ip"),
    ("access-list 200 permit any", "Invalid input: 200"),
    ("ip access-list standard 150", "Invalid input: 150"),
    ("ip access-list extended 42", "Invalid input: 42"),
])
def test_refused_entries_leave_nothing_behind(config: Cli, device: Device, line: str,
                                              error: str) -> None:
    assert config(line) == error
    assert device.running.access_lists == {}


def test_a_name_keeps_its_kind(config: Cli) -> None:
    make_no_ssh(config)
    assert config("ip access-list standard NO-SSH") == \
        "ACL NO-SSH already exists as an ACL of type extended."


def test_applied_in_vlan_and_port_contexts(config: Cli, device: Device) -> None:
    make_no_ssh(config)
    for line in ("vlan 20 ip access-group NO-SSH in", "vlan 20 ip access-group NO-SSH vlan",
                 "interface A1 ip access-group NO-SSH in"):
        assert config(line) == "", line
    assert device.running.access_groups() == {
        "vlan 20 in": "NO-SSH", "vlan 20 vlan": "NO-SSH", "port A1 in": "NO-SSH"}
    text = config("show running-config").splitlines()
    assert text[text.index("interface A1") + 1] == '   ip access-group "NO-SSH" in'
    vlan = text.index("vlan 20")
    assert text[vlan + 3:vlan + 5] == ['   ip access-group "NO-SSH" in',
                                       '   ip access-group "NO-SSH" vlan']
    assert config("interface A1 ip access-group NO-SSH out").startswith("Invalid input")
    assert config("vlan 20 no ip access-group OTHER in") == \
        "ACL OTHER is not applied to VLAN 20."
    assert config("vlan 20 no ip access-group NO-SSH in") == ""
    assert config("interface A1 no ip access-group NO-SSH in") == ""
    assert device.running.access_groups() == {"vlan 20 vlan": "NO-SSH"}
    assert "A1" not in device.running.interfaces
    assert config("no vlan 20") == ""
    assert device.running.vlan_access_groups == {}


def test_show_screens(config: Cli, device: Device) -> None:
    make_no_ssh(config)
    config("access-list 5 permit any")
    config("vlan 20 ip access-group NO-SSH in")
    assert config("show access-list").splitlines()[1:] == [
        " Access Control Lists", "", "  Type Appl Name", "  ---- ---- " + "-" * 60,
        "  Ext  Yes  NO-SSH", "  Std  No   5"]
    detail = config("show access-list NO-SSH").splitlines()
    assert detail[3:6] == ["  Name: NO-SSH", "  Type: Extended", "  Applied: Yes"]
    assert detail[9:12] == [
        "  10   Action: deny (log)", "       Remark: no ssh to the server",
        "       Src IP: 10.0.0.1         Mask: 0.0.0.0          Port(s):"]
    assert config("show access-list vlan 20").splitlines()[1:6] == [
        " Access Lists for VLAN 20", "", "  IPv4   Inbound : NO-SSH",
        "            Type : Extended", ""]
    assert "  IPv4   Inbound : (None)" in config("show access-list ports A2")
    assert config("show access-list NOPE") == "ACL NOPE does not exist."
    device.acl_hits = {"vlan 20 in": [[10, 3], [20, 1234567]]}
    hits = config("show statistics aclv4 NO-SSH vlan 20 in").splitlines()
    assert hits[1] == " HitCounts for ACL NO-SSH"
    assert hits[5:] == [
        " (        3) 10 deny tcp 10.0.0.1 0.0.0.0 10.0.0.2 0.0.0.0 eq 22 log",
        " (        0) 15 permit icmp 10.0.0.0 0.0.0.255 0.0.0.0 255.255.255.255 8",
        " (  1234567) 20 permit ip 0.0.0.0 255.255.255.255 0.0.0.0 255.255.255.255"]
    assert config("show statistics aclv4 NO-SSH vlan 20 out") == \
        "ACL NO-SSH is not applied to VLAN 20."


def test_a_startup_config_reads_back(config: Cli, device: Device) -> None:
    make_no_ssh(config)
    config("vlan 20 ip access-group NO-SSH out")
    config("interface B3 ip access-group NO-SSH in")
    booted = replay_text(render_config(device.running), device.inventory)
    assert booted.errors == []
    assert booted.config == device.running


def test_help_names_the_first_word_of_an_entry(config: Cli) -> None:
    config("ip access-list extended X")
    mode, level = config.session.mode.kind, config.session.level
    assert [h.word for h in config.table.help(["deny"], "", mode, level)] == ["PROTOCOL"]
    config("exit")
    config("ip access-list standard 5")
    mode = config.session.mode.kind
    assert [h.word for h in config.table.help(["permit"], "", mode, level)] == ["SOURCE"]
