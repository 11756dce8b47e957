"""procurve-emu: a virtual HP ProCurve 8212zl.

Every process of a chassis (the chassis, the fabric, each management module) starts by importing
this package, so the one warning filter they all need is here: asyncssh's DSA support touches
names the newest cryptography marks deprecated, and the warnings it prints at import (5 lines per
module process) would fill container logs and GNS3 consoles with noise on every start.

`__version__` is the one place the version is written: pyproject.toml reads it (dynamic
version) and `procurve-emu --version` prints it. `runnable_env` is how every process that
starts one of ours by exec (a chassis' zygote, the lab's zygote and nodes) finds this package.
"""

import os
import sys
import warnings
from pathlib import Path

__version__ = "0.1.0"

PACKAGE_ROOT = Path(__file__).resolve().parent.parent
"""The directory holding this package (a checkout's root, or site-packages)."""


def runnable_env(env: dict[str, str]) -> dict[str, str]:
    """`env`, able to run this package's modules with this interpreter (`python -m`): the
    package's root first on PYTHONPATH, the interpreter's directory first on PATH."""
    python_path = env.get("PYTHONPATH")
    env["PYTHONPATH"] = str(PACKAGE_ROOT) + (os.pathsep + python_path if python_path else "")
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    return env

warnings.filterwarnings("ignore", message="DSA is deprecated", module=r"asyncssh\.crypto\.")
