"""The User-based Security Model (RFC 3414), authoritative side, in front of the same lean
agent that serves v1/v2c: a v3 message (snmp/message_v3.py) is authenticated, checked for
timeliness and decrypted (snmp/crypto.py, with the keys of snmp/users.py), then its scoped PDU
goes to the agent like a v2c PDU, with the access of the user's group (`snmpv3 group`). Every
refusal is a Report (when the manager asked for one) counted in usmStats, never an exception
out of the datagram callback. The same sealing serves the notifications (snmp/notify_v3.py).

The pysnmp engine would cost about 28 MiB per module and 2 ms per request; USM is only hashing,
HMAC and a block cipher around the codec in ber.py, so it is done here, and pysnmp and net-snmp
are the oracles in the tests.
"""

from __future__ import annotations

import contextlib
import hmac
import itertools
import random
from dataclasses import dataclass, field, replace
from typing import Final

from emulator.config.model import Snmpv3Group
from emulator.device import Device
from snmp import ber
from snmp.ber import DecodeError, Message, Oid, Pdu, Value, tlv
from snmp.crypto import AUTH, PRIV
from snmp.message_v3 import (
    FLAG_AUTH,
    FLAG_PRIV,
    FLAG_REPORTABLE,
    FLAGS_OF_LEVEL,
    LEVEL_OF_FLAGS,
    USM,
    Incoming,
    Level,
    Outgoing,
    decode,
    decode_scoped,
    encode,
    encode_scoped,
)
from snmp.users import MAX_BOOTS, Keys, User, count_boot, engine_id

TIME_WINDOW: Final = 150
"""Seconds a message's engine time may differ from ours (RFC 3414 section 3.2 step 7)."""
USM_STATS: Final = (1, 3, 6, 1, 6, 3, 15, 1, 1)
MPD_STATS: Final = (1, 3, 6, 1, 6, 3, 11, 2, 1)
USM_COUNTERS: Final = {1: "usmStatsUnsupportedSecLevels", 2: "usmStatsNotInTimeWindows",
                       3: "usmStatsUnknownUserNames", 4: "usmStatsUnknownEngineIDs",
                       5: "usmStatsWrongDigests", 6: "usmStatsDecryptionErrors"}
MPD_COUNTERS: Final = {1: "snmpUnknownSecurityModels", 2: "snmpInvalidMsgs",
                       3: "snmpUnknownPDUHandlers"}
"""SNMP-USER-BASED-SM-MIB usmStats and SNMP-MPD-MIB snmpMPDStats, by sub-identifier."""
UNKNOWN_CONTEXTS: Final = "snmpUnknownContexts"
UNKNOWN_CONTEXTS_OID: Final = (1, 3, 6, 1, 6, 3, 12, 1, 5, 0)
"""SNMP-TARGET-MIB snmpUnknownContexts: a context name this agent does not serve."""

GROUP_ACCESS: Final = {
    Snmpv3Group.MANAGER_PRIV: (Level.PRIV, True),
    Snmpv3Group.MANAGER_AUTH: (Level.AUTH, True),
    Snmpv3Group.OPERATOR_AUTH: (Level.AUTH, False),
    Snmpv3Group.OPERATOR_NO_AUTH: (Level.NO_AUTH, False),
}
"""The switch's predefined v3 groups: the least security level a member's requests must have,
and whether they may write (the manager views) or only read (the operator views)."""


def authentic(incoming: Incoming, user: User) -> bool:
    """msgAuthenticationParameters are the HMAC of the whole message with them zeroed
    (RFC 3414 section 3.2 step 6), keyed with `user`'s key for the message's engine."""
    if user.auth is None:
        return False
    protocol = AUTH[user.auth]
    at, size = incoming.auth_at, len(incoming.auth_params)
    blank = incoming.data[:at] + bytes(size) + incoming.data[at + size:]
    return size == protocol.digest_size and hmac.compare_digest(
        protocol.sign(user.auth_key, blank), incoming.auth_params)


def decrypt(incoming: Incoming, user: User) -> bytes:
    """The ScopedPDU of an encrypted message (DecodeError when it cannot be had)."""
    if user.priv is None or not incoming.encrypted:
        raise DecodeError("not an encrypted message")
    return PRIV[user.priv].decrypt(user.priv_key, incoming.boots, incoming.engine_time,
                                   incoming.priv_params, incoming.scoped)


def seal(header: Outgoing, level: Level, user: User, salt: int) -> bytes:
    """`header` (whose msg_data is the plaintext ScopedPDU) as sent at `level`: encrypted
    with the privacy key, then signed with the authentication key (RFC 3414 section 3.1)."""
    msg_data, priv_params = header.msg_data, b""
    if level is Level.PRIV and user.priv is not None:
        cipher, priv_params = PRIV[user.priv].encrypt(user.priv_key, header.boots,
                                                      header.engine_time, salt, msg_data)
        msg_data = tlv(ber.OCTET_STRING, cipher)
    protocol = AUTH[user.auth] if level >= Level.AUTH and user.auth is not None else None
    message, at = encode(replace(header, flags=header.flags | FLAGS_OF_LEVEL[level],
                                 auth_size=protocol.digest_size if protocol else 0,
                                 priv_params=priv_params, msg_data=msg_data))
    if protocol is None:
        return message
    digest = protocol.sign(user.auth_key, message)
    return message[:at] + digest + message[at + len(digest):]


