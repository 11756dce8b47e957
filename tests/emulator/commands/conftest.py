"""Fixtures for the command families: a booted device and a small CLI that runs lines through
the families' own grammar rows (the real parser), without a transport or a terminal."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import pytest
from napalm_procurve.procurve import ProcurveDriver
from ntc_templates.parse import parse_output

from emulator.cli.context import CONFIG, EXEC, Level, Mode, mode_stack
from emulator.cli.dispatch import dispatch
from emulator.cli.grammar import CliError
from emulator.cli.parser import ParseError, tokenize
from emulator.commands import command_table, startup_replay
from emulator.device import Device
from emulator.events import EventLog
from emulator.flash import Flash
from emulator.hardware import Inventory
from emulator.timing import PROFILES


class FakeSession:
    """Records what a handler asks of the session; modes work as in the real session."""

    def __init__(self) -> None:
        self.modes: list[Mode] = [EXEC]
        self.emitted: list[str] = []
        self.typed: list[str] = []
        self._level = Level.MANAGER

    @property
    def level(self) -> Level:
        return self._level

    @property
    def mode(self) -> Mode:
        return self.modes[-1]

    @property
    def transport(self) -> str:
        return "ssh"

    @property
    def session_number(self) -> int | None:
        return 2

    @property
    def interactive(self) -> bool:
        return True

    def set_level(self, level: Level) -> None:
        self._level = level

    def enter(self, mode: Mode) -> None:
        self.modes = mode_stack(mode)

    def exit_mode(self) -> None:
        self.modes.pop()

    def end(self) -> None:
        self.modes = [EXEC]

    def set_paging(self, on: bool) -> None:
        pass

    def set_terminal(self, *, width: int | None = None, length: int | None = None) -> None:
        pass

    async def confirm(self, question: str) -> bool:
        return True

    async def ask(self, prompt: str, *, echo: bool = True) -> str:
        return ""

    async def emit(self, text: str) -> None:
        self.emitted.append(text)

    def hang_up(self) -> None:
        pass

    def history(self) -> list[str]:
        return list(self.typed)

    async def check_password(self, user: str, secret: str,
                             level: str | None = None) -> str | None:
        return None


class Cli:
    """Runs a line through the session's own dispatcher (emulator/cli/dispatch.py) on the
    families' grammar rows."""

    def __init__(self, device: Device) -> None:
        self.device = device
        self.session = FakeSession()
        self.table = command_table()

    def __call__(self, line: str) -> str:
        """The output text, the emitted progress lines first; an error's text as the output."""
        self.session.emitted.clear()
        try:
            out = asyncio.run(dispatch(self.table, self.device, self.session, tokenize(line)))
        except (ParseError, CliError) as error:
            return str(error)
        return "\n".join([*self.session.emitted, *out])


class NetmikoStub:
    """What napalm-procurve's driver calls on its netmiko connection, answered by the CLI;
    `canned` answers commands of families outside this package (getMIB)."""

    def __init__(self, cli: Cli, canned: dict[str, str] | None = None) -> None:
        self.cli = cli
        self.canned = canned or {}
        self.sent: list[str] = []

    def send_command(self, command: str) -> str:
        self.sent.append(command)
        return self.canned.get(command) or self.cli(command)


@pytest.fixture
def inventory() -> Inventory:
    """The factory chassis; a test parametrizes `inventory` to boot other hardware."""
    return Inventory()


@pytest.fixture
def device(tmp_path: Path, inventory: Inventory) -> Device:
    flash = Flash(tmp_path / "mm1")
    flash.format()
    booted, errors = Device.boot(inventory, flash, PROFILES["fast"], EventLog(),
                                 replay=startup_replay())
    assert errors == []
    return booted


@pytest.fixture
def cli(device: Device) -> Cli:
    """A manager at the prompt, with the module's whole command table."""
    return Cli(device)


@pytest.fixture
def config(cli: Cli) -> Cli:
    """The same manager in config context."""
    cli.session.enter(CONFIG)
    return cli


NapalmFactory = Callable[..., ProcurveDriver]
NtcParse = Callable[[str, str], list[dict[str, str]]]


@pytest.fixture
def napalm(cli: Cli) -> NapalmFactory:
    """napalm-procurve's own driver, its netmiko connection replaced by the CLI."""

    def make(canned: dict[str, str] | None = None) -> ProcurveDriver:
        driver = ProcurveDriver("emulated", "manager", "manager")
        driver.device = NetmikoStub(cli, canned)
        return driver

    return make


@pytest.fixture
def ntc() -> NtcParse:
    """ntc-templates' parser for the hp_procurve platform, as automation tools call it."""

    def parse(command: str, text: str) -> list[dict[str, str]]:
        records: list[dict[str, str]] = parse_output(platform="hp_procurve", command=command,
                                                     data=text)
        return records

    return parse
