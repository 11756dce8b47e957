"""`tacacs-server host ADDR [key KEY]`, `tacacs-server key|timeout`, and `show tacacs` (K.15
Access Security Guide, "TACACS+ Authentication"). The client is emulator/aaa/tacacs.py; its
counters per server are what `show tacacs` prints."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from emulator.aaa.tacacs import Counters
from emulator.cli.grammar import CliError, Command, IntRange, IpAddress, Level, Text, Where
from emulator.commands.format import SHOW_HELP
from emulator.config.aaa import KEY_MAX, TACACS_TIMEOUT, TacacsServer

if TYPE_CHECKING:
    from emulator.cli.context import Call


def set_host(call: Call) -> None:
    try:
        call.device.running.aaa.tacacs_host_set(
            TacacsServer(call.address("ip-addr"), call.text("key-string", "")))
    except ValueError as exc:
        raise CliError(str(exc)) from exc


def clear_host(call: Call) -> None:
    call.device.running.aaa.tacacs_host_remove(call.address("ip-addr"))


def set_key(call: Call) -> None:
    call.device.running.aaa.tacacs_key = "" if call.negated else call.text("key-string")


def set_timeout(call: Call) -> None:
    call.device.running.aaa.tacacs_timeout = call.number("seconds", TACACS_TIMEOUT[2])


def show_tacacs(call: Call) -> str:
    """The first server is the one asked first (`(first)` in the list)."""
    device = call.device
    aaa = device.running.aaa
    lines = ["", " Status and Counters - TACACS Information", "",
             f"  Timeout : {aaa.tacacs_timeout}",
             f"  Encryption Key : {aaa.tacacs_key}", "",
             "  Server IP Addr  Opens      Closes     Aborts     Errors     Pkts Rx    Pkts Tx",
             "  --------------- ---------- ---------- ---------- ---------- ---------- ----------"]
    for server in aaa.tacacs_hosts:
        c = device.tacacs_counters.get(str(server.address), Counters())
        lines.append(f"  {server.address!s:<15} {c.opens:<10} {c.closes:<10} {c.aborts:<10} "
                     f"{c.errors:<10} {c.packets_in:<10} {c.packets_out}")
    return "\n".join(lines) + "\n"


HELP: Final = {
    "show": SHOW_HELP,
    "tacacs-server": "Configure TACACS+ servers.",
    "tacacs": "Display TACACS+ information.",
    "host": "A TACACS+ server.",
    "ip-addr": "The server's IP address.",
    "key": "The secret shared with the server.",
    "key-string": "The shared secret.",
    "timeout": "Seconds to wait for a server's answer.",
}

KEY: Final = Text("KEY-STRING", KEY_MAX)

ROWS: Final = (
    Command("tacacs-server host <ip-addr> [key <key-string>]", set_host, where=Where.CONFIG,
            level=Level.MANAGER, params={"ip-addr": IpAddress(), "key-string": KEY}),
    Command("tacacs-server host <ip-addr>", None, where=Where.CONFIG, level=Level.MANAGER,
            params={"ip-addr": IpAddress()}, negate=clear_host),
    Command("tacacs-server key <key-string>", set_key, where=Where.CONFIG, level=Level.MANAGER,
            params={"key-string": KEY}),
    Command("tacacs-server key", None, where=Where.CONFIG, level=Level.MANAGER,
            negate=set_key),
    Command("tacacs-server timeout <seconds>", set_timeout, where=Where.CONFIG,
            level=Level.MANAGER, params={"seconds": IntRange(*TACACS_TIMEOUT[:2])}),
    Command("tacacs-server timeout", None, where=Where.CONFIG, level=Level.MANAGER,
            negate=set_timeout),
    Command("show tacacs", show_tacacs, level=Level.MANAGER),
)
