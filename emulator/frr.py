"""FRR's daemons as the switch runs them (emulator/ospf.py): where they are, where their pid
files and sockets go, and how leftovers are ended. Kept apart from the engine so that the
chassis, which ends leftovers at its stop, imports nothing of the config model."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import time
from pathlib import Path
from typing import Final

FRR_DIR: Final = Path("/usr/lib/frr")
DAEMONS: Final = ("zebra", "ospfd")
VTYSH: Final = "vtysh"
FRR_USER: Final = "frr"
"""The daemons drop their privileges to this user; the vty sockets' group holds it."""
RUNTIME_ROOT: Final = Path("/run/procurve-emu")
LEFTOVER_DEADLINE: Final = 2.0


def runtime_dir(netns: str) -> Path:
    return RUNTIME_ROOT / netns / "frr"


def _pids(directory: Path) -> list[int]:
    found = []
    for daemon in DAEMONS:
        with contextlib.suppress(OSError, ValueError):
            found.append(int((directory / f"{daemon}.pid").read_text().strip()))
    return found


def _is_frr(pid: int) -> bool:
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[0]
    except OSError:
        return False
    return Path(command.decode(errors="replace")).name in DAEMONS


def kill_leftovers(netns: str) -> None:
    """End the daemons an earlier engine of this namespace left running (its module was
    killed), by the pids their files name, and only if those are still FRR's daemons."""
    for pid in _pids(runtime_dir(netns)):
        if _is_frr(pid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + LEFTOVER_DEADLINE
    while any(_is_frr(pid) for pid in _pids(runtime_dir(netns))) and \
            time.monotonic() < deadline:
        time.sleep(0.02)


def clean(netns: str) -> None:
    """At the chassis' stop: no daemon and no runtime directory of this namespace left."""
    kill_leftovers(netns)
    shutil.rmtree(RUNTIME_ROOT / netns, ignore_errors=True)


def missing() -> str | None:
    """Why the engine cannot run here, or None."""
    for daemon in DAEMONS:
        if not (FRR_DIR / daemon).exists():
            return f"{FRR_DIR / daemon} not installed (Debian package frr)"
    if shutil.which(VTYSH) is None:
        return "vtysh not installed (Debian package frr)"
    return None


