"""Loop protection on the wire: a cable (a veth pair) between two ports of one switch, as a
user loops a patch lead; the switch's own loop-protect frame comes back, the port that sent it
goes down (carrier and all), hosts on other ports keep talking, and after the disable timer the
port comes back, finds the loop still there and goes down again. snmptrapd hears the
loop-detected notification without anyone running a command (the active module reads the
fabric every transmit interval while ports are protected)."""

from __future__ import annotations

import contextlib
import subprocess
from pathlib import Path
from typing import Any

import pytest

from emulator.testing import eventually, missing_file, missing_root, missing_tool
from tests.e2e.netns import Lab, startup_config, veth_cable, wait_carrier
from tests.e2e.snmp_receiver import receiving

LOOP_DETECTED = ".1.3.6.1.4.1.11.2.14.11.5.1.12.1.5.0.1"
"""HP-ICF-BRIDGE hpicfBridgeLoopProtectLoopDetectedNotification."""
LOOP_COUNT = ".1.3.6.1.4.1.11.2.14.11.5.1.12.1.5.2.1.1.4"
RECEIVER_ACTION = ".1.3.6.1.4.1.11.2.14.11.5.1.12.1.5.2.1.1.5"

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.requires(missing_root("TAP ports, veths and namespaces")),
    pytest.mark.requires(missing_file("/dev/net/tun")),
    pytest.mark.requires(missing_tool("ip", "iproute2")),
]


def rows(switch: Any) -> dict[str, list[str]]:
    """`show loop-protect`'s rows: Protect, Detected, Count, [Since,] Action, Status."""
    return {line.split()[0]: line.split()[1:] for line in switch.show("show loop-protect")
            .splitlines() if line.startswith("  A")}


def test_a_looped_cable_disables_the_sender_and_the_timer_brings_it_back(
        chassis_factory: Any, lab: Lab, tmp_path: Path) -> None:
    cable = (lab.tap("c1"), lab.tap("c2"))
    stack = contextlib.ExitStack()
    veth_cable(*cable)
    try:
        receiver = stack.enter_context(receiving(tmp_path / "receiver"))
        switch = chassis_factory.start(
            "--startup-config", startup_config(tmp_path, "loop-protect A1-A2",
                                               "loop-protect transmit-interval 1",
                                               "loop-protect disable-timer 2",
                                               "loop-protect trap loop-detected",
                                               "snmp-server host 127.0.0.1 community public"),
            "--port", f"A1=afpacket:{cable[0]}", "--port", f"A2=afpacket:{cable[1]}",
            "--port", f"A3=tap:{lab.tap('h1')}", "--port", f"A4=tap:{lab.tap('h2')}",
            env={"PROCURVE_SNMP_TRAP_PORT": str(receiver.port)})
        [trap] = receiver.wait_for(LOOP_DETECTED)[:1]  # no command has run yet
        assert f"{LOOP_COUNT}." in trap and f"{RECEIVER_ACTION}." in trap, trap
        assert "= INTEGER: 1" in trap.split(f"{RECEIVER_ACTION}.")[1], trap  # disableTx
        h1, h2 = lab.host("h1", "10.0.0.1/24"), lab.host("h2", "10.0.0.2/24")
        for host in (h1, h2):
            wait_carrier(host, up=True)
        seen: list[dict[str, list[str]]] = [{}]

        def looped(at_least: int) -> bool:
            seen[0] = rows(switch)
            return any(r[1] == "Yes" and r[-1] == "Down" and int(r[2]) >= at_least
                       for r in seen[0].values())

        eventually(lambda: looped(1), 10, lambda: f"a port down for the loop: {seen[0]}",
                   poll=0.3)
        assert h1.ping(h2.address, count=3)  # no storm drowns the other ports
        # The timer (2 s) brings the sender back; the loop is still there: down again.
        eventually(lambda: looped(2), 15, lambda: f"a second detection: {seen[0]}", poll=0.3)
        log = switch.show("show log")
        assert " 00884 loop-protect: port A" in log and " disabled - loop detected." in log
        assert " 00898 ports: Loop Protect(62) has disabled port A" in log
    finally:
        stack.close()
        subprocess.run(["ip", "link", "del", cable[0]], capture_output=True, check=False)
