"""`[no] autorun`, `[no] dhcp config-file-update|image-file-update` and `[no]
include-credentials`: switch-wide flags nearly every real K.15 config carries (`no autorun`
and the two `no dhcp` lines close it). They are kept and written back; the emulator has no USB
port and fetches nothing by DHCP, so nothing else reads them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from emulator.cli.grammar import Command, Level, Where
from emulator.config.model import DHCP_UPDATES

if TYPE_CHECKING:
    from emulator.cli.context import Call


def set_autorun(call: Call) -> None:
    call.device.running.set_autorun(not call.negated)


def set_dhcp_update(call: Call) -> None:
    call.device.running.set_dhcp_update(call.text("kind"), not call.negated)


def set_include_credentials(call: Call) -> None:
    """A startup config holding `include-credentials` brings its accounts in its own
    `password ... sha1` lines: those kept on flash are erased first, as the manual says."""
    if not call.negated and not call.session.interactive:
        call.device.credentials.forget_hashed()
        call.device.running.set_passwords(call.device.credentials.levels(),
                                          call.device.credentials.hashes())
    call.device.running.set_include_credentials(not call.negated)


HELP: Final = {
    "autorun": "Enable/disable autorun of a configuration or image from a USB device.",
    "dhcp": "Configure DHCP-driven configuration and image updates.",
    "config-file-update": "Enable/disable the configuration file update through DHCP.",
    "image-file-update": "Enable/disable the image file update through DHCP.",
    "include-credentials": "Store security credentials in the configuration.",
}

ROWS: Final = (
    Command("autorun", set_autorun, where=Where.CONFIG, level=Level.MANAGER,
            negate=set_autorun),
    Command(f"dhcp {{kind: {'|'.join(DHCP_UPDATES)}}}", set_dhcp_update, where=Where.CONFIG,
            level=Level.MANAGER, negate=set_dhcp_update),
    Command("include-credentials", set_include_credentials, where=Where.CONFIG,
            level=Level.MANAGER, negate=set_include_credentials),
)
