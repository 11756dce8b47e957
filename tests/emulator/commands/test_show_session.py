"""show history and the searching forms of show log (-a, a search text)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from emulator.device import Device
from emulator.events import LOG_HEADER

if TYPE_CHECKING:
    from conftest import Cli


def test_show_history_numbers_the_latest_one(cli: Cli) -> None:
    assert cli("show history") == ""
    cli.session.typed = ["show system", "show vlans", "show ip"]
    assert cli("show history") == " 3 show system\n 2 show vlans\n 1 show ip"


def test_show_log_search_keeps_matching_events(cli: Cli, device: Device) -> None:
    device.events.log("ports", "port A1 is now on-line")
    device.events.log("ports", "port A2 is now on-line")
    device.events.log("vlan", "Default VLAN changed")
    lines = cli("show log A2").split("\n")
    assert "\n".join(lines[:3]) == LOG_HEADER
    assert len(lines) == 5 and lines[3].endswith("ports: port A2 is now on-line")
    assert lines[4] == "----  Bottom of Log : Events Listed = 1  ----"
    assert cli("show log -a") == cli("show log")
    reverse = cli("show log -a -r on-line").split("\n")
    assert reverse[2] == "----  Reverse event Log listing: Events Since Boot  ----"
    assert [line[-24:] for line in reverse[3:5]] == ["ports: port A2 is now on-line"[-24:],
                                                     "ports: port A1 is now on-line"[-24:]]
    assert reverse[5:] == ["----  Bottom of Log : Events Listed = 2  ----"]
    assert cli("show log nothing-like-it") == (
        f"{LOG_HEADER}\n----  Bottom of Log : Events Listed = 0  ----")
