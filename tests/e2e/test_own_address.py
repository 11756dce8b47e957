"""The switch's own addresses stay its own: a host on a front port that sends frames with the
switch's MAC as their source (by mistake, or to capture what is sent to the switch) does not
take that address from it."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from typing import Any

import pytest

from emulator.testing import missing_file, missing_root, missing_tool
from tests.e2e.netns import Host, Lab, configure, ip, wait_carrier
from tests.e2e.test_inband import wait_ping

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.requires(missing_root("TAP ports and namespaces")),
    pytest.mark.requires(missing_file("/dev/net/tun")),
    pytest.mark.requires(missing_tool("ip", "iproute2")),
]

SPOOFER = textwrap.dedent("""
    import socket, sys, time
    dev, source = sys.argv[1], bytes.fromhex(sys.argv[2])
    frame = b"\\xff" * 6 + source + b"\\x88\\xb5" + bytes(46)  # local experimental EtherType
    with socket.socket(socket.AF_PACKET, socket.SOCK_RAW) as sock:
        sock.bind((dev, 0))
        while True:
            sock.send(frame)
            time.sleep(0.01)
""")
PINGS = 10


def spoof(host: Host, mac: str) -> subprocess.Popen[bytes]:
    """Broadcasts from `host` with `mac` as their source, every 10 ms until killed."""
    return subprocess.Popen(["ip", "netns", "exec", host.ns, sys.executable, "-c", SPOOFER,
                             host.dev, mac.replace(":", "").replace("-", "")])


def test_a_host_sending_as_the_switch_does_not_take_its_address(
        chassis_factory: Any, lab: Lab) -> None:
    chassis = chassis_factory.start("--port", f"A1=tap:{lab.tap('h1')}",
                                    "--port", f"A2=tap:{lab.tap('h2')}")
    h1 = lab.host("h1", "10.0.0.1/24")
    h2 = lab.host("h2", "10.0.0.2/24")
    configure(chassis, "vlan 1", "ip address 10.0.0.5/24", "exit")
    for host in (h1, h2):
        wait_carrier(host, up=True)
    wait_ping(h1, "10.0.0.5")
    netns = chassis.status()["chassis"]["mgmt_netns"]
    vlan_mac = ip("-n", netns, "-o", "link", "show", "vlan1").split("link/ether ")[1].split()[0]
    system = chassis.show("show system")
    base_mac = system.split("Base MAC Addr")[1].split(":", 1)[1].split()[0]
    spoofers = [spoof(h2, mac) for mac in {vlan_mac, base_mac}]
    try:
        pinged = subprocess.run(["ip", "netns", "exec", h1.ns, "ping", "-n", "-c", str(PINGS),
                                 "-i", "0.2", "-W", "1", "10.0.0.5"],
                                capture_output=True, text=True, timeout=30)
        table = chassis.show("show mac-address")
    finally:
        for spoofer in spoofers:
            spoofer.kill()
            spoofer.wait()
    assert f"{PINGS} received" in pinged.stdout, pinged.stdout
    own = {mac.replace(":", "").lower() for mac in (vlan_mac, base_mac)}
    listed = {line.split()[0].replace("-", "") for line in table.splitlines()
              if line.strip() and line.split()[0].count("-") == 1}
    assert h1.mac().replace("-", "") in listed, table  # the table is read right
    assert not own & listed, table
    counted = {p["port"]: p["own_address_frames"] for p in chassis.status()["ports"]}
    assert counted["A2"] > 0 and counted["A1"] == 0, counted  # the spoofer's port, counted
