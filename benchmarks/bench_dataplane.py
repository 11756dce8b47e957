"""Data-plane benchmark: frames between two hosts (network namespaces this script creates)
through the emulated switch and, in the same run with the same generators, through a Linux
kernel bridge. Variants:

- `kbridge`: veth pairs into a bridge `br0` in a namespace of its own (the reference);
- `tap`: `procurve-emu run --port A1=tap:... --port A2=tap:...`, the TAPs moved into the hosts;
- `afpacket`: the same chassis over `afpacket:` ports on veth pairs (containerlab's wiring);
- `tap-acl`: `tap` with an extended ACL of ACL_ENTRIES entries inbound on both ports, every
  frame matching its last one (`permit ip any any`): the access lists' cost on the wire.

Each run measures, per variant: ping RTT (median, p99); iperf3 UDP 64-byte frames offered flat
out; the 64-byte no-drop rate (NDR: highest offered rate with <= 1 % loss, by binary search
over iperf3 `-b`); trafgen (netsniff-ng, packet mmap) offered flat out, counting the
receiver's rx_packets; iperf3 UDP 1400-byte throughput; iperf3 TCP throughput (one stream) with
the hosts' offloads on (checksum, TSO and GSO: what a host's stack does by default, the other
tests run with `tx` off); and the fabric process' CPU.

    python benchmarks/bench_dataplane.py [--runs 1] [--secs 2] [--variants ...] [--repo DIR]

Why two generators: one iperf3 sender is often
slower than a kernel bridge, so an iperf3 ratio can flatter the switch; trafgen outpaces the
switch and shows its capacity. `--repo` runs the chassis from another checkout (a scratch copy
with a forwarding-loop change), so a change is measured against the same kernel reference.

Needs root, /dev/net/tun and iproute2; installs iperf3 and netsniff-ng with apt when missing.
Everything it creates (namespaces, interfaces, chassis, iperf3/trafgen) is removed at the end,
also on Ctrl-C or an error. Not a test: figures go to a results file with the machine, date
and command.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

from installed import byte_compile

REPO = Path(__file__).resolve().parents[1]
VARIANTS = ("kbridge", "tap", "afpacket", "tap-acl")
LABELS = {
    "kbridge": "Linux kernel bridge (veth)",
    "tap": "procurve-emu, TAP ports",
    "afpacket": "procurve-emu, afpacket ports (veth)",
    "tap-acl": "procurve-emu, TAP ports, 10-entry ACL in on both",
}
ACL_ENTRIES = 10
ACL_CONFIG = "\n".join([
    'ip access-list extended "BENCH"',
    *(f"   {10 * n} deny tcp 10.91.0.{n} 0.0.0.0 0.0.0.0 255.255.255.255 eq 22"
      for n in range(1, ACL_ENTRIES)),
    f"   {10 * ACL_ENTRIES} permit ip 0.0.0.0 255.255.255.255 0.0.0.0 255.255.255.255",
    "   exit",
    *(line for port in ("A1", "A2")
      for line in (f"interface {port}", '   ip access-group "BENCH" in', "   exit")),
]) + "\n"
"""`tap-acl`'s startup config: entries that miss the benchmark's traffic, then the permit."""
SMALL_PAYLOAD = 18
"""UDP payload of a 60-byte frame (64 on the wire with the FCS): 18 + 8 + 20 + 14."""
LARGE_PAYLOAD = 1358
"""UDP payload of a 1400-byte frame."""
SMALL_FRAME = 60
LARGE_FRAME = 1400
LOSS_LIMIT = 1.0
"""Percent of frames an NDR trial may lose."""
IPERF_PORT = 5201
WINDOW = "2M"
"""iperf3 socket buffers (`-w`, both ends). The default 208 KiB holds ~270 small frames, so a
2 ms stall of the receiving iperf3 on 2 busy cores loses frames the switch did deliver; with
that, the receiver, not the switch, decided the kernel bridge's NDR."""
H1, H2 = "10.90.0.1", "10.90.0.2"
TICKS = os.sysconf("SC_CLK_TCK")
DEBS = {"iperf3": "iperf3", "trafgen": "netsniff-ng", "ethtool": "ethtool"}
SUMMARY = (
    # (key, heading, format); the keys are what `measure` returns per variant and run
    ("rtt_median_ms", "RTT median ms", "{:.3f}"),
    ("rtt_p99_ms", "RTT p99 ms", "{:.3f}"),
    ("ndr_kpps", "64B NDR kpps (<= 1 % loss)", "{:.1f}"),
    ("ndr_cpu", "switch CPU % at NDR", "{:.0f}"),
    ("flat_kpps", "64B iperf3 flat out: delivered kpps", "{:.1f}"),
    ("flat_offered_kpps", "(offered kpps)", "{:.1f}"),
    ("flat_cpu", "switch CPU % flat out", "{:.0f}"),
    ("trafgen_kpps", "64B trafgen flat out: delivered kpps", "{:.1f}"),
    ("trafgen_offered_kpps", "(offered kpps)", "{:.1f}"),
    ("trafgen_cpu", "switch CPU % (trafgen)", "{:.0f}"),
    ("trafgen_us", "switch CPU us/frame (trafgen)", "{:.2f}"),
    ("trafgen_kernel_us", "of it in the kernel", "{:.2f}"),
    ("large_mbps", "1400B iperf3 Mbit/s (L2)", "{:.0f}"),
    ("large_cpu", "switch CPU % (1400B)", "{:.0f}"),
    ("tcp_mbps", "TCP Mbit/s (offloads on)", "{:.0f}"),
    ("tcp_cpu", "switch CPU % (TCP)", "{:.0f}"),
    ("tcp_kernel_cpu", "of it in the kernel", "{:.0f}"),
)
BUDGETS = (
    # (key, what, minimum ratio to the kernel bridge: DESIGN.md's budgets)
    ("ndr_kpps", "64B frames/s at <= 1 % loss (iperf3 NDR)", 0.8),
    ("trafgen_kpps", "64B frames/s delivered, offered flat out (trafgen)", 0.8),
    ("flat_kpps", "64B frames/s delivered, iperf3 flat out", 0.8),
    ("large_mbps", "1400B throughput", 0.6),
    ("tcp_mbps", "TCP throughput, hosts' offloads on", 0.8),
)
HOST_OFFLOADS = {"tx": "tx-checksumming", "tso": "tcp-segmentation-offload",
                 "gso": "generic-segmentation-offload"}
