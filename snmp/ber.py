"""A lean BER codec for SNMPv1/v2c messages (RFC 1157, RFC 3416).

The pysnmp engine spends its time building pyasn1 objects (about 2 ms per request, measured
18x slower than snmpd), so the v1/v2c hot path encodes and decodes bytes directly. The decoder
is bounds-checked throughout: anything malformed raises DecodeError, which the agent answers
with silence, never with a crash.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final, NamedTuple

INTEGER: Final = 0x02
OCTET_STRING: Final = 0x04
NULL: Final = 0x05
OBJECT_ID: Final = 0x06
SEQUENCE: Final = 0x30
IP_ADDRESS: Final = 0x40
COUNTER32: Final = 0x41
GAUGE32: Final = 0x42
TIMETICKS: Final = 0x43
OPAQUE: Final = 0x44
COUNTER64: Final = 0x46
NO_SUCH_OBJECT: Final = 0x80
NO_SUCH_INSTANCE: Final = 0x81
END_OF_MIB_VIEW: Final = 0x82

GET: Final = 0xA0
GETNEXT: Final = 0xA1
RESPONSE: Final = 0xA2
SET: Final = 0xA3
TRAP_V1: Final = 0xA4
GETBULK: Final = 0xA5
INFORM: Final = 0xA6
TRAP_V2: Final = 0xA7
REPORT: Final = 0xA8
PDU_TYPES: Final = frozenset({GET, GETNEXT, RESPONSE, SET, GETBULK, INFORM, TRAP_V2, REPORT})
"""PDUs of the RFC 3416 shape (the v1 Trap-PDU has its own layout and is never received)."""

V1: Final = 0
V2C: Final = 1
V3: Final = 3

UNSIGNED_TAGS: Final = frozenset({COUNTER32, GAUGE32, TIMETICKS, COUNTER64})
UNSIGNED_LIMITS: Final = {COUNTER32: 2**32, GAUGE32: 2**32, TIMETICKS: 2**32, COUNTER64: 2**64}
BYTES_TAGS: Final = frozenset({OCTET_STRING, IP_ADDRESS, OPAQUE})
EMPTY_TAGS: Final = frozenset({NULL, NO_SUCH_OBJECT, NO_SUCH_INSTANCE, END_OF_MIB_VIEW})

# error-status values (RFC 3416 section 3)
NO_ERROR: Final = 0
TOO_BIG: Final = 1
NO_SUCH_NAME: Final = 2
BAD_VALUE: Final = 3
READ_ONLY: Final = 4
GEN_ERR: Final = 5
NO_ACCESS: Final = 6
WRONG_TYPE: Final = 7
WRONG_LENGTH: Final = 8
WRONG_VALUE: Final = 10
NOT_WRITABLE: Final = 17
AUTHORIZATION_ERROR: Final = 16
INCONSISTENT_VALUE: Final = 12

MAX_MESSAGE: Final = 65507
"""The largest message the agent sends or announces (the UDP payload limit, net-snmp's
default msgMaxSize)."""

Oid = tuple[int, ...]


class DecodeError(ValueError):
    """The bytes are not a well-formed SNMP message of a kind this codec reads."""


class Value(NamedTuple):
    """A var-bind value: the BER tag and its Python form (int, bytes, Oid or None)."""

    tag: int
    data: int | bytes | Oid | None = None


NULL_VALUE: Final = Value(NULL)


@dataclass
class Pdu:
    """For GETBULK `error_status`/`error_index` hold non-repeaters/max-repetitions."""

    type: int
    request_id: int
    error_status: int = 0
    error_index: int = 0
    varbinds: list[tuple[Oid, Value]] = field(default_factory=list)


@dataclass
class Message:
    version: int
    community: bytes
    pdu: Pdu


# --- encoding -------------------------------------------------------------------------------


def encode_length(length: int) -> bytes:
    if length < 0x80:
        return bytes((length,))
    body = length.to_bytes((length.bit_length() + 7) // 8, "big")
    return bytes((0x80 | len(body),)) + body


def tlv(tag: int, body: bytes) -> bytes:
    return bytes((tag,)) + encode_length(len(body)) + body


def encode_int_body(value: int) -> bytes:
    """Two's complement in the fewest octets (one extra when a positive top bit is set)."""
    return value.to_bytes(max(1, (value + (value < 0)).bit_length() // 8 + 1), "big", signed=True)


def encode_oid_body(oid: Oid) -> bytes:
    if len(oid) < 2 or oid[0] > 2 or (oid[0] < 2 and oid[1] >= 40):
        raise ValueError(f"not an encodable OID: {oid}")
    out = bytearray()
    for arc in (oid[0] * 40 + oid[1], *oid[2:]):
        if arc < 0x80:
            out.append(arc)
            continue
        chunk = bytearray()
        while arc:
            chunk.append(0x80 | (arc & 0x7F))
            arc >>= 7
        chunk[0] &= 0x7F
        out += chunk[::-1]
    return bytes(out)


def encode_value(value: Value) -> bytes:
    tag, data = value
    if tag in EMPTY_TAGS:
        return bytes((tag, 0))
    if tag == OBJECT_ID:
        assert isinstance(data, tuple)
        return tlv(tag, encode_oid_body(data))
    if tag in BYTES_TAGS:
        assert isinstance(data, bytes)
        return tlv(tag, data)
    assert isinstance(data, int)
    if tag in UNSIGNED_TAGS:
        data %= UNSIGNED_LIMITS[tag]  # counters wrap, as the MIB defines them
    return tlv(tag, encode_int_body(data))


def encode_varbind(oid: Oid, value: Value) -> bytes:
    return tlv(SEQUENCE, tlv(OBJECT_ID, encode_oid_body(oid)) + encode_value(value))


def encode_pdu(pdu: Pdu) -> bytes:
    varbinds = b"".join(encode_varbind(oid, value) for oid, value in pdu.varbinds)
    return tlv(pdu.type, tlv(INTEGER, encode_int_body(pdu.request_id))
               + tlv(INTEGER, encode_int_body(pdu.error_status))
               + tlv(INTEGER, encode_int_body(pdu.error_index))
               + tlv(SEQUENCE, varbinds))


def encode_message(message: Message) -> bytes:
    return tlv(SEQUENCE, tlv(INTEGER, encode_int_body(message.version))
               + tlv(OCTET_STRING, message.community)
               + encode_pdu(message.pdu))


# --- decoding -------------------------------------------------------------------------------


def read_tlv(data: bytes, pos: int, end: int) -> tuple[int, int, int]:
    """(tag, start of value, end of value) of the TLV at `pos`, within `end`."""
    if pos + 2 > end:
        raise DecodeError("truncated")
    tag = data[pos]
    if tag & 0x1F == 0x1F:
        raise DecodeError("multi-octet tag")
    first = data[pos + 1]
    pos += 2
    if first < 0x80:
        length = first
    else:
        count = first & 0x7F
        if count == 0 or count > 4 or pos + count > end:
            raise DecodeError("bad length")
        length = int.from_bytes(data[pos:pos + count], "big")
        pos += count
    if pos + length > end:
        raise DecodeError("length beyond the message")
    return tag, pos, pos + length


def expect(data: bytes, pos: int, end: int, tag: int) -> tuple[int, int]:
    got, start, stop = read_tlv(data, pos, end)
    if got != tag:
        raise DecodeError(f"expected tag {tag:#x}, got {got:#x}")
    return start, stop


def decode_int(body: bytes) -> int:
    if not body or len(body) > 9:
        raise DecodeError("bad integer")
    return int.from_bytes(body, "big", signed=True)


def decode_oid(body: bytes) -> Oid:
    if not body or body[-1] & 0x80 or len(body) > 512:
        raise DecodeError("bad OID")
    arcs: list[int] = []
    arc = 0
    for octet in body:
        if arc == 0 and octet == 0x80:
            raise DecodeError("OID arc with a leading 0x80")
        arc = (arc << 7) | (octet & 0x7F)
        if not octet & 0x80:
            arcs.append(arc)
            arc = 0
    first = arcs[0]
    head = (first // 40, first % 40) if first < 80 else (2, first - 80)
    return (*head, *arcs[1:])


def decode_value(tag: int, body: bytes) -> Value:
    if tag in EMPTY_TAGS:
        if body:
            raise DecodeError("non-empty NULL")
        return Value(tag)
    if tag == OBJECT_ID:
        return Value(tag, decode_oid(body))
    if tag in BYTES_TAGS:
        if tag == IP_ADDRESS and len(body) != 4:
            raise DecodeError("bad IpAddress")
        return Value(tag, bytes(body))
    if tag == INTEGER:
        return Value(tag, decode_int(body))
    if tag in UNSIGNED_TAGS:
        number = decode_int(body)
        if not 0 <= number < UNSIGNED_LIMITS[tag]:
            raise DecodeError("unsigned value out of range")
        return Value(tag, number)
    raise DecodeError(f"unknown value tag {tag:#x}")


def decode_varbinds(data: bytes, pos: int, end: int) -> list[tuple[Oid, Value]]:
    varbinds = []
    while pos < end:
        start, stop = expect(data, pos, end, SEQUENCE)
        name_start, name_stop = expect(data, start, stop, OBJECT_ID)
        tag, value_start, value_stop = read_tlv(data, name_stop, stop)
        if value_stop != stop:
            raise DecodeError("trailing bytes in a var-bind")
        varbinds.append((decode_oid(data[name_start:name_stop]),
                         decode_value(tag, data[value_start:value_stop])))
        pos = stop
    return varbinds


def decode_pdu(data: bytes, pos: int, end: int) -> Pdu:
    tag, start, stop = read_tlv(data, pos, end)
    if tag not in PDU_TYPES or stop != end:
        raise DecodeError("not an SNMP PDU")
    fields = []
    for _ in range(3):
        field_start, start = expect(data, start, stop, INTEGER)
        fields.append(decode_int(data[field_start:start]))
    list_start, list_stop = expect(data, start, stop, SEQUENCE)
    if list_stop != stop:
        raise DecodeError("trailing bytes in the PDU")
    request_id, error_status, error_index = fields
    return Pdu(tag, request_id, error_status, error_index,
               decode_varbinds(data, list_start, list_stop))


def message_version(data: bytes) -> int:
    """The version field alone: v3 messages go to the USM engine, not this codec."""
    start, stop = expect(data, 0, len(data), SEQUENCE)
    version_start, version_stop = expect(data, start, stop, INTEGER)
    return decode_int(data[version_start:version_stop])


def decode_message(data: bytes) -> Message:
    start, stop = expect(data, 0, len(data), SEQUENCE)
    if stop != len(data):
        raise DecodeError("trailing bytes after the message")
    version_start, pos = expect(data, start, stop, INTEGER)
    version = decode_int(data[version_start:pos])
    if version not in (V1, V2C):
        raise DecodeError(f"version {version} is not v1/v2c")
    community_start, pos = expect(data, pos, stop, OCTET_STRING)
    pdu = decode_pdu(data, pos, stop)
    if version == V1 and pdu.type in (GETBULK, INFORM, TRAP_V2, REPORT):
        raise DecodeError("v2 PDU in a v1 message")
    return Message(version, bytes(data[community_start:pos]), pdu)
