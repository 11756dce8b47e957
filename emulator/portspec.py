"""Port back-end specs as the command line, the environment and the lab files give them:
`A1=tap:lab1`, `afpacket:eth1`, `udp:LPORT:RHOST:RPORT`. Parsed here, below both the chassis'
entry point (which validates them before anything starts) and the fabric (which opens them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from emulator import hardware

BACKEND_KINDS: Final = ("tap", "afpacket", "udp")
_IFNAME: Final = re.compile(r"^[A-Za-z0-9_.:@-]{1,15}$")
"""Linux IFNAMSIZ is 16 with the NUL; '/' and whitespace are never valid in a name."""


@dataclass(frozen=True)
class Backend:
    """Where a port's frames go: a TAP device, a host interface, or a UDP tunnel."""

    kind: str
    ifname: str = ""
    local_port: int = 0
    remote_host: str = ""
    remote_port: int = 0

    def __str__(self) -> str:
        if self.kind == "udp":
            host = f"[{self.remote_host}]" if ":" in self.remote_host else self.remote_host
            return f"udp:{self.local_port}:{host}:{self.remote_port}"
        return f"{self.kind}:{self.ifname}"


def _udp_port(text: str, what: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise ValueError(f"bad {what} {text!r} (1-65535)")
    return int(text)


def parse_backend(text: str) -> Backend:
    """`tap:NAME`, `afpacket:IFNAME` or `udp:LPORT:RHOST:RPORT`; ValueError says what is wrong."""
    kind, sep, rest = text.partition(":")
    if not sep or kind not in BACKEND_KINDS:
        raise ValueError(
            f"bad back-end {text!r}: use tap:NAME, afpacket:IFNAME or udp:LPORT:RHOST:RPORT"
        )
    if kind in ("tap", "afpacket"):
        if not _IFNAME.match(rest) or rest in (".", ".."):
            raise ValueError(f"bad interface name {rest!r} in {text!r}")
        return Backend(kind, ifname=rest)
    local, sep1, tail = rest.partition(":")
    host, sep2, remote = tail.rpartition(":")
    if not (sep1 and sep2 and host):
        raise ValueError(f"bad back-end {text!r}: use udp:LPORT:RHOST:RPORT")
    host = host[1:-1] if host.startswith("[") and host.endswith("]") else host
    if not host or any(c.isspace() for c in host):
        raise ValueError(f"bad remote host {host!r} in {text!r}")
    return Backend(
        "udp",
        local_port=_udp_port(local, "local UDP port"),
        remote_host=host,
        remote_port=_udp_port(remote, "remote UDP port"),
    )


def parse_port_assignment(
    text: str, inventory: hardware.Inventory | None = None
) -> tuple[str, Backend]:
    """`A1=tap:lab1` -> ("A1", Backend); the port must be installed in `inventory`."""
    name, sep, backend = text.partition("=")
    if not sep:
        raise ValueError(f"bad port {text!r}: use PORT=BACKEND, e.g. A1=tap:lab1")
    try:
        slot, number = hardware.split_port(name.strip())
    except hardware.PortListError:
        raise ValueError(f"no such port {name!r}") from None
    port = f"{slot}{number}"
    if not (inventory or hardware.Inventory()).has_port(port):
        raise ValueError(f"no such port {port!r} on this chassis")
    return port, parse_backend(backend.strip())
