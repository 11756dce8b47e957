"""IP routing on the wire: hosts in two VLANs ping each other once `ip routing` is on (and not
before), a static route reaches a network behind a host-router, reject and blackhole routes
drop as the switch drops (an ICMP unreachable from the switch, silence), `traceroute` from
the switch names the hops, `show ip route` parses with ntc-templates, routed frames are
counted on their ports, and after a kill -9 of the active module the saved routes carry
traffic again (the outage printed for benchmarks/results/routing.md). Hosts and the router
are namespaces on the chassis' TAP ports; their kernels make the traffic."""

from __future__ import annotations

import itertools
import os
import re
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from ntc_templates.parse import parse_output

from emulator.testing import ChassisFactory, eventually, missing_file, missing_root, missing_tool
from tests.e2e.netns import Host, Lab, configure, ip, wait_carrier

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.requires(missing_root("TAP ports and namespaces")),
    pytest.mark.requires(missing_file("/dev/net/tun")),
    pytest.mark.requires(missing_tool("ip", "iproute2")),
    pytest.mark.requires(missing_tool("ping", "iputils-ping")),
]

BEHIND = "10.99.0.4"
"""h4, on a network the switch reaches only by a static route through r1."""


def ping_output(host: Host, target: str, count: int = 1) -> str:
    done = subprocess.run(["ip", "netns", "exec", host.ns, "ping", "-n", "-c", str(count),
                           "-i", "0.2", "-W", "1", target], capture_output=True, text=True)
    return done.stdout


class Network:
    """h1 on A1 in VLAN 10, h2 on A2 in VLAN 20, r1 on A3 in VLAN 30 routing to h4 (a veth
    away, in 10.99.0.0/24); the switch is .254 in each VLAN."""

    def __init__(self, tmp: Path) -> None:
        self.lab = Lab()
        self.factory = ChassisFactory(tmp)

    def start(self) -> None:
        lab = self.lab
        self.chassis = self.factory.start(
            *(a for name, port in (("h1", "A1"), ("h2", "A2"), ("r1", "A3"))
              for a in ("--port", f"{port}=tap:{lab.tap(name)}")))
        self.h1 = lab.host("h1", "10.0.10.1/24")
        self.h2 = lab.host("h2", "10.0.20.2/24")
        self.r1 = lab.host("r1", "10.0.30.3/24")
        ip("-n", self.h1.ns, "route", "add", "default", "via", "10.0.10.254")
        ip("-n", self.h2.ns, "route", "add", "default", "via", "10.0.20.254")
        ip("-n", self.r1.ns, "route", "add", "default", "via", "10.0.30.254")
        self.h4 = self._behind_r1()
        configure(self.chassis, "vlan 10", "untagged A1", "ip address 10.0.10.254/24", "exit",
                  "vlan 20", "untagged A2", "ip address 10.0.20.254/24", "exit",
                  "vlan 30", "untagged A3", "ip address 10.0.30.254/24", "exit")
        for host in (self.h1, self.h2, self.r1):
            wait_carrier(host, up=True)
        eventually(lambda: self.h1.ping("10.0.10.254", count=1), 15, "h1 to reach the switch",
                   poll=0)

    def _behind_r1(self) -> Host:
        """h4 behind r1: a veth pair between the two namespaces, r1 forwarding."""
        ns, r1_side, h4_side = f"pe-{self.lab.tag}-h4", f"pe{self.lab.tag}r1b", \
            f"pe{self.lab.tag}h4"
        ip("netns", "add", ns)
        self.lab.namespaces.append(ns)
        ip("-n", self.r1.ns, "link", "add", r1_side, "type", "veth", "peer", "name", h4_side,
           "netns", ns)
        ip("-n", self.r1.ns, "addr", "add", "10.99.0.3/24", "dev", r1_side)
        ip("-n", self.r1.ns, "link", "set", r1_side, "up")
        ip("netns", "exec", self.r1.ns, "sysctl", "-qw", "net.ipv4.ip_forward=1")
        ip("-n", ns, "addr", "add", f"{BEHIND}/24", "dev", h4_side)
        ip("-n", ns, "link", "set", h4_side, "up")
        ip("-n", ns, "link", "set", "lo", "up")
        ip("-n", ns, "route", "add", "default", "via", "10.99.0.3")
        return Host(ns, h4_side, BEHIND)

    def close(self) -> None:
        self.factory.stop_all()
        self.lab.close()


