"""The lean codec against pysnmp/pyasn1's encoder and decoder (the differential oracle), and
malformed input: anything the decoder does not accept raises DecodeError, nothing else."""

from __future__ import annotations

import contextlib
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pyasn1.codec.ber import decoder, encoder
from pysnmp.proto import api, rfc1902, rfc1905

from snmp import ber
from snmp.ber import Message, Oid, Pdu, Value

V2 = api.v2c
PDU_CLASSES = {ber.GET: V2.GetRequestPDU, ber.GETNEXT: V2.GetNextRequestPDU,
               ber.RESPONSE: V2.ResponsePDU, ber.SET: V2.SetRequestPDU,
               ber.TRAP_V2: V2.SNMPv2TrapPDU, ber.INFORM: V2.InformRequestPDU}

oids = st.tuples(st.integers(0, 1), st.integers(0, 39),
                 st.lists(st.integers(0, 2**32 - 1), max_size=12)).map(
    lambda t: (t[0], t[1], *t[2]))
values = st.one_of(
    st.integers(-(2**31), 2**31 - 1).map(lambda n: Value(ber.INTEGER, n)),
    st.binary(max_size=300).map(lambda b: Value(ber.OCTET_STRING, b)),
    oids.map(lambda o: Value(ber.OBJECT_ID, o)),
    st.binary(min_size=4, max_size=4).map(lambda b: Value(ber.IP_ADDRESS, b)),
    st.integers(0, 2**32 - 1).map(lambda n: Value(ber.COUNTER32, n)),
    st.integers(0, 2**32 - 1).map(lambda n: Value(ber.GAUGE32, n)),
    st.integers(0, 2**32 - 1).map(lambda n: Value(ber.TIMETICKS, n)),
    st.integers(0, 2**64 - 1).map(lambda n: Value(ber.COUNTER64, n)),
    st.sampled_from([Value(ber.NULL), Value(ber.NO_SUCH_OBJECT), Value(ber.NO_SUCH_INSTANCE),
                     Value(ber.END_OF_MIB_VIEW)]),
)
varbind_lists = st.lists(st.tuples(oids, values), max_size=8)


def pysnmp_value(value: Value) -> Any:
    constructors: dict[int, Any] = {
        ber.INTEGER: rfc1902.Integer32, ber.OCTET_STRING: rfc1902.OctetString,
        ber.OBJECT_ID: rfc1902.ObjectName, ber.IP_ADDRESS: rfc1902.IpAddress,
        ber.COUNTER32: rfc1902.Counter32, ber.GAUGE32: rfc1902.Gauge32,
        ber.TIMETICKS: rfc1902.TimeTicks, ber.COUNTER64: rfc1902.Counter64,
    }
    exceptions: dict[int, Any] = {
        ber.NULL: rfc1902.Null(""), ber.NO_SUCH_OBJECT: rfc1905.noSuchObject,
        ber.NO_SUCH_INSTANCE: rfc1905.noSuchInstance,
        ber.END_OF_MIB_VIEW: rfc1905.endOfMibView,
    }
    if value.tag in exceptions:
        return exceptions[value.tag]
    if value.tag == ber.IP_ADDRESS:
        assert isinstance(value.data, bytes)
        return rfc1902.IpAddress(value.data)
    return constructors[value.tag](value.data)


def pysnmp_message(message: Message) -> Any:
    pdu = PDU_CLASSES[message.pdu.type]()
    V2.apiPDU.set_defaults(pdu)
    V2.apiPDU.set_request_id(pdu, message.pdu.request_id)
    V2.apiPDU.set_error_status(pdu, message.pdu.error_status)
    V2.apiPDU.set_error_index(pdu, message.pdu.error_index)
    V2.apiPDU.set_varbinds(pdu, [(rfc1902.ObjectName(oid), pysnmp_value(value))
                                 for oid, value in message.pdu.varbinds])
    msg = V2.Message()
    V2.apiMessage.set_defaults(msg)
    V2.apiMessage.set_community(msg, message.community)
    V2.apiMessage.set_pdu(msg, pdu)
    return msg


