"""The backplane: `procurve-emu run`.

The chassis holds no configuration. It owns what the real backplane owns: the slots and the
reset lines. It prepares the data directory (hardware inventory, one flash per management
module), binds the management sockets once, starts the fabric and the management modules as
child processes, grants mastership to one module at a time (handing it the listening sockets
and the console over IPC), restarts a module process that dies, relays its own stdin/stdout
as the serial console, and answers `procurve-emu status` on a Unix socket in the data dir.

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
import fcntl
import os
import signal
import socket
import sys
import termios
import threading
import time
import tty
from collections.abc import Coroutine
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Final, TextIO

import emulator
from emulator import hardware, inband, ipc, liveness
from emulator.container import chassis_identity
from emulator.flash import Flash, private_dir, read_json, write_json
from emulator.redundancy.election import Candidate, elect
from emulator.timing import PROFILES, Timing

CHASSIS_FILE: Final = "chassis.json"
CONTROL_SOCKET: Final = "control.sock"
LOCK_FILE: Final = "chassis.lock"
INSTALLED_MODULES: Final = hardware.MANAGEMENT_SLOTS
SELFTEST_FAULT: Final = "selftest-fault"
"""Marker in a module's flash that fails its next selftest (the module consumes it)."""

FABRIC: Final = "fabric"
CONSOLE_ESCAPE: Final = b"\x1d"
"""Ctrl-] on a terminal console stops the chassis (raw mode hands Ctrl-C to the switch)."""
SOCKET_ORDER: Final = ("ssh", "telnet", "snmp")
INBAND_PORTS: Final = {"ssh": 22, "telnet": 23, "snmp": 161}
"""The switch's own ports on its VLAN addresses: the real ones (the namespace is ours alone)."""
INBAND_SUFFIX: Final = "-inband"


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
    mgmt_netns: str
    """Where the in-band IP stack lives (emulator/inband.py)."""


def read_inventory(data_dir: Path) -> hardware.Inventory:
    """The hardware in this chassis, as the modules and the chassis both see it."""
    stored: dict[str, Any] = read_json(data_dir / CHASSIS_FILE, {})
    return hardware.Inventory(**stored)


def prepare_data_dir(data_dir: Path) -> hardware.Inventory:
    """First start builds the chassis: an inventory of its own (container.chassis_identity
    says how it is drawn; the flash keeps it), blank flashes."""
    private_dir(data_dir)
    path = data_dir / CHASSIS_FILE
    identity = chassis_identity(os.environ)
    stored = read_inventory(data_dir) if path.exists() else None
    inventory = identity.apply(stored or hardware.Inventory.generate(identity.seed))
    if inventory != stored:
        write_json(path, asdict(inventory))
    for slot in hardware.MANAGEMENT_SLOTS:
        Flash.for_slot(data_dir, slot).format()
    return inventory


def silence_limit(timing: Timing) -> float:
    """How long a child may stay silent (no reply, no exit after SIGTERM) before the chassis
    treats it as hung: the same window after which a standby declares the active dead."""
    return timing.heartbeat_interval * timing.heartbeat_misses


def announce(text: str) -> None:
    """A line for the operator on stderr (stdout is the console); CRLF when the terminal is raw."""
    end = "\r\n" if Console.raw_terminal else "\n"
    with contextlib.suppress(OSError):  # fd 2, not sys.stderr: Python has none if started without
        os.write(2, f"procurve-emu: {text}{end}".encode(errors="replace"))


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


