"""Booting the startup config: what a refused line leaves in `show log`."""

from __future__ import annotations

from pathlib import Path

from emulator.commands import startup_replay
from emulator.device import Device
from emulator.events import EventLog
from emulator.flash import Flash
from emulator.hardware import Inventory
from emulator.timing import PROFILES


def test_refused_startup_lines_are_logged_by_number_only(tmp_path: Path) -> None:
    """The file may hold secrets its operator cannot read: `show log` names the line, the
    caller (the module, which writes it to stderr) gets the text."""
    flash = Flash(tmp_path / "mm1")
    flash.format()
    flash.write_startup('hostname "edge"\nsnmp-server community "s3cret-ro" operator bogus\n'
                        'password manager user-name admin plaintext hunter2 extra\n')
    events = EventLog()
    device, errors = Device.boot(Inventory(), flash, PROFILES["fast"], events,
                                 replay=startup_replay())
    assert device.running.hostname == "edge"
    assert [(e.lineno, e.message) for e in errors] == [
        (2, "Invalid input: bogus"), (3, "Invalid input: extra")]
    assert "s3cret-ro" in errors[0].line and "hunter2" in errors[1].line
    log = events.render()
    assert "W " in log and "config: startup-config line 2 not applied" in log
    assert "config: startup-config line 3 not applied" in log
    for secret in ("s3cret", "bogus", "hunter2", "extra", "Invalid input"):
        assert secret not in log
