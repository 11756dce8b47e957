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

import os
import re
import select
import socket
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Final

from emulator import hardware
from emulator.ipc import wire
from emulator.ipc.messages import StatusReply, StatusRequest
from emulator.labnode import INTFS_VARIABLE, MGMT_DEFAULT, MGMT_VARIABLE, NO_MGMT, active_ready

INTFS_WAIT: Final = 300.0
"""Seconds to wait for CLAB_INTFS interfaces; containerlab's own wait script allows as long."""
_ETH: Final = re.compile(r"^eth(\d+)$")
HEALTH_TIMEOUT: Final = 5.0
SSH_IDENT: Final = b"SSH-"

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
    from emulator.fabric.afpacket import drain_events, link_events

    with link_events() as events:
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
            drain_events(events)
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
    from emulator.portspec import Backend, parse_backend

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
               log: Callable[[str], None], inventory: hardware.Inventory) -> dict[str, str]:
    """--auto-ports: wait for containerlab's interfaces when it announced them, then map them
    onto the ports of the modules the chassis will hold."""
    mgmt = None if mgmt_interface == NO_MGMT else mgmt_interface
    if intfs is not None and intfs.strip():
        if not intfs.strip().isdigit():
            raise ValueError(f"{INTFS_VARIABLE}: not a number: {intfs!r}")
        interfaces = wait_for_interfaces(int(intfs), mgmt, log)
    else:
        interfaces = data_interfaces(mgmt)
    ports = assign_ports(interfaces, explicit, inventory)
    log("ports: " + (", ".join(f"{p}={b}" for p, b in ports.items()) or "none"))
    return ports


def missing_interfaces(environ: Mapping[str, str]) -> str | None:
    """Why the chassis has not started yet when it is still waiting for containerlab's
    links, else None. After `docker start` of a stopped node they never come: containerlab
    makes a node's veths at deploy, and the old ones died with the container."""
    intfs = environ.get(INTFS_VARIABLE, "").strip()
    if not intfs.isdigit():
        return None
    mgmt = environ.get(MGMT_VARIABLE) or MGMT_DEFAULT
    present = len(data_interfaces(None if mgmt == NO_MGMT else mgmt))
    if present >= int(intfs):
        return None
    return (f"waiting for data interfaces: {present} of {intfs} ({INTFS_VARIABLE}) present; "
            "a node started again with `docker start` needs its links made anew "
            "(containerlab restarts a node with its links: lab_topologies/containerlab.md)")


def health(data_dir: Path, timeout: float = HEALTH_TIMEOUT) -> str | None:
    """None when healthy, else why not. Healthy means the active module answers a client:
    the chassis holds the listening SSH socket even while no module serves it, so a
    connection alone proves nothing; the SSH identification line comes from the module."""
    from emulator.datadir import CONTROL_SOCKET

    try:
        reply = wire.request(data_dir / CONTROL_SOCKET, StatusRequest(), timeout)
    except (OSError, EOFError, wire.IpcError) as exc:
        return missing_interfaces(os.environ) or f"no chassis answers in {data_dir}: {exc}"
    if not isinstance(reply, StatusReply):
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
