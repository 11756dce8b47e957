"""The SNTP client (RFC 4330) that sets the chassis clock: `timesync sntp`, `sntp unicast`,
`sntp server priority N ADDR [VERSION]`, `sntp POLL-INTERVAL`.

Each poll asks the servers in priority order until one answers, and moves the chassis clock by
the answer's offset (RFC 4330's ((T2 - T1) + (T3 - T4)) / 2, every T read on the chassis clock,
so the host's own clock is never touched). A change of any SNTP setting polls at once; then
every poll interval. An update is logged as the switch logs it (`00410 SNTP: updated time by N
seconds`), once the clock moved by a second or more. The socket lives in the switch's IP stack
(emulator/inband.py) when it has one.

In broadcast mode the client listens on port 123 of the switch's stack instead: the first
server heard sets the clock from each broadcast's transmit time, and another is heard only
after it fell silent for three poll intervals, as the manual describes.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import struct
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final

from emulator import inband
from emulator.clock import ChassisClock
from emulator.config.model import SntpServer, SwitchConfig
from emulator.events import EventLog

SNTP_PORT: Final = 123
NTP_EPOCH: Final = 2_208_988_800
"""Seconds from 1900-01-01 (NTP's era 0) to 1970-01-01."""
MODE_CLIENT: Final = 3
MODE_SERVER: Final = 4
MODE_BROADCAST: Final = 5
BROADCAST_PATIENCE: Final = 3
"""Poll intervals without a broadcast from the server followed before another is heard."""
PACKET: Final = struct.Struct("!BBbbII4sQQQQ")
"""LI/VN/Mode, stratum, poll, precision, root delay, root dispersion, reference ID, and the
reference, originate, receive and transmit timestamps (RFC 4330, section 4)."""
ANSWER_TIMEOUT: Final = 2.0
"""Seconds one server has to answer before the next is asked."""
LOGGED_STEP: Final = 1.0
SNTP_EVENT_ID: Final = 410


def to_ntp(when: float) -> int:
    """Epoch seconds as a 64-bit NTP timestamp."""
    return int((when + NTP_EPOCH) * 2**32) & (2**64 - 1)


def from_ntp(stamp: int) -> float:
    return stamp / 2**32 - NTP_EPOCH


def request(version: int, sent: float) -> bytes:
    """A client request whose transmit timestamp is `sent` (the server echoes it back)."""
    return PACKET.pack(version << 3 | MODE_CLIENT, 0, 0, 0, 0, 0, b"\0" * 4, 0, 0, 0,
                       to_ntp(sent))


def offset(answer: bytes, sent: float, received: float) -> float | None:
    """The clock's error by this answer (seconds to add), or None for an answer RFC 4330
    says to ignore: not a server's, not to our request, unsynchronized (LI 3, stratum 0) or
    with no transmit time."""
    if len(answer) < PACKET.size:
        return None
    first, stratum, _, _, _, _, _, _, originate, receive, transmit = PACKET.unpack_from(answer)
    if first & 0x7 != MODE_SERVER or first >> 6 == 3 or stratum == 0 or not transmit:
        return None
    if originate != to_ntp(sent):
        return None
    return ((from_ntp(receive) - sent) + (from_ntp(transmit) - received)) / 2


async def ask(server: SntpServer, clock: ChassisClock, netns: str | None) -> float | None:
    """One server's offset, or None when it does not answer in time or answers wrongly."""
    loop = asyncio.get_running_loop()
    try:  # the stack's namespace may be gone (InbandError is an OSError): no answer then
        with inband.entered(netns) if netns is not None else contextlib.nullcontext():
            sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    except OSError:
        return None
    sock.setblocking(False)
    try:
        sock.connect((str(server.address), SNTP_PORT))
        sent = clock.now()
        await loop.sock_sendall(sock, request(server.version, sent))
        answer = await asyncio.wait_for(loop.sock_recv(sock, 1024), ANSWER_TIMEOUT)
        return offset(answer, sent, clock.now())
    except (OSError, TimeoutError):
        return None
    finally:
        sock.close()


def settings(cfg: SwitchConfig) -> tuple[object, ...]:
    """What the client obeys; a change of any of it polls at once."""
    return (cfg.timesync, cfg.sntp_mode, cfg.sntp_poll, tuple(sorted(cfg.sntp_servers.items())))


@dataclass
class SntpClient:
    """Polls while the running config says `timesync sntp` and `sntp unicast`; listens while
    it says `sntp broadcast`."""

    config: Callable[[], SwitchConfig]
    clock: ChassisClock
    events: EventLog
    netns: str | None = None
    changed: asyncio.Event = field(default_factory=asyncio.Event)
    seen: tuple[object, ...] = ()
    broadcaster: str | None = None
    """Broadcast mode: the server heard first, the only one heard while it keeps sending."""
    heard_at: float = 0.0

    def mode(self) -> str | None:
        """`unicast` or `broadcast` while SNTP keeps the time, else None."""
        cfg = self.config()
        return cfg.sntp_mode if cfg.timesync == "sntp" and cfg.sntp_mode != "disabled" else None

    def active(self) -> bool:
        return self.mode() == "unicast" and bool(self.config().sntp_servers)

    async def check(self) -> None:
        """After every command (Device.on_commit): wake the client when the settings moved."""
        now = settings(self.config())
        if now != self.seen:
            self.seen = now
            self.changed.set()

    def correct(self, theta: float) -> None:
        self.clock.set(self.clock.now() + theta)
        if abs(theta) >= LOGGED_STEP:
            self.events.log("SNTP", f"updated time by {round(theta)} seconds",
                            event_id=SNTP_EVENT_ID)

    async def poll(self) -> bool:
        """Ask the servers in priority order; True when one set the clock."""
        for _, server in sorted(self.config().sntp_servers.items()):
            theta = await ask(server, self.clock, self.netns)
            if theta is not None:
                self.correct(theta)
                return True
        return False

    def heard(self, data: bytes, sender: str) -> bool:
        """A broadcast (RFC 4330 mode 5) from the server we follow, or from another once ours
        has been silent for BROADCAST_PATIENCE poll intervals, sets the clock (its transmit
        time, no delay to correct for)."""
        if len(data) < PACKET.size:
            return False
        first, stratum, *_, transmit = PACKET.unpack_from(data)
        if first & 0x7 != MODE_BROADCAST or first >> 6 == 3 or stratum == 0 or not transmit:
            return False
        now = time.monotonic()
        patience = BROADCAST_PATIENCE * self.config().sntp_poll
        if sender != self.broadcaster and self.broadcaster is not None and (
                now - self.heard_at < patience):
            return False
        self.broadcaster, self.heard_at = sender, now
        self.correct(from_ntp(transmit) - self.clock.now())
        return True

    async def listen(self) -> None:
        """Broadcast mode until the settings change: the switch's port 123 hears servers'
        broadcasts on its VLANs."""
        try:
            with inband.entered(self.netns) if self.netns is not None else (
                    contextlib.nullcontext()):
                sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        except OSError:
            await self.changed.wait()
            return
        loop = asyncio.get_running_loop()
        changed = asyncio.ensure_future(self.changed.wait())
        try:
            sock.setblocking(False)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(("", SNTP_PORT))
            while not changed.done():
                packet = asyncio.ensure_future(loop.sock_recvfrom(sock, 1024))
                await asyncio.wait({packet, changed}, return_when=asyncio.FIRST_COMPLETED)
                if packet.done():
                    data, (sender, _) = packet.result()
                    self.heard(data, sender)
                else:
                    packet.cancel()
        except OSError:  # port 123 taken, or not ours to bind (no privilege)
            await changed
        finally:
            changed.cancel()
            sock.close()

    async def run(self) -> None:
        self.seen = settings(self.config())
        while True:
            self.changed.clear()
            if self.mode() == "broadcast":
                await self.listen()
                continue
            if self.active():
                await self.poll()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.changed.wait(), self.config().sntp_poll)
