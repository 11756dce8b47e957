"""The startup config on flash: a restart keeps what `write memory` saved, and only that."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.e2e


def test_config_survives_restart_only_after_write_memory(chassis_factory: Any) -> None:
    chassis = chassis_factory.start()
    conn = chassis.netmiko()
    conn.send_config_set(["vlan 30", 'name "unsaved"', "exit"])
    conn.disconnect()

    chassis = chassis_factory.restart(chassis)
    conn = chassis.netmiko()
    assert "unsaved" not in conn.send_command("show vlans")
    conn.send_config_set(["vlan 31", 'name "saved"', "untagged B1-B2", "exit"])
    conn.save_config()
    conn.disconnect()

    chassis = chassis_factory.restart(chassis)
    conn = chassis.netmiko()
    try:
        vlans = conn.send_command("show vlans")
        assert "saved" in vlans and "unsaved" not in vlans
        assert "untagged B1-B2" in conn.send_command("show config")
    finally:
        conn.disconnect()


def test_password_change_is_stored_at_once(chassis_factory: Any) -> None:
    chassis = chassis_factory.start()
    conn = chassis.netmiko()
    conn.send_config_set(["password manager user-name admin plaintext s3cret"])
    conn.disconnect()

    chassis = chassis_factory.restart(chassis)
    conn = chassis.netmiko("admin", "s3cret")
    try:
        assert conn.find_prompt() == "HP-8212zl#"
        assert "password manager" in conn.send_command("show running-config")
    finally:
        conn.disconnect()


def test_erase_startup_config_reboots_into_the_factory_config(chassis_factory: Any) -> None:
    chassis = chassis_factory.start()
    first_pid = chassis.module()["pid"]
    conn = chassis.netmiko()
    conn.send_config_set(["vlan 40", 'name "gone"', "exit"])
    conn.save_config()
    conn.write_channel("erase startup-config\n")
    text = conn.read_until_pattern(r"continue \[y/n\]\?")
    assert "Configuration will be deleted and device rebooted, continue [y/n]?" in text
    conn.write_channel("y")
    chassis.wait_until("the rebooted module",
                       lambda s: chassis.module()["pid"] not in (None, first_pid)
                       and chassis.module()["ready"])
    conn = chassis.netmiko()
    try:
        assert "gone" not in conn.send_command("show vlans")
        log = conn.send_command("show log")
        assert "system: -----------------------------------------" in log
        assert "mgr: SME SSH from 127.0.0.1 - MANAGER Mode" in log
    finally:
        conn.disconnect()
