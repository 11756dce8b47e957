"""Nonstop switching against warm standby, as the hosts see it: two hosts in namespaces on TAP
ports ping each other through the switch while the active management module is SIGKILLed.

With `redundancy management-module nonstop-switching` the hot standby takes over without
resetting the interface modules: the hosts' links never lose carrier and the ping loses at most
a few packets; the standby runs the old active's running config, unsaved changes included.
Without it (warm standby) the switchover resets the ports: the hosts see NO-CARRIER, the ping
loses the reset time, and an unsaved change is gone. Figures: benchmarks/bench_switchover.py.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from emulator.testing import eventually, missing_file, missing_root, missing_tool

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.requires(missing_root("TAP ports and namespaces")),
    pytest.mark.requires(missing_file("/dev/net/tun")),
    pytest.mark.requires(missing_tool("ip", "iproute2")),
    pytest.mark.requires(missing_tool("ping", "iputils-ping")),
]

NONSTOP = "redundancy management-module nonstop-switching"
INTERVAL = 0.02
"""Seconds between pings: 50 per second, so a lost packet is 20 ms of outage."""
FEW = 10
"""At most this many pings may be lost across a nonstop switchover (0.2 s)."""


def ip(*args: str) -> str:
    return subprocess.run(["ip", *args], check=True, capture_output=True, text=True).stdout


class Hosts:
    """Two namespaces, each holding one of the switch's TAP ports as its link."""

    def __init__(self) -> None:
        tag = os.getpid() % 100000
        self.names = [f"pe-ns{tag}-{n}" for n in (1, 2)]
        self.taps = [f"pe{tag}ns{n}" for n in (1, 2)]
        self.addresses = ["10.77.0.1", "10.77.0.2"]
        for name in self.names:
            ip("netns", "add", name)

    def wire(self) -> None:
        """After the chassis made the TAPs: move each into its host and address it."""
        for name, tap, address in zip(self.names, self.taps, self.addresses, strict=True):
            ip("link", "set", tap, "netns", name)
            ip("-n", name, "addr", "add", f"{address}/24", "dev", tap)
            ip("-n", name, "link", "set", tap, "up")

    def carrier_changes(self) -> list[int]:
        """Each host link's carrier changes, as its kernel counts them."""
        return [int(subprocess.run(
            ["ip", "netns", "exec", name, "cat", f"/sys/class/net/{tap}/carrier_changes"],
            check=True, capture_output=True, text=True).stdout)
            for name, tap in zip(self.names, self.taps, strict=True)]

    def ping(self, count: int, wait: float = 1.0) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["ip", "netns", "exec", self.names[0], "ping", "-n", "-q", "-c", str(count),
             "-i", str(INTERVAL), "-W", str(wait), self.addresses[1]],
            capture_output=True, text=True, check=False)

    def start_ping(self, count: int) -> subprocess.Popen[str]:
        return subprocess.Popen(
            ["ip", "netns", "exec", self.names[0], "ping", "-n", "-q", "-c", str(count),
             "-i", str(INTERVAL), "-W", "1", self.addresses[1]],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def close(self) -> None:
        for name in self.names:
            subprocess.run(["ip", "netns", "del", name], check=False)


@pytest.fixture
def hosts() -> Iterator[Hosts]:
    made = Hosts()
    try:
        yield made
    finally:
        made.close()


def lost(output: str) -> int:
    """Packets sent minus received, from ping's summary line."""
    match = re.search(r"(\d+) packets transmitted, (\d+) received", output)
    assert match, output
    return int(match[1]) - int(match[2])


def boot(chassis_factory: Any, hosts: Hosts, tmp_path: Path, nonstop: bool) -> Any:
    config = tmp_path / "startup.cfg"
    config.write_text('hostname "nonstop"\n' + (NONSTOP + "\n" if nonstop else ""))
    chassis = chassis_factory.start(
        "--startup-config", str(config),
        *(arg for tap, port in zip(hosts.taps, ("A1", "A2"), strict=True)
          for arg in ("--port", f"{port}=tap:{tap}")))
    chassis.wait_roles({"MM1": "active", "MM2": "standby"})
    hosts.wire()
    eventually(lambda: hosts.ping(1).returncode == 0, what="the hosts reach each other")
    return chassis


def change_unsaved(chassis: Any) -> None:
    """A running-config change no `write memory` saved: the prompt returns once a nonstop
    standby holds it (the commit waits for the standby's acknowledgement)."""
    conn = chassis.netmiko()
    conn.send_config_set(["vlan 42", "name unsaved"])
    conn.disconnect()


def vlan_42(chassis: Any) -> bool:
    return "unsaved" in chassis.show("show vlans")


def test_nonstop_switchover_keeps_the_hosts_linked_and_the_running_config(
        chassis_factory: Any, hosts: Hosts, tmp_path: Path) -> None:
    chassis = boot(chassis_factory, hosts, tmp_path, nonstop=True)
    assert "Nonstop switching" in chassis.show("show redundancy")
    change_unsaved(chassis)
    before = hosts.carrier_changes()
    pinging = hosts.start_ping(400)
    eventually(lambda: pinging.poll() is None, what="ping running")
    os.kill(chassis.module("MM1")["pid"], signal.SIGKILL)
    chassis.wait_roles({"MM2": "active"})
    out, _ = pinging.communicate(timeout=60)
    assert lost(out) <= FEW, out
    assert hosts.carrier_changes() == before
    assert vlan_42(chassis), "the unsaved VLAN did not survive a nonstop switchover"
    assert chassis.stop() == 0


def test_warm_standby_switchover_resets_the_ports_and_loses_unsaved_changes(
        chassis_factory: Any, hosts: Hosts, tmp_path: Path) -> None:
    chassis = boot(chassis_factory, hosts, tmp_path, nonstop=False)
    assert "Warm standby" in chassis.show("show redundancy")
    change_unsaved(chassis)
    before = hosts.carrier_changes()
    os.kill(chassis.module("MM1")["pid"], signal.SIGKILL)
    chassis.wait_roles({"MM2": "active"})
    eventually(lambda: hosts.ping(1).returncode == 0, what="the hosts reach each other again")
    after = hosts.carrier_changes()
    assert all(a >= b + 2 for a, b in zip(after, before, strict=True)), (before, after)
    assert not vlan_42(chassis)
    assert chassis.stop() == 0
