"""The snmpv3 commands: users and groups in the config, keys in the security files, the
enable dialogue and `show snmpv3 user`."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from emulator.config.model import Snmpv3Group
from emulator.device import Device
from snmp.crypto import AUTH
from snmp.users import USERS_FILE, Store, engine_id
from tests.emulator.replaying import replay_text

if TYPE_CHECKING:
    from conftest import Cli



def test_users_keys_and_config_lines(config: Cli, device: Device) -> None:
    assert config("snmpv3 user mon auth sha authpass1 priv aes privpass1") == ""
    assert config("snmpv3 user legacy auth md5 authpass2") == ""
    assert config("snmpv3 user open") == ""
    assert config("snmpv3 group managerpriv user mon sec-model ver3") == ""
    assert config("snmpv3 group OperatorAuth user legacy sec-model ver3") == ""
    stored = Store.read(device.flash).users
    assert stored["mon"].auth_key == AUTH["sha"].key("authpass1", engine_id(device.inventory))
    assert (stored["legacy"].auth, stored["legacy"].priv, stored["open"].auth) == \
        ("md5", None, None)
    text = config("show running-config")
    assert "authpass1" not in text and "privpass1" not in text
    lines = text.splitlines()
    start = lines.index('snmpv3 user "mon"')
    assert lines[start:start + 5] == [
        'snmpv3 user "mon"', 'snmpv3 user "legacy"', 'snmpv3 user "open"',
        'snmpv3 group ManagerPriv user "mon" sec-model ver3',
        'snmpv3 group OperatorAuth user "legacy" sec-model ver3',
    ]
    assert replay_text(text, device.inventory).config.snmpv3 == device.running.snmpv3
    assert config("show snmpv3 user").splitlines() == [
        "",
        " Status and Counters - SNMPv3 Global Configuration Information",
        "",
        "  User Name        Auth. Protocol   Privacy Protocol",
        "  ---------------- ---------------- -----------------",
        "  mon              SHA              CFB AES-128",
        "  legacy           MD5              None",
        "  open             None             None",
    ]


def test_removing_users_and_groups(config: Cli, device: Device) -> None:
    config("snmpv3 user mon auth sha authpass1")
    config("snmpv3 group managerauth user mon sec-model ver3")
    assert config("no snmpv3 group operatorauth user mon sec-model ver3") == ""
    assert device.running.snmpv3.groups == {"mon": Snmpv3Group.MANAGER_AUTH}
    assert config("no snmpv3 user mon") == ""
    assert device.running.snmpv3.users == [] and device.running.snmpv3.groups == {}
    assert "mon" not in Store.read(device.flash).users


def test_refusals(config: Cli, device: Device) -> None:
    assert config("snmpv3 user mon auth sha short") == "Password must be 6 to 32 characters."
    assert config("snmpv3 user mon auth sha3 authpass1").startswith("Invalid input")
    assert config("snmpv3 group admins user mon sec-model ver3").startswith("Invalid input")
    assert device.running.snmpv3.users == []
    assert device.flash.read_security(USERS_FILE) is None


def test_enable_dialogue(config: Cli, device: Device, monkeypatch: pytest.MonkeyPatch) -> None:
    answers = iter(["md5pass1", "despass1", "ops", "shapass1", "despass2"])
    questions: list[str] = []

    async def ask(prompt: str, *, echo: bool = True) -> str:
        questions.append(prompt.strip())
        return next(answers)

    async def confirm(question: str) -> bool:
        questions.append(question.strip())
        return "SHA" in question

    monkeypatch.setattr(config.session, "ask", ask)
    monkeypatch.setattr(config.session, "confirm", confirm)
    out = config("snmpv3 enable")
    assert out.startswith("SNMPv3 Initialization process.\r\nCreating user 'initial'")
    assert "SNMPv3 is now functional." in out
    assert questions[:3] == ["Enter authentication password:", "Enter privacy password:",
                             "Would you like to create a user that uses SHA? [y/n]"]
    v3 = device.running.snmpv3
    assert (v3.enabled, v3.restricted_access, v3.users) == (True, False, ["initial", "ops"])
    assert v3.groups == {"initial": Snmpv3Group.MANAGER_PRIV, "ops": Snmpv3Group.MANAGER_PRIV}
    stored = Store.read(device.flash).users
    assert (stored["initial"].auth, stored["initial"].priv) == ("md5", "des")
    assert (stored["ops"].auth, stored["ops"].priv) == ("sha", "des")
    assert config("snmpv3 enable") == ""  # already enabled: no second dialogue
    assert config("no snmpv3 enable") == ""
    assert not v3.enabled and v3.users == ["initial", "ops"]


def test_restricted_access_and_only(config: Cli, device: Device) -> None:
    config("snmpv3 restricted-access")
    config("snmpv3 only")
    assert [
        line for line in config("show running-config").splitlines()
        if line.startswith("snmpv3")] == ["snmpv3 restricted-access", "snmpv3 only"]
    config("no snmpv3 only")
    assert not device.running.snmpv3.only and device.running.snmpv3.restricted_access
