"""Run real `procurve-emu run --timing fast` process trees from tests (needs pytest).

`chassis` is one freshly built switch per test; `chassis_factory` starts several, restarts one
on the same data dir, and stops them all at the end. Ports are chosen by the kernel (port 0)
and read back from `procurve-emu status`, so parallel runs never race for a port. Readiness
is polled on the status socket against a deadline; nothing sleeps for a fixed time.

`eventually()` is that polling for any condition a test awaits (an async sibling for tests
that wait inside an event loop), and `require()` is the policy for a missing prerequisite
(a tool, root): skip with the reason on a developer's machine, fail under CI=true, where the
whole suite must run.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Final, NoReturn, TypeVar

import pytest

from emulator.datadir import CONTROL_SOCKET
from emulator.ipc import wire
from emulator.ipc.messages import Fault, StatusReply, StatusRequest
from emulator.labnode import active_ready
from emulator.timing import PROFILES

REPO = Path(__file__).resolve().parents[1]
"""Where the `emulator` package lives: children run `-m emulator.main` from here."""
READY_DEADLINE = 20.0
"""Seconds a fast-timing chassis may take to serve SSH on a loaded CI machine."""
STOP_DEADLINE = 10.0
POLL = PROFILES["fast"].heartbeat_interval
"""Status poll period: the fast profile's heartbeat, the rhythm the chassis itself keeps."""
EVENTUALLY_TIMEOUT: Final = 10.0
"""How long eventually() waits unless told: generous for a loaded CI machine."""
EVENTUALLY_POLL: Final = 0.05

T = TypeVar("T")
Description = str | Callable[[], str]
"""What a wait is for; a callable is asked only when the wait fails (a show command's output)."""


def eventually(check: Callable[[], T], timeout: float = EVENTUALLY_TIMEOUT,
               what: Description = "the condition", *, poll: float = EVENTUALLY_POLL,
               ignoring: tuple[type[Exception], ...] = ()) -> T:
    """check()'s first true answer, asked every `poll` seconds; after `timeout` seconds the
    test fails naming `what` and check's last answer. Exceptions in `ignoring` count as a
    "not yet" (a socket not bound yet); any other one, pytest.fail included, ends the wait."""
    end = time.monotonic() + timeout
    while True:
        last: object
        try:
            answer = check()
        except ignoring as exc:
            last = exc
        else:
            if answer:
                return answer
            last = answer
        if time.monotonic() >= end:
            _timed_out(timeout, what, last)
        time.sleep(poll)


async def eventually_async(check: Callable[[], T], timeout: float = EVENTUALLY_TIMEOUT,
                           what: Description = "the condition", *,
                           poll: float = EVENTUALLY_POLL) -> T:
    """eventually() for a test waiting inside an event loop: the loop turns between asks."""
    end = time.monotonic() + timeout
    while not (answer := check()):
        if time.monotonic() >= end:
            _timed_out(timeout, what, answer)
        await asyncio.sleep(poll)
    return answer


def _timed_out(timeout: float, what: Description, last: object) -> NoReturn:
    described = what() if callable(what) else what
    pytest.fail(f"timed out after {timeout:g} s waiting for {described}; last answer {last!r}")


def require(*missing: str | None) -> None:
    """Each argument is a missing prerequisite's reason, or None when it is there (see
    missing_tool, missing_root). Nothing when all are there; else the test skips saying why,
    or fails under CI=true, where a skip would hide a suite that never ran."""
    reasons = [reason for reason in missing if reason is not None]
    if not reasons:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"prerequisite missing under CI: {'; '.join(reasons)}")
    pytest.skip("; ".join(reasons))


def missing_tool(command: str, package: str | None = None) -> str | None:
    """None when `command` is on PATH; else the reason, naming the Debian package."""
    if shutil.which(command) is not None:
        return None
    return f"{command} not installed (Debian package {package or command})"


