"""`show system`, `show version`, `show modules`, `show flash`, `show uptime`, `show cpu`,
`show log`: the identity and health screens napalm's get_facts/get_environment and oxidized read.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Final

from emulator import hardware
from emulator.cli.grammar import Command, IntRange
from emulator.commands.format import SHOW_HELP, Fields, thousands
from emulator.hardware import format_mac

if TYPE_CHECKING:
    from emulator.cli.context import Call
    from emulator.device import Device

SYSTEM_TITLE: Final = " Status and Counters - General System Information"
SYSTEM_FIELDS: Final = Fields(indent=2, width=18, right_at=44, right_value_width=12)
IDENTITY_WIDTH: Final = 41
"""Name, contact and location are padded like the real screen's System Name; an empty contact
then still has a value column, which ntc's show_system template requires."""
CONTINUED: Final = " " * 11
"""Labels continuing the one above (`Pkts Tx`, `Free`) are indented by this much."""

IDLE_CPU_PERCENT: Final = 3
MEMORY_FREE: Final = 61_999_280
PACKET_BUFFERS: Final = {"Total": 6750, "Free": 5086, "Lowest": 3416, "Missed": 0}
TIME_ZONE: Final = "0"
DAYLIGHT_TIME_RULE: Final = "None"
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


def running_version(device: Device) -> str:
    images = device.flash.images()
    return images.get(images.get("default", "primary"), hardware.SOFTWARE_REVISION)


def boot_image(device: Device) -> str:
    return device.flash.images().get("default", "primary").capitalize()


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
        f.line("System Contact", f"{config.snmp_contact:<{IDENTITY_WIDTH}}"),
        f.line("System Location", f"{config.snmp_location:<{IDENTITY_WIDTH}}"),
        "",
        f.line("MAC Age Time (sec)", str(device.timing.mac_age)),
        "",
        f.line("Time Zone", TIME_ZONE),
        f.line("Daylight Time Rule", DAYLIGHT_TIME_RULE),
        "",
        "",
        f.line("Software revision", running_version(device),
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


def render_version(device: Device) -> str:
    stamp, built = hardware.IMAGE_STAMP
    return "\n".join([
        "",
        f"{'Image stamp:':<16}{stamp}",
        f"{'':<16}{built}",
        f"{'':<16}{running_version(device)}",
        f"{'':<16}{hardware.IMAGE_BUILD}",
        f"{'Boot Image:':<16}{boot_image(device)}",
    ])


def render_modules(device: Device) -> str:
    inventory = device.inventory
    serials = inventory.module_serials
    rows = [(device.slot, hardware.MANAGEMENT_MODULE[1], "Active")]
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
        *(f"  {slot:<5} {text:<45} {serials.get(slot, ''):<16} {status}"
          for slot, text, status in rows),
    ])


def render_flash(device: Device) -> str:
    images = device.flash.images()
    built = time.strftime("%m/%d/%y", time.strptime(hardware.IMAGE_STAMP[1], "%b %d %Y %H:%M:%S"))
    rows = [
        f"{label + ' Image':<15} : {IMAGE_SIZE:>10} {built} {images[key]}"
        for key, label in (("primary", "Primary"), ("secondary", "Secondary"))
        if key in images
    ]
    return "\n".join([
        FLASH_HEADER,
        *rows,
        "",
        f"Boot ROM Version : {hardware.ROM_VERSION}",
        f"Default Boot     : {boot_image(device)}",
    ])


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
    Command("show system [information]", show_system, help=HELP),
    Command("show version", show_version, help=HELP),
    Command("show modules", show_modules, help=HELP),
    Command("show flash", show_flash, help=HELP),
    Command("show uptime", show_uptime, help=HELP),
    Command("show cpu [<seconds>]", show_cpu, params={"seconds": IntRange(1, 300)}, help=HELP),
    Command("show log [-r]", show_log, help=HELP),
)
