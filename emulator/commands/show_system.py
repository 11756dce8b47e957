"""`show system`, `show version`, `show modules`, `show flash`, `show uptime`, `show cpu`,
`show log`: the identity and health screens napalm's get_facts/get_environment and oxidized read.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Final

from emulator import hardware, images
from emulator.cli.grammar import Command, IntRange
from emulator.commands.clock import DAYLIGHT_RULE_WORDS
from emulator.commands.format import SHOW_HELP, Fields, thousands
from emulator.hardware import IDLE_CPU_PERCENT, MEMORY_FREE, format_mac
from emulator.redundancy.state import ModuleStatus, ModuleView

if TYPE_CHECKING:
    from emulator.cli.context import Call
    from emulator.device import Device

SYSTEM_TITLE: Final = " Status and Counters - General System Information"
SYSTEM_FIELDS: Final = Fields(indent=2, width=18, right_at=44, right_value_width=12)
IDENTITY_WIDTH: Final = 41
"""The real screen pads System Name to this width, but not a contact or location; an empty
one is padded all the same, since ntc's show_system template requires a value column."""
CONTINUED: Final = " " * 11
"""Labels continuing the one above (`Pkts Tx`, `Free`) are indented by this much."""

PACKET_BUFFERS: Final = {"Total": 6750, "Free": 5086, "Lowest": 3416, "Missed": 0}
IMAGE_SIZE: Final = 21_488_474
"""Bytes of the K.15.16 image as `show flash` lists it (images.json keeps versions only)."""
CPU_WINDOWS: Final = (300, 60, 5, 1)
"""The averaging windows bare `show cpu` lists, longest first."""

UPTIME_UNITS: Final = ((86_400, 86_400, "days"), (7_200, 3_600, "hours"), (60, 60, "mins"))
"""(from, unit size, name): `Up Time` shows one unit, the largest one reached (`15 days`,
`82 mins`, `55 secs`); hours only from two hours on, as the real switch's `82 mins` shows."""

MODULE_STATUS_UP: Final = "Up"
MODULES_HEADER: Final = (
    "  Slot  Module Description                            Serial Number    Status\n"
    "  ----- --------------------------------------------- ---------------- -------"
)
FLASH_HEADER: Final = (
    "Image           Size (bytes) Date     Version\n"
    "-----           ------------ -------- -------"
)
MODULE_HEADING: Final = "Management Module {number}: {status}"
"""Heads each module's block of `show version` / `show flash` when two modules are present
[inferred: procurve-cli.md §1.7; the manual's two-module screens are images only]."""
MODULE_BLOCK_INDENT: Final = " "
"""The lines under a MODULE_HEADING are indented by one blank [inferred, as ArubaOS-Switch
16.x prints its two-module `show version`]."""


def boot_image(device: Device) -> str:
    return device.redundancy.modules[device.slot].boot_image


def management_modules(device: Device) -> list[ModuleView]:
    """The management modules present, in slot order. This module's own versions come from its
    flash (what it booted, as the single-module screens show); the other's are as the chassis
    reported them."""
    own = device.redundancy.modules.get(device.slot, ModuleView(device.slot,
                                                                ModuleStatus.ACTIVE))
    views = {slot: view for slot, view in device.redundancy.modules.items()
             if view.status is not ModuleStatus.NOT_PRESENT}
    views[device.slot] = replace(own, version=device.software_version(),
                                 boot_image=boot_image(device))
    return [views[slot] for slot in sorted(views)]


def module_images(device: Device, view: ModuleView) -> dict[str, str]:
    """A module's images.json. The other module's flash is not readable from here: the active
    syncs its images to the standby (K.15.15 p.488), so the standby holds the same images,
    except that the image it booted is the version the chassis reported for it."""
    versions = dict(device.flash.images())
    if view.slot != device.slot and view.version:
        versions[view.boot_image.lower()] = view.version
        versions["default"] = view.boot_image.lower()
    return versions


def module_heading(view: ModuleView) -> str:
    return MODULE_HEADING.format(number=view.slot.removeprefix("MM"), status=view.status.value)


