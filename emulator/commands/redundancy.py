"""Management-module redundancy (Switch 8212zl): `show redundancy`, `redundancy switchover`,
and the boot family whose meaning changes with a standby present (`boot`, `boot active`,
`reload` switch over to it; `boot standby` reboots it alone; `boot system flash` reboots both
modules and never switches over; MCG K.13 p.15-13).

The handlers only decide and ask; the module process does the work behind
`device.redundancy.control` (None when nothing can control a standby: a lone module, or a
unit test). The emulator runs the K.13 warm-standby model: the standby finishes booting on
takeover, the unsaved running config is lost.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Final

from emulator import hardware
from emulator.cli.grammar import CliError, Command, Level
from emulator.commands.format import SHOW_HELP, Fields
from emulator.commands.show_system import management_modules
from emulator.redundancy.state import ModuleStatus, ModuleView, Redundancy, RedundancyControl

if TYPE_CHECKING:
    from emulator.cli.context import Call

# -- vendor texts ---------------------------------------------------------------------------

SWITCHOVER_WARNING: Final = (
    "This command causes the switch to immediately switchover to the Standby Management Module."
)
"""[literal, AOS-CX wording: redundancy-screens.md §1; no ProVision capture exists]"""
CONTINUE: Final = "Do you want to continue [y/n]? "
"""[literal, same source as SWITCHOVER_WARNING]"""
NO_STANDBY_SWITCHOVER: Final = "Standby Management Module not found, switchover request ignored."
"""[literal, same source]"""
NO_STANDBY_BOOT: Final = "Standby Management Module not found, boot standby request ignored."
"""[inferred, in the style of NO_STANDBY_SWITCHOVER]"""
BOOT_SWITCHOVER: Final = (
    "This command will cause a switchover to the standby management module. "
    "Do you want to continue [y/n]? "
)
"""[inferred] procurve-cli.md §4 quirk 12: `boot`, `boot active`, `reload` with a standby."""
REBOOT: Final = "Device will be rebooted, do you want to continue [y/n]? "
"""[common ProCurve text, procurve-cli.md §1.6]"""
SAVE: Final = "Do you want to save current configuration [y/n]? "
"""The K.15 save question (the same text `logout` asks)."""

MGMT_REDUNDANCY: Final = {True: "Warm standby", False: "Disabled"}
"""`Mgmt Redundancy` value [inferred]: K.15 names the mode ("Nonstop switching" in the
reference layout); the emulator runs the warm-standby mode, so it says that."""
STALE_TIMER: Final = "90"
"""`redundancy rapid-switchover` default, seconds (K.15.15 p.466); not configurable here."""
FABRIC_STATUS: Final = "Enabled"
NOT_PRESENT: Final = ModuleStatus.NOT_PRESENT.value
FIELDS: Final = Fields(indent=1, width=28)
SECTION_RULE: Final = " " + "-" * 20
TABLE_HEADER: Final = (
    " Slot Module Description                           Status      SW Version  Boot Image\n"
    " ---- -------------------------------------------- ----------- ----------- ----------"
)
"""[inferred] procurve-cli.md §1.7, column for column."""


# -- renderers -------------------------------------------------------------------------------

def last_failover_text(when: float | None) -> str:
    """ctime form in switch time (time zone 0, as `show system` says); blank before any
    failover, the way ProCurve screens leave an unset value (`Management VLAN :`)."""
    return "" if when is None else time.asctime(time.gmtime(when))


def module_row(slot: str, view: ModuleView | None) -> str:
    """A management-module row; an empty slot says Not Present, with no description, and a
    module that reported no version (failed before it could) shows no image either."""
    if view is None or view.status is ModuleStatus.NOT_PRESENT:
        return f" {slot:<4} {'':<44} {NOT_PRESENT}"
    description = hardware.MANAGEMENT_MODULE[1]
    image = f"{view.version:<11} {view.boot_image}" if view.version else ""
    return f" {slot:<4} {description:<44} {view.status.value:<11} {image}".rstrip()


def render_redundancy(state: Redundancy, own: ModuleView) -> str:
    """`show redundancy`; `own` is this module's view as it booted (from its own flash)."""
    modules = {**state.modules, own.slot: own}
    fabric = [f" {slot:<4} {hardware.FABRIC_MODULE[1]:<44} {FABRIC_STATUS}"
              for slot in ("FM1", "FM2")]
    return "\n".join([
        "",
        " Settings",
        SECTION_RULE,
        FIELDS.line("Mgmt Redundancy", MGMT_REDUNDANCY[state.enabled]),
        FIELDS.line("Rapid Switchover Stale Timer", STALE_TIMER),
        "",
        " Statistics",
        SECTION_RULE,
        FIELDS.line("Failovers", str(state.record.failovers)),
        FIELDS.line("Last Failover", last_failover_text(state.record.last_failover)),
        "",
        TABLE_HEADER,
        *(module_row(slot, modules.get(slot)) for slot in hardware.MANAGEMENT_SLOTS),
        *fabric,
    ])


