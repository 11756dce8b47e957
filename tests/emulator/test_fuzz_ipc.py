"""The backplane's framing and message decoder under whatever a process on the other end of
the socket writes: arbitrary bytes, frames of every registered message with fields of the
wrong JSON type, JSON nested 100,000 deep, length prefixes of 2**31. The documented refusal
is IpcError (the link is dropped); nothing else escapes, and the framer never buffers more
than one frame's limit."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import socket
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from emulator.ipc import messages, wire
from tests.fuzzing import mangled, measured

KINDS = sorted(messages.REGISTRY)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12)


@st.composite
def bodies(draw: st.DrawFn) -> dict[str, Any]:
    """A message object of a registered kind: its own field names (some left out, some of the
    wrong type) and a few names it does not have."""
    kind = draw(st.sampled_from(KINDS))
    names = [f.name for f in dataclasses.fields(messages.REGISTRY[kind])]  # type: ignore[arg-type]
    body: dict[str, Any] = {"type": kind}
    for name in names:
        if draw(st.booleans()):
            body[name] = draw(json_values)
    body.update(draw(st.dictionaries(st.text(max_size=8), json_values, max_size=2)))
    return body


encoded_bodies = bodies().map(lambda body: json.dumps(body).encode())
payloads = st.one_of(st.binary(max_size=300), encoded_bodies, mangled(encoded_bodies))


def decoded(data: bytes) -> messages.Message | None:
    with measured() as work:
        try:
            msg: messages.Message | None = wire.decode(data)
        except wire.IpcError:
            msg = None
    work.linear(len(data), 20)
    return msg


@given(payloads)
def test_fuzz_decode_answers_a_message_or_ipc_error(data: bytes) -> None:
    msg = decoded(data)
    if msg is not None:
        assert wire.decode(wire.encode(msg)[wire.HEADER.size:]) == msg


@given(st.lists(st.one_of(payloads.map(lambda p: wire.HEADER.pack(len(p)) + p),
                          st.binary(max_size=40)), max_size=6), st.data())
def test_fuzz_framer_takes_any_stream_in_any_chunks(frames: list[bytes],
                                                    data: st.DataObject) -> None:
    """Frames and junk, cut anywhere: each complete frame gives a message or IpcError, and the
    buffer never holds more than one frame's limit plus a read."""
    stream = b"".join(frames)
    framer = wire._Framer()
    at = 0
    while at < len(stream):
        step = data.draw(st.integers(1, wire.RECV_CHUNK))
        framer.feed(stream[at:at + step], [])
        at += step
        while True:
            try:
                msg = framer.next()
            except wire.IpcError:
                framer.buffer.clear()  # the link is dropped: nothing more is read from it
                break
            if msg is None:
                break
        assert len(framer.buffer) <= wire.HEADER.size + wire.MAX_FRAME + wire.RECV_CHUNK


@pytest.mark.parametrize("text", [
    "[" * 100_000 + "]" * 100_000,
    '{"type":"StatusReply","status":' + '{"a":' * 100_000 + "1" + "}" * 100_001,
    '{"type":"PortsReply","ports":' + "[" * 100_000 + "]" * 100_000 + "}",
], ids=["array", "object field", "ports"])
def test_nesting_a_hundred_thousand_deep_is_an_ipc_error(text: str) -> None:
    """json's C scanner recurses per level; the decoder turns its RecursionError into the
    protocol's refusal."""
    with pytest.raises(wire.IpcError):
        wire.decode(text.encode())


@pytest.mark.parametrize("ports", ["7", "[7]", '[{"port":"A1"}]', '[{"bogus":1}]', '"A1"'])
def test_ports_reply_of_the_wrong_shape_is_an_ipc_error(ports: str) -> None:
    with pytest.raises(wire.IpcError):
        wire.decode(f'{{"type":"PortsReply","ports":{ports}}}'.encode())


@pytest.mark.parametrize("length", [2**31, 2**32 - 1, wire.MAX_FRAME + 1])
def test_length_prefix_beyond_the_limit_drops_the_link(length: int) -> None:
    """Over a real socket pair: a header claiming 2**31 bytes is refused on arrival, before
    anything is buffered for it."""
    async def scenario() -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        link = wire.Link(ours)
        try:
            theirs.sendall(wire.HEADER.pack(length) + b"{" * 1000)
            with pytest.raises(wire.IpcError, match=f"frame of {length} bytes"):
                await asyncio.wait_for(link.recv(), 5)
            assert len(link._framer.buffer) <= wire.HEADER.size + wire.RECV_CHUNK
        finally:
            link.close()
            theirs.close()

    asyncio.run(scenario())


def test_megabyte_without_a_complete_frame_is_buffered_not_parsed() -> None:
    """Up to MAX_FRAME the framer waits for the rest of a frame; each arrival costs the same
    (no rescanning of what is already buffered)."""
    framer = wire._Framer()
    framer.feed(wire.HEADER.pack(wire.MAX_FRAME), [])
    with measured() as work:
        for _ in range(64):
            framer.feed(bytes(16384), [])
            assert framer.next() is None
    assert work.calls < 64 * 10