"""`ethtool -K` names of the offloads the TCP test turns on, and how `ethtool -k` shows them."""


def run(*argv: str, ns: str | None = None, check: bool = True) -> str:
    prefix = ["ip", "netns", "exec", ns] if ns else []
    done = subprocess.run([*prefix, *argv], capture_output=True, text=True, check=False)
    if check and done.returncode != 0:
        raise RuntimeError(f"{shlex.join([*prefix, *argv])}: {done.stderr.strip()}")
    return done.stdout


def install_tools() -> None:
    """apt-get the generators this machine lacks (no recommends: netsniff-ng's pull in ntpsec)."""
    missing = sorted({deb for tool, deb in DEBS.items() if shutil.which(tool) is None})
    if not missing:
        return
    print(f"installing {' '.join(missing)}", file=sys.stderr)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env, capture_output=True)
    subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing],
                   check=True, env=env, capture_output=True)


def counters(ns: str, dev: str) -> dict[str, int]:
    """The interface's statistics as the host's kernel counts them."""
    names = ("rx_packets", "tx_packets", "tx_dropped")
    text = run("cat", *(f"/sys/class/net/{dev}/statistics/{n}" for n in names), ns=ns)
    return dict(zip(names, map(int, text.split()), strict=True))


def process_ticks(pid: int) -> tuple[int, int]:
    """(utime + stime, stime) of one process (the fabric forwards in one thread): the second
    is the kernel's share, the system calls' floor under any user-space forwarder."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12]), int(fields[12])


def system_ticks() -> tuple[int, int]:
    """(busy, total) jiffies of all CPUs: what the generator, receiver and softirq cost."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


