"""show redundancy, redundancy switchover, [no] redundancy management-module, show
boot-history and the boot family with and without a standby, and the per-module forms of
show version / modules / flash when both modules are present."""

from __future__ import annotations

import calendar
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from emulator import hardware
from emulator.cli.context import CONFIG
from emulator.cli.grammar import Command, Level
from emulator.cli.parser import CommandTable
from emulator.commands import management, redundancy, show_system, startup_replay
from emulator.device import Device
from emulator.events import EventLog
from emulator.flash import Flash
from emulator.hardware import Inventory
from emulator.redundancy.state import PREFERENCE_FILE, FailoverRecord, ModuleStatus, ModuleView
from emulator.timing import PROFILES

if TYPE_CHECKING:
    from conftest import Cli

VERSION = hardware.SOFTWARE_REVISION
MARCH_24_2015: float = calendar.timegm((2015, 3, 24, 14, 59, 16, 0, 0, 0))


class Script:
    """Stands in for the session's y/n questions: answers from `answers` (y once they run
    out) and keeps every question asked."""

    def __init__(self) -> None:
        self.answers: list[bool] = []
        self.questions: list[str] = []

    async def confirm(self, question: str) -> bool:
        self.questions.append(question)
        return self.answers.pop(0) if self.answers else True


class FakeControl:
    """A RedundancyControl that records what the commands asked of the module process."""

    def __init__(self, standby: bool = True) -> None:
        self.standby = standby
        self.calls: list[tuple[str, ...]] = []

    def standby_present(self) -> bool:
        return self.standby

    async def switchover(self, reason: str) -> None:
        self.calls.append(("switchover", reason))

    async def reboot_standby(self) -> None:
        self.calls.append(("reboot_standby",))

    async def boot_system(self, image: str) -> None:
        self.calls.append(("boot_system", image))

    async def set_redundancy(self, enabled: bool) -> None:
        self.calls.append(("set_redundancy", str(enabled)))


@pytest.fixture
def rcli(cli: Cli) -> Cli:
    """The shared test CLI with this family (and the show and session families) in its table."""
    rows: list[Command] = []
    for family in (show_system, management, redundancy):
        rows.extend(family.ROWS)
    cli.table = CommandTable(rows, {**show_system.HELP, **redundancy.HELP})
    return cli


@pytest.fixture
def session(rcli: Cli, monkeypatch: pytest.MonkeyPatch) -> Script:
    script = Script()
    monkeypatch.setattr(rcli.session, "confirm", script.confirm)
    return script


@pytest.fixture
def reboots(device: Device) -> list[str]:
    reasons: list[str] = []

    async def record(reason: str) -> None:
        reasons.append(reason)

    device.on_reboot.append(record)
    return reasons


def with_standby(device: Device, standby: bool = True) -> FakeControl:
    device.redundancy.modules["MM2"] = ModuleView("MM2", ModuleStatus.STANDBY, VERSION, "Primary")
    control = FakeControl(standby)
    device.redundancy.control = control
    return control


# -- show redundancy ---------------------------------------------------------------------------

TABLE = [
    " Slot Module Description                           Status      SW Version  Boot Image",
    " ---- -------------------------------------------- ----------- ----------- ----------",
]
FABRIC = [
    " FM1  HP J9093A Fabric Module 8200zl               Enabled",
    " FM2  HP J9093A Fabric Module 8200zl               Enabled",
]


def expected_redundancy(mode: str, failovers: str, last: str, modules: list[str]) -> str:
    return "\n".join([
        "",
        " Settings",
        " --------------------",
        f" Mgmt Redundancy              : {mode}",
        " Rapid Switchover Stale Timer : 90",
        "",
        " Statistics",
        " --------------------",
        f" Failovers                    : {failovers}",
        f" Last Failover                : {last}",
        "",
        *TABLE,
        *modules,
        *FABRIC,
    ])


