"""OSPF between two emulated switches and a real FRR router: full adjacencies, each learning
the others' connected networks (`show ip route` and the kernel agree: a host behind one switch
reaches the router's network through both), the `show ip ospf ...` screens, and after a kill
-9 of one switch's active module the adjacency and the routes come back (the times printed
for benchmarks/results/routing.md).

    r (FRR: zebra + ospfd, 10.77.0.0/24 behind it)
    | VLAN 10, 10.0.10.0/24 (tap A1)
    s1 --- A2 (afpacket, veth) --- A1 --- s2 --- A2 (tap): h, VLAN 30, 10.0.30.0/24
           VLAN 20, 10.0.20.0/24

Hellos every second, dead after four, on every interface (`ip ospf hello-interval 1` and
`dead-interval 4` on the switches), so the test waits seconds, not minutes."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from emulator.frr import DAEMONS, runtime_dir
from emulator.testing import (
    ChassisFactory,
    RunningChassis,
    eventually,
    missing_file,
    missing_root,
    missing_tool,
)
from tests.e2e.netns import Host, Lab, ip, startup_config, veth_cable, wait_carrier

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.requires(missing_root("TAP ports and namespaces")),
    pytest.mark.requires(missing_file("/dev/net/tun")),
    pytest.mark.requires(missing_tool("ip", "iproute2")),
    pytest.mark.requires(missing_file("/usr/lib/frr/ospfd")),
    pytest.mark.requires(missing_tool("vtysh", "frr")),
]

TIMERS = ("hello-interval 1", "dead-interval 4")
ROUTER_NET = "10.77.0.0/24"
ROUTER_ADDRESS = "10.77.0.1"
ADJACENCY_DEADLINE = 60.0


def switch_config(name: str, vlans: dict[int, tuple[str, str]]) -> list[str]:
    """A startup config: `vlans` maps VLAN -> (its untagged ports, the switch's address)."""
    lines = [f'hostname "{name}"', "ip routing",
             'snmp-server community "public" unrestricted', "router ospf", "   area backbone",
             "   enable", "   exit"]
    for vid, (ports, address) in vlans.items():
        lines += [f"vlan {vid}", f"   untagged {ports}", f"   ip address {address}",
                  "   ip ospf area backbone",
                  *(f"   ip ospf {timer}" for timer in TIMERS), "   exit"]
    return lines


class FrrRouter:
    """FRR's zebra and ospfd in a namespace, on sockets and files of the test's own."""

    def __init__(self, ns: str) -> None:
        self.ns = ns
        self.dir = Path(tempfile.mkdtemp(prefix="pe-frr-"))
        """Not under pytest's tmp dirs, which FRR's user cannot pass through."""
        self.processes: list[subprocess.Popen[bytes]] = []

    def start(self) -> None:
        (self.dir / "zebra.conf").write_text("hostname r\n")
        (self.dir / "ospfd.conf").write_text(
            "hostname r\n"
            "interface eth-s1\n ip ospf area 0.0.0.0\n ip ospf hello-interval 1\n"
            " ip ospf dead-interval 4\n!\n"
            "interface stub0\n ip ospf area 0.0.0.0\n ip ospf passive\n!\n"
            "router ospf\n ospf router-id 10.0.10.3\n!\n")
        subprocess.run(["chown", "-R", "frr:frr", str(self.dir)], check=True)
        for daemon in ("zebra", "ospfd"):
            with (self.dir / f"{daemon}.log").open("ab") as log:
                self.processes.append(subprocess.Popen(
                    ["ip", "netns", "exec", self.ns, f"/usr/lib/frr/{daemon}",
                     "-f", str(self.dir / f"{daemon}.conf"), "-i", str(self.dir / f"{daemon}.pid"),
                     "-z", str(self.dir / "zserv.api"), "--vty_socket", str(self.dir),
                     "-A", "127.0.0.1", "-P", "0"], stdout=log, stderr=log))
            eventually(lambda d=daemon: (self.dir / f"{d}.vty").exists(), 10,  # type: ignore[misc]
                       f"FRR's {daemon} to listen")

    def show(self, command: str) -> Any:
        done = subprocess.run(["vtysh", "--vty_socket", str(self.dir), "-c", f"{command} json"],
                              capture_output=True, text=True, timeout=10)
        return json.loads(done.stdout or "{}")

    def stop(self) -> None:
        for process in reversed(self.processes):
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        shutil.rmtree(self.dir, ignore_errors=True)


class Network:
    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.lab = Lab()
        self.factory = ChassisFactory(tmp)
        self.cable = (self.lab.tap("c1"), self.lab.tap("c2"))
        self.router: FrrRouter | None = None

    def start(self) -> None:
        lab = self.lab
        veth_cable(*self.cable)
        self.s1 = self.factory.start(
            "--startup-config", startup_config(self.tmp, *switch_config("s1", {
                10: ("A1", "10.0.10.1 255.255.255.0"), 20: ("A2", "10.0.20.1 255.255.255.0")})),
            "--port", f"A1=tap:{lab.tap('r')}", "--port", f"A2=afpacket:{self.cable[0]}")
        self.s2 = self.factory.start(
            "--startup-config", startup_config(self.tmp, *switch_config("s2", {
                20: ("A1", "10.0.20.2 255.255.255.0"), 30: ("A2", "10.0.30.2 255.255.255.0")})),
            "--port", f"A1=afpacket:{self.cable[1]}", "--port", f"A2=tap:{lab.tap('h')}")
        self.h = lab.host("h", "10.0.30.5/24")
        ip("-n", self.h.ns, "route", "add", "default", "via", "10.0.30.2")
        self.r = self._router_host()
        self.router = FrrRouter(self.r.ns)
        self.router.start()
        for host in (self.h, self.r):
            wait_carrier(host, up=True)

    def _router_host(self) -> Host:
        """r's side of s1's A1 is `eth-s1`; its own network sits on a veth pair inside it."""
        r = self.lab.host("r", "10.0.10.3/24")
        ip("-n", r.ns, "link", "set", r.dev, "down")
        ip("-n", r.ns, "link", "set", r.dev, "name", "eth-s1")
        ip("-n", r.ns, "link", "set", "eth-s1", "up")
        ip("-n", r.ns, "link", "add", "stub0", "type", "veth", "peer", "name", "stub1")
        ip("-n", r.ns, "addr", "add", f"{ROUTER_ADDRESS}/24", "dev", "stub0")
        for end in ("stub0", "stub1"):
            ip("-n", r.ns, "link", "set", end, "up")
        ip("netns", "exec", r.ns, "sysctl", "-qw", "net.ipv4.ip_forward=1")
        return Host(r.ns, "eth-s1", r.address)

    def close(self) -> None:
        if self.router is not None:
            self.router.stop()
        self.factory.stop_all()
        subprocess.run(["ip", "link", "del", self.cable[0]], check=False, capture_output=True)
        self.lab.close()


@pytest.fixture(scope="module")
def network(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Network]:
    net = Network(tmp_path_factory.mktemp("ospf"))
    try:
        net.start()
        yield net
    finally:
        net.close()


def full_neighbors(switch: RunningChassis) -> set[str]:
    """The router IDs `show ip ospf neighbor` lists in state FULL."""
    shown = switch.show("show ip ospf neighbor")
    return {line.split()[0] for line in shown.splitlines() if " FULL " in f"{line} "}


def ospf_routes(switch: RunningChassis) -> dict[str, str]:
    """Destination -> gateway of the `ospf` rows of `show ip route`."""
    shown = switch.show("show ip route ospf")
    return {line.split()[0]: line.split()[1] for line in shown.splitlines()
            if re.match(r"^\s+\d+\.\d+\.\d+\.\d+/\d+\s", line)}


def test_full_adjacencies_and_learnt_networks(network: Network) -> None:
    s1, s2, router = network.s1, network.s2, network.router
    assert router is not None
    eventually(lambda: full_neighbors(s1) == {"10.0.10.3", "10.0.20.2"}, ADJACENCY_DEADLINE,
               lambda: f"s1's neighbors FULL: {s1.show('show ip ospf neighbor')}")
    eventually(lambda: full_neighbors(s2) == {"10.0.10.1"}, ADJACENCY_DEADLINE,
               "s2's neighbor s1 FULL")
    eventually(lambda: ospf_routes(s1).get("10.0.30.0/24") == "10.0.20.2", 30,
               lambda: f"s1 to learn s2's VLAN 30: {s1.show('show ip route')}")
    def via_s1() -> dict[str, str | None]:
        """s2's routes through s1, awaited together: they are installed one by one."""
        routes = ospf_routes(s2)
        return {net: routes.get(net) for net in (ROUTER_NET, "10.0.10.0/24")}

    eventually(lambda: via_s1() == {ROUTER_NET: "10.0.20.1", "10.0.10.0/24": "10.0.20.1"}, 30,
               lambda: f"s2 to learn r's network and s1's VLAN 10: {s2.show('show ip route')}")
    row = next(line for line in s1.show("show ip route").splitlines()
               if line.split()[:1] == ["10.0.30.0/24"])
    assert row.split()[2:] == ["20", "ospf", "IntraArea", "2", "110"], row
    eventually(lambda: "10.0.30.0/24" in router.show("show ip route ospf"), 30,
               "r to learn s2's VLAN 30")
    eventually(lambda: network.h.ping(ROUTER_ADDRESS, count=1), 30,
               "h behind s2 to reach r's network through s1", poll=0)


def test_ospf_screens(network: Network) -> None:
    s1 = network.s1
    eventually(lambda: full_neighbors(s1) == {"10.0.10.3", "10.0.20.2"}, ADJACENCY_DEADLINE,
               "s1's neighbors FULL")
    general = s1.show("show ip ospf")
    assert "OSPF protocol" in general and "enabled" in general and "10.0.10.1" in general
    interfaces = s1.show("show ip ospf interface").splitlines()
    assert {line.split()[0] for line in interfaces[5:]} == {"10.0.10.1", "10.0.20.1"}
    assert any(line.split()[:3] == ["10.0.10.1", "enabled", "backbone"] for line in interfaces)
    areas = s1.show("show ip ospf area").splitlines()
    assert areas[5].split()[:2] == ["backbone", "normal"], areas
    database = s1.show("show ip ospf database")
    assert "OSPF Link State Database for Area 0.0.0.0" in database
    assert {"10.0.10.1", "10.0.10.3", "10.0.20.2"} <= {
        line.split()[1] for line in database.splitlines() if line.startswith("  Router ")}
    if shutil.which("snmpwalk") is not None:  # OSPF-MIB's neighbour table, as a poller reads it
        walked = subprocess.run(
            ["snmpwalk", "-v2c", "-c", "public", "-On", f"127.0.0.1:{s1.snmp_port}",
             "1.3.6.1.2.1.14.10.1.6"], capture_output=True, text=True, timeout=30).stdout
        assert ".1.3.6.1.2.1.14.10.1.6.10.0.10.3.0 = INTEGER: 8" in walked, walked


def test_adjacency_and_routes_return_after_a_kill_of_the_active(network: Network) -> None:
    """Last in the module: it kills s1's active module. The new active starts its own FRR
    from the saved config; the old daemons are gone; the adjacencies and routes re-form."""
    s1, s2 = network.s1, network.s2
    eventually(lambda: network.h.ping(ROUTER_ADDRESS, count=1), 60, "traffic before", poll=0)
    old = ospf_pids(s1)
    assert len(old) == 2, old
    killed_at = time.monotonic()
    os.kill(s1.module("MM1")["pid"], signal.SIGKILL)
    s1.wait_roles({"MM1": "standby", "MM2": "active"})
    active_at = time.monotonic()
    eventually(lambda: full_neighbors(s1) == {"10.0.10.3", "10.0.20.2"}, ADJACENCY_DEADLINE,
               "s1's neighbors FULL again")
    full_at = time.monotonic()
    eventually(lambda: ospf_routes(s2).get(ROUTER_NET) == "10.0.20.1", 30,
               "s2's route to r's network again")
    eventually(lambda: network.h.ping(ROUTER_ADDRESS, count=1), 30,
               "h to reach r's network again", poll=0)
    back_at = time.monotonic()
    print(f"\nOSPF after kill -9 of s1's active: new active {active_at - killed_at:.2f} s, "
          f"s1's adjacencies FULL {full_at - killed_at:.2f} s, traffic through s1 "
          f"{back_at - killed_at:.2f} s")
    assert not any(Path(f"/proc/{pid}").exists() for pid in old)
    assert len(ospf_pids(s1)) == 2


def ospf_pids(switch: RunningChassis) -> list[int]:
    """The FRR daemons of the switch's namespace, from their pid files."""
    netns = switch.status()["chassis"]["mgmt_netns"]
    pids = []
    for daemon in DAEMONS:
        path = runtime_dir(netns) / f"{daemon}.pid"
        if path.exists() and Path(f"/proc/{path.read_text().strip()}").exists():
            pids.append(int(path.read_text().strip()))
    return pids