class Console:
    """The chassis' stdin/stdout as the serial console of whichever module is active.

    stdin is read by a daemon thread: it may be a terminal, a pipe or a regular file, and the
    terminal shares its file description with stdout, so neither may be made non-blocking.
    EOF (or no stdin at all) ends the console for good; the chassis runs on without it.
    """

    raw_terminal: bool = False

    def __init__(self, stop: asyncio.Event, present: bool) -> None:
        self.stop = stop
        self.enabled = present
        self.link: socket.socket | None = None
        self.pump: asyncio.Task[None] | None = None
        self.saved_tty: list[Any] | None = None
        self.loop: asyncio.AbstractEventLoop | None = None

    def start(self) -> None:
        if not self.enabled:
            return
        self.loop = asyncio.get_running_loop()
        if os.isatty(0):
            self.saved_tty = termios.tcgetattr(0)
            tty.setraw(0)
            Console.raw_terminal = True
        threading.Thread(target=self._read_stdin, name="console-stdin", daemon=True).start()

    def restore(self) -> None:
        if self.saved_tty is not None:
            with contextlib.suppress(termios.error):
                termios.tcsetattr(0, termios.TCSADRAIN, self.saved_tty)
            self.saved_tty = None
            Console.raw_terminal = False

    def _read_stdin(self) -> None:
        assert self.loop is not None
        while True:
            try:
                data = os.read(0, 4096)
            except OSError:
                data = b""
            try:
                self.loop.call_soon_threadsafe(self._on_input, data)
            except RuntimeError:  # the loop has closed: the chassis is stopping
                return
            if not data:
                return

    def _on_input(self, data: bytes) -> None:
        if not data:
            self.enabled = False
            self.detach()
            return
        if self.saved_tty is not None and CONSOLE_ESCAPE in data:
            self.stop.set()
            return
        if self.link is not None:
            # Input typed while no module listens is lost, as on a rebooting switch.
            with contextlib.suppress(OSError):
                self.link.send(data)

    def attach(self) -> socket.socket | None:
        """A fresh console wire for a module being granted; the chassis keeps the other end."""
        self.detach()
        if not self.enabled:
            return None
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        self.link = ours
        self.pump = asyncio.get_running_loop().create_task(self._relay_output(ours))
        return theirs

    def detach(self) -> None:
        if self.pump is not None:
            self.pump.cancel()
            self.pump = None
        if self.link is not None:
            self.link.close()
            self.link = None

    async def _relay_output(self, sock: socket.socket) -> None:
        loop = asyncio.get_running_loop()
        sock.setblocking(False)
        while True:
            try:
                data = await loop.sock_recv(sock, 4096)
            except OSError:
                return
            if not data:
                return
            try:
                os.write(1, data)
            except OSError:
                self.enabled = False
                return


async def _relay_stderr(stream: asyncio.StreamReader | None) -> None:
    """A child's stderr onto ours with CRLF line ends, for a terminal in raw mode."""
    if stream is None:
        return
    while line := await stream.readline():
        with contextlib.suppress(OSError):
            os.write(2, line.rstrip(b"\r\n") + b"\r\n")


def _fd_open(fd: int) -> bool:
    try:
        os.fstat(fd)
    except OSError:
        return False
    return True


def claim_stdio() -> bool:
    """Whether there is a console (stdin and stdout both open). Closed standard fds are filled
    with /dev/null first, or the next socket opened would become "stdout"."""
    present = _fd_open(0) and _fd_open(1)
    for fd in (0, 1, 2):
        if not _fd_open(fd):
            null = os.open(os.devnull, os.O_RDWR)
            if null != fd:
                os.dup2(null, fd)
                os.close(null)
    return present


