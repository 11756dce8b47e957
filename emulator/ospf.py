"""OSPFv2 with FRR as the engine: zebra and ospfd (Debian's `frr`) in the switch's in-band
namespace, configured from the ProCurve config and read back for the show commands.

The active module runs them (`OspfEngine`), started when the config has `ip routing` and an
enabled `router ospf`, and stopped with the module; a switchover without nonstop routing
drops the adjacencies, and the new active starts its own daemons from its config, so they
re-form. The daemons drop their privileges to FRR's own user, which clears a parent-death
signal, so a module killed with SIGKILL cannot take them along: their pid files live in a
directory named after the namespace (`runtime_dir`), and whoever starts the engine next, or
the chassis at its stop (`kill_leftovers`), ends them first.

zebra installs the routes ospfd computes into the namespace's kernel (protocol ospf), beside
the static ones the fabric installs (emulator/routing.py), which zebra sees as kernel routes:
ProCurve's `redistribute static` is FRR's `redistribute kernel`. The router ID is the lowest
address of the switch's VLANs [inferred: K.15 takes the lowest configured address unless
`ip router-id` says otherwise], so it stays the same across a switchover.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import json
import shutil
import subprocess
import sys
import time
from typing import TYPE_CHECKING, Any, Final

from emulator import inband, routing
from emulator.config.model import BACKBONE, SwitchConfig
from emulator.frr import DAEMONS, FRR_DIR, FRR_USER, VTYSH, kill_leftovers, missing, runtime_dir

if TYPE_CHECKING:
    from emulator.device import Device

QUERY_TIMEOUT: Final = 5.0
READ_INTERVAL: Final = 1.0
"""How often the learnt routes are read again (a show or an SNMP walk asks far more often)."""
START_TIMEOUT: Final = 10.0
REDISTRIBUTE: Final = {"connected": "connected", "static": "kernel"}
"""ProCurve's redistribute sources as FRR names them (static routes are kernel routes)."""
SUBTYPES: Final = {"N": "IntraArea", "N IA": "InterArea", "N E1": "External1",
                   "N E2": "External2"}
"""FRR's route types as `show ip route`'s Sub-Type column names them."""
DISTANCE: Final = 110
STATE: Final = {"general": "", "neighbors": "neighbor detail", "interfaces": "interface"}
"""What is read for OSPF-MIB beside the routes: Device.ospf_state's parts and their queries."""


def area_id(area: str) -> str:
    """The dotted form FRR takes (`backbone` is 0.0.0.0)."""
    return "0.0.0.0" if area == BACKBONE else area


def router_id(cfg: SwitchConfig) -> ipaddress.IPv4Address | None:
    addresses = cfg.own_addresses()
    return min(addresses) if addresses else None


def ospfd_config(cfg: SwitchConfig) -> str | None:
    """ospfd's config for this switch config; None when OSPF is not to run (no `ip routing`,
    no enabled `router ospf`, no address for a router ID). It holds only what OSPF needs:
    any change restarts ospfd, and its adjacencies form again."""
    ospf, rid = cfg.ospf, router_id(cfg)
    if not (cfg.ip_routing and ospf.enabled and rid is not None):
        return None
    lines = []
    for vid, vlan in sorted(cfg.vlans.items()):
        if vlan.ospf is None or not vlan.ip.addresses:
            continue
        lines += [f"interface {inband.interface_name(vid)}",
                  f" ip ospf area {area_id(vlan.ospf.area)}",
                  f" ip ospf cost {vlan.ospf.value('cost')}",
                  f" ip ospf hello-interval {vlan.ospf.value('hello-interval')}",
                  f" ip ospf dead-interval {vlan.ospf.value('dead-interval')}", "!"]
    lines += ["router ospf", f" ospf router-id {rid}"]
    lines += [f" passive-interface {inband.interface_name(vid)}"
              for vid, vlan in sorted(cfg.vlans.items()) if vlan.ospf and vlan.ospf.passive]
    lines += [f" redistribute {REDISTRIBUTE[source]}" for source in ospf.redistribute]
    return "\n".join([*lines, "!"]) + "\n"


