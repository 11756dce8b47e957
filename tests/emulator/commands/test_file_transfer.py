"""File transfers on the CLI against a TFTP server on loopback: configs, the event log and a
command's output uploaded; a startup config downloaded (stored whole, then the reboot); an
image downloaded into a flash (`show flash`, then the version `boot system` would boot); bad
transfers refused with the flash untouched; `tftp client|server` and `ip ssh filetransfer`
as statements (CLI, startup config, render)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from emulator import hardware, images, sftp_client
from emulator.commands import file_transfer, startup_replay
from emulator.config.render import render_config
from emulator.device import Device
from emulator.events import EventLog
from tests.emulator import sftp_peer as sftp_peer_module
from tests.emulator.replaying import replay_text
from tests.emulator.sftp_peer import SftpPeer
from tests.emulator.tftpd import Tftpd

if TYPE_CHECKING:
    from conftest import Cli

IMAGE = images.build("K.15.17.0008", "03/12/15", b"\0" * 4000)


@pytest.fixture
def peer(monkeypatch: pytest.MonkeyPatch, device: Device) -> Iterator[Tftpd]:
    """The server every `copy ... tftp` of the test reaches (its port, short timers)."""
    server = Tftpd({"new.cfg": b'hostname "restored"\r\n', "k1517.swi": IMAGE,
                       "junk.swi": b"MZ\x90\0 not an image"})
    real = file_transfer.server

    def to_peer(call: object) -> object:
        real(call)  # type: ignore[arg-type]  # the tftp client check
        return server.server()

    monkeypatch.setattr(file_transfer, "server", to_peer)
    yield server
    server.close()


def test_running_and_startup_config_upload(cli: Cli, device: Device, peer: Tftpd) -> None:
    assert cli("copy running-config tftp 127.0.0.1 run.cfg") == ""
    assert peer.files["run.cfg"].decode() == device.running_text()
    cli("write memory")
    assert cli("copy startup-config tftp 127.0.0.1 start.cfg pc") == ""
    assert peer.files["start.cfg"] == device.running_text().replace("\n", "\r\n").encode()


def test_event_log_and_command_output_upload(cli: Cli, device: Device, peer: Tftpd) -> None:
    assert cli("copy event-log tftp 127.0.0.1 log.txt") == ""
    assert peer.files["log.txt"].decode().startswith(" Keys:")
    assert cli('copy command-output "show version" tftp 127.0.0.1 version.txt') == ""
    assert peer.files["version.txt"].decode() == cli("show version") + "\n"
    assert cli('copy command-output "show nonsense" tftp 127.0.0.1 bad.txt') == ""
    assert peer.files["bad.txt"].decode().startswith("Invalid input: nonsense")


def test_a_startup_config_download_is_stored_then_reboots(cli: Cli, device: Device,
                                                          peer: Tftpd) -> None:
    reboots: list[str] = []

    async def reboot(reason: str) -> None:
        reboots.append(reason)

    device.on_reboot.append(reboot)
    assert cli("copy tftp startup-config 127.0.0.1 new.cfg") == ""
    assert device.flash.read_startup() == 'hostname "restored"\n'
    assert reboots == ["copy tftp startup-config"]


def test_an_image_download_lands_in_the_named_flash(cli: Cli, device: Device,
                                                    peer: Tftpd) -> None:
    answer = cli("copy tftp flash 127.0.0.1 k1517.swi secondary")
    assert answer.splitlines() == ["00003K", file_transfer.WRITING_IMAGE]
    assert device.flash.read_image("secondary") == IMAGE
    assert device.flash.images()["secondary"] == "K.15.17.0008"
    rows = cli("show flash").splitlines()
    assert f"Secondary Image : {len(IMAGE):>10} 03/12/15 K.15.17.0008" in rows
    assert any(r.startswith("Primary Image   : ") and r.endswith(hardware.SOFTWARE_REVISION)
               for r in rows)


def test_an_image_goes_back_out_as_it_came(cli: Cli, device: Device, peer: Tftpd) -> None:
    cli("copy tftp flash 127.0.0.1 k1517.swi secondary")
    assert cli("copy flash tftp 127.0.0.1 back.swi secondary") == ""
    assert peer.files["back.swi"] == IMAGE
    assert cli("copy flash tftp 127.0.0.1 builtin.swi") == ""  # primary, never copied to
    assert images.parse(peer.files["builtin.swi"]).version == hardware.SOFTWARE_REVISION


def test_the_booted_image_is_the_version_everywhere(cli: Cli, device: Device) -> None:
    """What `boot system flash secondary` leads to: the module boots the secondary image."""
    device.flash.write_image("secondary", IMAGE, "K.15.17.0008")
    device.flash.write_images(device.flash.images() | {"default": "secondary"})
    cli.device, _ = Device.boot(device.inventory, device.flash, device.timing, EventLog(),
                                replay=startup_replay())
    assert "K.15.17.0008" in cli("show version") and "Secondary" in cli("show version")
    assert "revision K.15.17.0008," in cli("getMIB sysDescr.0")
    assert "K.15.17.0008" in cli("getMIB entPhysicalSoftwareRev.1")
    assert "revision K.15.17.0008," in cli("show lldp info local-device")
    assert "booted with K.15.17.0008" in cli("show log")


def test_copy_flash_flash_carries_the_image_file(cli: Cli, device: Device,
                                                 peer: Tftpd) -> None:
    cli("copy tftp flash 127.0.0.1 k1517.swi")  # primary, the default
    assert cli("copy flash flash secondary") == ""
    assert device.flash.read_image("secondary") == IMAGE
    assert device.flash.images()["secondary"] == "K.15.17.0008"


@pytest.mark.parametrize("line, message", [
    ("copy tftp flash 127.0.0.1 junk.swi", "Aborted, wrong file"),
    ("copy tftp flash 127.0.0.1 nothere.swi secondary", "Transfer failed: File not found."),
    ("copy tftp startup-config 127.0.0.1 nothere.cfg", "Transfer failed: File not found."),
])
def test_a_failed_download_leaves_the_flash_as_it_was(cli: Cli, device: Device, peer: Tftpd,
                                                      line: str, message: str) -> None:
    before = (device.flash.images(), device.flash.read_startup(),
              device.flash.read_image("primary"), device.flash.read_image("secondary"))
    assert cli(line) == message
    assert before == (device.flash.images(), device.flash.read_startup(),
                      device.flash.read_image("primary"), device.flash.read_image("secondary"))


def test_a_silent_server_times_out(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    silent = Tftpd(silent=True)
    monkeypatch.setattr(file_transfer, "server", lambda call: silent.server())
    try:
        assert cli("copy running-config tftp 127.0.0.1 x") == "Transfer failed: timed out."
    finally:
        silent.close()


def test_no_tftp_client_refuses_the_copies(config: Cli, peer: Tftpd) -> None:
    config("no tftp client")
    assert config("copy running-config tftp 127.0.0.1 x") == file_transfer.TFTP_DISABLED
    assert "x" not in peer.files  # the server never heard of it


def test_the_statements_render_where_k15_writes_them(config: Cli, device: Device) -> None:
    assert config("no tftp server") == "" and config("no autorun") == ""
    lines = config("show running-config").splitlines()
    assert lines[lines.index("no tftp server") - 1:][:3] == ["   exit", "no tftp server",
                                                             "no autorun"]
    assert config("ip ssh filetransfer") == file_transfer.TFTP_OFF
    text = config("show running-config")
    assert "ip ssh filetransfer\nno tftp client\nno tftp server\n" in text
    assert config("tftp client") == file_transfer.SFTP_FIRST
    assert config("no ip ssh filetransfer") == ""
    assert config("tftp client") == "" and config("tftp server") == ""
    assert "tftp" not in config("show running-config")


def test_a_startup_config_sets_them(device: Device) -> None:
    text = "ip ssh filetransfer\nno tftp client\nno tftp server\n"
    booted = replay_text(text, device.inventory)
    assert booted.errors == []
    cfg = booted.config
    assert (cfg.ssh_filetransfer, cfg.tftp_client, cfg.tftp_server) == (True, False, False)
    assert text in render_config(cfg)
    assert replay_text("no tftp server\n", device.inventory).config.tftp_client


def test_operators_cannot_copy(cli: Cli) -> None:
    from emulator.cli.context import Level

    cli.session.set_level(Level.OPERATOR)
    assert "Invalid input" in cli("copy running-config tftp 127.0.0.1 x")


# -- the sftp forms ---------------------------------------------------------------------------


@pytest.fixture
def sftp_peer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
              cli: Cli) -> Iterator[SftpPeer]:
    """asyncssh's SFTP server, reached by every `copy ... sftp` of the test; the password the
    CLI asks for is its user's (each prompt lands in the session's `typed`)."""
    root = tmp_path / "sftp-root"
    root.mkdir()
    (root / "new.cfg").write_bytes(b'hostname "via-sftp"\n')
    (root / "k1517.swi").write_bytes(IMAGE)
    server = SftpPeer(root)
    real = file_transfer.sftp_server

    async def to_peer(call: Any) -> sftp_client.Server:
        return dataclasses.replace(await real(call), port=server.port)

    monkeypatch.setattr(file_transfer, "sftp_server", to_peer)

    async def ask(prompt: str, *, echo: bool = True) -> str:
        cli.session.typed.append(prompt)
        return sftp_peer_module.PASSWORD

    monkeypatch.setattr(cli.session, "ask", ask)
    yield server
    server.close()


def test_sftp_uploads_and_downloads(cli: Cli, device: Device, sftp_peer: SftpPeer) -> None:
    assert cli(f"copy running-config sftp {sftp_peer_module.USER}@127.0.0.1 run.cfg") == ""
    assert (sftp_peer.root / "run.cfg").read_text() == device.running_text()
    assert cli.session.typed[-1] == "\r\nbackup@127.0.0.1's password: "
    assert cli("copy sftp flash backup@127.0.0.1 k1517.swi secondary").splitlines()[-1] == (
        file_transfer.WRITING_IMAGE)
    assert device.flash.read_image("secondary") == IMAGE
    reboots: list[str] = []

    async def reboot(reason: str) -> None:
        reboots.append(reason)

    device.on_reboot.append(reboot)
    assert cli("copy sftp startup-config backup@127.0.0.1 new.cfg") == ""
    assert device.flash.read_startup() == 'hostname "via-sftp"\n'
    assert reboots == ["copy sftp startup-config"]


def test_sftp_asks_the_user_name_when_none_is_given(cli: Cli, sftp_peer: SftpPeer,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    answers = iter([sftp_peer_module.USER, sftp_peer_module.PASSWORD])

    async def ask(prompt: str, *, echo: bool = True) -> str:
        cli.session.typed.append(prompt)
        return next(answers)

    monkeypatch.setattr(cli.session, "ask", ask)
    assert cli("copy event-log sftp 127.0.0.1 log.txt") == ""
    assert cli.session.typed[-2:] == ["\r\nUsername: ", "\r\nbackup@127.0.0.1's password: "]
    assert (sftp_peer.root / "log.txt").read_text().startswith(" Keys:")


NO_FILE = "No such file or directory"
"""What asyncssh's server says of a missing file (the client passes the server's text on)."""


@pytest.mark.parametrize("line, message", [
    ("copy sftp startup-config nobody@127.0.0.1 new.cfg",
     "Transfer failed: authentication failed."),
    ("copy sftp flash backup@127.0.0.1 none.swi", f"Transfer failed: {NO_FILE}."),
    ("copy sftp startup-config backup@127.0.0.1 none.cfg", f"Transfer failed: {NO_FILE}."),
])
def test_a_failed_sftp_download_changes_nothing(cli: Cli, device: Device, sftp_peer: SftpPeer,
                                                line: str, message: str) -> None:
    before = (device.flash.images(), device.flash.read_startup(),
              device.flash.read_image("primary"))
    assert cli(line) == message
    assert before == (device.flash.images(), device.flash.read_startup(),
                      device.flash.read_image("primary"))


def test_the_sftp_server_parameter_is_checked(cli: Cli) -> None:
    assert cli("copy running-config sftp @10.0.0.1 x").startswith("Invalid input")
    assert cli("copy running-config sftp me@10.0.0.300 x").startswith("Invalid input")
