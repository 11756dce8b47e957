"""SNMPv3 and the User-based Security Model under hostile datagrams. The messages start as
real ones (every user of test_v3: MD5/SHA/SHA-256, DES/AES, signed and encrypted for this
switch's engine, in its time window) and are mangled before or after sealing, so the fuzzer
reaches the HMAC check, the decryption and the ScopedPDU behind them, not only the header.
Usm.receive answers a request, a Report or nothing (counted); it never raises."""

from __future__ import annotations

import contextlib
import functools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from emulator.device import Device
from snmp import ber, usm
from snmp.ber import Pdu, Value
from snmp.crypto import AUTH
from snmp.message_v3 import (
    FLAG_AUTH,
    FLAG_PRIV,
    FLAG_REPORTABLE,
    Level,
    Outgoing,
    decode,
    decode_scoped,
    encode,
    encode_scoped,
)
from snmp.users import count_boot
from snmp.usm import Usm
from tests.fuzzing import booted_device, mangled, measured
from tests.snmp.test_ber import varbind_lists
from tests.snmp.test_fuzz_ber import CALLS_PER_OCTET, nested
from tests.snmp.test_v3 import USERS, add_users

LEVELS = {name: Level.NO_AUTH if auth is None else Level.AUTH if priv is None else Level.PRIV
          for name, (auth, priv, _) in USERS.items()}


@functools.cache
def v3_device() -> Device:
    device = booted_device("usm")
    add_users(device)
    return device


@functools.cache
def engine() -> Usm:
    return Usm(v3_device())


engine()  # made here: its salt comes from `random`, which strategies must not call


pdus = st.builds(Pdu, st.sampled_from((ber.GET, ber.GETNEXT, ber.GETBULK, ber.SET)),
                 st.integers(-(2**31), 2**31 - 1), st.integers(0, 5), st.integers(0, 5),
                 varbind_lists)
scoped_pdus = st.builds(lambda pdu, name: encode_scoped(engine().engine_id, name, pdu), pdus,
                        st.sampled_from((b"", b"", b"x")))


def header(user: str, scoped: bytes, msg_id: int) -> Outgoing:
    device = v3_device()
    return Outgoing(msg_id, FLAG_REPORTABLE, engine().engine_id, count_boot(device),
                    device.engine_time(), user.encode(), 0, b"", scoped)


def sealed(user: str, scoped: bytes, msg_id: int = 1) -> bytes:
    """What a manager sends as `user` at the user's own level."""
    keys = engine().keys.users()[user]
    return usm.seal(header(user, scoped, msg_id), LEVELS[user], keys, salt=msg_id)


def signed_raw_cipher(user: str, cipher: bytes, priv_params: bytes) -> bytes:
    """An authentic message whose encryptedPDU and privacy parameters are whatever the fuzzer
    chose: the HMAC passes, so the decryption and the ScopedPDU decoder get the bytes."""
    keys = engine().keys.users()[user]
    assert keys.auth is not None
    protocol = AUTH[keys.auth]
    out = header(user, ber.tlv(ber.OCTET_STRING, cipher), 1)
    message, at = encode(Outgoing(
        out.msg_id, FLAG_REPORTABLE | FLAG_AUTH | FLAG_PRIV, out.engine_id, out.boots,
        out.engine_time, out.user, protocol.digest_size, priv_params, out.msg_data))
    digest = protocol.sign(keys.auth_key, message)
    return message[:at] + digest + message[at + len(digest):]


V3Outcome = usm.V3Message | bytes | None
users = st.sampled_from(sorted(USERS))
v3_messages = st.builds(sealed, users, scoped_pdus, st.integers(0, 2**31 - 1))
datagrams = st.one_of(
    st.binary(max_size=600),
    mangled(v3_messages),  # damaged on the wire: header, USM parameters, HMAC
    st.builds(sealed, users, mangled(scoped_pdus)),  # authentic, the ScopedPDU damaged
    st.builds(signed_raw_cipher, st.sampled_from(("shaaes", "md5des", "sha256aes")),
              st.binary(max_size=300), st.binary(max_size=12)),
)


def received(data: bytes) -> V3Outcome:
    """Usm.receive, with the decoders' call count held linear in the datagram (the HMAC and
    the cipher are single C calls)."""
    agent_side = engine()
    agent_side.keys.users()  # the security file read, once
    with measured() as work:
        outcome = agent_side.receive(data)
    work.linear(len(data), CALLS_PER_OCTET, base=1500)
    return outcome


@given(datagrams)
def test_fuzz_usm_answers_request_report_or_nothing(data: bytes) -> None:
    outcome = received(data)
    assert outcome is None or isinstance(outcome, bytes | usm.V3Message)
    if isinstance(outcome, bytes):  # a Report is itself a v3 message this codec reads
        decode(outcome)


@given(st.one_of(st.binary(max_size=600), mangled(v3_messages)))
def test_fuzz_v3_decoder_raises_only_decode_error(data: bytes) -> None:
    try:
        incoming = decode(data)
    except ber.DecodeError:
        return
    if not incoming.encrypted:
        with contextlib.suppress(ber.DecodeError):
            decode_scoped(incoming.scoped)


@given(users, scoped_pdus)
def test_fuzz_sealed_messages_are_requests(user: str, scoped: bytes) -> None:
    """The unmangled messages get through USM (or, for the user without a group, as far as
    the access check): the fuzzer's starting points are real."""
    outcome = received(sealed(user, scoped))
    context = decode_scoped(scoped)[1]
    if context:
        assert isinstance(outcome, bytes)  # snmpUnknownContexts report
    else:
        assert isinstance(outcome, usm.V3Message) and outcome.user_name == user.encode()


@pytest.mark.parametrize("user", ["auth", "shaaes"])
def test_nested_and_huge_scoped_pdu_is_a_parse_error_or_report(user: str) -> None:
    """10,000 nested SEQUENCEs and a 2**31 length inside an authentic message: refused flat."""
    deep = nested(10_000)
    huge = b"\x30\x84\x80\x00\x00\x00" + bytes(20)
    for scoped in (deep, huge):
        before = dict(v3_device().snmp_counters)
        outcome = received(sealed(user, scoped))
        after = v3_device().snmp_counters
        if user == "auth":
            assert outcome is None
            assert after["snmpInASNParseErrs"] == before.get("snmpInASNParseErrs", 0) + 1
        else:  # the decrypted text does not parse: usmStatsDecryptionErrors
            assert isinstance(outcome, bytes)
            assert after["usmStatsDecryptionErrors"] == before.get(
                "usmStatsDecryptionErrors", 0) + 1


def test_unknown_value_in_authentic_request_is_refused() -> None:
    """An authentic request whose var-bind holds a tag no SNMP type has."""
    bad = ber.tlv(ber.SEQUENCE, ber.tlv(ber.OBJECT_ID, ber.encode_oid_body((1, 3, 6)))
                  + b"\x9f\x01\x00")
    pdu = ber.tlv(ber.GET, b"\x02\x01\x01\x02\x01\x00\x02\x01\x00" + ber.tlv(ber.SEQUENCE, bad))
    scoped = ber.tlv(ber.SEQUENCE, ber.tlv(ber.OCTET_STRING, engine().engine_id)
                     + ber.tlv(ber.OCTET_STRING, b"") + pdu)
    assert received(sealed("auth", scoped)) is None
    assert isinstance(received(sealed("shaaes", encode_scoped(
        engine().engine_id, b"", Pdu(ber.GET, 1, varbinds=[((1, 3, 6), Value(ber.NULL))])))),
        usm.V3Message)
