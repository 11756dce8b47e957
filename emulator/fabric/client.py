"""The active management module's side of the wire to the interface modules (the fabric
process): it resets them when it takes mastership, programs the ports from the running config
after every change, and reads the live tables the show commands and the MIB print."""

from __future__ import annotations

import asyncio
import contextlib
import math
import time
from typing import TYPE_CHECKING, Final

from emulator.config.acl import denied_text
from emulator.events import Severity
from emulator.fabric import stp
from emulator.fabric.lacp import LacpStatus
from emulator.fabric.loop_protect import LoopStatus, log_loops, new_loops
from emulator.hardware import Inventory, port_sort_key
from emulator.ipc import wire
from emulator.ipc.messages import FabricProgram, FabricQuery, FabricReset, FabricState, PortsReply
from emulator.routing import kernel_routes

if TYPE_CHECKING:
    from emulator.config.model import SwitchConfig
    from emulator.device import Device

READ_INTERVAL: Final = 0.05
"""Seconds a read of the fabric's tables stays current (a program makes it stale at once)."""


class FabricClient:
    """One wire at a time: the chassis hands a new one with each mastership."""

    def __init__(self) -> None:
        self.link: wire.Link | None = None
        self.device: Device | None = None
        self.lock = asyncio.Lock()
        self.read_at = -math.inf
        self.programmed: FabricProgram | None = None
        self.watcher: asyncio.Task[None] | None = None
        """Reads the fabric while ports are loop-protected (watch_loops)."""

    def attach(self, link: wire.Link) -> None:
        if self.link is not None:
            self.link.close()
        self.link = link

    async def reset(self) -> float:
        """Taking mastership resets the interface modules: every port loses carrier. The
        time of the reset (monotonic) is returned: the ports stay down `module_reset`."""
        self.programmed = None
        self.read_at = -math.inf
        if self.link is not None:
            with contextlib.suppress(EOFError):
                await self.link.send(FabricReset())
        return time.monotonic()

    async def bring_up(self, device: Device, reset_at: float, module_reset: float) -> None:
        """After the reset time (long enough for a host's kernel to report the link loss,
        which it may delay by up to a second), program the ports from the running config,
        and again after every command that changes them."""
        await asyncio.sleep(max(0.0, reset_at + module_reset - time.monotonic()))
        self.device = device
        device.on_commit.append(self.program)
        device.on_refresh.append(self.read)
        await self.program()

    async def read(self) -> None:
        """The live tables (address table, counters, LLDP neighbours) the show commands and
        the MIB print. Read at most every READ_INTERVAL: an SNMP bulk walk asks for them
        hundreds of times a second, and each read carries every port's counters."""
        from emulator.device import LldpNeighbor, MacEntry, PortCounters

        device, link = self.device, self.link
        if device is None or link is None:
            return
        async with self.lock:
            if time.monotonic() - self.read_at < READ_INTERVAL:
                return
            try:
                reply = await link.exchange(FabricQuery())
            except (EOFError, wire.IpcError):
                return
            self.read_at = time.monotonic()
        if isinstance(reply, FabricState):
            device.mac_table = [MacEntry(str(mac), str(port), int(vid))
                                for mac, port, vid in reply.macs]
            for port, counters in reply.counters.items():
                device.ports[port].counters = PortCounters(**counters)
            device.lldp_neighbors = sorted(
                (LldpNeighbor.from_json(row) for row in reply.neighbors),
                key=lambda n: port_sort_key(n.local_port))
            device.lldp_stats = reply.lldp_stats
            device.spanning_tree = reply.spanning_tree
            for message in reply.spanning_tree.get("events", ()):
                device.events.log("stp", str(message), Severity.WARNING, STP_EVENT_ID)
            device.acl_hits = reply.acl_hits  # access lists (commands/acl.py)
            for denied in reply.acl_denied:
                device.events.log("ACL", denied_text(denied), Severity.WARNING)
            for port, up in reply.carrier.items():
                backend = device.ports[port].backend
                if backend is not None:  # a port first reported by a program's answer
                    device.port_reported(port, backend, up)
            # --- trunks and LACP (commands/trunk.py) ---
            device.trunk_counters = {t: PortCounters(**c) for t, c in reply.trunk_counters.items()}
            device.trunk_links = reply.trunk_links
            device.lacp = [LacpStatus(**row) for row in reply.lacp]
            # --- loop protection (commands/loop_protect.py) ---
            loops = [LoopStatus(**row) for row in reply.loop_protect]
            found = new_loops(device.loop_protect, loops)
            device.loop_protect = loops
            log_loops(device.events, found)
            for row in found:
                for hook in device.on_loop_detected:
                    hook(row.port, row.count, row.action)

    async def program(self) -> None:
        """Ports up as the running config says (a disabled port has no carrier); the fabric's
        answer is the port state the CLI shows."""
        device, link = self.device, self.link
        if device is None or link is None:
            return
        running, ports = device.running, device.inventory.ports()
        program = FabricProgram(
            enabled={p: (i := running.interfaces.get(p)) is None or i.enabled for p in ports},
            pvid={p: running.pvid(p) for p in ports},
            tagged={p: [vid for vid, tagged in running.port_vlans(p) if tagged] for p in ports},
            mac_age=running.mac_age,
            addresses={str(vid): [str(a) for a in vlan.ip.addresses]
                       for vid, vlan in running.vlans.items() if vlan.ip.addresses},
            # --- IP routing (emulator/routing.py) ---
            forwarding=running.ip_routing,
            routes=kernel_routes(running),
            system_name=running.hostname,
            system_description=device.sys_descr(),
            management_address=running.management_address(),
            jumbo=sorted(vid for vid, vlan in running.vlans.items() if vlan.jumbo),
            spanning_tree=spanning_tree_program(running, device.inventory),
            # --- access lists (commands/acl.py) ---
            access_lists={name: acl.wire() for name, acl in running.access_lists.items()},
            access_groups=running.access_groups(),
            # --- LLDP settings (commands/lldp_settings.py) ---
            lldp_run=running.lldp_run,
            lldp_admin=dict(running.lldp_admin),
        )
        # --- port mirroring (commands/mirror.py) ---
        for port, interface in running.interfaces.items():
            for session, direction in sorted(interface.monitor.items()):
                mirror = running.mirrors.get(session)
                if mirror is None:
                    continue
                for wanted, copies in (("in", program.mirror_in), ("out", program.mirror_out)):
                    if direction in (wanted, "both"):
                        copies.setdefault(port, []).append(mirror.port)
        # --- trunks and LACP (commands/trunk.py): a trunk's VLANs as a port's ---
        for trunk in running.trunks:
            program.pvid[trunk] = running.pvid(trunk)
            program.tagged[trunk] = [vid for vid, tagged in running.port_vlans(trunk) if tagged]
        program.trunks = {t.name: sorted(t.ports, key=port_sort_key)
                          for t in running.trunks.values()}
        program.trunk_kinds = {t.name: t.kind for t in running.trunks.values()}
        program.lacp = {p: i.lacp for p, i in running.interfaces.items() if i.lacp is not None}
        # --- loop protection (commands/loop_protect.py) ---
        program.loop_protect = dict(running.loop_protect)
        program.loop_protect_interval = running.loop_protect_interval
        program.loop_protect_disable_timer = running.loop_protect_disable_timer
        if program.loop_protect and (self.watcher is None or self.watcher.done()):
            self.watcher = asyncio.create_task(self.watch_loops())
        async with self.lock:
            if program == self.programmed:
                return
            self.programmed = program
            self.read_at = -math.inf  # ports, tables and neighbours change
            try:
                reply = await link.exchange(program)
            except (EOFError, wire.IpcError):
                return
        if isinstance(reply, PortsReply):
            for report in reply.ports:
                device.port_reported(report.port, report.backend, report.link_up)

    async def watch_loops(self) -> None:
        """While ports are loop-protected, read the fabric every transmit interval, so that a
        loop is logged and trapped when it happens rather than at the next command or SNMP
        request; with no port protected nothing wakes an idle switch."""
        while self.device is not None and self.device.running.loop_protect:
            await asyncio.sleep(self.device.running.loop_protect_interval)
            await self.read()


