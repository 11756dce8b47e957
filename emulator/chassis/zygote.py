"""The zygote: one process per chassis that has imported what the slot processes run, and
forks each of them on the chassis' request (`python -m emulator.chassis.zygote`).

Why: a chassis is four Python processes (itself, the fabric, two management modules), and
each one started with exec holds a private copy of the interpreter's imported modules (asyncio,
ssl, the backplane's wire, the emulator: some 400 modules, 15 MiB a process). Forked from a
parent that imported them once, the fabric and the modules share those pages copy-on-write
(issue 18: a lab of forty switches at most 60 MiB PSS a chassis; benchmarks/results/lab.md has
the figures). The zygote is forked from the chassis before its event loop starts (fork_first),
so it shares the chassis' own imports too; it imports the fabric and the module (preload()
says why no more), then calls gc.freeze(): the collector then never writes to the imported
objects' headers, which would un-share their pages in every child; and it hands back to the
kernel the pages its imports freed (emulator/memory.py), which every child would otherwise
hold too. Reference counts and 3.11's specialising interpreter still write to what a child
uses: a forked standby dirties about 5 MiB of them.

The protocol (typed messages on the backplane's wire, emulator/ipc/): the chassis sends Spawn
(the argv exec would run, the environment, the fds under the numbers the process must see
them as, SCM_RIGHTS) and the zygote answers Spawned(pid) or Failure. The zygote forks twice:
the first child forks the slot's process and exits at once, so the slot's process is
reparented to the chassis, which is a child subreaper (PR_SET_CHILD_SUBREAPER). So the chassis
supervises it as its own child, as it did when it ran exec: it waits for it and reads its exit
status (waitid on a pidfd), signals it through the pidfd (no pid reuse race), and nothing of
that depends on the zygote staying alive. A zygote that dies is restarted; spawns wait for it
meanwhile (a restart costs one import, a fraction of a second) instead of falling back to
exec, so the children start one way only; the ones running go on untouched. Being a subreaper
has one duty: a process a slot process started and left behind when it died (FRR's daemons of
an active module killed with SIGKILL, an `ip` command of a module killed mid-run) is reparented
to the chassis, so the chassis reaps it when it ends (`Zygote.reap_orphans`, at every
SIGCHLD), as init would have without the zygote. Ending such leftovers stays where it was:
FRR's daemons are ended by the next module that starts the engine, or by the chassis at its
stop (emulator/ospf.py), by their pid files; a transient command ends on its own.

A forked process must inherit nothing of the zygote that matters: it closes the zygote's
request socket and every fd but those the Spawn names, gets stdin from /dev/null, default
signal handlers, the environment the Spawn carries, and runs its entry point's main(), which
makes a new event loop (asyncio.run). CPython's `random` reseeds itself in a forked child
(os.register_at_fork) and OpenSSL's generator does too (it notices the new pid), so SSH host
keys made on a first boot and SNMP salts differ between modules; the SNMP engine boots live in
each module's own flash. The hash seed is the zygote's, shared by the processes of one
chassis, as it would be for threads.

How the children notice the chassis dying is unchanged: their IPC link to it closes. The zygote
notices the same way (its request socket closes) and has PR_SET_PDEATHSIG besides.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import ctypes
import fcntl
import gc
import importlib
import os
import pkgutil
import signal
import socket
import sys
import traceback
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Final, NoReturn

from emulator import inband, memory
from emulator.chassis.console import announce
from emulator.ipc import wire
from emulator.ipc.messages import Failure, Spawn, Spawned
from emulator.timing import Timing

PR_SET_PDEATHSIG: Final = 1
PR_SET_CHILD_SUBREAPER: Final = 36
PID_BYTES: Final = 4
REQUEST_FD: Final = 3
"""Where a forked zygote keeps its request socket."""
PACKAGES: Final = ("emulator", "snmp", "ssh_server")
TEST_HELPERS: Final = frozenset({"emulator.testing", "emulator.pytest_plugin"})
"""Modules no chassis process imports (they need pytest, which a switch's image lacks)."""


def prctl(option: int, value: int) -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(option, value, 0, 0, 0) != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, os.strerror(errno))


