"""SNMPv3: the message format (RFC 3412) and the User-based Security Model (RFC 3414, AES from
RFC 3826) in front of the same lean agent that serves v1/v2c.

The pysnmp engine would cost about 28 MiB per module and 2 ms per request; USM is only hashing,
HMAC and a block cipher around the codec in ber.py, so it is done here, and pysnmp and net-snmp
are the oracles in the tests. A v3 message is authenticated, checked for timeliness and
decrypted, then its scoped PDU goes to the agent like a v2c PDU, with the access of the user's
group (`snmpv3 group`). Every refusal is a Report (when the manager asked for one) counted in
usmStats, never an exception out of the datagram callback.

Keys are localized to this switch's engine ID (derived from the chassis' base MAC, so both
management modules share it) and kept in the module's security files with the engine's boot
count, which the sync to the standby carries over: after a switchover the new active answers
with the same engine ID, the same keys and a higher boot count. The master keys are kept
beside them, to localize to the engine of an inform's receiver (snmp/notify_v3.py).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import itertools
import os
import random
from dataclasses import dataclass, field, replace
from enum import IntEnum
from typing import Final, Protocol

from cryptography.hazmat.decrepit.ciphers.algorithms import TripleDES
from cryptography.hazmat.decrepit.ciphers.modes import CFB
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from emulator.config.model import Snmpv3Group
from emulator.device import Device
from emulator.flash import Flash
from emulator.hardware import Inventory, mac_bytes
from snmp import ber
from snmp.ber import DecodeError, Message, Oid, Pdu, Value, expect, read_tlv, tlv

USERS_FILE: Final = "snmpv3.json"
USM: Final = 3
"""msgSecurityModel of the User-based Security Model."""
HP_ENTERPRISE: Final = 11
ENGINE_ID_MAC: Final = 3
"""RFC 3411 SnmpEngineID format 3: the rest is a MAC address (here the chassis base MAC)."""
TIME_WINDOW: Final = 150
"""Seconds a message's engine time may differ from ours (RFC 3414 section 3.2 step 7)."""
MAX_BOOTS: Final = 2**31 - 1
MAX_INT32: Final = 2**31 - 1
MIN_MAX_SIZE: Final = 484
"""msgMaxSize's range starts here (RFC 3412 section 6); msgID, boots and time are 0..2^31-1."""
KEY_EXPANSION: Final = 1_048_576
"""Octets of repeated password hashed into a key (RFC 3414 section A.2)."""

FLAG_AUTH: Final = 0x01
FLAG_PRIV: Final = 0x02
FLAG_REPORTABLE: Final = 0x04

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


class Level(IntEnum):
    """SnmpSecurityLevel (RFC 3411): ordered, so a group's minimum compares."""

    NO_AUTH = 1
    AUTH = 2
    PRIV = 3


LEVEL_OF_FLAGS: Final = {0: Level.NO_AUTH, FLAG_AUTH: Level.AUTH, FLAG_AUTH | FLAG_PRIV: Level.PRIV}
FLAGS_OF_LEVEL: Final = {level: flags for flags, level in LEVEL_OF_FLAGS.items()}

GROUP_ACCESS: Final = {
    Snmpv3Group.MANAGER_PRIV: (Level.PRIV, True),
    Snmpv3Group.MANAGER_AUTH: (Level.AUTH, True),
    Snmpv3Group.OPERATOR_AUTH: (Level.AUTH, False),
    Snmpv3Group.OPERATOR_NO_AUTH: (Level.NO_AUTH, False),
}
"""The switch's predefined v3 groups: the least security level a member's requests must have,
and whether they may write (the manager views) or only read (the operator views)."""


# --- protocols -------------------------------------------------------------------------------


