"""LLDP between two emulated switches joined by a UDP tunnel port (no privileges needed)."""

from __future__ import annotations

from typing import Any

import pytest

from emulator.testing import eventually
from tests.e2e.netns import configure, free_udp_port

pytestmark = pytest.mark.e2e


def wait_neighbor(switch: Any, name: str) -> str:
    tables: list[str] = []

    def table() -> str | None:
        tables[:] = [switch.show("show lldp info remote-device")]
        return tables[0] if name in tables[0] else None

    return eventually(table, 15, lambda: f"{name} in {tables}", poll=0.5)


def test_two_switches_see_each_other_in_show_lldp(chassis_factory: Any) -> None:
    p1, p2 = free_udp_port(), free_udp_port()
    s1 = chassis_factory.start("--port", f"A24=udp:{p1}:127.0.0.1:{p2}")
    s2 = chassis_factory.start("--port", f"B3=udp:{p2}:127.0.0.1:{p1}")
    configure(s1, "hostname core-1", "vlan 1", "ip address 10.1.1.1/24", "exit")
    configure(s2, "hostname edge-2")
    row = next(line.split() for line in wait_neighbor(s1, "edge-2").splitlines()
               if "edge-2" in line)
    # LocalPort | ChassisId (base MAC as six bytes) PortId (ifIndex of B3) PortDescr SysName
    assert row[:2] == ["A24", "|"] and row[-3:] == ["27", "B3", "edge-2"]
    wait_neighbor(s2, "core-1")
    # The whole advert awaited, not its first sign: an advert sent between s1's hostname and
    # its address names core-1 without 10.1.1.1 until the next one.
    expected = ["  Local Port   : B3", "  SysName      : core-1", "  PortDescr    : A24",
                "     Address : 10.1.1.1", "  Pvid         : 1",
                "  System Capabilities Supported  : bridge, router",
                "  System Capabilities Enabled    : bridge"]
    details: list[str] = [""]

    def missing() -> list[str]:
        details[0] = s2.show("show lldp info remote-device B3")
        return [line for line in expected if line not in details[0]]

    eventually(lambda: not missing(), 15, lambda: f"all of {expected} in {details[0]}",
               poll=0.5)
    assert "edge-2" not in s2.show("show lldp info remote-device")  # no echo of itself

    configure(s2, "interface B3", "disable", "exit")  # link down: its neighbour is gone
    eventually(lambda: "core-1" not in s2.show("show lldp info remote-device"), 10,
               "edge-2 forgetting core-1 when B3 goes down", poll=0.5)


def test_admin_status_and_lldp_run_act_on_the_wire(chassis_factory: Any) -> None:
    """A port set rxonly sends its shutdown advert (its neighbour forgets it) and still
    learns; `no lldp run` silences the whole switch the same way."""
    p1, p2 = free_udp_port(), free_udp_port()
    s1 = chassis_factory.start("--port", f"A24=udp:{p1}:127.0.0.1:{p2}")
    s2 = chassis_factory.start("--port", f"B3=udp:{p2}:127.0.0.1:{p1}")
    configure(s1, "hostname core-1")
    configure(s2, "hostname edge-2")
    wait_neighbor(s1, "edge-2")
    wait_neighbor(s2, "core-1")

    configure(s2, "lldp admin-status B3 rxonly")
    eventually(lambda: "edge-2" not in s1.show("show lldp info remote-device"), 15,
               "core-1 forgetting edge-2", poll=0.5)
    assert "core-1" in s2.show("show lldp info remote-device")
    assert "  B3    | Rx_Only " in s2.show("show lldp config B3")

    configure(s1, "no lldp run")
    eventually(lambda: "core-1" not in s2.show("show lldp info remote-device"), 15,
               "edge-2 forgetting core-1", poll=0.5)
    configure(s1, "lldp run")
    wait_neighbor(s2, "core-1")
