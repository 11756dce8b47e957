"""The login chain: `aaa authentication` picks the method per way in and task; a TACACS+
server's answer is final (privilege-mode takes the level from it), a server that cannot be
reached hands the login to the secondary method."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from emulator.aaa import chain
from emulator.commands import startup_replay
from emulator.device import Device
from emulator.events import EventLog
from emulator.flash import Flash
from emulator.hardware import Inventory
from emulator.timing import PROFILES
from tests.emulator.aaa.tacacs_server import TacacsServer


def booted(tmp_path: Path, *lines: str) -> Device:
    flash = Flash(tmp_path / "mm1")
    flash.format()
    device, errors = Device.boot(Inventory(), flash, PROFILES["fast"], EventLog(),
                                 replay=startup_replay())
    assert errors == [] and startup_replay()(device, "\n".join(lines) + "\n") == []
    return device


def test_tacacs_decides_and_local_takes_over_when_it_is_gone(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    async def scenario() -> None:
        server = TacacsServer(b"tk", {"alice": ("wonder", 15)})
        monkeypatch.setattr(chain, "TACACS_PORT", await server.start())
        device = booted(tmp_path, 'tacacs-server host 127.0.0.1 key "tk"',
                        "tacacs-server timeout 1",
                        "aaa authentication telnet login tacacs local",
                        "aaa authentication ssh login tacacs",
                        "aaa authentication login privilege-mode",
                        "aaa accounting exec start-stop tacacs")

        async def login(access: str, user: str, password: str) -> str | None:
            return await chain.authenticate(device, access, "10.0.0.9", user, password,
                                            "login")

        assert await login("telnet", "alice", "wonder") == "manager"
        assert await login("telnet", "manager", "manager") is None  # the server said no
        assert await login("console", "manager", "manager") == "manager"  # local
        await chain.account(device, "telnet", "alice", "10.0.0.9", "01", None)
        await chain.account(device, "telnet", "alice", "10.0.0.9", "01", device.uptime())
        assert server.records == [(2, "alice"), (4, "alice")]
        await server.stop()
        assert await login("telnet", "manager", "manager") == "manager"
        assert await login("ssh", "manager", "manager") is None  # secondary none
        assert "TACACS server(s) unreachable, trying the local method" in device.events.render()
        assert device.tacacs_counters["127.0.0.1"].opens >= 2

    asyncio.run(scenario())
