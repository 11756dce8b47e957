"""Notifications to `snmp-server host` receivers the agent's socket cannot reach: the agent
listens on 127.0.0.1 (the default), the receivers are elsewhere, and the kernel refuses every
datagram (EINVAL, or ENETUNREACH without a route). Each such receiver is named once on stderr,
not once per notification."""

from __future__ import annotations

import asyncio
import ipaddress

import pytest

from emulator.config.model import TrapReceiver
from emulator.device import Device
from tests.snmp.conftest import serving

OUTSIDE = ("198.51.100.1", "203.0.113.1")
"""TEST-NET-2 and -3 (RFC 5737), no address of this host: not reachable from a socket bound to
the loopback address."""


def test_unreachable_receivers_are_reported_once_each(device: Device,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    for address in (*OUTSIDE, "127.0.0.1"):
        device.running.trap_receiver_set(TrapReceiver(ipaddress.IPv4Address(address), "public"))

    async def link_flaps() -> None:
        notifier = running.agent.notifier
        assert notifier is not None
        for up in (False, True, False):
            notifier.link_changed("A1", up)

    with serving(device, notify=True) as running:  # coldStart, then three link changes
        asyncio.run_coroutine_threadsafe(link_flaps(), running.loop).result(10)
    lines = capsys.readouterr().err.splitlines()
    assert [line.split(" port ")[0] for line in lines] == [
        f"procurve-emu: MM1: SNMP notifications to {address}" for address in OUTSIDE]
    assert device.snmp_counters["snmpOutTraps"] == 3 * 4
