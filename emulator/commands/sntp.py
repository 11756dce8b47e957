"""SNTP settings and screens: `timesync sntp|timep`, `sntp unicast|broadcast`, `sntp
POLL-INTERVAL`, `sntp server priority N ADDR [VERSION]`, `show sntp` and `show timesync`.
The client that obeys them is emulator/sntp.py."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from emulator.cli.grammar import Command, IntRange, IpAddress, Level, Where
from emulator.commands.format import SHOW_HELP, refused
from emulator.config.model import (
    SNTP_MODES,
    SNTP_POLL_DEFAULT,
    SNTP_POLL_RANGE,
    SNTP_PRIORITIES,
    SNTP_VERSION_DEFAULT,
    SNTP_VERSIONS,
    TIMESYNC_MODES,
    SntpServer,
    SwitchConfig,
)

if TYPE_CHECKING:
    from emulator.cli.context import Call

SERVER_COLUMN: Final = 30
"""Width of `show sntp`'s server address column."""


def set_timesync(call: Call) -> None:
    with refused():
        call.device.running.set_timesync(call.text("protocol"))


def clear_timesync(call: Call) -> None:
    call.device.running.set_timesync(None)


def set_mode(call: Call) -> None:
    with refused():
        call.device.running.set_sntp_mode(call.text("mode"))


def clear_sntp(call: Call) -> None:
    """`no sntp`: SNTP off (its servers stay)."""
    call.device.running.set_sntp_mode(SNTP_MODES[0])


def set_poll(call: Call) -> None:
    with refused():
        call.device.running.set_sntp_poll(call.number("poll-interval"))


def set_server(call: Call) -> None:
    server = SntpServer(call.address("ip-addr"), call.number("version", SNTP_VERSION_DEFAULT))
    with refused():
        call.device.running.sntp_server_set(call.number("priority"), server)


def clear_server(call: Call) -> None:
    with refused():
        call.device.running.sntp_server_set(call.number("priority"), None)


def timesync_word(cfg: SwitchConfig) -> str:
    return "Disabled" if cfg.timesync is None else cfg.timesync.capitalize()


def sntp_lines(cfg: SwitchConfig) -> list[str]:
    """The SNTP block `show sntp` and `show timesync` share."""
    lines = [f"  SNTP Mode : {cfg.sntp_mode.capitalize()}",
             f"  Poll Interval (sec) [{SNTP_POLL_DEFAULT}] : {cfg.sntp_poll}", "", "",
             f"  Priority {'SNTP Server Address':<{SERVER_COLUMN}} Protocol Version",
             f"  -------- {'-' * SERVER_COLUMN} ----------------"]
    lines += [f"  {priority:<8} {server.address!s:<{SERVER_COLUMN}} {server.version}"
              for priority, server in sorted(cfg.sntp_servers.items())]
    return lines


def show_sntp(call: Call) -> str:
    cfg = call.device.running
    return "\n".join(["", " SNTP Configuration", "",
                      f"  Time Sync Mode: {timesync_word(cfg)}", *sntp_lines(cfg)])


def show_timesync(call: Call) -> str:
    cfg = call.device.running
    return "\n".join(["", " Timesync Configuration", "",
                      f"  Time Sync Mode: {timesync_word(cfg)}", *sntp_lines(cfg)])


HELP: Final = {
    "show": SHOW_HELP,
    "timesync": "Select the time synchronization protocol.",
    "sntp": "Configure SNTP (Simple Network Time Protocol).",
    "timep": "Use TimeP to synchronize the clock.",
    "unicast": "Poll the configured SNTP servers.",
    "broadcast": "Listen for SNTP servers' broadcasts.",
    "poll-interval": "Seconds between SNTP polls.",
    "server": "Configure an SNTP server.",
    "priority": "The server's rank: 1 is polled first.",
    "ip-addr": "The SNTP server's IP address.",
    "version": "The server's SNTP protocol version.",
}

PRIORITY: Final = IntRange(*SNTP_PRIORITIES)

ROWS: Final = (
    Command(f"timesync {{protocol: {'|'.join(TIMESYNC_MODES)}}}", set_timesync,
            negate=clear_timesync, where=Where.CONFIG, level=Level.MANAGER),
    Command("timesync", None, negate=clear_timesync, where=Where.CONFIG, level=Level.MANAGER),
    Command("sntp {mode: unicast|broadcast}", set_mode, negate=clear_sntp,
            where=Where.CONFIG, level=Level.MANAGER),
    Command("sntp", None, negate=clear_sntp, where=Where.CONFIG, level=Level.MANAGER),
    Command("sntp <poll-interval>", set_poll, where=Where.CONFIG, level=Level.MANAGER,
            params={"poll-interval": IntRange(*SNTP_POLL_RANGE)}),
    Command("sntp server priority <priority> <ip-addr> [<version>]", set_server,
            negate=clear_server, where=Where.CONFIG, level=Level.MANAGER,
            params={"priority": PRIORITY, "ip-addr": IpAddress(),
                    "version": IntRange(*SNTP_VERSIONS)}),
    Command("sntp server priority <priority>", None, negate=clear_server, where=Where.CONFIG,
            level=Level.MANAGER, params={"priority": PRIORITY}),
    Command("show sntp", show_sntp),
    Command("show timesync", show_timesync),
)
