"""A booted switch (12 slots full, as the benchmark's chassis) for the MIB view tests, and its
agent served on a real UDP socket from an event loop in a thread, as a module serves it."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from emulator.commands import startup_replay
from emulator.device import Device
from emulator.events import EventLog
from emulator.flash import Flash
from emulator.hardware import SLOTS, Inventory
from emulator.module import report
from emulator.timing import PROFILES
from snmp.agent import Agent, start_agent


@pytest.fixture
def inventory() -> Inventory:
    """Twelve slots full; a test parametrizes `inventory` to boot other hardware."""
    return Inventory(modules=dict.fromkeys(SLOTS, "J8702A") | {"C": "J8707A"})


@pytest.fixture
def device(tmp_path: Path, inventory: Inventory) -> Device:
    flash = Flash(tmp_path / "mm1")
    flash.format()
    booted, errors = Device.boot(inventory, flash, PROFILES["fast"], EventLog(),
                                 replay=startup_replay())
    assert errors == []
    return booted


@dataclass
class Running:
    agent: Agent
    port: int
    loop: asyncio.AbstractEventLoop


@contextmanager
def serving(device: Device, notify: bool = False) -> Iterator[Running]:
    """The agent on 127.0.0.1 (any free port), stopped and its loop closed on the way out."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    loop = asyncio.new_event_loop()
    started: list[Agent] = []
    ready = threading.Event()

    def run() -> None:
        asyncio.set_event_loop(loop)
        started.append(loop.run_until_complete(start_agent(sock, device, report, notify=notify)))
        ready.set()
        loop.run_forever()
        # Let the tasks the agent cancelled on close (answers, informs) finish cancelling.
        loop.run_until_complete(asyncio.gather(*asyncio.all_tasks(loop),
                                               return_exceptions=True))

    thread = threading.Thread(target=run)
    thread.start()
    assert ready.wait(10)
    try:
        yield Running(started[0], port, loop)
    finally:
        loop.call_soon_threadsafe(started[0].close)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()