class OspfEngine:
    """The daemons of one active module: `apply` after every config change (starts, restarts
    ospfd with a new config, or stops), `read` before a show, `query` for the show commands,
    `stop` when the module stops."""

    def __init__(self, device: Device, netns: str) -> None:
        self.device = device
        self.netns = netns
        self.directory = runtime_dir(netns)
        self.processes: dict[str, subprocess.Popen[bytes]] = {}
        self.config: str | None = None
        self.read_at = -float("inf")
        self.lock = asyncio.Lock()
        self.reported = False

    async def apply(self) -> None:
        wanted = ospfd_config(self.device.running)
        async with self.lock:
            if wanted == self.config and all(p.poll() is None for p in self.processes.values()):
                return
            why = missing() if wanted is not None else None
            if why is not None:
                if not self.reported:
                    print(f"procurve-emu: OSPF not started: {why}", file=sys.stderr, flush=True)
                    self.reported = True
                return
            await asyncio.to_thread(self._restart, wanted)
            self.config = wanted
            self.read_at = -float("inf")
            if wanted is None:
                self.device.learnt_routes = []
                self.device.ospf_state = {}

    def _restart(self, wanted: str | None) -> None:
        """ospfd starts again on a changed config (its adjacencies form again); zebra runs
        while OSPF does."""
        if wanted is None:
            self._stop()
            return
        ospfd = self.processes.pop("ospfd", None)
        if ospfd is not None:
            ospfd.kill()
            ospfd.wait()
        if "zebra" not in self.processes or self.processes["zebra"].poll() is not None:
            self._stop()
            kill_leftovers(self.netns)
            self._prepare()
            self._start("zebra", f"hostname {self.device.running.hostname}\n")
        self._start("ospfd", wanted)

    def _prepare(self) -> None:
        """The runtime directory, FRR's (its daemons run as FRR's user), under parents that
        user can pass through whatever the chassis' umask."""
        self.directory.mkdir(parents=True, exist_ok=True)
        for parent in (self.directory.parent, self.directory.parent.parent):
            parent.chmod(0o755)
        for stale in self.directory.iterdir():
            stale.unlink()
        with contextlib.suppress(KeyError, OSError):
            shutil.chown(self.directory, FRR_USER, FRR_USER)
        self.directory.chmod(0o750)

    def _start(self, daemon: str, config: str) -> None:
        directory = self.directory
        conf = directory / f"{daemon}.conf"
        conf.write_text(config)
        argv = inband.in_stack(self.netns, str(FRR_DIR / daemon), "-f", str(conf),
                               "-i", str(directory / f"{daemon}.pid"),
                               "-z", str(directory / "zserv.api"),
                               "--vty_socket", str(directory), "-A", "127.0.0.1", "-P", "0")
        with (directory / f"{daemon}.log").open("ab") as log:
            self.processes[daemon] = subprocess.Popen(
                argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=log,
                start_new_session=True)
        socket_path = directory / f"{daemon}.vty"
        deadline = time.monotonic() + START_TIMEOUT
        while not socket_path.exists() and time.monotonic() < deadline:
            if self.processes[daemon].poll() is not None:
                print(f"procurve-emu: OSPF: {daemon} exited "
                      f"{self.processes[daemon].returncode}", file=sys.stderr, flush=True)
                return
            time.sleep(0.02)

    def _stop(self) -> None:
        for daemon in reversed(DAEMONS):
            process = self.processes.pop(daemon, None)
            if process is not None:
                process.terminate()
                try:
                    process.wait(timeout=3)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()

    def stop(self) -> None:
        self._stop()
        self.config = None

    @property
    def running(self) -> bool:
        return self.config is not None and "ospfd" in self.processes

    async def query(self, what: str) -> dict[str, Any]:
        """`show ip ospf WHAT json` from ospfd (or `show ... json` from zebra: `what` starting
        with `zebra `); an empty dict when it does not run or does not answer."""
        if not self.running:
            return {}
        daemon, command = ("zebra", what[len("zebra "):]) if what.startswith("zebra ") else \
            ("ospfd", f"show ip ospf {what}".strip())
        code, out, _ = await inband.run(
            [VTYSH, "--vty_socket", str(self.directory), "-d", daemon, "-c", f"{command} json"],
            QUERY_TIMEOUT)
        if code != 0:
            return {}
        try:
            answer = json.loads(out or "{}")
        except json.JSONDecodeError:
            return {}
        return answer if isinstance(answer, dict) else {}

    async def read(self) -> None:
        """The routes ospfd computed, as route-table candidates (at most every
        READ_INTERVAL); the networks it reaches directly are the connected ones."""
        if not self.running or time.monotonic() - self.read_at < READ_INTERVAL:
            return
        self.read_at = time.monotonic()
        table = await self.query("route")
        self.device.learnt_routes = learnt_routes(table)
        self.device.ospf_state = {name: await self.query(what) for name, what in STATE.items()}


def learnt_routes(table: dict[str, Any]) -> list[routing.RouteEntry]:
    """`show ip ospf route json`'s networks reached through a neighbour, as route entries."""
    entries = []
    for prefix, route in table.items():
        kind = str(route.get("routeType", "")).strip() if isinstance(route, dict) else ""
        if kind not in SUBTYPES:
            continue
        try:
            destination = ipaddress.IPv4Network(prefix)
        except ValueError:
            continue
        metric = int(route.get("type2cost", route.get("cost", 0)) if kind == "N E2"
                     else route.get("cost", 0))
        for hop in route.get("nexthops", []):
            gateway = str(hop.get("ip", "")).strip()
            if not gateway or "directlyAttachedTo" in hop:
                continue
            via = str(hop.get("via", ""))
            vid = int(via[len(inband.INTERFACE_PREFIX):]) if via.startswith(
                inband.INTERFACE_PREFIX) and via[len(inband.INTERFACE_PREFIX):].isdigit() \
                else None
            entries.append(routing.RouteEntry(
                destination, gateway, vid, routing.OSPF, SUBTYPES[kind], metric, DISTANCE,
                ipaddress.IPv4Address(gateway)))
    return entries
