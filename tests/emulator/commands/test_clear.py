"""clear statistics: the CLI counts from the clear, IF-MIB's counters keep theirs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from emulator.device import ArpEntry, Device, PortCounters

if TYPE_CHECKING:
    from conftest import Cli, NtcParse


def _counts(cli: Cli, ntc: NtcParse, port: str) -> tuple[str, str]:
    record = {r["port"]: r for r in ntc("show interfaces", cli("show interfaces"))}[port]
    return record["total_bytes"], record["total_frames"]


def test_clear_statistics_of_ports(cli: Cli, device: Device, ntc: NtcParse) -> None:
    device.ports["A3"].counters = PortCounters(rx_bytes=1_000, rx_unicast=10)
    device.ports["A4"].counters = PortCounters(rx_bytes=500, rx_unicast=5)
    assert cli("clear statistics A3") == ""
    device.ports["A3"].counters = PortCounters(rx_bytes=1_600, rx_unicast=16)
    assert _counts(cli, ntc, "A3") == ("600", "6")
    assert _counts(cli, ntc, "A4") == ("500", "5")
    assert "Bytes Rx        : 600" in cli("show interfaces A3")
    assert device.ports["A3"].counters.rx_bytes == 1_600  # what IF-MIB reads


def test_clear_statistics_global_and_a_fabric_restart(cli: Cli, device: Device,
                                                      ntc: NtcParse) -> None:
    device.ports["B1"].counters = PortCounters(tx_bytes=2_000, tx_unicast=20)
    assert cli("clear statistics global") == ""
    assert _counts(cli, ntc, "B1") == ("0", "0")
    device.ports["B1"].counters = PortCounters(tx_bytes=300, tx_unicast=3)
    assert _counts(cli, ntc, "B1") == ("300", "3")


def test_clear_statistics_refusals(cli: Cli) -> None:
    assert cli("clear statistics C1") == "Module not present for port or invalid port: C1"
    assert cli("clear statistics").startswith("Incomplete input")


def test_clear_arp_keeps_the_static_entries(cli: Cli, device: Device) -> None:
    device.arp_table = [ArpEntry("10.0.0.2", "0015b2-a45078", "A2"),
                        ArpEntry("10.0.0.3", "0015b2-a45079", "A3", dynamic=False)]
    assert cli("clear arp") == ""
    assert device.arp_table == [ArpEntry("10.0.0.3", "0015b2-a45079", "A3", dynamic=False)]
