"""The lab's runner: `procurve-emu lab up|down|status|exec` over a topology (topology.py) and
its namespaces (netns.py). Switch nodes run `procurve-emu run` in their namespace with the
image's environment, forked from the lab's zygote (spawner.py); `exec` lines run after every
node is up; `down` stops every process of the lab's namespaces, a switch first through its
chassis."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import select
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Final, TextIO

from emulator import PACKAGE_ROOT, runnable_env
from emulator.datadir import CONTROL_SOCKET
from emulator.flash import PRIVATE_FILE, private_dir
from emulator.ipc.messages import StatusReply, StatusRequest
from emulator.ipc.wire import IpcError, request
from emulator.lab.netns import namespaces, netns_pids, remove_bridge, unwire, wire
from emulator.lab.spawner import LabZygote, NodeProcess, SpawnError, wait_any
from emulator.lab.topology import Lab, LabError, Node, load
from emulator.labnode import CONTAINER_ENV, INTFS_VARIABLE, active_ready

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
BOOTING_PER_CPU: Final = 2
"""Switches that may boot at once per CPU. A boot costs about a CPU-second (four Python
processes importing, the startup config replayed); starting every switch of a big lab at once
starved them all (40 on two cores: none served its CLI within 60 s, modules fenced for
silence), so `up` starts the next switch as one before it is ready."""


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


def host_env() -> dict[str, str]:
    """The host's environment (PATH, locale), never a PROCURVE_* or CLAB_* of the caller."""
    return {k: v for k, v in os.environ.items() if not k.startswith(("PROCURVE_", "CLAB_"))}


def node_env(lab: Lab, node: Node) -> dict[str, str]:
    """What the node's processes see: the host's environment with the image's variables, the
    node's own and what containerlab adds."""
    env = host_env()
    if node.is_switch:
        env.update(CONTAINER_ENV)
    env.update({k: _host_path(lab, node, v) for k, v in node.env.items()})
    env[INTFS_VARIABLE] = str(lab.data_links(node.name))
    if node.is_switch:
        env["PROCURVE_DATA_DIR"] = str(lab.node_dir(node.name) / DATA_DIR)
    return runnable_env(env)


def _start_switch(lab: Lab, node: Node, zygote: LabZygote) -> NodeProcess:
    """Its console log holds what the switch prints (startup-config lines it refused, with
    their text): private to us, in private folders, never through a planted symlink."""
    directory = lab.node_dir(node.name)
    private_dir(directory)
    log = os.open(directory / LOG_FILE,
                  os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC,
                  PRIVATE_FILE)
    try:
        os.fchmod(log, PRIVATE_FILE)  # a log from an older version may be open to all
        started = zygote.spawn([sys.executable, "-m", "emulator.main", "run"],
                               node_env(lab, node), log, lab.namespace(node.name))
    finally:
        os.close(log)
    (directory / PID_FILE).write_text(f"{started.pid}\n")
    return started


def switch_status(lab: Lab, node: str, timeout: float = 5.0) -> dict[str, Any]:
    path = lab.node_dir(node) / DATA_DIR / CONTROL_SOCKET
    reply = request(path, StatusRequest(), timeout)
    if not isinstance(reply, StatusReply):
        raise LabError(f"{node}: unexpected answer {reply.kind}")
    return reply.status


class Progress:
    """`lab up`'s progress for the user: a bar redrawn in place on a terminal, elsewhere a
    plain line each time another switch is up (a log reads those)."""

    WIDTH: Final = 30

    def __init__(self, total: int, stream: TextIO) -> None:
        self.total = total
        self.stream = stream
        self.bar = stream.isatty()

    def show(self, up: int) -> None:
        if not self.total:
            return
        if self.bar:
            filled = self.WIDTH * up // self.total
            self.stream.write(f"\r[{'#' * filled}{'.' * (self.WIDTH - filled)}] "
                              f"{up}/{self.total} switches up")
            if up == self.total:
                self.stream.write("\n")
        else:
            self.stream.write(f"{up}/{self.total} switches up\n")
        self.stream.flush()


def boot_limit() -> int:
    return BOOTING_PER_CPU * (os.cpu_count() or 1)


