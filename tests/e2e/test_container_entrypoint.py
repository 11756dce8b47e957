"""The container image's start path, as far as a machine without Docker can take it: the
Dockerfile's ENTRYPOINT run directly, with its ENV, in a network namespace the test makes to
stand for the container (eth0 management, eth1..N veths added after the start, as containerlab
adds them). Hosts on the far ends ping each other through the switch; netmiko logs in on the
management address; the Dockerfile's HEALTHCHECK says unhealthy before and healthy after."""

from __future__ import annotations

import contextlib
import json
import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from emulator.labnode import CONTAINER_ENV
from emulator.testing import (
    READY_DEADLINE,
    REPO,
    RunningChassis,
    eventually,
    missing_root,
    missing_tool,
)

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.requires(missing_root("network namespaces")),
    pytest.mark.requires(missing_tool("ip", "iproute2")),
]

DOCKERFILE = REPO / "Dockerfile"
MGMT_HOST, MGMT_NODE = "10.199.0.1", "10.199.0.2"


def dockerfile() -> dict[str, list[str]]:
    """Instruction -> its arguments (continuations joined), the last one of each kind."""
    text = DOCKERFILE.read_text().replace("\\\n", " ")
    out: dict[str, list[str]] = {}
    for line in text.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            word, _, rest = line.strip().partition(" ")
            out.setdefault(word.upper(), []).append(rest.strip())
    return out


def image_env() -> dict[str, str]:
    pairs = [shlex.split(args) for args in dockerfile()["ENV"]]
    return dict(item.split("=", 1) for words in pairs for item in words)


def exec_form(args: str) -> list[str]:
    """A JSON-array instruction, with `procurve-emu` found beside this interpreter."""
    argv: list[str] = json.loads(args)
    found = shutil.which(argv[0], path=f"{Path(sys.executable).parent}{os.pathsep}"
                         f"{os.environ.get('PATH', '')}")
    assert found, f"{argv[0]} is not installed"
    return [found, *argv[1:]]


def ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True, capture_output=True, text=True)


@dataclass
class Node:
    """A network namespace standing for the container, and the hosts on its data links."""

    tag: str = field(default_factory=lambda: f"{os.getpid() % 100000}")
    namespaces: list[str] = field(default_factory=list)

    @property
    def ns(self) -> str:
        return f"pe-{self.tag}-node"

    def add_ns(self, name: str) -> str:
        ip("netns", "add", name)
        self.namespaces.append(name)
        ip("-n", name, "link", "set", "lo", "up")
        return name

    def mgmt(self) -> None:
        """eth0 of the container, its peer on this machine (containerlab's mgmt bridge)."""
        peer = f"pe{self.tag}mg"
        ip("link", "add", peer, "type", "veth", "peer", "name", "eth0", "netns", self.ns)
        ip("addr", "add", f"{MGMT_HOST}/24", "dev", peer)
        ip("link", "set", peer, "up")
        ip("-n", self.ns, "addr", "add", f"{MGMT_NODE}/24", "dev", "eth0")
        ip("-n", self.ns, "link", "set", "eth0", "up")

    def link_host(self, index: int) -> str:
        """ethN of the container wired to a host namespace holding 10.0.0.(N+10)."""
        host = self.add_ns(f"pe-{self.tag}-h{index}")
        ip("link", "add", f"eth{index}", "netns", self.ns, "type", "veth",
           "peer", "name", "eth1", "netns", host)
        ip("-n", host, "addr", "add", f"10.0.0.{index + 10}/24", "dev", "eth1")
        ip("-n", host, "link", "set", "eth1", "up")
        ip("-n", self.ns, "link", "set", f"eth{index}", "up")
        return host

    def close(self) -> None:
        for ns in reversed(self.namespaces):
            subprocess.run(["ip", "netns", "del", ns], check=False)


@pytest.fixture
def node() -> Iterator[Node]:
    node = Node()
    node.add_ns(node.ns)
    try:
        yield node
    finally:
        node.close()


def ping(host_ns: str, address: str, count: int = 3) -> bool:
    return subprocess.run(["ip", "netns", "exec", host_ns, "ping", "-n", "-c", str(count),
                           "-i", "0.2", "-W", "1", address], capture_output=True).returncode == 0


def wait_for_text(path: Path, text: str, process: subprocess.Popen[bytes]) -> None:
    def written() -> bool:
        assert process.poll() is None, path.read_text(errors="replace")
        return text in path.read_text(errors="replace")

    eventually(written, READY_DEADLINE,
               lambda: f"{text!r} in {path.read_text(errors='replace')}", poll=0.1)


def test_dockerfile_environment_is_what_lab_nodes_get() -> None:
    """`procurve-emu lab` hands switch nodes CONTAINER_ENV: it must be the image's ENV."""
    assert image_env() == CONTAINER_ENV
    assert "/flash" in dockerfile()["VOLUME"][0]