def uptime_words(seconds: float) -> str:
    for threshold, size, unit in UPTIME_UNITS:
        if seconds >= threshold:
            return f"{int(seconds // size)} {unit}"
    return f"{int(seconds)} secs"


def render_system(device: Device) -> str:
    config, inventory = device.running, device.inventory
    f = SYSTEM_FIELDS
    buffers = {k: str(v) for k, v in PACKET_BUFFERS.items()}
    return "\n".join([
        "",
        SYSTEM_TITLE,
        "",
        f.line("System Name", f"{config.hostname:<{IDENTITY_WIDTH}}"),
        f.line("System Contact", config.snmp_contact or " " * IDENTITY_WIDTH),
        f.line("System Location", config.snmp_location or " " * IDENTITY_WIDTH),
        "",
        f.line("MAC Age Time (sec)", str(device.running.mac_age)),
        "",
        f.line("Time Zone", str(device.running.timezone)),
        f.line("Daylight Time Rule", DAYLIGHT_RULE_WORDS[device.running.daylight_rule]),
        "",
        "",
        f.line("Software revision", device.software_version(),
               ("Base MAC Addr", format_mac(inventory.base_mac))),
        f.line("ROM Version", hardware.ROM_VERSION, ("Serial Number", inventory.serial)),
        f.line("Allow V1 Modules", "Yes"),
        "",
        f.line("Up Time", uptime_words(device.uptime()),
               ("Memory   - Total", thousands(hardware.MEMORY_TOTAL))),
        f.line("CPU Util (%)", str(IDLE_CPU_PERCENT),
               (CONTINUED + "Free", thousands(MEMORY_FREE))),
        "",
        f.line("IP Mgmt  - Pkts Rx", "0", ("Packet   - Total", buffers["Total"])),
        f.line(CONTINUED + "Pkts Tx", "0", ("Buffers    Free", buffers["Free"])),
        f.line("", "", (CONTINUED + "Lowest", buffers["Lowest"])),
        f.line("", "", (CONTINUED + "Missed", buffers["Missed"])),
        "",
    ])


def version_block(version: str, boot: str, indent: str = "") -> list[str]:
    stamp, built = hardware.IMAGE_STAMP
    return [
        f"{indent}{'Image stamp:':<16}{stamp}",
        f"{indent}{'':<16}{built}",
        f"{indent}{'':<16}{version}",
        f"{indent}{'':<16}{hardware.IMAGE_BUILD}",
        f"{indent}{'Boot Image:':<16}{boot}",
    ]


def render_version(device: Device) -> str:
    """One module: the BOG's single block. Two: a headed block per module (the manual: "system
    software image information for both management modules, as well as which module is the
    active management module and which is the standby")."""
    modules = management_modules(device)
    if len(modules) == 1:
        return "\n".join(["", *version_block(device.software_version(), boot_image(device))])
    lines: list[str] = []
    for view in modules:
        lines += ["", module_heading(view),
                  *version_block(view.version, view.boot_image, MODULE_BLOCK_INDENT)]
    return "\n".join(lines)


def render_modules(device: Device) -> str:
    """Installed hardware only, as the real screen lists it: an empty management slot has no
    row (`show redundancy` is the screen that says "Not Present")."""
    inventory = device.inventory
    serials = inventory.module_serials
    rows = [(view.slot, hardware.MANAGEMENT_MODULE[1], view.status.value)
            for view in management_modules(device)]
    rows += [(slot, hardware.FABRIC_MODULE[1], "Enabled") for slot in ("FM1", "FM2")]
    rows.append(("SSM", hardware.SYSTEM_SUPPORT_MODULE[1], "Enabled"))
    rows += [
        (slot, hardware.MODULE_TYPES[product].description, MODULE_STATUS_UP)
        for slot, product in sorted(inventory.modules.items())
    ]
    return "\n".join([
        "",
        " Status and Counters - Module Information",
        "",
        f"  Chassis: {hardware.CHASSIS_NAME} {hardware.CHASSIS_PRODUCT}  "
        f"Serial Number:   {inventory.serial}",
        "",
        MODULES_HEADER,
        *(f"  {slot:<5} {text:<{hardware.MODULE_DESCR_WIDTH}} {serials.get(slot, ''):<16} "
          f"{status}"
          for slot, text, status in rows),
    ])


