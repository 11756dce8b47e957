"""The syslog client's message and choices, received on a plain UDP socket (the end-to-end
test has rsyslog): RFC 3164 as a ProCurve writes it, the severity threshold, the facility read
when the message leaves, and a host removed from the config gets nothing more."""

from __future__ import annotations

import calendar
import ipaddress
import socket
import time
from collections.abc import Iterator

import pytest

from emulator.config.model import SwitchConfig, SyslogHost
from emulator.events import Event, Severity
from emulator.syslog import SyslogClient, message, wanted

WHEN = float(calendar.timegm((2031, 7, 4, 3, 4, 5, 0, 0, 0)))


def event(severity: Severity = Severity.INFO) -> Event:
    return Event(WHEN, severity, "ports", "port A1 is now on-line")


def test_message_is_rfc3164_with_the_event_log_id() -> None:
    assert message(event(), "local5", time.gmtime, "10.0.0.5") == (
        b"<174>Jul  4 03:04:05 10.0.0.5 00076 ports: port A1 is now on-line")
    assert message(event(Severity.MAJOR), "user", time.gmtime, "10.0.0.5").startswith(b"<10>")


@pytest.mark.parametrize(("threshold", "sent"), [
    ("debug", {"M", "E", "W", "I", "D"}), ("info", {"M", "E", "W", "I"}),
    ("warning", {"M", "E", "W"}), ("major", {"M"})])
def test_severity_threshold(threshold: str, sent: set[str]) -> None:
    assert {s.value for s in Severity if wanted(event(s), threshold)} == sent


@pytest.fixture
def receiver() -> Iterator[socket.socket]:
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    sock.settimeout(2)
    try:
        yield sock
    finally:
        sock.close()


def test_sent_to_configured_hosts_only(receiver: socket.socket) -> None:
    cfg = SwitchConfig()
    host = SyslogHost(ipaddress.IPv4Address("127.0.0.1"), "udp", receiver.getsockname()[1])
    client = SyslogClient(lambda: cfg, time.gmtime)
    client(event())  # no host yet
    cfg.syslog_hosts.append(host)  # the kernel's free port may lie above the CLI's range
    cfg.set_logging_facility("local0")
    client(event())
    assert receiver.recv(2048) == (
        b"<134>Jul  4 03:04:05 127.0.0.1 00076 ports: port A1 is now on-line")
    cfg.set_logging_severity("warning")
    client(event(Severity.INFO))
    client(event(Severity.WARNING))
    assert receiver.recv(2048).startswith(b"<132>")
    cfg.syslog_host_remove(host.address)
    client(event(Severity.MAJOR))
    assert client.udp == {}
    receiver.settimeout(0.2)
    with pytest.raises(TimeoutError):
        receiver.recv(2048)
