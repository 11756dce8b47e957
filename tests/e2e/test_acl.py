"""Access lists on the wire: an extended ACL that denies TCP 22 from one host to another blocks
exactly that (a TCP connection to 22 fails, one to another port and ping pass), for bridged
traffic (a port ACL) and for routed traffic (an inbound RACL on the VLAN), its hit counts
move, and its `log` entry's first deny is in the event log. Hosts are namespaces on the
chassis' TAP ports; their kernels make the traffic."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from emulator.testing import ChassisFactory, eventually, missing_file, missing_root, missing_tool
from tests.e2e.netns import Host, Lab, configure, ip, wait_carrier

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.requires(missing_root("TAP ports and namespaces")),
    pytest.mark.requires(missing_file("/dev/net/tun")),
    pytest.mark.requires(missing_tool("ip", "iproute2")),
    pytest.mark.requires(missing_tool("ping", "iputils-ping")),
]

SSH, OTHER = 22, 2222
LISTEN = textwrap.dedent("""
    import selectors, socket, sys
    sel = selectors.DefaultSelector()
    for port in map(int, sys.argv[1:]):
        s = socket.create_server(("0.0.0.0", port))
        sel.register(s, selectors.EVENT_READ)
    print("listening", flush=True)
    while True:
        for key, _ in sel.select():
            conn, _ = key.fileobj.accept()
            conn.sendall(b"SSH-2.0-lab\\r\\n")
            conn.close()
""")
CONNECT = textwrap.dedent("""
    import socket, sys
    try:
        with socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=2) as s:
            sys.exit(0 if s.recv(64).startswith(b"SSH-2.0") else 1)
    except OSError:
        sys.exit(1)
""")


def connects(host: Host, address: str, port: int) -> bool:
    """A TCP connection from `host` that gets the server's banner."""
    done = subprocess.run(["ip", "netns", "exec", host.ns, sys.executable, "-c", CONNECT,
                           address, str(port)], capture_output=True, timeout=30)
    return done.returncode == 0


class Network:
    """One chassis for the module: h1 and h2 on A1 and A2 in VLAN 1 (bridged), h3 on A3 in
    VLAN 20 (routed from VLAN 1 through the switch's interfaces 10.0.1.254 and 10.0.20.254);
    h2 and h3 serve TCP 22 and 2222."""

    def __init__(self, tmp: Path) -> None:
        self.lab = Lab()
        self.factory = ChassisFactory(tmp)
        self.listeners: list[subprocess.Popen[str]] = []

    def start(self) -> None:
        lab = self.lab
        self.chassis = self.factory.start(
            *(a for name, port in (("h1", "A1"), ("h2", "A2"), ("h3", "A3"))
              for a in ("--port", f"{port}=tap:{lab.tap(name)}")))
        self.h1 = lab.host("h1", "10.0.1.1/24")
        self.h2 = lab.host("h2", "10.0.1.2/24")
        self.h3 = lab.host("h3", "10.0.20.3/24")
        ip("-n", self.h1.ns, "route", "add", "default", "via", "10.0.1.254")
        ip("-n", self.h3.ns, "route", "add", "default", "via", "10.0.20.254")
        configure(self.chassis, "vlan 1", "ip address 10.0.1.254/24", "exit",
                  "vlan 20", "untagged A3", "ip address 10.0.20.254/24", "exit",
                  "ip access-list extended NO-SSH",
                  "deny tcp host 10.0.1.1 host 10.0.1.2 eq 22 log",
                  "deny tcp host 10.0.1.1 host 10.0.20.3 eq 22",
                  "permit ip any any", "exit", "ip routing")
        for host in (self.h2, self.h3):
            listener = subprocess.Popen(
                ["ip", "netns", "exec", host.ns, sys.executable, "-c", LISTEN, str(SSH),
                 str(OTHER)], stdout=subprocess.PIPE, text=True)
            self.listeners.append(listener)
            assert listener.stdout is not None and listener.stdout.readline() == "listening\n"
        for host in (self.h1, self.h2, self.h3):
            wait_carrier(host, up=True)
        eventually(lambda: self.h1.ping("10.0.20.3", count=1), 15, "h1 to reach h3 routed",
                   poll=0)

    def close(self) -> None:
        for listener in self.listeners:
            listener.kill()
            listener.wait()
        self.factory.stop_all()
        self.lab.close()