def missing_root(what: str) -> str | None:
    """None when running as root; else the reason: `what` need(s) root."""
    return None if os.geteuid() == 0 else f"{what} need root"


def missing_file(path: str) -> str | None:
    """None when `path` exists (a device such as /dev/net/tun); else the reason."""
    return None if Path(path).exists() else f"no {path}"


@dataclass
class RunningChassis:
    """One `procurve-emu run` process and where to reach it."""

    process: subprocess.Popen[bytes]
    data_dir: Path
    args: list[str]
    env: dict[str, str]
    stderr_path: Path
    host: str = "127.0.0.1"
    ssh_port: int = 0
    telnet_port: int = 0
    snmp_port: int = 0
    credentials: tuple[str, str] = ("manager", "manager")
    stopped: bool = field(default=False)

    @property
    def pid(self) -> int:
        return self.process.pid

    def status(self, timeout: float = STOP_DEADLINE) -> dict[str, Any]:
        reply = wire.request(self.data_dir / CONTROL_SOCKET, StatusRequest(), timeout)
        assert isinstance(reply, StatusReply), reply
        return reply.status

    def stderr(self) -> str:
        return self.stderr_path.read_text(errors="replace")

    def module(self, slot: str = "MM1") -> dict[str, Any]:
        modules: list[dict[str, Any]] = self.status()["modules"]
        return next(m for m in modules if m["slot"] == slot)

    def wait_until(self, what: str, check: Any, deadline: float = READY_DEADLINE) -> Any:
        """Poll `check(status)` until it returns something truthy; fail with the chassis' stderr."""
        last: list[dict[str, Any]] = []

        def answer() -> Any:
            if self.process.poll() is not None:
                pytest.fail(f"chassis exited {self.process.returncode} while waiting for "
                            f"{what}:\n{self.stderr()}")
            last[:] = [self.status(timeout=deadline)]
            return check(last[0])

        return eventually(answer, deadline,
                          lambda: f"{what}; last status {last[0] if last else None}\n"
                          f"{self.stderr()}",
                          poll=POLL, ignoring=(OSError, EOFError, wire.IpcError))

    def netmiko(self, username: str = "manager", password: str = "manager") -> Any:
        """A netmiko `hp_procurve` session to this chassis, as an automation author opens one."""
        from netmiko import ConnectHandler

        return ConnectHandler(device_type="hp_procurve", host=self.host, port=self.ssh_port,
                              username=username, password=password, secret=password)

    def show(self, command: str) -> str:
        """One command's output over a fresh netmiko session."""
        conn = self.netmiko()
        try:
            return str(conn.send_command(command))
        finally:
            conn.disconnect()

    def netmiko_params(self) -> dict[str, Any]:
        """`ConnectHandler(**params)`: what an automation script needs to reach this switch."""
        username, password = self.credentials
        return {"device_type": "hp_procurve", "host": self.host, "port": self.ssh_port,
                "username": username, "password": password, "secret": password}

    def napalm_params(self) -> dict[str, Any]:
        """`get_network_driver("procurve")(**params)` (napalm-procurve)."""
        username, password = self.credentials
        return {"hostname": self.host, "username": username, "password": password,
                "optional_args": {"port": self.ssh_port}}

    def fault(self, action: str, target: str) -> str:
        """`procurve-emu fault ACTION TARGET` on this chassis; what the chassis did."""
        reply = wire.request(self.data_dir / CONTROL_SOCKET, Fault(action, target),
                            STOP_DEADLINE)
        assert isinstance(reply, StatusReply), reply
        return str(reply.status["fault"])

    def switchover(self, deadline: float = READY_DEADLINE) -> str:
        """Crash the active management module (SIGKILL, as `fault kill active`) and wait
        until the standby serves as the new active; its slot. Unsaved config is gone, as
        on the real switch: scripts under test see exactly what a failover does to them."""
        old = self.fault("kill", "active").split()[-1]
        new = "MM2" if old == "MM1" else "MM1"
        self.wait_roles({new: "active"}, deadline)
        return new

    def roles(self) -> dict[str, str]:
        return {m["slot"]: m["role"] for m in self.status()["modules"]}

    def wait_roles(self, expected: dict[str, str], deadline: float = READY_DEADLINE) -> None:
        """Until the management modules hold `expected` roles, the active one serves and a
        standby has its role in flash."""
        def settled(status: dict[str, Any]) -> bool:
            modules = {m["slot"]: m for m in status["modules"]}
            return all(modules[s]["role"] == r
                       and (r not in ("active", "standby") or modules[s]["ready"])
                       for s, r in expected.items())

        self.wait_until(f"roles {expected}", settled, deadline)

    def wait_ready(self) -> dict[str, Any]:
        status: dict[str, Any] = self.wait_until(
            "the active module", lambda status: status if active_ready(status) else None)
        self.ssh_port = status["chassis"]["ssh_port"]
        self.telnet_port = status["chassis"]["telnet_port"]
        self.snmp_port = status["chassis"]["snmp_port"]
        return status

    def stop(self) -> int:
        """SIGTERM and wait: the chassis must exit 0 on its own; killed only on timeout."""
        if self.stopped:
            return self.process.returncode
        self.stopped = True
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=STOP_DEADLINE)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            pytest.fail(f"chassis ignored SIGTERM for {STOP_DEADLINE} s:\n{self.stderr()}")


