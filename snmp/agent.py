"""The SNMP agent of the active management module: v1/v2c over the lean codec on the UDP
socket the chassis hands over, answering from the MIB view of the live Device.

Communities come from the running config (operator: read; manager unrestricted: read-write).
A bad community gets no answer (snmpInBadCommunityNames counts, and an authenticationFailure
notification goes out when enabled); malformed packets are dropped (snmpInASNParseErrs).
Requests that need the fabric's counters, and SETs (which program the fabric), are answered
from a task; everything else is answered inside the datagram callback.

SNMPv3 (after `snmpv3 enable`) goes through the USM (snmp/usm.py) and then the same path, with
the access of the user's group; `snmpv3 only` silences v1/v2c, `snmpv3 restricted-access` makes
every community read-only. With `ip authorized-managers`, only the stations it lists are
answered, an operator-level one read-only.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Final, cast

from emulator.config.access import authorized_level
from emulator.config.model import CommunityAccess
from emulator.device import Device
from snmp import ber
from snmp.ber import MAX_MESSAGE, Message, Oid, Pdu, Value
from snmp.mib import MibView, Snapshot
from snmp.mibs import view
from snmp.notify import Notifier, Report
from snmp.users import count_boot
from snmp.usm import Usm, V3Message

VERSIONS: Final = (ber.V1, ber.V2C, ber.V3)
MAX_BULK_VARBINDS: Final = 1024
"""GETBULK answers stop here even when the message would still fit."""
LENGTH_SLACK: Final = 24
"""Octets a message may grow by beyond its var-binds once the list is long: five enclosing
lengths (list, PDU, ScopedPDU, encryptedPDU, message) turn long-form (+2 each), DES pads to 8
octets (+7), and the engine time may gain an octet."""
V1_ERRORS: Final = {
    ber.NO_ACCESS: ber.NO_SUCH_NAME, ber.NOT_WRITABLE: ber.NO_SUCH_NAME,
    ber.WRONG_TYPE: ber.BAD_VALUE, ber.WRONG_LENGTH: ber.BAD_VALUE,
    ber.WRONG_VALUE: ber.BAD_VALUE, ber.INCONSISTENT_VALUE: ber.BAD_VALUE,
}
"""RFC 2576 section 4.3: v2 error-status values a v1 manager understands."""
V2_EXCEPTIONS: Final = frozenset({ber.NO_SUCH_OBJECT, ber.NO_SUCH_INSTANCE, ber.END_OF_MIB_VIEW})
REQUEST_COUNTERS: Final = {ber.GET: "snmpInGetRequests", ber.GETNEXT: "snmpInGetNexts",
                           ber.GETBULK: "snmpInGetNexts", ber.SET: "snmpInSetRequests"}


class Access:
    READ = "read"
    WRITE = "write"


def community_access(device: Device, community: bytes) -> str | None:
    for entry in device.running.communities:
        if entry.name.encode() == community:
            write = (entry.access is CommunityAccess.MANAGER and not entry.restricted
                     and not device.running.snmpv3.restricted_access)
            return Access.WRITE if write else Access.READ
    return None


@dataclass
class Agent(asyncio.DatagramProtocol):
    device: Device
    mib: MibView = field(default_factory=view)
    transport: asyncio.DatagramTransport | None = None
    notifier: Notifier | None = None
    tasks: set[asyncio.Task[None]] = field(default_factory=set)
    closed: asyncio.Event = field(default_factory=asyncio.Event)
    usm: Usm | None = None
    """The v3 engine, made when the first v3 message arrives."""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # CPython's selector datagram transport does not subclass DatagramTransport.
        self.transport = cast(asyncio.DatagramTransport, transport)

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed.set()

    def error_received(self, exc: Exception) -> None:
        """A send failed (asyncio tells the protocol, not the sender): when it was a
        notification the notifier reports its receiver; a lost answer to a manager is as if
        lost on the wire (the manager retries)."""
        if self.notifier is not None:
            self.notifier.send_failed(exc)

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        self.device.count_snmp("snmpInPkts")
        v3 = self.device.running.snmpv3
        try:
            version = ber.message_version(data)
            if version not in VERSIONS or (not v3.enabled if version == ber.V3 else v3.only):
                self.device.count_snmp("snmpInBadVersions")
                return
            if version == ber.V3:
                self.v3_received(data, addr)
                return
            message = ber.decode_message(data)
        except ber.DecodeError:
            self.device.count_snmp("snmpInASNParseErrs")
            return
        pdu = message.pdu
        if pdu.type == ber.RESPONSE:
            self.device.count_snmp("snmpInGetResponses")
            return
        access = community_access(self.device, message.community)
        if access is None:
            self.device.count_snmp("snmpInBadCommunityNames")
            if self.notifier is not None:
                self.notifier.authentication_failure()
            return
        self.dispatch(message, addr, access)

    def v3_received(self, data: bytes, addr: tuple[str, int]) -> None:
        """Through USM: a report goes straight back; a request without access through its
        group (none, or a security level below the group's) gets authorizationError. Answers
        to our informs (the receiver's engine ID, our msgID) go to the notifier first."""
        if self.notifier is not None and self.notifier.v3_received(data, addr):
            return
        if self.usm is None:
            self.usm = Usm(self.device)
        outcome = self.usm.receive(data)
        if isinstance(outcome, bytes):
            self.send_raw(outcome, addr)
            return
        if outcome is None:
            return
        if outcome.pdu.type in (ber.RESPONSE, ber.REPORT):
            self.device.count_snmp("snmpInGetResponses")
            return
        write = self.usm.access(outcome)
        if write is None:
            self.send(outcome, Pdu(ber.RESPONSE, outcome.pdu.request_id,
                                   ber.AUTHORIZATION_ERROR, 0, outcome.pdu.varbinds), addr)
            return
        self.dispatch(outcome, addr, Access.WRITE if write else Access.READ)

    def dispatch(self, message: Message, addr: tuple[str, int], access: str) -> None:
        """`ip authorized-managers` has the last word: a station outside it gets no answer,
        one authorized as operator only reads."""
        ceiling = authorized_level(self.device.running.authorized_managers, addr[0], "snmp")
        if ceiling is None:
            self.device.count_snmp("snmpSilentDrops")
            return
        if ceiling == "operator":
            access = Access.READ
        pdu = message.pdu
        counter = REQUEST_COUNTERS.get(pdu.type)
        if counter is None:
            self.device.count_snmp("snmpSilentDrops")
            return
        self.device.count_snmp(counter)
        if pdu.type == ber.SET or (
                pdu.type != ber.GET or self.mib.live(oid for oid, _ in pdu.varbinds)):
            task = asyncio.get_running_loop().create_task(self.answer_later(message, addr, access))
            self.tasks.add(task)
            task.add_done_callback(self.tasks.discard)
            return
        self.send(message, self.respond(message, Snapshot(self.device)), addr)

    async def answer_later(self, message: Message, addr: tuple[str, int], access: str) -> None:
        """A SET, or a read that may touch the fabric's live tables."""
        if message.pdu.type == ber.SET:
            reply = await self.set(message, access)
        else:
            await self.device.refresh()
            reply = self.respond(message, Snapshot(self.device))
        self.send(message, reply, addr)

    def send(self, request: Message, reply: Pdu, addr: tuple[str, int]) -> None:
        data = self.encode(request, reply)
        if len(data) > self.limit(request):
            data = self.encode(request, self.too_big(request))
        self.device.count_snmp("snmpOutGetResponses")
        self.send_raw(data, addr)

    def too_big(self, request: Message) -> Pdu:
        """The answer to a request whose answer would not fit (RFC 3416 section 4.2.1: no
        var-binds; RFC 1157: v1 echoes the request's)."""
        self.device.count_snmp("snmpOutTooBigs")
        return Pdu(ber.RESPONSE, request.pdu.request_id, ber.TOO_BIG, 0,
                   request.pdu.varbinds if request.version == ber.V1 else [])

    @staticmethod
    def limit(request: Message) -> int:
        """The largest answer to send: ours, or a v3 manager's msgMaxSize when smaller."""
        return min(MAX_MESSAGE, request.max_size) if isinstance(request, V3Message) \
            else MAX_MESSAGE

    def room(self, request: Message, slack: int = LENGTH_SLACK) -> int:
        """Octets left for an answer's var-binds: the limit less the message around them (for
        v3 the USM header, ScopedPDU and cipher too), measured on the empty answer, less
        `slack` for the enclosing lengths' growth (0: var-binds past it surely do not fit)."""
        empty = Pdu(ber.RESPONSE, request.pdu.request_id)
        return self.limit(request) - len(self.encode(request, empty)) - slack

    def encode(self, request: Message, reply: Pdu) -> bytes:
        if isinstance(request, V3Message):
            assert self.usm is not None
            return self.usm.wrap(request, reply)
        return ber.encode_message(Message(request.version, request.community, reply))

    def send_raw(self, data: bytes, addr: tuple[str, int]) -> None:
        if self.transport is None or self.transport.is_closing():
            return
        self.device.count_snmp("snmpOutPkts")
        self.transport.sendto(data, addr)

    def respond(self, message: Message, snap: Snapshot) -> Pdu:
        pdu, v1 = message.pdu, message.version == ber.V1
        self.device.count_snmp("snmpInTotalReqVars", len(pdu.varbinds))
        if pdu.type == ber.GETBULK:
            return Pdu(ber.RESPONSE, pdu.request_id, 0, 0,
                       self.bulk(snap, pdu, self.room(message)))
        # The answer stops growing at the message size: work per request is bounded by what
        # can be sent, however many var-binds a datagram carries.
        room = self.room(message, slack=0)
        results: list[tuple[Oid, Value]] = []
        for number, (oid, _) in enumerate(pdu.varbinds, 1):
            found = (self.next_v1(snap, oid) if v1 else self.next(snap, oid)) \
                if pdu.type == ber.GETNEXT else (oid, self.mib.get(snap, oid))
            value = found[1]
            if v1 and (value.tag in V2_EXCEPTIONS or value.tag == ber.COUNTER64):
                self.device.count_snmp("snmpOutNoSuchNames")
                return Pdu(ber.RESPONSE, pdu.request_id, ber.NO_SUCH_NAME, number,
                           pdu.varbinds)
            room -= len(ber.encode_varbind(*found))
            if room < 0:
                return self.too_big(message)
            results.append(found)
        return Pdu(ber.RESPONSE, pdu.request_id, 0, 0, results)

    def next(self, snap: Snapshot, oid: Oid) -> tuple[Oid, Value]:
        found = self.mib.next(snap, oid)
        return (oid, Value(ber.END_OF_MIB_VIEW)) if found is None else (found.oid, found.value)

    def next_v1(self, snap: Snapshot, oid: Oid) -> tuple[Oid, Value]:
        """v1 cannot carry Counter64: such objects are skipped (RFC 2576 section 4.1.2.1),
        a whole column at a time (a column has one syntax), not row by row."""
        while True:
            found = self.next(snap, oid)
            if found[1].tag != ber.COUNTER64:
                return found
            oid = self.mib.past_column(found[0])

    def bulk(self, snap: Snapshot, pdu: Pdu, room: int) -> list[tuple[Oid, Value]]:
        """RFC 3416 section 4.2.3: the answer stops early at the end of the view, at
        MAX_BULK_VARBINDS, or before the first var-bind that would not fit in `room` octets
        (fewer var-binds, never tooBig; the manager asks again from where it ended)."""
        results: list[tuple[Oid, Value]] = []
        for found in self.repeated(snap, pdu):
            room -= len(ber.encode_varbind(*found))
            if room < 0 or len(results) >= MAX_BULK_VARBINDS:
                break
            results.append(found)
        return results

    def repeated(self, snap: Snapshot, pdu: Pdu) -> Iterator[tuple[Oid, Value]]:
        """The var-binds of a whole GETBULK answer in order, made only as far as they are
        taken: each non-repeater's successor, then one row of the repeaters per repetition
        until every repeater has reached the end of the view."""
        requested = pdu.varbinds
        non_repeaters = min(max(pdu.error_status, 0), len(requested))
        for oid, _ in requested[:non_repeaters]:
            yield self.next(snap, oid)
        cursors = [oid for oid, _ in requested[non_repeaters:]]
        for _ in range(max(pdu.error_index, 0) if cursors else 0):
            ended = True
            for i, cursor in enumerate(cursors):
                found = self.next(snap, cursor)
                yield found
                cursors[i] = found[0]
                ended = ended and found[1].tag == ber.END_OF_MIB_VIEW
            if ended:
                return

    async def set(self, message: Message, access: str) -> Pdu:
        """All or nothing: the SET is tried on a copy of the running config first, then
        applied to the running config and pushed to the fabric like a CLI command."""
        pdu, v1 = message.pdu, message.version == ber.V1
        self.device.count_snmp("snmpInTotalSetVars", len(pdu.varbinds))
        snap = Snapshot(self.device)
        if access != Access.WRITE:
            self.device.count_snmp("snmpInBadCommunityUses")
            status, index = ber.NO_ACCESS, 1
        else:
            status, index = self.mib.set(snap, self.device.running.copy(), pdu.varbinds)
        if status == ber.NO_ERROR:
            self.mib.set(snap, self.device.running, pdu.varbinds)
            await self.device.commit()
            return Pdu(ber.RESPONSE, pdu.request_id, 0, 0, pdu.varbinds)
        if v1:
            status = V1_ERRORS.get(status, status)
        return Pdu(ber.RESPONSE, pdu.request_id, status, index, pdu.varbinds)

    def close(self) -> None:
        for task in self.tasks:
            task.cancel()
        if self.notifier is not None:
            self.notifier.close()
        if self.transport is not None:
            self.transport.close()

    async def wait_closed(self) -> None:
        await self.closed.wait()


async def start_agent(sock: socket.socket, device: Device, report: Report,
                      notify: bool = True) -> Agent:
    """Serve SNMP on the chassis' bound UDP socket. The agent starts as the switch's
    management stack comes up, so with `notify` receivers get coldStart now (sysUpTime near
    zero) and link changes from then on; a receiver it cannot reach goes to `report`."""
    sock.setblocking(False)
    count_boot(device)
    agent = Agent(device)
    await asyncio.get_running_loop().create_datagram_endpoint(lambda: agent, sock=sock)
    assert agent.transport is not None
    if notify:
        agent.notifier = Notifier(device, agent.transport, report)
        device.on_link_change.append(agent.notifier.link_changed)
        device.on_loop_detected.append(agent.notifier.loop_detected)
        agent.notifier.cold_start()
    return agent
