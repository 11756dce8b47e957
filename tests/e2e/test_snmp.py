"""The SNMP agent through net-snmp's own tools: walks of the whole view (v1, v2c), GET/SET,
the CLI and SNMP seeing one config, getMIB/walkMIB, and notifications caught by snmptrapd
across a switchover."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from emulator.testing import missing_tool
from tests.e2e.netns import free_udp_port
from tests.e2e.snmp_receiver import TrapReceiver, receiving

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.requires(missing_tool("snmpwalk", "snmp")),
]

SYS_OBJECT_ID = ".1.3.6.1.2.1.1.2.0"
SYS_NAME = ".1.3.6.1.2.1.1.5.0"
SYS_UPTIME = ".1.3.6.1.2.1.1.3.0"
IF_ADMIN = ".1.3.6.1.2.1.2.2.1.7"
IF_HC_IN = ".1.3.6.1.2.1.31.1.1.1.6"
VLAN_STATIC_NAME = ".1.3.6.1.2.1.17.7.1.4.3.1.1"
BAD_COMMUNITY_NAMES = ".1.3.6.1.2.1.11.4.0"
HA_FAILOVERS = ".1.3.6.1.4.1.11.2.14.11.1.11.2.2.0"
HA_MODULE_STATE = ".1.3.6.1.4.1.11.2.14.11.1.11.2.5.1.1"
COLD_START = ".1.3.6.1.6.3.1.1.5.1"
LINK_DOWN = ".1.3.6.1.6.3.1.1.5.3"
LINK_UP = ".1.3.6.1.6.3.1.1.5.4"


def net_snmp(tool: str, chassis: Any, *args: str, community: str = "public",
             version: str = "2c", check: bool = True) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [tool, f"-v{version}", "-c", community, "-On", "-t", "2", "-r", "1", "-m", "",
         f"127.0.0.1:{chassis.snmp_port}", *args],
        capture_output=True, text=True, timeout=60, check=False)
    if check:
        assert done.returncode == 0, done.stderr
    return done


def values(output: str) -> dict[str, str]:
    """`.1.3.6... = TYPE: value` lines as {oid: value}."""
    found = {}
    for line in output.splitlines():
        oid, sep, rest = line.partition(" = ")
        if sep:
            found[oid] = rest.split(": ", 1)[-1]
    return found


def test_whole_view_walks_in_order(chassis: Any) -> None:
    """net-snmp stops with `OID not increasing` on any ordering error."""
    walked = values(net_snmp("snmpwalk", chassis, ".1").stdout)
    bulk = values(net_snmp("snmpbulkwalk", chassis, "-Cr25", ".1").stdout)
    v1 = values(net_snmp("snmpwalk", chassis, ".1", version="1").stdout)
    assert set(walked) == set(bulk)
    assert walked[SYS_OBJECT_ID] == ".1.3.6.1.4.1.11.2.3.7.11.72"
    assert walked[".1.3.6.1.2.1.31.1.1.1.1.25"] == '"B1"'
    assert f"{IF_HC_IN}.1" in walked and f"{IF_HC_IN}.1" not in v1  # no Counter64 in v1
    assert set(v1) < set(walked)
    for table in (".1.3.6.1.2.1.47.1.1.1.1.7", ".1.3.6.1.2.1.131.1.1.1.6",
                  ".1.3.6.1.2.1.17.1.4.1.2", ".1.3.6.1.2.1.17.7.1.4.2.1.4",
                  ".1.0.8802.1.1.2.1.3.7.1.3", ".1.3.6.1.4.1.11.2.14.11.1.2.6.1.7",
                  ".1.3.6.1.4.1.11.2.14.11.5.1.1.2.1.1.1.6", HA_MODULE_STATE):
        assert any(oid.startswith(table + ".") for oid in walked), table


def test_bad_community_and_malformed_packets_get_no_answer(chassis: Any) -> None:
    wrong = net_snmp("snmpget", chassis, SYS_NAME, community="wrong", check=False)
    assert wrong.returncode != 0 and "Timeout" in wrong.stderr
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(1.0)
        sock.sendto(b"\x30\x84\xff\xff\xff\xff garbage", ("127.0.0.1", chassis.snmp_port))
        with pytest.raises(TimeoutError):
            sock.recv(100)
    counters = values(net_snmp("snmpget", chassis, BAD_COMMUNITY_NAMES,
                               ".1.3.6.1.2.1.11.6.0").stdout)
    assert counters[BAD_COMMUNITY_NAMES] == "2"  # one request, one retry
    assert counters[".1.3.6.1.2.1.11.6.0"] == "1"


def test_cli_and_snmp_share_one_config(chassis: Any) -> None:
    conn = chassis.netmiko()
    try:
        conn.send_config_set(["vlan 30", "interface A2", "disable", "exit",
                              "snmp-server community ro operator"])
        names = values(net_snmp("snmpwalk", chassis, VLAN_STATIC_NAME).stdout)
        assert names[f"{VLAN_STATIC_NAME}.30"] == '"VLAN30"'
        assert values(net_snmp("snmpget", chassis, f"{IF_ADMIN}.2").stdout) == {
            f"{IF_ADMIN}.2": "2"}

        refused = net_snmp("snmpset", chassis, f"{IF_ADMIN}.3", "i", "2", community="ro",
                           check=False)
        assert refused.returncode != 0 and "noAccess" in refused.stderr
        net_snmp("snmpset", chassis, f"{IF_ADMIN}.3", "i", "2", SYS_NAME, "s", "core-7")
        brief = conn.send_command("show interfaces brief")
        a3 = next(line for line in brief.splitlines() if line.split()[:1] == ["A3"])
        assert a3.split()[3] == "No", a3
        assert "hostname \"core-7\"" in conn.send_command("show running-config")
        bad = net_snmp("snmpset", chassis, f"{IF_ADMIN}.3", "i", "7", check=False)
        assert "wrongValue" in bad.stderr
    finally:
        conn.disconnect()


def test_getmib_and_walkmib(chassis: Any) -> None:
    conn = chassis.netmiko()
    try:
        names = conn.send_command("walkMIB ifName").splitlines()
        assert names[:2] == ["ifName.1 = A1", "ifName.2 = A2"]
        assert conn.send_command("getMIB ifSpeed.1") == "ifSpeed.1 = 1,000,000,000"
        assert conn.send_command("getMIB sysObjectID.0") == "sysObjectID.0 = hpSwitchJ9091A"
        assert "No such name." in conn.send_command("getMIB ifName.999")
        assert conn.send_command("setMIB ifAlias.5 -D uplink") == "ifAlias.5 = uplink"
        sensors = conn.send_command("walkMIB hpicfSensorObjectId").splitlines()
        assert sensors[0] == "hpicfSensorObjectId.1 = icfFanSensor"
    finally:
        conn.disconnect()
    alias = values(net_snmp("snmpget", chassis, ".1.3.6.1.2.1.31.1.1.1.18.5").stdout)
    assert list(alias.values()) == ['"uplink"']


@pytest.fixture
def trap_receiver(tmp_path: Path) -> Iterator[TrapReceiver]:
    with receiving(tmp_path / "receiver") as receiver:
        yield receiver


def uptime_of(trap: str) -> int:
    """sysUpTime.0 of a trap line, in hundredths."""
    return int(trap.split(f"{SYS_UPTIME} = Timeticks: (")[1].split(")")[0])


def test_traps_across_a_switchover(chassis_factory: Any, trap_receiver: TrapReceiver) -> None:
    wire = free_udp_port()
    chassis = chassis_factory.start("--port", f"A1=udp:{wire}:127.0.0.1:9",
                                    env={"PROCURVE_SNMP_TRAP_PORT": str(trap_receiver.port)})
    chassis.wait_roles({"MM1": "active", "MM2": "standby"})
    conn = chassis.netmiko()
    conn.send_config_set(["snmp-server host 127.0.0.1 community public"])
    conn.save_config()
    conn.send_config_set(["interface A1", "disable"])
    trap_receiver.wait_for(LINK_DOWN)
    conn.send_config_set(["interface A1", "enable"])
    [link_up] = trap_receiver.wait_for(LINK_UP)
    assert f"{IF_ADMIN}.1 = INTEGER: 1" in link_up and ".1.3.6.1.2.1.2.2.1.8.1 = INTEGER: 1" \
        in link_up
    conn.disconnect()
    before = trap_receiver.traps()

    os.kill(chassis.module("MM1")["pid"], signal.SIGKILL)
    chassis.wait_roles({"MM2": "active"})
    [cold] = trap_receiver.wait_for(COLD_START)
    trap_receiver.wait_for(LINK_UP, count=2)
    after = trap_receiver.traps()[len(before):]
    kinds = [next(k for k in (COLD_START, LINK_DOWN, LINK_UP) if k in t) for t in after]
    assert kinds == [COLD_START, LINK_DOWN, LINK_UP]
    assert uptime_of(cold) < uptime_of(link_up)  # sysUpTime restarted on the new active
    chassis.wait_ready()
    ha = values(net_snmp("snmpwalk", chassis, ".1.3.6.1.4.1.11.2.14.11.1.11.2").stdout)
    assert ha[HA_FAILOVERS] == "1"
    assert ha[f"{HA_MODULE_STATE}.5"] == "4"  # MM2 (entPhysicalIndex 5) providingService
