"""Trunks on the wire: an LACP trunk of two links to an Open vSwitch bond (`lacp=active`, the
userspace datapath), an LACP trunk and a static trunk between two emulated switches joined by
two UDP tunnel links. Each bundles both links, carries the hosts' traffic without a loop, and
keeps it when a member goes down; IEEE8023-LAG-MIB names the trunk each member is attached to."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from emulator import hardware
from emulator.testing import eventually, missing_file, missing_root, missing_tool, require
from tests.e2e.netns import (
    Host,
    Lab,
    configure,
    free_udp_port,
    ip,
    quiet,
    startup_config,
    veth_cable,
    wait_carrier,
)
from tests.e2e.openvswitch import OpenVSwitch, missing_ovs, running_ovs
from tests.e2e.test_snmp import net_snmp, values

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.requires(missing_root("TAP ports, veths and namespaces")),
    pytest.mark.requires(missing_file("/dev/net/tun")),
    pytest.mark.requires(missing_tool("ip", "iproute2")),
]

ATTACHED_AGG_ID = ".1.2.840.10006.300.43.1.2.1.1.13"
"""IEEE8023-LAG-MIB dot3adAggPortAttachedAggID: the trunk's ifIndex on each member."""
CONVERGE = 15.0
"""Seconds an LACP trunk has to form (a partner answers within a second; the switches' own
start under a loaded machine is the slow part)."""


def lacp_rows(switch: Any) -> dict[str, list[str]]:
    """`show lacp`'s rows by port: Enabled, Group, Status, Partner, LACP Status, keys."""
    rows = {}
    for line in switch.show("show lacp").splitlines():
        words = line.split()
        if len(words) == 8 and words[1] in ("Active", "Passive"):
            rows[words[0]] = words[1:]
    return rows


def wait_bundled(switch: Any, ports: tuple[str, ...]) -> None:
    """Every port's LACP partner is there and its link up."""
    seen: list[dict[str, list[str]]] = [{}]

    def bundled() -> bool:
        seen[0] = lacp_rows(switch)
        return all(seen[0].get(p, [])[2:4] == ["Up", "Yes"] for p in ports)

    eventually(bundled, CONVERGE, lambda: f"{ports} bundled in {seen[0]}", poll=0.5)


def keeps_pinging(host: Host, target: str) -> None:
    """Connectivity after a change: a ping that gets through within the deadline (frames on
    a link being taken out of the bundle may be lost meanwhile)."""
    eventually(lambda: host.ping(target, count=1), 10, lambda: f"{host.ns} -> {target}")


def frames_in(switch: Any, port: str) -> int:
    """Frames a port received, from `show interfaces PORT` (unicast, broadcast, multicast):
    a trunk member counts its own."""
    text = switch.show(f"show interfaces {port}")
    values = [int(line.split(":")[1].split()[0].replace(",", "")) for line in text.splitlines()
              if line.split(":")[0].strip() in ("Unicast Rx", "Bcast/Mcast Rx")]
    assert len(values) == 2, text
    return sum(values)


@pytest.fixture
def ovs() -> Iterator[OpenVSwitch]:
    require(missing_ovs())
    home = Path(tempfile.mkdtemp(prefix="pe-ovs-"))  # short: unix socket paths are limited
    try:
        with running_ovs(home) as switch:
            yield switch
    finally:
        shutil.rmtree(home, ignore_errors=True)


def ovs_host(lab: Lab, ovs: OpenVSwitch, bridge: str, name: str, address: str) -> Host:
    """A host namespace on an OVS bridge port."""
    ns, port, dev = f"pe-{lab.tag}-{name}", lab.tap(name), f"pe{lab.tag}{name}h"
    ip("netns", "add", ns)
    lab.namespaces.append(ns)
    ip("link", "add", port, "type", "veth", "peer", "name", dev, "netns", ns)
    ip("link", "set", port, "up")
    quiet(ns)
    ip("-n", ns, "link", "set", dev, "up")
    ip("-n", ns, "addr", "add", address, "dev", dev)
    ovs.vsctl("add-port", bridge, port)
    return Host(ns, dev, address.split("/")[0])


