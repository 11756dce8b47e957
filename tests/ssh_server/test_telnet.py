"""Telnet: the codec byte by byte, then the server with a raw socket client that checks the
negotiation, and abusive clients."""

from __future__ import annotations

import asyncio
import socket

import pytest

from ssh_server.telnet import (
    DO,
    DONT,
    ECHO,
    GREETING,
    IAC,
    NAWS,
    SB,
    SE,
    SGA,
    WILL,
    WONT,
    TelnetCodec,
    escape,
)
from tests.ssh_server.clients import (
    BANNER,
    PROMPT,
    LineCli,
    ServerFactory,
    closed_by_server,
    read_until,
)

TTYPE = 24
NAWS_132x50 = bytes([IAC, SB, NAWS, 0, 132, 0, 50, IAC, SE])
CLIENT_ACKS = bytes([IAC, DO, ECHO, IAC, DO, SGA, IAC, WILL, NAWS])


def feed_bytewise(codec: TelnetCodec, stream: bytes) -> tuple[bytes, bytes, list[tuple[int, int]]]:
    data, replies, sizes = b"", b"", []
    for byte in stream:
        decoded = codec.feed(bytes([byte]))
        data += decoded.data
        replies += decoded.replies
        sizes += [decoded.size] if decoded.size else []
    return data, replies, sizes


@pytest.mark.parametrize("bytewise", [False, True])
def test_codec_strips_commands_and_reads_naws(bytewise: bool) -> None:
    stream = (b"ab" + CLIENT_ACKS + NAWS_132x50 + b"c\xff\xffd" + bytes([IAC, 241])
              + bytes([IAC, SB, NAWS, 1, 0, 255, 255, 40, IAC, SE]) + b"e")
    codec = TelnetCodec()
    if bytewise:
        data, replies, sizes = feed_bytewise(codec, stream)
        assert sizes == [(132, 50), (256, 65320)]
    else:
        decoded = codec.feed(stream)
        data, replies = decoded.data, decoded.replies
        assert decoded.size == (256, 65320)
    assert data == b"abc\xffde"
    assert replies == b""  # acknowledgements of our own offers get no answer


@pytest.mark.parametrize(
    ("stream", "expected"),
    [
        (b"show\r\0ver\r\n", b"show\rver\r"),
        (b"a\r\rb\r", b"a\r\rb\r"),
        (b"lf\nonly", b"lf\nonly"),
        (b"\r\r\n\0", b"\r\r\0"),
    ],
)
def test_codec_turns_enter_into_cr(stream: bytes, expected: bytes) -> None:
    assert TelnetCodec().feed(stream).data == expected
    assert feed_bytewise(TelnetCodec(), stream)[0] == expected


def test_codec_refuses_unknown_options_and_answers_only_changes() -> None:
    codec = TelnetCodec()
    requests = bytes([IAC, DO, TTYPE, IAC, WILL, TTYPE, IAC, DONT, ECHO, IAC, DONT, ECHO,
                      IAC, DO, ECHO, IAC, WONT, NAWS, IAC, WONT, NAWS])
    assert codec.feed(requests).replies == bytes([
        IAC, WONT, TTYPE, IAC, DONT, TTYPE, IAC, WONT, ECHO, IAC, WILL, ECHO, IAC, DONT, NAWS])


def test_codec_bounds_long_subnegotiation() -> None:
    codec = TelnetCodec()
    decoded = codec.feed(bytes([IAC, SB, NAWS]) + b"\x01" * 100000 + bytes([IAC, SE]) + b"ok")
    assert (decoded.data, decoded.size) == (b"ok", None)


def test_escape_doubles_iac() -> None:
    assert escape(b"a\xffb\xff\xff") == b"a\xff\xffb\xff\xff\xff\xff"


def test_server_negotiates_and_honours_naws(telnet_server: ServerFactory) -> None:
    async def main() -> None:
        cli = LineCli()
        async with telnet_server(cli) as (_, port):
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            assert await reader.readexactly(len(GREETING)) == GREETING
            assert await read_until(reader, PROMPT) == BANNER + PROMPT
            writer.write(CLIENT_ACKS + NAWS_132x50[:4])
            await writer.drain()
            writer.write(NAWS_132x50[4:] + b"size\r\0peer\r\nff\r\0")
            assert await read_until(reader, PROMPT) == b"132x50\r\n" + PROMPT
            assert await read_until(reader, PROMPT) == (
                b"telnet 127.0.0.1 None None pty=True\r\n" + PROMPT)
            assert await read_until(reader, PROMPT) == b"\xff\xff\r\n" + PROMPT
            writer.write(bytes([IAC, DO, TTYPE]) + b"exit\r\0")
            assert await asyncio.wait_for(reader.read(-1), 5) == bytes([IAC, WONT, TTYPE])
            writer.close()
        assert cli.received == b"size\rpeer\rff\rexit\r"

    asyncio.run(main())


def test_session_cap_and_close_connections(telnet_server: ServerFactory) -> None:
    async def main() -> None:
        cli = LineCli()
        async with telnet_server(cli, max_sessions=2) as (handle, port):
            sessions = [await asyncio.open_connection("127.0.0.1", port) for _ in range(2)]
            for reader, _ in sessions:
                await read_until(reader, PROMPT)
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            assert await closed_by_server(reader) == b""
            writer.close()
            handle.close_connections()
            for reader, writer in sessions:
                assert await closed_by_server(reader) == b""
                writer.close()
            handle.close()
            await handle.wait_closed()
            assert cli.finished == 2

    asyncio.run(main())


def test_garbage_and_megabyte_lines(telnet_server: ServerFactory) -> None:
    async def main() -> None:
        async with telnet_server(LineCli()) as (_, port):
            reader, writer = await asyncio.open_connection("127.0.0.1", port, limit=1 << 22)
            await read_until(reader, PROMPT)
            # The garbage ends in IAC: the NUL after it completes that command.
            writer.write(bytes(range(256)) * 4096 + b"\0\r" + b"z" * (1024 * 1024) + b"\r\0")
            await read_until(reader, b"said: " + b"z" * 40 + b" len=1024\r\n" + PROMPT)
            writer.write(b"size\r\0")
            assert await read_until(reader, PROMPT) == b"80x24\r\n" + PROMPT
            writer.close()

    asyncio.run(main())


def test_client_that_never_reads_stalls_drain(telnet_server: ServerFactory) -> None:
    async def main() -> None:
        cli = LineCli()
        async with telnet_server(cli) as (_, port):
            sock = socket.socket()
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            sock.connect(("127.0.0.1", port))
            sock.sendall(b"flood\r\0")
            await asyncio.wait_for(cli.stalled.wait(), 20)
            assert cli.flooded < 16 * 1024 * 1024
            sock.close()

    asyncio.run(main())


def test_debian_telnet_client(telnet_server: ServerFactory) -> None:
    async def main() -> None:
        async with telnet_server(LineCli()) as (_, port):
            process = await asyncio.create_subprocess_exec(
                "telnet", "127.0.0.1", str(port), stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL)
            assert process.stdin and process.stdout
            await read_until(process.stdout, PROMPT)
            process.stdin.write(b"hello\nexit\n")
            out = await asyncio.wait_for(process.stdout.read(), 10)
            await process.wait()
        assert b"said: hello len=5\r\n" in out

    asyncio.run(main())
