"""DHCP relay through the switch: a client in VLAN 20 (busybox udhcpc in a namespace) gets its
lease from ISC dhcpd in VLAN 10 (another namespace, its own config, lease and pid files),
relayed by the active module's agent with VLAN 20's address as the giaddr; `show dhcp-relay`
counts it, the new active module relays after a kill -9 of the active, and `no dhcp-relay`
stops it."""

from __future__ import annotations

import os
import signal
import subprocess
import textwrap
from pathlib import Path
from typing import Any

import pytest

from emulator.testing import eventually, missing_file, missing_root, missing_tool
from tests.e2e.netns import Host, Lab, configure, ip, wait_carrier

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.requires(missing_root("TAP ports and namespaces")),
    pytest.mark.requires(missing_file("/dev/net/tun")),
    pytest.mark.requires(missing_tool("ip", "iproute2")),
    pytest.mark.requires(missing_tool("dhcpd", "isc-dhcp-server")),
    pytest.mark.requires(missing_tool("busybox", "busybox")),
]

DHCPD_CONF = textwrap.dedent("""
    default-lease-time 600;
    max-lease-time 600;
    authoritative;
    subnet 10.0.10.0 netmask 255.255.255.0 {}
    subnet 10.0.20.0 netmask 255.255.255.0 {
        range 10.0.20.100 10.0.20.110;
        option routers 10.0.20.254;
    }
""")
UDHCPC_SCRIPT = '#!/bin/sh\n[ "$1" = bound ] && echo "bound ip=$ip router=$router"\nexit 0\n'


def dhcp_server(host: Host, tmp: Path) -> subprocess.Popen[str]:
    (tmp / "dhcpd.conf").write_text(DHCPD_CONF)
    (tmp / "dhcpd.leases").touch()
    return subprocess.Popen(
        ["ip", "netns", "exec", host.ns, "dhcpd", "-4", "-f", "-d", "-cf",
         str(tmp / "dhcpd.conf"), "-lf", str(tmp / "dhcpd.leases"), "-pf",
         str(tmp / "dhcpd.pid"), host.dev],
        stdout=subprocess.DEVNULL, stderr=(tmp / "dhcpd.log").open("w"), text=True)


def lease(host: Host, tmp: Path, tries: int = 5) -> str:
    """udhcpc's `bound` line, or its output when it got no lease."""
    script = tmp / "udhcpc.sh"
    script.write_text(UDHCPC_SCRIPT)
    script.chmod(0o755)
    done = subprocess.run(["ip", "netns", "exec", host.ns, "busybox", "udhcpc", "-i", host.dev,
                           "-f", "-q", "-n", "-t", str(tries), "-T", "1", "-s", str(script)],
                          capture_output=True, text=True, timeout=60)
    return done.stdout + done.stderr


def test_client_in_vlan_20_gets_a_lease_from_a_server_in_vlan_10(
        chassis_factory: Any, lab: Lab, tmp_path: Path) -> None:
    chassis = chassis_factory.start("--port", f"A1=tap:{lab.tap('srv')}",
                                    "--port", f"A2=tap:{lab.tap('cli')}")
    server = lab.host("srv", "10.0.10.2/24")
    ip("-n", server.ns, "route", "add", "default", "via", "10.0.10.254")
    client = lab.host("cli", "169.254.20.9/16")  # link-local only: its lease comes by DHCP
    configure(chassis, "vlan 10", "untagged A1", "ip address 10.0.10.254/24", "exit",
              "vlan 20", "untagged A2", "ip address 10.0.20.254/24",
              "ip helper-address 10.0.10.2", "exit")
    for host in (server, client):
        wait_carrier(host, up=True)
    eventually(lambda: server.ping("10.0.10.254", count=1), 15, "the switch's VLAN 10 address",
               poll=0)
    dhcpd = dhcp_server(server, tmp_path)
    try:
        got = eventually(lambda: "bound ip=10.0.20." in (out := lease(client, tmp_path))
                         and out, 60, "a lease for the VLAN 20 client")
        assert "bound ip=10.0.20.10" in got and "router=10.0.20.254" in got, got
        log = (tmp_path / "dhcpd.log").read_text()
        assert "DHCPDISCOVER from" in log and "via 10.0.20.254" in log, log
        counts = chassis.show("show dhcp-relay").splitlines()[-1].split()
        assert int(counts[0]) >= 2 and int(counts[2]) >= 2, counts  # discover+request, offer+ack

        # The saved helpers come back on the new active module, whose agent relays again.
        conn = chassis.netmiko()
        try:
            conn.save_config()
        finally:
            conn.disconnect()
        os.kill(chassis.module("MM1")["pid"], signal.SIGKILL)
        chassis.wait_roles({"MM1": "standby", "MM2": "active"})
        again = eventually(lambda: "bound ip=10.0.20." in (out := lease(client, tmp_path))
                           and out, 60, "a lease relayed by the new active module")
        assert "router=10.0.20.254" in again, again

        configure(chassis, "no dhcp-relay")
        assert "bound ip=" not in lease(client, tmp_path, tries=2)
    finally:
        dhcpd.kill()
        dhcpd.wait()
