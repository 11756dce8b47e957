"""The SSH server's settings and keys: `[no] ip ssh`, `ip ssh port|timeout`, `[no] ip ssh
cipher|mac NAME`, `crypto key generate ssh [rsa bits 1024|2048]`, `crypto key zeroize ssh`,
`show ip ssh` and `show crypto host-public-key` (K.15 Access Security Guide, "Configuring
Secure Shell"). The module's SSH servers apply the ciphers, MACs and keys to new connections;
the port is the chassis' (`--ssh-port`) and only recorded here."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from emulator.cli.grammar import Command, IntRange, Level, Where
from emulator.commands.format import SHOW_HELP, refused, yes_no
from emulator.config.access import (
    SSH_CIPHERS,
    SSH_MACS,
    SSH_PORT_DEFAULT,
    SSH_PORT_RANGE,
    SSH_RSA_BITS,
    SSH_TIMEOUT_RANGE,
)

if TYPE_CHECKING:
    from emulator.cli.context import Call

REPLACE_KEY: Final = ("Installing a new key pair will overwrite the current one. Do you want "
                      "to continue [y/n]? ")
ZEROIZE: Final = "The SSH host key will be erased and SSH disabled. Continue [y/n]? "
"""[inferred] the confirmations before a host key is replaced or erased."""
NO_HOST_KEY: Final = "No host key: use crypto key generate ssh."
"""[inferred] `show crypto host-public-key` after `crypto key zeroize ssh`."""
REMOTE_SESSIONS: Final = 6
"""Network sessions the switch serves besides the console (`show ip ssh` lists 2-7)."""


def set_ssh(call: Call) -> None:
    call.device.running.ssh.enabled = not call.negated


def set_port(call: Call) -> None:
    call.device.running.ssh.port = call.number("port", SSH_PORT_DEFAULT)


def set_timeout(call: Call) -> None:
    call.device.running.ssh.timeout = call.number("seconds")


def set_algorithm(call: Call) -> None:
    kind = "cipher" if "cipher" in call.words else "mac"
    with refused():
        call.device.running.ssh_cipher_set(kind, call.text("name"), not call.negated)


async def generate_key(call: Call) -> None:
    device = call.device
    if device.host_public_keys and not await call.session.confirm("\r\n" + REPLACE_KEY):
        return
    for hook in device.on_host_key:
        await hook(int(call.text("bits", str(SSH_RSA_BITS[0]))))


async def zeroize_key(call: Call) -> None:
    if not await call.session.confirm("\r\n" + ZEROIZE):
        return
    for hook in call.device.on_host_key:
        await hook(None)


def _wrapped(label: str, names: list[str], width: int = 62) -> list[str]:
    """A comma-joined list cut at `width`, the lines after the first under the first name."""
    lines: list[str] = []
    current = ""
    for name in names:
        piece = f"{name},"
        if current and len(current) + len(piece) > width:
            lines.append(current)
            current = ""
        current += piece
    lines.append(current.rstrip(","))
    indent = " " * (len(label) + 3)
    return [f"  {label} : {lines[0]}", *(f"  {indent}{line}" for line in lines[1:])]


def _pair(left: tuple[str, str], right: tuple[str, str]) -> str:
    """Two `label : value` columns, each with its own label width, as the screen has them."""
    return f"{f'  {left[0]:<15} : {left[1]}':<40}{right[0]:<19} : {right[1]}"


def show_ip_ssh(call: Call) -> str:
    device = call.device
    ssh = device.running.ssh
    key_type = "RSA" if device.host_key_bits else "None"
    lines = ["",
             _pair(("SSH Enabled", yes_no(ssh.enabled and bool(device.host_public_keys))),
                   ("Secure Copy Enabled", yes_no(device.running.ssh_filetransfer))),
             _pair(("TCP Port Number", str(ssh.port)), ("Timeout (sec)", str(ssh.timeout))),
             _pair(("Host Key Type", key_type), ("Host Key Size", str(device.host_key_bits))),
             "", *_wrapped("Ciphers", ssh.ciphers), *_wrapped("MACs   ", ssh.macs), "",
             "  Ses Type     | Source IP                                      Port",
             "  --- -------- + ---------------------------------------------- -----"]
    open_sessions = {session.number: session for session in device.sessions}
    for number in range(1, REMOTE_SESSIONS + 2):
        session = open_sessions.get(number)
        kind = "inactive" if session is None else session.transport
        remote = session is not None and session.transport != "console"
        address = session.address if session is not None and remote else ""
        port = str(session.port) if session is not None and remote else ""
        lines.append(f"  {number:<3} {kind:<8} | {address:<46} {port}".rstrip())
    return "\n".join(lines) + "\n"


def show_host_key(call: Call) -> str:
    keys = call.device.host_public_keys
    return "\n".join(keys) + "\n" if keys else NO_HOST_KEY


HELP: Final = {
    "show": SHOW_HELP,
    "ip": "Configure various IP parameters for the VLAN.",
    "ssh": "Configure the SSH server.",
    "port": "Set the TCP port the SSH server listens on.",
    "default": "Set the port back to 22.",
    "timeout": "Set the seconds a connection may take to log in.",
    "cipher": "Enable/disable an encryption algorithm.",
    "mac": "Enable/disable a message authentication code.",
    "crypto": "Manage the switch's cryptographic keys.",
    "key": "Generate or erase a key.",
    "generate": "Generate a new key pair.",
    "zeroize": "Erase a key pair.",
    "rsa": "An RSA key pair.",
    "bits": "The key's size.",
    "host-public-key": "Display the SSH host public key.",
}

CIPHER: Final = f"{{name: {'|'.join(SSH_CIPHERS)}}}"
MAC: Final = f"{{name: {'|'.join(SSH_MACS)}}}"
BITS: Final = f"{{bits: {'|'.join(str(b) for b in SSH_RSA_BITS)}}}"

ROWS: Final = (
    Command("ip ssh", set_ssh, where=Where.CONFIG, level=Level.MANAGER, negate=set_ssh),
    Command("ip ssh port <port>", set_port, where=Where.CONFIG, level=Level.MANAGER,
            params={"port": IntRange(*SSH_PORT_RANGE)}),
    Command("ip ssh port default", set_port, where=Where.CONFIG, level=Level.MANAGER),
    Command("ip ssh timeout <seconds>", set_timeout, where=Where.CONFIG, level=Level.MANAGER,
            params={"seconds": IntRange(*SSH_TIMEOUT_RANGE)}),
    Command(f"ip ssh cipher {CIPHER}", set_algorithm, where=Where.CONFIG,
            level=Level.MANAGER, negate=set_algorithm),
    Command(f"ip ssh mac {MAC}", set_algorithm, where=Where.CONFIG, level=Level.MANAGER,
            negate=set_algorithm),
    Command(f"crypto key generate ssh [rsa bits {BITS}]", generate_key, where=Where.CONFIG,
            level=Level.MANAGER),
    Command("crypto key zeroize ssh", zeroize_key, where=Where.CONFIG, level=Level.MANAGER),
    Command("show ip ssh", show_ip_ssh),
    Command("show crypto host-public-key", show_host_key, level=Level.MANAGER),
)
