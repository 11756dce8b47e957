"""`[no] fault-finder KIND|all [sensitivity low|medium|high] [action warn|warn-and-disable]`:
which port faults the switch watches for and what it does about one. Kept, written back and
shown by `show fault-finder` (the manual's Fault ID / Sensitivity / Action table); the
emulated ports raise no faults, so nothing is ever warned about or disabled."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from emulator.cli.grammar import Command, Level, Where, any_order
from emulator.commands.format import SHOW_HELP, refused
from emulator.config.model import FAULT_ACTIONS, FAULT_SENSITIVITIES, FAULTS, FaultSetting

if TYPE_CHECKING:
    from emulator.cli.context import Call
    from emulator.device import Device

KINDS: Final = {fault.lower(): fault for fault in FAULTS}
"""The grammar's keyword (the parser compares lower case) -> the name as written."""


def render_fault_finder(device: Device) -> str:
    faults = device.running.faults
    rows = []
    for fault in FAULTS:
        setting = faults.get(fault, FaultSetting())
        sensitivity = setting.sensitivity if setting.enabled else "off"
        action = setting.action if setting.enabled else "-"
        rows.append(f"{fault:<21} {sensitivity:<12} {action}")
    return "\n".join(["", "Fault Finder", "", f"{'Fault ID':<21} {'Sensitivity':<12} Action",
                      f"{'-' * 20:<21} {'-' * 11:<12} {'-' * 16}", *rows])


def show_fault_finder(call: Call) -> str:
    return render_fault_finder(call.device)


def set_fault(call: Call) -> None:
    fault = call.text("fault")
    setting = FaultSetting(not call.negated,
                           call.text("sensitivity", FAULT_SENSITIVITIES[0]),
                           call.text("action", FAULT_ACTIONS[0]))
    with refused():
        call.device.running.fault_set(KINDS.get(fault, fault), setting)


HELP: Final = {
    "show": SHOW_HELP,
    "fault-finder": "Enable/disable the detection of a port fault and set its response.",
    "sensitivity": "How readily the fault is detected.",
    "action": "What the switch does when it detects the fault.",
    "warn": "Log the fault.",
    "warn-and-disable": "Log the fault and disable the port.",
    "all": "Every kind of fault.",
}

_FAULT: Final = f"{{fault: all|{'|'.join(KINDS)}}}"

ROWS: Final = (
    Command("show fault-finder", show_fault_finder),
    *(Command(f"fault-finder {_FAULT} {tail}".strip(), set_fault, where=Where.CONFIG,
              level=Level.MANAGER)
      for tail in any_order(f"sensitivity {{sensitivity: {'|'.join(FAULT_SENSITIVITIES)}}}",
                            f"action {{action: {'|'.join(FAULT_ACTIONS)}}}")),
    Command(f"fault-finder {_FAULT}", None, where=Where.CONFIG, level=Level.MANAGER,
            negate=set_fault),
)
