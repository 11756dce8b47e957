"""The serial console: the chassis' stdin/stdout relayed to whichever module is active, and
the operator's lines on stderr."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import termios
import threading
import tty
from typing import Any, Final

CONSOLE_ESCAPE: Final = b"\x1d"
"""Ctrl-] on a terminal console stops the chassis (raw mode hands Ctrl-C to the switch)."""


def announce(text: str) -> None:
    """A line for the operator on stderr (stdout is the console); CRLF when the terminal is raw."""
    end = "\r\n" if Console.raw_terminal else "\n"
    with contextlib.suppress(OSError):  # fd 2, not sys.stderr: Python has none if started without
        os.write(2, f"procurve-emu: {text}{end}".encode(errors="replace"))


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


async def relay_stderr(stream: asyncio.StreamReader | None) -> None:
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


