"""Management-module redundancy (Switch 8212zl): `show redundancy`, `redundancy switchover`,
`[no] redundancy management-module`, `show boot-history`, and the boot family whose meaning
changes with a standby present (`boot`, `boot active`, `reload` switch over to it;
`boot standby` reboots it alone; `boot system flash` reboots both modules and never switches
over; MCG K.13 p.15-13), and the flash commands whose effect reaches the standby through the
flash sync: `boot set-default flash`, `copy flash flash` and `redundancy active-management`.

The handlers only decide and ask; the module process does the work behind
`device.redundancy.control` (None when nothing can control a standby: a lone module, or a
unit test). Two modes, as K.15 has them: warm standby (the emulator's default; the standby
finishes booting on takeover, the unsaved running config is lost, the ports reset) and nonstop
switching (`redundancy management-module nonstop-switching`: the standby holds the running
config and takes over without resetting the interface modules). With redundancy disabled
the other module is offline: nothing switches over, and `boot`/`reload` reboot the switch.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any, Final

from emulator import hardware
from emulator.cli.grammar import CliError, Command, IntRange, Level, Where
from emulator.commands.format import SHOW_HELP, Fields, refused
from emulator.commands.show_system import management_modules
from emulator.config.model import RAPID_SWITCHOVER_DEFAULT, RAPID_SWITCHOVER_RANGE
from emulator.flash import Flash
from emulator.redundancy.state import (
    PREFERENCE_FILE,
    ModuleStatus,
    ModuleView,
    Redundancy,
    RedundancyControl,
)

if TYPE_CHECKING:
    from emulator.cli.context import Call
    from emulator.device import Device

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
REDUNDANCY_DISABLE: Final = (
    "The other management module may reboot. Do you want to continue [y/n]? "
)
"""[inferred] procurve-cli.md §1.6, `no redundancy management-module`."""
REDUNDANCY_DISABLED_SWITCHOVER: Final = "Redundancy is disabled, switchover request ignored."
"""[inferred, in the style of NO_STANDBY_SWITCHOVER]"""
COPY_ONTO_ITSELF: Final = "The running image is already in {image} flash, copy request ignored."
"""[inferred, in the style of NO_STANDBY_SWITCHOVER] `copy flash flash` names the destination;
the source is the other flash, the image the module runs, so naming the flash it booted from
would copy the running image onto itself."""
NO_SOURCE_IMAGE: Final = "No image in {image} flash, copy request ignored."
"""[inferred, same style] the other flash holds no image to copy."""
MODULE_NOT_PRESENT: Final = (
    "Management Module {number} not found, active-management request ignored."
)
"""[inferred, in the style of NO_STANDBY_SWITCHOVER] `redundancy active-management` naming an
empty slot; no capture of the command exists (redundancy-screens.md §3)."""

CRASH_TITLE: Final = "Mgmt Module {number} -- Saved Crash Information (most recent first):"
BOOT_TITLE: Final = "Mgmt Module {number} -- Boot History (most recent first):"
"""[inferred] `show boot-history` titles, procurve-cli.md §1.6; no capture exists."""
TITLE_RULE: Final = "=" * 63
HISTORY_COLUMNS: Final = (("Index", 5), ("Boot Time (mm/dd/yy hh:mm:ss)", 30), ("Role", 8),
                          ("Reason", 45))
"""(heading, width) of the boot-history table [inferred layout]; the last column's text is cut
at its width, as the switch's fixed-width tables do."""
BOOT_TIME_FORMAT: Final = "%m/%d/%y %H:%M:%S"
"""The format the Boot Time heading announces, in switch time (time zone 0)."""

MGMT_REDUNDANCY: Final = {True: "Nonstop switching", False: "Warm standby"}
"""`Mgmt Redundancy` value by mode (nonstop switching or not) [inferred]: K.15 names the mode
("Nonstop switching" in the reference layout); with redundancy disabled it says so."""
REDUNDANCY_OFF: Final = "Disabled"
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