@dataclass
class V3Message(Message):
    """A v3 request the agent answers like a v2c one; the response is wrapped for `user` at
    `level` (the request's own level, RFC 3412 section 7.1.5)."""

    msg_id: int = 0
    max_size: int = ber.MAX_MESSAGE
    level: Level = Level.NO_AUTH
    user_name: bytes = b""
    user: User = field(default_factory=User)
    context_name: bytes = b""


class Usm:
    """The authoritative (agent) side of USM for one agent socket."""

    def __init__(self, device: Device) -> None:
        self.device = device
        self.engine_id = engine_id(device.inventory)
        self.salts = itertools.count(random.getrandbits(63))
        self.keys = Keys(device.flash)

    @property
    def boots(self) -> int:
        return count_boot(self.device)

    def user(self, name: bytes) -> User | None:
        """Users of the running config; keys from flash (none stored: a noAuthNoPriv user)."""
        text = name.decode(errors="replace")
        if text not in self.device.running.snmpv3.users:
            return None
        return self.keys.users().get(text, User())

    def access(self, message: V3Message) -> bool | None:
        """May write (True), may only read (False), or no access (None): the user's group
        and the least security level it demands."""
        group = self.device.running.snmpv3.groups.get(message.user_name.decode(errors="replace"))
        if group is None:
            return None
        least, write = GROUP_ACCESS[group]
        return write if message.level >= least else None

    def receive(self, data: bytes) -> V3Message | bytes | None:
        """RFC 3412 section 7.2 and RFC 3414 section 3.2: the request, a Report to send back,
        or None (dropped, counted)."""
        try:
            incoming = decode(data)
        except DecodeError:
            self.device.count_snmp("snmpInASNParseErrs")
            return None
        if incoming.security_model != USM:
            self.device.count_snmp("snmpUnknownSecurityModels")
            return None
        level = LEVEL_OF_FLAGS.get(incoming.flags & (FLAG_AUTH | FLAG_PRIV))
        if level is None:
            self.device.count_snmp("snmpInvalidMsgs")
            return None
        if incoming.engine_id != self.engine_id:
            return self.report(incoming, 4, level)  # discovery ends here
        user = self.user(incoming.user)
        if user is None:
            return self.report(incoming, 3, level)
        if level > user.level:
            return self.report(incoming, 1, level)
        if level >= Level.AUTH:
            if not authentic(incoming, user):
                return self.report(incoming, 5, level)
            if (self.boots >= MAX_BOOTS or incoming.boots != self.boots
                    or abs(incoming.engine_time - self.device.engine_time()) > TIME_WINDOW):
                return self.report(incoming, 2, level, user)
        scoped = incoming.scoped
        if level is Level.PRIV:
            if not incoming.encrypted:
                self.device.count_snmp("snmpInASNParseErrs")
                return None
            try:
                context_engine, context_name, pdu = decode_scoped(decrypt(incoming, user))
            except DecodeError:
                return self.report(incoming, 6, level)
        else:
            try:
                context_engine, context_name, pdu = decode_scoped(scoped)
            except DecodeError:
                self.device.count_snmp("snmpInASNParseErrs")
                return None
        message = V3Message(ber.V3, b"", pdu, incoming.msg_id, incoming.max_size, level,
                            incoming.user, user, context_name)
        if context_name or context_engine not in (self.engine_id, b""):
            return self.send_report(message, incoming.flags, UNKNOWN_CONTEXTS_OID,
                                    self.device.count_snmp(UNKNOWN_CONTEXTS))
        return message

    def report(self, incoming: Incoming, counter: int, level: Level,
               user: User | None = None) -> bytes | None:
        """A Report of the usmStats counter (RFC 3414 section 3.2): unauthenticated, except
        notInTimeWindows, which the user's key signs so the manager may trust our clock."""
        value = self.device.count_snmp(USM_COUNTERS[counter])
        request_id = 0
        if not incoming.encrypted:
            with contextlib.suppress(DecodeError):
                request_id = decode_scoped(incoming.scoped)[2].request_id
        reply_level = Level.AUTH if user is not None else Level.NO_AUTH
        message = V3Message(ber.V3, b"", Pdu(ber.GET, request_id), incoming.msg_id,
                            incoming.max_size, min(level, reply_level), incoming.user,
                            user or User())
        return self.send_report(message, incoming.flags, (*USM_STATS, counter, 0), value)

    def send_report(self, message: V3Message, flags: int, oid: Oid, value: int) -> bytes | None:
        if not flags & FLAG_REPORTABLE:
            return None
        return self.wrap(message, Pdu(ber.REPORT, message.pdu.request_id, 0, 0,
                                      [(oid, Value(ber.COUNTER32, value))]))

    def wrap(self, request: V3Message, reply: Pdu) -> bytes:
        """The response (or report) to `request`, at the request's security level."""
        return seal(Outgoing(request.msg_id, 0, self.engine_id, self.boots,
                             self.device.engine_time(), request.user_name, 0, b"",
                             encode_scoped(self.engine_id, request.context_name, reply)),
                    request.level, request.user, next(self.salts))
