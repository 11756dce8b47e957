"""The TACACS+ client against the test suite's RFC 8907 server (tacacs_server.py; no server
is packaged here): ASCII login, enable, privilege from authorization, the key, and servers
that are down."""

from __future__ import annotations

import asyncio
import socket

from emulator.aaa import tacacs
from emulator.aaa.radius import Outcome
from tests.emulator.aaa.tacacs_server import TacacsServer

KEY = b"tackey"
USERS = {"alice": ("wonder", 15), "bob": ("builder", 1)}


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def ask(servers: list[tacacs.Server], user: str, password: str,
              service: int = tacacs.SERVICE_LOGIN, privilege_mode: bool = False,
              client: tacacs.TacacsClient | None = None) -> tuple[Outcome, str | None]:
    client = client or tacacs.TacacsClient(asyncio.open_connection, 2.0)
    answer = await client.authenticate(servers, user, password, service, "ssh", "10.0.0.9",
                                       privilege_mode)
    return answer.outcome, answer.level


def test_logins_enable_and_the_level_from_authorization() -> None:
    async def scenario() -> None:
        server = TacacsServer(KEY, USERS)
        port = await server.start()
        here = [tacacs.Server("127.0.0.1", port, KEY)]
        try:
            assert await ask(here, "alice", "wonder") == (Outcome.ACCEPT, "operator")
            assert await ask(here, "alice", "wonder", privilege_mode=True) == (
                Outcome.ACCEPT, "manager")
            assert await ask(here, "bob", "builder", privilege_mode=True) == (
                Outcome.ACCEPT, "operator")
            assert await ask(here, "bob", "wrong") == (Outcome.REJECT, None)
            assert await ask(here, "", "wonder") == (Outcome.REJECT, None)
            assert await ask(here, "bob", "enable", tacacs.SERVICE_ENABLE) == (
                Outcome.ACCEPT, "manager")
        finally:
            await server.stop()
        assert (2, "alice") in server.seen

    asyncio.run(scenario())


def test_a_wrong_key_or_a_dead_server_is_unreachable_and_the_next_is_asked() -> None:
    async def scenario() -> None:
        server = TacacsServer(KEY, USERS)
        port = await server.start()
        client = tacacs.TacacsClient(asyncio.open_connection, 2.0)
        dead = tacacs.Server("127.0.0.1", closed_port(), KEY)
        try:
            wrong = [tacacs.Server("127.0.0.1", port, b"other")]
            assert await ask(wrong, "alice", "wonder", client=client) == (
                Outcome.UNREACHABLE, None)
            good = tacacs.Server("127.0.0.1", port, KEY)
            assert await ask([dead, good], "alice", "wonder", client=client) == (
                Outcome.ACCEPT, "operator")
        finally:
            await server.stop()
        counts = client.counters["127.0.0.1"]
        assert counts.errors == 2 and counts.opens >= 2 and counts.packets_out >= 2

    asyncio.run(scenario())


def test_obfuscation_is_its_own_inverse_and_off_without_a_key() -> None:
    body = b"\x01\x01\x01\x01\x05\x00\x00\x00alice"
    hidden = tacacs.obfuscate(body, 0x1234, KEY, tacacs.VERSION, 1)
    assert hidden != body and tacacs.obfuscate(hidden, 0x1234, KEY, tacacs.VERSION, 1) == body
    assert tacacs.obfuscate(body, 0x1234, b"", tacacs.VERSION, 1) == body
    assert tacacs.packet(tacacs.AUTHEN, 1, 7, b"", body)[3] == tacacs.UNENCRYPTED
