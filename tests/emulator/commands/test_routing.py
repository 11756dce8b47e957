"""IP routing statements (commands/routing.py): `ip routing` and `ip route` in the CLI, the
startup config and `show running-config`, their refusals, `show ip route` (which
ntc-templates reads: test_ntc_templates.py) and `show ip`'s routing state."""

from __future__ import annotations

from typing import TYPE_CHECKING

from emulator.config.render import render_config
from emulator.device import Device
from emulator.routing import kernel_routes
from tests.emulator.replaying import replay_text

if TYPE_CHECKING:
    from conftest import Cli

ROUTED = ("vlan 10 ip address 10.0.10.1/24", "vlan 20 ip address 10.0.20.1/24", "ip routing",
          "ip route 10.9.0.0 255.255.0.0 10.0.20.2", "ip route 10.8.0.0/16 vlan 10 distance 3",
          "ip route 192.0.2.0 255.255.255.0 blackhole", "ip route 198.51.100.0/24 reject")


def test_routes_are_written_by_destination_then_ip_routing(config: Cli, device: Device) -> None:
    for line in ROUTED:
        assert config(line) == "", line
    lines = config("show running-config").splitlines()
    at = lines.index("ip route 10.8.0.0 255.255.0.0 vlan 10 distance 3")
    assert lines[at:at + 5] == ["ip route 10.8.0.0 255.255.0.0 vlan 10 distance 3",
                                "ip route 10.9.0.0 255.255.0.0 10.0.20.2",
                                "ip route 192.0.2.0 255.255.255.0 blackhole",
                                "ip route 198.51.100.0 255.255.255.0 reject",
                                "ip routing"]
    assert lines.index("ip routing") < lines.index("vlan 1")
    booted = replay_text(render_config(device.running), device.inventory)
    assert booted.errors == []
    assert booted.config == device.running


def test_no_forms(config: Cli, device: Device) -> None:
    for line in ROUTED:
        config(line)
    assert config("ip route 10.9.0.0 255.255.0.0 10.0.10.2") == ""  # a second next hop
    assert config("no ip route 10.9.0.0 255.255.0.0 10.0.20.2") == ""
    assert [r.hop() for r in device.running.static_routes
            if str(r.destination) == "10.9.0.0/16"] == ["10.0.10.2"]
    assert config("no ip route 10.8.0.0/16") == ""
    assert config("no ip route 192.0.2.0 255.255.255.0 blackhole") == ""
    assert config("no ip routing") == ""
    assert "ip routing" not in config("show running-config").splitlines()
    assert [str(r.destination) for r in device.running.static_routes] == \
        ["10.9.0.0/16", "198.51.100.0/24"]


def test_refusals(config: Cli) -> None:
    config("vlan 10 ip address 10.0.10.1/24")
    assert config("ip route 10.9.1.0 255.255.0.0 10.0.10.2") == \
        "Inconsistent address and mask: 10.9.1.0/16"
    assert config("ip route 10.9.0.0 255.0.255.0 10.0.10.2") == \
        "Invalid subnet mask: 255.0.255.0"
    assert config("ip route 224.0.0.0/4 10.0.10.2") == "Invalid destination address: 224.0.0.0/4"
    assert config("ip route 10.9.0.0/16 10.0.10.1") == \
        "Invalid next-hop address: 10.0.10.1 is an address of this switch."
    assert config("ip route 10.9.0.0/16 10.0.10.2 distance 0") == "Invalid input: 0"
    assert config("ip route 10.9.0.0/16 10.0.10.2") == ""
    assert config("ip route 10.9.0.0/16 blackhole") == \
        "A route to 10.9.0.0/16 with a different next hop type already exists."


def test_show_ip_route(config: Cli) -> None:
    for line in (*ROUTED, 'vlan 20 name "Users"'):
        config(line)
    config("ip route 10.7.0.0/16 10.5.5.5")  # no connected network holds the next hop
    assert config("show ip route").splitlines() == [
        "",
        f"{'':32}IP Route Entries",
        "",
        "  Destination        Gateway         VLAN Type      Sub-Type   Metric     Dist.",
        "  ------------------ --------------- ---- --------- ---------- ---------- -----",
        "  10.0.10.0/24       VLAN10          10   connected            1          0",
        "  10.0.20.0/24       Users           20   connected            1          0",
        "  10.8.0.0/16        VLAN10          10   static               1          3",
        "  10.9.0.0/16        10.0.20.2       20   static               1          1",
        "  127.0.0.0/8        reject               static               0          0",
        "  127.0.0.1/32                            connected            1          0",
        "  192.0.2.0/24       blackhole            static               1          1",
        "  198.51.100.0/24    reject               static               1          1",
    ]
    assert [line.split()[0] for line in config("show ip route static").splitlines()[5:]] == \
        ["10.8.0.0/16", "10.9.0.0/16", "127.0.0.0/8", "192.0.2.0/24", "198.51.100.0/24"]
    assert config("show ip route ospf").splitlines()[5:] == []


def test_default_gateway_is_a_route_while_routing_is_off(config: Cli, device: Device) -> None:
    config("vlan 10 ip address 10.0.10.1/24")
    config("ip default-gateway 10.0.10.254")
    assert config("show ip route").splitlines()[5] == \
        "  0.0.0.0/0          10.0.10.254     10   static               250        1"
    assert kernel_routes(device.running) == ["default via 10.0.10.254 metric 250 proto static"]
    assert "  IP Routing : Disabled" in config("show ip").splitlines()
    config("ip routing")
    assert "  IP Routing : Enabled" in config("show ip").splitlines()
    assert config("show ip route").splitlines()[5].split()[0] == "10.0.10.0/24"
    assert kernel_routes(device.running) == []


def test_kernel_routes(config: Cli, device: Device) -> None:
    for line in ROUTED:
        config(line)
    assert kernel_routes(device.running) == [
        "10.8.0.0/16 dev vlan10 metric 3 proto static",
        "10.9.0.0/16 via 10.0.20.2 metric 1 proto static",
        "blackhole 192.0.2.0/24 metric 1 proto static",
        "unreachable 198.51.100.0/24 metric 1 proto static"]


def test_each_address_of_a_multinetted_vlan_is_a_connected_route(config: Cli,
                                                                 device: Device) -> None:
    """A next hop in the secondary subnet is reachable; the switch's secondary address is
    one of its own."""
    for line in ("vlan 10 ip address 10.0.10.1/24", "vlan 10 ip address 10.0.11.1/24",
                 "ip routing", "ip route 10.9.0.0/16 10.0.11.2"):
        assert config(line) == "", line
    rows = config("show ip route").splitlines()[5:]
    assert rows[:3] == [
        "  10.0.10.0/24       VLAN10          10   connected            1          0",
        "  10.0.11.0/24       VLAN10          10   connected            1          0",
        "  10.9.0.0/16        10.0.11.2       10   static               1          1"]
    assert config("ip route 10.8.0.0/16 10.0.11.1") == \
        "Invalid next-hop address: 10.0.11.1 is an address of this switch."
