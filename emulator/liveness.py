"""Liveness: a management module's heartbeat, and the chassis' judgement of a silent one.

The real switch's modules have CPUs of their own; an emulated one shares the host's, so a
module that is slow because the host is busy must not be taken for a hung one, and no request
a user sends may silence a healthy module.

A module beats from a small thread of its own on a datagram socket of its own, not from its
asyncio loop: a long CLI command, SNMP request, config replay or LLDP burst delays the loop,
never the beat. The thread also watches the loop: if the loop has not turned for
`Timing.loop_stall` seconds of time in which the main thread was not waiting for a CPU (wall
time less its run-queue wait, from /proc's schedstat), the loop is hung and the thread stops
beating, so a module whose loop spins or deadlocks is fenced like a stopped one.

The chassis fences a module that is silent past the silence limit only when the silence was
not spent waiting: a stopped process (state T) is hung at once; otherwise the time the
module's threads waited for a CPU and the chassis' own lateness are not counted
(`judge`). A module that waits for CPU is slow, not hung, however long it waits.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import sys
import threading
import time
from dataclasses import dataclass
from typing import Final

from emulator.timing import Timing

STOPPED_STATES: Final = frozenset("Tt")
"""/proc/PID/stat states of a process that cannot run until someone continues it (SIGSTOP,
a tracer): it is hung, whatever the host's load."""
BEAT: Final = b"\x01"
NANOSECONDS: Final = 1e-9
CLOCK_TICKS: Final = os.sysconf("SC_CLK_TCK")
PROC_READ: Final = 4096
"""More than a /proc stat or schedstat line holds."""


@dataclass(frozen=True)
class ProcessSample:
    """What /proc says of a process at one moment: its state and its clocks, in seconds."""

    state: str
    cpu: float
    """User and system time of all its threads (utime + stime)."""
    waited: float
    """Time its threads spent runnable, waiting for a CPU (schedstat run-queue wait),
    summed over the threads alive now."""


def _proc_text(path: str) -> str:
    """A /proc file, read with two system calls: an idle chassis samples its modules' files
    every half silence limit, and a buffered text file costs five more calls (fstat, ioctl,
    lseeks) and a wrapper each time, most of what that sampling costs."""
    fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    try:
        return os.read(fd, PROC_READ).decode()
    finally:
        os.close(fd)


def _waited(task: str) -> float:
    """A thread's run-queue wait in seconds (0 where the kernel keeps no schedstat)."""
    try:
        return int(_proc_text(f"{task}/schedstat").split()[1]) * NANOSECONDS
    except (OSError, IndexError, ValueError):
        return 0.0


def sample(pid: int) -> ProcessSample | None:
    """The process' state and clocks; None once it is gone."""
    root = f"/proc/{pid}"
    try:
        stat = _proc_text(f"{root}/stat")
        tasks = os.listdir(f"{root}/task")
    except OSError:
        return None
    # The command name (field 2) is in parentheses and may hold spaces: split after it.
    fields = stat[stat.rfind(")") + 2:].split()
    cpu = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
    return ProcessSample(fields[0], cpu, sum(_waited(f"{root}/task/{task}") for task in tasks))


def thread_waited(native_id: int) -> float:
    """Run-queue wait of one thread of this process, in seconds."""
    return _waited(f"/proc/self/task/{native_id}")


def silence_limit(timing: Timing) -> float:
    """How long a child may stay silent (no beat, no reply, no exit after SIGTERM) before the
    chassis treats it as hung: the same window after which a standby declares the active
    dead."""
    return timing.heartbeat_interval * timing.heartbeat_misses


def judge(silence: float, limit: float, state: str, waited: float, late: float,
          ran: float) -> str | None:
    """Why a module silent for `silence` seconds is hung, or None when it is not (yet).

    `waited` is how long its threads waited for a CPU during the silence, `late` how late
    the chassis' own timers ran (a starved chassis reads beats late), `ran` the CPU time the
    module used meanwhile (for the reason only). A stopped process is hung once the silence
    passes the limit, as before; any other is hung only when the silence, less the time
    spent waiting, passes it: a module that got the CPU and did not beat."""
    if silence <= limit:
        return None
    if state in STOPPED_STATES:
        return f"stopped (state {state}) for {silence:.1f} s"
    unexplained = silence - waited - late
    if unexplained <= limit:
        return None
    return (f"silent {silence:.1f} s, {waited:.1f} s of it waiting for a CPU, "
            f"{ran:.1f} s of CPU used")


def stalled(elapsed: float, waited: float) -> float:
    """How long a loop that has not turned for `elapsed` seconds, of which its thread waited
    `waited` for a CPU, has been stuck for reasons of its own."""
    return max(0.0, elapsed - waited)


class Heartbeat:
    """The module's beat, from a daemon thread, while the asyncio loop keeps turning."""

    def __init__(self, sock: socket.socket, interval: float, loop_stall: float,
                 slot: str) -> None:
        self.sock = sock
        self.interval = interval
        self.loop_stall = loop_stall
        self.slot = slot
        self.turns = 0
        """Incremented by the loop (a callback every turn period): the watchdog's evidence."""
        self.turn_waited = 0.0
        self.loop_thread = 0
        self.thread = threading.Thread(target=self._run, name=f"{slot}-heartbeat", daemon=True)

    def start(self) -> None:
        """Beat from now on; the running loop (the caller's) counts turns for the watchdog."""
        self.loop_thread = threading.get_native_id()
        self.sock.setblocking(False)
        self._turn()
        self.thread.start()

    @property
    def turn_period(self) -> float:
        """The loop counts a turn every fifth of the stall limit (or every beat, if that is
        longer): often enough to see a stall in time, seldom enough not to wake an idle
        module needlessly."""
        return max(self.interval, self.loop_stall / 5)

    def _turn(self) -> None:
        """A turn, with the loop thread's CPU wait at that moment: a stall is counted from
        here less the wait since (read from /proc at each turn, not at each beat, as that is
        most of what an idle module does)."""
        self.turn_waited = thread_waited(self.loop_thread)
        self.turns += 1
        asyncio.get_running_loop().call_later(self.turn_period, self._turn)

    def _run(self) -> None:
        seen, since, waited_then = -1, 0.0, 0.0
        silenced = False
        while True:
            now = time.monotonic()
            if self.turns != seen:
                seen, since, waited_then = self.turns, now, self.turn_waited
            stuck = 0.0
            if now - since > self.turn_period + self.interval:  # the loop is overdue
                stuck = stalled(now - since, thread_waited(self.loop_thread) - waited_then)
            if stuck > self.loop_stall:
                if not silenced:
                    silenced = True
                    sys.stderr.write(f"procurve-emu: {self.slot}: event loop stuck for "
                                     f"{stuck:.1f} s; heartbeats stop\n")
            else:
                silenced = False
                try:
                    self.sock.send(BEAT)
                except BlockingIOError:
                    pass  # the chassis is behind on reading: it has beats queued
                except OSError:
                    return  # the chassis is gone
            time.sleep(self.interval)


def drain(sock: socket.socket) -> bool:
    """Whether any beat arrived on the chassis' end since the last drain."""
    heard = False
    with contextlib.suppress(BlockingIOError, InterruptedError):
        while sock.recv(16):
            heard = True
    return heard
