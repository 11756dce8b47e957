"""File sync between the modules over a real socket pair: the standby's flash ends up with the
active's stored files, private, each in place before its acknowledgement; a standby that stops
answering or hangs up is a SyncError, never a hang."""

from __future__ import annotations

import asyncio
import stat
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from emulator.flash import HOST_KEY_FILES, PRIVATE_FILE, STARTUP_CONFIG, Flash
from emulator.ipc import wire
from emulator.ipc.messages import FileSync, SyncAck
from emulator.redundancy.state import FAILOVER_FILE
from emulator.redundancy.sync import SyncError, push, push_running, receive, synced_files

TIMEOUT = 10.0
SILENT_STANDBY = 0.5
"""How long push waits for a standby that never answers (the test's own, short limit)."""


def _flash(root: Path) -> Flash:
    flash = Flash(root)
    flash.format()
    return flash


@pytest.fixture
def active(tmp_path: Path) -> Flash:
    flash = _flash(tmp_path / "mm1")
    flash.write_startup("hostname \"core\"\n")
    flash.write_security("passwords.json", {"manager": "hash"})
    flash.write_images(flash.images() | {"default": "secondary"})
    return flash


def _with_standby(standby: Flash,
                  scenario: Callable[[wire.Link], Awaitable[None]],
                  kept: list[str | None] | None = None) -> None:
    """Run `scenario` with the active's end of a link whose other end a standby serves; the
    running configs it is given go to `kept`."""
    async def run() -> None:
        one, two = wire.pair()
        sender, receiver = wire.Link(one), wire.Link(two)
        serving = asyncio.create_task(receive(receiver, standby,
                                              (kept if kept is not None else []).append))
        try:
            await scenario(sender)
        finally:
            sender.close()
            await asyncio.wait_for(serving, TIMEOUT)
            receiver.close()

    asyncio.run(run())


def test_a_push_gives_the_standby_every_stored_file(active: Flash, tmp_path: Path) -> None:
    standby = _flash(tmp_path / "mm2")
    standby.write_root_json(FAILOVER_FILE, {"failovers": 9})  # gone from the active: removed
    sent: list[int] = []

    async def scenario(link: wire.Link) -> None:
        sent.append(await push(link, active, TIMEOUT))
        # acknowledged means stored: the files are in place before the receiver goes on
        assert standby.read_startup() == "hostname \"core\"\n"

    _with_standby(standby, scenario)
    assert sent == [len(synced_files(active))]
    assert standby.read_security("passwords.json") == {"manager": "hash"}
    assert standby.images()["default"] == "secondary"
    assert not (standby.root / FAILOVER_FILE).exists()
    assert [name for name, _, _ in synced_files(standby)] == \
        [name for name, _, _ in synced_files(active)]


def test_host_keys_erased_on_the_active_are_erased_on_the_standby(active: Flash,
                                                                  tmp_path: Path) -> None:
    """`crypto key zeroize ssh`: the standby must not keep the keys the active erased."""
    standby = _flash(tmp_path / "mm2")
    for name in HOST_KEY_FILES:
        (standby.security / name).write_bytes(b"old key")

    async def scenario(link: wire.Link) -> None:
        await push(link, active, TIMEOUT)

    _with_standby(standby, scenario)
    assert not any((standby.security / name).exists() for name in HOST_KEY_FILES)


def test_files_arrive_private_whatever_mode_is_asked(active: Flash, tmp_path: Path) -> None:
    standby = _flash(tmp_path / "mm2")

    async def scenario(link: wire.Link) -> None:
        await push(link, active, TIMEOUT)
        await link.send(FileSync("security/extra.json", "e30=", 0o666, id=99))
        ack = await link.recv_message()
        assert ack == SyncAck("security/extra.json", reply_to=99)

    _with_standby(standby, scenario)
    for name in (STARTUP_CONFIG, "security/passwords.json", "security/extra.json"):
        assert stat.S_IMODE((standby.root / name).stat().st_mode) == PRIVATE_FILE, name
    assert not list(standby.root.rglob(".*.tmp")), "a temporary file was left behind"


def test_a_standby_that_stops_answering_is_a_sync_error(active: Flash) -> None:
    async def run() -> None:
        one, two = wire.pair()
        link = wire.Link(one)
        try:
            with pytest.raises(SyncError):
                await push(link, active, SILENT_STANDBY)  # `two` is open but never read
        finally:
            link.close()
            two.close()

    asyncio.run(run())


def test_a_standby_that_hangs_up_is_a_sync_error(active: Flash) -> None:
    async def run() -> None:
        one, two = wire.pair()
        two.close()
        link = wire.Link(one)
        try:
            with pytest.raises(SyncError):
                await push(link, active, TIMEOUT)
        finally:
            link.close()

    asyncio.run(run())


def test_an_ack_for_another_request_is_a_sync_error(active: Flash) -> None:
    """A standby that acknowledges out of turn does not count as having stored the file."""
    async def run() -> None:
        one, two = wire.pair()
        link, standby = wire.Link(one), wire.Link(two)

        async def confused() -> None:
            msg = await standby.recv_message()
            assert isinstance(msg, FileSync)
            await standby.send(SyncAck(msg.path, reply_to=msg.id + 1))

        answering = asyncio.create_task(confused())
        try:
            with pytest.raises(SyncError, match="SyncAck"):
                await push(link, active, TIMEOUT)
            await answering
        finally:
            link.close()
            standby.close()

    asyncio.run(run())


@pytest.mark.parametrize("name", ["../escape", "security/../../escape", "/etc/escape",
                                  "security/a/b", "state.json"])
def test_a_name_outside_the_synced_files_is_refused(tmp_path: Path, name: str) -> None:
    standby = _flash(tmp_path / "mm2")

    async def run() -> None:
        one, two = wire.pair()
        link, receiver = wire.Link(one), wire.Link(two)
        try:
            await link.send(FileSync(name, "e30=", 0o600, id=1))
            with pytest.raises(wire.IpcError, match="not a synced file"):
                await asyncio.wait_for(receive(receiver, standby, lambda _text: None), TIMEOUT)
        finally:
            link.close()
            receiver.close()

    asyncio.run(run())
    assert not (tmp_path / "escape").exists()
    assert not (standby.root / "state.json").exists()


def test_a_nonstop_standby_holds_the_running_config_in_memory_only(active: Flash,
                                                                     tmp_path: Path) -> None:
    """Nonstop switching: the running config reaches the standby, acknowledged once it holds
    it, beside the file sync on the same link; never on its flash; None makes it forget."""
    standby = _flash(tmp_path / "mm2")
    kept: list[str | None] = []

    async def scenario(link: wire.Link) -> None:
        await push(link, active, TIMEOUT)
        await push_running(link, 'hostname "unsaved"\n', TIMEOUT)
        assert kept == ['hostname "unsaved"\n']
        await push_running(link, None, TIMEOUT)

    _with_standby(standby, scenario, kept)
    assert kept == ['hostname "unsaved"\n', None]
    assert standby.read_startup() == 'hostname "core"\n'
    assert not any(b"unsaved" in path.read_bytes()
                   for path in standby.root.rglob("*") if path.is_file())


def test_a_silent_standby_fails_the_running_config_push() -> None:
    async def run() -> None:
        one, two = wire.pair()
        sender = wire.Link(one)
        try:
            with pytest.raises(SyncError):
                await push_running(sender, "hostname x\n", SILENT_STANDBY)
        finally:
            sender.close()
            two.close()

    asyncio.run(run())