def render_redundancy(state: Redundancy, own: ModuleView, nonstop: bool = False,
                      stale_timer: int = RAPID_SWITCHOVER_DEFAULT) -> str:
    """`show redundancy`; `own` is this module's view as it booted (from its own flash);
    `nonstop` and `stale_timer` are the running config's redundancy mode and timer."""
    modules = {**state.modules, own.slot: own}
    fabric = [f" {slot:<4} {hardware.FABRIC_MODULE[1]:<44} {FABRIC_STATUS}"
              for slot in ("FM1", "FM2")]
    return "\n".join([
        "",
        " Settings",
        SECTION_RULE,
        FIELDS.line("Mgmt Redundancy",
                    MGMT_REDUNDANCY[nonstop] if state.enabled else REDUNDANCY_OFF),
        FIELDS.line("Rapid Switchover Stale Timer", str(stale_timer)),
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


def history_row(index: int, entry: dict[str, Any]) -> str:
    """One boot of a module's flash history (module.py `remember_role`); a field the entry
    lacks prints blank rather than failing the whole screen."""
    when = entry.get("time")
    stamp = (time.strftime(BOOT_TIME_FORMAT, time.gmtime(when))
             if isinstance(when, (int, float)) else "")
    role = str(entry.get("role", "")).capitalize()
    reason_width = HISTORY_COLUMNS[-1][1]
    cells = [str(index), stamp, role, str(entry.get("reason", ""))[:reason_width]]
    return " ".join(f"{cell:<{width}}" for cell, (_, width)
                    in zip(cells, HISTORY_COLUMNS, strict=True)).rstrip()


def render_boot_history(histories: dict[str, list[dict[str, Any]]]) -> str:
    """`show boot-history`: per module slot (`MM1`...), the crash section (the emulator never
    crashes, so it stays empty) and the boots newest first, index 0 the latest.
    `histories` holds each module's flash history as stored, newest last."""
    header = " ".join(f"{title:<{width}}" for title, width in HISTORY_COLUMNS).rstrip()
    dashes = " ".join("-" * width for _, width in HISTORY_COLUMNS)
    lines: list[str] = []
    for slot in sorted(histories):
        number = slot.removeprefix("MM")
        lines += [
            "",
            CRASH_TITLE.format(number=number),
            TITLE_RULE,
            "",
            BOOT_TITLE.format(number=number),
            TITLE_RULE,
            header,
            dashes,
            *(history_row(index, entry)
              for index, entry in enumerate(reversed(histories[slot]))),
        ]
    return "\n".join(lines)


# -- handlers --------------------------------------------------------------------------------

def show_redundancy(call: Call) -> str:
    own = next(v for v in management_modules(call.device) if v.slot == call.device.slot)
    running = call.device.running
    return render_redundancy(call.device.redundancy, own, running.nonstop_switching,
                             running.rapid_switchover)


def show_boot_history(call: Call) -> str:
    """Both modules' flashes sit side by side in the data dir, so the active reads the other
    module's history directly, as the real switch lists both modules."""
    data_dir = call.device.flash.root.parent
    histories: dict[str, list[dict[str, Any]]] = {}
    for slot in hardware.MANAGEMENT_SLOTS:
        history = Flash.for_slot(data_dir, slot).state().get("history", [])
        histories[slot] = ([entry for entry in history if isinstance(entry, dict)]
                           if isinstance(history, list) else [])
    return render_boot_history(histories)


def standby(call: Call) -> RedundancyControl | None:
    """The control that can switch over, if a standby is there to take over; with redundancy
    disabled the other module is offline and nothing can."""
    redundancy = call.device.redundancy
    control = redundancy.control
    if not redundancy.enabled or control is None or not control.standby_present():
        return None
    return control


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
    if not call.device.redundancy.enabled:
        raise CliError(REDUNDANCY_DISABLED_SWITCHOVER)
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
        await control.boot_system(call.text("image"))
    else:
        await call.device.reboot(reason(call))


async def set_redundancy(call: Call, enabled: bool) -> None:
    """The running config, the live view `show redundancy` reads and the module process all
    follow; only a real change reaches the module process, so re-entering the current setting
    never disturbs the other module. Disabling asks first: the other module goes offline."""
    device = call.device
    if enabled == device.redundancy.enabled == device.running.redundancy_enabled:
        return
    if not enabled and not await call.session.confirm("\r\n" + REDUNDANCY_DISABLE):
        return
    device.running.set_redundancy(enabled)
    device.redundancy.enabled = enabled
    control = device.redundancy.control
    if control is not None:
        await control.set_redundancy(enabled)


def set_redundancy_mode(call: Call) -> None:
    """`redundancy management-module nonstop-switching|warm-standby`: silent. The module
    process reads the mode from the running config at each commit (it keeps a nonstop
    standby's running config in step) and at takeover (whether the interface modules reset)."""
    call.device.running.set_nonstop_switching(call.text("mode") == "nonstop-switching")


def set_rapid_switchover(call: Call) -> None:
    with refused():
        call.device.running.set_rapid_switchover(call.number("seconds"))


def default_rapid_switchover(call: Call) -> None:
    call.device.running.set_rapid_switchover(RAPID_SWITCHOVER_DEFAULT)


async def enable_redundancy(call: Call) -> None:
    await set_redundancy(call, True)


async def disable_redundancy(call: Call) -> None:
    await set_redundancy(call, False)


async def boot_set_default(call: Call) -> None:
    """`boot set-default flash`: the image the next boot loads; silent, like the switch. The
    flash sync carries it to the standby."""
    device = call.device
    device.flash.write_images(device.flash.images() | {"default": call.text("image")})
    await device.flash_changed()


OTHER_IMAGE: Final = {"primary": "secondary", "secondary": "primary"}


def booted_image(device: Device) -> str:
    """The flash this module booted from (`primary`/`secondary`): its view as it booted, not
    the default a later `boot set-default` chose."""
    own = device.redundancy.modules.get(device.slot)
    if own is not None and own.boot_image:
        return own.boot_image.lower()
    return device.flash.images().get("default", "primary")


async def copy_flash_flash(call: Call) -> None:
    """`copy flash flash <destination>`: the image in the other flash, the one the module
    runs, overwrites the named flash. Naming the flash the module booted from would copy the
    running image onto itself: refused. Silent on success; the flash sync carries the copy to
    the standby (K.15.15 p.488)."""
    device = call.device
    destination = call.text("image")
    if destination == booted_image(device):
        raise CliError(COPY_ONTO_ITSELF.format(image=destination))
    images = device.flash.images()
    source = OTHER_IMAGE[destination]
    if source not in images:
        raise CliError(NO_SOURCE_IMAGE.format(image=source))
    device.flash.write_image(destination, device.flash.read_image(source), images[source])
    await device.flash_changed()


ACTIVE_MANAGEMENT_SLOT: Final = {"management-module1": "MM1", "management-module2": "MM2"}


async def redundancy_active_management(call: Call) -> None:
    """`redundancy active-management`: the named module becomes active at the next boot (each
    module's selftest reads PREFERENCE_FILE); stored on flash and synced, silent. An empty slot
    cannot be chosen."""
    device = call.device
    slot = ACTIVE_MANAGEMENT_SLOT[call.text("module")]
    view = device.redundancy.modules.get(slot)
    if view is None or view.status is ModuleStatus.NOT_PRESENT:
        raise CliError(MODULE_NOT_PRESENT.format(number=slot.removeprefix("MM")))
    device.flash.write_root_json(PREFERENCE_FILE, {"slot": slot})
    await device.flash_changed()


HELP: Final = {
    "show": SHOW_HELP,
    "redundancy": "Show management module redundancy status.",
    "boot": "Reboot the device.",
    "reload": "Warm reboot of the switch.",
}
"""Family-wide keyword help; the row-specific words are in the rows' own help."""

SHOW_ROW_HELP: Final = {"redundancy": HELP["redundancy"]}
BOOT_HISTORY_HELP: Final = {
    "boot-history": "Display the boot history of the management modules.",
}
MODULE_REDUNDANCY_HELP: Final = {
    "redundancy": "Configure management module redundancy.",
    "management-module": "Enable or disable management module redundancy.",
}
REDUNDANCY_MODE_HELP: Final = {
    **MODULE_REDUNDANCY_HELP,
    "nonstop-switching": "Keep the standby hot: a switchover does not interrupt switching.",
    "warm-standby": "The standby finishes booting at a switchover; the ports reset.",
}
RAPID_SWITCHOVER_HELP: Final = {
    "redundancy": MODULE_REDUNDANCY_HELP["redundancy"],
    "rapid-switchover": "Set the time, in seconds, stale routes are kept after a failover.",
}
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
SET_DEFAULT_HELP: Final = {
    "boot": HELP["boot"],
    "set-default": "Set the default boot image for the next boot.",
    "flash": "Select the software image to boot by default.",
    "primary": "Boot the primary software image by default.",
    "secondary": "Boot the secondary software image by default.",
}
COPY_FLASH_HELP: Final = {
    "copy": "Copy data between files, flash images and servers.",
    "flash": "Copy the running software image to the other flash.",
    "primary": "Copy the running image to primary flash.",
    "secondary": "Copy the running image to secondary flash.",
}
ACTIVE_MANAGEMENT_HELP: Final = {
    "redundancy": MODULE_REDUNDANCY_HELP["redundancy"],
    "active-management": "Select the management module to be active at the next boot.",
    "management-module1": "Management module 1 becomes active at the next boot.",
    "management-module2": "Management module 2 becomes active at the next boot.",
}

ROWS: Final = (
    Command("show redundancy", show_redundancy, help=SHOW_ROW_HELP),
    Command("show boot-history", show_boot_history, level=Level.MANAGER,
            help=BOOT_HISTORY_HELP),
    Command("redundancy switchover", redundancy_switchover, level=Level.MANAGER,
            help=SWITCHOVER_HELP),
    Command("redundancy management-module", enable_redundancy, where=Where.CONFIG,
            level=Level.MANAGER, negate=disable_redundancy, help=MODULE_REDUNDANCY_HELP),
    Command("redundancy management-module {mode: nonstop-switching|warm-standby}",
            set_redundancy_mode, where=Where.CONFIG, level=Level.MANAGER,
            help=REDUNDANCY_MODE_HELP),
    Command("redundancy rapid-switchover <seconds>", set_rapid_switchover, where=Where.CONFIG,
            level=Level.MANAGER, params={"seconds": IntRange(*RAPID_SWITCHOVER_RANGE)},
            help=RAPID_SWITCHOVER_HELP),
    Command("redundancy rapid-switchover", None, where=Where.CONFIG, level=Level.MANAGER,
            negate=default_rapid_switchover, help=RAPID_SWITCHOVER_HELP),
    Command("boot [active]", boot, level=Level.MANAGER, help=BOOT_HELP),
    Command("boot standby", boot_standby, level=Level.MANAGER, help=BOOT_HELP),
    Command("boot system flash {image: primary|secondary}", boot_system, level=Level.MANAGER,
            help=BOOT_HELP),
    Command("reload", boot, level=Level.MANAGER, help={"reload": HELP["reload"]}),
    Command("boot set-default flash {image: primary|secondary}", boot_set_default,
            level=Level.MANAGER, help=SET_DEFAULT_HELP),
    Command("copy flash flash {image: primary|secondary}", copy_flash_flash,
            level=Level.MANAGER, help=COPY_FLASH_HELP),
    Command("redundancy active-management {module: management-module1|management-module2}",
            redundancy_active_management, where=Where.CONFIG, level=Level.MANAGER,
            help=ACTIVE_MANAGEMENT_HELP),
)
