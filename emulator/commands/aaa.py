"""`aaa authentication ACCESS login|enable PRIMARY [SECONDARY]`, `aaa authentication login
privilege-mode`, `aaa authentication num-attempts N`, `aaa accounting TYPE MODE radius|tacacs`,
`aaa accounting update periodic N`, and their screens `show authentication` and `show
accounting` (K.15 Access Security Guide). The login chain that obeys them is
emulator/aaa/chain.py."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from emulator.cli.grammar import CliError, Command, IntRange, Level, Where
from emulator.commands.format import SHOW_HELP
from emulator.config.aaa import (
    ACCESS_METHODS,
    ACCOUNTING_MODES,
    ACCOUNTING_SERVERS,
    ACCOUNTING_TYPES,
    ACCOUNTING_UPDATE,
    DEFAULT_METHOD,
    NUM_ATTEMPTS,
    PRIMARY_METHODS,
    SECONDARY_METHODS,
    TASKS,
    Accounting,
)

if TYPE_CHECKING:
    from emulator.cli.context import Call

SHOWN_ACCESS: Final = {"console": "Console", "telnet": "Telnet", "port-access": "Port-Access",
                       "web": "Webui", "ssh": "SSH"}
"""`show authentication`'s rows: its names and order (the login table)."""
ENABLE_ACCESS: Final = ("console", "telnet", "web", "ssh")
"""The enable table's rows (port access has no enable)."""
SHOWN_METHODS: Final = {"local": "Local", "radius": "Radius", "tacacs": "Tacacs",
                        "public-key": "PublicKey", "none": "None", "chap-radius": "ChapRadius"}
MAC_WEB_AUTH: Final = ("Web-Auth", "MAC-Auth")
"""Rows the login table always ends with: web and MAC authentication use RADIUS (CHAP)."""


def set_method(call: Call) -> None:
    try:
        call.device.running.aaa.set_method(call.text("access"), call.text("task"),
                                           call.text("primary"),
                                           call.text("secondary", DEFAULT_METHOD[1]))
    except ValueError as exc:
        raise CliError(str(exc)) from exc


def set_privilege_mode(call: Call) -> None:
    call.device.running.aaa.privilege_mode = not call.negated


def set_attempts(call: Call) -> None:
    call.device.running.aaa.num_attempts = call.number("attempts", NUM_ATTEMPTS[2])


def set_accounting(call: Call) -> None:
    accounting = call.device.running.aaa.accounting
    if call.negated:
        accounting.pop(call.text("type"), None)
        return
    accounting[call.text("type")] = Accounting(call.text("mode"), call.text("server"))


def set_update(call: Call) -> None:
    call.device.running.aaa.accounting_update = None if call.negated else call.number("minutes")


def _table(title: str, rows: list[tuple[str, tuple[str, str]]]) -> list[str]:
    head = f"{title:<10} {title:<12} {title}"
    lines = [f"                 | {head}",
             "  Access Task    | Primary    Server Group Secondary",
             "  -------------- + ---------- ------------ ----------"]
    for name, (primary, secondary) in rows:
        group = "radius" if primary in ("radius", "chap-radius") else ""
        lines.append(f"  {name:<14} | {SHOWN_METHODS[primary]:<10} {group:<12} "
                     f"{SHOWN_METHODS[secondary]}")
    return lines


def show_authentication(call: Call) -> str:
    aaa = call.device.running.aaa
    login = [(SHOWN_ACCESS[a], aaa.method(a, "login"))
             for a in ("console", "telnet", "port-access", "web", "ssh")]
    login += [(name, ("chap-radius", "none")) for name in MAC_WEB_AUTH]
    enable = [(SHOWN_ACCESS[a], aaa.method(a, "enable")) for a in ENABLE_ACCESS]
    lines = ["", " Status and Counters - Authentication Information", "",
             f"  Login Attempts : {aaa.num_attempts}",
             f"  Respect Privilege : {'Enabled' if aaa.privilege_mode else 'Disabled'}", "",
             *_table("Login", login), "", *_table("Enable", enable)]
    return "\n".join(lines) + "\n"


def show_accounting(call: Call) -> str:
    aaa = call.device.running.aaa
    lines = ["", " Status and Counters - Accounting Information", "",
             f"  Interval(min) : {aaa.accounting_update or 0}",
             "  Suppress Empty User : No", "  Sessions Identification : Unique", "",
             "  Type     | Method Mode", "  -------- + ------ --------------"]
    for kind in ("network", "exec", "system", "commands"):
        policy = aaa.accounting.get(kind)
        method = "None" if policy is None else \
            f"{SHOWN_METHODS[policy.server]:<6} {policy.mode.title()}"
        lines.append(f"  {kind.capitalize():<8} | {method}")
    return "\n".join(lines) + "\n"


HELP: Final = {
    "show": SHOW_HELP,
    "aaa": "Configure the switch's authentication, authorization and accounting.",
    "authentication": "Configure authentication parameters on the switch.",
    "accounting": "Configure the accounting service on the device.",
    "login": "Specify the login (operator) privilege level.",
    "enable": "Specify the enable (manager) privilege level.",
    "console": "Console access.",
    "telnet": "Telnet access.",
    "ssh": "SSH access.",
    "web": "Web access.",
    "port-access": "802.1X port access.",
    "local": "Use the switch's local passwords.",
    "radius": "Use a RADIUS server.",
    "tacacs": "Use a TACACS+ server.",
    "public-key": "Use SSH public keys.",
    "none": "No secondary method.",
    "privilege-mode": "Let the server decide the privilege level at login.",
    "num-attempts": "Set the number of login attempts allowed per session.",
    "update": "Configure the interim accounting updates.",
    "periodic": "Minutes between interim updates.",
}

ACCESS: Final = f"{{access: {'|'.join(ACCESS_METHODS)}}}"
TASK: Final = f"{{task: {'|'.join(TASKS)}}}"
PRIMARY: Final = f"{{primary: {'|'.join(PRIMARY_METHODS)}}}"
SECONDARY: Final = f"{{secondary: {'|'.join(reversed(SECONDARY_METHODS))}}}"
ACCOUNTING: Final = (f"{{type: {'|'.join(ACCOUNTING_TYPES)}}} "
                     f"{{mode: {'|'.join(ACCOUNTING_MODES)}}} "
                     f"{{server: {'|'.join(ACCOUNTING_SERVERS)}}}")

ROWS: Final = (
    Command(f"aaa authentication {ACCESS} {TASK} {PRIMARY} [{SECONDARY}]", set_method,
            where=Where.CONFIG, level=Level.MANAGER),
    Command("aaa authentication login privilege-mode", set_privilege_mode, where=Where.CONFIG,
            level=Level.MANAGER, negate=set_privilege_mode),
    Command("aaa authentication num-attempts <attempts>", set_attempts, where=Where.CONFIG,
            level=Level.MANAGER, params={"attempts": IntRange(*NUM_ATTEMPTS[:2])}),
    Command("aaa authentication num-attempts", None, where=Where.CONFIG, level=Level.MANAGER,
            negate=set_attempts),
    Command(f"aaa accounting {ACCOUNTING}", set_accounting, where=Where.CONFIG,
            level=Level.MANAGER, negate=set_accounting),
    Command("aaa accounting update periodic <minutes>", set_update, where=Where.CONFIG,
            level=Level.MANAGER, params={"minutes": IntRange(*ACCOUNTING_UPDATE)}),
    Command("aaa accounting update", None, where=Where.CONFIG, level=Level.MANAGER,
            negate=set_update),
    Command("show authentication", show_authentication),
    Command("show accounting", show_accounting),
)
