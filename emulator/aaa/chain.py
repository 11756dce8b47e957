"""Who may log in, and at what level: `aaa authentication ACCESS login|enable PRIMARY
[SECONDARY]` for each way in (console, telnet, ssh). A server's answer is final; only a
server that cannot be reached (none of those configured answers) hands the login to the
secondary method, `local` (the switch's own passwords) or `none` (refused), as the K.15
Access Security Guide has it. Exec sessions are accounted (`aaa accounting exec
start-stop|stop-only radius|tacacs`): a Start at login, a Stop with the session's length at
logout.
"""

from __future__ import annotations

import asyncio
import os
import socket
from typing import TYPE_CHECKING, Final

from emulator import inband
from emulator.aaa import radius, tacacs
from emulator.aaa.radius import Outcome
from emulator.config.aaa import TACACS_PORT

if TYPE_CHECKING:
    from emulator.device import Device

UNREACHABLE_TEXT: Final = "{kind} server(s) unreachable, trying the {method} method"
"""[inferred] what the event log says when the login falls back."""
SERVICES: Final = {"login": radius.SERVICE_LOGIN, "enable": radius.SERVICE_ADMINISTRATIVE}
TACACS_SERVICES: Final = {"login": tacacs.SERVICE_LOGIN, "enable": tacacs.SERVICE_ENABLE}
DEFAULT_LEVELS: Final = {"login": "operator", "enable": "manager"}
"""The level a server's accept grants when it names none: a login is the operator's, a
successful `enable` the manager's."""


def local_only(device: Device, access: str, task: str) -> bool:
    """Whether the switch's own passwords alone decide this login or `enable`."""
    return device.running.aaa.method(access, task)[0] in ("local", "public-key")


def local(device: Device, user: str, secret: str) -> str | None:
    return device.credentials.check(user, secret)


def radius_client(device: Device) -> radius.RadiusClient:
    aaa = device.running.aaa
    dead = None if aaa.radius_dead_time is None else aaa.radius_dead_time * device.timing.minute
    return radius.RadiusClient(lambda: inband.socket_in(device.mgmt_netns, socket.SOCK_DGRAM),
                               aaa.radius_timeout, aaa.radius_retransmit,
                               device.radius_counters, dead)


def radius_servers(device: Device, accounting: bool = False) -> list[radius.Server]:
    aaa = device.running.aaa
    return [radius.Server(str(s.address), s.acct_port if accounting else s.auth_port,
                          (s.key or aaa.radius_key).encode()) for s in aaa.radius_hosts]


def tacacs_servers(device: Device) -> list[tacacs.Server]:
    aaa = device.running.aaa
    return [tacacs.Server(str(s.address), TACACS_PORT,
                          (s.key or aaa.tacacs_key).encode()) for s in aaa.tacacs_hosts]


async def ask_server(device: Device, method: str, access: str, address: str, user: str,
                     secret: str, task: str) -> radius.Answer:
    aaa = device.running.aaa
    if method == "radius":
        return await radius_client(device).authenticate(
            radius_servers(device), user, secret, SERVICES[task], device.running.hostname,
            address)
    return await tacacs_client(device).authenticate(tacacs_servers(device), user, secret,
                                     TACACS_SERVICES[task], access, address,
                                     aaa.privilege_mode)


async def authenticate(device: Device, access: str, address: str, user: str, secret: str,
                       task: str) -> str | None:
    """The level these credentials get for `task` (`login` or `enable`) on this way in, or
    None when refused."""
    primary, secondary = device.running.aaa.method(access, task)
    if primary in ("local", "public-key"):
        return local(device, user, secret)
    answer = await ask_server(device, primary, access, address, user, secret, task)
    if answer.outcome is Outcome.ACCEPT:
        return answer.level or DEFAULT_LEVELS[task]
    if answer.outcome is Outcome.UNREACHABLE:
        device.events.log("auth", UNREACHABLE_TEXT.format(kind=primary.upper(),
                                                          method=secondary))
        if secondary == "local":
            return local(device, user, secret)
    return None


def tacacs_client(device: Device) -> tacacs.TacacsClient:
    return tacacs.TacacsClient(
        lambda host, port: inband.open_connection_in(device.mgmt_netns, host, port),
        device.running.aaa.tacacs_timeout, device.tacacs_counters)


async def account(device: Device, access: str, user: str, address: str, session_id: str,
                  started: float | None) -> None:
    """A Start (started is None) or a Stop for an exec session, when exec sessions are
    accounted (`aaa accounting exec start-stop|stop-only radius|tacacs`)."""
    policy = device.running.aaa.accounting.get("exec")
    if policy is None or (started is None and policy.mode == "stop-only"):
        return
    elapsed = None if started is None else int(device.uptime() - started)
    if policy.server == "tacacs":
        await tacacs_client(device).account(tacacs_servers(device), user, access, address,
                                            session_id, elapsed)
        return
    status = radius.ACCT_START if started is None else radius.ACCT_STOP
    await radius_client(device).account(radius_servers(device, accounting=True), user, status,
                                        session_id, device.running.hostname, address, elapsed)


_ACCOUNTING: set[asyncio.Task[None]] = set()
"""Accounting requests on their way: a session does not wait for the server."""


def account_later(device: Device, access: str, user: str, address: str, session_id: str,
                  started: float | None) -> None:
    task = asyncio.get_running_loop().create_task(
        account(device, access, user, address, session_id, started))
    _ACCOUNTING.add(task)
    task.add_done_callback(_ACCOUNTING.discard)


def new_session_id() -> str:
    """Acct-Session-Id: unique per session (RFC 2866 5.5)."""
    return os.urandom(4).hex().upper()
