"""show system / version / modules / flash / uptime / cpu / log."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import pytest

from emulator import hardware
from emulator.cli.context import CONFIG
from emulator.commands import show_system
from emulator.device import Device
from emulator.events import Severity

if TYPE_CHECKING:
    from conftest import Cli, NapalmFactory, NtcParse

DAY = 86_400

EXPECTED_SYSTEM = "\n".join([
    "",
    " Status and Counters - General System Information",
    "",
    "  System Name        : core-1                                   ",
    "  System Contact     : NOC",
    "  System Location    : Lab rack 4",
    "",
    "  MAC Age Time (sec) : 300",
    "",
    "  Time Zone          : 0",
    "  Daylight Time Rule : None",
    "",
    "",
    "  Software revision  : K.15.16.0008         Base MAC Addr      : 001871-c30000",
    "  ROM Version        : K.15.30              Serial Number      : SG749HB0MK  ",
    "  Allow V1 Modules   : Yes",
    "",
    "  Up Time            : 15 days              Memory   - Total   : 128,380,928 ",
    "  CPU Util (%)       : 3                               Free    : 61,999,280  ",
    "",
    "  IP Mgmt  - Pkts Rx : 0                    Packet   - Total   : 6750        ",
    "             Pkts Tx : 0                    Buffers    Free    : 5086        ",
    "                                                       Lowest  : 3416        ",
    "                                                       Missed  : 0           ",
    "",
])


def _age(device: Device, seconds: float) -> None:
    device.boot_time = time.monotonic() - seconds


@pytest.fixture
def named(cli: Cli, device: Device) -> Cli:
    cli.session.enter(CONFIG)
    for line in ('hostname core-1', 'snmp-server contact NOC',
                 'snmp-server location "Lab rack 4"'):
        assert cli(line) == ""
    _age(device, 15 * DAY + 3600)
    return cli


def test_show_system_exact_text(named: Cli) -> None:
    assert named("show system") == EXPECTED_SYSTEM
    assert named("show system information") == EXPECTED_SYSTEM


def test_show_system_parses_with_ntc(named: Cli, ntc: NtcParse) -> None:
    [record] = ntc("show system", named("show system"))
    assert record["name"] == "core-1"
    assert record["contact"].strip() == "NOC"
    assert record["software_version"] == hardware.SOFTWARE_REVISION
    assert record["rom_version"] == hardware.ROM_VERSION
    assert record["serial"] == "SG749HB0MK"
    assert record["mac_address"] == "001871-c30000"
    assert record["uptime"] == "15 days"
    assert record["mem_tot"] == "128,380,928"
    assert record["buffers_missed"] == "0"


def test_show_system_with_empty_contact_still_parses(cli: Cli, ntc: NtcParse) -> None:
    [record] = ntc("show system", cli("show system"))
    assert record["name"] == hardware.DEFAULT_HOSTNAME
    assert record["contact"].strip() == ""


def test_napalm_get_facts(named: Cli, device: Device, napalm: NapalmFactory) -> None:
    driver = napalm({"getMIB sysDescr.0": f"sysDescr.0 = {hardware.SYS_DESCR}"})
    facts = driver.get_facts()
    assert facts["hostname"] == "core-1"
    assert facts["os_version"] == hardware.SOFTWARE_REVISION
    assert facts["serial_number"] == "SG749HB0MK"
    assert facts["model"] == hardware.SYS_DESCR.split(", ")[0]
    assert facts["interface_list"] == device.inventory.ports()
    assert 15 * DAY + 3600 <= facts["uptime"] < 15 * DAY + 3700


@pytest.mark.parametrize(("seconds", "words"), [
    (0.5, "0 secs"), (55, "55 secs"), (82 * 60, "82 mins"), (3 * 3600, "3 hours"),
    (DAY, "1 days"), (285 * DAY + 5, "285 days"),
])
def test_uptime_words(seconds: float, words: str) -> None:
    assert show_system.uptime_words(seconds) == words


def test_show_uptime_format(cli: Cli, device: Device) -> None:
    _age(device, 285 * DAY + 20 * 3600 + 23 * 60 + 44.98)
    text = cli("show uptime")
    assert text.startswith("0285:20:23:44.9")
    days, hours, minutes, seconds = text.split(":")
    assert (int(days), int(hours), int(minutes), int(float(seconds))) == (285, 20, 23, 44)


def test_show_cpu_forms(cli: Cli) -> None:
    text = cli("show cpu 60")
    assert text == "\n3/100 busy, for past 60 sec"
    assert float(text.split("/")[0].strip()) == 3.0
    assert cli("show cpu").splitlines()[0] == "3 percent busy, from 300 sec ago to present"
    assert cli("show cpu 301") == "Invalid input: 301"


def test_show_version_layout(cli: Cli) -> None:
    lines = cli("show version").split("\n")
    assert lines[1] == f"Image stamp:    {hardware.IMAGE_STAMP[0]}"
    assert lines[3] == f"{'':16}{hardware.SOFTWARE_REVISION}"
    assert lines[-1] == "Boot Image:     Primary"


def test_show_modules_lists_management_and_interface_modules(cli: Cli) -> None:
    rows = cli("show modules").split("\n")
    assert "  MM1   HP J9092A Management Module 8200zl" in rows[7]
    assert rows[7].endswith("Active")
    assert rows[-2].startswith("  A     HP J8702A 24p Gig-T zl Module")
    assert rows[-1].endswith("Up")


def test_show_flash_lists_both_images(cli: Cli) -> None:
    text = cli("show flash")
    assert f"Primary Image   :   21488474 04/21/14 {hardware.SOFTWARE_REVISION}" in text
    assert text.endswith("Default Boot     : Primary")


def test_show_log_order(cli: Cli, device: Device) -> None:
    device.events.log("ports", "port A1 is now on-line")
    device.events.log("vlan", "VLAN 10 created", Severity.WARNING)
    forward, backward = cli("show log").split("\n"), cli("show log -r").split("\n")
    assert forward[-3].endswith("ports: port A1 is now on-line")
    assert forward[-2].endswith("vlan: VLAN 10 created")
    assert forward[-1] == f"----  Bottom of Log : Events Listed = {len(forward) - 4}  ----"
    assert backward[3].endswith("vlan: VLAN 10 created")
    assert backward[4].endswith("ports: port A1 is now on-line")
