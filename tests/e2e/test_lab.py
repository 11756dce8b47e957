"""`procurve-emu lab up|status|exec|down` on the shipped topologies, as a user runs them: the
hosts ping across the emulated switches, netmiko logs in to each switch on its management
address, the redundancy drill's switchover is seen, and `down` leaves no namespace, interface
or process behind."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from netmiko import ConnectHandler

from emulator import inband, lab
from emulator.testing import READY_DEADLINE, REPO, eventually, missing_root, missing_tool

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.requires(missing_root("network namespaces")),
    pytest.mark.requires(missing_tool("ip", "iproute2")),
]


def procurve_emu(*args: str, check: bool = True,
                 underlay: str | None = None) -> subprocess.CompletedProcess[str]:
    """`procurve-emu ARGS`, on this machine or on the one `underlay` stands for (a namespace
    entered for its network only: `ip netns exec` would hide the lab's new namespaces in a
    mount namespace of its own)."""
    machine = ["nsenter", f"--net=/run/netns/{underlay}"] if underlay else []
    done = subprocess.run([*machine, sys.executable, "-m", "emulator.main", *args], cwd=REPO,
                          capture_output=True, text=True, timeout=120, check=False)
    assert not check or done.returncode == 0, done.stderr
    return done


def links(netns: str | None = None) -> set[str]:
    out = subprocess.run(["ip", *(("-n", netns) if netns else ()), "-o", "link", "show"],
                         capture_output=True, text=True, check=True).stdout
    return {line.split(":")[1].strip().split("@")[0] for line in out.splitlines()}


class RunningLab:
    """A copy of lab_topologies/ in a temporary directory (the lab writes its clab-NAME
    directory beside the topology) brought up with `procurve-emu lab up`."""

    def __init__(self, tmp_path: Path, name: str, underlay: str | None = None) -> None:
        shutil.copytree(REPO / "lab_topologies", tmp_path / "topologies", dirs_exist_ok=True)
        self.path = tmp_path / "topologies" / name
        self.lab = lab.load(self.path)
        self.underlay = underlay
        """The namespace standing for the machine this lab runs on, None for this one."""
        self.progress = ""
        """What `lab up` printed on stderr: its progress, a line per switch up."""

    def up(self) -> None:
        self.progress = procurve_emu("lab", "up", str(self.path), underlay=self.underlay).stderr

    def status(self) -> dict[str, Any]:
        report: dict[str, Any] = json.loads(procurve_emu(
            "lab", "status", "--json", str(self.path), check=False,
            underlay=self.underlay).stdout)
        return report

    def node(self, name: str) -> dict[str, Any]:
        return next(n for n in self.status()["nodes"] if n["name"] == name)

    def ping(self, source: str, target: str, count: int = 3) -> bool:
        return subprocess.run(["ip", "netns", "exec", self.lab.namespace(source), "ping", "-n",
                               "-c", str(count), "-i", "0.2", "-W", "1", target],
                              capture_output=True).returncode == 0

    def first_ping(self, source: str, target: str) -> None:
        """Ports come up once the active module has programmed the fabric after its reset."""
        eventually(lambda: self.ping(source, target, count=1), READY_DEADLINE,
                   f"{source} -> {target}", poll=0.1)

    def netmiko(self, switch: str) -> Any:
        return ConnectHandler(device_type="hp_procurve", host=str(self.lab.addresses[switch]),
                              port=22, username="manager", password="manager",
                              secret="manager")

    def show(self, switch: str, command: str) -> str:
        conn = self.netmiko(switch)
        try:
            assert conn.find_prompt() == f"{self.hostname(switch)}#"
            return str(conn.send_command(command))
        finally:
            conn.disconnect()

    def hostname(self, switch: str) -> str:
        """The hostname in the startup config the topology binds into the switch."""
        config = self.path.parent / self.lab.nodes[switch].binds[0].split(":")[0]
        return config.read_text().split('hostname "', 1)[1].split('"', 1)[0]

    def traces(self) -> tuple[set[str], set[str], set[int]]:
        """What the lab owns on this machine: namespaces (its nodes' and the switches'
        in-band ones), host-side interfaces, and every process in a node."""
        namespaces = {self.lab.namespace(n) for n in self.lab.nodes}
        namespaces |= {str(inband.resolve(inband.AUTO, self.lab.node_dir(n) / lab.DATA_DIR))
                       for n, node in self.lab.nodes.items() if node.is_switch}
        present = set(subprocess.run(["ip", "netns", "list"], capture_output=True, text=True,
                                     check=True).stdout.split()) & namespaces
        interfaces = {i for i in links(self.underlay)
                      if i.startswith(("pl-" + self.lab.tag, "pl" + self.lab.tag))}
        pids = {int(p) for ns in present if ns.startswith("clab-")
                for p in subprocess.run(["ip", "netns", "pids", ns], capture_output=True,
                                        text=True, check=False).stdout.split()}
        return present, interfaces, pids

    def down(self) -> None:
        procurve_emu("lab", "down", str(self.path), underlay=self.underlay)


@pytest.fixture
def running(tmp_path: Path) -> Iterator[Callable[..., RunningLab]]:
    started: list[RunningLab] = []

    def start(name: str, underlay: str | None = None) -> RunningLab:
        running_lab = RunningLab(tmp_path, name, underlay)
        started.append(running_lab)
        running_lab.up()
        return running_lab

    try:
        yield start
    finally:
        for running_lab in started:
            running_lab.down()


def alive(pid: int) -> bool:
    """Running, or stopped; a zombie waiting for init to reap it is gone."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_single_switch_lab_comes_up_and_goes_away_without_a_trace(
        running: Callable[[str], RunningLab]) -> None:
    single = running("single-switch.clab.yml")
    single.first_ping("h1", "10.0.0.2")
    assert single.ping("h2", "10.0.0.1")
    sw1 = single.node("sw1")
    assert sw1["up"] and sw1["roles"] == {"MM1": "active", "MM2": "standby"}
    assert single.progress.splitlines() == ["1/1 switches up"]
    healthy = ["sw1", "procurve", str(single.lab.addresses["sw1"]), "healthy",
               "MM1", "active,", "MM2", "standby"]
    table = eventually(  # the standby may still be syncing when `up` returns
        lambda: (rows := procurve_emu("lab", "status", str(single.path)).stdout.splitlines())
        and rows[2].split() == healthy and rows, READY_DEADLINE, "sw1 healthy")
    assert table[1].split() == ["NODE", "KIND", "MGMT", "IPV4", "HEALTH", "MODULES"]
    assert sw1["ports"] == {"A1": "afpacket:eth1", "A2": "afpacket:eth2"}
    assert "Status and Counters - General System Information" in single.show(
        "sw1", "show system")
    namespaces, interfaces, pids = single.traces()
    assert len(namespaces) >= 3 and interfaces and len(pids) >= 4  # chassis, fabric, mm1, mm2
    node_dir = single.lab.node_dir("sw1")  # the console log carries what the switch prints
    assert stat.S_IMODE((node_dir / lab.LOG_FILE).stat().st_mode) == 0o600
    assert stat.S_IMODE(node_dir.stat().st_mode) == 0o700
    single.down()
    assert single.traces() == (set(), set(), set())
    assert not [pid for pid in pids if alive(pid)]
    assert not any(n["up"] for n in single.status()["nodes"])


