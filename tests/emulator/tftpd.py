"""tftpd-hpa (Debian's in.tftpd) on a free loopback port for the TFTP client's tests: the real
server nobody here wrote, serving and accepting files in a directory of the test's own. `files`
reads that directory (what was uploaded, what is served); `silent` binds the port and answers
nothing (a server that is down)."""

from __future__ import annotations

import signal
import socket
import subprocess
import tempfile
from collections.abc import Iterator, Mapping
from ipaddress import IPv4Address
from pathlib import Path

from emulator import tftp
from emulator.testing import eventually, missing_tool, require
from tests.e2e.netns import free_udp_port

STARTS = 3
"""Tries to start the server: the free port it is given may be taken by another process first."""


class Files(Mapping[str, bytes]):
    """The server's directory as name -> content."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def __getitem__(self, name: str) -> bytes:
        try:
            return (self.root / name).read_bytes()
        except OSError:
            raise KeyError(name) from None

    def __iter__(self) -> Iterator[str]:
        return (path.name for path in self.root.iterdir())

    def __len__(self) -> int:
        return sum(1 for _ in self.root.iterdir())


class Tftpd:
    def __init__(self, files: Mapping[str, bytes] | None = None, *, silent: bool = False) -> None:
        self.directory = tempfile.TemporaryDirectory(prefix="procurve-tftpd-")
        root = Path(self.directory.name)
        for name, data in (files or {}).items():
            (root / name).write_bytes(data)
        self.files = Files(root)
        self.proc: subprocess.Popen[bytes] | None = None
        self.hole: socket.socket | None = None
        if silent:
            self.hole = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            self.hole.bind(("127.0.0.1", 0))
            self.port: int = self.hole.getsockname()[1]
            return
        require(missing_tool("in.tftpd", "tftpd-hpa"))
        for _ in range(STARTS):
            self.port = free_udp_port()
            self.proc = subprocess.Popen(
                ["in.tftpd", "--listen", "--foreground", "--address", f"127.0.0.1:{self.port}",
                 "--secure", "--create", "--permissive", "--user", "root", str(root)],
                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            if eventually(self._started, 10, lambda: f"in.tftpd on 127.0.0.1:{self.port}") == (
                    "listening"):
                return
        raise AssertionError(f"in.tftpd exited {STARTS} times: another process took its port")

    def _started(self) -> str:
        """"listening" once the server holds its port (read from /proc/net/udp: binding the
        port to probe it would take it from the server), "exited" if it could not."""
        assert self.proc is not None
        if self.proc.poll() is not None:
            return "exited"
        bound = f"0100007F:{self.port:04X}"
        rows = Path("/proc/net/udp").read_text().splitlines()[1:]
        return "listening" if any(row.split()[1] == bound for row in rows) else ""

    def server(self) -> tftp.Server:
        """Where the client sends, with timers short enough for tests."""
        return tftp.Server(IPv4Address("127.0.0.1"), None, self.port, retransmit=0.2, tries=3)

    def close(self) -> None:
        if self.proc is not None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(timeout=5)
        if self.hole is not None:
            self.hole.close()
        self.directory.cleanup()
