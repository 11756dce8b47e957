"""`procurve-emu lab up|down|status|exec TOPOLOGY.clab.yml`: containerlab's topology files on
one Linux machine without Docker, for people who have no Docker and for our own tests.

Each node becomes what its container would have been, minus the image: a network namespace
named as containerlab names the container (`clab-LAB-NODE`), with `eth0` on a management
bridge and one veth end per link, named as the topology says (a `vxlan` link's one end is a
VXLAN interface whose tunnel leaves from this machine's namespace, as containerlab makes it,
so that half a lab here meets the other half on another machine). A node whose image is
procurve-emu runs `procurve-emu run` in its namespace with the image's environment
(container.CONTAINER_ENV), its flash in `clab-LAB/NODE/flash` beside the topology file and
bind-mounted files reached through their host paths; any other node is a bare namespace
whose `exec` commands run with the host's tools. `down` needs nothing but the topology file:
every name is derived from it, so a lab whose `up` was interrupted still comes down whole.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import ipaddress
import json
import os
import re
import select
import shlex
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import emulator
from emulator.container import CONTAINER_ENV, INTFS_VARIABLE, active_ready
from emulator.flash import PRIVATE_FILE, private_dir
from emulator.ipc import wire
from emulator.ipc.messages import StatusReply, StatusRequest

SWITCH_IMAGE: Final = "procurve-emu"
"""A node is an emulated switch when its image's repository name is this, whatever the
registry and tag (`ghcr.io/example/procurve-emu:0.1`)."""
MGMT_SUBNET: Final = "172.20.20.0/24"
"""containerlab's default management subnet; `mgmt: ipv4-subnet` overrides it."""
MGMT_IFNAME: Final = "eth0"
DATA_DIR: Final = "flash"
PID_FILE: Final = "chassis.pid"
LOG_FILE: Final = "console.log"
READY_DEADLINE: Final = 60.0
"""Seconds a switch may take to serve its CLI (lab timing boots in about one)."""
STOP_DEADLINE: Final = 15.0
"""Seconds a node's processes get to exit after SIGTERM before SIGKILL."""
EXEC_DEADLINE: Final = 60.0
POLL: Final = 0.1
"""Status poll period while a switch boots: its control socket has no readiness event."""
PACKAGE_ROOT: Final = Path(emulator.__file__).resolve().parent.parent
NAME_RE: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
"""Lab and node names: what Docker takes in a container name (`clab-LAB-NODE`). They become
a namespace name and folders of the lab directory, so no separator, and no `..` either."""
NAME_MAX: Final = 255
"""Longest namespace name (`ip netns` keeps each as a file in /run/netns)."""
IFNAMSIZ: Final = 16
"""The kernel's interface name buffer: names of at most 15 characters."""
IFNAME_FORBIDDEN: Final = frozenset("/:") | frozenset(" \t\n\r\v\f")
"""Characters the kernel refuses in an interface name (dev_valid_name)."""


class LabError(Exception):
    """The lab cannot be brought up or down; the message is the line the user sees."""


@dataclass
class Node:
    name: str
    image: str
    env: dict[str, str]
    binds: list[str]
    exec: list[str]
    mgmt_ipv4: str | None

    @property
    def is_switch(self) -> bool:
        repository = self.image.rsplit("/", 1)[-1].split("@")[0].split(":")[0]
        return repository == SWITCH_IMAGE


Endpoint = tuple[str, str]
"""(node, interface)."""
LINK_KINDS: Final = ("veth", "vxlan", "vxlan-stitch")
"""containerlab link types made here; a vxlan-stitch (containerlab joins a veth to the tunnel
in the host) reaches the node's interface just as a vxlan does, so it is made as one."""
LINK_MTU: Final = 9500
"""containerlab's MTU for the veths it makes (a link's `mtu` overrides it)."""
VXLAN_PORT: Final = 14789
"""containerlab's VXLAN UDP port when a link names none (`dst-port`, formerly `udp-port`)."""


@dataclass(frozen=True)
class Tunnel:
    """A `vxlan` link: the node's interface is a VXLAN interface to `remote`."""

    endpoint: Endpoint
    remote: ipaddress.IPv4Address | ipaddress.IPv6Address
    vni: int
    dst_port: int
    src_port: int | None = None
    mtu: int | None = None


@dataclass(frozen=True)
class Veth:
    """A veth link between two nodes."""

    a: Endpoint
    b: Endpoint
    mtu: int = LINK_MTU


