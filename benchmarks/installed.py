"""Run the emulator as `pip install .` leaves it: every module byte-compiled.

pip compiles each module to `__pycache__` when it installs a package; an editable install (the
test command's) leaves that to the first import, and with PYTHONDONTWRITEBYTECODE set (as on the
machines these benchmarks ran on) never does it, so every process of every chassis compiled its
sources again at each start: 0.2 s of a 0.6 s boot, and the compiler's garbage in each process's
memory. A user's chassis never pays that, so a benchmark must not either: each one that starts
chassis calls `byte_compile` first (compileall writes the files whatever that variable says).
"""

from __future__ import annotations

import compileall
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKAGES = ("emulator", "snmp", "ssh_server")


def byte_compile(repo: Path = REPO) -> None:
    """Compile the emulator's packages in `repo` where their bytecode is missing or stale."""
    for package in PACKAGES:
        if not compileall.compile_dir(repo / package, quiet=1):
            raise RuntimeError(f"{repo / package}: a module does not compile")
