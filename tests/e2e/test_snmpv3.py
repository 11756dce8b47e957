"""SNMPv3 end to end: users made over SSH (the `snmpv3 enable` dialogue included), asked by
net-snmp's tools, and still there after `write memory`, a kill -9 of the active module and a
restart of the chassis; informs to snmptrapd configured as the manuals say (a user and
`authUser`, no engine ID), and nothing for a receiver that has another password."""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path
from typing import Any

import pytest

from emulator.testing import missing_tool
from tests.e2e.netns import free_udp_port
from tests.e2e.snmp_receiver import receiving, v3_conf

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.requires(missing_tool("snmpget", "snmp")),
]

SYS_NAME = ".1.3.6.1.2.1.1.5.0"
IF_DESCR = ".1.3.6.1.2.1.2.2.1.2"
IF_TABLE = ".1.3.6.1.2.1.2.2"
ENGINE_BOOTS = ".1.3.6.1.6.3.10.2.1.2.0"
SHA_AES = ["-l", "authPriv", "-u", "mon", "-a", "SHA", "-A", "authpass1", "-x", "AES",
           "-X", "privpass1"]
SHA256_AES = ["-l", "authPriv", "-u", "sha2", "-a", "SHA-256", "-A", "authpass4", "-x", "AES",
              "-X", "privpass4"]
MD5_AUTH = ["-l", "authNoPriv", "-u", "ro", "-a", "MD5", "-A", "authpass3"]
COLD_START = ".1.3.6.1.6.3.1.1.5.1"
LINK_DOWN = ".1.3.6.1.6.3.1.1.5.3"
LINK_UP = ".1.3.6.1.6.3.1.1.5.4"
INFORM_V3 = "INFORM, SNMP v3, user mon"


def net_snmp(tool: str, chassis: Any, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [tool, "-On", "-m", "", "-t", "2", "-r", "1", f"127.0.0.1:{chassis.snmp_port}", *args],
        capture_output=True, text=True, timeout=60, check=False)


def answer(chassis: Any, tool: str, *args: str) -> str:
    done = net_snmp(tool, chassis, *args)
    assert done.returncode == 0, done.stderr
    return done.stdout


def configure(chassis: Any) -> None:
    """The dialogue as a person answers it, then users as automation adds them."""
    conn = chassis.netmiko()
    try:
        conn.config_mode()
        conn.write_channel("snmpv3 enable\n")
        for question, reply in (("authentication password:", "initpass1\n"),
                                ("privacy password:", "initpass2\n"),
                                ("uses SHA\\? \\[y/n\\]", "n"),
                                ("read only", "n")):
            conn.read_until_pattern(question)
            conn.write_channel(reply)
        conn.read_until_pattern(r"\(config\)# ")
        conn.send_config_set([
            "snmpv3 user mon auth sha authpass1 priv aes privpass1",
            "snmpv3 group managerpriv user mon sec-model ver3",
            "snmpv3 user ro auth md5 authpass3",
            "snmpv3 group operatorauth user ro sec-model ver3",
            "snmpv3 user sha2 auth sha256 authpass4 priv aes privpass4",
            "snmpv3 group managerpriv user sha2 sec-model ver3",
        ])
        users = conn.send_command("show snmpv3 user")
        assert [line.split()[:2] for line in users.splitlines()[-4:]] == [
            ["initial", "MD5"], ["mon", "SHA"], ["ro", "MD5"], ["sha2", "SHA256"]]
        conn.save_config()
    finally:
        conn.disconnect()


