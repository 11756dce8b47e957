"""napalm-procurve's getters against a real procurve-emu process."""

from __future__ import annotations

from typing import Any

import pytest
from napalm import get_network_driver

pytestmark = pytest.mark.e2e


def test_get_facts_and_get_config(chassis: Any) -> None:
    driver = get_network_driver("procurve")
    device = driver(chassis.host, "manager", "manager",
                    optional_args={"port": chassis.ssh_port, "secret": "manager"})
    device.open()
    try:
        facts = device.get_facts()
        assert facts["hostname"] == "HP-8212zl"
        assert facts["model"] == "HP J8715A Switch 8212zl"
        assert facts["os_version"] == "K.15.16.0008"
        assert facts["serial_number"] not in ("", "Unknown")
        assert facts["interface_list"][:2] == ["A1", "A2"] and len(facts["interface_list"]) == 48
        assert facts["uptime"] >= 0
        config = device.get_config()
        assert config["running"].startswith("; Ver #")
        assert 'hostname "HP-8212zl"' in config["running"]
        assert 'hostname "HP-8212zl"' in config["startup"]
    finally:
        device.close()
