"""`[no] lldp run` and `lldp admin-status PORTS txonly|rxonly|tx_rx|disable`: whether the
switch speaks LLDP at all and, per port, whether it sends, learns, both or neither. Written
before the VLAN blocks, shown by `show lldp config`, and programmed into the fabric's LLDP
(emulator/fabric/process.py): a port that stops sending says so with a shutdown advert (TTL
0), one that stops learning forgets its neighbours."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from emulator.cli.grammar import PORT_LIST, Command, Level, Where
from emulator.commands.format import refused
from emulator.config.model import LLDP_ADMIN_STATUSES

if TYPE_CHECKING:
    from emulator.cli.context import Call


def set_run(call: Call) -> None:
    call.device.running.set_lldp_run(not call.negated)


def set_admin_status(call: Call) -> None:
    with refused():
        call.device.running.lldp_set_admin(call.ports("port-list"), call.text("status"))


HELP: Final = {
    "lldp": "Configure LLDP parameters.",
    "run": "Start or stop LLDP on this switch.",
    "admin-status": "Set the LLDP transmit and receive mode of the ports.",
    "port-list": "The ports the mode applies to.",
    "txonly": "Send LLDP adverts, ignore those received.",
    "rxonly": "Learn from LLDP adverts, send none.",
    "tx_rx": "Send and learn (the default).",
    "disable": "Neither send nor learn.",
}

ROWS: Final = (
    Command("lldp run", set_run, where=Where.CONFIG, level=Level.MANAGER, negate=set_run),
    Command(f"lldp admin-status <port-list> {{status: {'|'.join(LLDP_ADMIN_STATUSES)}}}",
            set_admin_status, where=Where.CONFIG, level=Level.MANAGER,
            params={"port-list": PORT_LIST}),
)
