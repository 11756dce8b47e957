"""The relay agent's option 82 handling (emulator/dhcp_relay.py) on DHCP packets built here:
each policy's effect on a request, the remote ID, and a reply's validation and clean-up. The
agent's socket path is covered end to end (tests/e2e/test_dhcp_relay.py)."""

from __future__ import annotations

import asyncio
import ipaddress
from pathlib import Path

import pytest

from emulator.commands import startup_replay
from emulator.config.model import Option82
from emulator.device import Device
from emulator.dhcp_relay import (
    MAGIC,
    OPTION_AGENT,
    DhcpRelay,
    agent_option,
    options,
    with_options,
)
from emulator.events import EventLog
from emulator.flash import Flash
from emulator.hardware import Inventory, mac_bytes
from emulator.timing import PROFILES

GIADDR = ipaddress.IPv4Address("10.0.20.254")
THEIRS = agent_option(b"\x07", b"upstream")


def packet(*found: tuple[int, bytes]) -> bytes:
    header = bytes([1, 1, 6, 0]) + bytes(20) + GIADDR.packed + bytes(208) + MAGIC
    return with_options(header, [(53, b"\x01"), *found])


@pytest.fixture
def relay(tmp_path: Path) -> DhcpRelay:
    flash = Flash(tmp_path / "mm1")
    flash.format()
    device, _ = Device.boot(Inventory(), flash, PROFILES["fast"], EventLog(),
                            replay=startup_replay())
    return DhcpRelay(device, "unused")


def agents(data: bytes) -> list[bytes]:
    return [value for code, value in options(data) if code == OPTION_AGENT]


def test_policies_on_a_request(relay: DhcpRelay) -> None:
    mac = mac_bytes(relay.device.inventory.base_mac)
    ours = agent_option(b"\x01", mac)
    plain, tagged = packet(), packet((OPTION_AGENT, THEIRS))
    assert agents(relay._with_agent(plain, Option82("append"), b"\x01", GIADDR) or b"") == [ours]
    assert agents(relay._with_agent(tagged, Option82("append"), b"\x01", GIADDR) or b"") == [
        THEIRS, ours]
    assert agents(relay._with_agent(tagged, Option82("replace"), b"\x01", GIADDR) or b"") == [
        ours]
    assert relay._with_agent(tagged, Option82("drop"), b"\x01", GIADDR) is None
    assert relay._with_agent(tagged, Option82("keep"), b"\x01", GIADDR) == tagged
    by_ip = relay._with_agent(plain, Option82("append", remote_id="ip"), b"\x01", GIADDR)
    assert agents(by_ip or b"") == [agent_option(b"\x01", GIADDR.packed)]


def test_a_reply_loses_our_option_and_is_validated(relay: DhcpRelay) -> None:
    mac = mac_bytes(relay.device.inventory.base_mac)
    ours = packet((OPTION_AGENT, agent_option(b"\x01", mac)))
    cleaned = relay._without_agent(ours, Option82("append", validate=True), GIADDR)
    assert cleaned is not None and agents(cleaned) == [] and options(cleaned)[0] == (53, b"\x01")
    foreign = packet((OPTION_AGENT, THEIRS))
    assert relay._without_agent(foreign, Option82("append", validate=True), GIADDR) is None
    assert relay._without_agent(foreign, Option82("append"), GIADDR) is not None


def test_a_cut_short_option_is_dropped(relay: DhcpRelay) -> None:
    broken = packet()[:-1] + bytes([OPTION_AGENT, 40, 1])
    assert relay._with_agent(broken, Option82("append"), b"\x01", GIADDR) is None


class _Sent:
    """Stands in for the relay's socket: what it would send, and where."""

    def __init__(self) -> None:
        self.sent: list[tuple[bytes, tuple[str, int]]] = []

    def sendto(self, data: bytes, to: tuple[str, int]) -> None:
        self.sent.append((data, to))


def test_a_multinetted_vlan_relays_from_its_primary_address(
        relay: DhcpRelay, monkeypatch: pytest.MonkeyPatch) -> None:
    """Whichever of the VLAN's addresses the stack saw the request on, the giaddr is the
    first one, as the switch relays from a multinetted VLAN's primary address."""
    running = relay.device.running
    running.vlan_create(20)
    running.vlan_add_ip(20, ipaddress.IPv4Interface("10.0.20.254/24"))
    running.vlan_add_ip(20, ipaddress.IPv4Interface("10.0.21.254/24"))
    running.vlan_helper_add(20, ipaddress.IPv4Address("10.9.9.9"))
    sent = _Sent()
    monkeypatch.setattr(relay, "sock", sent)
    request = bytearray(packet())
    request[24:28] = bytes(4)
    asyncio.run(relay.request(bytes(request), ipaddress.IPv4Address("10.0.21.254")))
    assert [(data[24:28], to) for data, to in sent.sent] == [
        (GIADDR.packed, ("10.9.9.9", 67))]
