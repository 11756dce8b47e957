"""The image built and run by a real Docker engine, wired as containerlab wires a lab.

Two switches and two hosts: each switch's eth0 on a management bridge Docker made, eth1..N
veths made on this machine and moved into the running containers (containerlab's way, after
the start, announced by CLAB_INTFS), a startup config bind-mounted read-only, /flash a named
volume. The hosts are network namespaces:

    h1 --eth1-- sw1 --eth2----eth1-- sw2 --eth2-- h2        all in VLAN 1, 10.31.0.0/24

The tests run in order on one lab (module scope): deploy and health, identity, LLDP, traffic and
ARP, failover inside a container, `docker kill`/`docker start` with the links made anew, and
`docker stop`. Under CI=true a missing engine fails them; elsewhere they skip.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from emulator.commands.lldp import lldp_id
from emulator.testing import READY_DEADLINE, eventually
from tests.e2e.docker_engine import IMAGE, Engine
from tests.e2e.netns import Host, ip, quiet

pytestmark = pytest.mark.e2e

HEALTHY_DEADLINE = 90.0
"""Health checks run every 5 s (the Dockerfile's HEALTHCHECK); a loaded machine is slow."""
STOP_GRACE = 10
SUBNET = "10.31.0"
SWITCH_ADDRESS = {"sw1": f"{SUBNET}.1", "sw2": f"{SUBNET}.2"}
HOST_ADDRESS = {"h1": f"{SUBNET}.11", "h2": f"{SUBNET}.12"}
LINKS = (("sw1", "eth1", "h1", "eth1"), ("sw1", "eth2", "sw2", "eth1"),
         ("sw2", "eth2", "h2", "eth1"))
STARTUP = """\
; J8715A Configuration Editor; Created on release #K.15.16.0008
hostname "{name}"
module A type j8702a
module B type j8702a
vlan 1
   name "DEFAULT_VLAN"
   untagged A1-A24,B1-B24
   ip address {address} 255.255.255.0
   exit
"""


@dataclass
class Clab:
    """A containerlab-style lab in the session's engine; every name carries the run's tag."""

    engine: Engine
    configs: Path
    tag: str = field(default_factory=lambda: f"pe{os.getpid() % 100000}")
    hosts: dict[str, Host] = field(default_factory=dict)
    made: list[tuple[str, str]] = field(default_factory=list)
    """What to remove at the end: ("container" | "volume" | "network" | "netns", name)."""

    def container(self, node: str) -> str:
        return f"{self.tag}-{node}"

    @property
    def network(self) -> str:
        return f"{self.tag}-mgmt"

    def docker(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return self.engine.docker(*args, check=check)

    def inspect(self, node: str, template: str) -> str:
        return self.docker("inspect", "-f", template, self.container(node)).stdout.strip()

    def deploy(self) -> None:
        third = os.getpid() % 200 + 20
        self.docker("network", "create", "--subnet", f"172.29.{third}.0/24",
                    "-o", f"com.docker.network.bridge.name={self.tag}mg", self.network)
        self.made.append(("network", self.network))
        for node, address in SWITCH_ADDRESS.items():
            config = self.configs / f"{node}.cfg"
            config.write_text(STARTUP.format(name=node, address=address))
            self.made.append(("volume", f"{self.container(node)}-flash"))
            self.made.append(("container", self.container(node)))
            self.docker("run", "-d", "--privileged", "--name", self.container(node),
                        "--hostname", node, "--network", self.network,
                        "--stop-timeout", str(STOP_GRACE),
                        "-e", "CLAB_INTFS=2", "-e", "PROCURVE_TIMING=fast",
                        "-e", "PROCURVE_STARTUP_CONFIG=/etc/procurve/startup.cfg",
                        "-v", f"{config}:/etc/procurve/startup.cfg:ro",
                        "-v", f"{self.container(node)}-flash:/flash", IMAGE)
        for name, address in HOST_ADDRESS.items():
            ns = f"{self.tag}-{name}"
            ip("netns", "add", ns)
            self.made.append(("netns", ns))
            quiet(ns)
            ip("-n", ns, "link", "set", "lo", "up")
            self.hosts[name] = Host(ns, "eth1", address)
        for link in LINKS:
            self.wire(*link)

    def pid(self, node: str) -> str:
        return self.inspect(node, "{{.State.Pid}}")

    def wire(self, a: str, a_dev: str, b: str, b_dev: str) -> None:
        """One containerlab link: a veth pair made here, each end moved into its node and
        renamed, then up. Hosts get their address on their end."""
        left, right = f"{self.tag}{a[-1]}{a_dev[-1]}", f"{self.tag}{b[-1]}{b_dev[-1]}x"
        ip("link", "add", left, "type", "veth", "peer", "name", right)
        for end, node, dev in ((left, a, a_dev), (right, b, b_dev)):
            if node in self.hosts:
                ns = self.hosts[node].ns
                ip("link", "set", end, "netns", ns, "name", dev)
                ip("-n", ns, "addr", "add", f"{self.hosts[node].address}/24", "dev", dev)
                ip("-n", ns, "link", "set", dev, "up")
            else:
                pid = self.pid(node)
                ip("link", "set", end, "netns", pid, "name", dev)
                subprocess.run(["nsenter", "-t", pid, "-n", "ip", "link", "set", dev, "up"],
                               check=True, capture_output=True)

    def health(self, node: str) -> dict[str, Any]:
        state: dict[str, Any] = json.loads(self.inspect(node, "{{json .State.Health}}"))
        return state

    def wait_healthy(self, node: str, since: str = "") -> None:
        """Healthy, by a check that started after `since` (an RFC 3339 time) when given."""
        def healthy() -> bool:
            state = self.health(node)
            last = state["Log"][-1] if state["Log"] else {"Start": "", "ExitCode": 1}
            return bool(state["Status"] == "healthy" and last["ExitCode"] == 0
                        and last["Start"] > since)
        eventually(healthy, HEALTHY_DEADLINE, f"{node} healthy", poll=0.2)

    def identity(self, node: str) -> dict[str, Any]:
        chassis: dict[str, Any] = json.loads(self.docker(
            "exec", self.container(node), "cat", "/flash/chassis.json").stdout)
        return chassis

    def mgmt_address(self, node: str) -> str:
        return self.inspect(node, "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}")

    def cli(self, node: str, *commands: str, config: bool = False) -> str:
        """Commands over SSH to the management address, as an automation script sends them."""
        from netmiko import ConnectHandler

        conn = ConnectHandler(device_type="hp_procurve", host=self.mgmt_address(node),
                              username="manager", password="manager", secret="manager")
        try:
            if config:
                return str(conn.send_config_set(list(commands)))
            return "\n".join(str(conn.send_command(c)) for c in commands)
        finally:
            conn.disconnect()

    def logs(self, node: str) -> str:
        done = self.docker("logs", self.container(node))
        return done.stdout + done.stderr

    def close(self) -> None:
        for kind, name in reversed(self.made):
            if kind == "netns":
                subprocess.run(["ip", "netns", "del", name], check=False)
            elif kind == "container":
                self.docker("rm", "-f", name, check=False)
            else:
                self.docker(kind, "rm", name, check=False)


@pytest.fixture(scope="module")
def clab(engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Clab]:
    lab = Clab(engine, tmp_path_factory.mktemp("clab"))
    try:
        lab.deploy()
        yield lab
    finally:
        lab.close()


def lldp_neighbor(lab: Clab, node: str, port: str, neighbor: str) -> bool:
    table = lab.cli(node, f"show lldp info remote-device {port}")
    return f"SysName      : {neighbor}" in table and lldp_id(
        lab.identity(neighbor)["base_mac"]) in table


def linux_mac(base_mac: str) -> str:
    digits = base_mac.replace("-", "")
    return ":".join(digits[i:i + 2] for i in range(0, 12, 2))


def test_switches_become_healthy_with_their_own_identity(clab: Clab) -> None:
    for node in SWITCH_ADDRESS:
        clab.wait_healthy(node)
    one, two = clab.identity("sw1"), clab.identity("sw2")
    assert one["base_mac"] != two["base_mac"]
    assert one["serial"] != two["serial"]


def test_each_switch_sees_the_other_in_lldp(clab: Clab) -> None:
    eventually(lambda: lldp_neighbor(clab, "sw1", "A2", "sw2"), READY_DEADLINE,
               "sw1 hears sw2 on A2", poll=0.2)
    eventually(lambda: lldp_neighbor(clab, "sw2", "A1", "sw1"), READY_DEADLINE,
               "sw2 hears sw1 on A1", poll=0.2)


def test_hosts_talk_through_both_switches_and_resolve_vlan_macs(clab: Clab) -> None:
    h1, h2 = clab.hosts["h1"], clab.hosts["h2"]
    eventually(lambda: h1.ping(h2.address, count=1), READY_DEADLINE, "h1 reaches h2", poll=0.2)
    for node, address in SWITCH_ADDRESS.items():
        assert h1.ping(address), f"{node}'s VLAN 1 address"
        neigh = json.loads(ip("-n", h1.ns, "-j", "neigh", "show", address, "dev", h1.dev))
        assert [n["lladdr"] for n in neigh] == [linux_mac(clab.identity(node)["base_mac"])]


def test_failover_inside_the_container_keeps_it_healthy(clab: Clab) -> None:
    h1, h2 = clab.hosts["h1"], clab.hosts["h2"]
    killed_at = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime())
    clab.docker("exec", clab.container("sw1"), "procurve-emu", "fault", "kill", "active")
    eventually(lambda: h1.ping(h2.address, count=1), READY_DEADLINE,
               "traffic through sw1 again", poll=0.2)
    clab.wait_healthy("sw1", since=killed_at)
    assert clab.health("sw1")["FailingStreak"] == 0


def test_killed_switch_comes_back_with_its_config_and_its_neighbour_follows(clab: Clab) -> None:
    h1, h2 = clab.hosts["h1"], clab.hosts["h2"]
    clab.cli("sw2", 'snmp-server contact "rack 7"', config=True)
    clab.cli("sw2", "write memory")
    before = clab.identity("sw2")
    clab.docker("kill", clab.container("sw2"))
    # Its veths died with its namespace: sw1's eth2 and h2's eth1 are gone too.
    eventually(lambda: subprocess.run(
        ["nsenter", "-t", clab.pid("sw1"), "-n", "ip", "link", "show", "eth2"],
        capture_output=True).returncode != 0, READY_DEADLINE, "sw1's eth2 gone", poll=0.2)
    eventually(lambda: "port A2 down: eth2 is gone" in clab.logs("sw1"), READY_DEADLINE,
               "sw1 reports A2 down", poll=0.2)
    brief = clab.cli("sw1", "show interfaces brief")  # the CLI says so too, with no config change
    assert re.search(r"^\s*A2\s.*\bDown\b", brief, re.M), brief
    clab.docker("start", clab.container("sw2"))
    waiting = clab.docker("exec", clab.container("sw2"), "procurve-emu", "health", check=False)
    assert waiting.returncode == 1
    assert "waiting for data interfaces: 0 of 2 (CLAB_INTFS) present" in waiting.stderr
    for link in LINKS[1:]:
        clab.wire(*link)
    clab.wait_healthy("sw2")
    assert clab.identity("sw2") == before
    assert 'snmp-server contact "rack 7"' in clab.cli("sw2", "show running-config")
    eventually(lambda: h1.ping(h2.address, count=1), READY_DEADLINE,
               "h1 reaches h2 over the new links", poll=0.2)
    eventually(lambda: lldp_neighbor(clab, "sw1", "A2", "sw2"), READY_DEADLINE,
               "sw1 hears sw2 again on A2", poll=0.2)
    assert "port A2 up: eth2 is back" in clab.logs("sw1")


def test_stop_is_clean_and_the_logs_hold_no_warnings(clab: Clab) -> None:
    for node in SWITCH_ADDRESS:
        address = clab.mgmt_address(node)
        clab.docker("stop", clab.container(node))
        assert clab.inspect(node, "{{.State.ExitCode}}") == "0", clab.logs(node)
        logs = clab.logs(node)
        assert f"{node} ready: ssh -p 22 manager@{address} " in logs
        assert not [line for line in logs.splitlines() if "warning" in line.lower()], logs