# --- the chassis' end ---------------------------------------------------------------------


class SlotProcess:
    """A slot's process as the chassis holds it: its pid and a pidfd, the only handle used
    to signal it and to wait for it (the chassis is its parent: see the module docstring)."""

    def __init__(self, pid: int, stderr: asyncio.StreamReader | None = None) -> None:
        self.pid = pid
        self.stderr = stderr
        self.returncode: int | None = None
        self.pidfd: int | None = os.pidfd_open(pid)
        loop = asyncio.get_running_loop()
        self.exited: asyncio.Future[int] = loop.create_future()
        loop.add_reader(self.pidfd, self._reap)

    def _reap(self) -> None:
        assert self.pidfd is not None
        asyncio.get_running_loop().remove_reader(self.pidfd)
        result = os.waitid(os.P_PIDFD, self.pidfd, os.WEXITED)
        os.close(self.pidfd)
        self.pidfd = None
        assert result is not None
        killed = result.si_code in (os.CLD_KILLED, os.CLD_DUMPED)
        self.returncode = -result.si_status if killed else result.si_status
        self.exited.set_result(self.returncode)

    async def wait(self) -> int:
        return await asyncio.shield(self.exited)

    def send_signal(self, signum: int) -> None:
        """ProcessLookupError once it has ended, as asyncio's Process says."""
        if self.pidfd is None:
            raise ProcessLookupError(self.pid)
        signal.pidfd_send_signal(self.pidfd, signum)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


