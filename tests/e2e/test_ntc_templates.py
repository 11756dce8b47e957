"""ntc-templates on the wire: netmiko's `send_command(..., use_textfsm=True)` over SSH runs the
installed ntc-templates on what a running chassis prints, paging, prompts and VT100 paint
included, as automation scripts do. Every template the unit test
(tests/emulator/commands/test_ntc_templates.py) parses is run here too, on live tables: the ARP
entry and learned address of a host in a namespace that pings the switch, and the LLDP
neighbour of a second chassis joined by a UDP tunnel port (whose frames `show lldp stats`
counts). The templates left out, and why, are listed in that test's docstring."""

from __future__ import annotations

from typing import Any, Final

import pytest

from emulator.hardware import SOFTWARE_REVISION
from emulator.testing import eventually, missing_file, missing_root, missing_tool
from tests.e2e.netns import Lab, configure, free_udp_port, wait_carrier
from tests.emulator.commands.test_ntc_templates import PARSED

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.requires(missing_root("a TAP port and a host namespace")),
    pytest.mark.requires(missing_file("/dev/net/tun")),
    pytest.mark.requires(missing_tool("ip", "iproute2")),
]

HOST_ADDRESS: Final = "10.0.10.11"
SWITCH_ADDRESS: Final = "10.0.10.1"


def expected(host_mac: str) -> dict[str, tuple[str, dict[str, str]]]:
    """Template -> (the command sent, fields one of its records must hold)."""
    return {
        "hp_procurve_show_arp.textfsm": (
            "show arp", {"ip_address": HOST_ADDRESS, "mac_address": host_mac, "port": "A1"}),
        "hp_procurve_show_interfaces_brief.textfsm": (
            "show interfaces brief", {"port": "A1", "status": "Up", "enabled": "Yes"}),
        "hp_procurve_show_interfaces.textfsm": ("show interfaces", {"port": "A1"}),
        "hp_procurve_show_interfaces_status.textfsm": (
            "show interfaces status", {"port": "A1", "status": "Up", "vlan_untagged": "10"}),
        "hp_procurve_show_mac-address.textfsm": (
            "show mac-address", {"mac_address": host_mac, "port": "A1", "vlan_id": "10"}),
        "hp_procurve_show_lldp_info_remote-device.textfsm": (
            "show lldp info remote-device", {"local_interface": "B24", "neighbor_name": "sw123"}),
        "hp_procurve_show_lldp_info_remote-device_detail.textfsm": (
            "show lldp info remote-device B24",
            {"local_interface": "B24", "neighbor_name": "sw123", "neighbor_interface": "1"}),
        "hp_procurve_show_lldp_info_local-device.textfsm": (
            "show lldp info local-device",
            {"system_name": "lab-core", "mgmt_address": SWITCH_ADDRESS}),
        "hp_procurve_show_system.textfsm": (
            "show system", {"name": "lab-core", "software_version": SOFTWARE_REVISION}),
        "hp_procurve_show_vlans.textfsm": ("show vlans", {"vlan_id": "10", "vlan_name": "Servers"}),
        "hp_procurve_show_ip.textfsm": (
            "show ip", {"vlan_name": "Servers", "ip_address": SWITCH_ADDRESS}),
        "hp_procurve_show_tech_buffers.textfsm": (
            "show tech buffers", {"product": "HP J9091A", "version": SOFTWARE_REVISION}),
        "hp_procurve_show_trunks.textfsm": (
            "show trunks", {"local_port": "B1", "trunk": "Trk1", "trunk_type": "LACP"}),
        "hp_procurve_show_ip_route.textfsm": (  # the template reads the VLAN name as gateway
            "show ip route", {"destination": "10.0.10.0/24", "gateway": "Servers",
                              "vlan_name": "10", "type": "connected"}),
    }


def test_every_template_parses_what_netmiko_reads(chassis_factory: Any, lab: Lab) -> None:
    to_core, to_peer = free_udp_port(), free_udp_port()
    core = chassis_factory.start("--port", f"A1=tap:{lab.tap('h1')}",
                                 "--port", f"B24=udp:{to_core}:127.0.0.1:{to_peer}")
    peer = chassis_factory.start("--port", f"A1=udp:{to_peer}:127.0.0.1:{to_core}")
    host = lab.host("h1", f"{HOST_ADDRESS}/24")
    configure(peer, "hostname sw123")
    configure(core, "hostname lab-core", "vlan 10", 'name "Servers"', "untagged A1-A4",
              f"ip address {SWITCH_ADDRESS}/24", "exit", "trunk B1-B2 trk1 lacp")
    wait_carrier(host, up=True)
    eventually(lambda: host.ping(SWITCH_ADDRESS, count=1), 15,
               f"{SWITCH_ADDRESS} to answer the host", poll=0)
    eventually(lambda: "sw123" in core.show("show lldp info remote-device"), 20,
               "the peer chassis in the LLDP table", poll=0.5)

    cases = expected(host.mac())
    assert set(cases) == set(PARSED)
    conn = core.netmiko()
    try:
        for template, (command, fields) in sorted(cases.items()):
            records = conn.send_command(command, use_textfsm=True)
            assert isinstance(records, list), (template, records)
            assert any(all(record.get(k) == v for k, v in fields.items()) for record in records), (
                template, fields, records[:3])
        # the same LLDP exchange, as `show lldp stats` counts it
        stats = conn.send_command("show lldp stats")
        assert "  New Neighbor Entries Count : 1" in stats, stats
        received, sent, discarded = next(line.split("|")[1].split() for line in
                                         stats.splitlines() if line.startswith("  B24 "))
        assert int(received) >= 1 and int(sent) >= 1 and discarded == "0", stats
    finally:
        conn.disconnect()
