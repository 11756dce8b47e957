"""SNMPv3 end to end: users made over SSH (the `snmpv3 enable` dialogue included), asked by
net-snmp's tools, and still there after `write memory`, a kill -9 of the active module and a
restart of the chassis."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
from typing import Any

import pytest

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("snmpget") is None, reason="net-snmp tools not installed"),
]

SYS_NAME = ".1.3.6.1.2.1.1.5.0"
IF_DESCR = ".1.3.6.1.2.1.2.2.1.2"
IF_TABLE = ".1.3.6.1.2.1.2.2"
ENGINE_BOOTS = ".1.3.6.1.6.3.10.2.1.2.0"
SHA_AES = ["-l", "authPriv", "-u", "mon", "-a", "SHA", "-A", "authpass1", "-x", "AES",
           "-X", "privpass1"]
MD5_AUTH = ["-l", "authNoPriv", "-u", "ro", "-a", "MD5", "-A", "authpass3"]


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
        ])
        users = conn.send_command("show snmpv3 user")
        assert [line.split()[:2] for line in users.splitlines()[-3:]] == [
            ["initial", "MD5"], ["mon", "SHA"], ["ro", "MD5"]]
        conn.save_config()
    finally:
        conn.disconnect()


def check_v3(chassis: Any) -> None:
    v2c = answer(chassis, "snmpget", "-v2c", "-c", "public", SYS_NAME)
    assert answer(chassis, "snmpget", "-v3", *SHA_AES, SYS_NAME) == v2c
    assert answer(chassis, "snmpget", "-v3", *MD5_AUTH, SYS_NAME) == v2c
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
