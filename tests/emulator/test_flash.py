"""The flash on a shared host: private files in private folders, temporary files no other
user can predict, and a data directory others could write to refused at start."""

from __future__ import annotations

import asyncio
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from emulator.flash import Flash, atomic_write, private_dir
from emulator.ipc import messages, wire
from emulator.redundancy import sync
from emulator.testing import REPO, STOP_DEADLINE, missing_root, require

NOBODY = 65534


def _modes(root: Path) -> dict[str, int]:
    """Every file and folder under `root` (itself included) with its permission bits."""
    found = {".": stat.S_IMODE(root.stat().st_mode)}
    for path in root.rglob("*"):
        found[str(path.relative_to(root))] = stat.S_IMODE(path.lstat().st_mode)
    return found


def _written_flash(root: Path) -> Flash:
    flash = Flash(root)
    flash.format()
    flash.write_startup('snmp-server community "secret" unrestricted\n')
    flash.write_security("passwords.json", {"manager": "hash"})
    flash.write_state({"last_role": "active"})
    flash.write_images(flash.images())
    return flash


@pytest.fixture
def open_umask() -> Iterator[None]:
    """Umask 0: the modes come from the flash code, not from the caller's umask."""
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


@pytest.mark.usefixtures("open_umask")
def test_every_flash_file_is_private_in_private_folders(tmp_path: Path) -> None:
    _written_flash(tmp_path / "mm1")
    modes = _modes(tmp_path / "mm1")
    assert set(modes) >= {".", "config", "config/startup", "security",
                          "security/passwords.json", "state.json", "images.json"}
    for name, mode in modes.items():
        path = tmp_path / "mm1" / name
        assert mode == (0o700 if path.is_dir() else 0o600), f"{name}: {mode:04o}"


def test_format_makes_an_old_open_flash_private(tmp_path: Path) -> None:
    for folder in (tmp_path / "mm1", tmp_path / "mm1" / "config", tmp_path / "mm1" / "security"):
        folder.mkdir(0o755)
        os.chmod(folder, 0o755)
    Flash(tmp_path / "mm1").format()
    assert {mode for name, mode in _modes(tmp_path / "mm1").items()
            if (tmp_path / "mm1" / name).is_dir()} == {0o700}


def test_a_symlink_planted_at_a_temporary_name_is_never_followed(tmp_path: Path) -> None:
    """The old temporary name was `.startup.tmp<pid>`: another user who could guess it
    made the switch overwrite any file it can write. Names are random now and opened with
    O_EXCL; whatever is planted is left alone."""
    flash = _written_flash(tmp_path / "mm1")
    victim = tmp_path / "victim"
    victim.write_text("untouched\n")
    config = flash.root / "config"
    planted = [config / f".startup.tmp{pid}" for pid in range(os.getpid() - 50,
                                                                os.getpid() + 50)]
    for link in planted:
        link.symlink_to(victim)
    flash.write_startup("hostname \"new\"\n")
    assert victim.read_text() == "untouched\n"
    assert flash.read_startup() == "hostname \"new\"\n"
    assert sorted(config.iterdir()) == sorted([*planted, config / "startup"])


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    path = tmp_path / "config" / "startup"
    atomic_write(path, b"old\n")
    with pytest.raises(TypeError):
        atomic_write(path, "not bytes")  # type: ignore[arg-type]
    assert path.read_bytes() == b"old\n"
    assert list(path.parent.iterdir()) == [path]


@pytest.mark.usefixtures("open_umask")
def test_private_dir_makes_missing_folders_private(tmp_path: Path) -> None:
    data = tmp_path / "a" / "b" / "data"
    private_dir(data)
    for folder in (tmp_path / "a", tmp_path / "a" / "b", data):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700


@pytest.mark.parametrize("mode", [0o777, 0o775, 0o757, 0o1777])
def test_a_data_dir_others_can_write_is_refused(tmp_path: Path, mode: int) -> None:
    data = tmp_path / "data"
    data.mkdir()
    os.chmod(data, mode)
    with pytest.raises(PermissionError, match=f"writable by other users \\(mode {mode:04o}\\)"):
        private_dir(data)


def test_a_data_dir_owned_by_another_user_is_refused(tmp_path: Path) -> None:
    require(missing_root("giving a folder to another user"))
    data = tmp_path / "data"
    data.mkdir(0o700)
    os.chown(data, NOBODY, NOBODY)
    with pytest.raises(PermissionError, match=f"owned by uid {NOBODY}"):
        private_dir(data)


