"""One slot's process (a management module or the fabric) and its supervision: spawning it with
its IPC and heartbeat sockets, restarting it when it dies, the reset line, and the messages it
sends the chassis (dispatched by type; replies matched to their request by id)."""

from __future__ import annotations

import asyncio
import contextlib
import math
import socket
import time
from typing import Any, Final, Protocol

from emulator import liveness
from emulator.chassis.console import Console, announce, relay_stderr
from emulator.chassis.zygote import SlotProcess, Zygote
from emulator.ipc import wire
from emulator.ipc.messages import (
    Grant,
    Hello,
    Ready,
    RebootModule,
    Reply,
    Request,
    Role,
    SetRedundancy,
    Switchover,
)
from emulator.liveness import silence_limit
from emulator.timing import Timing

FABRIC: Final = "fabric"
IPC_FD: Final = 3
HEARTBEAT_FD: Final = 4
"""The fd numbers a slot's process finds its IPC and heartbeat sockets under."""


class Backplane(Protocol):
    """What a slot needs of the chassis it sits in (emulator/chassis/backplane.py)."""

    timing: Timing
    stopping: asyncio.Event
    lateness: float
    """Seconds the chassis' heartbeat timer has run late in all (the chassis starved)."""
    zygote: Zygote

    def child_argv(self, slot: str, ipc_fd: int, heartbeat_fd: int | None) -> list[str]: ...

    def lost(self, child: Child, code: int) -> None: ...

    async def module_hello(self, module: Child) -> None: ...

    def module_ready(self, module: Child, ready: Ready) -> None: ...

    async def switchover(self, module: Child, reason: str) -> None: ...

    async def reboot_modules(self, slot: str | None, reason: str) -> None: ...

    async def set_redundancy(self, enabled: bool) -> None: ...


HANDLERS: Final = wire.Handlers["Child", None]()
"""What the chassis does with each message a child sends it (replies aside)."""


