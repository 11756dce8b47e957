"""The lab's zygote (emulator/lab/spawner.py): a node forked from it runs in its namespace as
`ip netns exec` would have run it, in a session of its own, with every module of a chassis
already imported; `lab up` sees it end."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from emulator.lab.spawner import LabZygote, NodeProcess, wait_any
from emulator.testing import eventually, missing_root, missing_tool
from tests.emulator.chassis.spawned import parent

pytestmark = pytest.mark.requires(missing_root("network namespaces"),
                                  missing_tool("ip", "iproute2"))

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def netns() -> Iterator[str]:
    """A namespace holding interfaces no other namespace has (a veth pair: this kernel has no
    dummy interfaces)."""
    name = f"pcvt-spawn-{os.getpid()}"
    subprocess.run(["ip", "netns", "add", name], check=True)
    try:
        subprocess.run(["ip", "-n", name, "link", "add", "marker", "type", "veth", "peer",
                        "name", "marker2"], check=True)
        yield name
    finally:
        subprocess.run(["ip", "netns", "delete", name], check=False)


@pytest.fixture
def zygote() -> Iterator[LabZygote]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    started = LabZygote(ROOT, env)
    try:
        yield started
    finally:
        started.close()


def run_node(zygote: LabZygote, netns: str, log: Path, how: str) -> tuple[NodeProcess,
                                                                          dict[str, object]]:
    """The node and its report; it has ended unless `how` is `stay`."""
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        node = zygote.spawn([sys.executable, "-m", "tests.emulator.lab.node", how],
                            {**os.environ, "LAB_ZYGOTE_TEST": "given"}, fd, netns)
    finally:
        os.close(fd)
    if how != "stay":
        while not node.ended():
            wait_any([node], 5.0)
    line = eventually(lambda: log.read_text().splitlines(), what="the node's report")
    return node, json.loads(line[-1])


def test_a_node_runs_in_its_namespace_with_its_own_sysfs(zygote: LabZygote, netns: str,
                                                         tmp_path: Path) -> None:
    node, report = run_node(zygote, netns, tmp_path / "console.log", "0")
    ours = os.stat("/proc/self/ns/net").st_ino
    theirs = os.stat(f"/run/netns/{netns}").st_ino
    assert report["netns"] == theirs != ours
    assert report["interfaces"] == ["lo", "marker", "marker2"]  # its own /sys, as ip netns exec
    assert "marker" not in os.listdir("/sys/class/net")  # and our /sys is untouched
    assert report["sid"] == report["pid"] == node.pid  # a session of its own
    assert report["argv"] == ["tests.emulator.lab.node", "0"]
    assert report["env"] == "given"


def test_a_node_finds_every_module_of_a_chassis_imported_and_its_table_built(
        zygote: LabZygote, netns: str, tmp_path: Path) -> None:
    _, report = run_node(zygote, netns, tmp_path / "console.log", "0")
    assert report["preloaded"] == ["emulator.device", "emulator.commands.vlan",
                                   "ssh_server.ssh", "snmp.agent"]
    assert report["pytest"] is False  # the test helpers are left out
    assert report["table_built"] is True  # the command table too, once for every switch


def test_a_node_outlives_the_zygote_and_its_end_is_seen(zygote: LabZygote, netns: str,
                                                        tmp_path: Path) -> None:
    node, _ = run_node(zygote, netns, tmp_path / "console.log", "stay")
    try:
        assert not node.ended()
        assert parent(node.pid) not in (zygote.process.pid, os.getpid())  # forked twice
        zygote.close()
        assert zygote.process.returncode == 0  # it ends when hung up on
        assert not node.ended()  # and the node lives on
    finally:
        os.kill(node.pid, signal.SIGKILL)
    wait_any([node], 10.0)
    assert node.ended()
    node.close()
