"""`snmpv3 ...`: SNMPv3 users, their groups and the v3 switches, and `show snmpv3 user`.

As on the switch, a user's keys are stored in the security files at once (snmp/users.py) while
the config only names the user (`snmpv3 user "NAME"`) and its group, so the keys survive a
reboot once the config naming the user is saved, and reach the standby with the other security
files. `snmpv3 enable` is the switch's dialogue: it creates the user `initial` (MD5, DES), offers
a second user with SHA and asks whether v1/v2c become read-only; a startup config's
`snmpv3 enable` line just enables.

Notifications to v3 receivers take three entries, as in the manuals' procedure: `snmpv3 notify
NAME tagvalue TAG [type inform|trap]` selects the targets tagged TAG, `snmpv3 targetaddress
NAME params P A.B.C.D [retries N] [taglist TAG] [timeout N] [udp-port N]` is a receiver
(timeout in hundredths of a second, as snmpTargetAddrTimeout), `snmpv3 params P user U
sec-model ver3 message-processing ver3 [noauth|auth|priv]` says who they are sent as.
`type inform|trap` (trap by default) is from the ArubaOS-Switch 16.x manuals; the K.15 manual
documents no inform choice for v3, so `type` is the one documented way to ask for informs.

Screen and dialogue texts follow the ArubaOS-Switch manuals (the K.15 ones are the same
family); the password length refusal is modelled on their "6 to 32 characters" rule.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from emulator.cli.grammar import (
    CliError,
    Command,
    IntRange,
    IpAddress,
    Level,
    ParamType,
    Text,
    Where,
    any_order,
)
from emulator.commands.format import SHOW_HELP, refused
from emulator.config.model import (
    TARGET_RETRIES,
    TARGET_TIMEOUT,
    Snmpv3Group,
    Snmpv3Level,
    Snmpv3Notify,
    Snmpv3Params,
    Snmpv3Target,
)

if TYPE_CHECKING:
    from emulator.cli.context import Call
    from emulator.device import Device

PASSWORD_LENGTH: Final = (6, 32)
PASSWORD_REFUSED: Final = "Password must be 6 to 32 characters."
INITIAL_USER: Final = "initial"
DIALOGUE_GROUP: Final = Snmpv3Group.MANAGER_PRIV
"""The group the dialogue's users join (inferred: management software clones `initial`,
which needs write access to the user table)."""
RESTRICT_QUESTION: Final = (
    "Would you like to restrict SNMPv1 and SNMPv2c messages to have read only\r\n"
    "access (you can set this later by the command 'snmpv3 restricted-access')? [y/n] ")
USERS_HEADER: Final = (
    " Status and Counters - SNMPv3 Global Configuration Information\n"
    "\n"
    "  User Name        Auth. Protocol   Privacy Protocol\n"
    "  ---------------- ---------------- -----------------"
)
NONE_LABEL: Final = "None"
TARGETS_HEADER: Final = (
    " snmpTargetAddrTable [rfc2573]\n"
    "\n"
    "  Target Name      IP Address              Parameter\n"
    "  ---------------- ----------------------- ----------"
)


def render_users(device: Device) -> str:
    from snmp.crypto import AUTH, PRIV
    from snmp.users import Store

    keys = Store.read(device.flash).users
    rows = []
    for name in device.running.snmpv3.users:
        user = keys.get(name)
        auth = AUTH[user.auth].label if user and user.auth else NONE_LABEL
        priv = PRIV[user.priv].label if user and user.priv else NONE_LABEL
        rows.append(f"  {name:<16} {auth:<16} {priv}")
    return "\n".join(["", USERS_HEADER, *rows])


def show_users(call: Call) -> str:
    return render_users(call.device)


def render_targets(device: Device) -> str:
    rows = [f"  {name:<16} {target.address!s:<23} {target.params}"
            for name, target in device.running.snmpv3.targets.items()]
    return "\n".join(["", TARGETS_HEADER, *rows])


def show_targets(call: Call) -> str:
    return render_targets(call.device)


def _password(text: str) -> str:
    low, high = PASSWORD_LENGTH
    if not low <= len(text) <= high:
        raise CliError(PASSWORD_REFUSED)
    return text


async def _add_user(device: Device, name: str, auth: str | None = None, auth_password: str = "",
                    priv: str | None = None, priv_password: str = "",
                    group: Snmpv3Group | None = None) -> None:
    from snmp.users import User, engine_id, store_user

    with refused():
        device.running.snmpv3_user_add(name)
        if group is not None:
            device.running.snmpv3_group_set(name, group)
    store_user(device, name, User.create(engine_id(device.inventory), auth, auth_password, priv,
                                         priv_password))
    await device.flash_changed()


async def add_user(call: Call) -> None:
    auth = call.text("auth") if "auth" in call.args else None
    priv = call.text("priv") if "priv" in call.args else None
    if auth is None and not call.session.interactive:
        with refused():  # `snmpv3 user "NAME"` in a config: the keys are in the security files
            call.device.running.snmpv3_user_add(call.text("name"))
        return
    await _add_user(call.device, call.text("name"), auth,
                    "" if auth is None else _password(call.text("auth_password")), priv,
                    "" if priv is None else _password(call.text("priv_password")))


async def remove_user(call: Call) -> None:
    from snmp.users import store_user

    name = call.text("name")
    call.device.running.snmpv3_user_remove(name)
    store_user(call.device, name, None)
    await call.device.flash_changed()


def _group(call: Call) -> tuple[str, Snmpv3Group]:
    wanted = call.text("group")
    return call.text("name"), next(g for g in Snmpv3Group if g.value.lower() == wanted)


def set_group(call: Call) -> None:
    with refused():
        call.device.running.snmpv3_group_set(*_group(call))


def remove_group(call: Call) -> None:
    call.device.running.snmpv3_group_remove(*_group(call))


async def _ask_user(call: Call, name: str, auth: str) -> None:
    session = call.session
    await session.emit(f"Authentication Protocol: {auth.upper()}")
    auth_password = _password(await session.ask("\r\nEnter authentication password: ",
                                                echo=False))
    await session.emit("Privacy protocol is DES")
    priv_password = _password(await session.ask("\r\nEnter privacy password: ", echo=False))
    await _add_user(call.device, name, auth, auth_password, "des", priv_password, DIALOGUE_GROUP)


async def enable(call: Call) -> None:
    """The switch's initialization dialogue, run when v3 goes from disabled to enabled at
    the prompt; a config's `snmpv3 enable` states it is on (its users are on flash already,
    and `snmpv3 restricted-access` is a line of its own)."""
    device, session = call.device, call.session
    if device.running.snmpv3.enabled:
        return
    if not session.interactive:
        device.running.snmpv3_enable(True)
        return
    await session.emit(f"SNMPv3 Initialization process.\r\nCreating user '{INITIAL_USER}'")
    await _ask_user(call, INITIAL_USER, "md5")
    await session.emit(f"\r\nUser '{INITIAL_USER}' has been created")
    if await session.confirm("\r\nWould you like to create a user that uses SHA? [y/n] "):
        name = await session.ask("\r\nEnter user name: ")
        await _ask_user(call, name, "sha")
    await session.emit("\r\nUser creation is done.  SNMPv3 is now functional.")
    device.running.snmpv3_restrict(await session.confirm("\r\n" + RESTRICT_QUESTION))
    device.running.snmpv3_enable(True)


def set_params(call: Call) -> None:
    level = Snmpv3Level(call.text("level", Snmpv3Level.NOAUTH.value))
    with refused():
        call.device.running.snmpv3_params_set(call.text("params-name"),
                                              Snmpv3Params(call.text("user"), level))


def remove_params(call: Call) -> None:
    call.device.running.snmpv3_params_remove(call.text("params-name"))


def set_target(call: Call) -> None:
    target = Snmpv3Target(
        call.address("address"), call.text("params-name"), tuple(call.text("tag", "").split()),
        call.number("retries", TARGET_RETRIES), call.number("timeout", TARGET_TIMEOUT),
        call.number("udp-port") if "udp-port" in call.args else None)
    with refused():
        call.device.running.snmpv3_target_set(call.text("target-name"), target)


def remove_target(call: Call) -> None:
    call.device.running.snmpv3_target_remove(call.text("target-name"))


def set_notify(call: Call) -> None:
    notify = Snmpv3Notify(call.text("tag"), call.args.get("type") == "inform")
    with refused():
        call.device.running.snmpv3_notify_set(call.text("notify-name"), notify)


def remove_notify(call: Call) -> None:
    call.device.running.snmpv3_notify_remove(call.text("notify-name"))


def disable(call: Call) -> None:
    call.device.running.snmpv3_enable(False)


def restrict(call: Call) -> None:
    call.device.running.snmpv3_restrict(not call.negated)


def only(call: Call) -> None:
    call.device.running.snmpv3_only(not call.negated)


HELP: Final = {
    "show": SHOW_HELP,
    "snmpv3": "Configure or show SNMPv3 settings.",
    "enable": "Enable SNMPv3 and create the initial users.",
    "user": "Add, delete or show SNMPv3 users.",
    "name": "The SNMPv3 user name.",
    "auth": "Set the authentication protocol and password.",
    "md5": "Use HMAC-MD5-96 authentication.",
    "sha": "Use HMAC-SHA-96 authentication.",
    "sha256": "Use HMAC-SHA-256 authentication (HMAC-192-SHA-256).",
    "auth_password": "The authentication password (6 to 32 characters).",
    "priv": "Set the privacy protocol and password.",
    "des": "Use CBC-DES privacy.",
    "aes": "Use CFB AES-128 privacy.",
    "priv_password": "The privacy password (6 to 32 characters).",
    "group": "Assign a user to a security group.",
    "managerpriv": "Manager access; requires authentication and privacy.",
    "managerauth": "Manager access; requires authentication.",
    "operatorauth": "Operator (read-only) access; requires authentication.",
    "operatornoauth": "Operator (read-only) access without authentication.",
    "sec-model": "The security model of the user.",
    "ver3": "SNMP version 3 (User-based Security Model).",
    "restricted-access": "Make SNMPv1 and SNMPv2c access read-only.",
    "only": "Accept SNMPv3 messages only.",
    "params": "Set the user and security level notifications are sent with.",
    "params-name": "The name of an SNMPv3 params entry.",
    "message-processing": "The message processing model of the notifications.",
    "noauth": "Send without authentication or privacy.",
    "targetaddress": "Add, delete or show SNMPv3 notification receivers.",
    "target-name": "The name of an SNMPv3 target address.",
    "address": "The receiver's IP address.",
    "retries": "Retransmissions of an unanswered inform (default 3).",
    "taglist": "The tags that select this target for notifications.",
    "tag": "An SNMPv3 notification tag.",
    "timeout": "Hundredths of a second to wait for an inform's answer (default 1500).",
    "udp-port": "The receiver's UDP port (default 162).",
    "notify": "Select the targets that get notifications, by tag.",
    "notify-name": "The name of an SNMPv3 notify entry.",
    "tagvalue": "The tag of the targets that get notifications.",
    "type": "Send informs (acknowledged) or traps (the default).",
    "inform": "Send informs: acknowledged and retransmitted.",
    "trap": "Send traps: unacknowledged.",
}

_NAME: Final[dict[str, ParamType]] = {"name": Text(max_length=32)}
_PASSWORDS: Final[dict[str, ParamType]] = {"auth_password": Text(), "priv_password": Text()}
_GROUPS: Final = "|".join(g.value.lower() for g in Snmpv3Group)
_LEVELS: Final = "|".join(level.value for level in Snmpv3Level)
_ENTRY: Final = Text(max_length=32)
_TARGET_PARAMS: Final[dict[str, ParamType]] = {
    "target-name": _ENTRY, "params-name": _ENTRY, "address": IpAddress(), "tag": _ENTRY,
    "retries": IntRange(0, 255), "timeout": IntRange(0, 2**31 - 1),
    "udp-port": IntRange(1, 65535)}

ROWS: tuple[Command, ...] = (
    Command("show snmpv3 user", show_users, level=Level.MANAGER),
    Command("snmpv3 enable", enable, where=Where.CONFIG, level=Level.MANAGER, negate=disable),
    Command("snmpv3 restricted-access", restrict, where=Where.CONFIG, level=Level.MANAGER,
            negate=restrict),
    Command("snmpv3 only", only, where=Where.CONFIG, level=Level.MANAGER, negate=only),
    Command("snmpv3 user <name> [auth {auth: md5|sha|sha256} <auth_password> "
            "[priv {priv: des|aes} <priv_password>]]", add_user, where=Where.CONFIG,
            level=Level.MANAGER, params=_NAME | _PASSWORDS),
    Command("snmpv3 user <name>", None, where=Where.CONFIG, level=Level.MANAGER, params=_NAME,
            negate=remove_user),
    Command(f"snmpv3 group {{group: {_GROUPS}}} user <name> sec-model ver3", set_group,
            where=Where.CONFIG, level=Level.MANAGER, params=_NAME, negate=remove_group),
    Command("show snmpv3 targetaddress", show_targets, level=Level.MANAGER),
    Command(f"snmpv3 params <params-name> user <user> sec-model ver3 message-processing ver3 "
            f"[{{level: {_LEVELS}}}]", set_params, where=Where.CONFIG, level=Level.MANAGER,
            params={"params-name": _ENTRY, "user": _ENTRY}),
    Command("snmpv3 params <params-name>", None, where=Where.CONFIG, level=Level.MANAGER,
            params={"params-name": _ENTRY}, negate=remove_params),
    *(Command(f"snmpv3 targetaddress <target-name> params <params-name> <address> {options}",
              set_target, where=Where.CONFIG, level=Level.MANAGER, params=_TARGET_PARAMS)
      for options in any_order("retries <retries>", "taglist <tag>", "timeout <timeout>",
                               "udp-port <udp-port>")),
    Command("snmpv3 targetaddress <target-name>", None, where=Where.CONFIG,
            level=Level.MANAGER, params=_TARGET_PARAMS, negate=remove_target),
    Command("snmpv3 notify <notify-name> tagvalue <tag> [type {type: inform|trap}]",
            set_notify, where=Where.CONFIG, level=Level.MANAGER,
            params={"notify-name": _ENTRY, "tag": _ENTRY}),
    Command("snmpv3 notify <notify-name>", None, where=Where.CONFIG, level=Level.MANAGER,
            params={"notify-name": _ENTRY}, negate=remove_notify),
)
