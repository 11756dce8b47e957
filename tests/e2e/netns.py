"""Hosts for end-to-end tests: network namespaces the tests create, wired to a chassis' ports
(TAPs the fabric made and the test moves in, or veth pairs), and what tests ask of them."""

from __future__ import annotations

import os
import socket
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from emulator.testing import eventually


def ip(*args: str) -> str:
    return subprocess.run(["ip", *args], check=True, capture_output=True, text=True).stdout


@dataclass
class Host:
    ns: str
    dev: str
    address: str

    def ping(self, target: str, count: int = 3) -> bool:
        done = subprocess.run(["ip", "netns", "exec", self.ns, "ping", "-n", "-c", str(count),
                               "-i", "0.2", "-W", "1", target], capture_output=True, text=True)
        return done.returncode == 0

    def mac(self) -> str:
        raw = Path(f"/sys/class/net/{self.dev}/address")
        text = subprocess.run(["ip", "netns", "exec", self.ns, "cat", str(raw)],
                              capture_output=True, text=True, check=True).stdout.strip()
        digits = text.replace(":", "")
        return f"{digits[:6]}-{digits[6:]}"

    def link(self) -> str:
        return ip("-n", self.ns, "-o", "link", "show", self.dev)


def quiet(ns: str) -> None:
    """No IPv6 in a host: its router solicitations and MLD reports would otherwise refresh
    its address in the switch's table at moments the test does not choose."""
    subprocess.run(["ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1"],
                   check=True)


class Lab:
    """Namespaces for hosts; each host's TAP (made by a chassis' fabric) is moved in."""

    def __init__(self) -> None:
        self.tag = f"{os.getpid() % 100000}"
        self.namespaces: list[str] = []

    def tap(self, name: str) -> str:
        return f"pe{self.tag}{name}"

    def host(self, name: str, address: str) -> Host:
        ns, dev = f"pe-{self.tag}-{name}", self.tap(name)
        ip("netns", "add", ns)
        self.namespaces.append(ns)
        ip("link", "set", dev, "netns", ns)
        quiet(ns)
        ip("-n", ns, "addr", "add", address, "dev", dev)
        ip("-n", ns, "link", "set", dev, "up")
        ip("-n", ns, "link", "set", "lo", "up")
        return Host(ns, dev, address.split("/")[0])

    def close(self) -> None:
        for ns in self.namespaces:
            subprocess.run(["ip", "netns", "del", ns], check=False)


def free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def configure(chassis: Any, *lines: str) -> None:
    conn = chassis.netmiko()
    try:
        conn.send_config_set(list(lines))
    finally:
        conn.disconnect()


def wait_carrier(host: Host, up: bool) -> None:
    eventually(lambda: ("NO-CARRIER" in host.link()) != up, 10,
               lambda: f"carrier {'up' if up else 'down'}: {host.link()}")


def veth_host(lab: Lab, name: str, address: str) -> Host:
    """A host namespace joined to the switch by a veth pair; the switch keeps its end in the
    root namespace (as containerlab's eth1..N) and reads it with AF_PACKET."""
    ns, switch_side, host_side = f"pe-{lab.tag}-{name}", lab.tap(name), f"pe{lab.tag}{name}h"
    ip("netns", "add", ns)
    lab.namespaces.append(ns)
    ip("link", "add", switch_side, "type", "veth", "peer", "name", host_side, "netns", ns)
    ip("link", "set", switch_side, "up")
    ip("-n", ns, "link", "set", host_side, "up")
    ip("-n", ns, "link", "set", "lo", "up")
    ip("-n", ns, "addr", "add", address, "dev", host_side)
    return Host(ns, host_side, address.split("/")[0])


# --- trunks and loop protection (tests/e2e/test_trunks.py, test_loop_protect.py) ---

def veth_cable(a: str, b: str) -> None:
    """A cable between two switch ports (or a port and a peer such as Open vSwitch): a veth
    pair in the root namespace, both ends up; the test deletes one end to pull it."""
    ip("link", "add", a, "type", "veth", "peer", "name", b)
    for end in (a, b):
        ip("link", "set", end, "up")


def startup_config(directory: Path, *lines: str) -> str:
    """A startup config file (for `--startup-config`) holding `lines`; its path."""
    path = directory / f"startup-{len(list(directory.iterdir()))}.cfg"
    path.write_text("\n".join(lines) + "\n")
    return str(path)