def test_show_redundancy_two_modules_after_a_failover(rcli: Cli, device: Device) -> None:
    with_standby(device)
    device.redundancy.record = FailoverRecord(2, MARCH_24_2015)
    assert rcli("show redundancy") == expected_redundancy(
        "Warm standby", "2", "Tue Mar 24 14:59:16 2015", [
            f" MM1  HP J9092A Management Module 8200zl           Active      {VERSION} Primary",
            f" MM2  HP J9092A Management Module 8200zl           Standby     {VERSION} Primary",
        ])


def test_show_redundancy_lone_module_never_failed_over(rcli: Cli) -> None:
    assert rcli("show redundancy") == expected_redundancy("Warm standby", "0", "", [
        f" MM1  HP J9092A Management Module 8200zl           Active      {VERSION} Primary",
        " MM2                                               Not Present",
    ])


def test_show_redundancy_disabled_and_other_module_states(rcli: Cli, device: Device) -> None:
    device.redundancy.enabled = False
    device.redundancy.modules["MM2"] = ModuleView("MM2", ModuleStatus.OFFLINE, "K.15.14.0007",
                                                  "Secondary")
    lines = rcli("show redundancy").split("\n")
    assert lines[3] == " Mgmt Redundancy              : Disabled"
    assert lines[-3] == (" MM2  HP J9092A Management Module 8200zl           Offline     "
                         "K.15.14.0007 Secondary")
    device.redundancy.modules["MM2"] = ModuleView("MM2", ModuleStatus.FAILED, "")
    assert rcli("show redundancy").split("\n")[-3] == (
        " MM2  HP J9092A Management Module 8200zl           Failed")


def test_show_redundancy_as_seen_from_mm2(device: Device) -> None:
    """The active in MM2 lists MM1 first: rows follow the slots, not the roles."""
    own = ModuleView("MM2", ModuleStatus.ACTIVE, VERSION, "Primary")
    device.redundancy.slot = "MM2"
    device.redundancy.modules = {"MM1": ModuleView("MM1", ModuleStatus.STANDBY, VERSION,
                                                   "Primary"), "MM2": own}
    rows = redundancy.render_redundancy(device.redundancy, own).split("\n")[-4:-2]
    assert [row.split()[0] for row in rows] == ["MM1", "MM2"]
    assert "Standby" in rows[0] and "Active" in rows[1]


def test_show_redundancy_allowed_for_operator(rcli: Cli, session: Script) -> None:
    rcli.session.set_level(Level.OPERATOR)
    assert "Mgmt Redundancy" in rcli("show redundancy")
    assert rcli("redundancy switchover") == "Invalid input: redundancy"
    assert rcli("boot") == "Invalid input: boot"


# -- redundancy switchover ---------------------------------------------------------------------

def test_switchover_asks_then_hands_over(rcli: Cli, device: Device,
                                         session: Script) -> None:
    control = with_standby(device)
    assert rcli("redundancy switchover") == ""
    assert session.questions == ["\r\nThis command causes the switch to immediately switchover "
                                 "to the Standby Management Module.\r\n"
                                 "Do you want to continue [y/n]? "]
    assert control.calls == [("switchover", "redundancy switchover command")]


def test_switchover_declined(rcli: Cli, device: Device, session: Script) -> None:
    control = with_standby(device)
    session.answers = [False]
    assert rcli("redundancy switchover") == ""
    assert control.calls == []


def test_switchover_from_config_context(rcli: Cli, device: Device,
                                        session: Script) -> None:
    control = with_standby(device)
    rcli.session.enter(CONFIG)
    assert rcli("redundancy switchover") == ""
    assert control.calls == [("switchover", "redundancy switchover command")]


@pytest.mark.parametrize("standby_control", [False, True])
def test_switchover_without_standby(rcli: Cli, device: Device, session: Script,
                                    standby_control: bool) -> None:
    control = with_standby(device, standby=False) if standby_control else None
    assert rcli("redundancy switchover") == (
        "Standby Management Module not found, switchover request ignored.")
    assert session.questions == []
    assert control is None or control.calls == []


# -- boot / boot active / reload ---------------------------------------------------------------

