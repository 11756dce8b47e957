"""The pytest plugin as automation authors use it: the fixtures come from the installed
package (entry point `pytest11`), no conftest, and their scripts talk netmiko and napalm to
the switch, across a management-module failover."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import pytest
from netmiko import ConnectHandler

pytestmark = pytest.mark.e2e

USER_TEST = '''
from netmiko import ConnectHandler


def test_my_vlan_script(procurve_switch):
    conn = ConnectHandler(**procurve_switch.netmiko_params())
    conn.send_config_set(["vlan 42", "name automation", "exit"])
    assert "automation" in conn.send_command("show vlans")
    conn.disconnect()
'''


def add_vlan(params: dict[str, Any], vid: int, name: str, save: bool) -> None:
    """The "script under test": what a user's automation does to a switch."""
    conn = ConnectHandler(**params)
    try:
        conn.send_config_set([f"vlan {vid}", f"name {name}", "exit"])
        if save:
            conn.save_config()
    finally:
        conn.disconnect()


def vlan_names(params: dict[str, Any]) -> str:
    conn = ConnectHandler(**params)
    try:
        return str(conn.send_command("show vlans"))
    finally:
        conn.disconnect()


def test_the_plugin_is_registered_for_pytest() -> None:
    names = {e.name: e.value for e in entry_points(group="pytest11")}
    assert names.get("procurve_emu") == "emulator.pytest_plugin"


def test_a_script_is_tested_against_the_switch(procurve_switch: Any) -> None:
    add_vlan(procurve_switch.netmiko_params(), 30, "scripted", save=False)
    assert "scripted" in vlan_names(procurve_switch.netmiko_params())


def test_saved_work_survives_a_failover_and_unsaved_work_does_not(
        procurve_switch: Any) -> None:
    params = procurve_switch.netmiko_params()
    add_vlan(params, 40, "saved", save=True)
    add_vlan(params, 50, "unsaved", save=False)
    assert procurve_switch.switchover() == "MM2"
    after = vlan_names(params)
    assert "saved" in after and "unsaved" not in after


def test_napalm_facts_through_the_fixture(procurve_switch: Any) -> None:
    from napalm import get_network_driver

    device = get_network_driver("procurve")(**procurve_switch.napalm_params())
    device.open()
    try:
        facts = device.get_facts()
    finally:
        device.close()
    assert facts["model"].startswith("HP J8715A")


def test_a_user_suite_outside_this_repository_gets_the_fixtures(tmp_path: Path) -> None:
    """A fresh directory with one test file and no conftest: the entry point alone brings
    `procurve_switch` (`-p no:cacheprovider` keeps the user's directory clean)."""
    (tmp_path / "test_user.py").write_text(USER_TEST)
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           "test_user.py"], cwd=tmp_path, capture_output=True, text=True,
                          timeout=300, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 passed" in done.stdout