@pytest.mark.parametrize(("config", "group", "key"), [
    (("trunk A1-A2 trk1 lacp",), "Trk1", 289),
    (("interface A1-A2", "lacp active", "exit"), "Dyn1", 300),
], ids=["static-lacp", "dynamic-lacp"])
def test_lacp_trunk_to_an_open_vswitch_bond(chassis_factory: Any, lab: Lab, ovs: OpenVSwitch,
                                            tmp_path: Path, config: tuple[str, ...], group: str,
                                            key: int) -> None:
    """A static LACP trunk (`trunk ... lacp`, Trk1) and a dynamic one (`lacp active` on the
    ports: the switch forms Dyn1 when the partner answers)."""
    links = [(lab.tap(f"s{n}"), lab.tap(f"o{n}")) for n in (1, 2)]
    try:
        for ours, theirs in links:
            veth_cable(ours, theirs)
        switch = chassis_factory.start(
            "--startup-config", startup_config(tmp_path, *config,
                                               'snmp-server community "public" unrestricted'),
            "--port", f"A1=afpacket:{links[0][0]}", "--port", f"A2=afpacket:{links[1][0]}",
            "--port", f"A3=tap:{lab.tap('h1')}")
        h1 = lab.host("h1", "10.0.0.1/24")
        bridge = f"pe{lab.tag}br"
        ovs.add_bridge(bridge)
        ovs.vsctl("add-bond", bridge, "bond0", links[0][1], links[1][1], "lacp=active",
                  "bond_mode=balance-slb")
        h2 = ovs_host(lab, ovs, bridge, "h2", "10.0.0.2/24")
        wait_carrier(h1, up=True)
        wait_bundled(switch, ("A1", "A2"))
        trunk = str(hardware.if_index(group))

        def disagreements() -> list[str]:
            """What the two ends do not yet agree on (nothing once the trunk has formed):
            each end's view of the other converges on its own schedule, so the whole
            picture is awaited, not the first symptom of it."""
            bond = ovs.appctl("bond/show", "bond0")
            peer = switch.show("show lacp peer")
            base = next((line.split()[-1] for line in peer.splitlines()
                         if line.startswith("System ID:")), "").replace("-", "")
            lacp = ovs.appctl("lacp/show", "bond0")
            rows = lacp_rows(switch)
            attached = values(net_snmp("snmpwalk", switch, ATTACHED_AGG_ID).stdout)
            checks = {
                f"OVS's members both enabled, negotiated: {bond}":
                    bond.count(": enabled") == 2 and "lacp_status: negotiated" in bond,
                # OVS's partner is our base MAC with the trunk's key on both members.
                f"OVS's partner {base} on both members: {lacp}": bool(base) and lacp.count(
                    "partner sys_id: " + ":".join(base[i:i + 2] for i in range(0, 12, 2))) == 2,
                f"OVS's partner key {key} on both members: {lacp}":
                    lacp.count(f"partner key: {key}") == 2,
                f"both members in {group}: {rows}": [row[1] for row in rows.values()]
                    == [group, group],
                # OVS's own lacp-time (slow by default)
                f"two Active Slow partners: {peer}": peer.count(" Active   Slow") == 2,
                f"both members attached to {trunk}: {attached}": attached == {
                    f"{ATTACHED_AGG_ID}.1": trunk, f"{ATTACHED_AGG_ID}.2": trunk},
            }
            return [what for what, holds in checks.items() if not holds]

        eventually(lambda: not disagreements(), CONVERGE, lambda: f"{disagreements()}",
                   poll=0.5)
        keeps_pinging(h1, h2.address)
        assert h1.ping(h2.address, count=5)
        macs = switch.show("show mac-address")
        assert any(h2.mac() in line and group in line for line in macs.splitlines()), macs

        # A member goes down (its cable pulled): the trunk carries on over the other one.
        ip("link", "del", links[1][0])
        links.pop()
        eventually(lambda: lacp_rows(switch).get("A2", [])[2:3] == ["Down"], 10,
                   lambda: f"A2 down in {lacp_rows(switch)}")
        keeps_pinging(h1, h2.address)
        assert h1.ping(h2.address, count=5)
    finally:
        for ours, _ in links:
            subprocess.run(["ip", "link", "del", ours], capture_output=True, check=False)


