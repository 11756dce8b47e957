"""The fabric process: long-lived, holds the port back-ends, answers the chassis.

Kept tiny on purpose until the data plane lands: it validates and remembers each port's
back-end so that `procurve-emu status` can show the wiring, and it lives in its own process
from day one so that killing a management module never touches the ports.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import signal
import socket
from dataclasses import dataclass
from typing import Final

from emulator import hardware, ipc

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


class Fabric:
    """What the fabric knows today: the wiring of each port."""

    def __init__(self, ports: dict[str, Backend]) -> None:
        self.ports = dict(sorted(ports.items(), key=lambda kv: hardware.port_sort_key(kv[0])))

    def report(self) -> ipc.PortsReply:
        return ipc.PortsReply([ipc.PortReport(p, str(b)) for p, b in self.ports.items()])

    async def serve(self, link: ipc.Link) -> None:
        """Answer the chassis until it hangs up: the fabric has no life without a backplane."""
        await link.send(ipc.Hello("fabric", os.getpid()))
        while True:
            try:
                msg, socks = await link.recv()
            except EOFError:
                return
            for sock in socks:
                sock.close()
            if isinstance(msg, ipc.PortsRequest):
                await link.send(self.report())
            else:
                await link.send(ipc.Failure(f"fabric does not take {msg.kind}"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="procurve-emu fabric")
    parser.add_argument("--ipc-fd", type=int, required=True)
    parser.add_argument("--port", action="append", default=[])
    args = parser.parse_args(argv)
    # A terminal's Ctrl-C reaches the whole process group; the chassis decides when we stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    ports = dict(parse_port_assignment(p) for p in args.port)
    link = ipc.Link(socket.socket(fileno=args.ipc_fd))
    asyncio.run(Fabric(ports).serve(link))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