class Zygote:
    """The chassis' end of its zygote: starts it (forked before the chassis' event loop, see
    fork_first), starts it again when it dies (by exec), and asks it for slot processes."""

    def __init__(self, timing: Timing, stopping: asyncio.Event, env: Mapping[str, str]) -> None:
        self.timing = timing
        self.stopping = stopping
        self.env = dict(env)
        self.link: wire.Link | None = None
        self.up = asyncio.Event()
        self.process: SlotProcess | asyncio.subprocess.Process | None = None
        self.first: tuple[int, socket.socket] | None = None
        """The zygote fork_first forked (its pid, our end of its request socket), for the first
        run to take on."""
        self.requests = wire.Asker()
        self.starts = 0
        self.slots: set[int] = set()
        """The pids of the slot processes forked for us and not yet reaped (SlotProcess)."""
        self.forking = 0
        """Processes being started (the zygote, a slot's): their pids are not known here yet,
        so nothing is reaped meanwhile; the last to finish reaps what came in between."""

    @property
    def pid(self) -> int | None:
        """The running zygote's (`procurve-emu status`: its children share its command line)."""
        process = self.process
        return process.pid if process is not None and process.returncode is None else None

    async def supervise(self) -> None:
        prctl(PR_SET_CHILD_SUBREAPER, 1)
        asyncio.get_running_loop().add_signal_handler(signal.SIGCHLD, self.reap_orphans)
        while not self.stopping.is_set():
            try:
                await self._run_once()
            except OSError as exc:
                announce(f"cannot start the zygote: {exc}")
            if self.stopping.is_set():
                return
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.stopping.wait(), self.timing.restart_backoff)

    def fork_first(self) -> None:
        """Fork the first zygote from the chassis itself, before its event loop and any thread
        start (emulator/chassis/start.py): the zygote, and so every slot process, then shares
        the chassis' own imports (the interpreter, asyncio, the backplane) copy-on-write too
        (5 MiB a chassis: benchmarks/results/lab.md). One started again later is exec'd: a
        fork then would copy the loop and threads into it. Every process of the chassis then
        shows the chassis' command line in ps (`procurve-emu status` names each one's pid)."""
        ours, theirs = wire.pair()
        gc.freeze()  # our collector must not write to what the zygote and its children share
        memory.trim()
        try:
            pid = os.fork()
        except OSError:
            ours.close()
            theirs.close()
            raise
        if pid == 0:
            forked(theirs)
        theirs.close()
        self.first = pid, ours

    async def _run_once(self) -> None:
        first, self.first = self.first, None
        process: SlotProcess | asyncio.subprocess.Process
        if first is None:
            process, ours = await self._exec()
        else:
            process, ours = SlotProcess(first[0]), first[1]
            self.process = process
        self.starts += 1
        self.link = wire.Link(ours)
        self.up.set()
        listener = asyncio.create_task(self._listen(self.link))
        code = await process.wait()
        self.up.clear()
        listener.cancel()
        self.link.close()
        self.link = None
        self.requests.fail_all("the zygote is gone")
        if not self.stopping.is_set():
            how = f"killed by {signal.Signals(-code).name}" if code < 0 else f"exit status {code}"
            announce(f"zygote stopped ({how}); restarting it")

    async def _exec(self) -> tuple[asyncio.subprocess.Process, socket.socket]:
        """A zygote started by exec, and our end of its request socket."""
        ours, theirs = wire.pair()
        try:
            with self.starting():  # (its pid is ours before the reaper may run again)
                self.process = process = await asyncio.create_subprocess_exec(
                    sys.executable, "-m", "emulator.chassis.zygote",
                    f"--request-fd={theirs.fileno()}", pass_fds=[theirs.fileno()],
                    stdin=asyncio.subprocess.DEVNULL, stdout=2, env=self.env)
        except OSError:
            ours.close()
            raise
        finally:
            theirs.close()
        return process, ours

    async def _listen(self, link: wire.Link) -> None:
        with contextlib.suppress(EOFError, wire.IpcError):
            while True:
                reply = await link.recv_message()
                if isinstance(reply, Spawned | Failure):
                    self.requests.resolve(reply)

    async def spawn(self, argv: list[str], fds: dict[int, socket.socket | int],
                    relay: bool) -> SlotProcess:
        """The process exec would start with `argv`, holding `fds` under their numbers (stdin
        is /dev/null, stdout our stderr); with `relay`, its stderr comes to us through a pipe
        (relay_stderr). Waits for the zygote while it is being restarted."""
        read_end = write_end = None
        if relay:
            read_end, write_end = os.pipe()
        passed: dict[int, socket.socket | int] = {1: 2, 2: 2 if write_end is None else write_end,
                                                 **fds}
        with self.starting():
            return await self._spawn(argv, passed, read_end, write_end)

    async def _spawn(self, argv: list[str], passed: dict[int, socket.socket | int],
                     read_end: int | None, write_end: int | None) -> SlotProcess:
        try:
            while True:
                await self.up.wait()
                link = self.link
                assert link is not None
                numbered, waiter = self.requests.number(
                    Spawn(argv=argv, env=self.env, sockets=[str(n) for n in passed]))
                try:
                    await link.send(numbered, list(passed.values()))
                    reply = await waiter
                except EOFError:  # the zygote died: wait for the next one
                    if self.link is link:  # (which _run_once marks up once it is started)
                        self.up.clear()
                    continue
                finally:
                    self.requests.forget(numbered)
                if isinstance(reply, Failure):
                    raise OSError(reply.reason)
                assert isinstance(reply, Spawned)
                break
        except BaseException:
            if read_end is not None:
                os.close(read_end)
            raise
        finally:
            if write_end is not None:
                os.close(write_end)
        stderr = None if read_end is None else await _reader(read_end)
        process = SlotProcess(reply.pid, stderr)
        self.slots.add(process.pid)
        process.exited.add_done_callback(lambda _: self.slots.discard(process.pid))
        return process

    @contextlib.contextmanager
    def starting(self) -> Iterator[None]:
        """While a process is started for us: its pid is not ours yet (see `forking`)."""
        self.forking += 1
        try:
            yield
        finally:
            self.forking -= 1
            if not self.forking:
                self.reap_orphans()

    def reap_orphans(self) -> None:
        """Reap every child that ended and that we did not start: what a slot process left
        behind, reparented to us as its subreaper. Our own children (the zygote, which asyncio
        waits for, and each slot process, which its SlotProcess waits for through its pidfd)
        are left to those waits; so must be any other child the chassis starts while its loop
        runs (today none: its `ip` commands run synchronously and wait for themselves)."""
        if self.forking:
            return
        ours = {*self.slots, *([self.process.pid] if self.process is not None else [])}
        for pid in children() - ours:
            with contextlib.suppress(ChildProcessError):
                os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG)

    async def stop(self) -> None:
        if self.process is not None and self.process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                self.process.terminate()
            await self.process.wait()


