"""A RADIUS client (RFC 2865 authentication, RFC 2866 accounting): what the switch sends to
check a login and to account a session, and how it reads the answer.

An Access-Request carries the user name, the password hidden with the shared secret (RFC 2865
5.2), NAS-Identifier (the hostname), Service-Type (Login for a login, Administrative for
`enable`), NAS-Port-Type Virtual, Calling-Station-Id (the client's address) and a
Message-Authenticator (RFC 3579 3.2; servers hardened against forged replies require it). An
answer counts only when its Response Authenticator (and Message-Authenticator, if present)
proves the server knows the secret. Each server is sent the request `retransmit` times more
after `timeout` seconds without an answer, then the next server is tried; none answering is
`UNREACHABLE`, which lets the login fall back to the local passwords.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import os
import socket
import struct
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Final

ACCESS_REQUEST: Final = 1
ACCESS_ACCEPT: Final = 2
ACCESS_REJECT: Final = 3
ACCOUNTING_REQUEST: Final = 4
ACCOUNTING_RESPONSE: Final = 5
ACCESS_CHALLENGE: Final = 11

USER_NAME: Final = 1
USER_PASSWORD: Final = 2
SERVICE_TYPE: Final = 6
CALLING_STATION_ID: Final = 31
NAS_IDENTIFIER: Final = 32
ACCT_STATUS_TYPE: Final = 40
ACCT_SESSION_ID: Final = 44
ACCT_SESSION_TIME: Final = 46
NAS_PORT_TYPE: Final = 61
MESSAGE_AUTHENTICATOR: Final = 80

SERVICE_LOGIN: Final = 1
SERVICE_ADMINISTRATIVE: Final = 6
SERVICE_NAS_PROMPT: Final = 7
PORT_TYPE_VIRTUAL: Final = 5
ACCT_START: Final = 1
ACCT_STOP: Final = 2

LEVELS: Final = {SERVICE_ADMINISTRATIVE: "manager", SERVICE_NAS_PROMPT: "operator"}
"""Service-Type in an Access-Accept -> the level the user gets (K.15: Administrative-User is
the manager, NAS-Prompt-User the operator)."""
HEADER: Final = struct.Struct("!BBH16s")
MAX_PACKET: Final = 4096


class Outcome(Enum):
    ACCEPT = "accept"
    REJECT = "reject"
    UNREACHABLE = "unreachable"


@dataclass(frozen=True)
class Answer:
    outcome: Outcome
    level: str | None = None
    """From the accept's Service-Type; None when it carried none."""
    server: str = ""


@dataclass(frozen=True)
class Server:
    address: str
    port: int
    secret: bytes


@dataclass
class Counters:
    """One server's numbers, as `show radius host` prints them."""

    requests: int = 0
    accepts: int = 0
    rejects: int = 0
    challenges: int = 0
    timeouts: int = 0
    retransmissions: int = 0
    bad_authenticators: int = 0
    malformed: int = 0
    unknown_types: int = 0
    dropped: int = 0
    round_trip: int = 0
    """Milliseconds of the last exchange."""
    acct_requests: int = 0
    acct_responses: int = 0
    dead_until: float = 0.0
    """Monotonic time until which the server is skipped (`radius-server dead-time`) after
    it failed to answer."""


def attribute(kind: int, value: bytes) -> bytes:
    return bytes([kind, len(value) + 2]) + value


def integer(kind: int, value: int) -> bytes:
    return attribute(kind, struct.pack("!I", value))


