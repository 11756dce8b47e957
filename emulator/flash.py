"""One management module's flash: the on-disk state a real module keeps across reboots.

Every write is atomic and durable before it returns (temp file, fsync, rename, fsync of the
directory): containers are stopped with SIGKILL, and `write memory` promises the config is
saved when the prompt comes back.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from emulator import hardware

STARTUP_CONFIG = "config/startup"
IMAGES = "images.json"
STATE = "state.json"
SECURITY = "security"


def atomic_write(path: Path, data: bytes, mode: int = 0o644) -> None:
    """Replace `path` with `data` so that a crash at any point leaves the old or the new file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)
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


def write_json(path: Path, value: Any, mode: int = 0o644) -> None:
    atomic_write(path, (json.dumps(value, indent=2, sort_keys=True) + "\n").encode(), mode)


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
        (the switch then boots its factory default)."""
        self.security.mkdir(parents=True, exist_ok=True)
        os.chmod(self.security, 0o700)
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
        write_json(self.security / name, value, 0o600)
