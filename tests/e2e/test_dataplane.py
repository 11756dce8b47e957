"""Frames through the fabric: hosts are network namespaces the test creates, wired to TAP
ports; two emulated switches are joined by a UDP tunnel port carrying a tagged trunk."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from typing import Any

import pytest

from emulator.testing import eventually, missing_file, missing_root, missing_tool
from tests.e2e.netns import (
    Host,
    Lab,
    configure,
    free_udp_port,
    ip,
    veth_cable,
    veth_host,
    wait_carrier,
)

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.requires(missing_root("TAP ports and namespaces")),
    pytest.mark.requires(missing_file("/dev/net/tun")),
    pytest.mark.requires(missing_tool("ip", "iproute2")),
]


def test_hosts_in_one_vlan_ping_and_other_vlans_do_not(chassis_factory: Any, lab: Lab) -> None:
    chassis = chassis_factory.start("--port", f"A1=tap:{lab.tap('h1')}",
                                    "--port", f"A2=tap:{lab.tap('h2')}",
                                    "--port", f"A3=tap:{lab.tap('h3')}")
    h1 = lab.host("h1", "10.0.0.1/24")
    h2 = lab.host("h2", "10.0.0.2/24")
    h3 = lab.host("h3", "10.0.0.3/24")
    configure(chassis, "vlan 30", "untagged A3", "exit")
    for host in (h1, h2, h3):
        wait_carrier(host, up=True)
    assert h1.ping(h2.address)
    assert not h1.ping(h3.address, count=2)
    table = chassis.show("show mac-address")
    rows = {tuple(line.split()[:3]) for line in table.splitlines()}
    assert (h1.mac(), "A1", "1") in rows and (h2.mac(), "A2", "1") in rows


def mac_rows(chassis: Any) -> set[tuple[str, ...]]:
    return {tuple(line.split()[:3]) for line in chassis.show("show mac-address").splitlines()}


def test_learned_addresses_age_out_after_mac_age_time(chassis_factory: Any, lab: Lab) -> None:
    chassis = chassis_factory.start("--port", f"A1=tap:{lab.tap('h1')}",
                                    "--port", f"A2=tap:{lab.tap('h2')}")
    h1 = lab.host("h1", "10.0.0.1/24")
    h2 = lab.host("h2", "10.0.0.2/24")
    configure(chassis, "mac-age-time 10")
    assert "MAC Age Time (sec) : 10" in chassis.show("show system")
    for host in (h1, h2):
        wait_carrier(host, up=True)
    assert h1.ping(h2.address, count=1)
    learned = {(h1.mac(), "A1", "1"), (h2.mac(), "A2", "1")}
    assert learned <= mac_rows(chassis)
    eventually(lambda: not (learned & mac_rows(chassis)), 40,  # quiet hosts: nothing refreshes
               lambda: f"the entries to age out of {chassis.show('show mac-address')}", poll=1)
    assert h1.ping(h2.address, count=1)  # relearned on the next frame
    assert learned <= mac_rows(chassis)


def test_disabled_port_is_link_loss_for_the_host(chassis_factory: Any, lab: Lab) -> None:
    chassis = chassis_factory.start("--port", f"A1=tap:{lab.tap('h1')}")
    h1 = lab.host("h1", "10.0.0.1/24")
    wait_carrier(h1, up=True)
    configure(chassis, "interface A1", "disable", "exit")
    wait_carrier(h1, up=False)
    configure(chassis, "interface A1", "enable", "exit")
    wait_carrier(h1, up=True)


def test_tagged_trunk_over_udp_between_two_switches(chassis_factory: Any, lab: Lab) -> None:
    p1, p2 = free_udp_port(), free_udp_port()
    s1 = chassis_factory.start("--port", f"A1=tap:{lab.tap('a1')}",
                               "--port", f"A2=tap:{lab.tap('a2')}",
                               "--port", f"A24=udp:{p1}:127.0.0.1:{p2}")
    s2 = chassis_factory.start("--port", f"A1=tap:{lab.tap('b1')}",
                               "--port", f"A2=tap:{lab.tap('b2')}",
                               "--port", f"A24=udp:{p2}:127.0.0.1:{p1}")
    hosts = {name: lab.host(name, f"10.0.0.{i}/24")
             for i, name in enumerate(("a1", "a2", "b1", "b2"), start=1)}
    for switch in (s1, s2):
        configure(switch, "vlan 10", "untagged A1", "tagged A24", "exit",
                  "vlan 20", "untagged A2", "tagged A24", "exit")
    for host in hosts.values():
        wait_carrier(host, up=True)
    assert hosts["a1"].ping(hosts["b1"].address)  # VLAN 10 end to end
    assert hosts["a2"].ping(hosts["b2"].address)  # VLAN 20 end to end
    assert not hosts["a1"].ping(hosts["b2"].address, count=2)  # across VLANs: no


def test_afpacket_ports_and_a_tagged_veth_trunk(chassis_factory: Any, lab: Lab) -> None:
    """The kernel strips 802.1Q tags before a packet socket sees them: VLAN 10 crossing the
    trunk proves the tag is rebuilt on ingress (and kept on egress)."""
    hosts = {name: veth_host(lab, name, f"10.0.0.{i}/24")
             for i, name in enumerate(("v1", "v2", "v3"), start=1)}
    trunk_a, trunk_b = lab.tap("ta"), lab.tap("tb")
    ip("link", "add", trunk_a, "type", "veth", "peer", "name", trunk_b)
    try:
        ip("link", "set", trunk_a, "up")
        ip("link", "set", trunk_b, "up")
        s1 = chassis_factory.start("--port", f"A1=afpacket:{lab.tap('v1')}",
                                   "--port", f"A3=afpacket:{lab.tap('v3')}",
                                   "--port", f"A24=afpacket:{trunk_a}")
        s2 = chassis_factory.start("--port", f"A1=afpacket:{lab.tap('v2')}",
                                   "--port", f"A24=afpacket:{trunk_b}")
        for switch in (s1, s2):
            configure(switch, "vlan 10", "untagged A1", "tagged A24", "exit")
        eventually(lambda: hosts["v1"].ping(hosts["v2"].address, count=1),  # after the reset
                   10, lambda: f"v1 to reach v2; {s1.show('show mac-address')}", poll=0)
        assert hosts["v2"].ping(hosts["v1"].address)
        assert not hosts["v1"].ping(hosts["v3"].address, count=2)  # A3 stays in VLAN 1
        # TCP with the hosts' default offloads: super-frames and partial checksums arrive at
        # the packet sockets and must leave as real frames.
        server = subprocess.Popen(["ip", "netns", "exec", hosts["v2"].ns, "iperf3", "-s", "-1"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            eventually(lambda: subprocess.run(  # a client before the listen is refused at once
                ["ip", "netns", "exec", hosts["v2"].ns, "ss", "-Hltn", "sport = :5201"],
                capture_output=True, text=True, check=True).stdout.strip(), 10,
                "iperf3's server to listen", poll=0.05)
            sent = subprocess.run(["ip", "netns", "exec", hosts["v1"].ns, "iperf3", "-c",
                                   hosts["v2"].address, "-n", "8M", "--connect-timeout", "3000",
                                   "-J"], capture_output=True, text=True, timeout=60)
        finally:
            server.kill()
            server.wait()
        result = json.loads(sent.stdout)
        assert "error" not in result, result["error"]
        assert result["end"]["sum_sent"]["bytes"] >= 8 << 20  # TCP: delivered, or an error
        assert result["end"]["sum_received"]["bytes"] > 0
        rows = [line.split() for line in s2.show("show mac-address").splitlines()]
        assert [hosts["v1"].mac(), "A24", "10"] in rows
        configure(s1, "interface A1", "disable", "exit")  # link loss on a veth too
        wait_carrier(hosts["v1"], up=False)
        configure(s1, "interface A1", "enable", "exit")
        wait_carrier(hosts["v1"], up=True)
    finally:
        subprocess.run(["ip", "link", "del", trunk_a], check=False)


def counter(shown: str, name: str) -> int:
    """One counter of `show interfaces PORT`."""
    match = re.search(rf"{re.escape(name)}\s*:\s*([\d,]+)", shown)
    assert match is not None, shown
    return int(match.group(1).replace(",", ""))


def offloads_on(host: Host) -> None:
    """What a host's stack does by default on a NIC that can: TCP checksums left to the port,
    super-frames of up to 64 KiB handed over for it to cut."""
    subprocess.run(["ip", "netns", "exec", host.ns, "ethtool", "-K", host.dev, "tx", "on",
                    "tso", "on", "gso", "on"], check=True, capture_output=True)
    shown = subprocess.run(["ip", "netns", "exec", host.ns, "ethtool", "-k", host.dev],
                           check=True, capture_output=True, text=True).stdout
    assert "tcp-segmentation-offload: on" in shown, shown


SINK = """
import hashlib, socket, sys
server = socket.socket()
server.bind((sys.argv[1], 5202))
server.listen(1)
print("listening", flush=True)
conn, _ = server.accept()
digest, size = hashlib.sha256(), 0
while data := conn.recv(1 << 20):
    digest.update(data)
    size += len(data)
