"""procurve-emu: a virtual HP ProCurve 8212zl.

Every process of a chassis (the chassis, the fabric, each management module) starts by importing
this package, so the one warning filter they all need is here: asyncssh's DSA support touches
names the newest cryptography marks deprecated, and the warnings it prints at import (5 lines per
module process) would fill container logs and GNS3 consoles with noise on every start.

`__version__` is the one place the version is written: pyproject.toml reads it (dynamic
version) and `procurve-emu --version` prints it.
"""

import warnings

__version__ = "0.1.0"

warnings.filterwarnings("ignore", message="DSA is deprecated", module=r"asyncssh\.crypto\.")
