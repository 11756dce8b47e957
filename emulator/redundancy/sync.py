"""File sync between the management modules: the active pushes its stored config and security
files to the standby's flash. Each file is acknowledged only once it is durable on the standby,
so a prompt that waits for `push` returns only when the standby would boot with the change.

The running config is sent only in nonstop switching (`push_running`), after every change, and
kept in the standby's memory: it is what the standby runs when it takes over without a reboot.
In warm standby it is never sent (it is lost on switchover, as on the real switch).
"""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import Final

from emulator.flash import (
    HOST_KEY_FILES,
    IMAGE_FILES,
    IMAGES,
    PRIVATE_FILE,
    SECURITY,
    STARTUP_CONFIG,
    Flash,
    atomic_write,
    durable_remove,
)
from emulator.ipc import wire
from emulator.ipc.messages import FileSync, RunningSync, SyncAck
from emulator.redundancy.state import FAILOVER_FILE, PREFERENCE_FILE

ROOT_FILES: Final = (STARTUP_CONFIG, *IMAGE_FILES.values(), IMAGES, FAILOVER_FILE,
                     PREFERENCE_FILE)
"""Synced files outside security/ (every file in security/ is synced too)."""


class SyncError(Exception):
    """The standby did not take the files (gone, or silent past the timeout)."""


def synced_files(flash: Flash) -> list[tuple[str, bytes | None, int]]:
    """(path relative to the flash root, content or None for absent, mode) of every synced file;
    all private, as on the active's flash (the config holds the communities)."""
    files: list[tuple[str, bytes | None, int]] = []
    for name in ROOT_FILES:
        path = flash.root / name
        files.append((name, path.read_bytes() if path.exists() else None,
                      PRIVATE_FILE))
    if flash.security.is_dir():
        for path in sorted(flash.security.iterdir()):
            if path.is_file() and not path.name.startswith("."):
                files.append((f"{SECURITY}/{path.name}", path.read_bytes(), PRIVATE_FILE))
    # `crypto key zeroize ssh` erases the host keys: the standby's copies go too
    files += [(f"{SECURITY}/{name}", None, PRIVATE_FILE) for name in HOST_KEY_FILES
              if not (flash.security / name).exists()]
    return files


async def push(link: wire.Link, flash: Flash, timeout: float) -> int:
    """Send every synced file and wait for each acknowledgement (in order, each naming its
    file's request); the number of files sent."""
    files = synced_files(flash)
    try:
        async with asyncio.timeout(timeout):
            for number, (name, data, mode) in enumerate(files, 1):
                encoded = None if data is None else base64.b64encode(data).decode()
                await link.send(FileSync(name, encoded, mode, id=number))
            for number, (name, _, _) in enumerate(files, 1):
                reply = await link.recv_message()
                if not (isinstance(reply, SyncAck) and reply.reply_to == number
                        and reply.path == name):
                    raise SyncError(f"standby answered {reply.kind} for {name}")
    except (EOFError, wire.IpcError, TimeoutError) as exc:
        raise SyncError(str(exc) or type(exc).__name__) from exc
    return len(files)


RUNNING_CONFIG: Final = "running-config"
"""The name a SyncAck gives the running config (a name no flash file has)."""


async def push_running(link: wire.Link, text: str | None, timeout: float) -> None:
    """Send the running config (None: forget it) and wait until the standby holds it."""
    try:
        async with asyncio.timeout(timeout):
            await link.send(RunningSync(text, id=1))
            reply = await link.recv_message()
    except (EOFError, wire.IpcError, TimeoutError) as exc:
        raise SyncError(str(exc) or type(exc).__name__) from exc
    if not (isinstance(reply, SyncAck) and reply.path == RUNNING_CONFIG):
        raise SyncError(f"standby answered {reply.kind} for the running config")


def _target(flash: Flash, name: str) -> Path:
    """Only the synced names, never a path out of the flash."""
    relative = PurePosixPath(name)
    allowed = name in ROOT_FILES or (
        len(relative.parts) == 2 and relative.parts[0] == SECURITY and ".." not in relative.parts
    )
    if not allowed:
        raise wire.IpcError(f"not a synced file: {name}")
    return flash.root / relative


async def receive(link: wire.Link, flash: Flash,
                  keep_running: Callable[[str | None], None]) -> None:
    """The standby's side: store each file durably, then acknowledge it; hand a running config
    to `keep_running` and acknowledge it; until the link ends. A file is never stored more open
    than private, whatever mode the message names."""
    while True:
        try:
            msg = await link.recv_message()
        except (EOFError, wire.IpcError):
            return
        if isinstance(msg, RunningSync):
            keep_running(msg.text)
            await link.send(SyncAck(RUNNING_CONFIG, reply_to=msg.id))
            continue
        if not isinstance(msg, FileSync):  # the messages a standby's peer link carries
            continue
        path = _target(flash, msg.path)
        if msg.data is None:
            durable_remove(path)
        else:
            atomic_write(path, base64.b64decode(msg.data), msg.mode & PRIVATE_FILE)
        await link.send(SyncAck(msg.path, reply_to=msg.id))
