"""Syslog: `logging ADDR [udp|tcp [PORT]]`, `logging severity`, `logging facility`, and
`show logging`, the event log under its full name (`show log` is its abbreviation on the
switch). The client that sends the events is emulator/syslog.py."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from emulator.cli.grammar import Command, IntRange, IpAddress, Level, ParamType, Text, Where
from emulator.commands.format import SHOW_HELP, refused
from emulator.commands.show_session import show_log_search
from emulator.config.model import (
    LOGGING_FACILITIES,
    LOGGING_SEVERITIES,
    SYSLOG_PORT_RANGE,
    SYSLOG_TRANSPORTS,
    SyslogHost,
)

if TYPE_CHECKING:
    from emulator.cli.context import Call


def set_host(call: Call) -> None:
    transport = call.text("transport", "udp")
    port = call.number("port-number", SYSLOG_TRANSPORTS[transport])
    with refused():
        call.device.running.syslog_host_set(
            SyslogHost(call.address("syslog-ip-addr"), transport, port))


def clear_host(call: Call) -> None:
    call.device.running.syslog_host_remove(call.address("syslog-ip-addr"))


def clear_hosts(call: Call) -> None:
    call.device.running.syslog_host_remove(None)


def set_severity(call: Call) -> None:
    with refused():
        call.device.running.set_logging_severity(call.text("severity"))


def clear_severity(call: Call) -> None:
    call.device.running.set_logging_severity(LOGGING_SEVERITIES[-1])


def set_facility(call: Call) -> None:
    with refused():
        call.device.running.set_logging_facility(call.text("facility"))


def clear_facility(call: Call) -> None:
    call.device.running.set_logging_facility(LOGGING_FACILITIES[0])


def show_logging(call: Call) -> str:
    return call.device.events.render(newest_first="-r" in call.words)


HELP: Final = {
    "show": SHOW_HELP,
    "logging": "Configure syslog server or event logging settings.",
    "syslog-ip-addr": "The IP address of a syslog server.",
    "udp": "Send syslog messages over UDP (port 514 by default).",
    "tcp": "Send syslog messages over TCP (port 1470 by default).",
    "port-number": "The syslog server's port.",
    "severity": "Send only events of this severity or more severe.",
    "facility": "The syslog facility the messages carry.",
    "-a": "Display all recorded log events.",
    "-r": "Show the events in reverse order (most recent first).",
}

PORT: Final = IntRange(*SYSLOG_PORT_RANGE)
SEVERITIES: Final = "|".join(LOGGING_SEVERITIES)
FACILITIES: Final = "|".join(LOGGING_FACILITIES)
HOST: Final[dict[str, ParamType]] = {"syslog-ip-addr": IpAddress(), "port-number": PORT}

ROWS: Final = (
    Command("logging <syslog-ip-addr> [{transport: udp|tcp} [<port-number>]]", set_host,
            where=Where.CONFIG, level=Level.MANAGER, params=HOST, negate=clear_host),
    Command("logging", None, where=Where.CONFIG, level=Level.MANAGER, negate=clear_hosts),
    Command(f"logging severity {{severity: {SEVERITIES}}}", set_severity, where=Where.CONFIG,
            level=Level.MANAGER, negate=clear_severity),
    Command("logging severity", None, where=Where.CONFIG, level=Level.MANAGER,
            negate=clear_severity),
    Command(f"logging facility {{facility: {FACILITIES}}}", set_facility, where=Where.CONFIG,
            level=Level.MANAGER, negate=clear_facility),
    Command("logging facility", None, where=Where.CONFIG, level=Level.MANAGER,
            negate=clear_facility),
    Command("show logging [-r]", show_logging),
    Command("show logging -a [-r] [<search-text>]", show_log_search,
            params={"search-text": Text()}),
    Command("show logging [-r] <search-text>", show_log_search, params={"search-text": Text()}),
)
