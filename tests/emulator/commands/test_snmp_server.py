"""show snmp-server and the snmp-server config commands."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from emulator.cli.context import CONFIG
from emulator.config.model import Community, CommunityAccess
from emulator.device import Device

if TYPE_CHECKING:
    from conftest import Cli


@pytest.fixture
def config(cli: Cli) -> Cli:
    cli.session.enter(CONFIG)
    return cli


def test_communities(config: Cli, device: Device) -> None:
    assert config("snmp-server community lab") == ""
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