@dataclass(frozen=True)
class AuthProtocol:
    label: str
    """As `show snmpv3 user` prints it."""
    hash: str
    """hashlib's name of the hash."""
    digest_size: int
    """Octets of the HMAC sent in msgAuthenticationParameters (HMAC-MD5-96, HMAC-SHA-96,
    HMAC-192-SHA-256)."""

    def master(self, password: str) -> bytes:
        """RFC 3414 section A.2: the password stretched to a 1 MiB hash (Ku)."""
        secret = password.encode()
        stretched = (secret * (KEY_EXPANSION // len(secret) + 1))[:KEY_EXPANSION]
        return hashlib.new(self.hash, stretched).digest()

    def localize(self, master: bytes, engine_id: bytes) -> bytes:
        """Kul = H(Ku || engineID || Ku): the key for one engine."""
        return hashlib.new(self.hash, master + engine_id + master).digest()

    def key(self, password: str, engine_id: bytes) -> bytes:
        return self.localize(self.master(password), engine_id)

    def sign(self, key: bytes, message: bytes) -> bytes:
        return hmac.new(key, message, self.hash).digest()[:self.digest_size]


class PrivProtocol(Protocol):
    @property
    def label(self) -> str: ...

    def encrypt(self, key: bytes, boots: int, engine_time: int, salt: int,
                plain: bytes) -> tuple[bytes, bytes]:
        """(ciphertext, msgPrivacyParameters)."""
        ...

    def decrypt(self, key: bytes, boots: int, engine_time: int, params: bytes,
                cipher: bytes) -> bytes: ...


@dataclass(frozen=True)
class DesCbc:
    """usmDESPrivProtocol (RFC 3414 section 8): DES key and pre-IV from the localized key; the
    salt (boots, counter) is XORed into the pre-IV. Single DES is 3DES with its key thrice."""

    label: str = "CBC-DES"

    def _cipher(self, key: bytes, params: bytes) -> Cipher[modes.CBC]:
        iv = bytes(a ^ b for a, b in zip(key[8:16], params, strict=True))
        return Cipher(TripleDES(key[:8] * 3), modes.CBC(iv))

    def encrypt(self, key: bytes, boots: int, engine_time: int, salt: int,
                plain: bytes) -> tuple[bytes, bytes]:
        params = boots.to_bytes(4, "big") + (salt & 0xFFFFFFFF).to_bytes(4, "big")
        padded = plain + bytes(-len(plain) % 8)
        encryptor = self._cipher(key, params).encryptor()
        return encryptor.update(padded) + encryptor.finalize(), params

    def decrypt(self, key: bytes, boots: int, engine_time: int, params: bytes,
                cipher: bytes) -> bytes:
        if len(params) != 8 or len(cipher) % 8:
            raise DecodeError("bad DES parameters")
        decryptor = self._cipher(key, params).decryptor()
        return decryptor.update(cipher) + decryptor.finalize()


@dataclass(frozen=True)
class AesCfb:
    """usmAesCfb128Protocol (RFC 3826): IV = boots, time and the 64-bit salt."""

    label: str = "CFB AES-128"

    @staticmethod
    def _cipher(key: bytes, boots: int, engine_time: int, params: bytes) -> Cipher[CFB]:
        iv = boots.to_bytes(4, "big") + engine_time.to_bytes(4, "big") + params
        return Cipher(algorithms.AES(key[:16]), CFB(iv))

    def encrypt(self, key: bytes, boots: int, engine_time: int, salt: int,
                plain: bytes) -> tuple[bytes, bytes]:
        params = (salt & (2**64 - 1)).to_bytes(8, "big")
        encryptor = self._cipher(key, boots, engine_time, params).encryptor()
        return encryptor.update(plain) + encryptor.finalize(), params

    def decrypt(self, key: bytes, boots: int, engine_time: int, params: bytes,
                cipher: bytes) -> bytes:
        if len(params) != 8:
            raise DecodeError("bad AES parameters")
        decryptor = self._cipher(key, boots, engine_time, params).decryptor()
        return decryptor.update(cipher) + decryptor.finalize()


AUTH: Final[dict[str, AuthProtocol]] = {
    "md5": AuthProtocol("MD5", "md5", 12),
    "sha": AuthProtocol("SHA", "sha1", 12),
    "sha256": AuthProtocol("SHA256", "sha256", 24),
}
PRIV: Final[dict[str, PrivProtocol]] = {"des": DesCbc(), "aes": AesCfb()}
"""The protocols by CLI keyword: K.15 offers `auth md5|sha` and `priv des|aes`;
`auth sha256` (usmHMAC192SHA256AuthProtocol, RFC 7860) is from later ArubaOS-Switch releases,
offered here because pollers configured for SHA-2 expect it. AES keys are the first 16 octets
of the localized key, whatever the hash (RFC 3826, as net-snmp and pysnmp do)."""


def engine_id(inventory: Inventory) -> bytes:
    """snmpEngineID: HP's enterprise number with the RFC 3411 high bit, format 3, base MAC."""
    return ((1 << 31) | HP_ENTERPRISE).to_bytes(4, "big") + bytes((ENGINE_ID_MAC,)) \
        + mac_bytes(inventory.base_mac)


# --- the users' keys on flash ----------------------------------------------------------------


@dataclass(frozen=True)
class User:
    """One USM user's protocols (CLI keywords, None for none) and keys localized to this
    switch's engine, with the master keys they came from: an inform goes to a receiver that
    is its own authoritative engine, so the keys are localized to it too."""

    auth: str | None = None
    priv: str | None = None
    auth_key: bytes = b""
    priv_key: bytes = b""
    auth_master: bytes = b""
    priv_master: bytes = b""

    @property
    def level(self) -> Level:
        """The highest security level this user can speak."""
        return Level.NO_AUTH if self.auth is None else Level.AUTH if self.priv is None \
            else Level.PRIV

    @classmethod
    def create(cls, engine: bytes, auth: str | None = None, auth_password: str = "",
               priv: str | None = None, priv_password: str = "") -> User:
        """Privacy keys are derived with the user's authentication hash (RFC 3414)."""
        if auth is None:
            return cls()
        protocol = AUTH[auth]
        user = cls(auth, priv, auth_master=protocol.master(auth_password),
                   priv_master=protocol.master(priv_password) if priv else b"")
        localized = user.localized(engine)
        assert localized is not None  # the master keys were just made
        return localized

    def localized(self, engine: bytes) -> User | None:
        """This user with keys for another engine; None when the master keys are unknown (a
        user whose keys were stored before they were kept)."""
        if self.auth is None:
            return self
        if not self.auth_master or (self.priv and not self.priv_master):
            return None
        protocol = AUTH[self.auth]
        return replace(self, auth_key=protocol.localize(self.auth_master, engine),
                       priv_key=protocol.localize(self.priv_master, engine) if self.priv
                       else b"")

    def to_json(self) -> dict[str, str | None]:
        return {"auth": self.auth, "priv": self.priv, "auth_key": self.auth_key.hex(),
                "priv_key": self.priv_key.hex(), "auth_master": self.auth_master.hex(),
                "priv_master": self.priv_master.hex()}

    @classmethod
    def from_json(cls, value: dict[str, str | None]) -> User:
        keys = (bytes.fromhex(value.get(name) or "")
                for name in ("auth_key", "priv_key", "auth_master", "priv_master"))
        return cls(value.get("auth"), value.get("priv"), *keys)


@dataclass
class Store:
    """The security file: users' keys and snmpEngineBoots (non-volatile, as RFC 3414 wants)."""

    boots: int = 1
    users: dict[str, User] = field(default_factory=dict)

    @classmethod
    def read(cls, flash: Flash) -> Store:
        stored = flash.read_security(USERS_FILE) or {}
        return cls(int(stored.get("boots", 1)),
                   {name: User.from_json(user) for name, user in stored.get("users", {}).items()})

    def write(self, flash: Flash) -> None:
        flash.write_security(USERS_FILE, {
            "boots": self.boots,
            "users": {name: user.to_json() for name, user in self.users.items()},
        })


def store_user(device: Device, name: str, user: User | None) -> None:
    """Keep (or, with None, forget) a user's keys in the security files at once, as the
    switch does: only `snmpv3 user "NAME"` waits for `write memory`."""
    store = Store.read(device.flash)
    if user is None:
        store.users.pop(name, None)
    else:
        store.users[name] = user
    store.write(device.flash)


def count_boot(device: Device) -> int:
    """A module becoming active is an engine reboot: snmpEngineBoots goes up by one on flash
    (when v3 was ever configured; a switch without the file has booted once as far as v3 can
    tell), once per boot however many agents the module serves."""
    counters = device.snmp_counters
    if "snmpEngineBoots" not in counters:
        store = Store.read(device.flash)
        if device.flash.read_security(USERS_FILE) is not None:
            store.boots = min(store.boots + 1, MAX_BOOTS)
            store.write(device.flash)
        counters["snmpEngineBoots"] = store.boots
    return counters["snmpEngineBoots"]


# --- messages --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Incoming:
    """A decoded v3 message; `auth_at` is where msgAuthenticationParameters sit in `data`."""

    data: bytes
    msg_id: int
    max_size: int
    flags: int
    security_model: int
    engine_id: bytes
    boots: int
    engine_time: int
    user: bytes
    auth_params: bytes
    auth_at: int
    priv_params: bytes
    scoped: bytes
    """The plaintext ScopedPDU TLV, or the encryptedPDU's contents."""
    encrypted: bool


def _octets(data: bytes, pos: int, end: int) -> tuple[bytes, int, int]:
    start, stop = expect(data, pos, end, ber.OCTET_STRING)
    return data[start:stop], start, stop


def _integer(data: bytes, pos: int, end: int) -> tuple[int, int]:
    start, stop = expect(data, pos, end, ber.INTEGER)
    return ber.decode_int(data[start:stop]), stop


def decode(data: bytes) -> Incoming:
    """SNMPv3Message (RFC 3412 section 6) with UsmSecurityParameters (RFC 3414 section 2.4)."""
    start, end = expect(data, 0, len(data), ber.SEQUENCE)
    if end != len(data):
        raise DecodeError("trailing bytes after the message")
    version, pos = _integer(data, start, end)
    if version != ber.V3:
        raise DecodeError("not a v3 message")
    header_start, pos = expect(data, pos, end, ber.SEQUENCE)
    msg_id, at = _integer(data, header_start, pos)
    max_size, at = _integer(data, at, pos)
    flags, _, at = _octets(data, at, pos)
    security_model, at = _integer(data, at, pos)
    if len(flags) != 1 or at != pos:
        raise DecodeError("bad msgGlobalData")
    _, params_start, params_end = _octets(data, pos, end)
    seq_start, seq_end = expect(data, params_start, params_end, ber.SEQUENCE)
    engine, _, at = _octets(data, seq_start, seq_end)
    boots, at = _integer(data, at, seq_end)
    engine_time, at = _integer(data, at, seq_end)
    user, _, at = _octets(data, at, seq_end)
    auth_params, auth_at, at = _octets(data, at, seq_end)
    priv_params, _, at = _octets(data, at, seq_end)
    if at != seq_end or seq_end != params_end:
        raise DecodeError("bad UsmSecurityParameters")
    if not (0 <= msg_id <= MAX_INT32 and MIN_MAX_SIZE <= max_size <= MAX_INT32
            and 0 <= boots <= MAX_INT32 and 0 <= engine_time <= MAX_INT32):
        raise DecodeError("msgID, msgMaxSize, boots or time out of range")
    tag, data_start, data_end = read_tlv(data, params_end, end)
    if data_end != end or tag not in (ber.SEQUENCE, ber.OCTET_STRING):
        raise DecodeError("bad msgData")
    encrypted = tag == ber.OCTET_STRING
    scoped = data[data_start:data_end] if encrypted else data[params_end:data_end]
    return Incoming(data, msg_id, max_size, flags[0], security_model, engine, boots,
                    engine_time, user, auth_params, auth_at, priv_params, scoped, encrypted)


def decode_scoped(scoped: bytes) -> tuple[bytes, bytes, Pdu]:
    """(contextEngineID, contextName, PDU); bytes after the ScopedPDU (cipher padding) are
    ignored."""
    start, stop = expect(scoped, 0, len(scoped), ber.SEQUENCE)
    context_engine, _, at = _octets(scoped, start, stop)
    context_name, _, at = _octets(scoped, at, stop)
    return context_engine, context_name, ber.decode_pdu(scoped, at, stop)


def encode_scoped(context_engine: bytes, context_name: bytes, pdu: Pdu) -> bytes:
    return tlv(ber.SEQUENCE, tlv(ber.OCTET_STRING, context_engine)
               + tlv(ber.OCTET_STRING, context_name) + ber.encode_pdu(pdu))


@dataclass(frozen=True)
class Outgoing:
    msg_id: int
    flags: int
    engine_id: bytes
    boots: int
    engine_time: int
    user: bytes
    auth_size: int
    priv_params: bytes
    msg_data: bytes
    """The ScopedPDU TLV, or the encryptedPDU OCTET STRING TLV."""


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


def encode(out: Outgoing) -> tuple[bytes, int]:
    """The message with zeroed msgAuthenticationParameters, and their offset (to sign)."""
    head = tlv(ber.INTEGER, ber.encode_int_body(ber.V3)) + tlv(
        ber.SEQUENCE, tlv(ber.INTEGER, ber.encode_int_body(out.msg_id))
        + tlv(ber.INTEGER, ber.encode_int_body(ber.MAX_MESSAGE))
        + tlv(ber.OCTET_STRING, bytes((out.flags,)))
        + tlv(ber.INTEGER, ber.encode_int_body(USM)))
    before_auth = (tlv(ber.OCTET_STRING, out.engine_id)
                   + tlv(ber.INTEGER, ber.encode_int_body(out.boots))
                   + tlv(ber.INTEGER, ber.encode_int_body(out.engine_time))
                   + tlv(ber.OCTET_STRING, out.user))
    auth = tlv(ber.OCTET_STRING, bytes(out.auth_size))
    inner = before_auth + auth + tlv(ber.OCTET_STRING, out.priv_params)
    params = tlv(ber.SEQUENCE, inner)
    wrapped = tlv(ber.OCTET_STRING, params)
    body = head + wrapped + out.msg_data
    message = tlv(ber.SEQUENCE, body)
    offset = (len(message) - len(body) + len(head) + len(wrapped) - len(params)
              + len(params) - len(inner) + len(before_auth) + len(auth) - out.auth_size)
    return message, offset


# --- the engine ------------------------------------------------------------------------------


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


class Keys:
    """The users' keys on flash, read again only when the file changed (the CLI writes it):
    requests and notifications look them up per message, the file is read per change."""

    def __init__(self, flash: Flash) -> None:
        self.flash = flash
        self.loaded: tuple[int, Store] | None = None

    def users(self) -> dict[str, User]:
        try:
            stamp = os.stat(self.flash.security / USERS_FILE).st_mtime_ns
        except FileNotFoundError:
            stamp = 0
        if self.loaded is None or self.loaded[0] != stamp:
            self.loaded = (stamp, Store.read(self.flash))
        return self.loaded[1].users


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