@pytest.mark.parametrize(("line", "reason"), [
    ("boot", "boot command"), ("boot active", "boot active command"),
    ("reload", "reload command"), ("bo ac", "boot active command"),
])
def test_boot_with_standby_switches_over(rcli: Cli, device: Device, session: Script,
                                         reboots: list[str], line: str, reason: str) -> None:
    control = with_standby(device)
    assert rcli(line) == ""
    assert session.questions == ["\r\nThis command will cause a switchover to the standby "
                                 "management module. Do you want to continue [y/n]? "]
    assert control.calls == [("switchover", reason)]
    assert reboots == []


def test_boot_with_unsaved_config_offers_to_save_first(rcli: Cli, device: Device,
                                                      session: Script) -> None:
    control = with_standby(device)
    device.running.hostname = "core-1"
    assert device.unsaved()
    assert rcli("boot") == ""
    assert session.questions[0] == "\r\nDo you want to save current configuration [y/n]? "
    assert session.questions[1] == "\r\n" + redundancy.BOOT_SWITCHOVER
    assert not device.unsaved()
    assert 'hostname "core-1"' in (device.startup_text() or "")
    assert control.calls == [("switchover", "boot command")]


def test_boot_unsaved_not_saved_then_declined(rcli: Cli, device: Device,
                                              session: Script) -> None:
    control = with_standby(device)
    device.running.hostname = "core-1"
    session.answers = [False, False]
    assert rcli("reload") == ""
    assert len(session.questions) == 2
    assert device.unsaved()
    assert control.calls == []


@pytest.mark.parametrize("line", ["boot", "boot active", "reload"])
def test_boot_without_standby_reboots(rcli: Cli, device: Device, session: Script,
                                      reboots: list[str], line: str) -> None:
    control = with_standby(device, standby=False)
    assert rcli(line) == ""
    assert session.questions == ["\r\nDevice will be rebooted, do you want to continue [y/n]? "]
    assert reboots == [f"{line} command"]
    assert control.calls == []


def test_boot_lone_module_declined(rcli: Cli, session: Script,
                                   reboots: list[str]) -> None:
    session.answers = [False]
    assert rcli("boot") == ""
    assert reboots == []


# -- boot standby / boot system ----------------------------------------------------------------

def test_boot_standby(rcli: Cli, device: Device, session: Script,
                      reboots: list[str]) -> None:
    assert rcli("boot standby") == (
        "Standby Management Module not found, boot standby request ignored.")
    control = with_standby(device)
    assert rcli("boot standby") == ""
    assert control.calls == [("reboot_standby",)]
    assert session.questions == []
    assert reboots == []


@pytest.mark.parametrize("standby", [True, False])
def test_boot_system_boots_both_modules_never_switches_over(
        rcli: Cli, device: Device, session: Script, reboots: list[str],
        standby: bool) -> None:
    control = with_standby(device, standby)
    assert rcli("boot system flash secondary") == ""
    assert session.questions == ["\r\n" + redundancy.REBOOT]
    assert control.calls == [("boot_system", "secondary")]
    assert reboots == []


def test_boot_system_lone_module_unsaved(rcli: Cli, device: Device, session: Script,
                                         reboots: list[str]) -> None:
    device.running.hostname = "core-1"
    session.answers = [False, True]
    assert rcli("boot system flash primary") == ""
    assert session.questions == ["\r\n" + redundancy.SAVE, "\r\n" + redundancy.REBOOT]
    assert reboots == ["boot system flash primary command"]
    assert device.unsaved()


def test_boot_system_needs_an_image(rcli: Cli) -> None:
    assert rcli("boot system flash") == "Incomplete input: flash"
    assert rcli("boot system flash tertiary") == "Invalid input: tertiary"


def test_family_is_in_the_command_table() -> None:
    from emulator.commands import FAMILIES, command_table

    assert "redundancy" in FAMILIES
    table = command_table()
    words = [line.word for line in table.help(["boot"], "", CONFIG.kind, Level.MANAGER)]
    assert words == ["active", "set-default", "standby", "system", "<cr>"]


