"""Switchover benchmark: SIGKILL of the active management module -> SSH prompt on the new
active, and -> carrier back on a TAP port (the host's kernel view), over repeated kills of
one chassis in the `lab` timing profile.

    python benchmarks/bench_switchover.py [--runs 10] [--out benchmarks/results/switchover.md]

Needs root and /dev/net/tun for the TAP measurement (skipped otherwise). Frames forwarded
again is measured once the fabric forwards (the data-plane issue); carrier-up is its lower
bound. Not a test: figures go to a results file with the machine, date and command.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import paramiko

PROMPT = b"# "


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def status(data_dir: str) -> dict[str, object]:
    out = subprocess.run([sys.executable, "-m", "emulator.main", "status", "--data-dir", data_dir],
                         capture_output=True, text=True, check=False).stdout
    return json.loads(out) if out else {}


def active_pid(data_dir: str) -> tuple[str, int] | None:
    state = status(data_dir)
    for module in state.get("modules", []):  # type: ignore[attr-defined]
        if module["role"] == "active" and module["ready"]:
            return module["slot"], module["pid"]
    return None


def roles_settled(data_dir: str) -> bool:
    roles = {m["role"] for m in status(data_dir).get("modules", [])}  # type: ignore[attr-defined]
    return roles == {"active", "standby"}


def ssh_prompt(port: int, deadline: float) -> float:
    """Monotonic time at which a fresh SSH login reached the manager prompt."""
    while time.monotonic() < deadline:
        client = paramiko.SSHClient()
        client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
        try:
            client.connect("127.0.0.1", port, "manager", "manager", look_for_keys=False,
                           allow_agent=False, timeout=2, banner_timeout=2, auth_timeout=2)
            channel = client.invoke_shell()
            channel.settimeout(2)
            seen = b""
            while b"any key" not in seen:
                seen += channel.recv(65536)
            channel.send(b"\r")
            while PROMPT not in seen.split(b"any key")[-1]:
                seen += channel.recv(65536)
            return time.monotonic()
        except (OSError, paramiko.SSHException, EOFError):
            time.sleep(0.01)
        finally:
            client.close()
    raise TimeoutError("no SSH prompt")


def carrier(tap: str) -> bool:
    try:
        return Path(f"/sys/class/net/{tap}/carrier").read_text().strip() == "1"
    except OSError:
        return False


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results/switchover.md"))
    args = parser.parse_args()
    use_tap = os.geteuid() == 0 and Path("/dev/net/tun").exists()
    tap = f"pebench{os.getpid() % 10000}"
    prompt_times: list[float] = []
    carrier_times: list[float] = []
    with tempfile.TemporaryDirectory() as data:
        port = free_port()
        argv = [sys.executable, "-m", "emulator.main", "run", "--timing", "lab",
                "--data-dir", data, "--ssh-port", str(port), "--telnet-port", str(free_port()),
                "--snmp-port", str(free_port())]
        if use_tap:
            argv += ["--port", f"A1=tap:{tap}"]
        chassis = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            ssh_prompt(port, time.monotonic() + 30)
            if use_tap:
                subprocess.run(["ip", "link", "set", tap, "up"], check=True)
            for _ in range(args.runs):
                deadline = time.monotonic() + 30
                while not roles_settled(data) or (use_tap and not carrier(tap)):
                    assert time.monotonic() < deadline, "chassis did not settle"
                    time.sleep(0.05)
                found = active_pid(data)
                assert found is not None
                killed = time.monotonic()
                os.kill(found[1], signal.SIGKILL)
                if use_tap:
                    while carrier(tap) and time.monotonic() < killed + 5:
                        time.sleep(0.001)
                prompt_times.append(ssh_prompt(port, killed + 30) - killed)
                if use_tap:
                    while not carrier(tap):
                        assert time.monotonic() < killed + 30, "port never came back"
                        time.sleep(0.001)
                    carrier_times.append(time.monotonic() - killed)
        finally:
            chassis.send_signal(signal.SIGTERM)
            chassis.wait(timeout=20)

    def row(name: str, values: list[float]) -> str:
        if not values:
            return f"| {name} | not measured (needs root and /dev/net/tun) | | |"
        return (f"| {name} | {statistics.median(values):.3f} | {max(values):.3f} | "
                f"{len(values)} |")

    text = "\n".join([
        "# Switchover benchmark (timing profile `lab`)",
        "",
        f"- date: {time.strftime('%Y-%m-%d %H:%M %Z')}",
        f"- machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        f"- command: `python {shlex.join(sys.argv)}`",
        "",
        "| kill -9 of the active module -> | median (s) | max (s) | runs |",
        "|---|---|---|---|",
        row("SSH prompt on the new active (fresh login)", prompt_times),
        row("carrier back on a TAP port (host's /sys view)", carrier_times),
        "",
        "Budgets (DESIGN.md): SSH prompt <= 1.5 s; frames forwarded again <= 2 s (carrier-up",
        "is its lower bound until the fabric forwards).",
    ]) + "\n"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
