"""Session and flash commands: privilege (`enable`), modes (`configure`, `exit`, `end`),
`logout`, paging and terminal size, `write memory`, `erase startup-config`, passwords."""

from __future__ import annotations

from typing import Final

from emulator.aaa.chain import local_only
from emulator.cli.context import CONFIG, EXEC, Call
from emulator.cli.grammar import CliError, Command, IntRange, Level, Text, Where
from emulator.config.model import INVALID_INPUT

LOG_OUT: Final = "Do you want to log out [y/n]? "
SAVE: Final = "Do you want to save current configuration [y/n]? "
ERASE: Final = "Configuration will be deleted and device rebooted, continue [y/n]? "
INVALID_PASSWORD: Final = "Invalid password"
PASSWORD_MISMATCH: Final = "Password mismatch. Try again."
LEVEL_NAMES: Final = {"manager": "Manager", "operator": "Operator"}

HELP: Final = {
    "enable": "Enter the Manager Exec context.",
    "configure": "Enter the Configuration context.",
    "terminal": "Configure terminal settings.",
    "exit": "Return to the previous context or terminate current console/telnet session.",
    "end": "Return to the Manager Exec context.",
    "logout": "Terminate this console/telnet session.",
    "page": "Toggle paging mode.",
    "length": "Set number of lines displayed on the console/telnet screen.",
    "width": "Set number of columns displayed on the console/telnet screen.",
    "write": "View or save the running configuration of the switch.",
    "memory": "Save the running configuration to flash.",
    "erase": "Erase stored configuration or software image.",
    "startup-config": "Erase the startup configuration file.",
    "password": "Set or clear the local password/username for a given access level.",
    "manager": "Configure access to the manager level.",
    "operator": "Configure access to the operator level.",
    "all": "Configure access to the manager and operator levels.",
    "user-name": "Set username for the specified user category.",
    "plaintext": "Configure the password in plain text.",
    "sha1": "Configure the password as its SHA-1 hash (what include-credentials writes).",
}
SHA1_DIGITS: Final = 40


async def enable(call: Call) -> None:
    """Operator -> manager: the switch asks Username/Password when a manager account exists
    or a server checks `enable` (`aaa authentication ... enable radius`); a wrong answer is
    logged, delayed and counted like a failed login."""
    session = call.session
    if session.level is Level.MANAGER:
        return
    if "manager" in call.device.credentials.levels() or not local_only(
            call.device, session.transport, "enable"):
        user = await session.ask("\r\nUsername: ")
        secret = await session.ask("\r\nPassword: ", echo=False)
        if await session.check_password(user, secret, "manager") is None:
            raise CliError(INVALID_PASSWORD)
    session.set_level(Level.MANAGER)


def configure(call: Call) -> None:
    call.session.enter(CONFIG)


async def log_out(call: Call) -> None:
    """The real order: log-out question first, then (only if unsaved) the save question."""
    session = call.session
    if not await session.confirm("\r\n" + LOG_OUT):
        return
    if session.level is Level.MANAGER and call.device.unsaved() and await session.confirm(
            "\r\n" + SAVE):
        await call.device.write_memory()
    session.hang_up()


async def exit_(call: Call) -> None:
    if call.session.mode == EXEC:
        await log_out(call)
    else:
        call.session.exit_mode()


def end(call: Call) -> None:
    call.session.end()


def page(call: Call) -> None:
    call.session.set_paging(not call.negated)


def terminal_length(call: Call) -> None:
    call.session.set_terminal(length=call.number("lines"))


def terminal_width(call: Call) -> None:
    call.session.set_terminal(width=call.number("columns"))


async def write_memory(call: Call) -> None:
    await call.device.write_memory()


async def erase_startup(call: Call) -> None:
    """The switch reboots into its factory default after erasing."""
    if await call.session.confirm("\r\n" + ERASE):
        await call.device.erase_startup()
        await call.device.reboot("erase startup-config")


async def password(call: Call) -> None:
    level = call.text("level")
    device, session = call.device, call.session
    user = call.text("user", device.credentials.username(level) or level)
    secret = call.args.get("secret")
    if secret is None and not session.interactive:
        # the config says one is set; flash holds it
        device.running.password_set(level, device.credentials.hashes().get(level))
        return
    if secret is None:
        name = LEVEL_NAMES[level]
        first = await session.ask(f"\r\nNew password for {name}: ", echo=False)
        second = await session.ask(f"\r\nPlease retype new password for {name}: ", echo=False)
        if first != second:
            raise CliError(PASSWORD_MISMATCH)
        secret = first
    device.credentials.change(level, user, str(secret))
    device.running.set_passwords(device.credentials.levels(), device.credentials.hashes())
    await device.flash_changed()


async def password_hash(call: Call) -> None:
    """`password manager user-name "admin" sha1 "HASH"`, the line `include-credentials`
    writes: the account takes the hash as it is, in a startup config or typed."""
    level, device = call.text("level"), call.device
    digest = call.text("hash")
    if len(digest) != SHA1_DIGITS or not all(c in "0123456789abcdefABCDEF" for c in digest):
        raise CliError(INVALID_INPUT.format(token=digest))
    device.credentials.change_hash(level, call.text("user", device.credentials.username(level)
                                                    or level), digest)
    device.running.set_passwords(device.credentials.levels(), device.credentials.hashes())
    await device.flash_changed()


async def no_password(call: Call) -> None:
    device = call.device
    levels = ("manager", "operator") if call.text("level") == "all" else (call.text("level"),)
    for level in levels:
        device.credentials.clear(level)
    device.running.set_passwords(device.credentials.levels(), device.credentials.hashes())
    await device.flash_changed()


ROWS: Final = (
    Command("enable", enable),
    Command("configure [terminal]", configure, level=Level.MANAGER,
            help={"terminal": "Enter the Configuration context."}),
    Command("exit", exit_),
    Command("end", end, where=Where.CONFIG, level=Level.MANAGER),
    Command("logout", log_out),
    Command("page", page, level=Level.MANAGER, negate=page),
    Command("terminal length <lines>", terminal_length, params={"lines": IntRange(2, 1000)}),
    Command("terminal width <columns>", terminal_width, params={"columns": IntRange(1, 1920)}),
    Command("write memory", write_memory, level=Level.MANAGER),
    Command("erase startup-config", erase_startup, level=Level.MANAGER),
    Command("password {level: manager|operator} [user-name <user>] [plaintext <secret>]",
            password, where=Where.CONFIG, level=Level.MANAGER,
            params={"user": Text("ASCII-STR", 64), "secret": Text("ASCII-STR", 64)}),
    Command("password {level: manager|operator} [user-name <user>] sha1 <hash>",
            password_hash, where=Where.CONFIG, level=Level.MANAGER,
            params={"user": Text("ASCII-STR", 64), "hash": Text("HASH", SHA1_DIGITS)}),
    Command("password {level: manager|operator|all}", None, where=Where.CONFIG,
            level=Level.MANAGER, negate=no_password),
)
