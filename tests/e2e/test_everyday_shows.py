"""The everyday commands automation sends, over SSH with netmiko against a running chassis:
output filters, `write terminal`, the config status, and the screens oxidized and support
scripts collect."""

from __future__ import annotations

from typing import Any

import pytest
from netmiko import ConnectHandler

pytestmark = pytest.mark.e2e

ERRORS = ("Invalid input", "Incomplete input", "Ambiguous input")


def test_filters_and_everyday_screens_over_ssh(chassis: Any) -> None:
    conn = ConnectHandler(device_type="hp_procurve", host=chassis.host, port=chassis.ssh_port,
                          username="manager", password="manager", secret="manager")
    try:
        conn.send_config_set(["vlan 10", 'name "Servers"', "untagged A1-A4", "exit",
                              "interface A1", 'name "uplink"', "exit"])
        assert conn.send_command("show running-config | include ^vlan").split() == [
            "vlan", "1", "vlan", "10"]
        assert "vlan" not in conn.send_command("show running-config | exclude vlan")
        begun = conn.send_command("show running-config | begin vlan 10")
        assert begun.lstrip().startswith("vlan 10") and 'name "Servers"' in begun
        assert conn.send_command("show vlans | inc Servers").strip().startswith("10")
        assert conn.send_command("show run | grep x").strip() == "Invalid input: grep"
        assert 'name "Servers"' in conn.send_command("write terminal")
        assert conn.send_command("show config status").strip() == (
            "Running configuration has been changed and needs to be saved.")
        for command, marker in {
            "show interfaces transceiver": "Transceiver Technical Information:",
            "show name A1": "Name : uplink",
            "show vlans ports A1 detail": "Servers",
            "show system fans": "Fan Information",
            "show tech": "show running-config",
            "show history": "show tech",
            "show interfaces status A1": "A1       uplink     Down    Auto",
            "show interfaces custom A1 port name": " A1   uplink",
            "show interfaces port-utilization A1": "Port Utilization",
            "show interfaces display": "Port Counters",
            "show power-over-ethernet brief A1": "  A1    | Yes    low      usage 17 W",
            "show lldp info remote-device detail": "LLDP Remote Device Information Detail",
            "show lldp stats": "LLDP Port Statistics",
        }.items():
            output = conn.send_command(command)
            assert marker in output, (command, output)
            assert not any(error in output for error in ERRORS), (command, output)
        conn.save_config()
        assert conn.send_command("show running-config status").strip() == (
            "Running configuration is same as the startup configuration.")
    finally:
        conn.disconnect()