def test_procurve_emu_run_refuses_a_loose_data_dir_with_one_line(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    os.chmod(data, 0o777)
    done = subprocess.run(
        [sys.executable, "-m", "emulator.main", "run", "--data-dir", str(data), "--timing",
         "fast", "--ssh-port", "0", "--telnet-port", "0", "--snmp-port", "0"],
        cwd=REPO, stdin=subprocess.DEVNULL, capture_output=True, text=True,
        timeout=STOP_DEADLINE, check=False)
    assert done.returncode == 1
    assert done.stderr == (f"procurve-emu: cannot use data dir {data}: writable by other "
                           "users (mode 0777); chmod go-w it\n")
    assert list(data.iterdir()) == []


@pytest.mark.usefixtures("open_umask")
def test_synced_copies_on_the_standby_are_private(tmp_path: Path) -> None:
    """The standby's flash gets the same files, private, whatever mode a message names."""
    active = _written_flash(tmp_path / "mm1")
    standby = Flash(tmp_path / "mm2")
    standby.format()

    async def run() -> None:
        one, two = wire.pair()
        sender, receiver = wire.Link(one), wire.Link(two)
        task = asyncio.create_task(sync.receive(receiver, standby, lambda _text: None))
        await sync.push(sender, active, STOP_DEADLINE)
        await sender.send(messages.FileSync("config/startup", "aG9zdG5hbWUK", 0o666))
        assert isinstance(await sender.recv_message(), messages.SyncAck)
        sender.close()
        await task
        receiver.close()

    asyncio.run(run())
    assert standby.read_startup() == "hostname\n"
    assert standby.read_security("passwords.json") == {"manager": "hash"}
    for name, mode in _modes(standby.root).items():
        path = standby.root / name
        assert mode == (0o700 if path.is_dir() else 0o600), f"{name}: {mode:04o}"


def test_format_makes_a_blank_flash_booting_the_primary_image(tmp_path: Path) -> None:
    flash = Flash.for_slot(tmp_path, "MM2")
    flash.format()
    assert flash.root == tmp_path / "mm2"
    assert flash.read_startup() is None  # the switch then boots its factory default
    images = flash.images()
    assert images["default"] == "primary" and images["primary"] == images["secondary"] != ""
    assert flash.security.is_dir()


def test_format_keeps_what_the_flash_already_holds(tmp_path: Path) -> None:
    flash = _written_flash(tmp_path / "mm1")
    flash.write_images(flash.images() | {"default": "secondary"})
    flash.format()
    assert flash.images()["default"] == "secondary"
    assert flash.read_startup() == 'snmp-server community "secret" unrestricted\n'
    assert flash.read_security("passwords.json") == {"manager": "hash"}


def test_absent_files_read_as_nothing_stored(tmp_path: Path) -> None:
    flash = Flash(tmp_path / "mm1")
    flash.format()
    assert flash.state() == {}
    assert flash.read_root_json("redundancy.json") is None
    assert flash.read_security("passwords.json") is None


def test_startup_config_written_replaced_and_erased(tmp_path: Path) -> None:
    flash = Flash(tmp_path / "mm1")
    flash.format()
    flash.write_startup("hostname \"a\"\n")
    flash.write_startup("hostname \"b\"\n")
    assert flash.read_startup() == "hostname \"b\"\n"
    flash.erase_startup()
    assert flash.read_startup() is None
    flash.erase_startup()  # erasing what is not there is no error
    assert not list(flash.root.rglob(".*.tmp"))


def test_a_reader_sees_the_old_file_or_the_new_never_a_mix(tmp_path: Path) -> None:
    """Writes replace the whole file at once: a reader racing 200 rewrites of a 1 MiB file
    only ever reads one complete version."""
    path = tmp_path / "startup"
    versions = [bytes([65 + n]) * (1 << 20) for n in range(2)]
    atomic_write(path, versions[0])
    seen: set[bytes] = set()
    done = False

    def read() -> None:
        while not done:
            seen.add(path.read_bytes())

    async def race() -> None:
        nonlocal done
        reader = asyncio.get_running_loop().run_in_executor(None, read)
        for n in range(200):
            atomic_write(path, versions[n % 2])
        done = True
        await reader

    asyncio.run(race())
    assert seen <= set(versions) and seen
