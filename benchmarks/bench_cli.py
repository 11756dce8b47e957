"""CLI chassis benchmark: start-up time, netmiko sessions and memory of the process tree,
beside a bare asyncssh server measured in the same run.

    python benchmarks/bench_cli.py [--sessions 60] [--workers 20] [--out benchmarks/results/cli.md]

Not a test: figures go to a results file with the machine, date and command.
"""

from __future__ import annotations

import argparse
import os
import platform
import shlex
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import asyncssh
import psutil
from installed import byte_compile
from netmiko import ConnectHandler

BARE_SERVER = """
import asyncio, asyncssh, sys
async def main():
    key = asyncssh.generate_private_key("ssh-ed25519")
    class S(asyncssh.SSHServer):
        def begin_auth(self, u): return True
        def password_auth_supported(self): return True
        def validate_password(self, u, p): return True
    await asyncssh.listen("127.0.0.1", int(sys.argv[1]), server_host_keys=[key], server_factory=S,
                          process_factory=lambda p: p.exit(0))
    await asyncio.Event().wait()
asyncio.run(main())
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_banner(port: int, deadline: float) -> float:
    """Seconds until the port answers with an SSH identification line."""
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
                if sock.recv(64).startswith(b"SSH-"):
                    return time.monotonic()
        except OSError:
            time.sleep(0.005)
    raise TimeoutError(f"no SSH banner on {port}")


def start_time(argv: list[str], port: int) -> tuple[float, subprocess.Popen[bytes]]:
    begin = time.monotonic()
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    return wait_banner(port, begin + 20) - begin, proc


def tree_pss(pid: int) -> float:
    """PSS of a process and its descendants, MiB (shared pages counted once overall)."""
    root = psutil.Process(pid)
    total = 0
    for proc in [root, *root.children(recursive=True)]:
        total += proc.memory_full_info().pss
    return total / 2**20


def netmiko_session(port: int) -> float:
    begin = time.monotonic()
    conn = ConnectHandler(device_type="hp_procurve", host="127.0.0.1", port=port,
                          username="manager", password="manager")
    conn.send_command("show version")
    conn.send_config_set(["vlan 99", "name bench", "exit"])
    conn.save_config()
    conn.disconnect()
    return time.monotonic() - begin


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=60)
    parser.add_argument("--workers", type=int, default=20)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results/cli.md"))
    parser.add_argument("--boot-only", action="store_true",
                        help="only the start-up figures (no netmiko sessions)")
    args = parser.parse_args()
    byte_compile()
    rows: list[tuple[str, str]] = []

    bare, emu = [], []
    for _ in range(args.runs):
        port = free_port()
        seconds, proc = start_time([sys.executable, "-c", BARE_SERVER, str(port)], port)
        bare.append(seconds)
        if len(bare) == 1:
            rows.append(("bare asyncssh server PSS (MiB)", f"{tree_pss(proc.pid):.1f}"))
        stop(proc)
        with tempfile.TemporaryDirectory() as data:
            port = free_port()
            argv = [sys.executable, "-m", "emulator.main", "run", "--timing", "fast",
                    "--data-dir", data, "--ssh-port", str(port),
                    "--telnet-port", str(free_port()), "--snmp-port", str(free_port())]
            seconds, proc = start_time(argv, port)
            emu.append(seconds)
            stop(proc)
    rows.append(("bare asyncssh: start -> SSH banner (s, median)",
                 f"{statistics.median(bare):.3f}"))
    rows.append(("procurve-emu run (fast, new data dir) -> SSH banner (s, median)",
                 f"{statistics.median(emu):.3f}"))
    rows.append(("ratio emu/bare", f"{statistics.median(emu) / statistics.median(bare):.2f}"))
    if args.boot_only:
        write(args, rows)
        return

    with tempfile.TemporaryDirectory() as data:
        port = free_port()
        argv = [sys.executable, "-m", "emulator.main", "run", "--timing", "fast", "--data-dir",
                data, "--ssh-port", str(port), "--telnet-port", str(free_port()),
                "--snmp-port", str(free_port())]
        _, proc = start_time(argv, port)
        try:
            # the modules finish booting after the banner: let a first session through
            netmiko_session(port)
            rows.append(("PSS of the process tree, idle (MiB)", f"{tree_pss(proc.pid):.1f}"))
            single = [netmiko_session(port) for _ in range(5)]
            rows.append(("one full netmiko session (s, median of 5)",
                         f"{statistics.median(single):.3f}"))
            begin = time.monotonic()
            with ThreadPoolExecutor(args.workers) as pool:
                times = list(pool.map(lambda _: netmiko_session(port), range(args.sessions)))
            elapsed = time.monotonic() - begin
            rows.append((f"{args.workers} concurrent netmiko sessions, {args.sessions} total "
                         "(sessions/s)", f"{args.sessions / elapsed:.1f}"))
            rows.append(("  per-session p50 / max (s)",
                         f"{statistics.median(times):.2f} / {max(times):.2f}"))
            rows.append(("PSS of the process tree after the load (MiB)",
                         f"{tree_pss(proc.pid):.1f}"))
        finally:
            stop(proc)
    write(args, rows)


def write(args: argparse.Namespace, rows: list[tuple[str, str]]) -> None:
    header = [
        "# CLI chassis benchmark",
        "",
        f"- date: {time.strftime('%Y-%m-%d %H:%M %Z')}",
        f"- machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores, "
        f"{psutil.virtual_memory().total / 2**30:.0f} GiB, Python {platform.python_version()}, "
        f"asyncssh {asyncssh.__version__}",
        f"- command: `python {shlex.join(sys.argv)}`",
        "",
        "| what | figure |",
        "|---|---|",
    ]
    text = "\n".join(header + [f"| {a} | {b} |" for a, b in rows]) + "\n"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
