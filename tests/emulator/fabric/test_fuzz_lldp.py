"""The LLDP decoder under any frame a neighbour (or anything on the wire) sends: arbitrary
bytes, real adverts (tagged or not) mangled, and LLDPDUs of well-formed TLVs of any type and
length in any order. decode() answers an Advert or None; what it keeps is printable text of
at most 255 characters, and the neighbour table stays within its limits under a flood."""

from __future__ import annotations

import struct

import pytest
from hypothesis import given
from hypothesis import strategies as st

from emulator.fabric import lldp
from tests.fuzzing import mangled, measured

TAG = b"\x81\x00\x00\x0a"
texts = st.text(max_size=300)
locals_ = st.builds(lldp.LocalSystem, st.binary(min_size=6, max_size=6), texts, texts,
                    st.none() | st.ip_addresses(v=4).map(str))
adverts = st.builds(lldp.encode, locals_, st.text(min_size=1, max_size=300), texts,
                    st.integers(0, 65535), st.none() | st.integers(1, 4094))
tagged = st.tuples(adverts, st.booleans()).map(
    lambda pair: pair[0][:12] + TAG + pair[0][12:] if pair[1] else pair[0])
tlvs = st.lists(st.tuples(st.integers(0, 127), st.binary(max_size=511)), max_size=12).map(
    lambda fields: b"".join(struct.pack("!H", kind << 9 | len(value)) + value
                            for kind, value in fields))
mandatory_first = st.tuples(adverts, tlvs).map(lambda pair: pair[0][:-2] + pair[1])
frames = st.one_of(st.binary(max_size=200), mangled(tagged),
                   (st.binary(min_size=12, max_size=12).map(lambda h: h + b"\x88\xcc")
                    .flatmap(lambda head: tlvs.map(lambda body: head + body))),
                   mandatory_first, mangled(mandatory_first))


def decoded(frame: bytes) -> lldp.Advert | None:
    with measured() as work:
        advert = lldp.decode(frame)
    work.linear(len(frame), 4)  # a TLV is at least 2 octets and costs a few calls
    if advert is not None:
        for text in (advert.chassis_id, advert.port_id, advert.port_descr, advert.sys_name,
                     advert.sys_descr, advert.management_address):
            assert len(text) <= lldp.MAX_TEXT and text.isprintable()
        assert 0 <= advert.ttl <= 65535
    return advert


@given(frames)
def test_fuzz_decode_answers_an_advert_or_none(frame: bytes) -> None:
    decoded(frame)


@given(tagged)
def test_fuzz_real_adverts_decode(frame: bytes) -> None:
    """The unmangled starting points are adverts the decoder reads."""
    assert decoded(frame) is not None


@given(st.lists(st.tuples(st.sampled_from(("A1", "A2", "B1")), frames), max_size=40))
def test_fuzz_neighbour_table_stays_bounded(arrivals: list[tuple[str, bytes]]) -> None:
    table = lldp.Neighbors()
    for now, (port, frame) in enumerate(arrivals):
        advert = lldp.decode(frame)
        if advert is not None:
            table.learn(port, advert, float(now))
        assert len(table.entries) <= lldp.MAX_NEIGHBORS
        assert all(sum(key[0] == p for key in table.entries) <= lldp.MAX_PER_PORT
                   for p in ("A1", "A2", "B1"))


def test_flood_of_distinct_neighbours_is_capped() -> None:
    """Thousands of neighbours on every port: the table keeps its limits and counts drops."""
    table = lldp.Neighbors()
    local = lldp.LocalSystem(bytes(6), "x", "y")
    for n in range(3000):
        advert = lldp.decode(lldp.encode(local, str(n), "", 120))
        assert advert is not None
        table.learn(f"A{n % 24 + 1}", advert, 0.0)
    assert len(table.entries) == lldp.MAX_NEIGHBORS
    assert table.dropped == 3000 - len(table.entries)


@pytest.mark.parametrize("header", [b"\xff\xff", b"\x02\x00", b"\x01\xff"])
def test_tlv_claiming_more_than_the_frame_is_none(header: bytes) -> None:
    """A TLV header of all ones (type 127, 511 octets) or a mandatory TLV claiming beyond the
    frame's end."""
    frame = lldp.encode(lldp.LocalSystem(bytes(6), "x", "y"), "1", "", 120)
    assert lldp.decode(frame[:14] + header + b"\x00" * 10) is None


def test_jumbo_frame_of_end_less_tlvs_costs_linear_work() -> None:
    """9,000 octets of zero-length TLVs after the mandatory ones: one step per TLV."""
    frame = lldp.encode(lldp.LocalSystem(bytes(6), "x", "y"), "1", "", 120)[:-2]
    frame += b"\x08\x00" * 4500
    assert decoded(frame) is not None