def check_v3(chassis: Any) -> None:
    v2c = answer(chassis, "snmpget", "-v2c", "-c", "public", SYS_NAME)
    assert answer(chassis, "snmpget", "-v3", *SHA_AES, SYS_NAME) == v2c
    assert answer(chassis, "snmpget", "-v3", *MD5_AUTH, SYS_NAME) == v2c
    assert answer(chassis, "snmpget", "-v3", *SHA256_AES, SYS_NAME) == v2c
    walked = answer(chassis, "snmpbulkwalk", "-v3", *SHA_AES, "-Cr50", IF_TABLE)
    reference = answer(chassis, "snmpbulkwalk", "-v2c", "-c", "public", "-Cr50", IF_TABLE)
    descr = [line for line in walked.splitlines() if line.startswith(IF_DESCR + ".")]
    assert len(descr) > 40
    assert descr == [line for line in reference.splitlines() if line.startswith(IF_DESCR + ".")]
    wrong = net_snmp("snmpget", chassis, "-v3", *SHA_AES[:-5], "wrongpass1", *SHA_AES[-4:],
                     SYS_NAME)
    assert wrong.returncode != 0 and "Authentication failure" in wrong.stderr


def boots(chassis: Any) -> int:
    return int(answer(chassis, "snmpget", "-v3", *SHA_AES, "-Oqv", ENGINE_BOOTS))


def test_v3_users_survive_switchover_and_restart(chassis_factory: Any) -> None:
    chassis = chassis_factory.start()
    chassis.wait_roles({"MM1": "active", "MM2": "standby"})
    configure(chassis)
    check_v3(chassis)
    before = boots(chassis)

    os.kill(chassis.module("MM1")["pid"], signal.SIGKILL)
    chassis.wait_roles({"MM2": "active"})
    chassis.wait_ready()
    check_v3(chassis)
    assert boots(chassis) > before  # the new active continues the synced count

    chassis = chassis_factory.restart(chassis)
    check_v3(chassis)
    running = chassis.show("show running-config")
    assert 'snmpv3 group ManagerPriv user "mon" sec-model ver3' in running
    assert "authpass1" not in running


def test_informs_to_a_v3_receiver(chassis_factory: Any, tmp_path: Path) -> None:
    """The second target's receiver knows `mon` with other passwords: its informs end at the
    first (wrong digest) report, and it logs nothing while the first receiver logs all."""
    with receiving(tmp_path / "nms", v3_conf("mon", "authpass1", "privpass1")) as nms, \
            receiving(tmp_path / "rogue", v3_conf("mon", "otherpass1", "otherpass2"),
                      "usm") as rogue:
        chassis = chassis_factory.start("--port", f"A1=udp:{free_udp_port()}:127.0.0.1:9")
        configure(chassis)
        conn = chassis.netmiko()
        try:
            conn.send_config_set([
                "snmpv3 params nmsparams user mon sec-model ver3 message-processing ver3 priv",
                f"snmpv3 targetaddress nms params nmsparams 127.0.0.1 taglist nmstag "
                f"udp-port {nms.port}",
                f"snmpv3 targetaddress rogue params nmsparams 127.0.0.1 retries 1 "
                f"taglist nmstag timeout 100 udp-port {rogue.port}",
                "snmpv3 notify nmsnotify tagvalue nmstag type inform",
            ])
            targets = conn.send_command("show snmpv3 targetaddress").splitlines()
            assert [line.split() for line in targets[-2:]] == [
                ["nms", "127.0.0.1", "nmsparams"], ["rogue", "127.0.0.1", "nmsparams"]]
            conn.save_config()
        finally:
            conn.disconnect()

        chassis = chassis_factory.restart(chassis)
        cold = nms.wait_for(COLD_START)[0]  # an inform acked late is sent again: the first
        assert INFORM_V3 in cold
        conn = chassis.netmiko()
        try:
            conn.send_config_set(["interface A1", "disable"])
            down = nms.wait_for(LINK_DOWN)[0]
            conn.send_config_set(["interface A1", "enable"])
            up = nms.wait_for(LINK_UP)[0]
            running = conn.send_command("show running-config")
        finally:
            conn.disconnect()
        assert INFORM_V3 in down and INFORM_V3 in up
        assert ".1.3.6.1.2.1.2.2.1.1.1 = INTEGER: 1" in down  # ifIndex of A1
        assert 'snmpv3 notify "nmsnotify" tagvalue "nmstag" type inform' in running
        rogue.wait_for("Verification failed", prefix="usm")  # informs came and were refused
        assert rogue.traps() == []
        check_v3(chassis)  # the agent goes on answering
