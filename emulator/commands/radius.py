"""`radius-server host ADDR [auth-port N] [acct-port N] [key KEY]`, `radius-server
key|timeout|retransmit|dead-time`, and `show radius [host ADDR]` (K.15 Access Security
Guide, "RADIUS Authentication, Authorization, and Accounting"), and the counters per server
`show radius authentication|accounting`. The client is
emulator/aaa/radius.py; its counters per server are what `show radius host` prints."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Final

from emulator.aaa.radius import Counters
from emulator.cli.grammar import CliError, Command, IntRange, IpAddress, Level, Text, Where
from emulator.commands.format import SHOW_HELP, Fields
from emulator.config.aaa import (
    KEY_MAX,
    RADIUS_ACCT_PORT,
    RADIUS_AUTH_PORT,
    RADIUS_DEAD_TIME,
    RADIUS_RETRANSMIT,
    RADIUS_TIMEOUT,
    RadiusServer,
)

if TYPE_CHECKING:
    from emulator.cli.context import Call

NOT_CONFIGURED: Final = "{address} is not a configured RADIUS server."
"""[inferred] `show radius host` of an address no `radius-server host` names."""


def set_host(call: Call) -> None:
    server = RadiusServer(call.address("ip-addr"), call.number("auth-port", RADIUS_AUTH_PORT),
                          call.number("acct-port", RADIUS_ACCT_PORT), call.text("key-string", ""))
    try:
        call.device.running.aaa.radius_host_set(server)
    except ValueError as exc:
        raise CliError(str(exc)) from exc


def clear_host(call: Call) -> None:
    call.device.running.aaa.radius_host_remove(call.address("ip-addr"))


def set_key(call: Call) -> None:
    call.device.running.aaa.radius_key = "" if call.negated else call.text("key-string")


def set_timeout(call: Call) -> None:
    call.device.running.aaa.radius_timeout = call.number("seconds", RADIUS_TIMEOUT[2])


def set_retransmit(call: Call) -> None:
    call.device.running.aaa.radius_retransmit = call.number("count", RADIUS_RETRANSMIT[2])


def set_dead_time(call: Call) -> None:
    call.device.running.aaa.radius_dead_time = None if call.negated else call.number("minutes")


def show_radius(call: Call) -> str:
    aaa = call.device.running.aaa
    lines = ["", " Status and Counters - General RADIUS Information", "",
             f"  Deadtime(min) : {aaa.radius_dead_time or 0}",
             f"  Timeout(secs) : {aaa.radius_timeout}",
             f"  Retransmit Attempts : {aaa.radius_retransmit}",
             f"  Global Encryption Key : {aaa.radius_key}",
             "  Dynamic Authorization UDP Port : 3799", "",
             "                  Auth  Acct",
             "  Server IP Addr  Port  Port  Encryption Key",
             "  --------------- ----- ----- --------------------------------"]
    lines += [f"  {s.address!s:<15} {s.auth_port:<5} {s.acct_port:<5} {s.key}".rstrip()
              for s in aaa.radius_hosts]
    return "\n".join(lines) + "\n"


def show_host(call: Call) -> str:
    address = call.address("ip-addr")
    server = next((s for s in call.device.running.aaa.radius_hosts if s.address == address),
                  None)
    if server is None:
        raise CliError(NOT_CONFIGURED.format(address=address))
    c = call.device.radius_counters.get(str(address), Counters())
    f = Fields(indent=2, width=23, right_at=35, right_value_width=0)
    pairs = [
        (("Authentication UDP Port", str(server.auth_port)),
         ("Accounting UDP Port", str(server.acct_port))),
        (("Round Trip Time", str(c.round_trip)), ("Round Trip Time", str(c.round_trip))),
        (("Pending Requests", "0"), ("Pending Requests", "0")),
        (("Retransmissions", str(c.retransmissions)), ("Retransmissions", "0")),
        (("Timeouts", str(c.timeouts)), ("Timeouts", "0")),
        (("Malformed Responses", str(c.malformed)), ("Malformed Responses", "0")),
        (("Bad Authenticators", str(c.bad_authenticators)), ("Bad Authenticators", "0")),
        (("Unknown Types", str(c.unknown_types)), ("Unknown Types", "0")),
        (("Packets Dropped", str(c.dropped)), ("Packets Dropped", "0")),
        (("Access Requests", str(c.requests)),
         ("Accounting Requests", str(c.acct_requests))),
        (("Access Challenges", str(c.challenges)),
         ("Accounting Responses", str(c.acct_responses))),
    ]
    lines = ["", " Status and Counters - RADIUS Server Information", "",
             f"  Server IP Addr : {address}", ""]
    lines += [f.line(left[0], left[1], right) for left, right in pairs]
    lines += [f.line("Access Accepts", str(c.accepts)), f.line("Access Rejects", str(c.rejects))]
    return "\n".join(lines) + "\n"


def _counter_table(call: Call, title: str, heads: list[str],
                   values: Callable[[RadiusServer, Counters], list[int]],
                   port: Callable[[RadiusServer], int]) -> str:
    """`show radius authentication|accounting`: per server, its counters in columns."""
    device = call.device
    lines = ["", f" Status and Counters - RADIUS {title} Information", "",
             f"  NAS Identifier           : {device.running.hostname}",
             "  Invalid Server Addresses : 0", "",
             "                  UDP",
             "  Server IP Addr  Port    " + " ".join(f"{h:<10}" for h in heads).rstrip(),
             "  --------------- ------- " + " ".join("-" * 10 for _ in heads)]
    for server in device.running.aaa.radius_hosts:
        counts = device.radius_counters.get(str(server.address), Counters())
        cells = " ".join(f"{v:<10}" for v in values(server, counts)).rstrip()
        lines.append(f"  {server.address!s:<15} {port(server):<7} {cells}")
    return "\n".join(lines) + "\n"


def show_authentication(call: Call) -> str:
    return _counter_table(
        call, "Authentication", ["Timeouts", "Requests", "Challenges", "Accepts", "Rejects"],
        lambda s, c: [c.timeouts, c.requests, c.challenges, c.accepts, c.rejects],
        lambda s: s.auth_port)


def show_accounting(call: Call) -> str:
    return _counter_table(
        call, "Accounting", ["Timeouts", "Requests", "Responses"],
        lambda s, c: [0, c.acct_requests, c.acct_responses], lambda s: s.acct_port)


HELP: Final = {
    "show": SHOW_HELP,
    "radius-server": "Configure RADIUS servers.",
    "radius": "Display RADIUS information.",
    "host": "A RADIUS server.",
    "ip-addr": "The server's IP address.",
    "auth-port": "The server's authentication port (1812 by default).",
    "acct-port": "The server's accounting port (1813 by default).",
    "key": "The secret shared with the server.",
    "key-string": "The shared secret.",
    "timeout": "Seconds to wait for a server's answer.",
    "retransmit": "Times a request is sent again before the next server.",
    "dead-time": "Minutes a server that did not answer is skipped.",
}

PORT: Final = IntRange(1, 65535)
KEY: Final = Text("KEY-STRING", KEY_MAX)

ROWS: Final = (
    Command("radius-server host <ip-addr> [auth-port <auth-port>] [acct-port <acct-port>] "
            "[key <key-string>]", set_host, where=Where.CONFIG, level=Level.MANAGER,
            params={"ip-addr": IpAddress(), "auth-port": PORT, "acct-port": PORT,
                    "key-string": KEY}),
    Command("radius-server host <ip-addr>", None, where=Where.CONFIG, level=Level.MANAGER,
            params={"ip-addr": IpAddress()}, negate=clear_host),
    Command("radius-server key <key-string>", set_key, where=Where.CONFIG, level=Level.MANAGER,
            params={"key-string": KEY}),
    Command("radius-server key", None, where=Where.CONFIG, level=Level.MANAGER,
            negate=set_key),
    Command("radius-server timeout <seconds>", set_timeout, where=Where.CONFIG,
            level=Level.MANAGER, params={"seconds": IntRange(*RADIUS_TIMEOUT[:2])}),
    Command("radius-server timeout", None, where=Where.CONFIG, level=Level.MANAGER,
            negate=set_timeout),
    Command("radius-server retransmit <count>", set_retransmit, where=Where.CONFIG,
            level=Level.MANAGER, params={"count": IntRange(*RADIUS_RETRANSMIT[:2])}),
    Command("radius-server retransmit", None, where=Where.CONFIG, level=Level.MANAGER,
            negate=set_retransmit),
    Command("radius-server dead-time <minutes>", set_dead_time, where=Where.CONFIG,
            level=Level.MANAGER, params={"minutes": IntRange(*RADIUS_DEAD_TIME)}),
    Command("radius-server dead-time", None, where=Where.CONFIG, level=Level.MANAGER,
            negate=set_dead_time),
    Command("show radius", show_radius, level=Level.MANAGER),
    Command("show radius host <ip-addr>", show_host, level=Level.MANAGER,
            params={"ip-addr": IpAddress()}),
    Command("show radius authentication", show_authentication, level=Level.MANAGER,
            help={"authentication": "Display RADIUS authentication statistics."}),
    Command("show radius accounting", show_accounting, level=Level.MANAGER,
            help={"accounting": "Display RADIUS accounting statistics."}),
)
