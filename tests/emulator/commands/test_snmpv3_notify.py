"""The SNMPv3 notification entries (`snmpv3 params`, `snmpv3 targetaddress`, `snmpv3 notify`):
the CLI's forms and refusals, the config lines they write and read back, and
`show snmpv3 targetaddress`."""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING

import pytest

from emulator.config.model import Snmpv3Level, Snmpv3Notify, Snmpv3Params, Snmpv3Target
from emulator.device import Device
from tests.emulator.replaying import replay_text

if TYPE_CHECKING:
    from conftest import Cli

LINES = [
    'snmpv3 notify "inf" tagvalue "nms" type inform',
    'snmpv3 notify "plain" tagvalue "logs"',
    'snmpv3 targetaddress "nms1" params "secure" 10.0.0.5 taglist "nms"',
    'snmpv3 targetaddress "nms2" params "signed" 10.0.0.6 retries 1 taglist "nms logs" '
    "timeout 300 udp-port 1162",
    'snmpv3 params "secure" user "mon" sec-model ver3 message-processing ver3 priv',
    'snmpv3 params "signed" user "mon" sec-model ver3 message-processing ver3 auth',
]



def test_entries_written_and_read_back(config: Cli, device: Device) -> None:
    for line in ("snmpv3 notify inf tagvalue nms type inform",
                 "snmpv3 notify plain tagvalue logs type trap",
                 "snmpv3 targetaddress nms1 params secure 10.0.0.5 taglist nms",
                 'snmpv3 targetaddress nms2 params signed 10.0.0.6 retries 1 taglist "nms logs" '
                 "timeout 300 udp-port 1162",
                 "snmpv3 params secure user mon sec-model ver3 message-processing ver3 priv",
                 "snmpv3 params signed user mon sec-model ver3 message-processing ver3 auth"):
        assert config(line) == "", line
    v3 = device.running.snmpv3
    assert v3.notifies == {"inf": Snmpv3Notify("nms", inform=True),
                           "plain": Snmpv3Notify("logs")}
    assert v3.targets["nms2"] == Snmpv3Target(ipaddress.IPv4Address("10.0.0.6"), "signed",
                                              ("nms", "logs"), 1, 300, 1162)
    assert v3.params["secure"] == Snmpv3Params("mon", Snmpv3Level.PRIV)
    text = config("show running-config")
    lines = text.splitlines()
    start = lines.index(LINES[0])
    assert lines[start:start + len(LINES)] == LINES
    assert replay_text(text, device.inventory).config.snmpv3 == v3
    assert config("show snmpv3 targetaddress").splitlines() == [
        "",
        " snmpTargetAddrTable [rfc2573]",
        "",
        "  Target Name      IP Address              Parameter",
        "  ---------------- ----------------------- ----------",
        "  nms1             10.0.0.5                secure",
        "  nms2             10.0.0.6                signed",
    ]


def test_defaults_and_removal(config: Cli, device: Device) -> None:
    config("snmpv3 params p user mon sec-model ver3 message-processing ver3")
    config("snmpv3 targetaddress t params p 10.0.0.5")
    config("snmpv3 notify n tagvalue x")
    v3 = device.running.snmpv3
    assert v3.params["p"].level is Snmpv3Level.NOAUTH
    assert v3.targets["t"] == Snmpv3Target(ipaddress.IPv4Address("10.0.0.5"), "p")
    assert not v3.notifies["n"].inform
    text = config("show running-config")
    assert 'snmpv3 targetaddress "t" params "p" 10.0.0.5\n' in text + "\n"
    assert 'message-processing ver3 noauth' in text
    for line in ("no snmpv3 params p", "no snmpv3 targetaddress t", "no snmpv3 notify n",
                 "no snmpv3 notify absent"):
        assert config(line) == "", line
    assert (v3.params, v3.targets, v3.notifies) == ({}, {}, {})


@pytest.mark.parametrize(("line", "error"), [
    ("snmpv3 notify n tagvalue x type both", "Invalid input: both"),
    ("snmpv3 targetaddress t params p 10.0.0.5 udp-port 0", "Invalid input: 0"),
    ("snmpv3 targetaddress t params p 10.0.0.300", "Invalid input: 10.0.0.300"),
    ("snmpv3 params p user mon sec-model ver2c message-processing ver3", "Invalid input: ver2c"),
    ("snmpv3 params p user mon sec-model ver3 message-processing ver3 secret",
     "Invalid input: secret"),
    ("snmpv3 notify " + "n" * 33 + " tagvalue x", "Invalid input: " + "n" * 33),
])
def test_refusals_change_nothing(config: Cli, device: Device, line: str, error: str) -> None:
    assert config(line) == error
    v3 = device.running.snmpv3
    assert (v3.params, v3.targets, v3.notifies) == ({}, {}, {})


def test_config_file_options_in_any_order_and_bad_lines(device: Device) -> None:
    text = ('snmpv3 targetaddress "t" params "p" 10.0.0.5 udp-port 1162 taglist "a"\n'
            'snmpv3 targetaddress "u" params "p" 10.0.0.5 retries 999\n'
            'snmpv3 notify "n" tagvalue "a" type sometimes\n'
            'snmpv3 params "p" user "mon" sec-model ver3 message-processing ver3 priv extra\n')
    result = replay_text(text, device.inventory)
    assert result.config.snmpv3.targets == {
        "t": Snmpv3Target(ipaddress.IPv4Address("10.0.0.5"), "p", ("a",), udp_port=1162)}
    assert [(e.lineno, e.message) for e in result.errors] == [
        (2, "Invalid input: 999"), (3, "Invalid input: sometimes"), (4, "Invalid input: extra")]