class Child:
    """One slot's process and its supervision.

    A process that dies is restarted after `restart_backoff`, the way a module that crashed
    reboots; the chassis itself never dies with it.
    """

    def __init__(self, chassis: Backplane, slot: str) -> None:
        self.chassis = chassis
        self.slot = slot
        self.process: SlotProcess | None = None
        self.link: wire.Link | None = None
        self.role = Role.BOOTING
        self.ready = False
        self.restarts = 0
        self.requests = wire.Asker()
        self.hello: Hello | None = None
        self.beats: socket.socket | None = None
        """The chassis' end of a module's heartbeat socket (the fabric has none)."""
        self.last_heard = 0.0
        self.heard_sample: liveness.ProcessSample | None = None
        """The process' clocks when last heard from, or shortly before: the silence's CPU wait
        is measured from here."""
        self.sampled_at = -math.inf
        self.heard_lateness = 0.0
        self.pulled = False
        self.held_offline = False
        """Redundancy disabled: the module stays out of service (Offline) until enabled."""
        self.inserted = asyncio.Event()
        self.spawning = False
        """Its process is being forked (the zygote may still be starting on a busy host)."""

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.returncode is None

    async def supervise(self) -> None:
        while not self.chassis.stopping.is_set():
            if self.pulled or self.held_offline:
                self.role = Role.NOT_PRESENT if self.pulled else Role.OFFLINE
                self.ready = False
                self.inserted.clear()
                await self.inserted.wait()
                continue
            try:
                await self._run_once()
            except OSError as exc:  # cannot spawn (fd or process limits): retry like a reboot
                announce(f"cannot start {self.slot}: {exc}")
                self.role, self.ready = Role.FAILED, False
            if self.chassis.stopping.is_set():
                return
            self.restarts += 1
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(
                    self.chassis.stopping.wait(), self.chassis.timing.restart_backoff
                )

    async def _run_once(self) -> None:
        ours, theirs = wire.pair()
        # A management module beats on a datagram socket of its own (emulator/liveness.py).
        beats, beating = (None, None) if self.slot == FABRIC else \
            socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
        fds: dict[int, socket.socket | int] = {IPC_FD: theirs}
        if beating is not None:
            fds[HEARTBEAT_FD] = beating
        self.role, self.ready, self.hello = Role.BOOTING, False, None
        self.heard_sample, self.sampled_at = None, -math.inf  # a new process, new clocks
        try:
            # A raw terminal needs CRLF; otherwise children write to our stderr directly, so
            # their last words survive even a SIGKILLed chassis.
            self.spawning = True
            self.process = await self.chassis.zygote.spawn(
                self.chassis.child_argv(self.slot, IPC_FD,
                                        None if beating is None else HEARTBEAT_FD),
                fds, relay=Console.raw_terminal)
        except OSError:
            ours.close()
            if beats is not None:
                beats.close()
            raise
        finally:
            self.spawning = False
            theirs.close()
            if beating is not None:
                beating.close()
        if beats is not None:
            beats.setblocking(False)
        self.beats = beats
        self.heard()  # its boot is timed from here (Backplane.election)
        if self.chassis.stopping.is_set():
            with contextlib.suppress(ProcessLookupError):
                self.process.terminate()
        self.link = wire.Link(ours)
        listener = asyncio.create_task(self._listen(self.link))
        relay = asyncio.create_task(relay_stderr(self.process.stderr))
        code = await self.process.wait()
        await relay
        listener.cancel()
        self.link.close()
        self.link = None
        if beats is not None:
            beats.close()
        self.beats = None
        self.requests.fail_all(f"{self.slot} is gone")
        self.ready, self.hello = False, None
        if self.pulled or self.held_offline:
            self.role = Role.NOT_PRESENT if self.pulled else Role.OFFLINE
        else:
            self.role = Role.OFFLINE if self.chassis.stopping.is_set() else Role.FAILED
        self.chassis.lost(self, code)

    async def _listen(self, link: wire.Link) -> None:
        while True:
            try:
                msg, socks = await link.recv()
            except (EOFError, wire.IpcError):
                return
            self.heard()
            if isinstance(msg, Reply):
                for sock in socks:
                    sock.close()
                self.requests.resolve(msg)  # one naming no pending request is dropped
            else:
                await HANDLERS.dispatch(self, msg, socks, None)

    @HANDLERS.on(Hello)
    async def _hello(self, msg: Hello, _socks: list[socket.socket]) -> None:
        self.hello = msg
        if self.slot == FABRIC:
            self.role, self.ready = Role.RUNNING, True
            return
        self.role = Role.BOOTING if msg.selftest_passed else Role.FAILED
        await self.chassis.module_hello(self)

    @HANDLERS.on(Ready)
    async def _ready(self, msg: Ready, _socks: list[socket.socket]) -> None:
        self.ready = True
        if self.role is Role.ACTIVE:
            self.chassis.module_ready(self, msg)

    @HANDLERS.on(Switchover)
    async def _switchover(self, msg: Switchover, _socks: list[socket.socket]) -> None:
        await self.chassis.switchover(self, msg.reason)

    @HANDLERS.on(RebootModule)
    async def _reboot(self, msg: RebootModule, _socks: list[socket.socket]) -> None:
        await self.chassis.reboot_modules(msg.slot, msg.reason)

    @HANDLERS.on(SetRedundancy)
    async def _redundancy(self, msg: SetRedundancy, _socks: list[socket.socket]) -> None:
        await self.chassis.set_redundancy(msg.enabled)

    async def ask(self, request: Request) -> Reply:
        """A request/reply with the child: the reply that names this request, or TimeoutError
        after the silence limit."""
        if self.link is None:
            raise EOFError(f"{self.slot} is not running")
        numbered, waiter = self.requests.number(request)
        try:
            await self.link.send(numbered)
            return await asyncio.wait_for(waiter, silence_limit(self.chassis.timing))
        finally:
            self.requests.forget(numbered)

    async def grant(self, grant: Grant, sockets: list[socket.socket]) -> None:
        assert self.link is not None
        self.role, self.ready = grant.role, False  # until the module says it is (Ready)
        await self.link.send(grant, sockets)

    def heard(self) -> None:
        """The module spoke (a beat or a message): its silence starts again from now. Reading
        its clocks costs a dozen /proc reads, most of an idle chassis' CPU if done at every
        beat, so the sample is renewed only once it is half a silence limit old: a silence is
        then measured against a wait counted from up to that much earlier, which can only
        excuse a module longer (never fence one sooner)."""
        now = time.monotonic()
        self.last_heard = now
        self.heard_lateness = self.chassis.lateness
        if self.process is None:
            self.heard_sample = None
        elif now - self.sampled_at >= silence_limit(self.chassis.timing) / 2:
            self.heard_sample = liveness.sample(self.process.pid)
            self.sampled_at = now

    def hung(self, now: float, limit: float | None = None) -> str | None:
        """Why this module, silent for longer than `limit` (the silence limit unless given),
        is hung (liveness.judge), or None."""
        if self.process is None:
            return None
        current = liveness.sample(self.process.pid)
        if current is None:  # gone: _run_once sees it end
            return None
        base = self.heard_sample or current
        return liveness.judge(
            now - self.last_heard,
            silence_limit(self.chassis.timing) if limit is None else limit, current.state,
            max(0.0, current.waited - base.waited), self.chassis.lateness - self.heard_lateness,
            max(0.0, current.cpu - base.cpu))

    def booting_slowly(self, now: float, window: float) -> bool:
        """Whether this module, not yet heard from, is still in selftest through no fault of
        its own: its process is still being forked (the zygote, starting on a busy host, is
        not up yet), or it runs, is not stopped, and has not yet had `window` seconds in which
        it could run (a busy host delays a boot; it does not make the module absent)."""
        if self.spawning:
            return True
        return self.running and self.hello is None and self.hung(now, window) is None

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
        return {
            "slot": self.slot,
            "role": self.role.value,
            "pid": self.process.pid if self.running and self.process else None,
            "ready": self.ready,
            "restarts": self.restarts,
        }
