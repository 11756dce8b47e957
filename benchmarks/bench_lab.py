"""Lab benchmark: `procurve-emu lab up` of a generated chain of N emulated switches, each with a
host on its port A3 (sw_i eth1 -> sw_i+1 eth2), beside a reference started the same way in
the same run: N bare asyncssh servers (one Python process each, the least a switch could cost).
With `--ring` the last switch is wired back to the first (swN eth1 -> sw1 eth2) and every
switch boots with `spanning-tree` in its startup config: a loop the tree must break before
the hosts can reach each other.

Figures: seconds from `lab up` to every switch healthy (active serving, standby ready), the
hosts pinging end to end (and when), the proportional set size (PSS) per chassis (all its
processes), the idle CPU per chassis over a window, and that `lab down` leaves no namespace
behind.

    sudo python benchmarks/bench_lab.py [--switches 40] [--ring] [--idle 30] [--out FILE]

Needs root and iproute2. Not a test: figures go to a results file with machine, date, command.

    python benchmarks/bench_lab.py --processes [--settle 10]

One chassis instead (`procurve-emu run --timing lab --mgmt-netns none`, new data dir), process
by process `--settle` seconds after it is ready: anonymous PSS beside the whole PSS, as a
Markdown table on stdout. The anonymous part is what a lever changes; the file-backed part moves
with whatever else on the machine maps the same libraries.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from installed import byte_compile

REPO = Path(__file__).resolve().parent.parent
TICKS = os.sysconf("SC_CLK_TCK")
REFERENCE_SERVER = """
import asyncio, asyncssh, sys
async def main():
    key = asyncssh.generate_private_key("ssh-ed25519")
    await asyncssh.listen("127.0.0.1", int(sys.argv[1]), server_host_keys=[key],
                          process_factory=lambda p: p.exit(0))
    await asyncio.Event().wait()