def children() -> set[int]:
    """This process' children, as the kernel lists them for each of its threads."""
    found: set[int] = set()
    for task in os.listdir("/proc/self/task"):
        with contextlib.suppress(OSError):
            found.update(map(int, Path(f"/proc/self/task/{task}/children").read_text().split()))
    return found


async def _reader(fd: int) -> asyncio.StreamReader:
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader),
                                 os.fdopen(fd, "rb", buffering=0))
    return reader


# --- the zygote process -------------------------------------------------------------------


def preload(everything: bool = False) -> None:
    """What every slot process imports before it hears from the chassis: the fabric and the
    module, with asyncio, ssl and the backplane's wire. What a module imports only once it is
    granted mastership (the CLI, the command families, SSH, SNMP) is left to the active:
    preloaded, it took 8 MiB off the active's anonymous PSS (26 to 18) but put 12 on the
    zygote, the fabric and the standby (one chassis 72 MiB against 68, measured side by side),
    as the active dirties most of those pages anyway and nothing else uses them.

    `everything`: the lab's zygote (emulator/lab/spawner.py), which forks whole chassis. There
    the trade turns: the pages are shared by every switch of the lab, not by one chassis' three
    processes, so it imports every module any process of a chassis may import (all of the
    emulator, snmp and ssh_server but the test helpers, which need pytest): one copy for the
    lab (20 chassis: 61 MiB PSS each exec'd, 44 forked from one such parent), and a node
    starts with nothing left to import and its command table built."""
    import emulator.fabric.process
    import emulator.module  # noqa: F401

    if everything:
        for package in PACKAGES:
            for found in pkgutil.walk_packages(importlib.import_module(package).__path__,
                                               f"{package}."):
                if found.name not in TEST_HELPERS:
                    importlib.import_module(found.name)
        from emulator.commands import command_table

        command_table()  # built once: every switch's sessions and replay share it


def serve(request: socket.socket) -> None:
    """Answer the chassis' Spawns until it hangs up."""
    while True:
        try:
            msg, fds = wire.recv_blocking_fds(request)
        except (EOFError, ConnectionError):
            return
        if not isinstance(msg, Spawn):
            for fd in fds:
                os.close(fd)
            continue
        try:
            reply: Spawned | Failure = Spawned(pid=fork(msg, fds, request),
                                               reply_to=msg.id)
        except OSError as exc:
            reply = Failure(reason=f"cannot fork: {exc.strerror or exc}", reply_to=msg.id)
        finally:
            for fd in fds:
                os.close(fd)
        wire.send_blocking(request, reply)


