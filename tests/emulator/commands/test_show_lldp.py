"""show lldp info remote-device detail (every neighbour's detail block) and show lldp stats."""

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


STATS = {"inserts": 3, "deletes": 1, "drops": 0, "ageouts": 1, "updated_ago": 7_300.0,
         "frames": {"A1": [97, 95, 0], "A2": [12, 21, 2]}}


def test_stats(cli: Cli, device: Device) -> None:
    device.lldp_stats = dict(STATS)
    lines = cli("show lldp stats").split("\n")
    assert lines[:15] == [
        "",
        " LLDP Device Statistics",
        "",
        "  Neighbor Entries List Last Updated : 2 hours",
        "  New Neighbor Entries Count : 3",
        "  Neighbor Entries Deleted Count : 1",
        "  Neighbor Entries Dropped Count : 0",
        "  Neighbor Entries AgeOut Count : 1",
        "",
        " LLDP Port Statistics",
        "",
        "  Port   | NumFramesRecvd NumFramesSent NumFramesDiscarded",
        "  ------ + -------------- ------------- ------------------",
        "  A1     | 95             97            0",
        "  A2     | 21             12            2"]
    assert lines[15] == "  A3     | 0              0             0"
    assert len(lines) == 13 + 48


def test_stats_before_the_fabric_answered(cli: Cli) -> None:
    assert "  Neighbor Entries List Last Updated : \n" in cli("show lldp stats") + "\n"


def test_stats_of_a_port(cli: Cli, device: Device) -> None:
    device.lldp_stats = dict(STATS)
    assert cli("show lldp stats A2") == "\n".join([
        "",
        " LLDP Port Statistics Detail",
        "",
        "  PortName : A2",
        "  Frames Discarded            : 2",
        "  Frames Invalid              : 2",
        "  Frames Received             : 21",
        "  Frames Sent                 : 12",
        "  TLVs Unrecognized           : 0",
        "  TLVs Discarded              : 0"])
    assert cli("show lldp stats C1") == "Module not present for port or invalid port: C1"
