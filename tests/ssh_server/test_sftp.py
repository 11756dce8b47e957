"""The switch's files over SFTP (asyncssh's client against the server, on a booted device):
the tree and its files by their real names, a startup config and an image replaced whole and
checked, what cannot be replaced or removed refused, and the subsystem refused to operators
and while `ip ssh filetransfer` is off."""

from __future__ import annotations

import asyncio
from pathlib import Path

import asyncssh
import pytest

from emulator import hardware, images
from emulator.commands import startup_replay
from emulator.device import Device
from emulator.events import EventLog
from emulator.flash import Flash
from emulator.hardware import Inventory
from emulator.timing import PROFILES
from ssh_server.sftp import gate
from tests.ssh_server.clients import USERS, LineCli, ServerFactory


@pytest.fixture
def device(tmp_path: Path) -> Device:
    flash = Flash(tmp_path / "mm1")
    flash.format()
    booted, _ = Device.boot(Inventory(), flash, PROFILES["fast"], EventLog(),
                            replay=startup_replay())
    booted.running.set_ssh_filetransfer(True)
    return booted


def connect(port: int, user: str = "manager") -> asyncssh.misc.ConnectionType:
    return asyncssh.connect("127.0.0.1", port, username=user, password=USERS[user][0],
                            known_hosts=None, client_keys=None)


def test_files_are_fetched_and_replaced(ssh_server: ServerFactory, device: Device) -> None:
    async def main() -> None:
        async with (ssh_server(LineCli(), sftp=gate(device)) as (_, port),
                    connect(port) as conn, conn.start_sftp_client() as sftp):
            assert sorted(await sftp.listdir("/")) == [".", "..", "cfg", "os"]
            assert sorted(await sftp.listdir("/cfg")) == [
                ".", "..", "running-config", "startup-config"]
            async with sftp.open("/cfg/running-config", "rb") as f:
                assert (await f.read()).decode() == device.running_text()
            async with sftp.open("/os/secondary", "rb") as f:
                assert images.parse(await f.read()).version == hardware.SOFTWARE_REVISION
            async with sftp.open("/cfg/startup-config", "wb") as f:
                await f.write(b'hostname "next-boot"\r\n')
            assert device.flash.read_startup() == 'hostname "next-boot"\n'
            assert device.running.hostname == "HP-8212zl"
            image = images.build("K.15.17.0008", "03/12/15", b"\0" * 70000)
            async with sftp.open("/os/secondary", "wb") as f:
                await f.write(image)
            assert device.flash.read_image("secondary") == image
            assert device.flash.images()["secondary"] == "K.15.17.0008"
            with pytest.raises(asyncssh.SFTPFailure, match="Aborted, wrong file"):
                async with sftp.open("/os/primary", "wb") as f:
                    await f.write(b"MZ not an image")
            assert device.flash.read_image("primary") is None
            for refused in (sftp.open("/cfg/running-config", "wb"),
                            sftp.remove("/cfg/startup-config"), sftp.mkdir("/tmp")):
                with pytest.raises(asyncssh.SFTPPermissionDenied):
                    await refused
            with pytest.raises(asyncssh.SFTPNoSuchFile):
                await sftp.open("/etc/passwd", "rb")

    asyncio.run(main())


@pytest.mark.parametrize("user, filetransfer", [("operator", True), ("manager", False)])
def test_the_subsystem_is_refused(ssh_server: ServerFactory, device: Device, user: str,
                                  filetransfer: bool) -> None:
    device.running.ssh_filetransfer = filetransfer

    async def main() -> None:
        async with (ssh_server(LineCli(), sftp=gate(device)) as (_, port),
                    connect(port, user) as conn):
            with pytest.raises(asyncssh.ChannelOpenError):
                await conn.start_sftp_client()

    asyncio.run(main())