def fork(msg: Spawn, fds: Sequence[int], request: socket.socket) -> int:
    """The pid of the process `msg` asks for, forked twice (its parent becomes the chassis)."""
    tell, told = os.pipe()
    try:
        middle = os.fork()
        if middle == 0:
            code = 1
            try:
                os.close(tell)
                pid = os.fork()
                if pid == 0:
                    os.close(told)
                    become(msg, fds, request)
                os.write(told, pid.to_bytes(PID_BYTES, "little"))
                code = 0
            finally:
                os._exit(code)
        os.close(told)
        told = -1
        _, status = os.waitpid(middle, 0)
        data = os.read(tell, PID_BYTES)
    finally:
        os.close(tell)
        if told >= 0:
            os.close(told)
    if status != 0 or len(data) != PID_BYTES:
        raise OSError(f"the intermediate process failed ({status})")
    return int.from_bytes(data, "little")


def become(msg: Spawn, fds: Sequence[int], request: socket.socket) -> None:
    """In the forked child: set up what exec would have given the process and run its main();
    never returns."""
    code = 1
    try:
        request.close()
        if msg.netns is not None:  # a lab's node: its own session, in its namespace
            os.setsid()
            inband.move_into(msg.netns)
        for signum in (signal.SIGTERM, signal.SIGCHLD, signal.SIGHUP):
            signal.signal(signum, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        install_fds({int(name): fd for name, fd in zip(msg.sockets, fds, strict=True)})
        os.environ.clear()
        os.environ.update(msg.env)
        gc.enable()
        name, args = msg.argv[2], msg.argv[3:]  # python -m NAME ARGS...
        sys.argv = [name, *args]
        code = importlib.import_module(name).main(args)
    except SystemExit as exc:
        code = exit_status(exc.code)
    except BaseException:  # what the interpreter would print on its way out
        traceback.print_exc()
    finally:
        with contextlib.suppress(Exception):
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)


def exit_status(code: object) -> int:
    """SystemExit's code as the interpreter turns it into an exit status."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    print(code, file=sys.stderr)
    return 1


def install_fds(wanted: Mapping[int, int]) -> None:
    """Exactly `wanted` (number -> the fd received) and stdin from /dev/null; every other fd
    of the zygote closed. Received fds are first moved above every wanted number, so that
    placing one never overwrites another not yet placed."""
    top = max([2, *wanted]) + 1
    moved = {number: fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, top) for number, fd in wanted.items()}
    for number, fd in moved.items():
        os.dup2(fd, number)  # inheritable, like exec's pass_fds
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    lowest = 0
    for fd in sorted({0, *wanted}):
        if lowest < fd:  # closerange(n, n) would close every fd from n (close_range(n, ~0))
            os.closerange(lowest, fd)
        lowest = fd + 1
    os.closerange(lowest, os.sysconf("SC_OPEN_MAX"))


def live(request: socket.socket, everything: bool = False) -> int:
    """The zygote's life, however started: preload, then serve until the chassis (or the
    lab) hangs up."""
    prctl(PR_SET_PDEATHSIG, signal.SIGKILL)  # besides the request socket's EOF
    # A terminal's Ctrl-C reaches the whole process group; the chassis decides when we stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    request.setblocking(True)
    preload(everything)
    gc.disable()
    gc.freeze()
    memory.trim()
    serve(request)
    return 0


def forked(request: socket.socket) -> NoReturn:
    """In the zygote fork_first forked: keep of the chassis only what exec would have given
    (the request socket, stderr also as stdout, stdin from /dev/null; the chassis' listening
    sockets, lock and console closed, SIGTERM's default action), then live; never returns."""
    code = 1
    try:
        install_fds({1: 2, 2: 2, REQUEST_FD: request.detach()})
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        code = live(socket.socket(fileno=REQUEST_FD))
    except BaseException:
        traceback.print_exc()
    finally:
        os._exit(code)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="procurve-emu zygote")
    parser.add_argument("--request-fd", type=int, required=True)
    parser.add_argument("--everything", action="store_true",
                        help="preload every module a chassis runs (the lab's zygote)")
    args = parser.parse_args(argv)
    return live(socket.socket(fileno=args.request_fd), args.everything)


if __name__ == "__main__":
    raise SystemExit(main())
