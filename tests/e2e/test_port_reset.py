"""A switchover resets the interface modules: a host on a TAP port sees its link go down and
come back up, in the kernel's own view (rtnetlink events in the host's namespace)."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from emulator.testing import missing_file, missing_root, missing_tool

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.requires(missing_root("TAP ports and namespaces")),
    pytest.mark.requires(missing_file("/dev/net/tun")),
    pytest.mark.requires(missing_tool("ip", "iproute2")),
]

DEADLINE = 20.0


def ip(*args: str) -> str:
    return subprocess.run(["ip", *args], check=True, capture_output=True, text=True).stdout


@pytest.fixture
def host_ns() -> Iterator[str]:
    name = f"pe-host-{os.getpid()}"
    ip("netns", "add", name)
    try:
        yield name
    finally:
        subprocess.run(["ip", "netns", "del", name], check=False)


class LinkMonitor:
    """`ip monitor link` in the host's namespace, read by a thread into a queue."""

    def __init__(self, ns: str) -> None:
        self.proc = subprocess.Popen(["ip", "-o", "-n", ns, "monitor", "link"],
                                     stdout=subprocess.PIPE, text=True)
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line)

    def expect(self, *needles: str, within: float = DEADLINE) -> str:
        deadline = time.monotonic() + within
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no link event with {needles} in {self.seen[-5:]}")
            try:
                line = self.lines.get(timeout=left)
            except queue.Empty:
                continue
            self.seen.append(line)
            if all(n in line for n in needles):
                return line

    def listening(self, ns: str, dev: str) -> None:
        """Until an MTU change of `dev` shows up: from then on no event is missed."""
        for attempt in range(50):
            mtu = 1400 + attempt
            ip("-n", ns, "link", "set", dev, "mtu", str(mtu))
            try:
                self.expect(dev, f"mtu {mtu} ", within=0.2)
                return
            except TimeoutError:
                continue
        raise AssertionError("ip monitor never reported a link event")

    def close(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=5)


def test_host_sees_link_down_and_up_during_a_switchover(chassis_factory: Any,
                                                         host_ns: str) -> None:
    tap = f"pe{os.getpid() % 100000}a1"
    chassis = chassis_factory.start("--port", f"A1=tap:{tap}")
    chassis.wait_roles({"MM1": "active", "MM2": "standby"})
    ip("link", "set", tap, "netns", host_ns)
    monitor = LinkMonitor(host_ns)
    try:
        monitor.listening(host_ns, tap)
        ip("-n", host_ns, "link", "set", tap, "up")
        monitor.expect(tap, "LOWER_UP")
        conn = chassis.netmiko()
        brief = conn.send_command("show interfaces brief")
        conn.disconnect()
        assert any(line.split()[:1] == ["A1"] and " Up " in line for line in brief.splitlines())

        os.kill(chassis.module("MM1")["pid"], signal.SIGKILL)
        try:
            monitor.expect(tap, "NO-CARRIER")
        except TimeoutError as exc:
            raise AssertionError(f"{exc}\n{chassis.status()}\n{chassis.stderr()}") from None
        chassis.wait_roles({"MM2": "active"})
        monitor.expect(tap, "LOWER_UP")
    finally:
        monitor.close()
    assert chassis.stop() == 0
    # the fabric removes the TAP it created when the chassis stops
    shown = subprocess.run(["ip", "-n", host_ns, "link", "show", tap], capture_output=True)
    assert shown.returncode != 0
