"""The backplane: `procurve-emu run`.

The chassis holds no configuration. It owns what the real backplane owns: the slots and the
reset lines. It prepares the data directory (hardware inventory, one flash per management
module), binds the management sockets once, starts the fabric and the management modules as
child processes, grants mastership to one module at a time (handing it the listening sockets
and the console over IPC), restarts a module process that dies, relays its own stdin/stdout
as the serial console, and answers `procurve-emu status` on a Unix socket in the data dir.

Redundancy (MM2, election, switchover) plugs in at INSTALLED_MODULES and `_elect`; nothing
else here assumes a single module.
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
import tty
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Final, TextIO

import emulator
from emulator import hardware, ipc
from emulator.flash import Flash, read_json, write_json
from emulator.timing import PROFILES, Timing

CHASSIS_FILE: Final = "chassis.json"
CONTROL_SOCKET: Final = "control.sock"
LOCK_FILE: Final = "chassis.lock"
INSTALLED_MODULES: Final = ("MM1",)
"""Management slots that get a module process; MM2 joins with the redundancy work."""
FABRIC: Final = "fabric"
CONSOLE_ESCAPE: Final = b"\x1d"
"""Ctrl-] on a terminal console stops the chassis (raw mode hands Ctrl-C to the switch)."""
SOCKET_ORDER: Final = ("ssh", "telnet", "snmp")


class ChassisError(Exception):
    """Startup cannot go on; the message is the one line the user sees."""


@dataclass
class ChassisOptions:
    data_dir: Path
    timing: str = "lab"
    listen: str = "127.0.0.1"
    ssh_port: int = 2222
    telnet_port: int = 2323
    snmp_port: int = 1161
    hostname: str | None = None
    startup_config: str | None = None
    """Text of --startup-config; seeds the active module's flash on first boot only."""
    ports: dict[str, str] = field(default_factory=dict)
    """Port name -> back-end spec, already validated."""


def read_inventory(data_dir: Path) -> hardware.Inventory:
    """The hardware in this chassis, as the modules and the chassis both see it."""
    stored: dict[str, Any] = read_json(data_dir / CHASSIS_FILE, {})
    return hardware.Inventory(**stored)