# -- per-module show version / modules / flash -------------------------------------------------

def test_show_version_two_modules(rcli: Cli, device: Device) -> None:
    with_standby(device)
    device.redundancy.modules["MM2"].version = "K.15.14.0007"
    device.redundancy.modules["MM2"].boot_image = "Secondary"
    stamp, built = hardware.IMAGE_STAMP
    pad = " " * 17

    def block(number: int, status: str, version: str, boot: str) -> list[str]:
        return ["", f"Management Module {number}: {status}", f" Image stamp:    {stamp}",
                pad + built, pad + version, pad + hardware.IMAGE_BUILD,
                f" Boot Image:     {boot}"]

    assert rcli("show version") == "\n".join([
        *block(1, "Active", VERSION, "Primary"), *block(2, "Standby", "K.15.14.0007",
                                                        "Secondary")])


def test_show_version_ignores_an_empty_slot(rcli: Cli, device: Device) -> None:
    single = rcli("show version")
    device.redundancy.modules["MM2"] = ModuleView("MM2", ModuleStatus.NOT_PRESENT)
    assert rcli("show version") == single
    assert "Management Module" not in single


def test_show_modules_lists_both_management_modules(rcli: Cli, device: Device) -> None:
    with_standby(device)
    rows = rcli("show modules").split("\n")
    assert rows[7].startswith("  MM1   HP J9092A Management Module 8200zl")
    assert rows[7].endswith(" Active")
    assert rows[8].startswith("  MM2   HP J9092A Management Module 8200zl")
    assert rows[8].endswith(" Standby")
    assert rows[9].startswith("  FM1 ")


def test_show_modules_skips_an_empty_slot(rcli: Cli, device: Device) -> None:
    device.redundancy.modules["MM2"] = ModuleView("MM2", ModuleStatus.NOT_PRESENT)
    rows = rcli("show modules").split("\n")
    assert [row.split()[0] for row in rows[7:9]] == ["MM1", "FM1"]


def test_show_flash_block_per_module(rcli: Cli, device: Device) -> None:
    with_standby(device)
    device.redundancy.modules["MM2"].version = "K.15.14.0007"
    device.redundancy.modules["MM2"].boot_image = "Secondary"
    images = device.flash.images()
    text = rcli("show flash")
    first, second = text.split("\n\nManagement Module 2: Standby\n")
    assert first.startswith("Management Module 1: Active\n Image           Size (bytes)")
    assert f" Primary Image   :   21488474 04/21/14 {images['primary']}" in first
    assert first.endswith(" Default Boot     : Primary")
    assert " Secondary Image :   21488474 04/21/14 K.15.14.0007" in second
    assert second.endswith(" Default Boot     : Secondary")


def test_show_flash_single_module_unchanged(rcli: Cli) -> None:
    assert rcli("show flash").startswith("Image           Size (bytes) Date     Version\n")


# -- [no] redundancy management-module ---------------------------------------------------------

DISABLE_QUESTION = ("\r\nThe other management module may reboot. "
                    "Do you want to continue [y/n]? ")


def test_no_redundancy_asks_then_disables_everywhere(rcli: Cli, device: Device,
                                                     session: Script) -> None:
    control = with_standby(device)
    rcli.session.enter(CONFIG)
    assert rcli("no redundancy management-module") == ""
    assert session.questions == [DISABLE_QUESTION]
    assert control.calls == [("set_redundancy", "False")]
    assert not device.running.redundancy_enabled
    assert not device.redundancy.enabled
    assert "\nno redundancy management-module\n" in device.running_text()
    assert device.unsaved()
    assert rcli("show redundancy").split("\n")[3] == " Mgmt Redundancy              : Disabled"


def test_no_redundancy_declined_changes_nothing(rcli: Cli, device: Device,
                                                session: Script) -> None:
    control = with_standby(device)
    rcli.session.enter(CONFIG)
    session.answers = [False]
    assert rcli("no redundancy management-module") == ""
    assert control.calls == []
    assert device.running.redundancy_enabled and device.redundancy.enabled
    assert not device.unsaved()


