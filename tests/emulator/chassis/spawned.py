"""A slot process for the zygote's tests (`main`), and the chassis' end that drives the zygote
(`drive`), run in a process of its own: the chassis' end makes its process a child subreaper,
which the test runner must not become."""

from __future__ import annotations

import asyncio
import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from emulator.chassis.zygote import SlotProcess, Zygote
from emulator.timing import PROFILES

REPORT_FD = 3
MODULE = "tests.emulator.chassis.spawned"
"""This module's name (`__name__` is __main__ when it drives)."""


def open_fds() -> list[int]:
    """The fds open here (not the one listdir read the list through, closed since)."""
    listed = [int(fd) for fd in os.listdir("/proc/self/fd")]
    return sorted(fd for fd in listed if os.path.exists(f"/proc/self/fd/{fd}"))


def main(argv: list[str]) -> int:
    """Report what the process was given on fd 3, then obey: `exit N`, `raise TEXT`, `say
    TEXT` (on stderr), `wait` (until fd 3 closes) or `orphan` (first start a process of its own,
    which outlives it and is reported, then wait)."""
    link = socket.socket(fileno=REPORT_FD)
    link.setblocking(True)
    import asyncssh  # after emulator, which silences its DSA warnings

    left = subprocess.Popen(["sleep", "600"], start_new_session=True) if argv[0] == "orphan" \
        else None
    key = asyncssh.generate_private_key("ssh-ed25519").export_public_key().decode()
    report = {
        "pid": os.getpid(), "ppid": os.getppid(), "argv": sys.argv,
        "fds": open_fds(),
        "env": os.environ.get("ZYGOTE_TEST"),
        "sigterm": signal.getsignal(signal.SIGTERM) == signal.SIG_DFL,
        "sigint": signal.getsignal(signal.SIGINT) is signal.default_int_handler,
        "random": random.getrandbits(64), "urandom": os.urandom(8).hex(), "key": key,
        "orphan": None if left is None else left.pid,
    }
    link.sendall(json.dumps(report).encode() + b"\n")
    if argv[0] == "exit":
        return int(argv[1])
    if argv[0] == "raise":
        raise SystemExit(argv[1])
    if argv[0] == "say":
        print(argv[1], file=sys.stderr)
        return 0
    link.recv(1)
    return 0


def parent(pid: int) -> int:
    """Its parent's pid, from /proc (its fourth field, after the parenthesised name)."""
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


async def spawn(zygote: Zygote, *args: str, relay: bool = False
                ) -> tuple[SlotProcess, asyncio.StreamWriter, dict[str, object]]:
    """A process running main(args), the chassis' end of its fd 3 and what it reported."""
    ours, theirs = socket.socketpair()
    with theirs:
        process = await zygote.spawn([sys.executable, "-m", MODULE, *args],
                                     {REPORT_FD: theirs}, relay=relay)
    reader, writer = await asyncio.open_unix_connection(sock=ours)
    report = json.loads(await reader.readline())
    return process, writer, report


async def drive(zygote: Zygote) -> dict[str, object]:
    """The first zygote forked (fork_first), the second exec'd."""
    supervising = asyncio.create_task(zygote.supervise())
    results: dict[str, object] = {"chassis": os.getpid()}
    first, first_link, results["first"] = await spawn(zygote, "wait")
    assert zygote.pid is not None
    results["zygote_fds"] = sorted(int(fd) for fd in os.listdir(f"/proc/{zygote.pid}/fd"))
    second, _, results["second"] = await spawn(zygote, "exit", "3")
    results["second_code"] = await second.wait()
    third, _, results["third"] = await spawn(zygote, "raise", "bye")
    results["third_code"] = await third.wait()
    saying, _, _ = await spawn(zygote, "say", "last words", relay=True)
    assert saying.stderr is not None
    results["said"] = (await saying.stderr.read()).decode()
    await saying.wait()
    # A slot process killed leaves a process of its own behind: reparented to us (the
    # subreaper), reaped once it ends; the slot process' own status is still its pidfd's.
    leaving, _, left = await spawn(zygote, "orphan")
    orphan = left["orphan"]
    assert isinstance(orphan, int)
    leaving.kill()
    results["leaving_code"] = await leaving.wait()
    results["orphan_ppid"] = parent(orphan)
    os.kill(orphan, signal.SIGKILL)
    deadline = time.monotonic() + 30
    while os.path.exists(f"/proc/{orphan}") and time.monotonic() < deadline:
        await asyncio.sleep(0.02)
    results["orphan_left"] = os.path.exists(f"/proc/{orphan}")
    # The zygote dies: the process it forked runs on, still ours to signal and to reap, and
    # the next spawn waits for the zygote started again.
    assert zygote.process is not None
    zygote.process.kill()
    fourth, _, results["fourth"] = await spawn(zygote, "exit", "0")
    results["fourth_code"] = await fourth.wait()
    results["zygote_starts"] = zygote.starts
    first.kill()
    results["first_code"] = await first.wait()
    first_link.close()
    try:
        first.kill()
    except ProcessLookupError:
        results["signal_after_exit"] = "ProcessLookupError"
    zygote.stopping.set()
    await zygote.stop()
    await supervising
    return results


if __name__ == "__main__":
    if sys.argv[1:] == ["drive"]:
        driven = Zygote(PROFILES["fast"], asyncio.Event(), {
            **os.environ, "ZYGOTE_TEST": "given", "PYTHONPATH": str(Path.cwd())})
        driven.fork_first()
        print(json.dumps(asyncio.run(drive(driven))))
    else:
        raise SystemExit(main(sys.argv[1:]))