@dataclass
class Lab:
    name: str
    path: Path
    nodes: dict[str, Node]
    links: list[Veth]
    subnet: ipaddress.IPv4Network
    gateway: ipaddress.IPv4Address
    addresses: dict[str, ipaddress.IPv4Address] = field(default_factory=dict)
    tunnels: list[Tunnel] = field(default_factory=list)

    @property
    def directory(self) -> Path:
        """containerlab's lab directory, beside the topology file."""
        return self.path.parent / f"clab-{self.name}"

    @property
    def tag(self) -> str:
        """Short and stable: host-side interface names have only 15 characters."""
        return hashlib.sha1(self.name.encode()).hexdigest()[:6]

    @property
    def bridge(self) -> str:
        return f"pl-{self.tag}"

    def namespace(self, node: str) -> str:
        return f"clab-{self.name}-{node}"

    def host_veth(self, node: str) -> str:
        return f"pl{self.tag}m{list(self.nodes).index(node)}"

    def tunnel_name(self, index: int) -> str:
        """The VXLAN interface's name while it is made here, before it moves into its node."""
        return f"pl{self.tag}x{index}"

    def node_dir(self, node: str) -> Path:
        return self.directory / node

    def endpoints(self) -> list[Endpoint]:
        return [end for link in self.links for end in (link.a, link.b)] \
            + [t.endpoint for t in self.tunnels]

    def data_links(self, node: str) -> int:
        return sum(end[0] == node for end in self.endpoints())


def _bind_target(bind: str) -> str:
    return bind.split(":")[1] if ":" in bind else bind


def _merge(*layers: dict[str, Any]) -> dict[str, Any]:
    """containerlab's inheritance: defaults < kinds.KIND < groups.GROUP < the node; env maps
    add up, binds add up with one per container path (the more specific level's), exec lines
    add up, every other setting is replaced."""
    merged: dict[str, Any] = {}
    for layer in layers:
        for key, value in layer.items():
            if key == "env":
                merged[key] = {**merged.get(key, {}), **value}
            elif key == "binds":
                targets = {_bind_target(bind) for bind in value}
                merged[key] = [*(b for b in merged.get(key, [])
                                 if _bind_target(b) not in targets), *value]
            elif key == "exec":
                merged[key] = list(dict.fromkeys([*merged.get(key, []), *value]))
            else:
                merged[key] = value
    return merged


def _endpoint(end: Any) -> Endpoint:
    if isinstance(end, str):
        node, sep, ifname = end.partition(":")
    else:
        node, ifname, sep = str(end.get("node", "")), str(end.get("interface", "")), ":"
    if not (node and sep and ifname):
        raise LabError(f"bad link endpoint {end!r}")
    return node, ifname


def _link(raw: dict[str, Any]) -> Veth | Tunnel:
    kind = raw.get("type", "veth")
    if kind not in LINK_KINDS:
        raise LabError(f"link type {kind!r} needs containerlab; procurve-emu lab makes "
                       f"{', '.join(LINK_KINDS)} links")
    if kind != "veth":
        optional = {key: int(raw[key]) for key in ("src-port", "mtu") if key in raw}
        port = raw.get("dst-port", raw.get("udp-port", VXLAN_PORT))
        return Tunnel(_endpoint(raw.get("endpoint")), ipaddress.ip_address(raw["remote"]),
                      int(raw["vni"]), int(port), optional.get("src-port"),
                      optional.get("mtu"))
    ends = raw.get("endpoints") or []
    if len(ends) != 2:
        raise LabError(f"a veth link has two endpoints: {raw!r}")
    return Veth(_endpoint(ends[0]), _endpoint(ends[1]), int(raw.get("mtu", LINK_MTU)))


def load(path: Path) -> Lab:
    """A topology file as containerlab reads it, the parts a namespace lab can honour."""
    import yaml

    try:
        # Every scalar as text, as containerlab (Go) reads env values: `yes` stays "yes".
        raw = yaml.load(path.read_text(), Loader=yaml.BaseLoader)
    except (OSError, yaml.YAMLError) as exc:
        raise LabError(f"cannot read {path}: {exc}") from None
    if not isinstance(raw, dict) or not raw.get("name"):
        raise LabError(f"{path}: not a topology (a mapping with a `name` and a `topology`)")
    try:
        return _parse(raw, path)
    except (AttributeError, TypeError, ValueError, KeyError) as exc:  # a field of a wrong shape
        raise LabError(f"{path}: not a topology containerlab would read ({exc!r})") from None