class Child:
    """One slot's process (a management module or the fabric) and its supervision.

    A process that dies is restarted after `restart_backoff`, the way a module that crashed
    reboots; the chassis itself never dies with it.
    """

    def __init__(self, chassis: Chassis, slot: str) -> None:
        self.chassis = chassis
        self.slot = slot
        self.process: asyncio.subprocess.Process | None = None
        self.link: ipc.Link | None = None
        self.role = "booting"
        self.ready = False
        self.restarts = 0
        self.replies: list[asyncio.Future[ipc.Message]] = []
        self.hello: ipc.Hello | None = None
        self.beats: socket.socket | None = None
        """The chassis' end of a module's heartbeat socket (the fabric has none)."""
        self.last_heard = 0.0
        self.heard_sample: liveness.ProcessSample | None = None
        """The process' clocks when last heard from: the silence's CPU wait is measured
        from here."""
        self.heard_lateness = 0.0
        self.pulled = False
        self.held_offline = False
        """Redundancy disabled: the module stays out of service (Offline) until enabled."""
        self.inserted = asyncio.Event()

    def argv(self, ipc_fd: int, heartbeat_fd: int | None = None) -> list[str]:
        opts = self.chassis.options
        if self.slot == FABRIC:
            ports = [f"--port={p}={b}" for p, b in opts.ports.items()]
            stack = self.chassis.netns
            return [sys.executable, "-m", "emulator.fabric.process", f"--ipc-fd={ipc_fd}",
                    f"--timing={opts.timing}", *ports,
                    f"--base-mac={read_inventory(opts.data_dir).base_mac}",
                    *([f"--mgmt-netns={stack}"] if stack else [])]
        return [
            sys.executable, "-m", "emulator.module", f"--slot={self.slot}",
            f"--ipc-fd={ipc_fd}", f"--heartbeat-fd={heartbeat_fd}",
            f"--data-dir={opts.data_dir}", f"--timing={opts.timing}",
        ]

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.returncode is None

    async def supervise(self) -> None:
        while not self.chassis.stopping.is_set():
            if self.pulled or self.held_offline:
                self.role, self.ready = ("not-present" if self.pulled else "offline"), False
                self.inserted.clear()
                await self.inserted.wait()
                continue
            try:
                await self._run_once()
            except OSError as exc:  # cannot spawn (fd or process limits): retry like a reboot
                announce(f"cannot start {self.slot}: {exc}")
                self.role, self.ready = "failed", False
            if self.chassis.stopping.is_set():
                return
            self.restarts += 1
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(
                    self.chassis.stopping.wait(), self.chassis.timing.restart_backoff
                )

    async def _run_once(self) -> None:
        ours, theirs = ipc.pair()
        # A management module beats on a datagram socket of its own (emulator/liveness.py).
        beats, beating = (None, None) if self.slot == FABRIC else \
            socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
        fds = [end.fileno() for end in (theirs, beating) if end is not None]
        self.role, self.ready, self.hello = "booting", False, None
        # A raw terminal needs CRLF; otherwise children write to our stderr directly, so
        # their last words survive even a SIGKILLed chassis.
        stderr = asyncio.subprocess.PIPE if Console.raw_terminal else None
        try:
            self.process = await asyncio.create_subprocess_exec(
                *self.argv(*fds),
                pass_fds=fds,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=2,
                stderr=stderr,
                env=self.chassis.child_env,
            )
        except OSError:
            ours.close()
            if beats is not None:
                beats.close()
            raise
        finally:
            theirs.close()
            if beating is not None:
                beating.close()
        if beats is not None:
            beats.setblocking(False)
        self.beats = beats
        if self.chassis.stopping.is_set():
            self.process.terminate()
        self.link = ipc.Link(ours)
        listener = asyncio.create_task(self._listen(self.link))
        relay = asyncio.create_task(_relay_stderr(self.process.stderr))
        code = await self.process.wait()
        await relay
        listener.cancel()
        self.link.close()
        self.link = None
        if beats is not None:
            beats.close()
        self.beats = None
        for waiter in self.replies:
            if not waiter.done():
                waiter.set_exception(EOFError(f"{self.slot} is gone"))
        self.replies.clear()
        self.ready, self.hello = False, None
        if self.pulled or self.held_offline:
            self.role = "not-present" if self.pulled else "offline"
        else:
            self.role = "offline" if self.chassis.stopping.is_set() else "failed"
        self.chassis.lost(self, code)

    async def _listen(self, link: ipc.Link) -> None:
        while True:
            try:
                msg = await link.recv_message()
            except (EOFError, ipc.IpcError):
                return
            self.heard()
            if isinstance(msg, ipc.Hello):
                self.hello = msg
                self.role = "booting" if msg.selftest_passed else "failed"
                if self.slot == FABRIC:
                    self.role = "running"
                    self.ready = True
                else:
                    await self.chassis.module_hello(self)
            elif isinstance(msg, ipc.Ready):
                self.ready = True
                if self.role == "active":
                    self.chassis.module_ready(self, msg)
            elif isinstance(msg, ipc.Switchover):
                await self.chassis.switchover(self, msg.reason)
            elif isinstance(msg, ipc.RebootModule):
                await self.chassis.reboot_modules(msg.slot, msg.reason)
            elif isinstance(msg, ipc.SetRedundancy):
                await self.chassis.set_redundancy(msg.enabled)
            elif self.replies:
                waiter = self.replies.pop(0)
                if not waiter.done():
                    waiter.set_result(msg)

    async def ask(self, msg: ipc.Message) -> ipc.Message:
        """A request/reply with the child; replies come back in order."""
        if self.link is None:
            raise EOFError(f"{self.slot} is not running")
        waiter: asyncio.Future[ipc.Message] = asyncio.get_running_loop().create_future()
        self.replies.append(waiter)
        await self.link.send(msg)
        return await asyncio.wait_for(waiter, silence_limit(self.chassis.timing))

    async def grant(self, role: str, sockets: dict[str, socket.socket], reason: str = "",
                    takeover_from: str | None = None) -> None:
        assert self.link is not None
        opts = self.chassis.options
        grant = ipc.Grant(
            role, list(sockets), startup_config=opts.startup_config, hostname=opts.hostname,
            takeover_from=takeover_from, reason=reason, mgmt_netns=self.chassis.netns,
        )
        self.role, self.ready = role, False  # until the module says it is (Ready)
        await self.link.send(grant, list(sockets.values()))

    def heard(self) -> None:
        """The module spoke (a beat or a message): its silence starts again from now."""
        self.last_heard = time.monotonic()
        self.heard_lateness = self.chassis.lateness
        self.heard_sample = None if self.process is None else liveness.sample(self.process.pid)

    def hung(self, now: float) -> str | None:
        """Why this silent module is hung (liveness.judge), or None."""
        if self.process is None:
            return None
        current = liveness.sample(self.process.pid)
        if current is None:  # gone: _run_once sees it end
            return None
        base = self.heard_sample or current
        return liveness.judge(
            now - self.last_heard, silence_limit(self.chassis.timing), current.state,
            max(0.0, current.waited - base.waited), self.chassis.lateness - self.heard_lateness,
            max(0.0, current.cpu - base.cpu))

    def reset(self) -> None:
        """The reset line: SIGKILL, which also ends a stopped (hung) process."""
        if self.process is not None and self.process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                self.process.kill()

    async def stop(self) -> None:
        """SIGTERM, then the reset line (SIGKILL) for a child that does not go."""
        process = self.process
        if process is None or process.returncode is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            process.terminate()
        try:
            await asyncio.wait_for(process.wait(), silence_limit(self.chassis.timing))
        except TimeoutError:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            await process.wait()

    def status(self) -> dict[str, Any]:
        status: dict[str, Any] = {
            "slot": self.slot,
            "role": self.role,
            "pid": self.process.pid if self.running and self.process else None,
            "ready": self.ready,
            "restarts": self.restarts,
        }
        if self.slot != FABRIC:
            images = Flash.for_slot(self.chassis.options.data_dir, self.slot).images()
            default = images.get("default", "primary")
            status["image"] = {"version": images.get(default, ""), "boot": default}
        return status


