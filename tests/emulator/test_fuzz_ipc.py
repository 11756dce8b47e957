"""The backplane's framing and message decoder under whatever a process on the other end of
the socket writes: arbitrary bytes, frames of every registered message with fields of the
wrong JSON type, JSON nested 100,000 deep, length prefixes of 2**31. The documented refusal
is IpcError (the link is dropped); nothing else escapes, and the framer never buffers more
than one frame's limit."""

from __future__ import annotations

import asyncio
import json
import socket
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from emulator import ipc
from tests.fuzzing import mangled, measured

KINDS = sorted(ipc._REGISTRY)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12)


@st.composite
def bodies(draw: st.DrawFn) -> dict[str, Any]:
    """A message object of a registered kind: its own field names (some left out, some of the
    wrong type) and a few names it does not have."""
    kind = draw(st.sampled_from(KINDS))
    names = [f.name for f in ipc.fields(ipc._REGISTRY[kind])]  # type: ignore[arg-type]
    body: dict[str, Any] = {"type": kind}
    for name in names:
        if draw(st.booleans()):
            body[name] = draw(json_values)
    body.update(draw(st.dictionaries(st.text(max_size=8), json_values, max_size=2)))
    return body


encoded_bodies = bodies().map(lambda body: json.dumps(body).encode())
payloads = st.one_of(st.binary(max_size=300), encoded_bodies, mangled(encoded_bodies))


def decoded(data: bytes) -> ipc.Message | None:
    with measured() as work:
        try:
            msg: ipc.Message | None = ipc.decode(data)
        except ipc.IpcError:
            msg = None
    work.linear(len(data), 20)
    return msg


@given(payloads)
def test_fuzz_decode_answers_a_message_or_ipc_error(data: bytes) -> None:
    msg = decoded(data)
    if msg is not None:
        assert ipc.decode(ipc.encode(msg)[ipc.HEADER.size:]) == msg


@given(st.lists(st.one_of(payloads.map(lambda p: ipc.HEADER.pack(len(p)) + p),
                          st.binary(max_size=40)), max_size=6), st.data())
def test_fuzz_framer_takes_any_stream_in_any_chunks(frames: list[bytes],
                                                    data: st.DataObject) -> None:
    """Frames and junk, cut anywhere: each complete frame gives a message or IpcError, and the
    buffer never holds more than one frame's limit plus a read."""
    stream = b"".join(frames)
    framer = ipc._Framer()
    at = 0
    while at < len(stream):
        step = data.draw(st.integers(1, ipc.RECV_CHUNK))
        framer.feed(stream[at:at + step], [])
        at += step
        while True:
            try:
                msg = framer.next()
            except ipc.IpcError:
                framer.buffer.clear()  # the link is dropped: nothing more is read from it
                break
            if msg is None:
                break
        assert len(framer.buffer) <= ipc.HEADER.size + ipc.MAX_FRAME + ipc.RECV_CHUNK


@pytest.mark.parametrize("text", [
    "[" * 100_000 + "]" * 100_000,
    '{"type":"StatusReply","status":' + '{"a":' * 100_000 + "1" + "}" * 100_001,
    '{"type":"PortsReply","ports":' + "[" * 100_000 + "]" * 100_000 + "}",
], ids=["array", "object field", "ports"])
def test_nesting_a_hundred_thousand_deep_is_an_ipc_error(text: str) -> None:
    """json's C scanner recurses per level; the decoder turns its RecursionError into the
    protocol's refusal."""
    with pytest.raises(ipc.IpcError):
        ipc.decode(text.encode())


@pytest.mark.parametrize("ports", ["7", "[7]", '[{"port":"A1"}]', '[{"bogus":1}]', '"A1"'])
def test_ports_reply_of_the_wrong_shape_is_an_ipc_error(ports: str) -> None:
    with pytest.raises(ipc.IpcError):
        ipc.decode(f'{{"type":"PortsReply","ports":{ports}}}'.encode())


@pytest.mark.parametrize("length", [2**31, 2**32 - 1, ipc.MAX_FRAME + 1])
def test_length_prefix_beyond_the_limit_drops_the_link(length: int) -> None:
    """Over a real socket pair: a header claiming 2**31 bytes is refused on arrival, before
    anything is buffered for it."""
    async def scenario() -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        link = ipc.Link(ours)
        try:
            theirs.sendall(ipc.HEADER.pack(length) + b"{" * 1000)
            with pytest.raises(ipc.IpcError, match=f"frame of {length} bytes"):
                await asyncio.wait_for(link.recv(), 5)
            assert len(link._framer.buffer) <= ipc.HEADER.size + ipc.RECV_CHUNK
        finally:
            link.close()
            theirs.close()

    asyncio.run(scenario())


def test_megabyte_without_a_complete_frame_is_buffered_not_parsed() -> None:
    """Up to MAX_FRAME the framer waits for the rest of a frame; each arrival costs the same
    (no rescanning of what is already buffered)."""
    framer = ipc._Framer()
    framer.feed(ipc.HEADER.pack(ipc.MAX_FRAME), [])
    with measured() as work:
        for _ in range(64):
            framer.feed(bytes(16384), [])
            assert framer.next() is None
    assert work.calls < 64 * 10