print(size, digest.hexdigest(), flush=True)
"""
SOURCE = """
import socket, sys
conn = socket.create_connection((sys.argv[1], 5202), timeout=60)
conn.sendall(sys.stdin.buffer.read())
conn.close()
"""


def tcp_transfer(client: Host, server: Host, payload: bytes) -> str:
    """`payload` over one TCP connection from client to server; what the server received,
    as its length and SHA-256."""
    sink = subprocess.Popen(["ip", "netns", "exec", server.ns, sys.executable, "-c", SINK,
                             server.address], stdout=subprocess.PIPE, text=True)
    try:
        assert sink.stdout is not None and sink.stdout.readline().strip() == "listening"
        subprocess.run(["ip", "netns", "exec", client.ns, sys.executable, "-c", SOURCE,
                        server.address], input=payload, check=True, timeout=120)
        received, _ = sink.communicate(timeout=120)
    finally:
        sink.kill()
        sink.wait()
    return received.strip()


@pytest.mark.requires(missing_tool("ethtool"))
def test_tcp_super_frames_cross_every_port_kind(chassis_factory: Any, lab: Lab) -> None:
    """Hosts with their offloads on hand over 64 KiB super-frames: TCP must arrive whole on
    tap -> afpacket, afpacket -> tap, afpacket -> tagged UDP tunnel -> afpacket (the tunnel
    cuts them), afpacket -> tagged afpacket trunk -> afpacket (the kernel takes them with
    the tag ahead of the headers), between two chassis, and into the switch's own stack (its
    VLAN interface has no vnet header: they are cut for it)."""
    p1, p2 = free_udp_port(), free_udp_port()
    veths = {name: veth_host(lab, name, address) for name, address in (
        ("v1", "10.0.0.2/24"), ("v2", "10.0.0.3/24"), ("v3", "10.0.1.1/24"),
        ("v4", "10.0.1.2/24"))}
    trunk_a, trunk_b = lab.tap("ta"), lab.tap("tb")
    veth_cable(trunk_a, trunk_b)
    try:
        s1 = chassis_factory.start("--port", f"A1=tap:{lab.tap('t1')}",
                                   "--port", f"A2=afpacket:{lab.tap('v1')}",
                                   "--port", f"A3=afpacket:{lab.tap('v3')}",
                                   "--port", f"A23=afpacket:{trunk_a}",
                                   "--port", f"A24=udp:{p1}:127.0.0.1:{p2}")
        s2 = chassis_factory.start("--port", f"A1=afpacket:{lab.tap('v2')}",
                                   "--port", f"A2=afpacket:{lab.tap('v4')}",
                                   "--port", f"A23=afpacket:{trunk_b}",
                                   "--port", f"A24=udp:{p2}:127.0.0.1:{p1}")
        t1 = lab.host("t1", "10.0.0.1/24")
        configure(s1, "vlan 10", "untagged A1-A2", "tagged A24", "ip address 10.0.0.254/24",
                  "exit",
                  "vlan 20", "untagged A3", "tagged A23", "exit",
                  "vlan 1", "no untagged A23-A24", "exit")  # two links: not a loop in VLAN 1
        configure(s2, "vlan 10", "untagged A1", "tagged A24", "exit",
                  "vlan 20", "untagged A2", "tagged A23", "exit",
                  "vlan 1", "no untagged A23-A24", "exit")
        hosts = [t1, *veths.values()]
        for host in hosts:
            offloads_on(host)
        wait_carrier(t1, up=True)
        stack = Host(s1.status()["chassis"]["mgmt_netns"], "vlan10", "10.0.0.254")
        for a, b in ((t1, veths["v1"]), (veths["v1"], veths["v2"]), (veths["v3"], veths["v4"]),
                     (t1, stack)):
            eventually(lambda a=a, b=b: a.ping(b.address, count=1), 15,  # after the resets
                       lambda a=a, b=b: f"{a.ns} to reach {b.address}", poll=0)
        ports = ((s1, ("A1", "A2", "A3", "A23", "A24")), (s2, ("A1", "A2", "A23", "A24")))

        def drops() -> list[int]:
            return [counter(switch.show(f"show interfaces {port}"), "Drops Tx")
                    for switch, names in ports for port in names]

        dropped = drops()  # a TAP refuses frames until its host brings it up
        payload = os.urandom(8 << 20)
        whole = f"{len(payload)} {hashlib.sha256(payload).hexdigest()}"
        for client, server in ((t1, veths["v1"]), (veths["v1"], t1),
                               (veths["v1"], veths["v2"]), (veths["v3"], veths["v4"]),
                               (t1, stack), (veths["v1"], stack)):
            assert tcp_transfer(client, server, payload) == whole, (client.ns, server.ns)
        # Counted as the segments the hosts' NICs would have sent (at most 1500 octets of
        # payload each), and none refused by a kernel that takes a super-frame.
        toward_v4 = counter(s2.show("show interfaces A2"), "Unicast Tx")
        assert toward_v4 >= len(payload) // 1500, s2.show("show interfaces A2")
        assert drops() == dropped
    finally:
        subprocess.run(["ip", "link", "del", trunk_a], check=False)


def test_jumbo_frames_pass_only_in_a_jumbo_vlan(chassis_factory: Any, lab: Lab) -> None:
    """Hosts with a 9000-octet MTU (containerlab makes 9500-octet veths): their big frames
    are giants until the VLAN is `jumbo`, as on the real switch."""
    names = ("j1", "j2")
    hosts = [veth_host(lab, name, f"10.0.0.{i}/24") for i, name in enumerate(names, 1)]
    for name, host in zip(names, hosts, strict=True):
        ip("-n", host.ns, "link", "set", host.dev, "mtu", "9000")
        ip("link", "set", lab.tap(name), "mtu", "9000")
    chassis = chassis_factory.start("--port", f"A1=afpacket:{lab.tap('j1')}",
                                    "--port", f"A2=afpacket:{lab.tap('j2')}")

    def big_ping() -> bool:
        return subprocess.run(["ip", "netns", "exec", hosts[0].ns, "ping", "-n", "-c", "1",
                               "-W", "1", "-M", "do", "-s", "8000", hosts[1].address],
                              capture_output=True).returncode == 0

    eventually(lambda: hosts[0].ping(hosts[1].address, count=1), 10,
               "the ports up after the reset", poll=0)
    assert not big_ping()
    configure(chassis, "vlan 1", "jumbo", "exit")
    eventually(big_ping, 10,  # the fabric is programmed after the command
               lambda: f"an 8000-octet ping; {chassis.show('show interfaces A1')}", poll=0)
