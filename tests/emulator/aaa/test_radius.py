"""The RADIUS client against a small in-test server written from RFC 2865 (the e2e test runs
FreeRADIUS itself): the password hidden as section 5.2 says, only genuine answers counted, a
silent or forging server retried and then UNREACHABLE, Service-Type read as the level."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import socket
import struct
from typing import cast

from emulator import inband
from emulator.aaa import radius
from emulator.aaa.radius import Outcome

SECRET = b"s3cret"


def reveal(hidden: bytes, authenticator: bytes) -> bytes:
    """RFC 2865 5.2 backwards, as a server does it."""
    out, previous = b"", authenticator
    for start in range(0, len(hidden), 16):
        block = hidden[start:start + 16]
        pad = hashlib.md5(SECRET + previous).digest()
        out += bytes(a ^ b for a, b in zip(block, pad, strict=True))
        previous = block
    return out.rstrip(b"\0")


class Server(asyncio.DatagramProtocol):
    """Accepts `alice`/`wonder` as Administrative-User; `forge` answers with a wrong
    authenticator, `silent` never answers."""

    def __init__(self, mode: str = "ok") -> None:
        self.mode = mode
        self.requests: list[dict[int, bytes]] = []
        self.transport: asyncio.DatagramTransport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # CPython's selector datagram transport does not subclass DatagramTransport.
        self.transport = cast(asyncio.DatagramTransport, transport)

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        _code, ident, length, authenticator = struct.unpack_from("!BBH16s", data)
        attrs = dict(radius.attributes(data[20:length]))
        self.requests.append(attrs)
        signature = attrs[radius.MESSAGE_AUTHENTICATOR]
        blank = data.replace(signature, bytes(16))
        assert hmac.new(SECRET, blank, hashlib.md5).digest() == signature
        if self.mode == "silent":
            return
        password = reveal(attrs[radius.USER_PASSWORD], authenticator)
        good = attrs[radius.USER_NAME] == b"alice" and password == b"wonder"
        body = struct.pack("!BBI", radius.SERVICE_TYPE, 6, 6) if good else b""
        answer = radius.ACCESS_ACCEPT if good else radius.ACCESS_REJECT
        head = struct.pack("!BBH", answer, ident, 20 + len(body))
        digest = hashlib.md5(head + authenticator + body + SECRET).digest()
        if self.mode == "forge":
            digest = bytes(16)
        assert self.transport is not None
        self.transport.sendto(head + digest + body, addr)


async def serve(mode: str, host: str = "127.0.0.1"
                ) -> tuple[Server, asyncio.DatagramTransport, int]:
    protocol = Server(mode)
    transport, _ = await asyncio.get_running_loop().create_datagram_endpoint(
        lambda: protocol, local_addr=(host, 0))
    return protocol, transport, int(transport.get_extra_info("sockname")[1])


def client() -> radius.RadiusClient:
    return radius.RadiusClient(lambda: inband.socket_in(None, socket.SOCK_DGRAM), 0.2, 1)


async def ask(port: int, user: str, password: str,
              rc: radius.RadiusClient | None = None) -> radius.Answer:
    return await (rc or client()).authenticate(
        [radius.Server("127.0.0.1", port, SECRET)], user, password, radius.SERVICE_LOGIN,
        "HP-8212zl", "10.0.0.9")


def test_accept_reject_and_what_the_request_carries() -> None:
    async def scenario() -> None:
        server, transport, port = await serve("ok")
        try:
            assert await ask(port, "alice", "wonder") == radius.Answer(
                Outcome.ACCEPT, "manager", "127.0.0.1")
            assert (await ask(port, "alice", "a much longer password than sixteen")).outcome \
                is Outcome.REJECT
        finally:
            transport.close()
        first = server.requests[0]
        assert first[radius.NAS_IDENTIFIER] == b"HP-8212zl"
        assert first[radius.CALLING_STATION_ID] == b"10.0.0.9"
        assert len(server.requests[1][radius.USER_PASSWORD]) == 48

    asyncio.run(scenario())


def test_forged_or_missing_answers_are_retried_then_unreachable() -> None:
    async def scenario() -> None:
        for mode in ("forge", "silent"):
            server, transport, port = await serve(mode)
            rc = client()
            try:
                assert (await ask(port, "alice", "wonder", rc)).outcome is Outcome.UNREACHABLE
            finally:
                transport.close()
            counts = rc.counters["127.0.0.1"]
            assert len(server.requests) == 2 and counts.retransmissions == 1
            assert counts.timeouts == 2
            assert counts.bad_authenticators == (2 if mode == "forge" else 0)

    asyncio.run(scenario())


def test_password_hiding_round_trips_for_every_length() -> None:
    authenticator = bytes(range(16))
    for size in (0, 1, 15, 16, 17, 128):
        password = b"p" * size
        hidden = radius.hide_password(password, SECRET, authenticator)
        assert len(hidden) % 16 == 0 and len(hidden) >= 16
        assert reveal(hidden, authenticator) == password


def test_a_server_that_did_not_answer_is_skipped_for_its_dead_time() -> None:
    async def scenario() -> None:
        silent, silent_transport, silent_port = await serve("silent")
        good, good_transport, good_port = await serve("ok", "127.0.0.2")
        rc = client()
        rc.dead_time = 60.0
        servers = [radius.Server("127.0.0.1", silent_port, SECRET),
                   radius.Server("127.0.0.2", good_port, SECRET)]
        try:
            for _ in range(2):
                answer = await rc.authenticate(servers, "alice", "wonder", radius.SERVICE_LOGIN,
                                               "sw", "")
                assert answer.outcome is Outcome.ACCEPT
        finally:
            silent_transport.close()
            good_transport.close()
        assert len(silent.requests) == 2  # one request and its retry, then skipped
        assert len(good.requests) == 2

    asyncio.run(scenario())
