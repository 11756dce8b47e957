"""SNMP benchmark: v2c GET/s with one request in flight and a full bulk walk of a 12-slot
chassis, beside net-snmp's snmpd and snmpsim measured in the same run.

    python benchmarks/bench_snmp.py [--gets 3000] [--runs 3] [--snmpsim PATH]
                                    [--out benchmarks/results/snmp.md]

snmpd serves the host's own tree (Debian package `snmpd`, installed here when missing);
snmpsim (a separate venv's `snmpsim-command-responder`, `--snmpsim`) serves a recording of the
emulator's own walk, so both Python agents answer the same tree. Not a test: figures go to a
results file with the machine, date and command.
"""

from __future__ import annotations

import argparse
import os
import platform
import shlex
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from emulator.hardware import SLOTS  # noqa: E402
from snmp import ber  # noqa: E402

SYS_UPTIME_0 = (1, 3, 6, 1, 2, 1, 1, 3, 0)
READY_DEADLINE = 30.0
SNMPREC_TYPES = {"INTEGER": "2", "STRING": "4x", "OID": "6", "IpAddress": "64",
                 "Counter32": "65", "Gauge32": "66", "Timeticks": "67", "Counter64": "70",
                 "Hex-STRING": "4x"}


def free_port(kind: int = socket.SOCK_DGRAM) -> int:
    with socket.socket(socket.AF_INET, kind) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def get_request(community: bytes, request_id: int) -> bytes:
    return ber.encode_message(ber.Message(ber.V2C, community, ber.Pdu(
        ber.GET, request_id, 0, 0, [(SYS_UPTIME_0, ber.NULL_VALUE)])))


def answers(port: int, community: bytes) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(0.5)
        sock.sendto(get_request(community, 1), ("127.0.0.1", port))
        try:
            return bool(sock.recv(65535))
        except TimeoutError:
            return False


def wait_answering(port: int, community: bytes) -> None:
    deadline = time.monotonic() + READY_DEADLINE
    while not answers(port, community):
        if time.monotonic() > deadline:
            raise SystemExit(f"no SNMP agent answers on port {port}")


def gets_per_second(port: int, community: bytes, count: int) -> float:
    """Pre-encoded GETs over raw UDP, one outstanding: the client is never the bottleneck."""
    requests = [get_request(community, i) for i in range(1, count + 1)]
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(2.0)
        sock.connect(("127.0.0.1", port))
        start = time.perf_counter()
        for request in requests:
            sock.send(request)
            sock.recv(65535)
        return count / (time.perf_counter() - start)


def bulk_walk(port: int, community: str) -> tuple[float, int]:
    start = time.perf_counter()
    done = subprocess.run(["snmpbulkwalk", "-v2c", "-c", community, "-On", "-m", "", "-Cr50",
                           "-t", "5", f"127.0.0.1:{port}", ".1"],
                          capture_output=True, text=True, check=True)
    return time.perf_counter() - start, done.stdout.count("\n")


@contextmanager
def emulator(tmp: Path) -> Iterator[tuple[int, str]]:
    """A 12-slot chassis (every slot a 24-port module), SNMP on a free port."""
    data = tmp / "chassis"
    data.mkdir()
    (data / "chassis.json").write_text(
        '{{"modules": {{{}}}}}'.format(", ".join(f'"{s}": "J8702A"' for s in SLOTS)))
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "emulator.main", "run", "--data-dir", str(data), "--timing",
         "fast", "--ssh-port", "0", "--telnet-port", "0", "--snmp-port", str(port)],
        cwd=REPO, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    try:
        wait_answering(port, b"public")
        yield port, "public"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@contextmanager
