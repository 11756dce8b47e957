"""The v1/v2c BER decoder under hostile datagrams: arbitrary bytes, valid messages mangled,
length prefixes claiming gigabytes, nesting 10,000 deep. Whatever arrives, the decoder answers
with a Message or DecodeError (the agent's silent drop), in work linear in the datagram, and
what it accepts encodes back to the same message."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from snmp import ber
from snmp.ber import Message, Pdu, Value
from tests.fuzzing import mangled, measured
from tests.snmp.test_ber import varbind_lists

CALLS_PER_OCTET = 20
"""A var-bind of two octets costs a handful of calls (TLV reads, slicing, an arc append)."""

requests = st.builds(
    Pdu, st.sampled_from(sorted(ber.PDU_TYPES)), st.integers(-(2**31), 2**31 - 1),
    st.integers(0, 2**31 - 1), st.integers(0, 2**31 - 1), varbind_lists)
V1_TYPES = (ber.GET, ber.GETNEXT, ber.RESPONSE, ber.SET)
messages = st.builds(Message, st.just(ber.V2C), st.binary(max_size=32), requests) | st.builds(
    Message, st.just(ber.V1), st.binary(max_size=32),
    requests.filter(lambda pdu: pdu.type in V1_TYPES))
encoded_messages = messages.map(ber.encode_message)
datagrams = st.one_of(st.binary(max_size=600), mangled(encoded_messages))


def nested(depth: int, inner: bytes = b"\x05\x00") -> bytes:
    """`inner` wrapped in `depth` SEQUENCEs, each with its correct (long-form) length."""
    headers, size = [], len(inner)
    for _ in range(depth):
        headers.append(bytes((ber.SEQUENCE,)) + ber.encode_length(size))
        size += len(headers[-1])
    return b"".join(reversed(headers)) + inner


def decode(data: bytes) -> Message | None:
    """The decoder's answer, with the one refusal it documents (DecodeError) as None; the call
    count stays linear in the datagram."""
    with measured() as work:
        try:
            version: int | None = ber.message_version(data)
            message: Message | None = ber.decode_message(data)
        except ber.DecodeError:
            version, message = None, None
    work.linear(len(data), CALLS_PER_OCTET)
    if message is not None:
        assert version == message.version
    return message


@given(datagrams)
def test_fuzz_decoder_answers_a_message_or_decode_error(data: bytes) -> None:
    message = decode(data)
    if message is not None:
        assert ber.decode_message(ber.encode_message(message)) == message


@given(messages)
def test_fuzz_valid_messages_survive_the_fuzzer_harness(message: Message) -> None:
    """The generator's unmangled messages decode: the mangled ones start from real structure."""
    assert decode(ber.encode_message(message)) == message


def request(varbind_list: bytes) -> bytes:
    """A v2c GET for community `public` around a var-bind list body given as raw bytes."""
    pdu = ber.tlv(ber.GET, b"\x02\x01\x01\x02\x01\x00\x02\x01\x00"
                  + ber.tlv(ber.SEQUENCE, varbind_list))
    return ber.tlv(ber.SEQUENCE, b"\x02\x01\x01\x04\x06public" + pdu)


@pytest.mark.parametrize("where", ["message", "varbind list", "varbind value"])
def test_nesting_ten_thousand_deep_is_refused_flat(where: str) -> None:
    """The decoder never recurses: 10,000 nested SEQUENCEs (every length right) cost a few
    calls, not a stack."""
    deep = nested(10_000)
    name = ber.tlv(ber.OBJECT_ID, ber.encode_oid_body((1, 3, 6, 1)))
    data = {"message": deep, "varbind list": request(deep),
            "varbind value": request(ber.tlv(ber.SEQUENCE, name + deep))}[where]
    assert len(data) > 30_000
    with measured() as work, pytest.raises(ber.DecodeError):
        ber.decode_message(data)
    assert work.calls < 200


@pytest.mark.parametrize("length", [b"\x84\x80\x00\x00\x00", b"\x84\xff\xff\xff\xff",
                                    b"\x88\x00\x00\x00\x00\x80\x00\x00\x00", b"\x80"])
def test_length_prefix_beyond_the_datagram_is_refused(length: bytes) -> None:
    """2**31 and more claimed by an outer and by an inner TLV: refused without reading or
    allocating what was claimed."""
    valid = ber.encode_message(Message(ber.V2C, b"public", Pdu(ber.GET, 1, varbinds=[
        ((1, 3, 6, 1, 2, 1, 1, 1, 0), Value(ber.NULL))])))
    assert valid[13:15] == bytes((ber.GET, len(valid) - 15))
    for damaged in (b"\x30" + length + valid[2:], valid[:14] + length + valid[15:]):
        with measured() as work, pytest.raises(ber.DecodeError):
            ber.decode_message(damaged)
        assert work.calls < 100


def test_megabyte_datagram_costs_linear_work() -> None:
    """A megabyte of var-binds (more than UDP carries, so more than any peer can send) is read
    in linear work; a megabyte of garbage is refused at once."""
    varbind = ber.encode_varbind((1, 3, 6, 1, 2, 1, 2, 2, 1, 10, 1), Value(ber.NULL))
    count = 1_000_000 // len(varbind)
    message = decode(request(varbind * count))
    assert message is not None and len(message.pdu.varbinds) == count
    assert decode(bytes(1_000_000)) is None


@pytest.mark.parametrize(("continuations", "accepted"), [(511, True), (512, False)])
def test_oid_of_one_long_arc_is_bounded(continuations: int, accepted: bool) -> None:
    """512 octets of OID (an arc of 3,500 bits) is the codec's limit; one octet more is
    refused before any arithmetic."""
    body = b"\x81" * continuations + b"\x01"
    if accepted:
        assert ber.decode_oid(body)[0] == 2
    else:
        with pytest.raises(ber.DecodeError):
            ber.decode_oid(body)
