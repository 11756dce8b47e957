"""Run real `procurve-emu run --timing fast` process trees from tests (needs pytest).

`chassis` is one freshly built switch per test; `chassis_factory` starts several, restarts one
on the same data dir, and stops them all at the end. Ports are chosen by the kernel (port 0)
and read back from `procurve-emu status`, so parallel runs never race for a port. Readiness
is polled on the status socket against a deadline; nothing sleeps for a fixed time.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

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
        end = time.monotonic() + deadline
        last: Any = None
        while time.monotonic() < end:
            if self.process.poll() is not None:
                pytest.fail(f"chassis exited {self.process.returncode} while waiting for {what}:\n"
                            f"{self.stderr()}")
            try:
                last = self.status(timeout=deadline)
                result = check(last)
                if result:
                    return result
            except (OSError, EOFError, wire.IpcError):
                pass  # the control socket is not bound yet
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=POLL)
        pytest.fail(f"timed out waiting for {what}; last status {last}\n{self.stderr()}")

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