def test_redundancy_re_enabled_without_a_question(rcli: Cli, device: Device,
                                                  session: Script) -> None:
    control = with_standby(device)
    rcli.session.enter(CONFIG)
    rcli("no redundancy management-module")
    session.questions.clear()
    assert rcli("redundancy management-module") == ""
    assert session.questions == []
    assert control.calls == [("set_redundancy", "False"), ("set_redundancy", "True")]
    assert device.running.redundancy_enabled and device.redundancy.enabled
    assert "redundancy" not in device.running_text()
    assert rcli("show redundancy").split("\n")[3].endswith(": Warm standby")


def test_redundancy_setting_unchanged_is_quiet(rcli: Cli, device: Device,
                                               session: Script) -> None:
    """Re-entering the current setting neither asks nor disturbs the other module."""
    control = with_standby(device)
    rcli.session.enter(CONFIG)
    assert rcli("redundancy management-module") == ""
    rcli("no redundancy management-module")
    assert rcli("no redundancy management-module") == ""
    assert session.questions == [DISABLE_QUESTION]
    assert control.calls == [("set_redundancy", "False")]


def test_redundancy_setting_on_a_lone_module(rcli: Cli, device: Device,
                                             session: Script) -> None:
    rcli.session.enter(CONFIG)
    assert rcli("no redundancy management-module") == ""
    assert not device.redundancy.enabled and not device.running.redundancy_enabled
    assert rcli("redundancy management-module") == ""
    assert device.redundancy.enabled and device.running.redundancy_enabled


def test_redundancy_setting_needs_config_and_manager(rcli: Cli, device: Device,
                                                     session: Script) -> None:
    assert rcli("no redundancy management-module").startswith("Invalid input")
    rcli.session.enter(CONFIG)
    rcli.session.set_level(Level.OPERATOR)
    assert rcli("no redundancy management-module").startswith("Invalid input")
    assert device.redundancy.enabled and session.questions == []


def test_boot_follows_the_startup_config(tmp_path: Path) -> None:
    flash = Flash(tmp_path / "mm1")
    flash.format()
    flash.write_startup("no redundancy management-module\n")
    booted, errors = Device.boot(Inventory(), flash, PROFILES["fast"], EventLog(),
                                 replay=startup_replay())
    assert errors == []
    assert not booted.redundancy.enabled and not booted.running.redundancy_enabled


def test_switchover_refused_while_disabled(rcli: Cli, device: Device,
                                           session: Script) -> None:
    control = with_standby(device)
    device.redundancy.enabled = False
    assert rcli("redundancy switchover") == "Redundancy is disabled, switchover request ignored."
    assert session.questions == []
    assert control.calls == []


@pytest.mark.parametrize("line", ["boot", "boot active", "reload"])
def test_boot_while_disabled_reboots_without_switchover(
        rcli: Cli, device: Device, session: Script, reboots: list[str], line: str) -> None:
    control = with_standby(device)
    device.redundancy.enabled = False
    assert rcli(line) == ""
    assert session.questions == ["\r\n" + redundancy.REBOOT]
    assert reboots == [f"{line} command"]
    assert control.calls == []


def test_boot_standby_while_disabled(rcli: Cli, device: Device, session: Script) -> None:
    control = with_standby(device)
    device.redundancy.enabled = False
    assert rcli("boot standby") == (
        "Standby Management Module not found, boot standby request ignored.")
    assert control.calls == []


# -- show boot-history -------------------------------------------------------------------------

HISTORY_HEAD = [
    "Index Boot Time (mm/dd/yy hh:mm:ss)  Role     Reason",
    "----- ------------------------------ -------- ---------------------------------------------",
]
RULE = "=" * 63


def module_block(number: int, rows: list[str]) -> list[str]:
    return ["", f"Mgmt Module {number} -- Saved Crash Information (most recent first):", RULE,
            "", f"Mgmt Module {number} -- Boot History (most recent first):", RULE,
            *HISTORY_HEAD, *rows]


