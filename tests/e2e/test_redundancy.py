"""The two management modules as real processes: switchover on a real kill or hang, file sync,
and the manual's election rules, each booted into its situation."""

from __future__ import annotations

import json
import os
import signal
from typing import Any

import psutil  # type: ignore[import-untyped]
import pytest

from emulator.flash import Flash, write_json
from emulator.redundancy import election
from emulator.testing import eventually

pytestmark = pytest.mark.e2e


def _pid(chassis: Any, slot: str) -> int:
    pid = chassis.module(slot)["pid"]
    assert isinstance(pid, int)
    return pid


def _host_key(conn: Any) -> str:
    key = conn.remote_conn.get_transport().get_remote_server_key()
    return f"{key.get_name()} {key.get_base64()}"


def _gone(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def test_kill_of_the_active_module(chassis: Any) -> None:
    chassis.wait_roles({"MM1": "active", "MM2": "standby"})
    conn = chassis.netmiko()
    host_key = _host_key(conn)
    conn.send_config_set(["vlan 50", 'name "saved"', "exit"])
    conn.save_config()
    conn.send_config_set(["vlan 51", 'name "unsaved"', "exit"])

    os.kill(_pid(chassis, "MM1"), signal.SIGKILL)
    with pytest.raises((OSError, EOFError, ValueError)):
        conn.send_command("show vlans")
    conn.disconnect()

    chassis.wait_roles({"MM2": "active"})
    conn = chassis.netmiko()
    try:
        assert _host_key(conn) == host_key
        redundancy = conn.send_command("show redundancy")
        assert any(line.split()[:1] == ["MM2"] and "Active" in line
                   for line in redundancy.splitlines()), redundancy
        assert "Failovers" in redundancy and ": 1" in redundancy
        vlans = conn.send_command("show vlans")
        assert "saved" in vlans and "unsaved" not in vlans
        assert "Switchover from MM1: MM1 crashed" in conn.send_command("show log")
    finally:
        conn.disconnect()
    chassis.wait_roles({"MM1": "standby", "MM2": "active"})


def test_hung_active_is_fenced_and_never_two_actives(chassis: Any) -> None:
    chassis.wait_roles({"MM1": "active", "MM2": "standby"})
    hung = _pid(chassis, "MM1")
    os.kill(hung, signal.SIGSTOP)
    def taken_over() -> bool:
        roles = chassis.roles()
        assert list(roles.values()).count("active") <= 1, roles
        return roles["MM2"] == "active"

    try:
        eventually(taken_over, 20, lambda: f"MM2 active; roles {chassis.roles()}", poll=0)
        # the hung process was reset before the standby was granted mastership
        assert _gone(hung)
    finally:
        if not _gone(hung):
            os.kill(hung, signal.SIGKILL)
    chassis.wait_roles({"MM1": "standby", "MM2": "active"})
    assert "heartbeat lost from MM1" in chassis.show("show log")


def test_write_memory_then_kill_keeps_the_config(chassis: Any) -> None:
    chassis.wait_roles({"MM1": "active", "MM2": "standby"})
    conn = chassis.netmiko()
    conn.send_config_set(["vlan 60", 'name "justsaved"', "exit"])
    conn.save_config()  # returns at the prompt, which waits for the standby's flash
    os.kill(_pid(chassis, "MM1"), signal.SIGKILL)
    conn.disconnect()
    chassis.wait_roles({"MM2": "active"})
    standby_flash = Flash.for_slot(chassis.data_dir, "MM2")
    assert 'name "justsaved"' in (standby_flash.read_startup() or "")
    assert "justsaved" in chassis.show("show vlans")


def test_password_change_reaches_the_standby(chassis: Any) -> None:
    chassis.wait_roles({"MM1": "active", "MM2": "standby"})
    conn = chassis.netmiko()
    conn.send_config_set(["password manager user-name admin plaintext s3cret"])
    conn.disconnect()
    os.kill(_pid(chassis, "MM1"), signal.SIGKILL)
    chassis.wait_roles({"MM2": "active"})
    conn = chassis.netmiko("admin", "s3cret")
    conn.disconnect()


def test_redundancy_switchover_command(chassis: Any) -> None:
    chassis.wait_roles({"MM1": "active", "MM2": "standby"})
    conn = chassis.netmiko()
    conn.write_channel("redundancy switchover\n")
    text = conn.read_until_pattern(r"continue \[y/n\]\?")
    assert "This command causes the switch to immediately switchover to the Standby " \
           "Management Module." in text
    conn.write_channel("y")
    conn.disconnect()
    chassis.wait_roles({"MM1": "standby", "MM2": "active"})


# -- the election rules, each booted into its situation ---------------------------------------


def _log(chassis: Any) -> str:
    return str(chassis.show("show log"))


def _state(chassis: Any, slot: str) -> dict[str, Any]:
    return Flash.for_slot(chassis.data_dir, slot).state()


def test_rule_7_new_chassis_boots_the_lowest_slot(chassis: Any) -> None:
    chassis.wait_roles({"MM1": "active", "MM2": "standby"})
    assert f"MM1: Active management module: {election.LOWEST_SLOT}" in _log(chassis)


def test_rule_1_only_one_module_present(chassis_factory: Any) -> None:
    chassis = chassis_factory.start()
    chassis.wait_roles({"MM1": "active", "MM2": "standby"})
    assert json.loads(chassis_factory.cli("fault", "pull", "mm2", chassis=chassis))
    chassis.wait_roles({"MM2": "not-present"})
    chassis = chassis_factory.restart(chassis)
    chassis.wait_roles({"MM1": "active", "MM2": "not-present"})
    assert f"MM1: Active management module: {election.ONLY_ONE}" in _log(chassis)


def test_rule_2_a_running_active_stays_active(chassis_factory: Any) -> None:
    chassis = chassis_factory.start()
    chassis.wait_roles({"MM1": "active", "MM2": "standby"})
    chassis_factory.cli("fault", "pull", "active", chassis=chassis)
    chassis.wait_roles({"MM1": "not-present", "MM2": "active"})
    chassis_factory.cli("fault", "insert", "mm1", chassis=chassis)
    chassis.wait_roles({"MM1": "standby", "MM2": "active"})


def test_rule_3_the_module_passing_selftest(chassis_factory: Any) -> None:
    chassis = chassis_factory.start()
    chassis.wait_roles({"MM1": "active", "MM2": "standby"})
    chassis_factory.cli("fault", "fail-selftest", "mm1", chassis=chassis)
    chassis = chassis_factory.restart(chassis)
    chassis.wait_roles({"MM1": "failed", "MM2": "active"})
    assert f"MM2: Active management module: {election.ONE_FAILED}" in _log(chassis)


def test_rule_3_both_fail_and_the_switch_does_not_boot(chassis_factory: Any) -> None:
    chassis = chassis_factory.start()
    chassis.wait_roles({"MM1": "active", "MM2": "standby"})
    chassis_factory.cli("fault", "fail-selftest", "mm1", chassis=chassis)
    chassis_factory.cli("fault", "fail-selftest", "mm2", chassis=chassis)
    assert chassis.stop() == 0
    again = chassis_factory.start(*chassis.args, data_dir=chassis.data_dir, wait=False)
    assert again.process.wait(timeout=30) != 0
    again.stopped = True
    assert election.BOTH_FAILED in again.stderr()


def test_rule_4_the_only_module_booted_in_this_chassis(chassis_factory: Any) -> None:
    chassis = chassis_factory.start()
    chassis.wait_roles({"MM1": "active", "MM2": "standby"})
    assert chassis.stop() == 0
    # MM1 is swapped for a module that never booted in this chassis
    Flash.for_slot(chassis.data_dir, "MM1").write_state({})
    chassis = chassis_factory.start(*chassis.args, data_dir=chassis.data_dir)
    chassis.wait_roles({"MM1": "standby", "MM2": "active"})
    assert f"MM2: Active management module: {election.ONLY_ONE_BOOTED}" in _log(chassis)


def test_rule_5_the_module_active_at_the_last_boot(chassis_factory: Any) -> None:
    chassis = chassis_factory.start()
    chassis.wait_roles({"MM1": "active", "MM2": "standby"})
    os.kill(_pid(chassis, "MM1"), signal.SIGKILL)
    chassis.wait_roles({"MM1": "standby", "MM2": "active"})
    chassis = chassis_factory.restart(chassis)
    chassis.wait_roles({"MM1": "standby", "MM2": "active"})
    assert f"MM2: Active management module: {election.ACTIVE_LAST_BOOT}" in _log(chassis)


def test_rule_6_both_were_active_the_most_recent_wins(chassis_factory: Any) -> None:
    chassis = chassis_factory.start()
    chassis.wait_roles({"MM1": "active", "MM2": "standby"})
    assert chassis.stop() == 0
    for slot, last_boot in (("MM1", 1000.0), ("MM2", 2000.0)):
        path = Flash.for_slot(chassis.data_dir, slot).root / "state.json"
        write_json(path, _state(chassis, slot) | {"last_role": "active", "last_boot": last_boot})
    chassis = chassis_factory.start(*chassis.args, data_dir=chassis.data_dir)
    chassis.wait_roles({"MM1": "standby", "MM2": "active"})
    assert f"MM2: Active management module: {election.MOST_RECENT}" in _log(chassis)


def test_active_management_picks_the_module_for_the_next_boot(chassis_factory: Any) -> None:
    chassis = chassis_factory.start()
    chassis.wait_roles({"MM1": "active", "MM2": "standby"})
    conn = chassis.netmiko()
    conn.send_config_set(["redundancy active-management management-module2"])
    conn.disconnect()
    chassis = chassis_factory.restart(chassis)
    chassis.wait_roles({"MM1": "standby", "MM2": "active"})
    assert f"MM2: Active management module: {election.ACTIVE_LAST_BOOT}" in _log(chassis)
