"""The session's terminal behaviour, driven through the Channel contract byte by byte."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest

from emulator.cli.channel import Peer
from emulator.cli.grammar import Command
from emulator.cli.parser import CommandTable, HelpLine
from emulator.cli.session import CliSession, help_line
from emulator.commands import command_table, management, startup_replay
from emulator.device import Device
from emulator.events import EventLog
from emulator.flash import Flash
from emulator.hardware import Inventory
from emulator.timing import PROFILES

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


class PipeChannel:
    """An in-memory byte pipe; the test plays the client."""

    def __init__(self) -> None:
        self.width, self.height = 80, 24
        self.inbox: asyncio.Queue[bytes] = asyncio.Queue()
        self.out = bytearray()
        self.wrote = asyncio.Event()
        self.logins = 0

    async def read(self) -> bytes:
        return await self.inbox.get()

    def write(self, data: bytes) -> None:
        self.out += data
        self.wrote.set()

    async def drain(self) -> None:
        await asyncio.sleep(0)

    def logged_in(self) -> None:
        self.logins += 1

    def close(self) -> None:
        pass

    def text(self) -> str:
        return ANSI.sub("", self.out.decode())

    async def until(self, needle: str) -> str:
        async with asyncio.timeout(5):
            while needle not in self.text():
                self.wrote.clear()
                await self.wrote.wait()
        return self.text()


async def _finish(task: asyncio.Task[None]) -> None:
    async with asyncio.timeout(5):
        await task


def _lines(n: int) -> str:
    return "\n".join(f"line {i}" for i in range(n))


def _device(tmp_path: Path) -> Device:
    flash = Flash(tmp_path / "mm1")
    flash.format()
    device, errors = Device.boot(Inventory(), flash, PROFILES["fast"], EventLog(),
                                 replay=startup_replay())
    assert errors == []
    return device


def _table() -> CommandTable:
    rows = [*management.ROWS, Command("show long", lambda call: _lines(60)),
            Command("show short", lambda call: "short output")]
    return CommandTable(rows, management.HELP)


async def _start(tmp_path: Path, peer: Peer) -> tuple[PipeChannel, asyncio.Task[None]]:
    channel = PipeChannel()
    session = CliSession(_device(tmp_path), _table(), channel, peer)
    task = asyncio.create_task(session.run())
    await channel.until("Press any key to continue")
    channel.inbox.put_nowait(b"\n")
    return channel, task


def test_one_prompt_per_enter_and_nul_ignored(tmp_path: Path) -> None:
    async def scenario() -> None:
        channel, task = await _start(tmp_path, Peer("ssh", level="manager"))
        await channel.until("HP-8212zl# ")
        channel.inbox.put_nowait(b"\n\x00\r\n\r")
        channel.inbox.put_nowait(b"show short\n")
        text = await channel.until("short output")
        # the first prompt, then one per Enter (LF, CR LF, CR): NUL is no key
        assert text.split("short output")[0].count("HP-8212zl# ") == 4
        assert "\x00" not in channel.out.decode()
        channel.inbox.put_nowait(b"")
        await _finish(task)

    asyncio.run(scenario())


def test_errors_help_and_abbreviation(tmp_path: Path) -> None:
    async def scenario() -> None:
        channel, task = await _start(tmp_path, Peer("ssh", level="manager"))
        channel.inbox.put_nowait(b"show bogus\n")
        await channel.until("Invalid input: bogus")
        channel.inbox.put_nowait(b"show\n")
        await channel.until("Incomplete input: show")
        channel.inbox.put_nowait(b"sh sh\n")
        await channel.until("short output")
        channel.inbox.put_nowait(b"show ?")
        text = await channel.until(" short")
        assert " long" in text
        channel.inbox.put_nowait(b"\x15")
        channel.inbox.put_nowait(b"" )
        await _finish(task)

    asyncio.run(scenario())


def test_paging_and_no_page(tmp_path: Path) -> None:
    async def scenario() -> None:
        channel, task = await _start(tmp_path, Peer("ssh", level="manager"))
        channel.inbox.put_nowait(b"show long\n")
        await channel.until("-- MORE --, next page: Space, next line: Enter, quit: Control-C")
        assert "line 22" in channel.text() and "line 23" not in channel.text()
        channel.inbox.put_nowait(b" ")
        await channel.until("line 45")
        channel.inbox.put_nowait(b"\x03")
        await channel.until("HP-8212zl# ")
        assert "line 59" not in channel.text()
        channel.inbox.put_nowait(b"no page\nshow long\n")
        await channel.until("line 59")
        channel.inbox.put_nowait(b"")
        await _finish(task)

    asyncio.run(scenario())


def test_huge_line_and_garbage_do_not_end_the_session(tmp_path: Path) -> None:
    async def scenario() -> None:
        channel, task = await _start(tmp_path, Peer("ssh", level="manager"))
        channel.inbox.put_nowait(b"x" * 1_000_000 + b"\n")
        await channel.until("Invalid input: x")
        channel.inbox.put_nowait(bytes(range(256)) * 10 + b"\x03show short\n")
        await channel.until("short output")
        channel.inbox.put_nowait(b"")
        await _finish(task)

    asyncio.run(scenario())


def test_telnet_login_levels_and_enable(tmp_path: Path) -> None:
    async def scenario() -> None:
        channel, task = await _start(tmp_path, Peer("telnet"))
        await channel.until("Username: ")
        channel.inbox.put_nowait(b"operator\r")
        await channel.until("Password: ")
        channel.inbox.put_nowait(b"wrong\r")
        await channel.until("Invalid password")
        channel.inbox.put_nowait(b"operator\roperator\r")
        await channel.until("HP-8212zl> ")
        assert "operator\r\n" not in channel.text().split("Password: ")[-1]
        channel.inbox.put_nowait(b"configure\n")
        await channel.until("Invalid input: configure")
        channel.inbox.put_nowait(b"enable\n")
        await channel.until("Username: ")
        channel.inbox.put_nowait(b"manager\rmanager\r")
        await channel.until("HP-8212zl# ")
        channel.inbox.put_nowait(b"config\n")
        await channel.until("HP-8212zl(config)# ")
        channel.inbox.put_nowait(b"end\nlogout\n")
        await channel.until("Do you want to log out [y/n]? ")
        channel.inbox.put_nowait(b"y")
        await _finish(task)
        assert "save current configuration" not in channel.text()

    asyncio.run(scenario())


@pytest.mark.parametrize("answer, saved", [(b"y", True), (b"n", False)])
def test_logout_offers_to_save_unsaved_config(tmp_path: Path, answer: bytes, saved: bool) -> None:
    async def scenario() -> None:
        channel = PipeChannel()
        device = _device(tmp_path)
        session = CliSession(device, _table(), channel, Peer("ssh", level="manager"))
        task = asyncio.create_task(session.run())
        channel.inbox.put_nowait(b"\n")
        await channel.until("HP-8212zl# ")
        device.running.set_hostname("Edge")
        channel.inbox.put_nowait(b"exit\n")
        await channel.until("Do you want to log out [y/n]? ")
        channel.inbox.put_nowait(b"y")
        await channel.until("Do you want to save current configuration [y/n]? ")
        channel.inbox.put_nowait(answer)
        await _finish(task)
        assert (device.startup_text() is not None) is saved
        assert device.unsaved() is not saved

    asyncio.run(scenario())


def _device_with(tmp_path: Path, *lines: str) -> Device:
    device = _device(tmp_path)
    startup_replay()(device, "\n".join(lines) + "\n")
    return device


def test_banners_motd_before_the_key_and_exec_after_login(tmp_path: Path) -> None:
    async def scenario() -> None:
        device = _device_with(tmp_path, 'banner motd "Authorized\\nuse only"',
                              'banner exec "Welcome"')
        channel = PipeChannel()
        task = asyncio.create_task(CliSession(device, _table(), channel,
                                              Peer("ssh", level="manager")).run())
        before = await channel.until("Press any key to continue")
        assert "Authorized\r\nuse only" in before and "Welcome" not in before
        channel.inbox.put_nowait(b"\n")
        after = (await channel.until("HP-8212zl# ")).split("Press any key to continue")[1]
        assert "Welcome" in after
        channel.inbox.put_nowait(b"")
        await _finish(task)

    asyncio.run(scenario())


def test_an_idle_session_ends_at_the_inactivity_timer(tmp_path: Path) -> None:
    """`console inactivity-timer 1`: one minute (a second in the fast profile) of silence
    ends the session; it is listed in the device's sessions while open."""
    async def scenario() -> None:
        device = _device_with(tmp_path, "console inactivity-timer 1")
        channel = PipeChannel()
        task = asyncio.create_task(CliSession(device, _table(), channel,
                                              Peer("telnet", "10.0.0.9")).run())
        await channel.until("Press any key to continue")
        channel.inbox.put_nowait(b"\nmanager\rmanager\r")
        await channel.until("HP-8212zl# ")
        assert [(s.number, s.transport, s.level) for s in device.sessions] == [
            (2, "telnet", "manager")]
        await _finish(task)  # no input: the timer ends it
        assert device.sessions == []

    asyncio.run(scenario())


