"""The telnet codec (IAC commands, option negotiation, NAWS subnegotiation, CR NUL/CR LF)
under anything a client sends, cut into reads anywhere: the same terminal input, replies and
window size whatever the cuts, never more output than input, a bounded subnegotiation buffer,
and a megabyte with no IAC and no newline passed through in a handful of steps."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ssh_server import telnet
from ssh_server.telnet import IAC, NAWS, SB, SE, TelnetCodec
from tests.fuzzing import mangled, measured


def naws(size: tuple[int, int]) -> bytes:
    """A window-size report as a client sends it (0xFF in the numbers doubled)."""
    return bytes((IAC, SB, NAWS)) + b"".join(
        n.to_bytes(2, "big").replace(b"\xff", b"\xff\xff") for n in size) + bytes((IAC, SE))


VERBS = (telnet.WILL, telnet.WONT, telnet.DO, telnet.DONT)
commands = st.one_of(
    st.tuples(st.sampled_from(VERBS), st.integers(0, 255)).map(lambda c: bytes((IAC, *c))),
    st.tuples(st.integers(0, 65535), st.integers(0, 65535)).map(naws),
    st.binary(max_size=100).map(lambda body: bytes((IAC, SB)) + body + bytes((IAC, SE))),
    st.integers(0, 255).map(lambda c: bytes((IAC, c))),
    st.sampled_from((b"\r\x00", b"\r\n", b"\r", b"\xff\xff")),
    st.binary(max_size=40),
)
sessions = st.lists(commands, max_size=30).map(b"".join)
streams = st.one_of(st.binary(max_size=500), sessions, mangled(sessions))


def feed_all(codec: TelnetCodec,
             chunks: list[bytes]) -> tuple[bytes, bytes, list[tuple[int, int]]]:
    data, replies, sizes = bytearray(), bytearray(), []
    for chunk in chunks:
        with measured() as work:
            decoded = codec.feed(chunk)
        work.linear(len(chunk), 8)
        assert len(decoded.data) <= len(chunk)
        assert len(codec._subneg) <= telnet.MAX_SUBNEGOTIATION
        data += decoded.data
        replies += decoded.replies
        if decoded.size is not None:
            sizes.append(decoded.size)
    return bytes(data), bytes(replies), sizes


@given(streams, st.lists(st.integers(1, 64), max_size=40))
def test_fuzz_codec_output_does_not_depend_on_where_reads_end(stream: bytes,
                                                             cuts: list[int]) -> None:
    whole = feed_all(TelnetCodec(), [stream])
    chunks, at = [], 0
    for size in cuts:
        chunks.append(stream[at:at + size])
        at += size
    chunks.append(stream[at:])
    data, replies, sizes = feed_all(TelnetCodec(), [c for c in chunks if c])
    assert (data, replies) == whole[:2]
    assert sizes[-1:] == whole[2][-1:]  # a read reports the last size it saw
    assert len(replies) <= 3 * stream.count(IAC)


@given(st.tuples(st.integers(0, 65535), st.integers(0, 65535)), st.integers(1, 12))
def test_fuzz_naws_split_anywhere_gives_the_size(size: tuple[int, int], cut: int) -> None:
    report = naws(size)
    codec = TelnetCodec()
    first = codec.feed(report[:cut])
    assert (first.size or codec.feed(report[cut:]).size) == size


def test_megabyte_without_newline_or_iac_is_one_copy() -> None:
    codec = TelnetCodec()
    with measured() as work:
        decoded = codec.feed(b"x" * 1_000_000)
    assert decoded.data == b"x" * 1_000_000 and decoded.replies == b""
    assert work.calls < 20


def test_endless_subnegotiation_is_capped() -> None:
    """IAC SB and a megabyte never closed by IAC SE: nothing reaches the CLI, the buffer stays
    at its cap, and the stream recovers at the next IAC SE."""
    codec = TelnetCodec()
    assert codec.feed(bytes((IAC, SB, NAWS)) + b"\x00\x50" * 500_000).data == b""
    assert len(codec._subneg) == telnet.MAX_SUBNEGOTIATION
    assert codec.feed(bytes((IAC, SE)) + b"show\r\n").data == b"show\r"