def _boot_switches(lab: Lab, switches: list[Node], progress: Progress) -> None:
    """Start the switches from the lab's zygote (emulator/lab/spawner.py), at most
    `boot_limit()` booting at once, each given READY_DEADLINE from its own start to serve its
    CLI; a switch that exits is an error."""
    zygote = LabZygote(PACKAGE_ROOT, runnable_env(host_env()))
    waiting = list(switches)
    booting: dict[str, tuple[NodeProcess, float]] = {}
    ready = 0
    limit = boot_limit()
    try:
        while waiting or booting:
            while waiting and len(booting) < limit:
                node = waiting.pop(0)
                booting[node.name] = (_start_switch(lab, node, zygote), time.monotonic())
            for name, (started, since) in list(booting.items()):
                if started.ended():
                    log = (lab.node_dir(name) / LOG_FILE).read_text(errors="replace")
                    raise LabError(f"{name} exited:\n{log}")
                with contextlib.suppress(OSError, EOFError, IpcError, LabError):
                    if active_ready(switch_status(lab, name)):
                        del booting[name]
                        started.close()
                        ready += 1
                        progress.show(ready)
                        continue
                if time.monotonic() - since > READY_DEADLINE:
                    raise LabError(f"not ready after {READY_DEADLINE:.0f} s: {name}")
            if booting and not (waiting and len(booting) < limit):
                wait_any([started for started, _ in booting.values()], POLL)
    except SpawnError as exc:
        raise LabError(f"cannot start a switch: {exc}") from None
    finally:
        for started, _ in booting.values():
            started.close()
        zygote.close()


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
        wire(lab)
        switches = [n for n in lab.nodes.values() if n.is_switch]
        _boot_switches(lab, switches, Progress(len(switches), sys.stderr))
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
            if chassis in netns_pids(ns):
                _signal([chassis], signal.SIGTERM)
                _wait_gone([chassis], STOP_DEADLINE)
            pid_file.unlink()
        rest = netns_pids(ns)
        _signal(rest, signal.SIGTERM)
        _signal(_wait_gone(rest, STOP_DEADLINE), signal.SIGKILL)
        _wait_gone(rest, STOP_DEADLINE)
        unwire(lab, name)
    remove_bridge(lab)


def status(lab: Lab) -> dict[str, Any]:
    existing = namespaces()
    nodes = []
    for name, node in lab.nodes.items():
        ns = lab.namespace(name)
        entry: dict[str, Any] = {
            "name": name, "kind": "procurve" if node.is_switch else "linux",
            "namespace": ns, "up": ns in existing, "mgmt_ipv4": str(lab.addresses[name]),
            "processes": len(netns_pids(ns)) if ns in existing else 0,
        }
        if node.is_switch:
            entry["data_dir"] = str(lab.node_dir(name) / DATA_DIR)
            try:
                chassis = switch_status(lab, name)
            except (OSError, EOFError, IpcError, LabError):
                entry["up"] = False
            else:
                entry["roles"] = {m["slot"]: m["role"] for m in chassis["modules"]}
                entry["ports"] = {p["port"]: p["backend"] for p in chassis["ports"]}
                entry["health"] = switch_health(chassis)
        entry.setdefault("health", "up" if entry["up"] else "down")
        nodes.append(entry)
    return {"name": lab.name, "topology": str(lab.path), "bridge": lab.bridge, "nodes": nodes}


def switch_health(chassis: dict[str, Any]) -> str:
    """One word for a running switch: `healthy` (an active serving and a standby ready to take
    over), `no standby` (serving, but a failure now would be an outage), or `booting`."""
    if not active_ready(chassis):
        return "booting"
    if any(m["role"] == "standby" and m["ready"] for m in chassis["modules"]):
        return "healthy"
    return "no standby"


STATUS_COLUMNS: Final = (("NODE", 12), ("KIND", 9), ("MGMT IPV4", 16), ("HEALTH", 11),
                         ("MODULES", 0))


def render_status(report: dict[str, Any]) -> str:
    """`lab status` for a person: a row per node, its management address and health, and a
    switch's module roles (`MM1 active, MM2 standby`)."""
    def row(cells: tuple[str, ...]) -> str:
        return " ".join(f"{cell:<{width}}" for cell, (_, width)
                        in zip(cells, STATUS_COLUMNS, strict=True)).rstrip()

    lines = [f"lab {report['name']} ({report['topology']})",
             row(tuple(title for title, _ in STATUS_COLUMNS))]
    for node in report["nodes"]:
        roles = ", ".join(f"{slot} {role}" for slot, role in sorted(node.get("roles", {}).items()))
        lines.append(row((node["name"], node["kind"], node["mgmt_ipv4"], node["health"], roles)))
    return "\n".join(lines)


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
                         ("status", "a table of the nodes with their health (--json: "
                          "each node's namespace, address, health, roles and ports)"),
                         ("exec", "run a command in a node, as `docker exec` does")):
        sub = actions.add_parser(action, help=text)
        sub.add_argument("topology", metavar="TOPOLOGY.clab.yml", type=Path)
        if action == "status":
            sub.add_argument("--json", action="store_true", help="the report as JSON")
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
            print(json.dumps(report, indent=2) if args.json else render_status(report))
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