@dataclass
class CpuMeter:
    """Percent of one core used by the switch process, and by the whole machine, over a span."""

    pid: int | None
    start: float = field(default_factory=time.monotonic)
    proc0: tuple[int, int] = (0, 0)
    sys0: tuple[int, int] = (0, 0)

    def __post_init__(self) -> None:
        self.proc0 = process_ticks(self.pid) if self.pid else (0, 0)
        self.sys0 = system_ticks()

    def read(self) -> tuple[float | None, float | None, float]:
        """Switch CPU %, of it in the kernel %, machine CPU %."""
        elapsed = time.monotonic() - self.start
        switch = kernel = None
        if self.pid:
            both, system = process_ticks(self.pid)
            switch = 100.0 * (both - self.proc0[0]) / TICKS / elapsed
            kernel = 100.0 * (system - self.proc0[1]) / TICKS / elapsed
        busy, total = system_ticks()
        machine = 100.0 * (os.cpu_count() or 1) * (busy - self.sys0[0]) / (total - self.sys0[1])
        return switch, kernel, machine


class Topology:
    """Two hosts h1 and h2, each a namespace with one interface, joined by some switch."""

    def __init__(self, variant: str, tag: str, repo: Path, workdir: Path) -> None:
        self.variant = variant
        self.tag = f"pbd{tag}{variant[0]}"
        self.repo = repo
        self.workdir = workdir
        self.hosts = [f"{self.tag}h1", f"{self.tag}h2"]
        self.devs = [f"{self.tag}1", f"{self.tag}2"]
        self.namespaces: list[str] = []
        self.links: list[str] = []
        """Root-namespace interfaces to delete (veth ends the switch reads)."""
        self.chassis: subprocess.Popen[bytes] | None = None
        self.data_dir = workdir / f"{variant}-data"
        self.iperf_servers: list[subprocess.Popen[bytes]] = []
        self.switch_pid: int | None = None

    # -- setup ----------------------------------------------------------------------------

    def netns(self, name: str) -> None:
        run("ip", "netns", "add", name)
        self.namespaces.append(name)
        run("ip", "-n", name, "link", "set", "lo", "up")
        run("sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1", ns=name)

    def up(self) -> None:
        for ns in self.hosts:
            self.netns(ns)
        if self.variant == "kbridge":
            bridge_ns = f"{self.tag}br"
            self.netns(bridge_ns)
            run("ip", "-n", bridge_ns, "link", "add", "br0", "type", "bridge")
            run("ip", "-n", bridge_ns, "link", "set", "br0", "up")
            for ns, dev in zip(self.hosts, self.devs, strict=True):
                run("ip", "link", "add", dev, "netns", ns, "type", "veth", "peer", "name",
                    f"{dev}s", "netns", bridge_ns)
                run("ip", "-n", bridge_ns, "link", "set", f"{dev}s", "master", "br0", "up")
        elif self.variant == "afpacket":
            for ns, dev in zip(self.hosts, self.devs, strict=True):
                run("ip", "link", "add", f"{dev}s", "type", "veth", "peer", "name", dev,
                    "netns", ns)
                self.links.append(f"{dev}s")
                run("ip", "link", "set", f"{dev}s", "up")
            self.start_chassis([f"afpacket:{dev}s" for dev in self.devs])
        else:
            self.start_chassis([f"tap:{dev}" for dev in self.devs])
            for ns, dev in zip(self.hosts, self.devs, strict=True):
                run("ip", "link", "set", dev, "netns", ns)
        for i, (ns, dev) in enumerate(zip(self.hosts, self.devs, strict=True)):
            run("ip", "-n", ns, "addr", "add", f"{(H1, H2)[i]}/24", "dev", dev)
            run("ip", "-n", ns, "link", "set", dev, "up")
            # Checksums in software on every host for the frame-rate tests, as in every run
            # since the first (comparable figures); the TCP test turns the offloads on.
            run("ethtool", "-K", dev, "tx", "off", ns=ns)
        self.wait_ping()
        server = subprocess.Popen(["ip", "netns", "exec", self.hosts[1], "iperf3", "-s",
                                   "-p", str(IPERF_PORT)], stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)
        self.iperf_servers.append(server)
        deadline = time.monotonic() + 10
        while f":{IPERF_PORT}" not in run("ss", "-Hltn", ns=self.hosts[1]):
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError("iperf3 server did not listen")
            time.sleep(0.05)

    def start_chassis(self, backends: list[str]) -> None:
        argv = [sys.executable, "-m", "emulator.main", "run", "--timing", "fast",
                "--data-dir", str(self.data_dir), "--ssh-port", "0", "--telnet-port", "0",
                "--snmp-port", "0"]
        for number, backend in enumerate(backends, start=1):
            argv += ["--port", f"A{number}={backend}"]
        if self.variant == "tap-acl":
            config = self.workdir / "acl.cfg"
            config.write_text(ACL_CONFIG)
            argv += ["--startup-config", str(config)]
        env = {k: v for k, v in os.environ.items() if not k.startswith("PROCURVE_")}
        env["PYTHONPATH"] = str(self.repo)
        with (self.workdir / f"{self.variant}-stderr.txt").open("wb") as stderr:
            self.chassis = subprocess.Popen(argv, cwd=self.repo, env=env,
                                            stdin=subprocess.DEVNULL,
                                            stdout=subprocess.DEVNULL, stderr=stderr)
        deadline = time.monotonic() + 30
        while True:
            if self.chassis.poll() is not None:
                raise RuntimeError(f"chassis exited {self.chassis.returncode}: "
                                   f"{(self.workdir / f'{self.variant}-stderr.txt').read_text()}")
            state = self.status()
            ports = state.get("ports", [])
            if ports and all(p["link_up"] for p in ports):
                self.switch_pid = state["fabric"]["pid"]
                return
            if time.monotonic() > deadline:
                raise RuntimeError(f"chassis ports never came up: {state}")
            time.sleep(0.1)

    def status(self) -> dict[str, Any]:
        done = subprocess.run([sys.executable, "-m", "emulator.main", "status", "--data-dir",
                               str(self.data_dir)], cwd=self.repo, capture_output=True,
                              text=True, check=False)
        try:
            state: dict[str, Any] = json.loads(done.stdout)
        except json.JSONDecodeError:
            return {}
        return state

    def wait_ping(self) -> None:
        """Until h1 reaches h2 (ARP resolved, switch has learned both MACs)."""
        deadline = time.monotonic() + 15
        while not self.ping(1, 0.2):
            if time.monotonic() > deadline:
                raise RuntimeError(f"{self.variant}: h1 never reached h2")

    def down(self) -> None:
        for server in self.iperf_servers:
            server.terminate()
            server.wait()
        self.iperf_servers.clear()
        if self.chassis is not None and self.chassis.poll() is None:
            self.chassis.send_signal(signal.SIGTERM)
            try:
                self.chassis.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.chassis.kill()
                self.chassis.wait()
        for ns in self.namespaces:
            subprocess.run(["ip", "netns", "del", ns], check=False)
        self.namespaces.clear()
        for link in self.links:
            # Usually gone with its peer's namespace already (deleted asynchronously).
            subprocess.run(["ip", "link", "del", link], check=False, capture_output=True)
        self.links.clear()

    # -- measurements ---------------------------------------------------------------------

    def ping(self, count: int, interval: float) -> list[float]:
        """RTTs in ms of the replies to `count` pings from h1 to h2."""
        out = run("ping", "-n", "-c", str(count), "-i", str(interval), "-W", "1", H2,
                  ns=self.hosts[0], check=False)
        return [float(line.split("time=")[1].split()[0])
                for line in out.splitlines() if "time=" in line]

    def iperf(self, payload: int, bits: int, secs: float) -> dict[str, float]:
        """One iperf3 UDP test: offered and delivered frames/s, loss and CPU."""
        meter = CpuMeter(self.switch_pid)
        out = run("iperf3", "-c", H2, "-p", str(IPERF_PORT), "-u", "-l", str(payload),
                  "-b", str(bits), "-t", str(secs), "-w", WINDOW, "-J", ns=self.hosts[0],
                  check=False)
        switch_cpu, _, machine_cpu = meter.read()
        report = json.loads(out)
        if "error" in report:
            raise RuntimeError(f"iperf3: {report['error']}")
        total = report["end"]["sum"]
        seconds = float(total["seconds"]) or secs
        sent, lost = int(total["packets"]), int(total["lost_packets"])
        return {"offered": sent / seconds, "delivered": (sent - lost) / seconds,
                "loss": 100.0 * lost / sent if sent else 100.0,
                "cpu": switch_cpu if switch_cpu is not None else float("nan"),
                "machine_cpu": machine_cpu}

    def tcp(self, secs: float) -> dict[str, float]:
        """One iperf3 TCP stream h1 -> h2 with both hosts' offloads on (restored after):
        received Mbit/s and CPU."""
        saved = [self.offloads(ns, dev) for ns, dev in zip(self.hosts, self.devs, strict=True)]
        try:
            for ns, dev in zip(self.hosts, self.devs, strict=True):
                run("ethtool", "-K", dev, *(w for k in HOST_OFFLOADS for w in (k, "on")),
                    ns=ns, check=False)  # a TAP without a vnet header keeps them off
            meter = CpuMeter(self.switch_pid)
            out = run("iperf3", "-c", H2, "-p", str(IPERF_PORT), "-t", str(secs), "-J",
                      ns=self.hosts[0], check=False)
            switch_cpu, kernel_cpu, machine_cpu = meter.read()
        finally:
            for (ns, dev), state in zip(zip(self.hosts, self.devs, strict=True), saved,
                                        strict=True):
                run("ethtool", "-K", dev, *(w for k, v in state.items() for w in (k, v)),
                    ns=ns, check=False)
        report = json.loads(out)
        if "error" in report:
            raise RuntimeError(f"iperf3: {report['error']}")
        return {"mbps": float(report["end"]["sum_received"]["bits_per_second"]) / 1e6,
                "cpu": switch_cpu if switch_cpu is not None else float("nan"),
                "kernel_cpu": kernel_cpu if kernel_cpu is not None else float("nan"),
                "machine_cpu": machine_cpu}

    @staticmethod
    def offloads(ns: str, dev: str) -> dict[str, str]:
        """The host interface's HOST_OFFLOADS as `ethtool -K` takes them (`on`/`off`)."""
        shown = dict(line.split(":", 1) for line in run("ethtool", "-k", dev, ns=ns).splitlines()
                     if ":" in line)
        return {key: shown.get(name, " off").split()[0] for key, name in HOST_OFFLOADS.items()}

    def trafgen(self, secs: float) -> dict[str, float]:
        """trafgen flat out from h1 for `secs`: frames/s the h2 interface received."""
        macs = [run("cat", f"/sys/class/net/{dev}/address", ns=ns).strip()
                for ns, dev in zip(self.hosts, self.devs, strict=True)]
        conf = self.workdir / "udp64.cfg"
        conf.write_text(trafgen_packet(macs[1], macs[0]))
        gen = subprocess.Popen(["ip", "netns", "exec", self.hosts[0], "trafgen", "--dev",
                                self.devs[0], "--conf", str(conf), "--cpus", "1",
                                "--no-sock-mem", "--notouch-irq"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
        try:
            time.sleep(0.3)  # past trafgen's ring setup: measure the steady state
            if gen.poll() is not None:
                raise RuntimeError("trafgen exited at once")
            tx0, rx0 = counters(self.hosts[0], self.devs[0]), counters(self.hosts[1],
                                                                        self.devs[1])
            meter = CpuMeter(self.switch_pid)
            time.sleep(secs)
            tx1, rx1 = counters(self.hosts[0], self.devs[0]), counters(self.hosts[1],
                                                                        self.devs[1])
            switch_cpu, kernel_cpu, machine_cpu = meter.read()
            elapsed = time.monotonic() - meter.start
        finally:
            os.killpg(gen.pid, signal.SIGINT)  # trafgen forks its sender: stop the group
            try:
                gen.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(gen.pid, signal.SIGKILL)
                gen.wait()
        offered = (tx1["tx_packets"] - tx0["tx_packets"]
                   + tx1["tx_dropped"] - tx0["tx_dropped"])
        delivered = rx1["rx_packets"] - rx0["rx_packets"]
        return {"offered": offered / elapsed, "delivered": delivered / elapsed,
                "cpu": switch_cpu if switch_cpu is not None else float("nan"),
                "kernel_cpu": kernel_cpu if kernel_cpu is not None else float("nan"),
                "machine_cpu": machine_cpu}

    def ndr(self, flat: dict[str, float], secs: float, steps: int) -> dict[str, float]:
        """Highest offered 64-byte rate with <= 1 % loss, below what iperf3 offered flat out.

        If flat out already stays within the loss limit, the generator is the bottleneck and
        that run is the NDR (marked `bound`: 1)."""
        if flat["loss"] <= LOSS_LIMIT:
            return {**flat, "bound": 1.0}
        best: dict[str, float] = {"offered": 0.0, "delivered": 0.0, "loss": 0.0,
                                  "cpu": float("nan"), "machine_cpu": float("nan"),
                                  "bound": 0.0}
        low, high = 0.0, flat["offered"]
        for _ in range(steps):
            rate = (low + high) / 2
            trial = self.iperf(SMALL_PAYLOAD, int(rate * SMALL_PAYLOAD * 8), secs)
            if trial["loss"] <= LOSS_LIMIT:
                low = rate
                if trial["delivered"] > best["delivered"]:
                    best = {**trial, "bound": 0.0}
            else:
                high = rate
        return best


def trafgen_packet(dst: str, src: str) -> str:
    """A 60-byte IPv4/UDP frame h1 -> h2 with a valid IP header checksum (the receiving stack
    drops frames without one before counting much else)."""
    def mac(text: str) -> str:
        return ", ".join(f"0x{octet}" for octet in text.split(":"))

    def ip(text: str) -> str:
        return ", ".join(text.split("."))

    return (
        "{\n"
        f"  {mac(dst)}, {mac(src)}, c16(0x0800),\n"
        f"  0x45, 0x00, c16({SMALL_FRAME - 14}), c16(0), c16(0x4000), 64, 17,"
        f" csumip(14, 33), {ip(H1)}, {ip(H2)},\n"
        f"  c16(9), c16(9), c16({SMALL_FRAME - 34}), c16(0),\n"
        f"  fill(0x00, {SMALL_FRAME - 42}),\n"
        "}\n"
    )


def measure(top: Topology, args: argparse.Namespace) -> dict[str, float]:
    rtts = top.ping(args.pings, 0.01)
    flat = top.iperf(SMALL_PAYLOAD, 0, args.secs)
    ndr = top.ndr(flat, args.secs, args.ndr_steps)
    gen = top.trafgen(args.secs)
    large = top.iperf(LARGE_PAYLOAD, 0, args.secs)
    tcp = top.tcp(args.secs)
    p99 = statistics.quantiles(rtts, n=100)[98] if len(rtts) >= 2 else float("nan")
    return {
        "rtt_median_ms": statistics.median(rtts) if rtts else float("nan"),
        "rtt_p99_ms": p99,
        "ndr_kpps": ndr["delivered"] / 1e3,
        "ndr_cpu": ndr["cpu"],
        "ndr_bound": ndr["bound"],
        "flat_kpps": flat["delivered"] / 1e3,
        "flat_offered_kpps": flat["offered"] / 1e3,
        "flat_cpu": flat["cpu"],
        "flat_machine_cpu": flat["machine_cpu"],
        "trafgen_kpps": gen["delivered"] / 1e3,
        "trafgen_offered_kpps": gen["offered"] / 1e3,
        "trafgen_cpu": gen["cpu"],
        # CPU per frame holds still when co-tenants take the switch's core; frames/s do not.
        "trafgen_us": gen["cpu"] * 1e4 / gen["delivered"] if gen["delivered"] else float("nan"),
        "trafgen_kernel_us": (gen["kernel_cpu"] * 1e4 / gen["delivered"] if gen["delivered"]
                              else float("nan")),
        "trafgen_machine_cpu": gen["machine_cpu"],
        "large_mbps": large["delivered"] * LARGE_FRAME * 8 / 1e6,
        "large_cpu": large["cpu"],
        "tcp_mbps": tcp["mbps"],
        "tcp_cpu": tcp["cpu"],
        "tcp_kernel_cpu": tcp["kernel_cpu"],
    }


@contextlib.contextmanager
def interrupts_unwind() -> Iterator[None]:
    """SIGTERM (and SIGHUP) unwind like Ctrl-C, so the cleanup in `finally` always runs."""
    def stop(signum: int, _frame: FrameType | None) -> None:
        raise KeyboardInterrupt(signal.Signals(signum).name)

    old = {s: signal.signal(s, stop) for s in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for s, handler in old.items():
            signal.signal(s, handler)


def fmt(value: float, pattern: str) -> str:
    return "–" if value != value else pattern.format(value)  # NaN: not applicable


def report(results: dict[str, list[dict[str, float]]], args: argparse.Namespace) -> str:
    variants = list(results)

    def median(variant: str, key: str) -> float:
        values = [r[key] for r in results[variant] if r[key] == r[key]]
        return statistics.median(values) if values else float("nan")

    lines = [
        "# Data-plane benchmark",
        "",
        f"- date: {time.strftime('%Y-%m-%d %H:%M %Z')}",
        f"- machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores, "
        f"kernel {platform.release()}, Python {platform.python_version()}, "
        f"{run('iperf3', '--version').splitlines()[0].strip()}, "
        f"{run('trafgen', '--version', check=False).split(',')[0].strip()}",
        f"- command: `python {shlex.join(sys.argv)}`",
        f"- load average before / after: {args.load_before} / "
        f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}",
        f"- chassis code: {args.repo}",
        "",
        f"Median of {args.runs} run(s); `-t {args.secs}` per test; {args.pings} pings at 10 ms. "
        f"iperf3 runs with `-w {WINDOW}`. Switch CPU is the fabric process (utime+stime) "
        "in % of one core; the kernel bridge "
        "forwards in softirq, so it has none.",
        "",
        "| " + " | ".join(["variant", *(heading for _, heading, _ in SUMMARY)]) + " |",
        "|" + "---|" * (len(SUMMARY) + 1),
    ]
    for variant in variants:
        cells = [fmt(median(variant, key), pattern) for key, _, pattern in SUMMARY]
        lines.append(f"| {LABELS[variant]} | " + " | ".join(cells) + " |")
    if "kbridge" in results:
        lines += ["", "## Against the kernel bridge (ratio of the medians; DESIGN.md budgets)",
                  "", "| variant | what | ratio | budget | verdict |", "|---|---|---|---|---|"]
        for variant in variants:
            if variant == "kbridge":
                continue
            for key, what, budget in BUDGETS:
                ratio = median(variant, key) / median("kbridge", key)
                verdict = "meets" if ratio >= budget else "misses"
                lines.append(f"| {LABELS[variant]} | {what} | {ratio:.2f} | >= {budget} | "
                             f"{verdict} |")
    lines += ["", "## Per run", "",
              "| variant | run | " + " | ".join(heading for _, heading, _ in SUMMARY)
              + " | NDR generator-bound | machine CPU % (iperf3 / trafgen) |",
              "|" + "---|" * (len(SUMMARY) + 4)]
    for variant in variants:
        for i, r in enumerate(results[variant], start=1):
            cells = [fmt(r[key], pattern) for key, _, pattern in SUMMARY]
            lines.append(f"| {variant} | {i} | " + " | ".join(cells)
                         + f" | {'yes' if r['ndr_bound'] else 'no'} | "
                         f"{r['flat_machine_cpu']:.0f} / {r['trafgen_machine_cpu']:.0f} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--secs", type=float, default=2.0, help="length of each traffic test")
    parser.add_argument("--ndr-steps", type=int, default=4,
                        help="binary-search trials for the 64-byte NDR")
    parser.add_argument("--pings", type=int, default=200)
    parser.add_argument("--variants", nargs="+", choices=VARIANTS, default=list(VARIANTS))
    parser.add_argument("--repo", type=Path, default=REPO,
                        help="checkout whose emulator the chassis runs (default: this one)")
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results/dataplane.md"))
    args = parser.parse_args()
    args.repo = args.repo.resolve()
    byte_compile(args.repo)
    if os.geteuid() != 0 or not Path("/dev/net/tun").exists():
        raise SystemExit("needs root and /dev/net/tun (namespaces, TAP and veth interfaces)")
    install_tools()
    args.load_before = " ".join(f"{x:.2f}" for x in os.getloadavg())
    tag = f"{os.getpid() % 10000}"
    results: dict[str, list[dict[str, float]]] = {v: [] for v in args.variants}
    with tempfile.TemporaryDirectory(prefix="bench-dataplane-") as tmp, interrupts_unwind():
        for number in range(1, args.runs + 1):
            for variant in args.variants:
                top = Topology(variant, tag, args.repo, Path(tmp))
                try:
                    top.up()
                    results[variant].append(measure(top, args))
                finally:
                    top.down()
                    shutil.rmtree(top.data_dir, ignore_errors=True)
                summary = results[variant][-1]
                print(f"run {number} {variant}: " + ", ".join(
                    f"{key}={fmt(summary[key], pattern)}" for key, _, pattern in SUMMARY),
                    file=sys.stderr, flush=True)
    text = report(results, args)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text)
    print(text)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt as exc:  # everything made was removed on the way out
        raise SystemExit(f"interrupted ({exc or 'SIGINT'}); cleaned up") from None