def store_history(device: Device, slot: str, history: list[dict[str, Any]]) -> None:
    flash = Flash.for_slot(device.flash.root.parent, slot)
    flash.write_state({"boots": len(history), "history": history, "last_role": "active"})


def test_show_boot_history_both_modules_newest_first(rcli: Cli, device: Device) -> None:
    store_history(device, "MM1", [
        {"time": MARCH_24_2015, "role": "active", "reason": "power on"},
        {"time": MARCH_24_2015 + 3661, "role": "standby", "reason": "redundancy switchover"},
    ])
    store_history(device, "MM2", [
        {"time": MARCH_24_2015 + 3661, "role": "active", "reason": "x" * 60},
    ])
    assert rcli("show boot-history") == "\n".join([
        *module_block(1, [
            "0     03/24/15 16:00:17              Standby  redundancy switchover",
            "1     03/24/15 14:59:16              Active   power on",
        ]),
        *module_block(2, ["0     03/24/15 16:00:17              Active   " + "x" * 45]),
    ])


def test_show_boot_history_module_without_history(rcli: Cli, device: Device) -> None:
    """MM2 never booted here (no flash at all): its headers, no rows; a malformed entry
    prints blanks instead of breaking the screen."""
    store_history(device, "MM1", [{"role": "failed"}])
    assert rcli("show boot-history") == "\n".join([
        *module_block(1, ["0                                    Failed"]),
        *module_block(2, []),
    ])


def test_show_boot_history_manager_only(rcli: Cli) -> None:
    rcli.session.set_level(Level.OPERATOR)
    assert rcli("show boot-history").startswith("Invalid input")


def test_config_rows_are_in_the_command_table() -> None:
    from emulator.commands import command_table

    table = command_table()
    words = [line.word for line in table.help(["redundancy"], "", CONFIG.kind, Level.MANAGER)]
    assert "management-module" in words and "switchover" in words
    shows = [line.word for line in table.help(["show"], "boot", CONFIG.kind, Level.MANAGER)]
    assert shows == ["boot-history"]


# -- boot set-default, copy flash flash, redundancy active-management -------------------------

@pytest.fixture
def syncs(device: Device) -> list[dict[str, Any]]:
    """What the standby sync would carry: images.json and the preference file as they stood
    each time flash_changed ran."""
    seen: list[dict[str, Any]] = []

    async def record() -> None:
        seen.append({"images": device.flash.images(),
                     "preference": device.flash.read_root_json(PREFERENCE_FILE)})

    device.on_flash_change.append(record)
    return seen


def test_boot_set_default_writes_flash_and_syncs(rcli: Cli, device: Device,
                                                 syncs: list[dict[str, Any]]) -> None:
    assert rcli("boot set-default flash secondary") == ""
    images = device.flash.images()
    assert images == {"primary": VERSION, "secondary": VERSION, "default": "secondary"}
    assert syncs == [{"images": images, "preference": None}]
    assert rcli("show flash").endswith("Default Boot     : Secondary")
    rcli.session.enter(CONFIG)
    assert rcli("boot set-default flash primary") == ""
    assert device.flash.images()["default"] == "primary"
    assert len(syncs) == 2


def test_boot_set_default_asks_nothing_and_reboots_nothing(
        rcli: Cli, device: Device, session: Script, reboots: list[str]) -> None:
    control = with_standby(device)
    device.running.hostname = "core-1"
    assert rcli("boot set-default flash secondary") == ""
    assert session.questions == [] and reboots == [] and control.calls == []


def test_boot_set_default_needs_manager_and_an_image(rcli: Cli, device: Device,
                                                     syncs: list[dict[str, Any]]) -> None:
    assert rcli("boot set-default flash") == "Incomplete input: flash"
    assert rcli("boot set-default flash tertiary") == "Invalid input: tertiary"
    rcli.session.set_level(Level.OPERATOR)
    assert rcli("boot set-default flash secondary").startswith("Invalid input")
    assert device.flash.images()["default"] == "primary"
    assert syncs == []


