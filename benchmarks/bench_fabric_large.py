"""Large frames through the fabric alone: two hosts (network namespaces this script creates)
joined by an in-process `emulator.fabric.process.Fabric` (one VLAN, both ports untagged), no
chassis around it. It measures the two large-frame tests of bench_dataplane.py, iperf3 TCP with
the hosts' offloads on (super-frames, partial checksums) and iperf3 UDP 1400-byte frames flat
out (checksums in software), and the fabric's CPU (this process: utime+stime, % of a core),
also per 64 KiB of TCP (and the kernel's share of it) and per UDP frame.

    python benchmarks/bench_fabric_large.py [--kinds tap afpacket] [--secs 3] [--runs 2]
        [--repo DIR] [--paths] [--profile N]

Why: a lever on the large-frame path (fewer copies per frame) moves figures by a few percent,
which a whole chassis run (minutes, the kernel bridge beside it) buries in noise; here the only
Python on the path is the fabric's, a run takes seconds, and `--repo` runs another checkout's
fabric (the code before a change) with the same harness. `--paths` counts how each frame read
with a virtio_net_hdr crossed offload.py (a super-frame passed whole, a checksum finished in
software, segments cut); `--profile N` prints cProfile's N costliest functions of the TCP test.
Figures are for comparing two runs of this script on one machine, not the kernel bridge.

Needs root, /dev/net/tun, iproute2, ethtool and iperf3. Everything it creates is removed at the
end, also on Ctrl-C or an error.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import json
import os
import pstats
import resource
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bench_dataplane import LARGE_PAYLOAD, WINDOW, run

H1, H2 = "10.93.0.1", "10.93.0.2"
IPERF_PORT = 5203
PHASE = ["setup"]
"""The test running now, for `--paths`."""


def cpu_seconds() -> tuple[float, float]:
    """This process' CPU seconds so far: in all, and in the kernel."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime, usage.ru_stime


@contextlib.contextmanager
def hosts(kind: str, tag: str) -> Iterator[tuple[list[str], list[str], list[str]]]:
    """(namespaces, host interfaces, backends) of two hosts; all removed on the way out."""
    namespaces = [f"{tag}h1", f"{tag}h2"]
    devs = [f"{tag}1", f"{tag}2"]
    links: list[str] = []
    try:
        for ns in namespaces:
            run("ip", "netns", "add", ns)
            run("ip", "-n", ns, "link", "set", "lo", "up")
        if kind == "afpacket":
            for ns, dev in zip(namespaces, devs, strict=True):
                run("ip", "link", "add", f"{dev}s", "type", "veth", "peer", "name", dev,
                    "netns", ns)
                links.append(f"{dev}s")
                run("ip", "link", "set", f"{dev}s", "up")
            yield namespaces, devs, [f"afpacket:{dev}s" for dev in devs]
        else:
            links.extend(devs)  # a TAP the fabric made, should it outlive the namespace
            yield namespaces, devs, [f"tap:{dev}" for dev in devs]
    finally:
        for ns in namespaces:
            subprocess.run(["ip", "netns", "del", ns], check=False)
        for link in links:
            subprocess.run(["ip", "link", "del", link], check=False, capture_output=True)


def count_paths(counts: Counter[str]) -> None:
    """Wrap the ports' offload.receive to count what each vnet-headed read became."""
    from emulator.fabric import afpacket, offload, tap

    original = offload.receive

    def counted(data: Any) -> list[bytes]:
        frames = original(data)
        flags, gso_type, phase = data[0], data[1], PHASE[0]
        if len(frames) == 1 and isinstance(frames[0], offload.SuperFrame):
            counts[f"{phase}: super-frame passed whole"] += 1
        elif gso_type:
            counts[f"{phase}: super-frame cut at ingress"] += 1
        elif flags & offload.NEEDS_CSUM:
            counts[f"{phase}: checksum finished in software ("
                   f"{'< 200' if len(data) < 200 else '>= 200'} octets)"] += 1
        return frames

    tap.receive = afpacket.receive = counted  # type: ignore[attr-defined]