def image_files(device: Device) -> dict[str, tuple[int, str]]:
    """(size, date) of each flash's image: a copied-in image file's (emulator/images.py), else
    the built-in image's. The standby holds the same files (the flash sync carries them)."""
    files: dict[str, tuple[int, str]] = {}
    for key in ("primary", "secondary"):
        data = device.flash.read_image(key)
        try:
            image = images.parse(data) if data is not None else None
        except images.ImageError:
            image = None
        files[key] = (image.size, image.date) if image else (IMAGE_SIZE, images.builtin_date())
    return files


def flash_block(versions: dict[str, str], files: dict[str, tuple[int, str]],
                indent: str = "") -> list[str]:
    rows = [
        f"{label + ' Image':<15} : {files[key][0]:>10} {files[key][1]} {versions[key]}"
        for key, label in (("primary", "Primary"), ("secondary", "Secondary"))
        if key in versions
    ]
    lines = [
        *FLASH_HEADER.split("\n"),
        *rows,
        "",
        f"Boot ROM Version : {hardware.ROM_VERSION}",
        f"Default Boot     : {versions.get('default', 'primary').capitalize()}",
    ]
    return [indent + line if line else line for line in lines]


def render_flash(device: Device) -> str:
    """One module: its flash. Two: a headed block per module, each module has its own flash."""
    modules = management_modules(device)
    files = image_files(device)
    if len(modules) == 1:
        return "\n".join(flash_block(device.flash.images(), files))
    blocks = [[module_heading(view), *flash_block(module_images(device, view), files,
                                                  MODULE_BLOCK_INDENT)]
              for view in modules]
    return "\n\n".join("\n".join(block) for block in blocks)


def render_uptime(device: Device) -> str:
    """`dddd:hh:mm:ss.cc`, the format napalm splits on ':'."""
    centis = int(device.uptime() * 100)
    minutes, centis = divmod(centis, 6000)
    hours, minutes = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    return f"{days:04d}:{hours:02d}:{minutes:02d}:{centis // 100:02d}.{centis % 100:02d}"


def render_cpu(seconds: int | None) -> str:
    if seconds is None:
        return "\n".join(f"{IDLE_CPU_PERCENT} percent busy, from {window} sec ago to present"
                         for window in CPU_WINDOWS)
    return f"\n{IDLE_CPU_PERCENT}/100 busy, for past {seconds} sec"


def show_system(call: Call) -> str:
    return render_system(call.device)


def show_version(call: Call) -> str:
    return render_version(call.device)


def show_modules(call: Call) -> str:
    return render_modules(call.device)


def show_flash(call: Call) -> str:
    return render_flash(call.device)


def show_uptime(call: Call) -> str:
    return render_uptime(call.device)


def show_cpu(call: Call) -> str:
    seconds = call.args.get("seconds")
    return render_cpu(seconds if isinstance(seconds, int) else None)


def show_log(call: Call) -> str:
    return call.device.events.render(newest_first="-r" in call.words)


HELP: Final = {
    "show": SHOW_HELP,
    "system": "Show global system information.",
    "information": "Show global system information.",
    "version": "Show software version.",
    "modules": "Show list of installed modules.",
    "flash": "Show information about stored software images.",
    "uptime": "Show the time since the last reboot.",
    "cpu": "Show average CPU utilization over the given number of seconds.",
    "seconds": "Averaging window in seconds.",
    "log": "Show event log.",
    "-r": "Show the events in reverse order (most recent first).",
}

ROWS: tuple[Command, ...] = (
    Command("show system [information]", show_system),
    Command("show version", show_version),
    Command("show modules", show_modules),
    Command("show flash", show_flash),
    Command("show uptime", show_uptime),
    Command("show cpu [<seconds>]", show_cpu, params={"seconds": IntRange(1, 300)}),
    Command("show log [-r]", show_log),
)