def snmpd(tmp: Path) -> Iterator[tuple[int, str]]:
    if shutil.which("snmpd") is None and shutil.which("/usr/sbin/snmpd") is None:
        subprocess.run(["apt-get", "install", "-y", "-qq", "snmpd"], check=True,
                       env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
    conf = tmp / "snmpd.conf"
    conf.write_text("rocommunity public 127.0.0.1\n")
    port = free_port()
    proc = subprocess.Popen(["/usr/sbin/snmpd", "-f", "-Lo", "-C", "-c", str(conf),
                             f"udp:127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_answering(port, b"public")
        yield port, "public"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def record(walk_output: str) -> str:
    """snmpbulkwalk -On -Ox output as .snmprec lines (snmpsim's format)."""
    lines = []
    for line in walk_output.splitlines():
        oid, sep, rest = line.partition(" = ")
        kind, _, value = rest.partition(": ")
        if not sep or kind not in SNMPREC_TYPES:
            continue
        tag = SNMPREC_TYPES[kind]
        if tag == "4x":
            value = value.replace(" ", "").strip('"')
        elif tag == "67":
            value = value.split(")")[0].strip("(")
        elif tag == "6":
            value = value.lstrip(".")
        lines.append(f"{oid.lstrip('.')}|{tag}|{value.strip()}")
    return "\n".join(lines) + "\n"


@contextmanager
def snmpsim(tmp: Path, responder: str, emulator_port: int) -> Iterator[tuple[int, str]]:
    walked = subprocess.run(["snmpbulkwalk", "-v2c", "-c", "public", "-On", "-Ox", "-m", "",
                             f"127.0.0.1:{emulator_port}", ".1"],
                            capture_output=True, text=True, check=True).stdout
    data = tmp / "snmpsim"
    data.mkdir()
    (data / "procurve.snmprec").write_text(record(walked))
    port = free_port()
    proc = subprocess.Popen(
        [responder, f"--data-dir={data}", f"--agent-udpv4-endpoint=127.0.0.1:{port}",
         "--process-user=nobody", "--process-group=nogroup", f"--cache-dir={tmp / 'cache'}"],
        env={**os.environ, "SNMPSIM_ALLOW_ROOT": "true"},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_answering(port, b"procurve")
        yield port, "procurve"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def measure(name: str, agent: tuple[int, str], gets: int, runs: int,
            results: dict[str, dict[str, float]]) -> None:
    port, community = agent
    rates = [gets_per_second(port, community.encode(), gets) for _ in range(runs)]
    walks = [bulk_walk(port, community) for _ in range(runs)]
    results[name] = {"gets": statistics.median(rates),
                     "walk": statistics.median(w for w, _ in walks),
                     "varbinds": walks[0][1]}
    print(name, results[name], flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--gets", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--snmpsim", default=shutil.which("snmpsim-command-responder"))
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks/results/snmp.md")
    args = parser.parse_args()
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        with emulator(tmp) as agent:
            measure("procurve-emu (12 slots)", agent, args.gets, args.runs, results)
            if args.snmpsim:
                with snmpsim(tmp, args.snmpsim, agent[0]) as sim:
                    measure("snmpsim (emulator's tree)", sim, max(args.gets // 10, 100),
                            args.runs, results)
        with snmpd(tmp) as agent:
            measure("net-snmp snmpd (host tree)", agent, args.gets, args.runs, results)
    write(args, results)


def write(args: argparse.Namespace, results: dict[str, dict[str, float]]) -> None:
    ours, ref = results["procurve-emu (12 slots)"], results["net-snmp snmpd (host tree)"]
    def rate(r: dict[str, float]) -> float:
        return r["varbinds"] / r["walk"]
    rows = [f"| {name} | {r['gets']:,.0f} | {r['gets'] / ref['gets']:.2f} | "
            f"{r['varbinds']:,.0f} | {r['walk']:.3f} | {rate(r):,.0f} | {rate(r) / rate(ref):.2f} |"
            for name, r in results.items()]
    text = "\n".join([
        "# SNMP agent benchmark",
        "",
        f"- date: {time.strftime('%Y-%m-%d %H:%M:%S %z')}",
        f"- machine: {platform.node()}, {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} cores, {platform.platform()}, Python {platform.python_version()}",
        f"- command: `python {' '.join(shlex.quote(a) for a in sys.argv)}`",
        f"- {args.runs} runs each, medians; GETs of sysUpTime.0 over raw UDP, one in flight "
        f"({args.gets} per run; snmpsim a tenth); walk = `snmpbulkwalk -v2c -Cr50 .1`",
        "",
        "| agent | GET/s | x snmpd | walk var-binds | walk s | var-binds/s | x snmpd |",
        "|---|---|---|---|---|---|---|",
        *rows,
        "",
        f"Budgets (DESIGN.md): GET/s >= 0.5x snmpd -> {ours['gets'] / ref['gets']:.2f}x; "
        f"full bulk walk of a 12-slot chassis <= 0.5 s -> {ours['walk']:.3f} s.",
        "",
    ])
    args.out.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