# --- spanning tree (fabric/stp.py) ---

STP_EVENT_ID: Final = 839
"""The event id K.15's `stp:` log lines carry (`00839 stp: CST Root changed ...`)."""
PATH_COST_REFERENCE: Final = 20_000_000_000_000
"""802.1t: a port's automatic path cost is this over its speed in bit/s (1 Gb/s: 20000)."""


def path_cost(inventory: Inventory, port: str) -> int:
    """The 802.1t cost of the port's nominal speed (`auto`, K.15's default)."""
    return PATH_COST_REFERENCE // inventory.port_media(port).speed


def default_config_name(inventory: Inventory) -> str:
    """K.15's region name when the config gives none: the switch's base MAC."""
    return inventory.base_mac


def spanning_tree_program(running: SwitchConfig, inventory: Inventory) -> dict[str, object]:
    """The running config's `spanning-tree` settings as the fabric's engine takes them."""
    # The config model is imported by the active module only, when it needs it: the zygote
    # then does not preload it for the fabric and the standby (emulator/chassis/zygote.py).
    from emulator.config.model import STP_PRIORITY_DEFAULT, StpPort

    config = running.spanning_tree
    ports = {}
    for port in inventory.ports():
        setting = config.ports.get(port, StpPort())
        ports[port] = stp.PortSettings(
            path_cost=setting.path_cost or path_cost(inventory, port),
            priority=(STP_PRIORITY_DEFAULT if setting.priority is None else setting.priority)
            * stp.PORT_PRIORITY_STEP,
            admin_edge="admin-edge-port" in setting.flags, auto_edge=setting.auto_edge,
            bpdu_protection="bpdu-protection" in setting.flags,
            root_guard="root-guard" in setting.flags, tcn_guard="tcn-guard" in setting.flags,
            bpdu_filter="bpdu-filter" in setting.flags)
    instance_ports: dict[int, dict[str, tuple[int, int]]] = {}
    for instance in config.instances:  # K.15's MSTI port defaults: auto cost, priority 128
        own = config.instance_ports.get(instance, {})
        instance_ports[instance] = {}
        for port in inventory.ports():
            setting = own.get(port, StpPort())
            instance_ports[instance][port] = (
                setting.path_cost or path_cost(inventory, port),
                (STP_PRIORITY_DEFAULT if setting.priority is None else setting.priority)
                * stp.PORT_PRIORITY_STEP)
    return stp.settings_to_wire(stp.Settings(
        enabled=config.enabled, version=stp.Version(config.version),
        priority=config.priority * stp.PRIORITY_STEP,
        config_name=config.config_name or default_config_name(inventory),
        config_revision=config.config_revision,
        instances={k: tuple(sorted(v)) for k, v in config.instances.items()},
        instance_priority={k: v * stp.PRIORITY_STEP for k, v in config.instance_priority.items()},
        instance_ports=instance_ports, ports=ports))
