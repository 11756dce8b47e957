"""Spanning tree on the wire: three emulated switches in a triangle of UDP tunnel links, a host
on each (TAP ports in namespaces). The tree blocks exactly one port, the hosts reach each
other without a storm, and cutting a forwarding link reconverges by proposal/agreement."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any

import pytest

from emulator.testing import eventually, missing_file, missing_root, missing_tool
from tests.e2e.netns import Host, Lab, configure, free_udp_port, wait_carrier

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.requires(missing_root("TAP ports and namespaces")),
    pytest.mark.requires(missing_file("/dev/net/tun")),
    pytest.mark.requires(missing_tool("ip", "iproute2")),
]

LINKS = (("s1", "A2", "s2", "A2"), ("s1", "A3", "s3", "A2"), ("s2", "A3", "s3", "A3"))
"""The triangle: s1 is the root (priority 1), s2 next (priority 4), so s3's port toward s2 is
the one that blocks."""
PRIORITY = {"s1": 1, "s2": 4, "s3": 8}
RECONVERGE = 3.0
"""The issue's bound: a cut forwarding link -> connectivity back within 3 s (RSTP)."""
QUIET_FRAMES = 200
"""Frames an inter-switch port may receive in QUIET_WINDOW once the pings stop: BPDUs every
2 s and LLDP adverts; a loop would carry thousands."""
QUIET_WINDOW = 4.0


def port_row(switch: Any, port: str) -> list[str]:
    """`show spanning-tree`'s row for a port: Port Type | Cost Prio State | Bridge ..."""
    for line in switch.show("show spanning-tree").splitlines():
        words = line.split()
        if words[:1] == [port] and "|" in words:
            return words
    return []


def state(switch: Any, port: str) -> str:
    row = port_row(switch, port)
    return row[5] if len(row) > 5 else ""


def frames_in(switch: Any, port: str) -> int:
    text = switch.show(f"show interfaces {port}")
    return sum(int(n.replace(",", "")) for n in re.findall(
        r"(?:Unicast|Bcast/Mcast) Rx\s*:\s*([\d,]+)", text))


@pytest.fixture
def triangle(chassis_factory: Any, lab: Lab) -> Iterator[tuple[dict[str, Any], dict[str, Host]]]:
    ports: dict[str, list[str]] = {name: ["--port", f"A1=tap:{lab.tap('h' + name)}"]
                                   for name in PRIORITY}
    for a, pa, b, pb in LINKS:
        la, lb = free_udp_port(), free_udp_port()
        ports[a] += ["--port", f"{pa}=udp:{la}:127.0.0.1:{lb}"]
        ports[b] += ["--port", f"{pb}=udp:{lb}:127.0.0.1:{la}"]
    switches = {name: chassis_factory.start(*args) for name, args in ports.items()}
    for name, switch in switches.items():
        configure(switch, "spanning-tree", f"spanning-tree priority {PRIORITY[name]}",
                  f"hostname {name}")
    hosts = {name: lab.host("h" + name, f"10.0.0.{i}/24")
             for i, name in enumerate(PRIORITY, start=1)}
    for host in hosts.values():
        wait_carrier(host, up=True)
    yield switches, hosts


def test_a_triangle_blocks_one_port_and_reconverges_when_a_link_is_cut(
        triangle: tuple[dict[str, Any], dict[str, Host]]) -> None:
    switches, hosts = triangle
    s1, s3 = switches["s1"], switches["s3"]
    eventually(lambda: state(s3, "A3") == "Blocking", 15,
               lambda: f"s3 A3 blocks: {port_row(s3, 'A3')}", poll=0.5)
    assert "  CST Root Port        : This switch is root" in s1.show("show spanning-tree")
    assert "  CST Root Port        : A2" in s3.show("show spanning-tree")
    forwarding = {(n, p): state(switches[n], p) for n, p in
                  (("s1", "A2"), ("s1", "A3"), ("s2", "A2"), ("s2", "A3"), ("s3", "A2"))}
    assert set(forwarding.values()) == {"Forwarding"}, forwarding  # exactly one port blocks
    ist = s3.show("show spanning-tree instance ist")
    assert any(line.split()[:5] == ["A3", "100/1000T", "20000", "128", "Alternate"]
               for line in ist.splitlines()), ist

    eventually(lambda: hosts["s1"].ping(hosts["s3"].address, count=1), 10, "h1 -> h3")
    assert hosts["s1"].ping(hosts["s2"].address) and hosts["s2"].ping(hosts["s3"].address)

    before = {(n, p): frames_in(switches[n], p) for n, p in (("s1", "A2"), ("s3", "A3"))}
    time.sleep(QUIET_WINDOW)  # the window the storm would fill: nothing to await
    after = {key: frames_in(switches[key[0]], key[1]) for key in before}
    assert all(after[k] - before[k] < QUIET_FRAMES for k in before), (before, after)

    # Cut the s1-s3 link at both ends (a pulled cable): s3's blocked port takes over.
    configure(s1, "interface A3", "disable", "exit")
    configure(s3, "interface A2", "disable", "exit")
    eventually(lambda: hosts["s1"].ping(hosts["s3"].address, count=1), RECONVERGE,
               "h1 reaches h3 again within 3 s", poll=0.05)
    assert state(s3, "A3") == "Forwarding"
    assert "  CST Root Port        : A3" in s3.show("show spanning-tree")
