"""Password checks as the switch makes them, for every way in: SSH, telnet and console logins
and `enable`.

A refused password is logged in the event log with where it came from, in the line K.15 writes
(event 00419, `auth: Invalid user name/password on SSH session User 'x' is trying to login from
10.0.0.9`), and answered only after the profile's `login_failure_delay`; a session gets
NUM_ATTEMPTS tries before the switch closes it. Guessing thus costs a delay per guess and a
new connection every few guesses, and every guess is on record.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Final

from emulator.aaa import chain
from emulator.cli.channel import TransportKind
from emulator.config.aaa import NUM_ATTEMPTS as AAA_ATTEMPTS
from emulator.config.access import authorized_level, cap_level
from emulator.events import Severity

if TYPE_CHECKING:
    from emulator.device import Device

NUM_ATTEMPTS: Final = AAA_ATTEMPTS[2]
"""`aaa authentication num-attempts`' default: failed tries per session before it is closed
(settable 1-10; the sessions read the running config's)."""
SESSION_NAMES: Final[dict[TransportKind, str]] = {
    "ssh": "SSH", "telnet": "TELNET", "console": "CONSOLE"}
MAX_LOGGED_NAME: Final = 64
"""Longest user name the switch accepts; a longer one is cut in the log line."""


def _printable(name: str) -> str:
    """A user name as the log may show it: whatever a client typed (control characters, a
    megabyte of text) must not reach an operator's terminal or fill the log."""
    return "".join(c if " " <= c <= "~" else "?" for c in name[:MAX_LOGGED_NAME])


def failure_text(transport: TransportKind, user: str, address: str) -> str:
    """The event text of one refused password; the console has no source address."""
    source = f" from {address}" if address else ""
    return (f"Invalid user name/password on {SESSION_NAMES[transport]} session "
            f"User '{_printable(user)}' is trying to login{source}")


async def check_password(device: Device, transport: TransportKind, address: str, user: str,
                         secret: str, wanted: str | None = None) -> str | None:
    """The level (`manager`/`operator`) these credentials log in at, or None after logging
    the failure and waiting the failure delay. `wanted` is the one level that counts (enable
    needs the manager's credentials: the operator's are a failure there). The method is
    `aaa authentication`'s for this way in (a RADIUS or TACACS+ server, or the local
    passwords), and the level is never above what `ip authorized-managers` allows the
    client's address."""
    task = "enable" if wanted == "manager" else "login"
    granted = await chain.authenticate(device, transport, address, user, secret, task)
    ceiling = authorized_level(device.running.authorized_managers, address, transport)
    level = None if granted is None else cap_level(granted, ceiling)
    if level is not None and wanted in (None, level):
        return level
    device.events.log("auth", failure_text(transport, user, address), Severity.WARNING)
    await asyncio.sleep(device.timing.login_failure_delay)
    return None