def test_copy_flash_flash_copies_the_running_image(rcli: Cli, device: Device,
                                                   syncs: list[dict[str, Any]]) -> None:
    device.flash.write_images({"primary": VERSION, "secondary": "K.15.14.0007",
                               "default": "primary"})
    assert rcli("copy flash flash secondary") == ""
    images = device.flash.images()
    assert images == {"primary": VERSION, "secondary": VERSION, "default": "primary"}
    assert syncs == [{"images": images, "preference": None}]
    assert f"\nSecondary Image :   21488474 04/21/14 {VERSION}\n" in rcli("show flash")


def test_copy_flash_flash_from_secondary(rcli: Cli, device: Device,
                                         syncs: list[dict[str, Any]]) -> None:
    """Booted from secondary, the running image is secondary's: it goes to primary (the
    default a later set-default chose does not change what runs)."""
    device.flash.write_images({"primary": "K.15.14.0007", "secondary": VERSION,
                               "default": "primary"})
    device.redundancy.modules["MM1"].boot_image = "Secondary"
    rcli.session.enter(CONFIG)
    assert rcli("copy flash flash primary") == ""
    assert device.flash.images()["primary"] == VERSION
    assert len(syncs) == 1


@pytest.mark.parametrize(("booted", "line"), [("Primary", "copy flash flash primary"),
                                              ("Secondary", "copy flash flash secondary")])
def test_copy_flash_flash_onto_itself_refused(rcli: Cli, device: Device, booted: str,
                                              line: str, syncs: list[dict[str, Any]]) -> None:
    device.flash.write_images({"primary": VERSION, "secondary": "K.15.14.0007",
                               "default": "primary"})
    device.redundancy.modules["MM1"].boot_image = booted
    assert rcli(line) == (f"The running image is already in {booted.lower()} flash, "
                          "copy request ignored.")
    assert device.flash.images()["secondary"] == "K.15.14.0007"
    assert syncs == []


def test_copy_flash_flash_without_a_source_image(rcli: Cli, device: Device,
                                                 syncs: list[dict[str, Any]]) -> None:
    device.flash.write_images({"secondary": "K.15.14.0007", "default": "secondary"})
    device.redundancy.modules["MM1"].boot_image = "Secondary"
    assert rcli("copy flash flash secondary") == (
        "The running image is already in secondary flash, copy request ignored.")
    device.redundancy.modules["MM1"].boot_image = "Primary"
    assert rcli("copy flash flash secondary") == (
        "No image in primary flash, copy request ignored.")
    assert syncs == []


def test_copy_flash_flash_manager_only(rcli: Cli, syncs: list[dict[str, Any]]) -> None:
    assert rcli("copy flash flash") == "Incomplete input: flash"
    rcli.session.set_level(Level.OPERATOR)
    assert rcli("copy flash flash secondary").startswith("Invalid input")
    assert syncs == []


@pytest.mark.parametrize(("word", "slot"), [("management-module2", "MM2"),
                                            ("management-module1", "MM1")])
def test_active_management_stores_the_choice(rcli: Cli, device: Device, session: Script,
                                             word: str, slot: str,
                                             syncs: list[dict[str, Any]]) -> None:
    control = with_standby(device)
    rcli.session.enter(CONFIG)
    assert rcli(f"redundancy active-management {word}") == ""
    assert (device.flash.root / PREFERENCE_FILE).exists()
    assert device.flash.read_root_json(PREFERENCE_FILE) == {"slot": slot}
    assert syncs == [{"images": device.flash.images(), "preference": {"slot": slot}}]
    assert session.questions == [] and control.calls == []
    assert not device.unsaved()


