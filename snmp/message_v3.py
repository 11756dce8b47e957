"""The SNMPv3 message (RFC 3412 section 6): msgGlobalData, the UsmSecurityParameters it
carries (RFC 3414 section 2.4) and the ScopedPDU, decoded into records and encoded from them.
No keys here: signing and encryption are the USM's (snmp/usm.py)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import Final

from snmp import ber
from snmp.ber import DecodeError, Pdu, expect, read_tlv, tlv

USM: Final = 3
"""msgSecurityModel of the User-based Security Model."""
MAX_INT32: Final = 2**31 - 1
MIN_MAX_SIZE: Final = 484
"""msgMaxSize's range starts here (RFC 3412 section 6); msgID, boots and time are 0..2^31-1."""

FLAG_AUTH: Final = 0x01
FLAG_PRIV: Final = 0x02
FLAG_REPORTABLE: Final = 0x04


class Level(IntEnum):
    """SnmpSecurityLevel (RFC 3411): ordered, so a group's minimum compares."""

    NO_AUTH = 1
    AUTH = 2
    PRIV = 3


LEVEL_OF_FLAGS: Final = {0: Level.NO_AUTH, FLAG_AUTH: Level.AUTH, FLAG_AUTH | FLAG_PRIV: Level.PRIV}
FLAGS_OF_LEVEL: Final = {level: flags for flags, level in LEVEL_OF_FLAGS.items()}


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
