"""The serial console port as a CLI transport.

The console is always there: when a session ends (logout), the next one starts on the same
port, as the switch redraws its banner on the console after a logout. Only the end of input
(the relay behind the port went away) stops it.

It runs on asyncio streams so the chassis can connect it to whatever carries the real
terminal: typically one end of a Unix socket (`asyncio.open_unix_connection(path)`, or
`asyncio.open_connection(sock=one_end_of_a_socketpair)`) whose other end a relay copies to and
from the container's stdin/stdout in raw mode. The bytes pass through untouched: a serial line
has no protocol, and the terminal size is fixed at 80x24 because a serial line cannot report
it.
"""

from __future__ import annotations

import asyncio
import contextlib

from emulator.cli.channel import Peer, SessionHandler

WIDTH = 80
HEIGHT = 24
READ_SIZE = 4096


class ConsoleChannel:
    """One console session. close() ends the session, not the port."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.width = WIDTH
        self.height = HEIGHT
        self._reader = reader
        self._writer = writer
        self._closed = False

    async def read(self) -> bytes:
        if self._closed:
            return b""
        try:
            return await self._reader.read(READ_SIZE)
        except OSError:
            return b""

    def write(self, data: bytes) -> None:
        if not self._closed and not self._writer.is_closing():
            self._writer.write(data)

    async def drain(self) -> None:
        with contextlib.suppress(ConnectionError):
            await self._writer.drain()

    def logged_in(self) -> None:
        """A serial line has no connection limits to lift."""

    def close(self) -> None:
        self._closed = True


async def run_console(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, handler: SessionHandler
) -> None:
    """Run console sessions one after another until the input ends. The streams stay open:
    they belong to the caller.

    An exception from the handler is not caught: the console has no client to drop, so a
    crashing CLI there is the chassis's to report, not something to retry in a loop.
    """
    while not (reader.at_eof() or reader.exception()):
        await handler(ConsoleChannel(reader, writer), Peer("console"))
