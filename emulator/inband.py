"""In-band management: the switch's own IP stack is a Linux network namespace.

`vlan N ip address A/M` must answer ARP and ping and serve SSH, telnet and SNMP to hosts on that
VLAN. Rather than an IP stack in Python, each address lives on an interface `vlanN` of a network
namespace that belongs to the switch: a TAP whose other end is a member of VLAN N in the fabric's
bridge (emulator/fabric/inband.py). The kernel answers ARP and ping; the chassis binds listening
sockets inside the namespace (it holds them across switchovers, as it does its loopback ones);
`show arp` and `ping` read and use the same stack.

Where the stack lives (`--mgmt-netns`):
- `auto` (default): a namespace of this chassis, `pcv-<8 hex digits of the data directory>`,
  made at start and removed at stop, when the chassis runs as root with /dev/net/tun; else none.
- NAME: that namespace (made if absent, and then removed at stop).
- `self`: the chassis' own namespace, as in a container whose ports are all data ports (GNS3).
- `none`: no in-band management; VLAN addresses are config only.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import hashlib
import ipaddress
import json
import os
import re
import socket
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Final

AUTO: Final = "auto"
SELF: Final = "self"
NONE: Final = "none"
PORTS: Final = {"ssh": 22, "telnet": 23, "snmp": 161}
"""The switch's own ports on its VLAN addresses: the real ones (the namespace is ours alone)."""
SUFFIX: Final = "-inband"
"""The in-band sockets' names in a grant: `ssh-inband` beside the out-of-band `ssh`."""
NETNS_DIR: Final = Path("/run/netns")
NETNS_PREFIX: Final = "pcv-"
INTERFACE_PREFIX: Final = "vlan"
"""`vlan10` in the namespace is the switch's interface in VLAN 10."""
CLONE_NEWNET: Final = 0x40000000
CLONE_NEWNS: Final = 0x00020000
MS_REC: Final = 0x4000
MS_SLAVE: Final = 1 << 19
MS_RDONLY: Final = 1
MNT_DETACH: Final = 2
MIN_TIMED_SIZE: Final = 16
"""Below this payload iputils' ping carries no timestamp and prints no round trip: smaller
sizes (the switch's default is 0) use ping's own default."""
_NAME_RE: Final = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
_RTT_RE: Final = re.compile(r"time[=<]([0-9.]+) ms")
_REACHABLE: Final = frozenset({"REACHABLE", "STALE", "DELAY", "PROBE", "PERMANENT", "NOARP"})


class InbandError(OSError):
    """The namespace cannot be made or entered (no privilege, no iproute2)."""


def resolve(mode: str, data_dir: Path) -> str | None:
    """The namespace the stack lives in (`self` for our own), or None for no in-band stack."""
    if mode == NONE:
        return None
    if mode != AUTO:
        return mode
    if os.geteuid() != 0 or not Path("/dev/net/tun").exists():
        return None
    digest = hashlib.sha1(str(data_dir.resolve()).encode()).hexdigest()[:8]
    return NETNS_PREFIX + digest


def check_mode(text: str) -> str:
    """`--mgmt-netns` values; ValueError says what is wrong."""
    if text in (AUTO, SELF, NONE) or (_NAME_RE.match(text) and text not in (".", "..")):
        return text
    raise ValueError(f"bad namespace {text!r}: use auto, self, none or a namespace name")


def interface_name(vid: int) -> str:
    return f"{INTERFACE_PREFIX}{vid}"


def ip_command(netns: str, *args: str) -> list[str]:
    """`ip` run against the stack's namespace."""
    return ["ip", *(() if netns == SELF else ("-n", netns)), *args]


def in_stack(netns: str, *argv: str) -> list[str]:
    """A command run inside the stack's namespace."""
    return list(argv) if netns == SELF else ["ip", "netns", "exec", netns, *argv]


def create(netns: str) -> bool:
    """Make the namespace (with loopback up) unless it exists; True when this call made it."""
    if netns == SELF:
        return False
    made = not (NETNS_DIR / netns).exists()
    try:
        if made:
            subprocess.run(["ip", "netns", "add", netns], check=True, capture_output=True)
        subprocess.run(ip_command(netns, "link", "set", "lo", "up"), check=True,
                       capture_output=True)
    except (OSError, subprocess.CalledProcessError) as exc:
        detail = exc.stderr.decode(errors="replace").strip() if isinstance(
            exc, subprocess.CalledProcessError) else str(exc)
        raise InbandError(f"cannot make network namespace {netns}: {detail}") from None
    return made


def remove(netns: str) -> None:
    subprocess.run(["ip", "netns", "del", netns], check=False, capture_output=True)


_libc = ctypes.CDLL(None, use_errno=True)


def _setns(fd: int) -> None:
    _libc_call("setns", _libc.setns(fd, CLONE_NEWNET))


def _libc_call(name: str, result: int) -> None:
    if result != 0:
        errno = ctypes.get_errno()
        raise InbandError(errno, f"{name}: {os.strerror(errno)}")


