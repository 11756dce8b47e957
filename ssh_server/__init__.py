"""The management transports of the emulated switch: SSH, telnet and the serial console.

Each one turns its wire protocol into an `emulator.cli.channel.Channel` and hands it to the
CLI's session handler, so the CLI never deals with sockets, SSH channels or IAC bytes. The
chassis process binds the listening sockets itself and passes them in, which lets the active
management module change without the ports ever closing.
"""

import contextlib
import ctypes.util
from collections.abc import Iterator


@contextlib.contextmanager
def _without_liboqs_probe() -> Iterator[None]:
    """asyncssh looks for liboqs (post-quantum key exchange) with ctypes.util.find_library when
    it is imported, which runs ldconfig and gcc as subprocesses: ~20 ms of every takeover, on
    the path to the new active module's first SSH banner. A K.15 switch offers no such key
    exchange, so the probe is answered "not there" at once."""
    find = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None if name in ("oqs", "liboqs") else find(name)
    try:
        yield
    finally:
        ctypes.util.find_library = find


with _without_liboqs_probe():
    import asyncssh  # noqa: F401  (imported here, once, without the probe)
