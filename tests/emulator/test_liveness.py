"""The liveness decision as pure functions, and the /proc readings it is fed with, taken from
real processes (a stopped one, a busy one)."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time

from emulator.liveness import (
    STOPPED_STATES,
    Heartbeat,
    ProcessSample,
    drain,
    judge,
    sample,
    stalled,
)
from emulator.testing import eventually, eventually_async

LIMIT = 1.2


def test_a_module_heard_within_the_limit_is_alive() -> None:
    assert judge(LIMIT, LIMIT, "S", waited=0.0, late=0.0, ran=0.0) is None
    assert judge(0.5, LIMIT, "T", waited=0.0, late=0.0, ran=0.0) is None


def test_a_stopped_module_is_hung_at_the_limit_whatever_the_load() -> None:
    reason = judge(1.3, LIMIT, "T", waited=5.0, late=5.0, ran=0.0)
    assert reason is not None and "stopped" in reason
    assert judge(1.3, LIMIT, "t", waited=0.0, late=0.0, ran=0.0) is not None


def test_silence_spent_waiting_for_a_cpu_is_not_held_against_a_module() -> None:
    assert judge(30.0, LIMIT, "R", waited=29.0, late=0.0, ran=0.1) is None
    assert judge(30.0, LIMIT, "S", waited=20.0, late=9.5, ran=0.1) is None


def test_silence_while_the_module_could_run_is_a_hang() -> None:
    running = judge(2.0, LIMIT, "R", waited=0.1, late=0.0, ran=1.9)
    assert running is not None and "1.9 s of CPU" in running
    assert judge(2.0, LIMIT, "S", waited=0.0, late=0.0, ran=0.0) is not None  # deadlocked
    assert judge(10.0, LIMIT, "R", waited=8.0, late=0.0, ran=2.0) is not None


def test_a_loop_is_stuck_only_for_the_time_it_could_have_run() -> None:
    assert stalled(10.0, 9.0) == 1.0
    assert stalled(3.0, 0.0) == 3.0
    assert stalled(1.0, 2.0) == 0.0


def test_proc_reading_of_a_stopped_and_a_busy_process() -> None:
    busy = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        first = sample(busy.pid)
        # Running, sleeping, or in uninterruptible sleep while exec loads it: not stopped.
        assert first is not None and first.state not in STOPPED_STATES

        def running() -> bool:
            now = sample(busy.pid)
            return now is None or now.cpu > first.cpu

        def stopped() -> ProcessSample | None:
            now = sample(busy.pid)
            assert now is not None, "the stopped busy loop is gone"
            return now if now.state == "T" else None

        eventually(running, 10, "the busy loop's CPU time to advance")
        os.kill(busy.pid, signal.SIGSTOP)
        assert eventually(stopped, 10, "state T", poll=0.01).waited >= 0.0
    finally:
        busy.kill()
        busy.wait()
    assert sample(busy.pid) is None


def test_drain_reports_beats_once() -> None:
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
    ours.setblocking(False)
    try:
        assert not drain(ours)
        theirs.send(b"\x01")
        theirs.send(b"\x01")
        assert drain(ours)
        assert not drain(ours)
        theirs.close()
        assert not drain(ours)  # a datagram socket has no EOF: silence, not an error
    finally:
        ours.close()


def test_the_heartbeat_stops_while_the_loop_is_stuck_and_resumes_after() -> None:
    """A loop blocked in its own thread (here a sleep, as a deadlock would) silences the beat
    once it has been stuck `loop_stall` seconds; beats come back when it turns again."""
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
    ours.setblocking(False)

    async def scenario() -> None:
        Heartbeat(theirs, interval=0.05, loop_stall=0.3, slot="MM1").start()
        await asyncio.sleep(0.2)
        assert drain(ours), "no beat while the loop turns"
        time.sleep(1.0)  # the loop is stuck: the watchdog gives up after 0.3 s of it
        drain(ours)
        time.sleep(0.5)
        assert not drain(ours), "beats went on from a stuck loop"
        await eventually_async(lambda: drain(ours), 10, "beats to resume")

    try:
        asyncio.run(scenario())
    finally:
        ours.close()
        theirs.close()
