"""SNMPv3 notifications (RFC 3413 section 3, RFC 3414 section 4) to the receivers that
`snmpv3 notify` selects by tag among `snmpv3 targetaddress` entries, sent as the user and at
the security level of the target's `snmpv3 params`.

A trap is a message this switch is authoritative for: our engine ID, boots and time, keys
localized to us (snmptrapd needs `createUser -e OUR-ENGINE-ID ...`). An inform's receiver is
the authoritative engine: the first inform to an address discovers its engine ID, boots and
time (an empty-engine-ID probe, answered by a usmStatsUnknownEngineIDs report), the user's
master keys are localized to that engine, and the InformRequest is sent again each `timeout`
until the Response comes, at most `retries` more times. An authenticated notInTimeWindows
report resynchronizes the clock and an unknownEngineIDs report rediscovers (each costs a try);
any other report (wrong digest, unknown user ...) ends the inform at once, since a receiver
that does not know the password will not learn it from a retransmission. Informs to one
address go one at a time, in order, so coldStart comes before the link changes: one worker
task per address takes them from a queue of at most QUEUE_DEPTH. While a receiver is down each
inform holds the worker (retries + 1) x timeout, so a burst (an authenticationFailure per bad
packet) keeps only the newest; the older ones are dropped and counted in INFORMS_DROPPED.
"""

from __future__ import annotations

import asyncio
import functools
import itertools
import random
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final

from emulator.config.model import Snmpv3Level
from emulator.device import Device
from snmp import ber
from snmp.ber import DecodeError, Oid, Pdu, Value
from snmp.message_v3 import (
    FLAG_AUTH,
    FLAG_PRIV,
    FLAG_REPORTABLE,
    LEVEL_OF_FLAGS,
    Incoming,
    Level,
    Outgoing,
    decode,
    decode_scoped,
    encode_scoped,
)
from snmp.users import Keys, User, count_boot, engine_id
from snmp.usm import USM_STATS, authentic, decrypt, seal

LEVELS: Final = {Snmpv3Level.NOAUTH: Level.NO_AUTH, Snmpv3Level.AUTH: Level.AUTH,
                 Snmpv3Level.PRIV: Level.PRIV}
NOT_IN_TIME_WINDOWS: Final = (*USM_STATS, 2, 0)
UNKNOWN_ENGINE_IDS: Final = (*USM_STATS, 4, 0)
MSG_ID_START: Final = 2**30
"""msgIDs start at a random value below this (they must stay below 2**31)."""
QUEUE_DEPTH: Final = 16
"""Informs that may wait for one receiver behind the one in flight."""
INFORMS_DROPPED: Final = "informsDropped"
"""The agent counter (an emulator extension, served by no MIB) of informs a full queue
dropped."""
Address = tuple[str, int]


@dataclass(frozen=True)
class Target:
    """One receiver of one kind of notification, resolved from the three config tables."""

    address: Address
    user_name: str
    level: Level
    inform: bool
    timeout: float
    """Seconds to wait for each answer (the config holds hundredths)."""
    retries: int


def targets(device: Device, default_port: int) -> list[Target]:
    """Every target a notify entry's tag selects and whose params exist (RFC 3413 section
    3.3); a target selected twice for the same kind gets one notification."""
    v3 = device.running.snmpv3
    found: dict[Target, None] = {}
    for notify in v3.notifies.values():
        for entry in v3.targets.values():
            params = v3.params.get(entry.params)
            if params is not None and notify.tag in entry.taglist:
                found[Target((str(entry.address), entry.udp_port or default_port),
                             params.user, LEVELS[params.level], notify.inform,
                             entry.timeout / 100, entry.retries)] = None
    return list(found)


@dataclass
class Peer:
    """A receiver's engine as last heard: its ID, boots and time then."""

    engine_id: bytes
    boots: int
    engine_time: int
    heard: float = field(default_factory=time.monotonic)

    def now(self) -> int:
        return self.engine_time + int(time.monotonic() - self.heard)


Queued = tuple[Target, User, list[tuple[Oid, Value]]]