def test_active_management_lone_module(rcli: Cli, device: Device,
                                       syncs: list[dict[str, Any]]) -> None:
    """Slot MM2 empty (never reported, or reported Not Present): refused; MM1 is there."""
    rcli.session.enter(CONFIG)
    refusal = "Management Module 2 not found, active-management request ignored."
    assert rcli("redundancy active-management management-module2") == refusal
    device.redundancy.modules["MM2"] = ModuleView("MM2", ModuleStatus.NOT_PRESENT)
    assert rcli("redundancy active-management management-module2") == refusal
    assert device.flash.read_root_json(PREFERENCE_FILE) is None
    assert syncs == []
    assert rcli("redundancy active-management management-module1") == ""
    assert device.flash.read_root_json(PREFERENCE_FILE) == {"slot": "MM1"}
    assert len(syncs) == 1


def test_active_management_offline_module_may_be_chosen(rcli: Cli, device: Device) -> None:
    """Present but offline (redundancy disabled): it is in the chassis, so it can be named."""
    with_standby(device).standby = False
    device.redundancy.modules["MM2"].status = ModuleStatus.OFFLINE
    rcli.session.enter(CONFIG)
    assert rcli("redundancy active-management management-module2") == ""
    assert device.flash.read_root_json(PREFERENCE_FILE) == {"slot": "MM2"}


def test_active_management_needs_config_and_manager(rcli: Cli, device: Device,
                                                    syncs: list[dict[str, Any]]) -> None:
    with_standby(device)
    assert rcli("redundancy active-management management-module2").startswith("Invalid input")
    rcli.session.enter(CONFIG)
    assert rcli("redundancy active-management") == "Incomplete input: active-management"
    assert rcli("redundancy active-management management-module3").startswith("Invalid input")
    rcli.session.set_level(Level.OPERATOR)
    assert rcli("redundancy active-management management-module2").startswith("Invalid input")
    assert device.flash.read_root_json(PREFERENCE_FILE) is None
    assert syncs == []


def test_flash_rows_are_in_the_command_table() -> None:
    from emulator.commands import command_table

    table = command_table()
    redundancy_words = [line.word for line in table.help(["redundancy"], "", CONFIG.kind,
                                                         Level.MANAGER)]
    assert "active-management" in redundancy_words
    assert [line.word for line in table.help(["copy", "flash", "flash"], "", CONFIG.kind,
                                             Level.MANAGER)] == ["primary", "secondary"]


# -- redundancy mode and stale timer -----------------------------------------------------------

def test_nonstop_switching_and_stale_timer_in_cli_render_and_show(config: Cli,
                                                                   device: Device) -> None:
    assert config("redundancy management-module nonstop-switching") == ""
    assert config("redundancy rapid-switchover 30") == ""
    rendered = device.running_text().split("\n")
    assert "redundancy management-module nonstop-switching" in rendered
    assert "redundancy rapid-switchover 30" in rendered
    shown = config("show redundancy").split("\n")
    assert shown[3] == " Mgmt Redundancy              : Nonstop switching"
    assert shown[4] == " Rapid Switchover Stale Timer : 30"
    assert config("no redundancy rapid-switchover") == ""
    assert config("redundancy management-module warm-standby") == ""
    assert not {"redundancy management-module nonstop-switching",
                "redundancy rapid-switchover 30"} & set(device.running_text().split("\n"))
    assert config("show redundancy").split("\n")[3:5] == [
        " Mgmt Redundancy              : Warm standby",
        " Rapid Switchover Stale Timer : 90"]


def test_stale_timer_out_of_range_is_refused(config: Cli, device: Device) -> None:
    assert config("redundancy rapid-switchover 2147483648").startswith("Invalid input")
    assert device.running.rapid_switchover == 90


def test_nonstop_switching_from_a_startup_config(tmp_path: Path) -> None:
    flash = Flash(tmp_path / "mm1")
    flash.format()
    flash.write_startup('hostname "ns"\nredundancy management-module nonstop-switching\n'
                        'redundancy rapid-switchover 0\n')
    booted, errors = Device.boot(Inventory(), flash, PROFILES["fast"], EventLog(),
                                 replay=startup_replay())
    assert errors == []
    assert booted.running.nonstop_switching
    assert booted.running.rapid_switchover == 0
    assert "redundancy rapid-switchover 0" in booted.running_text().split("\n")
