"""In-band management: a VLAN address of the switch answers ARP and ping and serves SSH, telnet
and SNMP to hosts (network namespaces) on that VLAN; `ping` and `show arp` use the same stack."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from typing import Any

import pytest

from emulator.testing import eventually, missing_file, missing_root, missing_tool
from tests.e2e.netns import Host, Lab, configure, ip, wait_carrier

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.requires(missing_root("TAP ports and namespaces")),
    pytest.mark.requires(missing_file("/dev/net/tun")),
    pytest.mark.requires(missing_tool("ip", "iproute2")),
]

NETMIKO_FROM_HOST = textwrap.dedent("""
    import sys
    from netmiko import ConnectHandler
    kind, host = sys.argv[1:3]
    conn = ConnectHandler(device_type=kind, host=host, username="manager", password="manager")
    print(conn.send_command("show ip"))
    conn.disconnect()
""")


def netmiko_from(host: Host, kind: str, address: str) -> str:
    """A netmiko session run inside the host's namespace: the client's packets really cross
    the switch's ports to its VLAN address."""
    done = subprocess.run(["ip", "netns", "exec", host.ns, sys.executable, "-c",
                           NETMIKO_FROM_HOST, kind, address],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


def wait_ping(host: Host, target: str) -> None:
    eventually(lambda: host.ping(target, count=1), 10,  # ports and the VLAN interface come up
               f"{target} to answer {host.ns}", poll=0)


def test_vlan_address_serves_ping_ssh_telnet_and_the_cli_uses_the_stack(
        chassis_factory: Any, lab: Lab) -> None:
    chassis = chassis_factory.start("--port", f"A1=tap:{lab.tap('h1')}",
                                    "--port", f"A2=tap:{lab.tap('h2')}")
    netns = chassis.status()["chassis"]["mgmt_netns"]
    assert netns and netns in ip("netns", "list")
    h1 = lab.host("h1", "10.0.0.1/24")
    h2 = lab.host("h2", "10.0.20.1/24")
    configure(chassis, "vlan 1", "ip address 10.0.0.5/24", "exit",
              "vlan 20", "untagged A2", "ip address 10.0.20.5 255.255.255.0", "exit")
    for host in (h1, h2):
        wait_carrier(host, up=True)
    wait_ping(h1, "10.0.0.5")
    wait_ping(h2, "10.0.20.5")
    assert not h1.ping("10.0.20.5", count=1)  # not routed: the switch is no router

    shown = netmiko_from(h1, "hp_procurve", "10.0.0.5")
    assert "10.0.0.5" in shown and "10.0.20.5" in shown
    assert "10.0.20.5" in netmiko_from(h2, "hp_procurve_telnet", "10.0.20.5")
    sys_name = subprocess.run(["ip", "netns", "exec", h1.ns, "snmpget", "-v2c", "-c", "public",
                               "-On", "-t", "2", "10.0.0.5", "1.3.6.1.2.1.1.5.0"],
                              capture_output=True, text=True, timeout=30)
    assert sys_name.stdout.strip() == '.1.3.6.1.2.1.1.5.0 = STRING: "HP-8212zl"', sys_name

    conn = chassis.netmiko()
    try:
        alive = conn.send_command("ping 10.0.0.1", expect_string=r"#")
        assert "10.0.0.1 is alive, time = " in alive
        lost = conn.send_command("ping 10.0.0.99 timeout 1", expect_string=r"#")
        assert "Request timed out." in lost
        sourced = conn.send_command("ping 10.0.0.1 data-size 200 source 1 tos 16",
                                    expect_string=r"#")
        assert "10.0.0.1 is alive, time = " in sourced
        wrong_vlan = conn.send_command("ping 10.0.0.1 timeout 1 source 20", expect_string=r"#")
        assert "Request timed out." in wrong_vlan  # VLAN 20's interface does not reach h1
        arp = conn.send_command("show arp")
    finally:
        conn.disconnect()
    row = next(line.split() for line in arp.splitlines() if line.strip().startswith("10.0.0.1 "))
    assert row == ["10.0.0.1", h1.mac(), "dynamic", "A1"]
    assert not any(line.split()[:1] == ["000000-000000"] for line in arp.splitlines())
    own = chassis.show("show mac-address")
    assert h1.mac() in own
    chassis_factory.stop_all()
    assert netns not in ip("netns", "list")  # the chassis took its namespace with it


def test_saved_address_comes_back_after_a_switchover(chassis_factory: Any, lab: Lab) -> None:
    """The saved addresses, a multinetted VLAN's second one too, come back on the new active
    from its flash; the unsaved change is lost."""
    chassis = chassis_factory.start("--port", f"A1=tap:{lab.tap('h1')}")
    h1 = lab.host("h1", "10.0.0.1/24")
    ip("-n", h1.ns, "addr", "add", "10.0.1.1/24", "dev", h1.dev)
    configure(chassis, "vlan 1", "ip address 10.0.0.5/24", "ip address 10.0.1.5/24", "exit")
    conn = chassis.netmiko()
    try:
        conn.save_config()
        conn.send_config_set(["vlan 1", "no ip address 10.0.0.5/24", "ip address 10.0.0.6/24",
                              "exit"])  # unsaved; one subnet takes one address
    finally:
        conn.disconnect()
    wait_carrier(h1, up=True)
    wait_ping(h1, "10.0.0.6")
    os.kill(chassis.module("MM1")["pid"], 9)
    chassis.wait_roles({"MM1": "standby", "MM2": "active"})
    wait_ping(h1, "10.0.0.5")  # the saved addresses, from the new active's flash
    wait_ping(h1, "10.0.1.5")
    assert not h1.ping("10.0.0.6", count=1)


def test_a_namespace_left_by_a_killed_chassis_is_taken_over_and_removed(
        chassis_factory: Any) -> None:
    first = chassis_factory.start()
    netns = first.status()["chassis"]["mgmt_netns"]
    first.stopped = True  # killed below, not stopped: the factory must not expect exit 0
    first.process.kill()
    first.process.wait()
    assert netns in ip("netns", "list")  # SIGKILL gave the chassis no time to remove it
    again = chassis_factory.start(data_dir=first.data_dir)
    assert again.status()["chassis"]["mgmt_netns"] == netns
    assert again.stop() == 0
    assert netns not in ip("netns", "list")