# -- handlers --------------------------------------------------------------------------------

def show_redundancy(call: Call) -> str:
    own = next(v for v in management_modules(call.device) if v.slot == call.device.slot)
    return render_redundancy(call.device.redundancy, own)


def standby(call: Call) -> RedundancyControl | None:
    """The control that can switch over, if a standby is there to take over."""
    control = call.device.redundancy.control
    return control if control is not None and control.standby_present() else None


def reason(call: Call) -> str:
    """What the new active logs as the cause: the command as the user's words name it."""
    return f"{' '.join(call.words)} command"


async def confirmed(call: Call, question: str) -> bool:
    """The save question first when the running config is unsaved (y saves), then `question`:
    a reboot or switchover loses what was not saved."""
    device, session = call.device, call.session
    if device.unsaved() and await session.confirm("\r\n" + SAVE):
        await device.write_memory()
    return await session.confirm("\r\n" + question)


async def redundancy_switchover(call: Call) -> None:
    control = standby(call)
    if control is None:
        raise CliError(NO_STANDBY_SWITCHOVER)
    if await call.session.confirm(f"\r\n{SWITCHOVER_WARNING}\r\n{CONTINUE}"):
        await control.switchover(reason(call))


async def boot(call: Call) -> None:
    """`boot`, `boot active`, `reload`: a switchover when a standby can take over, else a
    reboot of the switch."""
    control = standby(call)
    if control is not None:
        if await confirmed(call, BOOT_SWITCHOVER):
            await control.switchover(reason(call))
    elif await confirmed(call, REBOOT):
        await call.device.reboot(reason(call))


async def boot_standby(call: Call) -> None:
    control = standby(call)
    if control is None:
        raise CliError(NO_STANDBY_BOOT)
    await control.reboot_standby()


async def boot_system(call: Call) -> None:
    """Both modules reboot from the image; never a switchover (p.15-13)."""
    if not await confirmed(call, REBOOT):
        return
    control = call.device.redundancy.control
    if control is not None:
        await control.boot_system(str(call.args["image"]))
    else:
        await call.device.reboot(reason(call))


HELP: Final = {
    "show": SHOW_HELP,
    "redundancy": "Show management module redundancy status.",
    "boot": "Reboot the device.",
    "reload": "Warm reboot of the switch.",
}
"""Family-wide keyword help; the row-specific words are in the rows' own help."""

SHOW_ROW_HELP: Final = {"redundancy": HELP["redundancy"]}
SWITCHOVER_HELP: Final = {
    "redundancy": "Perform management module redundancy operations.",
    "switchover": "Switch over to the standby management module.",
}
BOOT_HELP: Final = {
    "boot": HELP["boot"],
    "active": "Reboot the active management module (switches over to the standby).",
    "standby": "Reboot the standby management module.",
    "system": "Reboot both management modules.",
    "flash": "Boot from a software image in flash.",
    "primary": "Boot the primary software image.",
    "secondary": "Boot the secondary software image.",
}

ROWS: Final = (
    Command("show redundancy", show_redundancy, help=SHOW_ROW_HELP),
    Command("redundancy switchover", redundancy_switchover, level=Level.MANAGER,
            help=SWITCHOVER_HELP),
    Command("boot [active]", boot, level=Level.MANAGER, help=BOOT_HELP),
    Command("boot standby", boot_standby, level=Level.MANAGER, help=BOOT_HELP),
    Command("boot system flash {image: primary|secondary}", boot_system, level=Level.MANAGER,
            help=BOOT_HELP),
    Command("reload", boot, level=Level.MANAGER, help={"reload": HELP["reload"]}),
)