@pytest.fixture(scope="module")
def network(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Network]:
    net = Network(tmp_path_factory.mktemp("acl"))
    try:
        net.start()
        yield net
    finally:
        net.close()


def hits(chassis: Any, where: str) -> dict[int, int]:
    """Sequence number -> hits, from `show statistics aclv4 NO-SSH ...`."""
    shown = chassis.show(f"show statistics aclv4 NO-SSH {where}")
    return {int(line.split(")")[1].split()[0]): int(line.split(")")[0].strip(" ("))
            for line in shown.splitlines() if line.startswith(" (")}


def test_port_acl_blocks_exactly_ssh_between_bridged_hosts(network: Network) -> None:
    h1, h2, chassis = network.h1, network.h2, network.chassis
    assert connects(h1, h2.address, SSH)  # before: open
    configure(chassis, "interface A1", "ip access-group NO-SSH in", "exit")
    eventually(lambda: not connects(h1, h2.address, SSH), 10, "the port ACL to apply")
    assert connects(h1, h2.address, OTHER)
    assert h1.ping(h2.address, count=2)
    counted = hits(chassis, "port A1")
    assert counted[10] >= 1 and counted[30] >= 1, counted
    logged = [line for line in chassis.show("show log").splitlines() if " ACL: " in line]
    assert logged and logged[0].startswith("W ") and logged[0].endswith(
        "->10.0.1.2(22) on vlan 1, port A1"), logged
    assert "List NO-SSH, seq#10 denied tcp 10.0.1.1(" in logged[0]
    configure(chassis, "interface A1", "no ip access-group NO-SSH in", "exit")
    eventually(lambda: connects(h1, h2.address, SSH), 10, "the port ACL to go")


def test_inbound_racl_blocks_exactly_routed_ssh(network: Network) -> None:
    h1, h2, h3, chassis = network.h1, network.h2, network.h3, network.chassis
    assert connects(h1, h3.address, SSH)  # routed, before: open
    configure(chassis, "vlan 1", "ip access-group NO-SSH in", "exit")
    eventually(lambda: not connects(h1, h3.address, SSH), 10, "the RACL to apply")
    assert connects(h1, h3.address, OTHER)
    assert h1.ping(h3.address, count=2)
    assert connects(h1, h2.address, SSH)  # bridged within VLAN 1: an RACL leaves it alone
    counted = hits(chassis, "vlan 1 in")
    assert counted[20] >= 1 and counted[30] >= 1 and counted[10] == 0, counted
    configure(chassis, "vlan 1", "no ip access-group NO-SSH in", "exit")


def test_saved_acls_filter_again_after_a_switchover(network: Network) -> None:
    """Last in the module: it kills the active module. The lists come back from the saved
    config on the new active and filter as before; an unsaved one is gone, as on the switch."""
    h1, h2, chassis = network.h1, network.h2, network.chassis
    configure(chassis, "interface A1", "ip access-group NO-SSH in", "exit")
    conn = chassis.netmiko()
    try:
        conn.save_config()
        conn.send_config_set(["vlan 1", "ip access-group NO-SSH in", "exit"])  # unsaved
    finally:
        conn.disconnect()
    os.kill(chassis.module("MM1")["pid"], signal.SIGKILL)
    chassis.wait_roles({"MM1": "standby", "MM2": "active"})
    eventually(lambda: h1.ping(h2.address, count=1), 15, "h1 to reach h2 after the switchover",
               poll=0)
    assert not connects(h1, h2.address, SSH)
    assert connects(h1, h2.address, OTHER)
    assert connects(h1, network.h3.address, OTHER)  # still routed
    assert "IPv4   Inbound : (None)" in chassis.show("show access-list vlan 1")  # unsaved
    assert "IPv4   Inbound : NO-SSH" in chassis.show("show access-list ports A1")
