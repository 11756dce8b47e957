"""The backplane: the chassis' slots, reset lines and management sockets.

The chassis holds no configuration. It owns what the real backplane owns: the slots and the
reset lines. It prepares the data directory (hardware inventory, one flash per management
module), binds the management sockets once, starts the fabric and the management modules as
child processes (emulator/chassis/child.py; forked by the chassis' zygote, which has imported
what they share: emulator/chassis/zygote.py), and grants mastership to one module at a time
(handing it the listening sockets and the console over IPC). The serial console relay is
emulator/chassis/console.py, the control socket (`procurve-emu status`/`fault`)
emulator/chassis/control.py, and the process' start and stop emulator/chassis/start.py.

Redundancy: both management slots get a module process. The chassis gathers each module's
Hello (selftest result and boot history), runs the manual's election once every module present
has reported (or the boot deadline passed), grants mastership to one and standby to the other,
wires the two together for file sync, and watches heartbeats: a module that falls silent while
it could run (stopped, or silent although it was not waiting for a CPU: emulator/liveness.py)
is fenced with SIGKILL (the reset line) before the standby is granted mastership, so two
actives never exist; one that is merely slow on a busy host is left alone.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import sys
import time
from collections.abc import Coroutine
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from emulator import hardware, inband, liveness, runnable_env
from emulator.chassis.child import FABRIC, Child
from emulator.chassis.console import Console, announce
from emulator.chassis.zygote import Zygote
from emulator.datadir import SELFTEST_FAULT, read_inventory, write_inventory
from emulator.flash import Flash, write_json
from emulator.ipc.messages import FabricLink, Grant, PeerLink, Ready, Role, Roles
from emulator.liveness import silence_limit
from emulator.redundancy.election import Candidate, elect
from emulator.timing import PROFILES

INSTALLED_MODULES: Final = hardware.MANAGEMENT_SLOTS


class ChassisError(Exception):
    """Startup cannot go on; the message is the one line the user sees."""


@dataclass
class ChassisOptions:
    """Built from emulator/options.py's table, which holds every default."""

    data_dir: Path
    timing: str
    listen: str
    ssh_port: int
    telnet_port: int
    snmp_port: int
    hostname: str | None
    startup_config: str | None
    """Text of --startup-config; seeds the active module's flash on first boot only."""
    ports: dict[str, str]
    """Port name -> back-end spec, already validated."""
    modules: dict[str, str]
    """--module: slot -> product of a new chassis' interface modules; empty for the config's."""
    mgmt_netns: str
    """Where the in-band IP stack lives (emulator/inband.py)."""


def _bind(listen: str, port: int, kind: socket.SocketKind, service: str) -> socket.socket:
    try:
        family, _, _, _, address = socket.getaddrinfo(
            listen, port, type=kind, flags=socket.AI_PASSIVE
        )[0]
        sock = socket.socket(family, kind)
    except OSError as exc:
        raise ChassisError(f"cannot listen on {listen}:{port} for {service}: {exc}") from None
    try:
        if kind == socket.SOCK_STREAM:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        if kind == socket.SOCK_STREAM:
            sock.listen(128)
    except OSError as exc:
        sock.close()
        reason = exc.strerror or str(exc)
        raise ChassisError(f"cannot listen on {listen}:{port} for {service}: {reason}") from None
    sock.set_inheritable(False)
    return sock


def start_zygote(options: ChassisOptions) -> Zygote:
    """The chassis' zygote, forked at once (Zygote.fork_first) if it can be: the first thing a
    chassis does, so that its imports run on the other core while the chassis prepares its
    data dir, binds its ports and makes its namespace (one chassis' boot: 2.2x a bare asyncssh
    server's, benchmarks/results/cli.md). One that cannot be forked is exec'd when the
    chassis' supervision runs."""
    zygote = Zygote(PROFILES[options.timing], asyncio.Event(), runnable_env(dict(os.environ)))
    try:
        zygote.fork_first()
    except OSError as exc:
        announce(f"cannot fork the zygote: {exc.strerror or exc}")
    return zygote


