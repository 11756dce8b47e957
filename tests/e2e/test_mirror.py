"""Port mirroring on the wire: with `mirror 1 port A3` and `interface A1 monitor all both
mirror 1`, a host on A3 (in a VLAN of its own, so nothing reaches it by flooding) sees the
ICMP echo requests h1 on A1 sends to h2 and h2's replies, as a SPAN port does. Hosts are
namespaces on the chassis' TAP ports; their kernels make the traffic."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from emulator.testing import ChassisFactory, eventually, missing_file, missing_root, missing_tool
from tests.e2e.netns import Lab, configure, wait_carrier

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.requires(missing_root("TAP ports and namespaces")),
    pytest.mark.requires(missing_file("/dev/net/tun")),
    pytest.mark.requires(missing_tool("ip", "iproute2")),
    pytest.mark.requires(missing_tool("ping", "iputils-ping")),
]

SNIFF = textwrap.dedent("""
    import socket, sys, time
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
    s.bind((sys.argv[1], 0))
    s.settimeout(1)
    print("ready", flush=True)
    wanted = {(bytes([10, 0, 1, 1]), bytes([10, 0, 1, 2]), 8),
              (bytes([10, 0, 1, 2]), bytes([10, 0, 1, 1]), 0)}
    deadline = time.monotonic() + 20
    while wanted and time.monotonic() < deadline:
        try:
            frame = s.recv(2048)
        except TimeoutError:
            continue
        if frame[12:14] == b"\\x08\\x00" and frame[23] == 1:
            wanted.discard((frame[26:30], frame[30:34], frame[34]))
    print("seen" if not wanted else "missed", flush=True)
""")
"""Prints `ready` once listening, then `seen` when both an echo request h1 -> h2 and its reply
arrived, or `missed` after 20 s (a deadline: the switch's own LLDP adverts keep the socket
from ever idling)."""


def test_a_monitored_ports_traffic_reaches_the_mirror_port(tmp_path: Path) -> None:
    lab, factory = Lab(), ChassisFactory(tmp_path)
    sniffer: subprocess.Popen[str] | None = None
    try:
        chassis = factory.start(*(a for name, port in (("h1", "A1"), ("h2", "A2"), ("h3", "A3"))
                                  for a in ("--port", f"{port}=tap:{lab.tap(name)}")))
        h1 = lab.host("h1", "10.0.1.1/24")
        h2 = lab.host("h2", "10.0.1.2/24")
        h3 = lab.host("h3", "10.0.9.3/24")
        configure(chassis, "vlan 99", "untagged A3", "exit", "mirror 1 port A3",
                  "interface A1 monitor all both mirror 1")
        for host in (h1, h2, h3):
            wait_carrier(host, up=True)
        eventually(lambda: h1.ping(h2.address, count=1), 15, "h1 to reach h2", poll=0)
        sniffer = subprocess.Popen(["ip", "netns", "exec", h3.ns, sys.executable, "-c", SNIFF,
                                    h3.dev], stdout=subprocess.PIPE, text=True)
        assert sniffer.stdout is not None and sniffer.stdout.readline() == "ready\n"
        assert h1.ping(h2.address, count=3)
        assert sniffer.stdout.readline() == "seen\n"
        assert "  Port: A1            Both" in chassis.show("show monitor 1")
    finally:
        if sniffer is not None:
            sniffer.kill()
            sniffer.wait()
        factory.stop_all()
        lab.close()