def prepare_data_dir(data_dir: Path) -> hardware.Inventory:
    """First start builds the chassis: an inventory seeded from the directory, blank flashes."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / CHASSIS_FILE
    if path.exists():
        inventory = read_inventory(data_dir)
    else:
        inventory = hardware.Inventory.generate(str(data_dir.resolve()))
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

    def argv(self, ipc_fd: int) -> list[str]:
        opts = self.chassis.options
        if self.slot == FABRIC:
            ports = [f"--port={p}={b}" for p, b in opts.ports.items()]
            return [sys.executable, "-m", "emulator.fabric.process", f"--ipc-fd={ipc_fd}", *ports]
        return [
            sys.executable, "-m", "emulator.module", f"--slot={self.slot}",
            f"--ipc-fd={ipc_fd}", f"--data-dir={opts.data_dir}", f"--timing={opts.timing}",
        ]

    async def supervise(self) -> None:
        while not self.chassis.stopping.is_set():
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
        self.role, self.ready = "booting", False
        # A raw terminal needs CRLF; otherwise children write to our stderr directly, so
        # their last words survive even a SIGKILLed chassis.
        stderr = asyncio.subprocess.PIPE if Console.raw_terminal else None
        try:
            self.process = await asyncio.create_subprocess_exec(
                *self.argv(theirs.fileno()),
                pass_fds=(theirs.fileno(),),
                stdin=asyncio.subprocess.DEVNULL,
                stdout=2,
                stderr=stderr,
                env=self.chassis.child_env,
            )
        except OSError:
            ours.close()
            raise
        finally:
            theirs.close()
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
        for waiter in self.replies:
            if not waiter.done():
                waiter.set_exception(EOFError(f"{self.slot} is gone"))
        self.replies.clear()
        self.ready = False
        self.role = "offline" if self.chassis.stopping.is_set() else "failed"
        self.chassis.lost(self, code)

    async def _listen(self, link: ipc.Link) -> None:
        while True:
            try:
                msg, socks = await link.recv()
            except (EOFError, ipc.IpcError):
                return
            for sock in socks:
                sock.close()
            if isinstance(msg, ipc.Hello):
                self.role = "booting" if msg.selftest_passed else "failed"
                if self.slot != FABRIC and msg.selftest_passed:
                    await self.chassis.elect()
                elif self.slot == FABRIC:
                    self.role = "running"
                    self.ready = True
            elif isinstance(msg, ipc.Ready):
                self.ready = True
                self.chassis.module_ready(self, msg)
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

    async def grant(self, sockets: dict[str, socket.socket]) -> None:
        assert self.link is not None
        opts = self.chassis.options
        grant = ipc.Grant(
            "active", list(sockets), startup_config=opts.startup_config, hostname=opts.hostname
        )
        self.role = "active"
        await self.link.send(grant, list(sockets.values()))

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
        running = self.process is not None and self.process.returncode is None
        return {
            "slot": self.slot,
            "role": self.role,
            "pid": self.process.pid if running and self.process else None,
            "ready": self.ready,
            "restarts": self.restarts,
        }


class Chassis:
    def __init__(self, options: ChassisOptions, console: bool = True) -> None:
        self.options = options
        self.timing = PROFILES[options.timing]
        self.stopping = asyncio.Event()
        self.sockets: dict[str, socket.socket] = {}
        self.console = Console(self.stopping, console)
        self.fabric = Child(self, FABRIC)
        self.modules = {slot: Child(self, slot) for slot in INSTALLED_MODULES}
        self.active: str | None = None
        self.control_sessions: set[asyncio.Task[None]] = set()
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

    def bound_port(self, name: str) -> int:
        port: int = self.sockets[name].getsockname()[1]
        return port

    async def elect(self) -> None:
        """Grant mastership if no module holds it. The redundancy work replaces this with the
        manual's election rules; the one-grant-at-a-time invariant stays here."""
        if self.active is not None:
            return
        for slot, module in self.modules.items():
            if module.role == "booting" and module.link is not None:
                self.active = slot
                sockets = dict(self.sockets)
                console = self.console.attach()
                if console is not None:
                    sockets["console"] = console
                try:
                    await module.grant(sockets)
                except EOFError:
                    self.active = None
                finally:
                    if console is not None:
                        console.close()
                return

    def module_ready(self, module: Child, ready: ipc.Ready) -> None:
        opts = self.options
        host = opts.listen if opts.listen not in ("0.0.0.0", "::") else "127.0.0.1"
        user = ready.manager_user or "manager"
        password = f" (password {ready.password_hint})" if ready.password_hint else ""
        announce(
            f"{ready.hostname} ready: ssh -p {self.bound_port('ssh')} {user}@{host}{password}, "
            f"telnet {host} {self.bound_port('telnet')}"
        )

    def lost(self, child: Child, code: int) -> None:
        how = f"killed by {signal.Signals(-code).name}" if code < 0 else f"exit status {code}"
        if child.slot == self.active:
            self.active = None
            self.console.detach()
        if not self.stopping.is_set():
            announce(f"{child.slot} stopped ({how}); restarting it")

    async def status(self) -> dict[str, Any]:
        modules = []
        for slot in hardware.MANAGEMENT_SLOTS:
            module = self.modules.get(slot)
            if module is None:
                modules.append(
                    {"slot": slot, "role": "offline", "pid": None, "ready": False, "restarts": 0}
                )
            else:
                modules.append(module.status())
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
            msg, socks = await link.recv()
            for s in socks:
                s.close()
            if isinstance(msg, ipc.StatusRequest):
                await link.send(ipc.StatusReply(await self.status()))
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
        try:
            await self.stopping.wait()
        finally:
            self.stopping.set()
            await asyncio.gather(*(c.stop() for c in children))
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            self.console.detach()
            control.close()
            with contextlib.suppress(OSError):
                (self.options.data_dir / CONTROL_SOCKET).unlink()
            for sock in self.sockets.values():
                sock.close()


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
    return 0
