"""The lab's zygote: one process that has imported everything a chassis runs, from which `lab up`
forks every switch node (emulator/chassis/zygote.py, started with --everything).

Why: exec'd one by one, each of a lab's chassis imports its own copy of the emulator (its
chassis, and in each chassis its zygote, fabric and modules, share their copy: that is the
chassis' zygote). Forked from one parent that imported it all, the switches share one copy:
a lab of forty then fits its memory budget (issue 18, benchmarks/results/lab.md), and a node
boots without importing anything. The zygote moves each node into its namespace and its own
session, as `ip netns exec` run with a new session did, and forks it twice, so the node's
parent is init, as it was when `lab up` exited. So `lab up` watches a node through a pidfd
(it is not the node's parent: the exit status is not ours to read, the node's console log says
why it stopped). The zygote ends once `lab up` has booted every switch and hangs up: the
nodes' shared pages stay shared among them.
"""

from __future__ import annotations

import os
import select
import subprocess
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Final

from emulator.ipc import wire
from emulator.ipc.messages import Failure, Spawn, Spawned

STOP_DEADLINE: Final = 10.0
"""Seconds the zygote gets to exit once hung up on (it has nothing to finish)."""


class SpawnError(OSError):
    """The zygote could not start a node, or is gone."""


class NodeProcess:
    """A node forked by the lab's zygote: its pid and a pidfd to see it end by."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        try:
            self.pidfd: int | None = os.pidfd_open(pid)
        except ProcessLookupError:  # ended (and was reaped by init) before we looked
            self.pidfd = None

    def ended(self) -> bool:
        return self.pidfd is None or bool(select.select([self.pidfd], [], [], 0)[0])

    def close(self) -> None:
        if self.pidfd is not None:
            os.close(self.pidfd)
            self.pidfd = None


def wait_any(nodes: Iterable[NodeProcess], timeout: float) -> None:
    """Until one of `nodes` ends or `timeout` passes."""
    fds = [n.pidfd for n in nodes if n.pidfd is not None]
    if fds:
        select.select(fds, [], [], timeout)


class LabZygote:
    """`lab up`'s end of the lab's zygote: start it, ask it for nodes, hang up."""

    def __init__(self, cwd: Path, env: Mapping[str, str]) -> None:
        ours, theirs = wire.pair()
        ours.setblocking(True)
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "emulator.chassis.zygote",
                 f"--request-fd={theirs.fileno()}", "--everything"],
                pass_fds=[theirs.fileno()], cwd=cwd, env=dict(env),
                stdin=subprocess.DEVNULL, start_new_session=True)
        except BaseException:
            ours.close()
            raise
        finally:
            theirs.close()
        self.sock = ours
        self.asked = 0

    def spawn(self, argv: list[str], env: Mapping[str, str], log: int, netns: str) -> NodeProcess:
        """`argv` (`python -m MODULE ARGS`) as a node in `netns`, its stdout and stderr `log`."""
        self.asked += 1
        request = Spawn(argv=argv, env=dict(env), sockets=["1", "2"], netns=netns,
                        id=self.asked)
        try:
            wire.send_blocking(self.sock, request, [log, log])
            reply, fds = wire.recv_blocking_fds(self.sock)
        except (EOFError, OSError) as exc:
            raise SpawnError(f"the lab's zygote is gone ({exc})") from None
        for fd in fds:
            os.close(fd)
        if isinstance(reply, Failure):
            raise SpawnError(reply.reason)
        if not isinstance(reply, Spawned):
            raise SpawnError(f"the lab's zygote answered {reply.kind}")
        return NodeProcess(reply.pid)

    def close(self) -> None:
        """Hang up: the zygote ends (the nodes it forked live on)."""
        self.sock.close()
        try:
            self.process.wait(STOP_DEADLINE)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