def test_two_switches_carry_two_vlans_over_a_tagged_trunk(
        running: Callable[[str], RunningLab]) -> None:
    trunk = running("two-switch-trunk.clab.yml")
    trunk.first_ping("h1", "10.0.0.2")  # VLAN 10 across the trunk
    trunk.first_ping("h3", "10.0.0.4")  # VLAN 20 across the trunk
    assert not trunk.ping("h1", "10.0.0.4", count=2)  # blue never reaches red
    for switch in ("sw1", "sw2"):
        vlans = trunk.show(switch, "show vlans")
        assert "blue" in vlans and "red" in vlans
    rows = [line.split() for line in trunk.show("sw2", "show mac-address").splitlines()]
    assert any(row[1:3] == ["A3", "10"] for row in rows if len(row) >= 3)
    trunk.down()
    assert trunk.traces() == (set(), set(), set())


def test_redundancy_drill_kill_active_is_a_switchover(
        running: Callable[[str], RunningLab]) -> None:
    drill = running("redundancy-drill.clab.yml")
    drill.first_ping("h1", "10.0.10.2")
    assert drill.node("sw1")["roles"] == {"MM1": "active", "MM2": "standby"}
    done = procurve_emu("lab", "exec", str(drill.path), "sw1",
                        "procurve-emu", "fault", "kill", "active")
    assert "kill MM1" in done.stdout
    eventually(lambda: drill.node("sw1").get("roles", {}).get("MM2") == "active", READY_DEADLINE,
               "MM2 active", poll=0.1)
    drill.first_ping("h1", "10.0.10.2")  # the saved VLAN 10 is back on the new active
    redundancy = drill.show("sw1", "show redundancy")
    assert "MM2" in redundancy
    drill.down()
    assert drill.traces() == (set(), set(), set())


@pytest.fixture
def two_machines() -> Iterator[tuple[str, str]]:
    """Two machines as namespaces on one wire, with the addresses multi-host.md gives them
    (A 192.0.2.1, B 192.0.2.2): the underlay the two halves' VXLAN tunnel crosses."""
    a, b = f"pcvu{os.getpid() % 100000}a", f"pcvu{os.getpid() % 100000}b"
    try:
        for ns in (a, b):
            subprocess.run(["ip", "netns", "add", ns], check=True)
            subprocess.run(["ip", "-n", ns, "link", "set", "lo", "up"], check=True)
        subprocess.run(["ip", "link", "add", "name", "wire", "netns", a, "type", "veth", "peer",
                        "name", "wire", "netns", b], check=True)
        for ns, address in ((a, "192.0.2.1/24"), (b, "192.0.2.2/24")):
            subprocess.run(["ip", "-n", ns, "addr", "add", address, "dev", "wire"], check=True)
            subprocess.run(["ip", "-n", ns, "link", "set", "wire", "up"], check=True)
        yield a, b
    finally:
        for ns in (a, b):
            subprocess.run(["ip", "netns", "del", ns], capture_output=True, check=False)


def test_multi_host_halves_meet_over_their_vxlan_tunnel(
        two_machines: tuple[str, str], running: Callable[..., RunningLab]) -> None:
    """`two_machines` first: set up before the labs, so taken away after them."""
    machine_a, machine_b = two_machines
    half_a = running("multi-host-a.clab.yml", underlay=machine_a)
    half_b = running("multi-host-b.clab.yml", underlay=machine_b)
    half_a.first_ping("h1", "10.0.0.2")  # VLAN 10: sw1, the tunnel, sw2
    half_a.first_ping("h3", "10.0.0.4")  # VLAN 20 on the same tunnel
    assert not half_a.ping("h1", "10.0.0.4", count=2)
    assert half_b.node("sw2")["ports"]["A3"] == "afpacket:eth3"
    for half in (half_a, half_b):
        half.down()
        assert half.traces() == (set(), set(), set())
