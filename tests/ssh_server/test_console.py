"""The console over a socketpair, as the chassis connects it to its stdin/stdout relay."""

from __future__ import annotations

import asyncio
import socket

from ssh_server.console import run_console
from tests.ssh_server.clients import BANNER, PROMPT, LineCli, read_until


def test_console_restarts_sessions_until_end_of_input() -> None:
    async def main() -> None:
        cli = LineCli()
        switch_end, relay_end = socket.socketpair()
        console = asyncio.create_task(
            run_console(*await asyncio.open_connection(sock=switch_end), cli))
        reader, writer = await asyncio.open_connection(sock=relay_end)
        assert await read_until(reader, PROMPT) == BANNER + PROMPT
        writer.write(b"size\rpeer\rexit\r")
        assert await read_until(reader, PROMPT) == b"80x24\r\n" + PROMPT
        assert await read_until(reader, PROMPT) == b"console  None None pty=True\r\n" + PROMPT
        assert await read_until(reader, PROMPT) == BANNER + PROMPT  # a new session
        writer.write(b"\xff\x1b[24;1R\r")
        assert await read_until(reader, PROMPT) == b"said: \xff\x1b[24;1R len=8\r\n" + PROMPT
        writer.write_eof()
        await asyncio.wait_for(console, 5)
        assert cli.finished == 2
        writer.close()

    asyncio.run(main())


def test_console_stalls_when_the_relay_stops_reading() -> None:
    async def main() -> None:
        cli = LineCli()
        switch_end, relay_end = socket.socketpair()
        console = asyncio.create_task(
            run_console(*await asyncio.open_connection(sock=switch_end), cli))
        relay_end.sendall(b"flood\r")
        await asyncio.wait_for(cli.stalled.wait(), 20)
        assert cli.flooded < 16 * 1024 * 1024
        relay_end.close()
        await asyncio.wait_for(console, 5)

    asyncio.run(main())
