"""The container's start path: `procurve-emu run --auto-ports` as PID 1 of a lab node.

containerlab starts the container with only `eth0` (management) and adds `eth1..N` afterwards,
announcing how many in `CLAB_INTFS`; GNS3 attaches every `ethN` before the start and gives the
node no management interface of its own. So the ports are taken from whatever `ethN` the
node's network namespace holds once the announced number is there, and one variable
(PROCURVE_MGMT_INTERFACE) says which interface, if any, is management rather than a port.

Also here: the health check a container engine runs (`procurve-emu health`), which is healthy
only when the active management module's CLI answers on its SSH port.
"""

from __future__ import annotations

import contextlib
import re
import select
import socket
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final

from emulator import hardware, ipc

MGMT_DEFAULT: Final = "eth0"
NO_MGMT: Final = "none"
"""PROCURVE_MGMT_INTERFACE value for GNS3: every ethN is a data port."""
INTFS_VARIABLE: Final = "CLAB_INTFS"
"""containerlab's count of data interfaces it will attach (eth0 not included)."""
INTFS_WAIT: Final = 300.0
"""Seconds to wait for CLAB_INTFS interfaces; containerlab's own wait script allows as long."""
_ETH: Final = re.compile(r"^eth(\d+)$")
RTMGRP_LINK: Final = 1
"""Netlink multicast group of link changes: an interface appearing wakes the wait."""
HEALTH_TIMEOUT: Final = 5.0
SSH_IDENT: Final = b"SSH-"

CONTAINER_ENV: Final[dict[str, str]] = {
    "PROCURVE_DATA_DIR": "/flash",
    "PROCURVE_LISTEN": "0.0.0.0",
    "PROCURVE_SSH_PORT": "22",
    "PROCURVE_TELNET_PORT": "23",
    "PROCURVE_SNMP_PORT": "161",
    "PROCURVE_AUTO_PORTS": "1",
    "PROCURVE_MGMT_INTERFACE": MGMT_DEFAULT,
    "PROCURVE_MGMT_NETNS": "self",
}
"""The image's environment (the Dockerfile's ENV lines say the same; a test holds them equal):
`procurve-emu lab` gives an emulated node exactly what a container would have. The container is
the switch, so its VLAN addresses live in the container's own namespace (`self`)."""


def data_interfaces(mgmt: str | None) -> list[str]:
    """Every `ethN` of this network namespace but the management one, in numeric order
    (eth2 before eth10), which is the order containerlab numbers a node's links in."""
    names = [name for _, name in socket.if_nameindex() if _ETH.match(name) and name != mgmt]
    return sorted(names, key=lambda name: int(name[3:]))


def wait_for_interfaces(count: int, mgmt: str | None, log: Callable[[str], None],
                        timeout: float = INTFS_WAIT) -> list[str]:
    """The data interfaces once `count` of them exist, or what is there at the deadline
    (logged: a lab with a missing link still boots). The kernel's link notifications wake
    the wait, so it ends the moment the last interface appears."""
    with socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE) as events:
        events.bind((0, RTMGRP_LINK))
        events.setblocking(False)
        found = data_interfaces(mgmt)
        if len(found) < count:
            log(f"waiting up to {timeout:.0f} s for {count} data interfaces "
                f"({INTFS_VARIABLE}); {len(found)} present")
        deadline = time.monotonic() + timeout
        while len(found) < count:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                log(f"only {len(found)} of {count} data interfaces after {timeout:.0f} s; "
                    "starting with those")
                break
            select.select([events], [], [], remaining)
            with contextlib.suppress(BlockingIOError):
                while events.recv(65536):
                    pass
            now = data_interfaces(mgmt)
            if now != found:
                log(f"data interfaces: {', '.join(now) or 'none'}")
            found = now
        return found


def assign_ports(interfaces: list[str], explicit: dict[str, str],
                 inventory: hardware.Inventory) -> dict[str, str]:
    """The documented map: ports wired explicitly (--port, PROCURVE_PORTS) keep their
    back-end, and every other interface takes the next free port in chassis order (A1..A24,
    then B1..). ValueError when the chassis has too few ports."""
    from emulator.fabric.process import Backend, parse_backend

    taken = {parse_backend(spec).ifname for spec in explicit.values()}
    interfaces = [name for name in interfaces if name not in taken]
    free = [port for port in inventory.ports() if port not in explicit]
    if len(interfaces) > len(free):
        raise ValueError(f"{len(interfaces)} data interfaces but only {len(free)} free ports")
    auto = {port: str(Backend("afpacket", ifname=name)) for port, name in
            zip(free[: len(interfaces)], interfaces, strict=True)}
    return dict(sorted({**explicit, **auto}.items(),
                       key=lambda item: hardware.port_sort_key(item[0])))


def auto_ports(explicit: dict[str, str], mgmt_interface: str, intfs: str | None,
               log: Callable[[str], None]) -> dict[str, str]:
    """--auto-ports: wait for containerlab's interfaces when it announced them, then map."""
    mgmt = None if mgmt_interface == NO_MGMT else mgmt_interface
    if intfs is not None and intfs.strip():
        if not intfs.strip().isdigit():
            raise ValueError(f"{INTFS_VARIABLE}: not a number: {intfs!r}")
        interfaces = wait_for_interfaces(int(intfs), mgmt, log)
    else:
        interfaces = data_interfaces(mgmt)
    ports = assign_ports(interfaces, explicit, hardware.Inventory())
    log("ports: " + (", ".join(f"{p}={b}" for p, b in ports.items()) or "none"))
    return ports


def active_ready(status: dict[str, Any]) -> bool:
    """Whether a management module holds mastership and has finished booting."""
    return any(m["role"] == "active" and m["ready"] for m in status["modules"])


def health(data_dir: Path, timeout: float = HEALTH_TIMEOUT) -> str | None:
    """None when healthy, else why not. Healthy means the active module answers a client:
    the chassis holds the listening SSH socket even while no module serves it, so a
    connection alone proves nothing; the SSH identification line comes from the module."""
    from emulator.chassis import CONTROL_SOCKET

    try:
        reply = ipc.request(data_dir / CONTROL_SOCKET, ipc.StatusRequest(), timeout)
    except (OSError, EOFError, ipc.IpcError) as exc:
        return f"no chassis answers in {data_dir}: {exc}"
    if not isinstance(reply, ipc.StatusReply):
        return f"unexpected answer {reply.kind} from the chassis"
    status = reply.status
    if not active_ready(status):
        return "no active management module is ready"
    listen = status["chassis"]["listen"]
    host = "127.0.0.1" if listen in ("0.0.0.0", "::") else listen
    try:
        with socket.create_connection((host, status["chassis"]["ssh_port"]), timeout) as sock:
            ident = sock.recv(len(SSH_IDENT))
    except OSError as exc:
        return f"the CLI does not answer on {host}:{status['chassis']['ssh_port']}: {exc}"
    return None if ident == SSH_IDENT else f"the CLI answered {ident!r}"