def _parse(raw: dict[str, Any], path: Path) -> Lab:
    topology = raw.get("topology") or {}
    defaults = topology.get("defaults") or {}
    kinds = topology.get("kinds") or {}
    groups = topology.get("groups") or {}
    nodes: dict[str, Node] = {}
    for name, settings in (topology.get("nodes") or {}).items():
        settings = settings or {}
        group = groups.get(settings.get("group", "")) or {}
        kind = settings.get("kind", group.get("kind", defaults.get("kind", "linux")))
        if kind != "linux":
            raise LabError(f"node {name}: kind {kind!r} needs containerlab (only linux here)")
        merged = _merge(defaults, kinds.get(kind) or {}, group, settings)
        nodes[name] = Node(name, str(merged.get("image", "")),
                           {k: str(v) for k, v in (merged.get("env") or {}).items()},
                           list(merged.get("binds") or []), list(merged.get("exec") or []),
                           merged.get("mgmt-ipv4"))
    links: list[Veth] = []
    tunnels: list[Tunnel] = []
    for link in map(_link, topology.get("links") or []):
        if isinstance(link, Tunnel):
            tunnels.append(link)
        else:
            links.append(link)
    mgmt = raw.get("mgmt") or {}
    subnet = ipaddress.IPv4Network(mgmt.get("ipv4-subnet", MGMT_SUBNET))
    gateway = ipaddress.IPv4Address(mgmt.get("ipv4-gw", str(next(subnet.hosts()))))
    lab = Lab(str(raw["name"]), path.resolve(), nodes, links, subnet, gateway,
              tunnels=tunnels)
    for node, _ in lab.endpoints():
        if node not in nodes:
            raise LabError(f"link to unknown node {node!r}")
    validate(lab)
    lab.addresses = _addresses(lab)
    return lab


def _addresses(lab: Lab) -> dict[str, ipaddress.IPv4Address]:
    """Fixed `mgmt-ipv4` first, then the next free host addresses in node order, as Docker's
    address management hands them out."""
    fixed = {n.name: ipaddress.IPv4Address(n.mgmt_ipv4) for n in lab.nodes.values()
             if n.mgmt_ipv4}
    used = {lab.gateway, *fixed.values()}
    free = (a for a in lab.subnet.hosts() if a not in used)
    return {name: fixed.get(name) or next(free) for name in lab.nodes}


def _check_name(kind: str, name: str) -> None:
    if not NAME_RE.fullmatch(name) or ".." in name:
        raise LabError(f"{kind} name {name!r}: letters, digits, '_', '.' and '-' only, "
                       "starting with a letter or digit, no '..'")


def _check_ifname(node: str, ifname: str) -> None:
    """The kernel's rule, and no leading '-' (`ip` would read the name as an option)."""
    if (not ifname or len(ifname) >= IFNAMSIZ or ifname in (".", "..")
            or ifname.startswith("-") or IFNAME_FORBIDDEN & set(ifname)):
        raise LabError(f"node {node}: interface name {ifname!r}: 1 to {IFNAMSIZ - 1} "
                       "characters, no '/', ':' or blank, not '.' or '..'")


def validate(lab: Lab) -> None:
    """Every name the lab derives from the topology, before anything is created or removed:
    the namespaces, folders and interfaces of `up` stay inside the lab's scope."""
    _check_name("lab", lab.name)
    for name in lab.nodes:
        _check_name("node", name)
        if len(lab.namespace(name)) > NAME_MAX:
            raise LabError(f"namespace {lab.namespace(name)!r}: longer than {NAME_MAX} "
                           "characters; shorten the lab or node name")
        _check_ifname(name, lab.host_veth(name))
    for node, ifname in lab.endpoints():
        _check_ifname(node, ifname)
    for index, tunnel in enumerate(lab.tunnels):
        _check_ifname(tunnel.endpoint[0], lab.tunnel_name(index))
    _check_ifname("bridge", lab.bridge)