class Chassis:
    def __init__(self, options: ChassisOptions, zygote: Zygote, console: bool = True) -> None:
        self.options = options
        self.timing = PROFILES[options.timing]
        self.zygote = zygote
        self.stopping = zygote.stopping
        self.sockets: dict[str, socket.socket] = {}
        self.netns = inband.resolve(options.mgmt_netns, options.data_dir)
        self.netns_made = False
        self.console = Console(self.stopping, console)
        self.fabric = Child(self, FABRIC)
        self.modules = {slot: Child(self, slot) for slot in INSTALLED_MODULES}
        for slot, module in self.modules.items():
            module.pulled = slot not in read_inventory(options.data_dir).management
        self.active: str | None = None
        self.background: set[asyncio.Task[None]] = set()
        self.pending_reason: dict[str, str] = {}
        """Why a module is going down, for the log of the module that takes over."""
        self.election_deadline = time.monotonic() + self.boot_window()
        self.election_timer: asyncio.Task[None] | None = None
        self.booted = False
        self.reelect = False
        """`boot system`: every module reboots and the election runs again, no takeover."""
        self.exit_code = 0
        self.lateness = 0.0
        """Seconds the chassis' heartbeat timer has run late in all (the chassis starved)."""

    def child_argv(self, slot: str, ipc_fd: int, heartbeat_fd: int | None) -> list[str]:
        """The command line of the process in `slot`: what exec would run, which the zygote
        runs forked instead (its entry point's main() with these arguments)."""
        opts = self.options
        if slot == FABRIC:
            ports = [f"--port={p}={b}" for p, b in opts.ports.items()]
            stack = self.netns
            return [sys.executable, "-m", "emulator.fabric.process", f"--ipc-fd={ipc_fd}",
                    f"--timing={opts.timing}", *ports,
                    f"--base-mac={read_inventory(opts.data_dir).base_mac}",
                    *([f"--mgmt-netns={stack}"] if stack else [])]
        return [
            sys.executable, "-m", "emulator.module", f"--slot={slot}",
            f"--ipc-fd={ipc_fd}", f"--heartbeat-fd={heartbeat_fd}",
            f"--data-dir={opts.data_dir}", f"--timing={opts.timing}",
        ]

    def bind(self) -> None:
        opts = self.options
        self.sockets = {
            "ssh": _bind(opts.listen, opts.ssh_port, socket.SOCK_STREAM, "SSH"),
            "telnet": _bind(opts.listen, opts.telnet_port, socket.SOCK_STREAM, "telnet"),
            "snmp": _bind(opts.listen, opts.snmp_port, socket.SOCK_DGRAM, "SNMP"),
        }
        if self.netns is not None and self.netns != inband.SELF:
            self.bind_inband(self.netns)

    def bind_inband(self, netns: str) -> None:
        """The switch's own SSH, telnet and SNMP ports inside its IP stack. Without the
        namespace the switch still runs, managed out of band only."""
        try:
            if self.options.mgmt_netns == inband.AUTO:
                # Named after our data dir, whose lock we hold: one left by a chassis that was
                # killed (SIGKILL leaves no time to remove it) is ours to start afresh.
                inband.remove(netns)
            self.netns_made = inband.create(netns)
            with inband.entered(netns):
                for name, port in inband.PORTS.items():
                    kind = socket.SOCK_DGRAM if name == "snmp" else socket.SOCK_STREAM
                    self.sockets[name + inband.SUFFIX] = _bind("0.0.0.0", port, kind, name)
        except (inband.InbandError, ChassisError) as exc:
            announce(f"no in-band management: {exc}")
            for name in inband.PORTS:
                sock = self.sockets.pop(name + inband.SUFFIX, None)
                if sock is not None:
                    sock.close()
            if self.netns_made:
                inband.remove(netns)
            self.netns, self.netns_made = None, False

    def bound_port(self, name: str) -> int:
        port: int = self.sockets[name].getsockname()[1]
        return port

    # -- redundancy: election, grants, switchover ------------------------------------------

    async def module_hello(self, module: Child) -> None:
        """A module finished selftest. With an active module running, a newcomer is standby
        (rule 2); otherwise it joins the boot election."""
        await self.broadcast_roles()
        hello = module.hello
        if hello is None or not hello.selftest_passed:
            announce(f"{module.slot} failed selftest")
            await self.election()
            return
        if self.active is not None:
            await self.grant_standby(module)
            return
        await self.election()

    def present(self) -> list[Child]:
        return [m for m in self.modules.values() if not (m.pulled or m.held_offline)]

    async def election(self) -> None:
        """Run the manual's election over every module present once all have reported, or
        at the boot deadline over those that did; a module still in selftest because the host
        has not given it the CPU (not stopped, not silent while it could run) is waited for,
        as a real chassis' module with a CPU of its own would have reported by then."""
        if self.active is not None or self.stopping.is_set():
            return
        present = self.present()
        reported = [m for m in present if m.hello is not None and m.link is not None]
        now = time.monotonic()
        waiting = [m for m in present if m not in reported]
        if waiting and (now < self.election_deadline or any(
                m.booting_slowly(now, self.boot_window()) for m in waiting)):
            if self.election_timer is None or self.election_timer.done():
                self.election_timer = asyncio.get_running_loop().create_task(
                    self._election_at_deadline())
            return
        candidates = [
            Candidate(m.slot, h.selftest_passed, False, h.ever_booted, h.active_last_boot,
                      h.last_boot)
            for m in reported if (h := m.hello) is not None
        ]
        decision = elect(candidates)
        if decision.active is None:
            if reported and len(reported) == len(present) and not self.booted:
                announce(f"{decision.rule}: the switch does not boot")
                self.exit_code = 1
                self.stopping.set()
            return
        self.booted, self.reelect = True, False
        await self.grant_active(self.modules[decision.active], decision.rule)
        for module in reported:
            if module.slot != decision.active and module.role is Role.BOOTING:
                await self.grant_standby(module)

    async def _election_at_deadline(self) -> None:
        """At the deadline, or a heartbeat later while a module is still booting slowly."""
        await asyncio.sleep(max(self.timing.heartbeat_interval,
                                self.election_deadline - time.monotonic()))
        self.election_timer = None  # election() arms the next one if it still waits
        await self.election()

    async def grant_active(self, module: Child, reason: str,
                           takeover_from: str | None = None) -> None:
        """One grant at a time: `active` names the holder before the grant leaves."""
        self.active = module.slot
        await self.connect_fabric(module)
        sockets = dict(self.sockets)
        console = self.console.attach()
        if console is not None:
            sockets["console"] = console
        try:
            await module.grant(self.grant(Role.ACTIVE, list(sockets), reason, takeover_from),
                               list(sockets.values()))
        except EOFError:
            self.active = None
        finally:
            if console is not None:
                console.close()
        await self.broadcast_roles()
        standby = self.standby()
        if standby is not None:
            await self.connect_peers(module, standby)

    def grant(self, role: Role, sockets: list[str], reason: str,
              takeover_from: str | None = None) -> Grant:
        opts = self.options
        return Grant(role=role, sockets=sockets, startup_config=opts.startup_config,
                     hostname=opts.hostname, takeover_from=takeover_from, reason=reason,
                     mgmt_netns=self.netns)

    async def connect_fabric(self, module: Child) -> None:
        """The active module's wire to the interface modules (it resets and programs them)."""
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            for child, end in ((self.fabric, ours), (module, theirs)):
                if child.link is not None:
                    with contextlib.suppress(EOFError):
                        await child.link.send(FabricLink(), [end])
        finally:
            ours.close()
            theirs.close()

    async def grant_standby(self, module: Child) -> None:
        try:
            await module.grant(self.grant(Role.STANDBY, [], "another management module is active"),
                               [])
        except EOFError:
            return
        await self.broadcast_roles()
        active = self.modules.get(self.active or "")
        if active is not None and active.link is not None:
            await self.connect_peers(active, module)

    def standby(self) -> Child | None:
        return next((m for m in self.present()
                     if m.role is Role.STANDBY and m.running and m.link is not None), None)

    async def connect_peers(self, active: Child, standby: Child) -> None:
        """The module-to-module wire for file sync, one end to each."""
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            for module, end in ((standby, theirs), (active, ours)):
                if module.link is not None:
                    with contextlib.suppress(EOFError):
                        await module.link.send(PeerLink(), [end])
        finally:
            ours.close()
            theirs.close()

    async def broadcast_roles(self) -> None:
        active = self.modules.get(self.active or "")
        if active is None or active.link is None:
            return
        roles = {m.slot: m.role for m in self.modules.values()}
        with contextlib.suppress(EOFError):
            await active.link.send(Roles(roles))

    async def switchover(self, module: Child, reason: str) -> None:
        """The active asked to hand over (redundancy switchover, boot, reload): it reboots."""
        if module.slot != self.active or self.standby() is None:
            return
        self.pending_reason[module.slot] = reason
        module.reset()

    async def reboot_modules(self, slot: str | None, reason: str) -> None:
        """`boot standby` reboots one module; `boot system` both, with no switchover: the
        election at the next boot keeps the module that was active (rule 5)."""
        targets = [self.modules[slot]] if slot else list(self.modules.values())
        if slot is None:
            self.reelect = True
            self.election_deadline = time.monotonic() + self.boot_window()
        for module in targets:
            announce(f"{module.slot} rebooting: {reason}")
            module.reset()

    async def set_redundancy(self, enabled: bool) -> None:
        """Disabled: every module but the active one goes offline (no failover); enabled:
        they boot again and join as standby."""
        for module in self.modules.values():
            if module.slot == self.active:
                continue
            module.held_offline = not enabled
            if enabled:
                module.inserted.set()
            else:
                module.reset()
        await self.broadcast_roles()

    def boot_window(self) -> float:
        """How long a boot election waits for every module present to finish selftest."""
        return self.timing.selftest + silence_limit(self.timing) + self.timing.restart_backoff

    async def watch_heartbeats(self) -> None:
        """Fence a hung module (stopped, or silent while it could run) with the reset line.
        Beats are read here, not as they come: a chassis that was itself starved finds them
        queued, and its timer's lateness is not held against the modules. They are read
        every half silence limit, not at every beat: these wake-ups are most of what an idle
        chassis costs (0.18 % of a core at timing lab when it woke at each beat), and a hung
        module is still fenced within one and a half limits of silence."""
        interval = max(self.timing.heartbeat_interval, silence_limit(self.timing) / 2)
        due = time.monotonic()
        while True:
            due += interval
            await asyncio.sleep(max(0.0, due - time.monotonic()))
            now = time.monotonic()
            self.lateness += now - due
            due = now
            for module in self.modules.values():
                if module.hello is None or not module.running or module.beats is None:
                    continue
                if liveness.drain(module.beats):
                    module.heard()
                    continue
                reason = module.hung(now)
                if reason is not None:
                    announce(f"{module.slot} missed heartbeats ({reason}); resetting it")
                    self.pending_reason.setdefault(module.slot,
                                                   f"heartbeat lost from {module.slot}")
                    module.last_heard = now
                    module.reset()

    def record_presence(self) -> None:
        """Which management slots hold a module, in the hardware inventory (chassis.json)."""
        inventory = read_inventory(self.options.data_dir)
        inventory.management = [s for s, m in self.modules.items() if not m.pulled]
        write_inventory(self.options.data_dir, inventory)

    async def fault(self, action: str, target: str) -> str:
        """`procurve-emu fault`: hardware faults for labs that rehearse failures."""
        slot = {"active": self.active, "standby": getattr(self.standby(), "slot", None)}.get(
            target.lower(), target.upper())
        module = self.modules.get(slot or "")
        if module is None:
            raise ChassisError(f"no {target} management module")
        if action == "kill":
            module.reset()
        elif action == "hang":
            if module.process is not None and module.running:
                with contextlib.suppress(ProcessLookupError):
                    module.process.send_signal(signal.SIGSTOP)
        elif action == "fail-selftest":
            flash = Flash.for_slot(self.options.data_dir, module.slot)
            write_json(flash.root / SELFTEST_FAULT, {"at": time.time()})
        elif action == "pull":
            module.pulled = True
            self.record_presence()
            self.pending_reason.setdefault(module.slot, f"{module.slot} removed")
            module.reset()
            module.role = Role.NOT_PRESENT
        elif action == "insert" and module.pulled:
            module.pulled = False
            self.record_presence()
            module.inserted.set()
        return f"{action} {module.slot}"

    def module_ready(self, module: Child, ready: Ready) -> None:
        from emulator.labnode import reachable_address

        opts = self.options
        host = reachable_address(opts.listen)
        user = ready.manager_user or "manager"
        password = f" (password {ready.password_hint})" if ready.password_hint else ""
        announce(
            f"{ready.hostname} ready: ssh -p {self.bound_port('ssh')} {user}@{host}{password}, "
            f"telnet {host} {self.bound_port('telnet')}"
        )

    def lost(self, child: Child, code: int) -> None:
        """A child process ended. If it was the active module, the standby takes over."""
        how = f"killed by {signal.Signals(-code).name}" if code < 0 else f"exit status {code}"
        reason = self.pending_reason.pop(child.slot, f"{child.slot} crashed ({how})")
        if self.stopping.is_set():
            return
        fate = "removed" if child.pulled else "offline" if child.held_offline else "restarting it"
        announce(f"{child.slot} stopped ({how}); {fate}")
        if child.slot != self.active:
            self.spawn(self.broadcast_roles())
            return
        self.active = None
        self.console.detach()
        standby = self.standby()
        if standby is not None and not self.reelect:
            self.spawn(self.grant_active(standby, reason, takeover_from=child.slot))

    def spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self.background.add(task)
        task.add_done_callback(self.background.discard)

