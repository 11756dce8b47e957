"""One management module's flash: the on-disk state a real module keeps across reboots.

Every write is atomic and durable before it returns (temp file, fsync, rename, fsync of the
directory): containers are stopped with SIGKILL, and `write memory` promises the config is
saved when the prompt comes back.

The data directory may sit on a host other users share, and it holds secrets (communities in
the config, passwords, SSH host keys, SNMPv3 keys): every file is private to us (0600) in
private folders (0700), a temporary file is made exclusively under a random name (never one
another user could plant a symlink at), and a data directory another user could write to is
refused at start, as OpenSSH refuses a key file others can read.
"""

from __future__ import annotations

import errno
import json
import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from emulator import hardware

STARTUP_CONFIG = "config/startup"
IMAGES = "images.json"
IMAGE_FILES: Final = {"primary": "os/primary", "secondary": "os/secondary"}
"""An image file copied into a flash (emulator/images.py); absent: the built-in image."""
STATE = "state.json"
SECURITY = "security"
HOST_KEY_FILES: Final = ("ssh_host_ecdsa_key", "ssh_host_rsa_key")
"""The SSH host keys in the security folder (ssh_server/hostkeys.py makes them)."""
PRIVATE_FILE: Final = 0o600
PRIVATE_DIR: Final = 0o700
FOREIGN_WRITE: Final = stat.S_IWGRP | stat.S_IWOTH


def private_dir(path: Path) -> None:
    """Create `path` and its missing parents as private folders, then refuse it if it is not
    ours alone: owned by another user, or writable by group or others (whoever can write
    there can swap our files, or read the secrets in the ones they plant)."""
    missing: list[Path] = []
    for folder in (path, *path.parents):
        if folder.exists():
            break
        missing.append(folder)
    for folder in reversed(missing):
        folder.mkdir(PRIVATE_DIR, exist_ok=True)
        os.chmod(folder, PRIVATE_DIR)
    info = path.stat()
    if info.st_uid != os.geteuid():
        raise PermissionError(errno.EPERM, f"owned by uid {info.st_uid}, not by this user "
                                           f"(uid {os.geteuid()})")
    if info.st_mode & FOREIGN_WRITE:
        raise PermissionError(errno.EPERM, f"writable by other users (mode "
                                           f"{stat.S_IMODE(info.st_mode):04o}); chmod go-w it")


def _private_subdir(path: Path) -> None:
    """A folder of our own inside the data dir: made private, and kept so if it was not."""
    path.mkdir(PRIVATE_DIR, parents=True, exist_ok=True)
    os.chmod(path, PRIVATE_DIR)


def atomic_write(path: Path, data: bytes, mode: int = PRIVATE_FILE) -> None:
    """Replace `path` with `data` so that a crash at any point leaves the old or the new file.
    The temporary file is mkstemp's: created with O_EXCL under a random name, mode 0600."""
    if not path.parent.is_dir():
        _private_subdir(path.parent)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(name)
    try:
        try:
            os.fchmod(fd, mode)
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def durable_remove(path: Path) -> None:
    """Remove `path` (if there) so that the removal survives a crash right after."""
    if not path.exists():
        return
    path.unlink()
    dir_fd = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def write_json(path: Path, value: Any) -> None:
    atomic_write(path, (json.dumps(value, indent=2, sort_keys=True) + "\n").encode())


def read_json(path: Path, default: Any) -> Any:
    try:
        return json.loads(path.read_text())
    except FileNotFoundError:
        return default


@dataclass(frozen=True)
class Flash:
    """The flash directory of the module in `slot` (mm1/ or mm2/ under the data dir)."""

    root: Path

    @classmethod
    def for_slot(cls, data_dir: Path, slot: str) -> Flash:
        return cls(data_dir / slot.lower())

    @property
    def security(self) -> Path:
        return self.root / SECURITY

    def format(self) -> None:
        """A new module: image versions and empty folders; the startup config stays absent
        (the switch then boots its factory default). Folders an older version made readable
        by others are made private."""
        for folder in (self.root, self.security, (self.root / STARTUP_CONFIG).parent):
            _private_subdir(folder)
        if not (self.root / IMAGES).exists():
            write_json(
                self.root / IMAGES,
                {
                    "primary": hardware.SOFTWARE_REVISION,
                    "secondary": hardware.SOFTWARE_REVISION,
                    "default": "primary",
                },
            )

    def read_startup(self) -> str | None:
        try:
            return (self.root / STARTUP_CONFIG).read_text()
        except FileNotFoundError:
            return None

    def write_startup(self, text: str) -> None:
        atomic_write(self.root / STARTUP_CONFIG, text.encode())

    def erase_startup(self) -> None:
        durable_remove(self.root / STARTUP_CONFIG)

    def read_image(self, image: str) -> bytes | None:
        """The image file in `primary`/`secondary` flash, None while it is the built-in one."""
        try:
            return (self.root / IMAGE_FILES[image]).read_bytes()
        except FileNotFoundError:
            return None

    def write_image(self, image: str, data: bytes | None, version: str) -> None:
        """Store an image file (None: back to the built-in one) and its version in
        images.json, the file first: a crash between the two leaves a whole file and the
        version images.json had, never a torn image."""
        if data is None:
            durable_remove(self.root / IMAGE_FILES[image])
        else:
            atomic_write(self.root / IMAGE_FILES[image], data)
        self.write_images(self.images() | {image: version})

    def images(self) -> dict[str, str]:
        value: dict[str, str] = read_json(self.root / IMAGES, {})
        return value

    def write_images(self, images: dict[str, str]) -> None:
        write_json(self.root / IMAGES, images)

    def state(self) -> dict[str, Any]:
        value: dict[str, Any] = read_json(self.root / STATE, {})
        return value

    def write_state(self, state: dict[str, Any]) -> None:
        write_json(self.root / STATE, state)

    def read_root_json(self, name: str) -> Any:
        return read_json(self.root / name, None)

    def write_root_json(self, name: str, value: Any) -> None:
        write_json(self.root / name, value)

    def read_security(self, name: str) -> Any:
        return read_json(self.security / name, None)

    def write_security(self, name: str, value: Any) -> None:
        write_json(self.security / name, value)
