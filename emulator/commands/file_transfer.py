"""File transfers: `copy running-config|startup-config|event-log|command-output ...
tftp|sftp`, `copy tftp|sftp startup-config`, `copy tftp|sftp flash`, `[no] tftp
client|server` and `[no] ip ssh filetransfer` (K.15 Management and Configuration Guide, "File
Transfers"). TFTP goes through emulator/tftp.py, SFTP through emulator/sftp_client.py (the
server named `USER@ADDR`, the password asked for), both from the switch's own IP stack.

The switch's files as the transfers (and scp/sftp, ssh_server/sftp.py) name them are here too
(`FILES`): `/cfg/running-config`, `/cfg/startup-config`, `/os/primary`, `/os/secondary`.
Whatever arrives is stored whole or not at all: a download is held in memory until it is
complete and checked, then written atomically and durably (emulator/flash.py) and synced to
the standby before the prompt returns; a failed transfer leaves the flash as it was.

A new startup config reboots the switch into it (the K.15 question says so); a new image waits
for `boot system flash` (an upgrade rehearsal: `copy tftp flash ... secondary`, then `boot
system flash secondary`, and `show version` reports the new version).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from ipaddress import IPv4Address
from typing import TYPE_CHECKING, Final

from emulator import hardware, images, sftp_client, tftp
from emulator.cli.context import Level, Mode
from emulator.cli.dispatch import dispatch
from emulator.cli.grammar import CliError, Command, IpAddress, ParamType, Text, Where
from emulator.cli.parser import ParseError, tokenize
from emulator.commands.format import refused

if TYPE_CHECKING:
    from emulator.cli.context import Call, SessionControl
    from emulator.device import Device

# -- vendor texts --------------------------------------------------------------------------

REBOOT_QUESTION: Final = "Device may be rebooted, do you want to continue [y/n]? "
"""[literal] `copy tftp startup-config` (users' scripts of ProCurve switches wait for it)."""
IMAGE_QUESTION: Final = "The {image} OS Image will be deleted, continue [y/n]? "
"""[literal] `copy tftp flash` (MCG: `The Primary OS Image will be deleted, ...`)."""
WRITING_IMAGE: Final = "Validating and Writing System Software to FLASH ..."
"""[literal] MCG, "TFTP software downloads"."""
PROGRESS: Final = "{kib:05d}K"
"""[literal] the download counter in KB the MCG's example prints (`01431K`)."""
WRONG_IMAGE: Final = "Aborted, wrong file"
"""[literal, the menu's Download OS screen] an image the switch cannot boot."""
TRANSFER_FAILED: Final = "Transfer failed: {reason}."
PASSWORD: Final = "{user}@{address}'s password: "
"""[inferred, as OpenSSH asks] the SFTP server's password."""
USERNAME: Final = "Username: "
"""[inferred] the SFTP server's user name, when the command names none."""
"""[inferred] a transfer that ended without the file (timeout, unreachable, server error)."""
TFTP_DISABLED: Final = "TFTP client is disabled."
"""[inferred] `copy ... tftp` after `no tftp client`."""
TFTP_OFF: Final = "Tftp and auto-tftp have been disabled."
"""[literal] what K.15 prints when `ip ssh filetransfer` turns TFTP off."""
SFTP_FIRST: Final = "SFTP must be disabled before enabling TFTP."
"""[inferred] `tftp client|server` while `ip ssh filetransfer` is on (the config could not
round-trip otherwise: `ip ssh filetransfer` turns both off again)."""
NOT_TEXT: Final = "Invalid configuration file."
"""[inferred] a startup config that is not text."""

MAX_CONFIG: Final = 1024 * 1024
"""Octets a downloaded config may have."""
LINE_ENDS: Final = {"unix": "\n", "pc": "\r\n"}

# -- the switch's files ---------------------------------------------------------------------

RUNNING: Final = "/cfg/running-config"
STARTUP: Final = "/cfg/startup-config"
OS_FILES: Final = {"/os/primary": "primary", "/os/secondary": "secondary"}
FILES: Final = (RUNNING, STARTUP, *OS_FILES)
"""The files scp and sftp reach, by the names the real switch gives them."""


class FileRefused(Exception):
    """An upload the switch does not take; the text says why."""


def read_file(device: Device, name: str) -> bytes:
    """A file's content (KeyError for a name the switch has no file by)."""
    if name == RUNNING:
        return device.running_text().encode()
    if name == STARTUP:
        return (device.startup_text() or device.running_text()).encode()
    image = OS_FILES[name]
    stored = device.flash.read_image(image)
    return stored if stored is not None else images.builtin(
        device.flash.images().get(image, hardware.SOFTWARE_REVISION))


def lookup(device: Device, name: str) -> bytes | None:
    """read_file for the switch's TFTP server: None for a name the switch has no file by."""
    try:
        return read_file(device, name)
    except KeyError:
        return None


def check_config(data: bytes) -> str:
    try:
        return data.decode("utf-8").replace("\r\n", "\n")
    except UnicodeDecodeError:
        raise FileRefused(NOT_TEXT) from None


def check_image(data: bytes) -> images.Image:
    try:
        return images.parse(data)
    except images.ImageError:
        raise FileRefused(WRONG_IMAGE) from None


async def store_startup(device: Device, text: str) -> None:
    """The new startup config, durable here and on the standby; the next boot runs it."""
    device.flash.write_startup(text)
    await device.flash_changed()


async def store_image(device: Device, image: str, data: bytes, version: str) -> None:
    device.flash.write_image(image, data, version)
    await device.flash_changed()


async def write_file(device: Device, name: str, data: bytes) -> None:
    """Replace a file with an upload (scp/sftp): checked whole first, then stored; the
    running config is not a file one replaces (KeyError like an unknown name)."""
    if name == STARTUP:
        await store_startup(device, check_config(data))
        return
    image = OS_FILES[name]
    await store_image(device, image, data, check_image(data).version)


# -- handlers -------------------------------------------------------------------------------

@dataclass(frozen=True)
class SftpTarget:
    """`USER@ADDR` or `ADDR`: the SFTP server and the user to log in as there."""

    address: IPv4Address
    user: str | None = None


@dataclass(frozen=True)
class UserAtAddress:
    """The SFTP forms' server parameter."""

    label: str = "[USER@]IP-ADDR"

    @property
    def placeholder(self) -> str:
        return self.label

    def parse(self, token: str) -> SftpTarget:
        user, at, address = token.rpartition("@")
        if at and not user:
            raise ValueError(token)
        return SftpTarget(IpAddress().parse(address), user or None)


def server(call: Call) -> tftp.Server:
    if not call.device.running.tftp_client:
        raise CliError(TFTP_DISABLED)
    return tftp.Server(call.address("ip-addr"), call.device.mgmt_netns)


async def sftp_server(call: Call) -> sftp_client.Server:
    """The SFTP server, with the user name (asked when the command names none) and the
    password the user types now."""
    target = call.value("sftp-server", SftpTarget)
    session = call.session
    user = target.user or await session.ask("\r\n" + USERNAME)
    password = await session.ask("\r\n" + PASSWORD.format(user=user, address=target.address),
                                 echo=False)
    return sftp_client.Server(target.address, user, password, call.device.mgmt_netns)


def over_sftp(call: Call) -> bool:
    return "sftp" in call.words


def as_text(call: Call, text: str) -> bytes:
    """Text as the file carries it: `pc` ends lines with CR LF, `unix` (the default) LF."""
    end = LINE_ENDS[call.text("eol", "unix")]
    return "".join(line + end for line in text.splitlines()).encode()


async def upload(call: Call, data: bytes) -> None:
    try:
        if over_sftp(call):
            await sftp_client.put(await sftp_server(call), call.text("filename"), data)
        else:
            await tftp.put(server(call), call.text("filename"), data)
    except (tftp.TftpError, sftp_client.SftpError) as exc:
        raise CliError(TRANSFER_FAILED.format(reason=exc)) from None


async def download(call: Call, limit: int) -> bytes:
    try:
        if over_sftp(call):
            return await sftp_client.get(await sftp_server(call), call.text("filename"), limit)
        return await tftp.get(server(call), call.text("filename"), limit)
    except (tftp.TftpError, sftp_client.SftpError) as exc:
        raise CliError(TRANSFER_FAILED.format(reason=exc)) from None


def check_client(call: Call) -> None:
    """Before any question: TFTP's client may be off (`no tftp client`)."""
    if not over_sftp(call):
        server(call)


async def copy_config_out(call: Call) -> None:
    """`copy running-config|startup-config tftp|sftp ...`: silent when done."""
    device = call.device
    which = call.text("config")
    text = device.running_text() if which == "running-config" else (
        device.startup_text() or device.running_text())
    await upload(call, as_text(call, text))


async def copy_flash_out(call: Call) -> None:
    """`copy flash tftp|sftp ... [primary|secondary]`: an image file (primary's by default), as
    another switch or a server keeps it."""
    image = call.text("image", "primary")
    await upload(call, read_file(call.device, f"/os/{image}"))


async def copy_event_log_out(call: Call) -> None:
    await upload(call, as_text(call, call.device.events.render()))


async def copy_command_output_out(call: Call) -> None:
    """`copy command-output "CMD" tftp|sftp ...`: the command runs as typed here (this user's
    level and context) and its output, errors included, is the file."""
    from emulator.commands import command_table  # the package holds every family's rows

    session = OutputCapture(call.session)
    tokens = tokenize(call.text("command"))
    try:
        outputs = await dispatch(command_table(), call.device, session, tokens)
        text = "\n".join([*session.emitted, *outputs])
    except (ParseError, CliError) as error:
        text = str(error)
    await upload(call, as_text(call, text))


async def copy_in_startup(call: Call) -> None:
    """`copy tftp|sftp startup-config ...`: asks, fetches the whole file, stores it (here and on
    the standby) and reboots the switch into it, as `erase startup-config` reboots; a failed
    transfer changes nothing."""
    device = call.device
    check_client(call)
    if not await call.session.confirm("\r\n" + REBOOT_QUESTION):
        return
    data = await download(call, MAX_CONFIG)
    try:
        text = check_config(data)
    except FileRefused as exc:
        raise CliError(str(exc)) from None
    await store_startup(device, text)
    await device.reboot(f"copy {'sftp' if over_sftp(call) else 'tftp'} startup-config")


async def copy_in_flash(call: Call) -> None:
    """`copy tftp|sftp flash SERVER FILE [primary|secondary]` (primary by default, as the MCG says):
    the image is fetched whole, checked, then written and synced to the standby."""
    image = call.text("image", "primary")
    check_client(call)
    if not await call.session.confirm("\r\n" + IMAGE_QUESTION.format(
            image=image.capitalize())):
        return
    data = await download(call, images.MAX_SIZE)
    await call.session.emit(PROGRESS.format(kib=len(data) // 1024))
    try:
        version = check_image(data).version
    except FileRefused as exc:
        raise CliError(str(exc)) from None
    await call.session.emit(WRITING_IMAGE)
    await store_image(call.device, image, data, version)


def set_tftp(call: Call) -> None:
    running = call.device.running
    if not call.negated and running.ssh_filetransfer:
        raise CliError(SFTP_FIRST)
    with refused():
        running.set_tftp(call.text("role"), not call.negated)


async def set_ssh_filetransfer(call: Call) -> None:
    running = call.device.running
    was_on = running.tftp_client or running.tftp_server
    running.set_ssh_filetransfer(not call.negated)
    if not call.negated and was_on:
        await call.session.emit(TFTP_OFF)


# -- the command inside `copy command-output` ----------------------------------------------

@dataclass
class OutputCapture:
    """The session a `copy command-output` command runs in: the user's level and context,
    its progress lines kept for the file, and nobody to answer a question (no)."""

    outer: SessionControl
    emitted: list[str] = field(default_factory=list)
    modes: list[Mode] = field(default_factory=list)

    @property
    def level(self) -> Level:
        return self.outer.level

    @property
    def mode(self) -> Mode:
        return self.modes[-1] if self.modes else self.outer.mode

    @property
    def transport(self) -> str:
        return self.outer.transport

    @property
    def session_number(self) -> int | None:
        return self.outer.session_number

    @property
    def interactive(self) -> bool:
        return False

    def set_level(self, level: Level) -> None:
        """The user's level stays."""

    def enter(self, mode: Mode) -> None:
        self.modes.append(mode)

    def exit_mode(self) -> None:
        if self.modes:
            self.modes.pop()

    def end(self) -> None:
        self.modes.clear()

    def set_paging(self, on: bool) -> None:
        """The file is never paged."""

    def set_terminal(self, *, width: int | None = None, length: int | None = None) -> None:
        """No terminal."""

    async def confirm(self, question: str) -> bool:
        return False

    async def ask(self, prompt: str, *, echo: bool = True) -> str:
        return ""

    async def emit(self, text: str) -> None:
        self.emitted.append(text)

    def hang_up(self) -> None:
        """The user's session goes on."""

    def history(self) -> list[str]:
        return self.outer.history()

    async def check_password(self, user: str, secret: str,
                             level: str | None = None) -> str | None:
        return None


HELP: Final = {
    "copy": "Copy data between files, flash images and servers.",
    "tftp": "Copy data to or from a TFTP server.",
    "sftp": "Copy data to or from an SFTP server.",
    "sftp-server": "The SFTP server's IP address, with the user name before an @.",
    "running-config": "Copy the running configuration.",
    "startup-config": "Copy the startup configuration.",
    "event-log": "Copy the event log.",
    "command-output": "Copy the output of a CLI command.",
    "command": "The command, quoted when it has blanks.",
    "flash": "Copy a software image to primary or secondary flash.",
    "primary": "Copy the image to primary flash.",
    "secondary": "Copy the image to secondary flash.",
    "ip-addr": "The IP address of the TFTP server.",
    "filename": "The file's name on the server.",
    "pc": "Lines end with CR LF.",
    "unix": "Lines end with LF.",
    "client": "Enable/disable the TFTP client.",
    "server": "Enable/disable the TFTP server.",
    "ip": "Configure IP parameters.",
    "ssh": "Configure the SSH server.",
    "filetransfer": "Enable/disable secure file transfer (scp, sftp).",
}

PARAMS: Final[dict[str, ParamType]] = {"ip-addr": IpAddress(), "filename": Text(),
                                       "command": Text(), "sftp-server": UserAtAddress()}
EOL: Final = "[{eol: pc|unix}]"
SERVERS: Final = ("tftp <ip-addr> <filename>", "sftp <sftp-server> <filename>")
"""Where a copy goes: the two protocols' server and file."""

ROWS: Final = (
    *(row for target in SERVERS for row in (
        Command(f"copy {{config: running-config|startup-config}} {target} {EOL}",
                copy_config_out, level=Level.MANAGER, params=PARAMS),
        Command(f"copy event-log {target} {EOL}", copy_event_log_out, level=Level.MANAGER,
                params=PARAMS),
        Command(f"copy command-output <command> {target} {EOL}", copy_command_output_out,
                level=Level.MANAGER, params=PARAMS),
        Command(f"copy flash {target} [{{image: primary|secondary}}]", copy_flash_out,
                level=Level.MANAGER, params=PARAMS),
    )),
    Command(f"copy tftp startup-config <ip-addr> <filename> {EOL}", copy_in_startup,
            level=Level.MANAGER, params=PARAMS),
    Command(f"copy sftp startup-config <sftp-server> <filename> {EOL}", copy_in_startup,
            level=Level.MANAGER, params=PARAMS),
    Command("copy tftp flash <ip-addr> <filename> [{image: primary|secondary}]",
            copy_in_flash, level=Level.MANAGER, params=PARAMS),
    Command("copy sftp flash <sftp-server> <filename> [{image: primary|secondary}]",
            copy_in_flash, level=Level.MANAGER, params=PARAMS),
    Command("tftp {role: client|server}", set_tftp, where=Where.CONFIG, level=Level.MANAGER,
            negate=set_tftp),
    Command("ip ssh filetransfer", set_ssh_filetransfer, where=Where.CONFIG,
            level=Level.MANAGER, negate=set_ssh_filetransfer),
)
