"""Authentication, authorization and accounting settings (K.15 Access Security Guide, "RADIUS
Authentication, Authorization, and Accounting" and "TACACS+ Authentication"): the RADIUS and
TACACS+ servers, which method checks each way in (`aaa authentication ...`) and what is
accounted. Data and its rules only; emulator/aaa/ holds the clients that act on them.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from typing import Final

RADIUS_HOSTS_MAX: Final = 3
TACACS_HOSTS_MAX: Final = 2
"""K.15 keeps up to three RADIUS servers and two TACACS+ servers, asked in the order
configured."""
RADIUS_AUTH_PORT: Final = 1812
RADIUS_ACCT_PORT: Final = 1813
TACACS_PORT: Final = 49
RADIUS_TIMEOUT: Final = (1, 15, 5)
RADIUS_RETRANSMIT: Final = (1, 5, 3)
RADIUS_DEAD_TIME: Final = (1, 1440)
TACACS_TIMEOUT: Final = (1, 255, 5)
"""(lowest, highest, default): seconds to wait for an answer, and how many times a RADIUS
request is sent again before the next server is tried."""
KEY_MAX: Final = 100
"""Longest shared secret (`key` of radius-server/tacacs-server)."""
SERVERS_FULL: Final = "Unable to add more {kind} servers: maximum is {limit}."
"""[inferred] the manual names the limits, not the refusal's words."""

ACCESS_METHODS: Final = ("console", "telnet", "ssh", "web", "port-access")
"""`aaa authentication METHOD ...`, in the order the config and `show authentication` list
them."""
TASKS: Final = ("login", "enable")
PRIMARY_METHODS: Final = ("local", "radius", "tacacs", "public-key")
SECONDARY_METHODS: Final = ("none", "local")
DEFAULT_METHOD: Final = ("local", "none")
PUBLIC_KEY_ONLY_SSH: Final = "public-key is only valid for ssh login."
"""[inferred] `public-key` is an SSH login method only."""
LOCAL_THEN_NONE: Final = "When the primary method is local, the secondary must be none."
"""The manual: "If the primary method is local, the secondary method must be none" (the
refusal's words are inferred)."""

NUM_ATTEMPTS: Final = (1, 10, 3)
"""`aaa authentication num-attempts N`: failed tries per session before it is closed."""

ACCOUNTING_TYPES: Final = ("exec", "network", "system", "commands")
ACCOUNTING_MODES: Final = ("start-stop", "stop-only", "interim-update")
ACCOUNTING_SERVERS: Final = ("radius", "tacacs")
ACCOUNTING_UPDATE: Final = (1, 525600)
"""`aaa accounting update periodic N`: minutes between interim updates."""


@dataclass(frozen=True)
class RadiusServer:
    """`radius-server host ADDR [auth-port N] [acct-port N] [key KEY]`."""

    address: ipaddress.IPv4Address
    auth_port: int = RADIUS_AUTH_PORT
    acct_port: int = RADIUS_ACCT_PORT
    key: str = ""
    """Empty: the global `radius-server key`."""


@dataclass(frozen=True)
class TacacsServer:
    """`tacacs-server host ADDR [key KEY]`."""

    address: ipaddress.IPv4Address
    key: str = ""


@dataclass(frozen=True)
class Accounting:
    """`aaa accounting TYPE MODE radius|tacacs`."""

    mode: str
    server: str


@dataclass
class AaaConfig:
    radius_hosts: list[RadiusServer] = field(default_factory=list)
    radius_key: str = ""
    radius_timeout: int = RADIUS_TIMEOUT[2]
    radius_retransmit: int = RADIUS_RETRANSMIT[2]
    radius_dead_time: int | None = None
    """Minutes a server that did not answer is skipped; None: never skipped."""
    tacacs_hosts: list[TacacsServer] = field(default_factory=list)
    tacacs_key: str = ""
    tacacs_timeout: int = TACACS_TIMEOUT[2]
    methods: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)
    """(access method, task) -> (primary, secondary), away from local/none."""
    privilege_mode: bool = False
    """`aaa authentication login privilege-mode`: a server's login answer names the level
    (manager or operator) at once, with no second login for `enable`."""
    num_attempts: int = NUM_ATTEMPTS[2]
    accounting: dict[str, Accounting] = field(default_factory=dict)
    accounting_update: int | None = None

    def method(self, access: str, task: str) -> tuple[str, str]:
        return self.methods.get((access, task), DEFAULT_METHOD)

    def set_method(self, access: str, task: str, primary: str, secondary: str) -> None:
        """Raises ValueError with the switch's words for a pairing it refuses."""
        if primary == "public-key" and (access, task) != ("ssh", "login"):
            raise ValueError(PUBLIC_KEY_ONLY_SSH)
        if primary == "local" and secondary != "none":
            raise ValueError(LOCAL_THEN_NONE)
        if (primary, secondary) == DEFAULT_METHOD:
            self.methods.pop((access, task), None)
        else:
            self.methods[(access, task)] = (primary, secondary)

    def radius_host_set(self, server: RadiusServer) -> None:
        """A host already configured is replaced in its place (the order servers are asked
        in is the order they were first configured)."""
        for index, existing in enumerate(self.radius_hosts):
            if existing.address == server.address:
                self.radius_hosts[index] = server
                return
        if len(self.radius_hosts) >= RADIUS_HOSTS_MAX:
            raise ValueError(SERVERS_FULL.format(kind="RADIUS", limit=RADIUS_HOSTS_MAX))
        self.radius_hosts.append(server)

    def radius_host_remove(self, address: ipaddress.IPv4Address) -> None:
        self.radius_hosts = [s for s in self.radius_hosts if s.address != address]

    def tacacs_host_set(self, server: TacacsServer) -> None:
        for index, existing in enumerate(self.tacacs_hosts):
            if existing.address == server.address:
                self.tacacs_hosts[index] = server
                return
        if len(self.tacacs_hosts) >= TACACS_HOSTS_MAX:
            raise ValueError(SERVERS_FULL.format(kind="TACACS", limit=TACACS_HOSTS_MAX))
        self.tacacs_hosts.append(server)

    def tacacs_host_remove(self, address: ipaddress.IPv4Address) -> None:
        self.tacacs_hosts = [s for s in self.tacacs_hosts if s.address != address]