def two_switches(chassis_factory: Any, lab: Lab, tmp_path: Path,
                 statement: str) -> tuple[Any, Any, Host, Host]:
    """Two switches joined by two UDP links (A23, A24) bundled by `statement`, a host on
    each one's A1."""
    p = [free_udp_port() for _ in range(4)]
    config = startup_config(tmp_path, statement)
    s1 = chassis_factory.start("--startup-config", config,
                               "--port", f"A1=tap:{lab.tap('a1')}",
                               "--port", f"A23=udp:{p[0]}:127.0.0.1:{p[1]}",
                               "--port", f"A24=udp:{p[2]}:127.0.0.1:{p[3]}")
    s2 = chassis_factory.start("--startup-config", config,
                               "--port", f"A1=tap:{lab.tap('b1')}",
                               "--port", f"A23=udp:{p[1]}:127.0.0.1:{p[0]}",
                               "--port", f"A24=udp:{p[3]}:127.0.0.1:{p[2]}")
    h1, h2 = lab.host("a1", "10.0.0.1/24"), lab.host("b1", "10.0.0.2/24")
    for host in (h1, h2):
        wait_carrier(host, up=True)
    return s1, s2, h1, h2


def test_lacp_trunk_between_two_switches(chassis_factory: Any, lab: Lab,
                                         tmp_path: Path) -> None:
    s1, s2, h1, h2 = two_switches(chassis_factory, lab, tmp_path, "trunk A23-A24 trk1 lacp")
    for switch in (s1, s2):
        wait_bundled(switch, ("A23", "A24"))
    keeps_pinging(h1, h2.address)
    trunks = s1.show("show trunks")
    assert "  A23    |" in trunks and "| Trk1  LACP    " in trunks
    # A member disabled on one side: the other side's partner falls silent and is dropped.
    configure(s2, "interface A24", "disable", "exit")
    eventually(lambda: lacp_rows(s1).get("A24", [])[3:4] == ["No"], 10,
               lambda: f"A24's partner gone in {lacp_rows(s1)}")
    keeps_pinging(h1, h2.address)
    assert h1.ping(h2.address, count=5)
    # Warm standby: a kill -9 of s1's active module resets its interface modules; the new
    # active boots the same trunk from flash and LACP bundles what it can again.
    s1.switchover()
    wait_bundled(s1, ("A23",))
    assert lacp_rows(s1)["A24"][3] == "No"
    keeps_pinging(h1, h2.address)
    assert "trunk A23-A24 trk1 lacp" in s1.show("show running-config")


def test_static_trunk_between_two_switches_has_no_loop(chassis_factory: Any, lab: Lab,
                                                        tmp_path: Path) -> None:
    s1, _, h1, h2 = two_switches(chassis_factory, lab, tmp_path, "trunk A23-A24 trk1 trunk")
    keeps_pinging(h1, h2.address)
    assert h1.ping(h2.address, count=5)
    # Broadcasts (ARP) crossed the two parallel links: a loop would multiply them without
    # end. Bounded: what a few pings, ARPs and LLDP adverts make.
    received = frames_in(s1, "A23") + frames_in(s1, "A24")
    assert 0 < received < 200
    assert h1.ping(h2.address, count=3)
    assert frames_in(s1, "A23") + frames_in(s1, "A24") < received + 40
    assert lacp_rows(s1) == {}  # a static trunk speaks no LACP