class V3Notifier:
    """Sends the v3 notifications from the agent's socket (through `deliver`) and takes the
    answers to them (`received`) before the agent's USM sees them: they carry the receiver's
    engine ID."""

    def __init__(self, device: Device, deliver: Callable[[bytes, Address], None],
                 default_port: int) -> None:
        self.device = device
        self.deliver = deliver
        self.default_port = default_port
        self.engine_id = engine_id(device.inventory)
        self.keys = Keys(device.flash)
        self.request_ids = itertools.count(1)
        self.msg_ids = itertools.count(random.randrange(MSG_ID_START))
        self.salts = itertools.count(random.getrandbits(63))
        self.peers: dict[Address, Peer] = {}
        self.queues: dict[Address, deque[Queued]] = {}
        self.workers: dict[Address, asyncio.Task[None]] = {}
        self.waiting: dict[int, tuple[Address, asyncio.Future[Incoming]]] = {}

    def send(self, varbinds: list[tuple[Oid, Value]]) -> None:
        """To every v3 target whose user exists and can speak the params' level."""
        v3 = self.device.running.snmpv3
        chosen = targets(self.device, self.default_port) if v3.enabled else []
        if not chosen:
            return
        keys = self.keys.users()
        for target in chosen:
            user = keys.get(target.user_name, User())
            if target.user_name not in v3.users or user.level < target.level:
                continue
            self.device.count_snmp("snmpOutTraps")
            if target.inform:
                self.enqueue((target, user, varbinds))
            else:
                self.trap(target, user, varbinds)

    def enqueue(self, queued: Queued) -> None:
        """Behind the informs already waiting for the same address (a full queue drops its
        oldest); the address's worker starts when none is running."""
        address = queued[0].address
        queue = self.queues.setdefault(address, deque(maxlen=QUEUE_DEPTH))
        if len(queue) == queue.maxlen:
            self.device.count_snmp(INFORMS_DROPPED)
        queue.append(queued)
        if address not in self.workers:
            self.workers[address] = asyncio.get_running_loop().create_task(
                self.work(address, queue))

    async def work(self, address: Address, queue: deque[Queued]) -> None:
        try:
            while queue:
                await self.inform(*queue.popleft())
        finally:
            del self.workers[address], self.queues[address]

    def trap(self, target: Target, user: User, varbinds: list[tuple[Oid, Value]]) -> None:
        pdu = Pdu(ber.TRAP_V2, next(self.request_ids), 0, 0, varbinds)
        header = Outgoing(next(self.msg_ids), 0, self.engine_id, count_boot(self.device),
                          self.device.engine_time(), target.user_name.encode(), 0, b"",
                          encode_scoped(self.engine_id, b"", pdu))
        self.deliver(seal(header, target.level, user, next(self.salts)), target.address)

    async def inform(self, target: Target, user: User,
                     varbinds: list[tuple[Oid, Value]]) -> bool:
        """True when the receiver acknowledged the inform."""
        pdu = Pdu(ber.INFORM, next(self.request_ids), 0, 0, varbinds)
        scoped = encode_scoped(self.engine_id, b"", pdu)
        for _ in range(target.retries + 1):
            peer = self.peers.get(target.address) or await self.discover(target)
            if peer is None:
                continue
            keys = user.localized(peer.engine_id)
            if keys is None:
                return False
            reply = await self.exchange(
                target, functools.partial(self.sealed, target, peer, keys, scoped))
            answer = None if reply is None else self.open(reply, keys)
            if reply is None or answer is None:
                continue
            if answer.type == ber.RESPONSE:
                if answer.request_id == pdu.request_id and LEVEL_OF_FLAGS.get(
                        reply.flags & (FLAG_AUTH | FLAG_PRIV)) is target.level:
                    self.device.count_snmp("snmpInGetResponses")
                    return True
                continue  # not ours, or below our level: as if lost
            report = answer.varbinds[0][0] if answer.type == ber.REPORT \
                and answer.varbinds else None
            if report == NOT_IN_TIME_WINDOWS and reply.flags & FLAG_AUTH:
                self.peers[target.address] = Peer(reply.engine_id, reply.boots,
                                                  reply.engine_time)
            elif report == UNKNOWN_ENGINE_IDS:
                self.peers.pop(target.address, None)
            else:
                return False
        return False

    def sealed(self, target: Target, peer: Peer, keys: User, scoped: bytes,
               msg_id: int) -> bytes:
        """An inform for the receiver's engine, at its clock as we last heard it."""
        return seal(Outgoing(msg_id, FLAG_REPORTABLE, peer.engine_id, peer.boots, peer.now(),
                             target.user_name.encode(), 0, b"", scoped),
                    target.level, keys, next(self.salts))

    async def discover(self, target: Target) -> Peer | None:
        """RFC 3414 section 4: a noAuthNoPriv request with empty engine ID and user name;
        the report names the receiver's engine (and, from net-snmp, its boots and time)."""
        probe = encode_scoped(b"", b"", Pdu(ber.GET, next(self.request_ids)))
        reply = await self.exchange(target, lambda msg_id: seal(
            Outgoing(msg_id, FLAG_REPORTABLE, b"", 0, 0, b"", 0, b"", probe),
            Level.NO_AUTH, User(), 0))
        if reply is None or not reply.engine_id:
            return None
        peer = Peer(reply.engine_id, reply.boots, reply.engine_time)
        self.peers[target.address] = peer
        return peer

    @staticmethod
    def open(reply: Incoming, keys: User) -> Pdu | None:
        """The PDU of an answer; None when it is forged or garbled (then it is ignored)."""
        if reply.flags & FLAG_AUTH and not authentic(reply, keys):
            return None
        try:
            return decode_scoped(decrypt(reply, keys) if reply.encrypted else reply.scoped)[2]
        except DecodeError:
            return None

    async def exchange(self, target: Target, build: Callable[[int], bytes]) -> Incoming | None:
        """Send the message `build` makes for a fresh msgID; its answer, or None after
        `timeout` (RFC 3412: every retransmission has its own msgID)."""
        msg_id = next(self.msg_ids)
        future: asyncio.Future[Incoming] = asyncio.get_running_loop().create_future()
        self.waiting[msg_id] = (target.address, future)
        try:
            self.deliver(build(msg_id), target.address)
            return await asyncio.wait_for(future, target.timeout)
        except TimeoutError:
            return None
        finally:
            del self.waiting[msg_id]

    def received(self, data: bytes, addr: Address) -> bool:
        """Whether `data` answers one of our messages (our msgID, from where it went)."""
        if not self.waiting:
            return False
        try:
            incoming = decode(data)
        except DecodeError:
            return False
        waiting = self.waiting.get(incoming.msg_id)
        if waiting is None or waiting[0] != addr:
            return False
        if not waiting[1].done():
            waiting[1].set_result(incoming)
        return True

    def close(self) -> None:
        for task in list(self.workers.values()):
            task.cancel()