@pytest.fixture(scope="module")
def network(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Network]:
    net = Network(tmp_path_factory.mktemp("routing"))
    try:
        net.start()
        yield net
    finally:
        net.close()


def unicast_tx(chassis: object, port: str) -> int:
    shown = chassis.show(f"show interfaces {port}")  # type: ignore[attr-defined]
    match = re.search(r"Unicast Tx\s*:\s*([\d,]+)", shown)
    assert match, shown
    return int(match[1].replace(",", ""))


def test_two_vlans_ping_each_other_through_ip_routing(network: Network) -> None:
    h1, h2, chassis = network.h1, network.h2, network.chassis
    assert not h1.ping(h2.address, count=1)  # no routing yet
    assert "IP Routing : Disabled" in chassis.show("show ip")
    sent_before = unicast_tx(chassis, "A2")
    configure(chassis, "ip routing")
    eventually(lambda: h1.ping(h2.address, count=1), 15, "h1 to reach h2 routed", poll=0)
    assert "ttl=63" in ping_output(h1, h2.address)  # one hop: the switch took one off
    assert h2.ping(h1.address, count=5)
    assert unicast_tx(chassis, "A2") - sent_before >= 5  # routed frames leave by A2
    assert "IP Routing : Enabled" in chassis.show("show ip")


def test_static_route_to_a_network_behind_a_host_router(network: Network) -> None:
    h1, chassis = network.h1, network.chassis
    configure(chassis, "ip routing", "ip route 10.99.0.0 255.255.255.0 10.0.30.3")
    eventually(lambda: h1.ping(BEHIND, count=1), 15, "h1 to reach h4 through r1", poll=0)
    assert "ttl=62" in ping_output(h1, BEHIND)  # the switch, then r1
    shown = chassis.show("show ip route")
    records = parse_output(platform="hp_procurve", command="show ip route", data=shown)
    assert {"destination": "10.99.0.0/24", "gateway": "10.0.30.3", "vlan_name": "30",
            "type": "static", "subtype": "", "metric": "1", "distance": "1"} in records, records
    assert {r["destination"] for r in records if r["type"] == "connected"} >= \
        {"10.0.10.0/24", "10.0.20.0/24", "10.0.30.0/24"}
    trace = chassis.show(f"traceroute {BEHIND} maxttl 4 timeout 2")
    hops = [line.split()[:2] for line in trace.splitlines() if re.match(r"^\s+\d+\s+[\d*]", line)]
    assert hops == [["1", "10.0.30.3"], ["2", BEHIND]], trace


def test_reject_answers_unreachable_and_blackhole_drops(network: Network) -> None:
    h1, chassis = network.h1, network.chassis
    configure(chassis, "ip routing", "ip route 10.98.0.0/16 reject",
              "ip route 10.97.0.0/16 blackhole")
    eventually(lambda: "From 10.0.10.254" in ping_output(h1, "10.98.0.1"), 15,
               "the switch to answer for a reject route")
    assert "Unreachable" in ping_output(h1, "10.98.0.1")
    quiet = ping_output(h1, "10.97.0.1")
    assert "From " not in quiet and " 0 received" in quiet, quiet


