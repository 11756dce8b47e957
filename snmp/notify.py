"""Notifications to the receivers of `snmp-server host ADDR community NAME [inform]` and to the
SNMPv3 targets of `snmpv3 notify` (snmp/notify_v3.py): coldStart when the agent starts (on
every module that becomes active, so after a switchover it comes from the new active with
sysUpTime restarted), linkDown/linkUp with the IF-MIB var-binds for every carrier change,
authenticationFailure when `snmp-server enable traps authentication` is set, and HP-ICF-BRIDGE's
loop-detected notification when `loop-protect trap loop-detected` is set.

To `snmp-server host` receivers they leave from the agent's own socket as SNMPv2c Trap-PDUs
(Inform-PDUs for `inform` receivers; an acknowledged inform is counted, an unanswered one is
not retried). A receiver the socket cannot reach (the agent listens on 127.0.0.1, the receiver
is elsewhere) is reported once, until a send to it succeeds again, through the reporter the
module process hands in (its stderr): the SNMP side imports no process module. The real CLI
has no trap port for `snmp-server host`: receivers get UDP 162 unless PROCURVE_SNMP_TRAP_PORT
names another, an emulator extension so that tests and labs can run snmptrapd unprivileged
(it is also the default of an SNMPv3 target without `udp-port`).
"""

from __future__ import annotations

import asyncio
import itertools
import os
from collections.abc import Callable
from typing import Final

from emulator import hardware
from emulator.device import Device
from snmp import ber
from snmp.ber import Message, Oid, Pdu, Value
from snmp.mib import Snapshot, counter32, integer, object_id, timeticks
from snmp.mibs import view
from snmp.mibs.hp_bridge import (
    LOOP_COUNT,
    LOOP_DETECTED_NOTIFICATION,
    RECEIVER_ACTION,
    receiver_action,
)
from snmp.mibs.if_mib import DOWN, UP
from snmp.notify_v3 import Address, V3Notifier

TRAP_PORT_ENV: Final = "PROCURVE_SNMP_TRAP_PORT"
TRAP_PORT: Final = 162
SYS_UPTIME_0: Final = (1, 3, 6, 1, 2, 1, 1, 3, 0)
SNMP_TRAP_OID_0: Final = (1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0)
SNMP_TRAPS: Final = (1, 3, 6, 1, 6, 3, 1, 1, 5)
COLD_START: Final = (*SNMP_TRAPS, 1)
LINK_DOWN: Final = (*SNMP_TRAPS, 3)
LINK_UP: Final = (*SNMP_TRAPS, 4)
AUTHENTICATION_FAILURE: Final = (*SNMP_TRAPS, 5)
IF_ENTRY: Final = (1, 3, 6, 1, 2, 1, 2, 2, 1)
LINK_VARBIND_COLUMNS: Final = (1, 7, 8)
"""ifIndex, ifAdminStatus, ifOperStatus: the objects of the linkUp/linkDown NOTIFICATION-TYPE."""
Report = Callable[[str, str], None]
"""(slot, text): a line for whoever runs the module process (emulator.module.report)."""


def trap_port() -> int:
    return int(os.environ.get(TRAP_PORT_ENV, TRAP_PORT))


class Notifier:
    def __init__(self, device: Device, transport: asyncio.DatagramTransport,
                 report: Report) -> None:
        self.device = device
        self.transport = transport
        self.report = report
        self.request_ids = itertools.count(1)
        self.port = trap_port()
        self.sending: Address | None = None
        """Where the datagram being sent goes: asyncio hands a send error to the agent's
        error_received, without the address."""
        self.failure: Exception | None = None
        self.unreachable: set[Address] = set()
        """Receivers whose last send failed: reported once, again only after a success."""
        self.v3 = V3Notifier(device, self.deliver, self.port)

    def send(self, trap: Oid, varbinds: list[tuple[Oid, Value]]) -> None:
        if self.transport.is_closing():
            return
        snap = Snapshot(self.device)
        head = [(SYS_UPTIME_0, timeticks(snap.uptime)), (SNMP_TRAP_OID_0, object_id(trap))]
        for receiver in self.device.running.trap_receivers:
            kind = ber.INFORM if receiver.inform else ber.TRAP_V2
            data = ber.encode_message(Message(ber.V2C, receiver.community.encode(), Pdu(
                kind, next(self.request_ids), 0, 0, head + varbinds)))
            self.deliver(data, (str(receiver.address), self.port))
            self.device.count_snmp("snmpOutTraps")
        self.v3.send(head + varbinds)

    def deliver(self, data: bytes, address: Address) -> None:
        """Send one notification datagram (or inform retransmission, or probe) and report a
        receiver it cannot reach, once per outage rather than once per notification."""
        if self.transport.is_closing():
            return
        self.device.count_snmp("snmpOutPkts")
        self.sending, self.failure = address, None
        try:
            self.transport.sendto(data, address)
        finally:
            self.sending = None
        if self.failure is None:
            self.unreachable.discard(address)
        elif address not in self.unreachable:
            self.unreachable.add(address)
            self.report(self.device.slot, f"SNMP notifications to {address[0]} port {address[1]} "
                                          f"cannot be sent: {self.failure}")

    def send_failed(self, exc: Exception) -> None:
        """The agent's socket refused a datagram: ours, when one is being sent."""
        if self.sending is not None:
            self.failure = exc

    def v3_received(self, data: bytes, addr: Address) -> bool:
        """Whether a v3 message was the answer to one of our informs (and is now taken)."""
        return self.v3.received(data, addr)

    def cold_start(self) -> None:
        self.send(COLD_START, [])

    def link_changed(self, port: str, up: bool) -> None:
        index = hardware.if_index(port)
        snap, mib = Snapshot(self.device), view()
        oids: list[Oid] = [(*IF_ENTRY, column, index) for column in LINK_VARBIND_COLUMNS]
        varbinds = [(oid, mib.get(snap, oid)) for oid in oids[:2]]
        # The reset before a port comes up is reported after the fact: say what it was then.
        varbinds.append((oids[2], integer(UP if up else DOWN)))
        self.send(LINK_UP if up else LINK_DOWN, varbinds)

    def authentication_failure(self) -> None:
        if self.device.running.snmp_auth_traps:
            self.send(AUTHENTICATION_FAILURE, [])

    def close(self) -> None:
        self.v3.close()

    def loop_detected(self, port: str, count: int, action: str) -> None:
        """A protected port saw its own loop-protect frame come back (the fabric's count)."""
        if not self.device.running.loop_protect_trap:
            return
        index = hardware.if_index(port)
        self.send(LOOP_DETECTED_NOTIFICATION, [
            ((*IF_ENTRY, 1, index), integer(index)),
            ((*LOOP_COUNT, index), counter32(count)),
            ((*RECEIVER_ACTION, index), integer(receiver_action(action))),
        ])
