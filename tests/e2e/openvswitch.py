"""Open vSwitch as a test's peer: its own ovsdb-server and ovs-vswitchd on sockets in a
directory the test owns, the userspace (netdev) datapath (this kernel has no openvswitch
module), in the test's network namespace when it names one, stopped by the pids started here.
A netdev bridge leaves a TAP of its name behind when its daemon dies, so bridges are deleted
first and their TAPs removed after."""

from __future__ import annotations

import contextlib
import subprocess
from collections.abc import Iterator
from pathlib import Path

from emulator.testing import eventually, missing_tool

SCHEMA = Path("/usr/share/openvswitch/vswitch.ovsschema")
START_DEADLINE = 10.0


def missing_ovs() -> str | None:
    return (missing_tool("ovs-vswitchd", "openvswitch-switch")
            or missing_tool("ovsdb-server", "openvswitch-switch")
            or (None if SCHEMA.exists() else f"no {SCHEMA} (Debian package openvswitch-common)"))


class OpenVSwitch:
    """One ovsdb-server and one ovs-vswitchd, on files under `home`, in namespace `netns`
    (None: this one)."""

    def __init__(self, home: Path, netns: str | None = None) -> None:
        self.home = home
        self.netns = netns
        self.db = f"unix:{home / 'db.sock'}"
        self.control = str(home / "vswitchd.ctl")
        self.daemons: list[subprocess.Popen[bytes]] = []
        self.bridges: list[str] = []

    def start(self) -> None:
        self.home.mkdir(parents=True, exist_ok=True)
        subprocess.run(["ovsdb-tool", "create", str(self.home / "conf.db"), str(SCHEMA)],
                       check=True, capture_output=True)
        self._daemon(["ovsdb-server", str(self.home / "conf.db"),
                      f"--remote=p{self.db}", f"--unixctl={self.home / 'db.ctl'}",
                      f"--log-file={self.home / 'ovsdb.log'}"])
        eventually(lambda: (self.home / "db.sock").exists(), START_DEADLINE,
                   lambda: "ovsdb-server's socket")
        self.vsctl("--no-wait", "init")
        self._daemon(["ovs-vswitchd", self.db, "--disable-system",
                      f"--unixctl={self.control}", f"--log-file={self.home / 'vswitchd.log'}"])
        eventually(lambda: Path(self.control).exists(), START_DEADLINE,
                   lambda: "ovs-vswitchd's control socket")

    def _daemon(self, argv: list[str]) -> None:
        inside = [] if self.netns is None else ["ip", "netns", "exec", self.netns]
        self.daemons.append(subprocess.Popen([*inside, *argv], stdout=subprocess.DEVNULL,
                                             stderr=subprocess.DEVNULL))

    def vsctl(self, *args: str) -> str:
        return subprocess.run(["ovs-vsctl", f"--db={self.db}", "--timeout=10", *args],
                              check=True, capture_output=True, text=True).stdout

    def appctl(self, *args: str) -> str:
        return subprocess.run(["ovs-appctl", "-t", self.control, *args],
                              check=True, capture_output=True, text=True).stdout

    def add_bridge(self, name: str, *settings: str) -> None:
        """A netdev bridge, with more `set bridge` columns if given (`rstp_enable=true`)."""
        self.vsctl("add-br", name, "--", "set", "bridge", name, "datapath_type=netdev",
                   *settings)
        self.bridges.append(name)

    def close(self) -> None:
        for bridge in self.bridges:
            with contextlib.suppress(subprocess.CalledProcessError):
                self.vsctl("del-br", bridge)
        for daemon in reversed(self.daemons):
            daemon.terminate()
            try:
                daemon.wait(5)
            except subprocess.TimeoutExpired:
                daemon.kill()
                daemon.wait()
        for bridge in self.bridges:
            subprocess.run(["ip", *(() if self.netns is None else ("-n", self.netns)), "link",
                            "del", bridge], capture_output=True, check=False)


@contextlib.contextmanager
def running_ovs(home: Path, netns: str | None = None) -> Iterator[OpenVSwitch]:
    ovs = OpenVSwitch(home, netns)
    try:
        ovs.start()
        yield ovs
    finally:
        ovs.close()
