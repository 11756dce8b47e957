"""`module <slot> type <module-type>`: the interface module a slot is configured for, the slot
by letter or by the number K.15 prints for some chassis. The hardware wins over the config: a
line naming another module, or an empty slot, is refused with the switch's message, and the
slot keeps what is installed (HP's zl module guides: a module of another type in a slot needs
a reboot and may need the switch reconfigured; the configuration of a slot applies to a module
of the same type only). A new chassis is built from its startup config's lines, so they agree
(chassis/start.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from emulator.cli.grammar import CliError, Command, Level, Where
from emulator.hardware import SLOTS, ModuleType, module_type_for_config, slot_letter

if TYPE_CHECKING:
    from emulator.cli.context import Call

MODULE_ABSENT: Final = "Module {slot} is not present."
MODULE_MISMATCH: Final = "Module {slot} type mismatch: {configured} configured, {installed} found."


@dataclass(frozen=True)
class Slot:
    """A chassis slot: its letter, `a` or `A`, or the number K.15 prints for some chassis
    (`module 1 type j9534a` is slot A)."""

    placeholder: str = "<" + SLOTS[0] + "-" + SLOTS[-1] + ">"

    def parse(self, token: str) -> str:
        return slot_letter(token)


@dataclass(frozen=True)
class ModuleProduct:
    """A module product number as the config writes it (`j8702a`)."""

    placeholder: str = "MODULE-TYPE"

    def parse(self, token: str) -> ModuleType:
        module = module_type_for_config(token)
        if module is None:
            raise ValueError(token)
        return module


def set_module(call: Call) -> None:
    slot = call.text("slot")
    module = call.value("module-type", ModuleType)
    installed = call.device.inventory.modules.get(slot)
    if installed is None:
        raise CliError(MODULE_ABSENT.format(slot=slot))
    if installed != module.product:
        raise CliError(MODULE_MISMATCH.format(slot=slot, configured=module.config_name,
                                              installed=installed.lower()))


HELP: Final = {
    "module": "Configure a module in a slot.",
    "slot": "The slot the module is in.",
    "type": "The type of the module.",
    "module-type": "The module's product number.",
}

ROWS: Final = (
    Command("module <slot> type <module-type>", set_module, where=Where.CONFIG,
            level=Level.MANAGER, params={"slot": Slot(), "module-type": ModuleProduct()}),
)