class ChassisFactory:
    """Starts chassis processes for a test and guarantees none outlives it."""

    def __init__(self, tmp_path: Path) -> None:
        self.tmp_path = tmp_path
        self.started: list[RunningChassis] = []

    def start(
        self,
        *extra: str,
        data_dir: Path | None = None,
        env: dict[str, str] | None = None,
        wait: bool = True,
        stdin: int | IO[bytes] | None = subprocess.DEVNULL,
        stdout: int | IO[bytes] | None = subprocess.DEVNULL,
    ) -> RunningChassis:
        """`extra` are more `run` flags; ports default to 0 (any free one)."""
        if data_dir is None:
            data_dir = self.tmp_path / f"chassis{len(self.started)}"
        args = ["--data-dir", str(data_dir), "--timing", "fast",
                "--ssh-port", "0", "--telnet-port", "0", "--snmp-port", "0", *extra]
        child_env = {k: v for k, v in os.environ.items() if not k.startswith("PROCURVE_")}
        child_env.update(env or {})
        stderr_path = self.tmp_path / f"stderr{len(self.started)}.txt"
        with stderr_path.open("wb") as stderr:
            process = subprocess.Popen(
                [sys.executable, "-m", "emulator.main", "run", *args],
                cwd=REPO, env=child_env, stdin=stdin, stdout=stdout, stderr=stderr,
            )
        chassis = RunningChassis(process, data_dir, list(extra), env or {}, stderr_path)
        self.started.append(chassis)
        if wait:
            chassis.wait_ready()
        return chassis

    def cli(self, *args: str, chassis: RunningChassis) -> str:
        """`procurve-emu ARGS --data-dir ...` against a running chassis; its stdout."""
        done = subprocess.run(
            [sys.executable, "-m", "emulator.main", *args, "--data-dir", str(chassis.data_dir)],
            cwd=REPO, capture_output=True, text=True, timeout=STOP_DEADLINE, check=False,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    def restart(self, chassis: RunningChassis) -> RunningChassis:
        """Stop `chassis` and start it again on the same data dir with the same flags."""
        assert chassis.stop() == 0, chassis.stderr()
        return self.start(*chassis.args, data_dir=chassis.data_dir, env=chassis.env)

    def stop_all(self) -> list[str]:
        """Stop every chassis; the failures (non-zero exits) to report."""
        failures = []
        for chassis in self.started:
            if chassis.stopped:
                continue
            code = chassis.stop()
            if code != 0:
                failures.append(f"chassis {chassis.pid} exited {code}:\n{chassis.stderr()}")
        return failures
