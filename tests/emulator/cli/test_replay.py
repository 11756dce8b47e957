"""The startup config replayed through the CLI's command table (emulator/cli/replay.py): what
only a file says (comments, `exit`), what a file may not say (exec commands), and the lines a
file holds that the CLI answers with its own errors."""

from __future__ import annotations

from emulator.device import LineError
from emulator.hardware import Inventory
from tests.emulator.replaying import fresh_device, replay_on, replay_text


def test_header_comments_and_exit_close_contexts() -> None:
    text = ("; J8697A Configuration Editor; Created on release #K.15.16.0008\n"
            "   ; Ver #06:17.ff.3f.ef:e7\n"
            "vlan 10\n   name \"users\"\n   exit\n"
            "exit\n"  # at the global level: harmless, the replay stays in config
            "name \"stray\"\n"
            "hostname \"after\"\n")
    result = replay_text(text, Inventory())
    assert result.errors == [LineError(7, 'name "stray"', "Invalid input: name")]
    assert result.config.vlans[10].name == "users"
    assert result.config.hostname == "after"


def test_exec_commands_in_a_file_are_refused_and_change_nothing() -> None:
    """`erase startup-config` or `write memory` in a config must not touch flash at boot."""
    device = fresh_device(Inventory())
    device.flash.write_startup("hostname \"kept\"\n")
    text = "erase startup-config\nwrite memory\nshow vlans\nreload\nhostname \"new\"\n"
    result = replay_on(device, text)
    assert [(e.lineno, e.message) for e in result.errors] == [
        (1, "Invalid input: erase"), (2, "Invalid input: write"), (3, "Invalid input: show"),
        (4, "Invalid input: reload")]
    assert device.flash.read_startup() == "hostname \"kept\"\n"
    assert result.config.hostname == "new"


def test_a_refused_context_skips_its_body_quietly_and_global_lines_still_apply() -> None:
    text = ("interface C1\n   name \"lost\"\n   snmp-server contact \"NOC\"\n   disable\n"
            "   bogus\n   exit\n")
    result = replay_text(text, Inventory())
    assert [(e.lineno, e.message) for e in result.errors] == [
        (1, "Module not present for port or invalid port: C1"), (5, "Invalid input: bogus")]
    assert result.config.snmp_contact == "NOC"


def test_password_and_snmpv3_user_lines_state_what_flash_holds() -> None:
    """Nobody answers a question at boot: `password manager` records that the security files
    hold one, and `snmpv3 user "x"` keeps the user's stored keys."""
    result = replay_text('password manager\nsnmpv3 user "mon"\n', Inventory())
    assert result.errors == []
    assert result.config.passwords == {"manager"}
    assert "mon" in result.config.snmpv3.users


def test_unicode_digits_are_invalid_input_in_the_file_and_at_the_prompt() -> None:
    result = replay_text("vlan ٣\nmac-age-time ²\n", Inventory())
    assert [e.message for e in result.errors] == ["Invalid input: ٣", "Invalid input: ²"]
    assert sorted(result.config.vlans) == [1]
