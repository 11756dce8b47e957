"""`show history` through a real session: the lines typed before it, not itself."""

from __future__ import annotations

import asyncio
from pathlib import Path

from emulator.cli.channel import Peer
from emulator.cli.session import CliSession
from emulator.commands import command_table
from tests.emulator.cli.test_session import PipeChannel, _device, _finish


def test_show_history_lists_earlier_lines(tmp_path: Path) -> None:
    async def scenario() -> None:
        channel = PipeChannel()
        session = CliSession(_device(tmp_path), command_table(), channel,
                             Peer("ssh", level="manager"))
        task = asyncio.create_task(session.run())
        await channel.until("Press any key to continue")
        channel.inbox.put_nowait(b"\n")
        channel.inbox.put_nowait(b"show ver\nshow vlans | include DEFAULT\nshow history\n")
        text = await channel.until(" 1 show vlans | include DEFAULT")
        assert " 2 show ver\r\n 1 show vlans | include DEFAULT" in text
        assert " show history" not in text.split("show history", 1)[1]
        channel.inbox.put_nowait(b"")
        await _finish(task)

    asyncio.run(scenario())
