"""netmiko's hp_procurve drivers against a real procurve-emu process, over SSH and telnet."""

from __future__ import annotations

from typing import Any

import pytest
from netmiko import ConnectHandler

pytestmark = pytest.mark.e2e

# command -> a line fragment the real switch prints for it
SHOW_COMMANDS = {
    "show version": "Image stamp:",
    "show system": "Status and Counters - General System Information",
    "show system information": "Software revision",
    "show modules": "Status and Counters - Module Information",
    "show flash": "Primary Image",
    "show interfaces brief": "Status and Counters - Port Status",
    "show interfaces A1": "A1",
    "show interfaces ethernet A1": "A1",
    "show interfaces": "Status and Counters - Port Counters",
    "show vlans": "DEFAULT_VLAN",
    "show vlans 1": "DEFAULT_VLAN",
    "show mac-address": "Status and Counters - Port Address Table",
    "show mac-address vlan 1": "VLAN 1",
    "show ip": "Internet (IP) Service",
    "show arp": "IP ARP table",
    "show uptime": ":",
    "show cpu": "busy",
    "show log": "Event Log listing",
    "show lldp info remote-device": "LLDP Remote Devices Information",
    "show lldp info local-device": "LLDP Local Device Information",
    "show running-config": "Running configuration:",
    "show config": "Startup configuration:",
    "show snmp-server": "SNMP Communities",
    "ping 192.0.2.1 repetitions 1 timeout 1": "Request timed out.",
}
ERRORS = ("Invalid input", "Incomplete input", "Ambiguous input")


def _params(chassis: Any, device_type: str) -> dict[str, Any]:
    port = chassis.telnet_port if device_type.endswith("telnet") else chassis.ssh_port
    return {"device_type": device_type, "host": chassis.host, "port": port,
            "username": "manager", "password": "manager", "secret": "manager"}


@pytest.mark.parametrize("device_type", ["hp_procurve", "hp_procurve_telnet"])
def test_show_commands_config_and_save(chassis: Any, device_type: str) -> None:
    conn = ConnectHandler(**_params(chassis, device_type))
    try:
        assert conn.find_prompt() == "HP-8212zl#"
        for command, marker in SHOW_COMMANDS.items():
            output = conn.send_command(command)
            assert marker in output, (command, output)
            assert not any(error in output for error in ERRORS), (command, output)
        conn.send_config_set(["vlan 10", 'name "Servers"', "untagged A1-A4", "exit",
                              "interface A5", 'name "uplink"', "exit"])
        vlans = conn.send_command("show vlans")
        assert "Servers" in vlans
        assert 'name "uplink"' in conn.send_command("show running-config")
        assert "untagged A1-A4" in conn.send_command("show running-config")
        conn.save_config()
        assert "Servers" in conn.send_command("show config")
    finally:
        conn.disconnect()


def test_textfsm_parses_what_the_switch_prints(chassis: Any) -> None:
    conn = ConnectHandler(**_params(chassis, "hp_procurve"))
    try:
        conn.send_config_set(["vlan 20", 'name "Users"', "exit", "vlan 20 ip address 10.9.8.7/24"])
        system = conn.send_command("show system", use_textfsm=True)
        assert isinstance(system, list) and system[0]["name"] == "HP-8212zl"
        brief = conn.send_command("show interfaces brief", use_textfsm=True)
        assert isinstance(brief, list)
        assert [row["port"] for row in brief][:3] == ["A1", "A2", "A3"] and len(brief) == 48
        vlans = conn.send_command("show vlans", use_textfsm=True)
        assert isinstance(vlans, list)
        assert {(row["vlan_id"], row["vlan_name"]) for row in vlans} == {("1", "DEFAULT_VLAN"),
                                                                   ("20", "Users")}
        ip = conn.send_command("show ip", use_textfsm=True)
        assert isinstance(ip, list)
        assert any(row["ip_address"] == "10.9.8.7" for row in ip), ip
        for empty in ("show mac-address", "show arp", "show lldp info remote-device"):
            records = conn.send_command(empty, use_textfsm=True)
            # an empty table parses to no records (netmiko then hands back the raw text)
            assert records == [] or isinstance(records, str), (empty, records)
    finally:
        conn.disconnect()


def test_unsaved_change_is_offered_for_saving_at_logout(chassis: Any) -> None:
    conn = ConnectHandler(**_params(chassis, "hp_procurve"))
    conn.send_config_set(["hostname Lab-Edge"])
    conn.set_base_prompt()
    conn.exit_config_mode()
    conn.write_channel("logout\n")
    text = conn.read_until_pattern(r"log out \[y/n\]\?")
    assert "Do you want to log out [y/n]?" in text
    conn.write_channel("y")
    text = conn.read_until_pattern(r"save current configuration \[y/n\]\?")
    assert "Do you want to save current configuration [y/n]?" in text
    conn.write_channel("n")
    conn.disconnect()


def test_nested_contexts_over_ssh(chassis: Any) -> None:
    """netmiko walks the OpenFlow contexts (`(openflow)#`, `(of-inst-br0)#`) and `exit`
    climbs back through them; the config and `show openflow` say what was typed."""
    conn = ConnectHandler(**_params(chassis, "hp_procurve"))
    try:
        output = conn.send_config_set([
            "openflow", "controller-id 1 ip 192.0.2.9 controller-interface vlan 1",
            'instance "br0"', "member vlan 1", "controller-id 1", "version 1.3", "exit",
            "enable", "exit", "mirror 1 port A24", "interface A1 monitor all both mirror 1"])
        assert not any(error in output for error in ERRORS), output
        assert "(of-inst-br0)#" in output and "(openflow)#" in output
        running = conn.send_command("show running-config")
        assert '   instance "br0"\n      member vlan 1\n      controller-id 1\n' in running
        assert "  br0                  Down          0          0          1.3" in (
            conn.send_command("show openflow"))
        assert "  Port: A1            Both" in conn.send_command("show monitor 1")
    finally:
        conn.disconnect()