class Chassis:
    def __init__(self, options: ChassisOptions, console: bool = True) -> None:
        self.options = options
        self.timing = PROFILES[options.timing]
        self.stopping = asyncio.Event()
        self.sockets: dict[str, socket.socket] = {}
        self.netns = inband.resolve(options.mgmt_netns, options.data_dir)
        self.netns_made = False
        self.console = Console(self.stopping, console)
        self.fabric = Child(self, FABRIC)
        self.modules = {slot: Child(self, slot) for slot in INSTALLED_MODULES}
        for slot, module in self.modules.items():
            module.pulled = slot not in read_inventory(options.data_dir).management
        self.active: str | None = None
        self.control_sessions: set[asyncio.Task[None]] = set()
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
        package_root = str(Path(emulator.__file__).resolve().parent.parent)
        path = os.environ.get("PYTHONPATH")
        self.child_env = {
            **os.environ,
            "PYTHONPATH": package_root + (os.pathsep + path if path else ""),
        }

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
                for name, port in INBAND_PORTS.items():
                    kind = socket.SOCK_DGRAM if name == "snmp" else socket.SOCK_STREAM
                    self.sockets[name + INBAND_SUFFIX] = _bind("0.0.0.0", port, kind, name)
        except (inband.InbandError, ChassisError) as exc:
            announce(f"no in-band management: {exc}")
            for name in INBAND_PORTS:
                sock = self.sockets.pop(name + INBAND_SUFFIX, None)
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
        at the boot deadline over those that did."""
        if self.active is not None or self.stopping.is_set():
            return
        present = self.present()
        reported = [m for m in present if m.hello is not None and m.link is not None]
        if len(reported) < len(present) and time.monotonic() < self.election_deadline:
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
            if module.slot != decision.active and module.role == "booting":
                await self.grant_standby(module)

    async def _election_at_deadline(self) -> None:
        await asyncio.sleep(max(0.0, self.election_deadline - time.monotonic()))
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
            await module.grant("active", sockets, reason, takeover_from)
        except EOFError:
            self.active = None
        finally:
            if console is not None:
                console.close()
        await self.broadcast_roles()
        standby = self.standby()
        if standby is not None:
            await self.connect_peers(module, standby)

    async def connect_fabric(self, module: Child) -> None:
        """The active module's wire to the interface modules (it resets and programs them)."""
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            for child, end in ((self.fabric, ours), (module, theirs)):
                if child.link is not None:
                    with contextlib.suppress(EOFError):
                        await child.link.send(ipc.FabricLink(), [end])
        finally:
            ours.close()
            theirs.close()

    async def grant_standby(self, module: Child) -> None:
        try:
            await module.grant("standby", {}, "another management module is active")
        except EOFError:
            return
        await self.broadcast_roles()
        active = self.modules.get(self.active or "")
        if active is not None and active.link is not None:
            await self.connect_peers(active, module)

    def standby(self) -> Child | None:
        return next((m for m in self.present()
                     if m.role == "standby" and m.running and m.link is not None), None)

    async def connect_peers(self, active: Child, standby: Child) -> None:
        """The module-to-module wire for file sync, one end to each."""
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            for module, end in ((standby, theirs), (active, ours)):
                if module.link is not None:
                    with contextlib.suppress(EOFError):
                        await module.link.send(ipc.PeerLink(), [end])
        finally:
            ours.close()
            theirs.close()

    async def broadcast_roles(self) -> None:
        active = self.modules.get(self.active or "")
        if active is None or active.link is None:
            return
        roles = {m.slot: m.role for m in self.modules.values()}
        with contextlib.suppress(EOFError):
            await active.link.send(ipc.Roles(roles))

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
        queued, and its timer's lateness is not held against the modules."""
        interval = self.timing.heartbeat_interval
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
        write_json(self.options.data_dir / CHASSIS_FILE, asdict(inventory))

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
            module.role = "not-present"
        elif action == "insert" and module.pulled:
            module.pulled = False
            self.record_presence()
            module.inserted.set()
        return f"{action} {module.slot}"

    def module_ready(self, module: Child, ready: ipc.Ready) -> None:
        from emulator.container import reachable_address

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

    async def status(self) -> dict[str, Any]:
        modules = [module.status() for module in self.modules.values()]
        ports: list[dict[str, Any]] = []
        try:
            reply = await self.fabric.ask(ipc.PortsRequest())
            if isinstance(reply, ipc.PortsReply):
                ports = [asdict(p) for p in reply.ports]
        except (EOFError, TimeoutError):
            pass
        opts = self.options
        return {
            "chassis": {
                "pid": os.getpid(),
                "data_dir": str(opts.data_dir),
                "timing": opts.timing,
                "listen": opts.listen,
                "ssh_port": self.bound_port("ssh"),
                "telnet_port": self.bound_port("telnet"),
                "snmp_port": self.bound_port("snmp"),
                "mgmt_netns": self.netns,
                "active": self.active,
            },
            "fabric": self.fabric.status(),
            "modules": modules,
            "ports": ports,
        }

    async def serve_control(self, sock: socket.socket) -> None:
        loop = asyncio.get_running_loop()
        sock.setblocking(False)
        while True:
            conn, _ = await loop.sock_accept(sock)
            task = loop.create_task(self._control_session(ipc.Link(conn)))
            self.control_sessions.add(task)
            task.add_done_callback(self.control_sessions.discard)

    async def _control_session(self, link: ipc.Link) -> None:
        try:
            msg = await link.recv_message()
            if isinstance(msg, ipc.StatusRequest):
                await link.send(ipc.StatusReply(await self.status()))
            elif isinstance(msg, ipc.Fault) and msg.action in ipc.FAULT_ACTIONS:
                try:
                    done = await self.fault(msg.action, msg.target)
                except ChassisError as exc:
                    await link.send(ipc.Failure(str(exc)))
                else:
                    await link.send(ipc.StatusReply({"fault": done}))
            else:
                await link.send(ipc.Failure(f"the chassis does not take {msg.kind}"))
        except (EOFError, ipc.IpcError):
            pass
        finally:
            link.close()

    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, self.stopping.set)
        control = ipc.bind_unix(self.options.data_dir / CONTROL_SOCKET)
        self.console.start()
        children = [self.fabric, *self.modules.values()]
        tasks = [loop.create_task(c.supervise()) for c in children]
        tasks.append(loop.create_task(self.serve_control(control)))
        tasks.append(loop.create_task(self.watch_heartbeats()))
        try:
            await self.stopping.wait()
        finally:
            self.stopping.set()
            await asyncio.gather(*(c.stop() for c in children))
            for task in [*tasks, *self.background]:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            self.console.detach()
            control.close()
            with contextlib.suppress(OSError):
                (self.options.data_dir / CONTROL_SOCKET).unlink()
            for sock in self.sockets.values():
                sock.close()
            if self.netns is not None and self.netns_made:
                inband.remove(self.netns)