@given(st.sampled_from(sorted(PDU_CLASSES)), st.integers(-(2**31), 2**31 - 1),
       st.integers(0, 18), st.integers(0, 100), st.binary(max_size=40), varbind_lists)
def test_encoding_matches_pysnmp(kind: int, request_id: int, status: int, index: int,
                                 community: bytes, varbinds: list[tuple[Oid, Value]]) -> None:
    """Each side decodes what the other encodes; the bytes are identical except that pyasn1
    spends an extra octet on some negative integers (-128 as ff80), which X.690 does not."""
    message = Message(ber.V2C, community, Pdu(kind, request_id, status, index, varbinds))
    ours, theirs = ber.encode_message(message), encoder.encode(pysnmp_message(message))
    assert ber.decode_message(ours) == message
    assert ber.decode_message(theirs) == message
    parsed, rest = decoder.decode(ours, asn1Spec=V2.Message())
    assert rest == b"" and encoder.encode(parsed) == theirs
    negative = request_id < 0 or any(v.tag == ber.INTEGER and isinstance(v.data, int)
                                     and v.data < 0 for _, v in varbinds)
    if not negative:
        assert ours == theirs


def test_decodes_what_pysnmp_encodes_for_getbulk() -> None:
    pdu = V2.GetBulkRequestPDU()
    V2.apiBulkPDU.set_defaults(pdu)
    V2.apiBulkPDU.set_request_id(pdu, 77)
    V2.apiBulkPDU.set_non_repeaters(pdu, 1)
    V2.apiBulkPDU.set_max_repetitions(pdu, 25)
    V2.apiBulkPDU.set_varbinds(pdu, [((1, 3, 6, 1, 2, 1, 1, 3), V2.null),
                                     ((1, 3, 6, 1, 2, 1, 2, 2, 1, 2), V2.null)])
    msg = V2.Message()
    V2.apiMessage.set_defaults(msg)
    V2.apiMessage.set_community(msg, b"public")
    V2.apiMessage.set_pdu(msg, pdu)
    decoded = ber.decode_message(encoder.encode(msg))
    assert decoded.community == b"public"
    assert (decoded.pdu.type, decoded.pdu.request_id) == (ber.GETBULK, 77)
    assert (decoded.pdu.error_status, decoded.pdu.error_index) == (1, 25)
    assert [oid for oid, _ in decoded.pdu.varbinds] == [(1, 3, 6, 1, 2, 1, 1, 3),
                                                        (1, 3, 6, 1, 2, 1, 2, 2, 1, 2)]


def test_counters_wrap_as_the_mib_defines() -> None:
    encoded = ber.encode_value(Value(ber.COUNTER32, 2**32 + 5))
    assert decoder.decode(encoded, asn1Spec=rfc1902.Counter32())[0] == 5


@given(st.binary(max_size=200))
def test_garbage_raises_only_decode_error(data: bytes) -> None:
    with contextlib.suppress(ber.DecodeError):
        ber.decode_message(data)


@given(varbind_lists, st.data())
def test_damaged_messages_raise_only_decode_error(varbinds: list[tuple[Oid, Value]],
                                                  data: st.DataObject) -> None:
    good = bytearray(ber.encode_message(
        Message(ber.V2C, b"public", Pdu(ber.GET, 1, 0, 0, varbinds))))
    position = data.draw(st.integers(0, len(good) - 1))
    good[position] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(0, len(good)))
    with contextlib.suppress(ber.DecodeError):
        ber.decode_message(bytes(good[:cut]))


@pytest.mark.parametrize("data", [
    b"", b"\x30", b"\x30\x84\xff\xff\xff\xff", b"\x30\x03\x02\x01\x05",
    b"\x30\x80\x02\x01\x01\x00\x00",  # indefinite length
    bytes.fromhex("300e020101040170a007020101020100"),  # PDU without var-bind list
    bytes.fromhex("3011020100040170a50a020101020100020100300000"),  # GETBULK in v1, trailing
])
def test_malformed_examples(data: bytes) -> None:
    with pytest.raises(ber.DecodeError):
        ber.decode_message(data)
