"""net-snmp's snmptrapd as the notification receiver of the SNMP tests: in the foreground on a
free loopback port, one log line per notification (`TRAP <source> <PDU, version, security>
<var-binds>`), its persistent state (its own engine ID and boots) in the test's directory."""

from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from emulator.testing import eventually
from tests.e2e.netns import free_udp_port

DEADLINE = 20.0
POLL = 0.05
"""snmptrapd writes to a file: its log is polled at this period until the deadline."""
READY = "NET-SNMP version"
"""What snmptrapd logs once its port is open."""
COMMUNITY_CONF = "disableAuthorization yes\n"
"""Every v1/v2c notification is logged."""


def v3_conf(user: str, auth_pass: str, priv_pass: str, engine_id: str = "") -> str:
    """A SHA/AES user whose notifications are logged. Informs need no engine ID (the sender
    discovers the receiver's); traps need the sender's (`-e 0x...`)."""
    engine = f"-e 0x{engine_id} " if engine_id else ""
    return f"createUser {engine}{user} SHA {auth_pass} AES {priv_pass}\nauthUser log {user}\n"


class TrapReceiver:
    """`debug` names net-snmp debug tokens (`usm`) whose messages go to the same log. A
    receiver started again in a directory starts a new log there (snmptrapd keeps no engine
    ID across restarts: it comes back as a new engine)."""

    def __init__(self, directory: Path, conf: str = COMMUNITY_CONF, debug: str = "",
                 port: int = 0) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.port = port or free_udp_port()
        config = directory / "snmptrapd.conf"
        config.write_text(conf)
        self.log = directory / "traps.txt"
        self.log.unlink(missing_ok=True)
        self.stderr = directory / "snmptrapd.stderr"
        with self.stderr.open("wb") as stderr:
            self.proc = subprocess.Popen(
                ["snmptrapd", "-f", "-C", "-c", str(config), "-n", "-On", "-m", "", "-Lf",
                 str(self.log), "-F", "TRAP %b %P %v\n", *([f"-D{debug}"] if debug else []),
                 f"udp:127.0.0.1:{self.port}"],
                env={**os.environ, "SNMP_PERSISTENT_DIR": str(directory / "state")},
                stdout=subprocess.DEVNULL, stderr=stderr)
        self.wait_for(READY, prefix="")

    def traps(self, prefix: str = "TRAP") -> list[str]:
        if not self.log.exists():
            return []
        return [line for line in self.log.read_text().splitlines() if line.startswith(prefix)]

    def wait_for(self, what: str, count: int = 1, prefix: str = "TRAP") -> list[str]:
        def found() -> list[str] | None:
            traps = [t for t in self.traps(prefix) if what in t]
            if len(traps) >= count:
                return traps
            assert self.proc.poll() is None, f"snmptrapd exited: {self.stderr.read_text()}"
            return None

        traps: list[str] = eventually(found, DEADLINE,
                                      lambda: f"{count} {what} trap(s) in {self.traps()}",
                                      poll=POLL)
        return traps

    def close(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=5)


@contextmanager
def receiving(directory: Path, conf: str = COMMUNITY_CONF, debug: str = "",
              port: int = 0) -> Iterator[TrapReceiver]:
    receiver = TrapReceiver(directory, conf, debug, port)
    try:
        yield receiver
    finally:
        receiver.close()