def hide_password(password: bytes, secret: bytes, authenticator: bytes) -> bytes:
    """RFC 2865 5.2: padded to 16-octet blocks, each XORed with MD5(secret + previous)."""
    blocks = max(1, (len(password) + 15) // 16)
    padded = password.ljust(16 * blocks, b"\0")
    out = b""
    previous = authenticator
    for start in range(0, len(padded), 16):
        pad = hashlib.md5(secret + previous).digest()
        block = bytes(a ^ b for a, b in zip(padded[start:start + 16], pad, strict=True))
        out += block
        previous = block
    return out


def attributes(data: bytes) -> list[tuple[int, bytes]]:
    """The attributes of a packet's body; ValueError when they do not add up."""
    found = []
    position = 0
    while position < len(data):
        if position + 2 > len(data):
            raise ValueError("truncated attribute")
        kind, length = data[position], data[position + 1]
        if length < 2 or position + length > len(data):
            raise ValueError("bad attribute length")
        found.append((kind, data[position + 2:position + length]))
        position += length
    return found


def access_request(identifier: int, secret: bytes, user: str, password: str,
                   service: int, nas_id: str, caller: str) -> tuple[bytes, bytes]:
    """(packet, its Request Authenticator)."""
    authenticator = os.urandom(16)
    body = (attribute(USER_NAME, user.encode()[:253])
            + attribute(USER_PASSWORD,
                        hide_password(password.encode()[:128], secret, authenticator))
            + integer(SERVICE_TYPE, service)
            + attribute(NAS_IDENTIFIER, nas_id.encode()[:253])
            + integer(NAS_PORT_TYPE, PORT_TYPE_VIRTUAL))
    if caller:
        body += attribute(CALLING_STATION_ID, caller.encode())
    body += attribute(MESSAGE_AUTHENTICATOR, bytes(16))
    packet = HEADER.pack(ACCESS_REQUEST, identifier, HEADER.size + len(body), authenticator) + body
    signature = hmac.new(secret, packet, hashlib.md5).digest()
    return packet[:-16] + signature, authenticator


def accounting_request(identifier: int, secret: bytes, user: str, status: int,
                       session_id: str, nas_id: str, caller: str,
                       session_time: int | None = None) -> bytes:
    """RFC 2866 3: its authenticator is MD5 over the packet with zeros there, plus secret."""
    body = (integer(ACCT_STATUS_TYPE, status) + attribute(ACCT_SESSION_ID, session_id.encode())
            + attribute(USER_NAME, user.encode()[:253])
            + attribute(NAS_IDENTIFIER, nas_id.encode()[:253])
            + integer(SERVICE_TYPE, SERVICE_LOGIN) + integer(NAS_PORT_TYPE, PORT_TYPE_VIRTUAL))
    if caller:
        body += attribute(CALLING_STATION_ID, caller.encode())
    if session_time is not None:
        body += integer(ACCT_SESSION_TIME, session_time)
    length = HEADER.size + len(body)
    blank = HEADER.pack(ACCOUNTING_REQUEST, identifier, length, bytes(16)) + body
    digest = hashlib.md5(blank + secret).digest()
    return HEADER.pack(ACCOUNTING_REQUEST, identifier, length, digest) + body


def verify(reply: bytes, identifier: int, authenticator: bytes, secret: bytes) -> int:
    """The code of a genuine answer to our request; ValueError naming what is wrong."""
    if len(reply) < HEADER.size:
        raise ValueError("malformed")
    code, ident, length, response_auth = HEADER.unpack_from(reply)
    if ident != identifier or length > len(reply) or length < HEADER.size:
        raise ValueError("malformed")
    reply = reply[:length]
    body = reply[HEADER.size:]
    expected = hashlib.md5(reply[:4] + authenticator + body + secret).digest()
    if not hmac.compare_digest(expected, response_auth):
        raise ValueError("bad authenticator")
    found = attributes(body)
    signatures = [value for kind, value in found if kind == MESSAGE_AUTHENTICATOR]
    if signatures:  # RFC 3579 3.2: over the reply, our authenticator in it, itself zeroed
        blank = b"".join(attribute(kind, bytes(16) if kind == MESSAGE_AUTHENTICATOR else value)
                         for kind, value in found)
        digest = hmac.new(secret, reply[:4] + authenticator + blank, hashlib.md5).digest()
        if not hmac.compare_digest(digest, signatures[0]):
            raise ValueError("bad authenticator")
    return int(code)


def service_level(reply: bytes) -> str | None:
    for kind, value in attributes(reply[HEADER.size:HEADER.unpack_from(reply)[2]]):
        if kind == SERVICE_TYPE and len(value) == 4:
            return LEVELS.get(struct.unpack("!I", value)[0])
    return None


SocketFactory = Callable[[], socket.socket]
"""A non-blocking UDP socket in the switch's IP stack (emulator/inband.py's `socket_in`)."""


@dataclass
class RadiusClient:
    make_socket: SocketFactory
    timeout: float
    retransmit: int
    counters: dict[str, Counters] = field(default_factory=dict)
    dead_time: float | None = None
    """Seconds a server that did not answer is skipped; None: it is always asked."""

    async def exchange(self, server: Server, build: Callable[[int], tuple[bytes, bytes]],
                       counts: Counters) -> tuple[bytes, int, bytes] | None:
        """Send until a genuine answer comes back or the tries run out: (answer, its code,
        the request authenticator), or None."""
        loop = asyncio.get_running_loop()
        identifier = os.urandom(1)[0]
        packet, authenticator = build(identifier)
        with self.make_socket() as sock:
            try:
                await loop.sock_connect(sock, (server.address, server.port))
            except OSError:
                return None
            for attempt in range(self.retransmit + 1):
                if attempt:
                    counts.retransmissions += 1
                started = loop.time()
                try:
                    await loop.sock_sendall(sock, packet)
                except OSError:
                    return None
                deadline = started + self.timeout
                while (left := deadline - loop.time()) > 0:
                    try:
                        reply = await asyncio.wait_for(loop.sock_recv(sock, MAX_PACKET), left)
                    except TimeoutError:
                        break
                    except OSError:  # ICMP port unreachable: nobody listens there
                        await asyncio.sleep(max(0.0, deadline - loop.time()))
                        break
                    try:
                        code = verify(reply, identifier, authenticator, server.secret)
                    except ValueError as error:
                        if str(error) == "bad authenticator":
                            counts.bad_authenticators += 1
                        else:
                            counts.malformed += 1
                        counts.dropped += 1
                        continue
                    counts.round_trip = int((loop.time() - started) * 1000)
                    return reply, code, authenticator
                counts.timeouts += 1
        return None

    async def authenticate(self, servers: list[Server], user: str, password: str,
                           service: int, nas_id: str, caller: str) -> Answer:
        """The first server that answers decides; none answering is UNREACHABLE."""
        for server in servers:
            counts = self.counters.setdefault(server.address, Counters())
            if counts.dead_until > time.monotonic():
                continue
            counts.requests += 1

            def build(ident: int, s: Server = server) -> tuple[bytes, bytes]:
                return access_request(ident, s.secret, user, password, service, nas_id,
                                      caller)

            result = await self.exchange(server, build, counts)
            if result is None:
                if self.dead_time is not None:
                    counts.dead_until = time.monotonic() + self.dead_time
                continue
            reply, code, _ = result
            if code == ACCESS_ACCEPT:
                counts.accepts += 1
                return Answer(Outcome.ACCEPT, service_level(reply), server.address)
            if code == ACCESS_CHALLENGE:  # a login prompt has no way to answer one
                counts.challenges += 1
            elif code == ACCESS_REJECT:
                counts.rejects += 1
            else:
                counts.unknown_types += 1
            return Answer(Outcome.REJECT, server=server.address)
        return Answer(Outcome.UNREACHABLE)

    async def account(self, servers: list[Server], user: str, status: int, session_id: str,
                      nas_id: str, caller: str, session_time: int | None = None) -> bool:
        """One Accounting-Request, to the first server that answers."""
        for server in servers:
            counts = self.counters.setdefault(server.address, Counters())
            counts.acct_requests += 1

            def build(ident: int, s: Server = server) -> tuple[bytes, bytes]:
                packet = accounting_request(ident, s.secret, user, status, session_id, nas_id,
                                            caller, session_time)
                return packet, packet[4:HEADER.size]

            result = await self.exchange(server, build, counts)
            if result is not None and result[1] == ACCOUNTING_RESPONSE:
                counts.acct_responses += 1
                return True
        return False