def test_a_multinetted_vlan_answers_and_routes_on_each_subnet(network: Network) -> None:
    """Multinetting: VLAN 10's second address is on the switch's in-band interface too. h1,
    given an address in that subnet as well, pings it over A1; with routing on, h2 in VLAN 20
    reaches h1's address in the second subnet (a connected route of its own)."""
    h1, h2, chassis = network.h1, network.h2, network.chassis
    configure(chassis, "vlan 10", "ip address 10.0.11.254/24", "exit", "ip routing")
    ip("-n", h1.ns, "addr", "add", "10.0.11.1/24", "dev", h1.dev)
    try:
        eventually(lambda: h1.ping("10.0.11.254", count=1), 15,
                   "h1 to reach the switch's second address in VLAN 10", poll=0)
        eventually(lambda: h2.ping("10.0.11.1", count=1), 15,
                   "h2 to reach VLAN 10's second subnet routed", poll=0)
        assert "ttl=63" in ping_output(h2, "10.0.11.1")
        records = parse_output(platform="hp_procurve", command="show ip route",
                               data=chassis.show("show ip route"))
        assert {r["destination"] for r in records if r["vlan_name"] == "10"} >= \
            {"10.0.10.0/24", "10.0.11.0/24"}, records
    finally:
        ip("-n", h1.ns, "addr", "del", "10.0.11.1/24", "dev", h1.dev)


def carrier_changes(host: Host) -> int:
    return int(subprocess.run(["ip", "netns", "exec", host.ns, "cat",
                               f"/sys/class/net/{host.dev}/carrier_changes"],
                              capture_output=True, text=True, check=True).stdout)


def replies(log: Path) -> list[float]:
    """The times (`ping -D`) of the echo replies logged so far."""
    return [float(m[1]) for m in re.finditer(r"^\[(\d+\.\d+)\] .* bytes from",
                                             log.read_text(), re.M)]


def test_saved_routes_carry_traffic_again_after_a_kill_of_the_active(
        network: Network, tmp_path: Path) -> None:
    """Last in the module: it kills the active module. The saved `ip routing` and static
    route come back from the config on the new active; the longest gap in a ping every 50 ms
    from h1 to h4 (routed twice) after the kill is the outage (the interface modules reset
    when the standby takes over), printed for benchmarks/results/routing.md."""
    h1, chassis = network.h1, network.chassis
    configure(chassis, "ip routing", "ip route 10.99.0.0 255.255.255.0 10.0.30.3")
    eventually(lambda: h1.ping(BEHIND, count=1), 15, "h1 to reach h4 through r1", poll=0)
    conn = chassis.netmiko()
    try:
        conn.save_config()
    finally:
        conn.disconnect()
    log = tmp_path / "ping.txt"
    with log.open("w") as out:
        pinger = subprocess.Popen(["ip", "netns", "exec", h1.ns, "ping", "-n", "-D", "-i",
                                   "0.05", "-W", "1", BEHIND], stdout=out, text=True)
    try:
        eventually(lambda: len(replies(log)) >= 5, 10, "replies before the kill")
        flaps = carrier_changes(h1)
        killed_at = time.time()
        os.kill(chassis.module("MM1")["pid"], signal.SIGKILL)
        chassis.wait_roles({"MM1": "standby", "MM2": "active"})
        eventually(lambda: carrier_changes(h1) >= flaps + 2, 30,
                   "the interface modules' reset: h1's carrier down and up again")
        eventually(lambda: h1.ping(BEHIND, count=1), 30, "h1 to reach h4 after the switchover",
                   poll=0)
        done_at = time.time()
        eventually(lambda: len([t for t in replies(log) if t >= done_at]) >= 5, 10,
                   "replies after the switchover")
    finally:
        pinger.send_signal(signal.SIGINT)
        pinger.wait(timeout=10)
    before = [t for t in replies(log) if t < killed_at]
    after = [t for t in replies(log) if t >= killed_at]
    times = [max(before), *after]
    gaps = [(b - a, a) for a, b in itertools.pairwise(times)]
    outage, since = max(gaps)
    print(f"\nrouted-traffic outage after kill -9 of the active: {outage:.2f} s, "
          f"{since - killed_at:.2f} s after the kill")
    assert "ip route 10.99.0.0 255.255.255.0 10.0.30.3" in chassis.show("show running-config")