def test_help_lines_wrap_at_the_terminal_width() -> None:
    text = "Show Authentication, Authorization and Accounting information."
    assert help_line(HelpLine("aaa", text), 80) == (
        " aaa                   Show Authentication, Authorization and Accounting\r\n"
        "                       information.")
    assert help_line(HelpLine("aaa", text), 511) == f" aaa                   {text}"
    narrow = help_line(HelpLine("aaa", text), 30).split("\r\n")
    assert narrow[0] == " aaa                   Show Authentication,"
    assert all(line.startswith(" " * 23) for line in narrow[1:])
    assert help_line(HelpLine("<cr>", ""), 80) == " <cr>"


def test_help_wraps_at_the_width_the_client_gave(tmp_path: Path) -> None:
    async def scenario() -> None:
        channel = PipeChannel()
        channel.width = 50
        session = CliSession(_device(tmp_path), command_table(), channel,
                             Peer("ssh", level="manager"))
        task = asyncio.create_task(session.run())
        await channel.until("Press any key to continue")
        channel.inbox.put_nowait(b"\n")
        await channel.until("HP-8212zl# ")
        channel.inbox.put_nowait(b"show ?")
        listing = (await channel.until(" vlans")).split("HP-8212zl# show ")[1].split("\r\n")
        assert all(len(line) <= 49 for line in listing), listing
        assert any(line.startswith(" " * 23) for line in listing), listing
        channel.inbox.put_nowait(b"\x15")
        channel.inbox.put_nowait(b"")
        await _finish(task)

    asyncio.run(scenario())