def test_entrypoint_waits_for_clab_interfaces_and_switches_frames(
        node: Node, tmp_path: Path) -> None:
    node.mgmt()
    hosts = {1: node.link_host(1)}  # containerlab attaches the rest after the start
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PROCURVE_", "CLAB_"))}
    env.update(image_env())
    env.update(PROCURVE_DATA_DIR=str(tmp_path / "flash"), PROCURVE_TIMING="fast",
               CLAB_INTFS="3")
    healthcheck = exec_form(dockerfile()["HEALTHCHECK"][0].split(" CMD ", 1)[1])

    def health() -> int:
        return subprocess.run(["ip", "netns", "exec", node.ns, *healthcheck], env=env,
                              capture_output=True, timeout=30).returncode

    assert health() != 0  # nothing runs yet
    stderr_path = tmp_path / "stderr.txt"
    entrypoint = exec_form(dockerfile()["ENTRYPOINT"][0])
    with stderr_path.open("wb") as stderr:
        process = subprocess.Popen(["ip", "netns", "exec", node.ns, *entrypoint], env=env,
                                   stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                   stderr=stderr)
    chassis = RunningChassis(process, tmp_path / "flash", [], env, stderr_path, host=MGMT_NODE)
    try:
        wait_for_text(stderr_path, "1 present", process)
        hosts[2], hosts[3] = node.link_host(2), node.link_host(3)
        status = chassis.wait_ready()
        assert {p["port"]: p["backend"] for p in status["ports"]} == {
            "A1": "afpacket:eth1", "A2": "afpacket:eth2", "A3": "afpacket:eth3"}
        assert chassis.ssh_port == 22
        assert health() == 0
        eventually(lambda: ping(hosts[1], "10.0.0.12", count=1),  # ports up after the reset
                   READY_DEADLINE, lambda: f"a ping of 10.0.0.12\n{chassis.stderr()}", poll=0)
        assert ping(hosts[1], "10.0.0.13")
        assert ping(hosts[3], "10.0.0.12")
        conn = chassis.netmiko()  # over eth0, the management interface
        try:
            assert conn.find_prompt().startswith("HP-8212zl")
            table = conn.send_command("show mac-address")
        finally:
            conn.disconnect()
        assert {line.split()[1] for line in table.splitlines()[1:] if len(line.split()) > 2
                } >= {"A1", "A2", "A3"}
    finally:
        assert chassis.stop() == 0, chassis.stderr()
    assert "waiting up to" in chassis.stderr()


def gns3_environment() -> dict[str, str]:
    appliance = json.loads((REPO / "lab_topologies" / "procurve-emu.gns3a").read_text())
    (docker,) = [s["template_properties"] for s in appliance["settings"]
                 if s["template_type"] == "docker"]
    return dict(line.split("=", 1) for line in docker["environment"].splitlines())


def test_gns3_every_adapter_is_a_port_and_stdio_is_the_console(
        node: Node, tmp_path: Path) -> None:
    """The appliance's environment over the image's: eth0 is A1, and the console GNS3
    shows over telnet is the entrypoint's stdin/stdout."""
    hosts = [node.link_host(0), node.link_host(1)]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PROCURVE_", "CLAB_"))}
    env.update(image_env())
    env.update(gns3_environment())
    env.update(PROCURVE_DATA_DIR=str(tmp_path / "flash"), PROCURVE_TIMING="fast")
    stderr_path = tmp_path / "stderr.txt"
    with stderr_path.open("wb") as stderr:
        process = subprocess.Popen(["ip", "netns", "exec", node.ns,
                                    *exec_form(dockerfile()["ENTRYPOINT"][0])], env=env,
                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr)
    chassis = RunningChassis(process, tmp_path / "flash", [], env, stderr_path)
    try:
        status = chassis.wait_ready()
        assert {p["port"]: p["backend"] for p in status["ports"]} == {
            "A1": "afpacket:eth0", "A2": "afpacket:eth1"}
        eventually(lambda: ping(hosts[0], "10.0.0.11", count=1), READY_DEADLINE,
                   lambda: f"a ping of 10.0.0.11\n{chassis.stderr()}", poll=0)
        assert process.stdin is not None and process.stdout is not None
        os.set_blocking(process.stdout.fileno(), False)
        seen = b""

        def read_console() -> bytes:
            nonlocal seen
            assert process.stdout is not None
            with contextlib.suppress(BlockingIOError):
                seen += process.stdout.read(4096) or b""
            return seen
        for keys, marker in ((b"\r", b"Username:"), (b"manager\r", b"Password:"),
                             (b"manager\r", b"HP-8212zl#")):
            process.stdin.write(keys)
            process.stdin.flush()
            eventually(lambda m=marker: m in read_console(), READY_DEADLINE,
                       lambda m=marker: f"{m!r} in {seen!r}", poll=0.1)
        process.stdin.close()
    finally:
        assert chassis.stop() == 0, chassis.stderr()