def move_into(netns: str) -> None:
    """Move this process into `netns` for good, as `ip netns exec` does before it runs a
    command: setns, then a mount namespace of its own (its mounts never reach the host's)
    where /sys is mounted again, so that /sys/class/net lists the namespace's interfaces (a
    TAP port looks itself up there). The process must have one thread (unshare refuses
    otherwise). /etc/netns/NAME, which ip bind-mounts over /etc, is not read: no lab
    makes one."""
    target = os.open(NETNS_DIR / netns, os.O_RDONLY | os.O_CLOEXEC)
    try:
        _setns(target)
    finally:
        os.close(target)
    _libc_call("unshare", _libc.unshare(CLONE_NEWNS))
    _libc_call("mount /", _libc.mount(b"", b"/", b"none", MS_SLAVE | MS_REC, None))
    flags = 0
    if _libc.umount2(b"/sys", MNT_DETACH) != 0 and os.statvfs("/sys").f_flag & os.ST_RDONLY:
        flags = MS_RDONLY  # (ip's way: a /sys it cannot unmount stays as read-only as it was)
    _libc_call("mount /sys", _libc.mount(netns.encode(), b"/sys", b"sysfs", flags, None))


@contextlib.contextmanager
def entered(netns: str) -> Iterator[None]:
    """Sockets made inside this block belong to the namespace (and stay there after it).
    setns moves only the calling thread, and the chassis makes its sockets on its one thread."""
    if netns == SELF:
        yield
        return
    home = os.open("/proc/self/ns/net", os.O_RDONLY | os.O_CLOEXEC)
    try:
        target = os.open(NETNS_DIR / netns, os.O_RDONLY | os.O_CLOEXEC)
        try:
            _setns(target)
            try:
                yield
            finally:
                _setns(home)
        finally:
            os.close(target)
    finally:
        os.close(home)


def socket_in(netns: str | None, kind: socket.SocketKind) -> socket.socket:
    """A non-blocking IPv4 socket in the switch's IP stack (None: the process' own)."""
    with entered(netns) if netns is not None else contextlib.nullcontext():
        sock = socket.socket(socket.AF_INET, kind)
    sock.setblocking(False)
    return sock


async def open_connection_in(netns: str | None, host: str, port: int
                             ) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    """A TCP connection from the switch's IP stack."""
    sock = socket_in(netns, socket.SOCK_STREAM)
    try:
        await asyncio.get_running_loop().sock_connect(sock, (host, port))
    except BaseException:
        sock.close()
        raise
    return await asyncio.open_connection(sock=sock)


@dataclass(frozen=True)
class Neighbor:
    """One ARP entry of the stack: `vid` is the VLAN of the interface it was learned on."""

    ip: str
    mac: str
    vid: int
    permanent: bool = False


async def run(argv: list[str], timeout: float, stdin: str | None = None
              ) -> tuple[int, str, str]:
    """A command's exit status, output and errors; -1 when it cannot start or overstays
    `timeout` (it is killed then): a stuck or missing `ip` must not stall the caller.
    `stdin`, when given, is its whole input (`ip -batch -`)."""
    try:
        process = await asyncio.create_subprocess_exec(
            *argv, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
            stdin=asyncio.subprocess.DEVNULL if stdin is None else asyncio.subprocess.PIPE)
    except OSError as exc:
        return -1, "", str(exc)
    try:
        out, err = await asyncio.wait_for(
            process.communicate(None if stdin is None else stdin.encode()), timeout)
    except TimeoutError:
        process.kill()
        await process.wait()
        return -1, "", f"no answer in {timeout} s"
    return process.returncode or 0, out.decode(errors="replace"), err.decode(errors="replace")


async def neighbors(netns: str) -> list[Neighbor]:
    """The stack's ARP table (entries the kernel still trusts), on its VLAN interfaces."""
    code, out, _ = await run(ip_command(netns, "-j", "-4", "neigh", "show"), 5.0)
    if code != 0:
        return []
    rows: list[Neighbor] = []
    for row in json.loads(out or "[]"):
        dev, mac, states = row.get("dev", ""), row.get("lladdr"), set(row.get("state", []))
        vid = dev[len(INTERFACE_PREFIX):]
        if not (dev.startswith(INTERFACE_PREFIX) and vid.isdigit() and mac and states & _REACHABLE):
            continue
        rows.append(Neighbor(row["dst"], mac, int(vid), "PERMANENT" in states))
    rows.sort(key=lambda n: ipaddress.IPv4Address(n.ip))
    return rows


@dataclass(frozen=True)
class Probe:
    """How a ping is sent: `source` an address of the stack or its interface name (the
    kernel refuses any other, and the probe then times out), `fill` the payload's pattern."""

    timeout: int
    data_size: int = 0
    source: str | None = None
    tos: int = 0
    fill: bytes = b""


MAX_FILL: Final = 16
"""Octets of pattern ping(8) repeats through the payload."""


async def ping(netns: str, target: str, probe: Probe) -> float | None:
    """One echo from the stack: the round trip in ms, or None after `timeout` seconds."""
    options = [*(("-s", str(probe.data_size)) if probe.data_size >= MIN_TIMED_SIZE else ()),
               *(("-I", probe.source) if probe.source else ()),
               *(("-Q", str(probe.tos)) if probe.tos else ()),
               *(("-p", probe.fill[:MAX_FILL].hex()) if probe.fill else ())]
    timeout = probe.timeout
    argv = in_stack(netns, "ping", "-n", "-c", "1", "-W", str(timeout), *options, target)
    code, out, _ = await run(argv, timeout + 2.0)
    match = _RTT_RE.search(out)
    return float(match.group(1)) if code == 0 and match else None
