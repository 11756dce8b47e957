"""show lldp info remote-device detail: every neighbour's detail block."""

from __future__ import annotations

from typing import TYPE_CHECKING

from emulator.device import Device
from tests.emulator.commands.test_lldp import NEIGHBORS

if TYPE_CHECKING:
    from conftest import Cli, NtcParse


def test_detail_of_every_neighbour(cli: Cli, device: Device, ntc: NtcParse) -> None:
    device.lldp_neighbors = list(NEIGHBORS)
    text = cli("show lldp info remote-device detail")
    assert text == cli("show lldp info remote-device A1-A24,B1-B24")
    records = ntc("show lldp info remote-device detail", text)
    assert [(r["local_interface"], r["neighbor_name"]) for r in records] == [
        ("A1", "sw123"), ("A13", "sw567")]


def test_detail_without_neighbours(cli: Cli, ntc: NtcParse) -> None:
    text = cli("show lldp info remote-device detail")
    assert text == "\n LLDP Remote Device Information Detail\n"
    assert ntc("show lldp info remote-device detail", text) == []
