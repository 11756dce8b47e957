"""Free text typed at the CLI is either refused or kept exactly as typed, through the saved
config and the next boot's parse: every statement family that carries a user string."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from emulator.cli.context import CONFIG
from emulator.config.model import SwitchConfig
from emulator.config.render import render_config
from emulator.config.text import tokenize
from emulator.device import Device
from tests.emulator.replaying import replay_text

if TYPE_CHECKING:
    from conftest import Cli

Getter = Callable[[SwitchConfig], object]

FAMILIES: dict[str, tuple[str, Getter]] = {
    "hostname": ("hostname {}", lambda c: c.hostname),
    "port name": ("interface A1 name {}",  # an empty name is no name, as `no name`
                  lambda c: c.interfaces["A1"].name if "A1" in c.interfaces else ""),
    "vlan name": ("vlan 10 name {}", lambda c: c.vlans[10].name),
    "community": ("snmp-server community {} manager restricted",
                  lambda c: c.communities[-1].name),
    "contact": ("snmp-server contact {}", lambda c: c.snmp_contact),
    "location": ("snmp-server location {}", lambda c: c.snmp_location),
    "trap community": ("snmp-server host 10.0.0.1 community {}",
                       lambda c: c.trap_receivers[0].community),
    "snmpv3 user": ("snmpv3 user {}", lambda c: c.snmpv3.users[-1]),
    "snmpv3 group": ("snmpv3 group managerpriv user {} sec-model ver3",
                     lambda c: next(iter(c.snmpv3.groups))),
    "snmpv3 params": ("snmpv3 params {} user lab sec-model ver3 message-processing ver3 priv",
                      lambda c: next(iter(c.snmpv3.params))),
    "snmpv3 params user": ("snmpv3 params lab user {} sec-model ver3 message-processing ver3",
                           lambda c: c.snmpv3.params["lab"].user),
    "snmpv3 target": ("snmpv3 targetaddress {} params lab 10.0.0.2",
                      lambda c: next(iter(c.snmpv3.targets))),
    "snmpv3 target params": ("snmpv3 targetaddress lab params {} 10.0.0.2",
                             lambda c: c.snmpv3.targets["lab"].params),
    "snmpv3 notify": ("snmpv3 notify {} tagvalue lab", lambda c: next(iter(c.snmpv3.notifies))),
    "snmpv3 notify tag": ("snmpv3 notify lab tagvalue {}", lambda c: c.snmpv3.notifies["lab"].tag),
}

TEXT = st.text(
    alphabet=st.characters(min_codepoint=32, max_codepoint=126)
    | st.sampled_from(['"', "\t", "\x1b", "\x7f", "é"]),
    min_size=1, max_size=40,
)
"""Anything a user can type, weighted towards the quote (the config's only delimiter)."""
TYPED = st.one_of(TEXT, TEXT.map(lambda t: f'"{t}"'), TEXT.map(lambda t: f'"{t}'))
"""As typed on the line: bare, quoted, or quoted with the closing quote left out."""



def _saved_and_booted(device: Device) -> SwitchConfig:
    """What the next boot runs after `write memory` of the running config."""
    result = replay_text(render_config(device.running), device.inventory)
    assert result.errors == []
    return result.config


@pytest.mark.parametrize("family", sorted(FAMILIES))
@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(typed=TYPED)
def test_free_text_is_refused_or_survives_the_saved_config(
        config: Cli, device: Device, family: str, typed: str) -> None:
    template, stored = FAMILIES[family]
    device.running.vlan_create(10)  # `vlan 10 name x` makes it before the name is refused
    before = device.running.copy()
    line = template.format(typed)
    try:
        answer = config(line)
        if answer:
            assert _value(stored, device.running) == _value(stored, before), \
                f"{line!r} was refused ({answer}) but changed the setting"
        else:
            word = tokenize(line)[len(tokenize(template.partition("{}")[0]))]
            assert stored(device.running) == word
        assert _saved_and_booted(device) == device.running
    finally:
        device.running = before
        config.session.enter(CONFIG)


def _value(stored: Getter, cfg: SwitchConfig) -> object:
    """The family's setting; None where it is not there at all."""
    try:
        return stored(cfg)
    except (KeyError, IndexError, StopIteration):
        return None


@pytest.mark.parametrize(("line", "token"), [
    ('snmp-server community ro""unrestricted manager restricted', 'ro""unrestricted'),
    ('hostname ab"cd', 'ab"cd'),
    ('hostname "core"1', '"core"1'),
    ('interface A1 name "up"link"', '"up"link"'),
    ('vlan 10 name a"b', 'a"b'),
    ('snmp-server contact "noc"@example"', '"noc"@example"'),
    ('snmp-server location "rack\x1b[2J"', "rack\x1b[2J"),
    ('snmpv3 user a"b', 'a"b'),
])
def test_a_quote_inside_a_name_is_invalid_input(config: Cli, device: Device, line: str,
                                                token: str) -> None:
    """`write memory` has no way to write such a name, so the switch refuses it where it is
    typed, naming the word (as the K.15 manuals call `"abc"d` invalid)."""
    device.running.vlan_create(10)
    before = render_config(device.running)
    assert config(line) == f"Invalid input: {token}"
    assert render_config(device.running) == before


def test_the_issue_case_stays_read_only(config: Cli, device: Device) -> None:
    """The line of the report: it must never boot as a read-write community "ro"."""
    config('snmp-server community ro""unrestricted manager restricted')
    assert [c.name for c in _saved_and_booted(device).communities] == ["public"]


def test_names_with_blanks_and_punctuation_survive(config: Cli, device: Device) -> None:
    for line in ['hostname "core 1; (lab)"', 'vlan 10 name "a  b"', "snmp-server contact "
                 "'noc@example.com'", 'snmp-server community "lab net" operator unrestricted']:
        assert config(line) == ""
        config.session.enter(CONFIG)
    booted = _saved_and_booted(device)
    assert booted == device.running
    assert booted.hostname == "core 1; (lab)" and booted.vlans[10].name == "a  b"
    assert booted.snmp_contact == "'noc@example.com'"
    assert booted.communities[-1].name == "lab net"
