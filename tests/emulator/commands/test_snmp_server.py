"""show snmp-server and the snmp-server config commands."""

from __future__ import annotations

from typing import TYPE_CHECKING

from emulator.config.model import Community, CommunityAccess
from emulator.device import Device
from tests.emulator.replaying import replay_text

if TYPE_CHECKING:
    from conftest import Cli



def test_communities(config: Cli, device: Device) -> None:
    assert config("snmp-server community lab operator") == ""
    assert config("snmp-server community rw manager unrestricted") == ""
    assert device.running.communities == [
        Community("public", CommunityAccess.MANAGER, restricted=False),
        Community("lab", CommunityAccess.OPERATOR, restricted=True),
        Community("rw", CommunityAccess.MANAGER, restricted=False),
    ]
    lines = config("show snmp-server").split("\n")
    assert lines[1:8] == [
        " SNMP Communities",
        "",
        "  Community Name       MIB View Write Access",
        "  -------------------- -------- ------------",
        "  public               Manager  Unrestricted",
        "  lab                  Operator Restricted",
        "  rw                   Manager  Unrestricted",
    ]
    assert config("no snmp-server community public") == ""
    assert [c.name for c in device.running.communities] == ["lab", "rw"]
    assert config(f"snmp-server community {'x' * 33}") == "String too long. Maximum length is 32."


def test_contact_and_location(config: Cli, device: Device) -> None:
    assert config('snmp-server contact "NOC desk"') == ""
    assert config("snmp-server location DC2") == ""
    assert (device.running.snmp_contact, device.running.snmp_location) == ("NOC desk", "DC2")
    assert "  System Contact     : NOC desk" in config("show system")


def test_show_snmp_server_sections(cli: Cli) -> None:
    text = cli("show snmp-server")
    for title in (" Trap Receivers", " Excluded MIBs", " Trap Pdu Source-IP Information"):
        assert title in text.split("\n")
    assert "  SNMP Authentication           : Extended" in text


def test_trap_receivers_and_authentication_traps(config: Cli, device: Device) -> None:
    assert config("snmp-server host 10.0.0.9 community traps") == ""
    assert config("snmp-server host 10.0.0.8 community ops inform") == ""
    assert config("snmp-server enable traps authentication") == ""
    assert [(str(r.address), r.community, r.inform) for r in device.running.trap_receivers] == [
        ("10.0.0.9", "traps", False), ("10.0.0.8", "ops", True)]
    assert device.running.snmp_auth_traps
    text = device.running_text()
    assert 'snmp-server host 10.0.0.9 community "traps"\n' in text
    assert 'snmp-server host 10.0.0.8 community "ops" inform\n' in text
    assert "snmp-server enable traps authentication\n" in text
    reparsed = replay_text(text, device.inventory)
    assert reparsed.errors == []
    assert reparsed.config.trap_receivers == device.running.trap_receivers
    assert reparsed.config.snmp_auth_traps
    assert "  10.0.0.9               traps                  None     trap   3       15" in config(
        "show snmp-server").split("\n")
    assert config("no snmp-server host 10.0.0.9") == ""
    assert config("no snmp-server enable traps authentication") == ""
    assert [str(r.address) for r in device.running.trap_receivers] == ["10.0.0.8"]
    assert not device.running.snmp_auth_traps