asyncio.run(main())
"""


RING_CONFIG = "spanning-tree\n"
"""Every switch's startup config in a ring: the tree on (MSTP, the switch's default mode)."""


def chain(name: str, switches: int, subnet: int, ring: bool = False) -> str:
    """A containerlab topology: sw1..swN in a chain (closed into a ring with `ring`, each
    switch then booting RING_CONFIG from startup.cfg beside the topology), host hI on swI's
    eth3."""
    lines = [f"name: {name}", "mgmt:", f"  network: {name}",
             f"  ipv4-subnet: 172.{subnet}.0.0/16", "topology:", "  nodes:"]
    for i in range(1, switches + 1):
        lines += [f"    sw{i}:", "      kind: linux", "      image: procurve-emu:latest"]
        if ring:
            lines += ["      binds:", "        - startup.cfg:/etc/procurve/startup.cfg:ro",
                      "      env:",
                      "        PROCURVE_STARTUP_CONFIG: /etc/procurve/startup.cfg"]
        lines += [f"    h{i}:", "      kind: linux", "      exec:",
                  "        - ip link set eth1 mtu 1500",
                  f"        - ip addr add 10.99.{i // 250}.{i % 250 + 1}/16 dev eth1"]
    lines.append("  links:")
    for i in range(1, switches):
        lines.append(f'    - endpoints: ["sw{i}:eth1", "sw{i + 1}:eth2"]')
    if ring:
        lines.append(f'    - endpoints: ["sw{switches}:eth1", "sw1:eth2"]')
    for i in range(1, switches + 1):
        lines.append(f'    - endpoints: ["sw{i}:eth3", "h{i}:eth1"]')
    return "\n".join(lines) + "\n"


def procurve_emu(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([sys.executable, "-m", "emulator.main", *args], cwd=REPO,
                          capture_output=True, text=True, check=False)
    if check and done.returncode != 0:
        raise RuntimeError(f"procurve-emu {' '.join(args)}: {done.stderr}")
    return done


def pids_of(namespaces: list[str]) -> list[int]:
    found: list[int] = []
    for ns in namespaces:
        out = subprocess.run(["ip", "netns", "pids", ns], capture_output=True, text=True,
                             check=False).stdout
        found += [int(p) for p in out.split()]
    return found


def pss_kib(pid: int, field: str = "Pss") -> int:
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0
    return next((int(line.split()[1]) for line in text.splitlines()
                 if line.startswith(f"{field}:")), 0)


def cpu_ticks(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total


def idle_cpu_percent(pids: list[int], window: float) -> float:
    """Percent of one core the processes used over `window` seconds, all together."""
    before, start = cpu_ticks(pids), time.monotonic()
    time.sleep(window)
    return 100.0 * (cpu_ticks(pids) - before) / TICKS / (time.monotonic() - start)


def measure_lab(switches: int, idle: float, ring: bool) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        name = f"bench{os.getpid() % 10000}"
        path = Path(tmp) / f"{name}.clab.yml"
        path.write_text(chain(name, switches, 16 + os.getpid() % 10, ring))
        (Path(tmp) / "startup.cfg").write_text(RING_CONFIG)
        started = time.monotonic()
        try:
            procurve_emu("lab", "up", str(path))
            serving = time.monotonic() - started
            healthy = None
            while time.monotonic() - started < 300:
                report = json.loads(procurve_emu("lab", "status", "--json", str(path),
                                                 check=False).stdout)
                if all(n["health"] == "healthy" for n in report["nodes"]
                       if n["kind"] == "procurve"):
                    healthy = time.monotonic() - started
                    break
                time.sleep(0.5)
            last = f"10.99.{switches // 250}.{switches % 250 + 1}"
            ping_deadline = time.monotonic() + 60
            pinged: float | None = None
            while pinged is None and time.monotonic() < ping_deadline:
                if subprocess.run(
                        ["ip", "netns", "exec", f"clab-{name}-h1", "ping", "-n", "-c", "1", "-W",
                         "1", last], capture_output=True, check=False).returncode == 0:
                    pinged = time.monotonic() - started
            switch_ns = [f"clab-{name}-sw{i}" for i in range(1, switches + 1)]
            pids = pids_of(switch_ns)
            pss = sum(pss_kib(pid) for pid in pids) / 1024 / switches
            cpu = idle_cpu_percent(pids, idle) / switches
        finally:
            procurve_emu("lab", "down", str(path), check=False)
        left = [ns for ns in subprocess.run(["ip", "netns", "list"], capture_output=True,
                                            text=True, check=True).stdout.split()
                if ns.startswith(f"clab-{name}-")]
    return {"serving": serving, "healthy": healthy, "pinged": pinged, "pss": pss, "cpu": cpu,
            "left": len(left), "processes": len(pids) / switches}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def measure_reference(count: int, idle: float) -> dict[str, Any]:
    ports = [free_port() for _ in range(count)]
    started = time.monotonic()
    servers = [subprocess.Popen([sys.executable, "-W", "ignore", "-c", REFERENCE_SERVER,
                                 str(port)])
               for port in ports]
    try:
        waiting = set(ports)
        while waiting:
            for port in list(waiting):
                with socket.socket() as sock:
                    if sock.connect_ex(("127.0.0.1", port)) == 0:
                        waiting.discard(port)
            time.sleep(0.01)
        serving = time.monotonic() - started
        pids = [s.pid for s in servers]
        pss = statistics.mean(pss_kib(pid) for pid in pids) / 1024
        cpu = idle_cpu_percent(pids, idle) / count
    finally:
        for server in servers:
            server.terminate()
            server.wait()
    return {"serving": serving, "pss": pss, "cpu": cpu}


def measure_processes(settle: float) -> dict[str, tuple[float, float]]:
    """Each process of one chassis by its part (chassis, zygote, fabric, active, standby):
    anonymous PSS and PSS in MiB, `settle` seconds after the chassis said it is ready."""
    with tempfile.TemporaryDirectory() as tmp:
        data, log_path = Path(tmp) / "data", Path(tmp) / "log"
        with log_path.open("wb") as log:
            chassis = subprocess.Popen(
                [sys.executable, "-m", "emulator.main", "run", "--timing", "lab",
                 "--mgmt-netns", "none", "--data-dir", str(data), "--ssh-port", "0",
                 "--telnet-port", "0", "--snmp-port", "0"],
                cwd=REPO, stdin=subprocess.DEVNULL, stdout=log, stderr=log)
        try:
            deadline = time.monotonic() + 120
            while " ready: " not in log_path.read_text():
                if chassis.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the chassis did not get ready: {log_path.read_text()}")
                time.sleep(0.2)
            time.sleep(settle)
            status = json.loads(procurve_emu("status", "--data-dir", str(data)).stdout)
            parts = {"chassis": chassis.pid, "zygote": status["chassis"].get("zygote"),
                     "fabric": status["fabric"]["pid"],
                     **{m["role"]: m["pid"] for m in status["modules"]}}
            return {part: (pss_kib(pid, "Pss_Anon") / 1024, pss_kib(pid) / 1024)
                    for part, pid in parts.items() if pid}
        finally:
            chassis.terminate()
            chassis.wait(30)


def print_processes(settle: float) -> None:
    parts = measure_processes(settle)
    names = [*parts, "all"]
    parts["all"] = (sum(a for a, _ in parts.values()), sum(p for _, p in parts.values()))
    print(f"one chassis, {settle:.0f} s after ready, {time.strftime('%Y-%m-%d %H:%M %Z')}")
    print("| MiB | " + " | ".join(names) + " |")
    print("|---|" + "---|" * len(names))
    for index, what in enumerate(("anonymous PSS", "PSS")):
        print(f"| {what} | " + " | ".join(f"{parts[n][index]:.1f}" for n in names) + " |")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--switches", type=int, default=40)
    parser.add_argument("--ring", action="store_true",
                        help="close the chain into a ring, spanning tree on every switch")
    parser.add_argument("--idle", type=float, default=30.0)
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results/lab.md"))
    parser.add_argument("--processes", action="store_true",
                        help="one chassis, process by process, instead of a lab")
    parser.add_argument("--settle", type=float, default=10.0)
    args = parser.parse_args()
    byte_compile()
    if args.processes:
        print_processes(args.settle)
        return
    lab = measure_lab(args.switches, args.idle, args.ring)
    reference = measure_reference(args.switches, args.idle)
    healthy = "never (300 s)" if lab["healthy"] is None else f"{lab['healthy']:.1f}"
    pinged = "NO" if lab["pinged"] is None else f"yes ({lab['pinged']:.1f})"
    text = "\n".join([
        f"# Lab benchmark: a {'ring' if args.ring else 'chain'} of {args.switches} switches"
        f"{' (spanning tree on)' if args.ring else ''}, a host on each",
        "",
        f"- date: {time.strftime('%Y-%m-%d %H:%M %Z')}",
        f"- machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        f"- command: `sudo python {shlex.join(sys.argv)}`",
        "",
        f"| figure | {args.switches} switches (`lab up`, timing lab) | "
        f"reference: {args.switches} bare asyncssh servers |",
        "|---|---|---|",
        f"| seconds to every CLI serving | {lab['serving']:.1f} | {reference['serving']:.1f} |",
        f"| seconds to every switch healthy (standby ready) | {healthy} | - |",
        f"| hosts ping end to end (seconds from `lab up`) | {pinged} | - |",
        f"| PSS per chassis / per server, MiB | {lab['pss']:.1f} | {reference['pss']:.1f} |",
        f"| processes per chassis | {lab['processes']:.1f} | 1 |",
        f"| idle CPU per chassis / per server, % of a core ({args.idle:.0f} s) | "
        f"{lab['cpu']:.2f} | {reference['cpu']:.2f} |",
        f"| namespaces left after `lab down` | {lab['left']} | - |",
        "",
        "Targets (issue 18): every switch healthy within 60 s, PSS <= 60 MiB and idle CPU",
        "<= 0.3 % of a core per chassis, hosts ping end to end, nothing left.",
    ]) + "\n"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