def _ip(*args: str) -> str:
    done = subprocess.run(["ip", *args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise LabError(f"ip {' '.join(args)}: {done.stderr.strip()}")
    return done.stdout


def namespaces() -> set[str]:
    return {line.split()[0] for line in _ip("netns", "list").splitlines() if line.strip()}


def _host_path(lab: Lab, node: Node, value: str) -> str:
    """A container path inside a bind mount, as the host path that holds it (there is no
    container file system to mount into)."""
    for bind in node.binds:
        source, _, rest = bind.partition(":")
        target = rest.split(":")[0]
        if value == target or value.startswith(target.rstrip("/") + "/"):
            host = Path(source) if Path(source).is_absolute() else lab.path.parent / source
            return str(host) + value[len(target):]
    return value


def node_env(lab: Lab, node: Node) -> dict[str, str]:
    """What the node's processes see: the host's environment (PATH, locale) with the image's
    variables, the node's own and what containerlab adds, never a PROCURVE_* of the caller."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PROCURVE_", "CLAB_"))}
    if node.is_switch:
        env.update(CONTAINER_ENV)
    env.update({k: _host_path(lab, node, v) for k, v in node.env.items()})
    env[INTFS_VARIABLE] = str(lab.data_links(node.name))
    if node.is_switch:
        env["PROCURVE_DATA_DIR"] = str(lab.node_dir(node.name) / DATA_DIR)
    python_path = env.get("PYTHONPATH")
    env["PYTHONPATH"] = str(PACKAGE_ROOT) + (os.pathsep + python_path if python_path else "")
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    return env


def _wire(lab: Lab) -> None:
    """The management bridge, every namespace with its eth0, then the links."""
    prefix = lab.subnet.prefixlen
    _ip("link", "add", "name", lab.bridge, "type", "bridge")
    _ip("addr", "add", f"{lab.gateway}/{prefix}", "dev", lab.bridge)
    _ip("link", "set", lab.bridge, "up")
    for name in lab.nodes:
        ns = lab.namespace(name)
        _ip("netns", "add", ns)
        _ip("-n", ns, "link", "set", "lo", "up")
        _ip("link", "add", "name", lab.host_veth(name), "type", "veth",
            "peer", "name", MGMT_IFNAME, "netns", ns)
        _ip("link", "set", lab.host_veth(name), "master", lab.bridge, "up")
        _ip("-n", ns, "addr", "add", f"{lab.addresses[name]}/{prefix}", "dev", MGMT_IFNAME)
        _ip("-n", ns, "link", "set", MGMT_IFNAME, "up")
        _ip("-n", ns, "route", "add", "default", "via", str(lab.gateway))
    for link in lab.links:
        (node_a, if_a), (node_b, if_b) = link.a, link.b
        ns_a, ns_b = lab.namespace(node_a), lab.namespace(node_b)
        mtu = str(link.mtu)
        _ip("link", "add", "name", if_a, "mtu", mtu, "netns", ns_a, "type", "veth",
            "peer", "name", if_b, "mtu", mtu, "netns", ns_b)
        _ip("-n", ns_a, "link", "set", if_a, "up")
        _ip("-n", ns_b, "link", "set", if_b, "up")
    for index, tunnel in enumerate(lab.tunnels):
        _tunnel(lab, index, tunnel)


def _tunnel(lab: Lab, index: int, tunnel: Tunnel) -> None:
    """Made in this namespace, where the tunnel's UDP socket stays (the underlay), then moved
    into the node under the interface name the topology gives it."""
    name, (node, ifname) = lab.tunnel_name(index), tunnel.endpoint
    ns = lab.namespace(node)
    source = ("srcport", str(tunnel.src_port), str(tunnel.src_port + 1)) \
        if tunnel.src_port else ()  # the kernel's range is [low, high)
    _ip("link", "add", "name", name, "type", "vxlan", "id", str(tunnel.vni),
        "remote", str(tunnel.remote), "dstport", str(tunnel.dst_port), *source)
    _ip("link", "set", name, "netns", ns)
    mtu = ("mtu", str(tunnel.mtu)) if tunnel.mtu else ()
    _ip("-n", ns, "link", "set", name, "name", ifname, *mtu, "up")


def _start_switch(lab: Lab, node: Node) -> subprocess.Popen[bytes]:
    """Its console log holds what the switch prints (startup-config lines it refused, with
    their text): private to us, in private folders, never through a planted symlink."""
    directory = lab.node_dir(node.name)
    private_dir(directory)
    log = os.open(directory / LOG_FILE,
                  os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC,
                  PRIVATE_FILE)
    try:
        os.fchmod(log, PRIVATE_FILE)  # a log from an older version may be open to all
        process = subprocess.Popen(
            ["ip", "netns", "exec", lab.namespace(node.name),
             sys.executable, "-m", "emulator.main", "run"],
            cwd=PACKAGE_ROOT, env=node_env(lab, node), stdin=subprocess.DEVNULL,
            stdout=log, stderr=log, start_new_session=True,
        )
    finally:
        os.close(log)
    (directory / PID_FILE).write_text(f"{process.pid}\n")
    return process


def switch_status(lab: Lab, node: str, timeout: float = 5.0) -> dict[str, Any]:
    from emulator.datadir import CONTROL_SOCKET

    path = lab.node_dir(node) / DATA_DIR / CONTROL_SOCKET
    reply = wire.request(path, StatusRequest(), timeout)
    if not isinstance(reply, StatusReply):
        raise LabError(f"{node}: unexpected answer {reply.kind}")
    return reply.status


def _wait_ready(lab: Lab, processes: dict[str, subprocess.Popen[bytes]]) -> None:
    """Until every switch's active module serves its CLI; a switch that exits is an error."""
    deadline = time.monotonic() + READY_DEADLINE
    waiting = dict(processes)
    while waiting:
        for name, process in list(waiting.items()):
            if process.poll() is not None:
                log = (lab.node_dir(name) / LOG_FILE).read_text(errors="replace")
                raise LabError(f"{name} exited {process.returncode}:\n{log}")
            with contextlib.suppress(OSError, EOFError, wire.IpcError, LabError):
                if active_ready(switch_status(lab, name)):
                    del waiting[name]
        if waiting and time.monotonic() > deadline:
            raise LabError(f"not ready after {READY_DEADLINE:.0f} s: {', '.join(waiting)}")
        if waiting:
            with contextlib.suppress(subprocess.TimeoutExpired):
                next(iter(waiting.values())).wait(timeout=POLL)


def run_in(lab: Lab, node: Node, command: list[str], capture: bool = True,
           timeout: float | None = EXEC_DEADLINE) -> subprocess.CompletedProcess[str]:
    """A command in the node's namespace with the node's environment (`docker exec`)."""
    return subprocess.run(["ip", "netns", "exec", lab.namespace(node.name), *command],
                          env=node_env(lab, node), cwd=PACKAGE_ROOT, capture_output=capture,
                          text=True, timeout=timeout, check=False)


def _exec(lab: Lab) -> None:
    """Each node's `exec` lines, after every node is up, as containerlab runs them: split
    into words (no shell), and a failure is reported, not fatal."""
    for node in lab.nodes.values():
        for line in node.exec:
            try:
                done = run_in(lab, node, shlex.split(line))
            except (OSError, ValueError) as exc:
                print(f"{node.name}: exec {line!r} failed: {exc}", file=sys.stderr)
                continue
            if done.returncode != 0:
                print(f"{node.name}: exec {line!r} failed: "
                      f"{(done.stderr or done.stdout).strip()}", file=sys.stderr)


def up(lab: Lab) -> None:
    present = namespaces() & {lab.namespace(n) for n in lab.nodes}
    if present:
        raise LabError(f"lab {lab.name} is already up ({', '.join(sorted(present))}); "
                       "run `procurve-emu lab down` first")
    try:
        _wire(lab)
        switches = {n.name: _start_switch(lab, n) for n in lab.nodes.values() if n.is_switch}
        _wait_ready(lab, switches)
        _exec(lab)
    except BaseException:
        down(lab)
        raise
    for name, node in lab.nodes.items():
        address = lab.addresses[name]
        how = (f"ssh manager@{address} (password manager)" if node.is_switch
               else f"sudo ip netns exec {lab.namespace(name)} sh")
        print(f"{name:<12} {'procurve' if node.is_switch else 'linux':<9} {address!s:<16} {how}")


def _wait_gone(pids: list[int], timeout: float) -> list[int]:
    """The pids still alive after `timeout`; each exit is awaited on its pidfd."""
    deadline = time.monotonic() + timeout
    alive = []
    for pid in pids:
        try:
            fd = os.pidfd_open(pid)
        except ProcessLookupError:
            continue
        try:
            ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                alive.append(pid)
        finally:
            os.close(fd)
    return alive


def _signal(pids: list[int], signum: signal.Signals) -> None:
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signum)


def _netns_pids(ns: str) -> list[int]:
    return [int(p) for p in _ip("netns", "pids", ns).split()]


def down(lab: Lab) -> None:
    """Stop every node's processes (a switch first by its chassis, which stops its children
    and exits 0), delete the namespaces (their interfaces go with them), then the bridge."""
    existing = namespaces()
    for name in lab.nodes:
        ns = lab.namespace(name)
        if ns not in existing:
            continue
        pid_file = lab.node_dir(name) / PID_FILE
        with contextlib.suppress(OSError, ValueError):
            chassis = int(pid_file.read_text())
            if chassis in _netns_pids(ns):
                _signal([chassis], signal.SIGTERM)
                _wait_gone([chassis], STOP_DEADLINE)
            pid_file.unlink()
        rest = _netns_pids(ns)
        _signal(rest, signal.SIGTERM)
        _signal(_wait_gone(rest, STOP_DEADLINE), signal.SIGKILL)
        _wait_gone(rest, STOP_DEADLINE)
        # The kernel frees a deleted namespace's interfaces later, in the background: the
        # host end of the management link and the tunnels (whose UDP ports are held here)
        # go now, so `down` returns with nothing left and a new `up` finds the ports free.
        if subprocess.run(["ip", "link", "show", lab.host_veth(name)], capture_output=True,
                          check=False).returncode == 0:
            _ip("link", "del", lab.host_veth(name))
        for node, ifname in (t.endpoint for t in lab.tunnels):
            if node == name:
                subprocess.run(["ip", "-n", ns, "link", "del", ifname], capture_output=True,
                               check=False)
        _ip("netns", "del", ns)
    if subprocess.run(["ip", "link", "show", lab.bridge], capture_output=True,
                      check=False).returncode == 0:
        _ip("link", "del", lab.bridge)


def status(lab: Lab) -> dict[str, Any]:
    existing = namespaces()
    nodes = []
    for name, node in lab.nodes.items():
        ns = lab.namespace(name)
        entry: dict[str, Any] = {
            "name": name, "kind": "procurve" if node.is_switch else "linux",
            "namespace": ns, "up": ns in existing, "mgmt_ipv4": str(lab.addresses[name]),
            "processes": len(_netns_pids(ns)) if ns in existing else 0,
        }
        if node.is_switch:
            entry["data_dir"] = str(lab.node_dir(name) / DATA_DIR)
            try:
                chassis = switch_status(lab, name)
            except (OSError, EOFError, wire.IpcError, LabError):
                entry["up"] = False
            else:
                entry["roles"] = {m["slot"]: m["role"] for m in chassis["modules"]}
                entry["ports"] = {p["port"]: p["backend"] for p in chassis["ports"]}
        nodes.append(entry)
    return {"name": lab.name, "topology": str(lab.path), "bridge": lab.bridge, "nodes": nodes}


def add_parser(commands: Any) -> None:
    """The `lab` subcommand on `procurve-emu`'s parser (main.py owns the others)."""
    lab = commands.add_parser(
        "lab", help="run a containerlab topology with namespaces instead of containers",
        description="Bring a containerlab topology file up or down on this machine without "
        "Docker: each node a network namespace named clab-LAB-NODE, each procurve-emu node "
        "a chassis process tree, links as veth pairs, eth0 on a management bridge. Needs root.",
    )
    actions = lab.add_subparsers(dest="action", metavar="{up,down,status,exec}")
    actions.required = True
    for action, text in (("up", "create the namespaces and links, start the switches, run "
                          "every node's exec"),
                         ("down", "stop every process and remove every namespace and "
                          "interface the lab made"),
                         ("status", "JSON: each node's namespace, address and roles"),
                         ("exec", "run a command in a node, as `docker exec` does")):
        sub = actions.add_parser(action, help=text)
        sub.add_argument("topology", metavar="TOPOLOGY.clab.yml", type=Path)
        if action == "exec":
            sub.add_argument("node")
            sub.add_argument("argv", metavar="COMMAND", nargs=argparse.REMAINDER)


def main(args: argparse.Namespace) -> int:
    try:
        lab = load(args.topology)
        if args.action == "up":
            up(lab)
        elif args.action == "down":
            down(lab)
        elif args.action == "status":
            report = status(lab)
            print(json.dumps(report, indent=2))
            return 0 if all(n["up"] for n in report["nodes"]) else 1
        else:
            node = lab.nodes.get(args.node)
            if node is None:
                raise LabError(f"no node {args.node!r} in {lab.name}")
            return run_in(lab, node, args.argv, capture=False, timeout=None).returncode
    except LabError as exc:
        print(f"procurve-emu: lab: {exc}", file=sys.stderr)
        return 1
    return 0