def _lock(data_dir: Path) -> TextIO:
    """One chassis per data dir: two would share flashes and a control socket."""
    handle = open(data_dir / LOCK_FILE, "a+")  # noqa: SIM115 - held for the chassis' lifetime
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        raise ChassisError(f"another chassis is running in {data_dir}") from None
    return handle


def _stop_before_the_loop(signum: int, frame: object) -> None:
    raise SystemExit(0)


def run(options: ChassisOptions) -> int:
    """The chassis' life: 0 after SIGTERM/SIGINT, 1 when it cannot start."""
    # Until the event loop takes these over, a stop request still means a clean exit.
    signal.signal(signal.SIGTERM, _stop_before_the_loop)
    signal.signal(signal.SIGINT, _stop_before_the_loop)
    console = claim_stdio()
    try:
        prepare_data_dir(options.data_dir)
        lock = _lock(options.data_dir)
    except OSError as exc:
        announce(f"cannot use data dir {options.data_dir}: {exc.strerror or exc}")
        return 1
    except ChassisError as exc:
        announce(str(exc))
        return 1
    with lock:
        chassis = Chassis(options, console)
        try:
            chassis.bind()
        except ChassisError as exc:
            announce(str(exc))
            return 1
        try:
            asyncio.run(chassis.run())
        finally:
            chassis.console.restore()
    return chassis.exit_code
