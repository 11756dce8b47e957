"""Who may manage the switch over the network, and over what: `ip authorized-managers`,
`[no] telnet-server`, `ip ssh ...` (K.15 Access Security Guide, "Using Authorized IP Managers"
and "Configuring Secure Shell"). Data and its rules only; the transports ask `admits()` and
`authorized_level()` before a session starts, and commands/access.py, commands/ssh.py change
them.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from typing import Final

AUTHORIZED_MANAGERS_MAX: Final = 100
"""`Up to 100 authorized manager addresses` (K.15)."""
AUTHORIZED_MANAGERS_FULL: Final = "Unable to add more authorized managers: maximum is {limit}."
"""[inferred] the manual names the limit, not the refusal's words."""
HOST_MASK: Final = ipaddress.IPv4Address("255.255.255.255")
"""An entry without a mask authorizes only its own address."""
ACCESS_LEVELS: Final = ("manager", "operator")
"""`access manager|operator`; manager is the default."""
MANAGER_METHODS: Final = ("all", "ssh", "telnet", "web", "snmp", "tftp")
"""`access-method ...` (K.15.15 and later): which way in an entry governs; all, the default,
is unwritten. Each way in has its own list: the entries for it and those for all."""

SSH_CIPHERS: Final = ("aes256-ctr", "aes256-cbc", "rijndael-cbc@lysator.liu.se", "aes192-ctr",
                      "aes192-cbc", "aes128-ctr", "aes128-cbc", "3des-cbc")
"""`ip ssh cipher NAME`: the ciphers K.15 offers, in the order `show ip ssh` lists them; all
are on by default and `no ip ssh cipher NAME` takes one out."""
SSH_MACS: Final = ("hmac-sha1-96", "hmac-md5", "hmac-sha1", "hmac-md5-96")
"""`ip ssh mac NAME`, likewise."""
SSH_PORT_DEFAULT: Final = 22
SSH_PORT_RANGE: Final = (1, 65535)
SSH_TIMEOUT_DEFAULT: Final = 120
SSH_TIMEOUT_RANGE: Final = (5, 120)
"""`ip ssh timeout N`: seconds a connection may take to log in."""
SSH_RSA_BITS: Final = (2048, 1024)
"""`crypto key generate ssh rsa bits N`: K.15's host key sizes, the default first."""
SSH_LAST_CIPHER: Final = "At least one cipher must be enabled."
"""[inferred] refusing to take out the last cipher (a server with none serves nobody)."""


@dataclass(frozen=True)
class AuthorizedManager:
    """`ip authorized-managers ADDR [MASK] [access manager|operator]`: the stations whose
    address matches ADDR in the bits of MASK may manage the switch, at that level at most."""

    address: ipaddress.IPv4Address
    mask: ipaddress.IPv4Address = HOST_MASK
    access: str = ACCESS_LEVELS[0]
    method: str = MANAGER_METHODS[0]

    def matches(self, source: ipaddress.IPv4Address) -> bool:
        bits = int(self.mask)
        return int(source) & bits == int(self.address) & bits


@dataclass
class SshSettings:
    """`ip ssh ...` away from the defaults: the server on, port 22, every cipher and MAC."""

    enabled: bool = True
    port: int = SSH_PORT_DEFAULT
    timeout: int = SSH_TIMEOUT_DEFAULT
    ciphers: list[str] = field(default_factory=lambda: list(SSH_CIPHERS))
    macs: list[str] = field(default_factory=lambda: list(SSH_MACS))


def authorized_level(entries: list[AuthorizedManager], source: str,
                     service: str) -> str | None:
    """The highest level an address may manage the switch at over `service` (ssh, telnet,
    snmp...): `manager` while no entry governs that service (the feature is off for it), None
    when entries do and none matches. A source that is not an IPv4 address (the console) is
    not the feature's business."""
    entries = [entry for entry in entries if entry.method in (MANAGER_METHODS[0], service)]
    if not entries:
        return ACCESS_LEVELS[0]
    try:
        address = ipaddress.IPv4Address(source)
    except ValueError:
        return ACCESS_LEVELS[0]
    levels = {entry.access for entry in entries if entry.matches(address)}
    return next((level for level in ACCESS_LEVELS if level in levels), None)


def cap_level(level: str, ceiling: str | None) -> str | None:
    """A level granted by a password or a server, lowered to the authorized ceiling."""
    if ceiling is None:
        return None
    return level if ACCESS_LEVELS.index(level) >= ACCESS_LEVELS.index(ceiling) else ceiling