async def iperf(ns: str, *args: str) -> dict[str, Any]:
    process = await asyncio.create_subprocess_exec(
        "ip", "netns", "exec", ns, "iperf3", "-c", H2, "-p", str(IPERF_PORT), "-J", *args,
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    out, _ = await process.communicate()
    report: dict[str, Any] = json.loads(out)
    if "error" in report:
        raise RuntimeError(f"iperf3: {report['error']}")
    return report


async def measure(kind: str, args: argparse.Namespace, tag: str,
                  counts: Counter[str]) -> dict[str, float]:
    from emulator.fabric.process import Fabric
    from emulator.portspec import parse_backend

    with hosts(kind, tag) as (namespaces, devs, backends):
        fabric = Fabric({f"A{n}": parse_backend(b) for n, b in enumerate(backends, 1)}, 300)
        fabric.open()
        server: subprocess.Popen[bytes] | None = None
        try:
            for port in fabric.ports:
                fabric.bridge.configure(port, enabled=True, pvid=1, tagged=())
                fabric.set_carrier(port, True)
            fabric.start()
            for number, (ns, dev) in enumerate(zip(namespaces, devs, strict=True)):
                if kind == "tap":
                    run("ip", "link", "set", dev, "netns", ns)
                run("ip", "-n", ns, "addr", "add", f"{(H1, H2)[number]}/24", "dev", dev)
                run("ip", "-n", ns, "link", "set", dev, "up")
            server = subprocess.Popen(["ip", "netns", "exec", namespaces[1], "iperf3", "-s",
                                       "-p", str(IPERF_PORT)], stdout=subprocess.DEVNULL,
                                      stderr=subprocess.DEVNULL)
            await until(["ping", "-c1", "-W1", H2], namespaces[0], " 0% packet loss", "ping")
            await until(["ss", "-Hltn"], namespaces[1], f":{IPERF_PORT}", "iperf3 server")

            def offloads(state: str) -> None:
                for ns, dev in zip(namespaces, devs, strict=True):
                    run("ethtool", "-K", dev, "tx", state, "tso", state, "gso", state, ns=ns,
                        check=False)

            offloads("on")
            PHASE[0] = "tcp"
            profile = cProfile.Profile() if args.profile else None
            before, start = cpu_seconds(), time.monotonic()
            if profile is not None:
                profile.enable()
            tcp = await iperf(namespaces[0], "-t", str(args.secs))
            if profile is not None:
                profile.disable()
            after = cpu_seconds()
            tcp_cpu = (after[0] - before[0]) / (time.monotonic() - start)
            tcp_kernel = (after[1] - before[1]) / (after[0] - before[0])
            offloads("off")
            PHASE[0] = "udp1400"
            before, start = cpu_seconds(), time.monotonic()
            udp = await iperf(namespaces[0], "-u", "-l", str(LARGE_PAYLOAD), "-b", "0",
                              "-w", WINDOW, "-t", str(args.secs))
            udp_cpu = (cpu_seconds()[0] - before[0]) / (time.monotonic() - start)
            if profile is not None:
                pstats.Stats(profile).sort_stats("tottime").print_stats(args.profile)
        finally:
            if server is not None:
                server.terminate()
                server.wait()
            fabric.close()
    total = udp["end"]["sum"]
    delivered = (int(total["packets"]) - int(total["lost_packets"])) / float(total["seconds"])
    tcp_mbps = float(tcp["end"]["sum_received"]["bits_per_second"]) / 1e6
    # CPU per unit of work holds still when other tenants take the cores; rates do not.
    return {"tcp_mbps": tcp_mbps, "tcp_cpu": 100 * tcp_cpu,
            "tcp_us_per_64k": tcp_cpu * 1e6 / (tcp_mbps * 1e6 / 8 / 65536),
            "tcp_kernel_pct": 100 * tcp_kernel,
            "udp_mbps": delivered * (LARGE_PAYLOAD + 42) * 8 / 1e6,
            "udp_kpps": delivered / 1e3, "udp_cpu": 100 * udp_cpu,
            "udp_us_per_frame": udp_cpu * 1e6 / delivered}


async def until(argv: list[str], ns: str, shown: str, what: str) -> None:
    """Run `argv` in `ns` until its output shows `shown` (the fabric forwards meanwhile)."""
    deadline = time.monotonic() + 15
    while True:
        process = await asyncio.create_subprocess_exec(
            "ip", "netns", "exec", ns, *argv, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL)
        out, _ = await process.communicate()
        if shown in out.decode():
            return
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} never ready")
        await asyncio.sleep(0.05)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kinds", nargs="+", choices=("tap", "afpacket"),
                        default=["tap", "afpacket"])
    parser.add_argument("--secs", type=float, default=3.0)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--repo", type=Path, default=Path(__file__).resolve().parents[1],
                        help="checkout whose emulator.fabric runs (default: this one)")
    parser.add_argument("--paths", action="store_true",
                        help="count how the vnet-headed reads crossed offload.py")
    parser.add_argument("--profile", type=int, default=0, metavar="N",
                        help="cProfile the TCP test, print the N costliest functions")
    args = parser.parse_args()
    if os.geteuid() != 0 or not Path("/dev/net/tun").exists():
        raise SystemExit("needs root and /dev/net/tun")
    sys.path.insert(0, str(args.repo.resolve()))
    counts: Counter[str] = Counter()
    if args.paths:
        count_paths(counts)
    results: dict[str, list[dict[str, float]]] = {kind: [] for kind in args.kinds}
    for number in range(args.runs):
        for kind in args.kinds:
            result = asyncio.run(measure(kind, args, f"pfl{os.getpid() % 10000}{kind[0]}",
                                         counts))
            results[kind].append(result)
            print(f"run {number + 1} {kind}: " + ", ".join(
                f"{key}={value:.1f}" for key, value in result.items()), file=sys.stderr)
    print(f"repo {args.repo}, load {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for kind, rows in results.items():
        print(f"{kind} (median of {len(rows)}): " + ", ".join(
            f"{key}={statistics.median(r[key] for r in rows):.1f}" for key in rows[0]))
    for path, number in sorted(counts.items()):
        print(f"{path}: {number}")


if __name__ == "__main__":
    main()
