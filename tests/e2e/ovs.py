"""Open vSwitch as a real layer-2 peer: ovsdb-server and ovs-vswitchd started by the test in
a network namespace of its own (userspace datapath, no kernel module: `--disable-system`,
bridges with `datapath_type=netdev`), on its own database, sockets and pid files, and stopped
by the pids it started."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from emulator.testing import eventually

SCHEMA = Path("/usr/share/openvswitch/vswitch.ovsschema")


class OpenVSwitch:
    """One ovsdb-server + ovs-vswitchd pair running in namespace `ns`, state under `root`."""

    def __init__(self, ns: str, root: Path) -> None:
        self.ns = ns
        self.root = root
        self.db_socket = root / "db.sock"
        self.processes: list[subprocess.Popen[bytes]] = []

    def start(self) -> None:
        db = self.root / "conf.db"
        subprocess.run(["ovsdb-tool", "create", str(db), str(SCHEMA)], check=True)
        env = {**os.environ, "OVS_RUNDIR": str(self.root), "OVS_LOGDIR": str(self.root),
               "OVS_DBDIR": str(self.root)}
        log = (self.root / "ovs.log").open("ab")
        self.processes.append(subprocess.Popen(
            ["ip", "netns", "exec", self.ns, "ovsdb-server", str(db),
             f"--remote=punix:{self.db_socket}", f"--unixctl={self.root / 'ovsdb.ctl'}",
             f"--pidfile={self.root / 'ovsdb.pid'}"], env=env, stdout=log, stderr=log))
        eventually(self.db_socket.exists, 10, "ovsdb-server's socket", poll=0.05)
        self.processes.append(subprocess.Popen(
            ["ip", "netns", "exec", self.ns, "ovs-vswitchd", f"unix:{self.db_socket}",
             "--disable-system", f"--unixctl={self.control}",
             f"--pidfile={self.root / 'vswitchd.pid'}"], env=env, stdout=log, stderr=log))
        eventually(lambda: Path(self.control).exists(), 10, "ovs-vswitchd's control socket",
                   poll=0.05)
        self.vsctl("--no-wait", "init")

    @property
    def control(self) -> str:
        return str(self.root / "vswitchd.ctl")

    def vsctl(self, *args: str) -> str:
        return subprocess.run(["ovs-vsctl", f"--db=unix:{self.db_socket}", *args], check=True,
                              capture_output=True, text=True, timeout=30).stdout

    def appctl(self, *args: str) -> str:
        return subprocess.run(["ovs-appctl", "-t", self.control, *args], check=True,
                              capture_output=True, text=True, timeout=30).stdout

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        self.processes.clear()
