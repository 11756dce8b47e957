"""The syslog client: every event the switch logs also goes to the `logging` hosts.

The message is RFC 3164's as a ProCurve sends it: `<PRI>Mmm dd hh:mm:ss ADDR ID subsystem:
text`, where PRI is the configured facility with the event's severity, the timestamp is the
switch's wall clock (the chassis clock in its time zone), ADDR is the address the switch sends
from, and the rest is the event's `show log` id, subsystem and text. UDP carries one message
per datagram (port 514 by default); TCP (1470 by default) sends each message as a line on one
connection per host, made when the first message is due and made again after it breaks.

Sending never delays the switch: UDP datagrams leave without waiting, a TCP host gets its
messages from a bounded queue (the oldest are dropped while it cannot keep up), and a host
that cannot be reached costs nothing but its lost messages, as on the switch. The sockets live
in the switch's IP stack (its in-band namespace, emulator/inband.py) when it has one.
"""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final

from emulator import inband
from emulator.config.model import (
    LOGGING_FACILITIES,
    LOGGING_SEVERITIES,
    SwitchConfig,
    SyslogHost,
)
from emulator.events import Event, Localtime, Severity

FACILITY_CODES: Final = {
    "kern": 0, "user": 1, "mail": 2, "daemon": 3, "auth": 4, "syslog": 5, "lpr": 6,
    "news": 7, "uucp": 8, **{f"sys{n}": n for n in range(9, 15)}, "cron": 15,
    **{f"local{n}": 16 + n for n in range(8)},
}
"""RFC 3164's facility numbers for `logging facility`'s keywords (ProCurve's sys9-sys14 are
the numbers the RFC leaves unnamed; cron is 15, the RFC's second clock daemon)."""
assert set(FACILITY_CODES) == set(LOGGING_FACILITIES)

SEVERITY_CODES: Final = {Severity.MAJOR: 2, Severity.ERROR: 3, Severity.WARNING: 4,
                         Severity.INFO: 6, Severity.DEBUG: 7}
"""The event's class as an RFC 3164 severity: major is critical."""
SEVERITY_WORDS: Final = {Severity.MAJOR: "major", Severity.ERROR: "error",
                         Severity.WARNING: "warning", Severity.INFO: "info",
                         Severity.DEBUG: "debug"}
"""Each event class's `logging severity` keyword."""
TCP_QUEUE: Final = 256
"""Messages waiting for one TCP host before the oldest are dropped."""
CONNECT_TIMEOUT: Final = 5.0


def wanted(event: Event, threshold: str) -> bool:
    """`logging severity X` sends events at least as severe as X."""
    rank = LOGGING_SEVERITIES.index
    return rank(SEVERITY_WORDS[event.severity]) <= rank(threshold)


def message(event: Event, facility: str, local: Localtime, source: str) -> bytes:
    """One RFC 3164 message (no line end), its timestamp `Mmm dd hh:mm:ss` with a space-padded
    day."""
    stamp = local(event.when)
    header = f"{time.strftime('%b', stamp)} {stamp.tm_mday:2d} {time.strftime('%H:%M:%S', stamp)}"
    priority = FACILITY_CODES[facility] * 8 + SEVERITY_CODES[event.severity]
    text = f"<{priority}>{header} {source} {event.number:05d} {event.subsystem}: {event.text}"
    return text.encode("utf-8", "replace")


@dataclass
class TcpHost:
    """One TCP host's connection and queue, drained by its own task."""

    host: SyslogHost
    netns: str | None
    queue: asyncio.Queue[Event] = field(default_factory=lambda: asyncio.Queue(TCP_QUEUE))
    task: asyncio.Task[None] | None = None

    def put(self, event: Event) -> None:
        if self.queue.full():
            self.queue.get_nowait()
        self.queue.put_nowait(event)

    async def run(self, render: Callable[[Event, str], bytes]) -> None:
        """Send queued events; on a broken or refused connection, drop the event in hand and
        connect again for the next one."""
        while True:
            event = await self.queue.get()
            try:
                sock = inband.socket_in(self.netns, socket.SOCK_STREAM)
            except OSError:  # the stack's namespace is gone (InbandError)
                continue
            try:
                await asyncio.wait_for(asyncio.get_running_loop().sock_connect(
                    sock, (str(self.host.address), self.host.port)), CONNECT_TIMEOUT)
                _, writer = await asyncio.open_connection(sock=sock)
            except (OSError, TimeoutError):
                sock.close()
                continue
            source = sock.getsockname()[0]
            try:
                while True:
                    writer.write(render(event, source) + b"\n")
                    await writer.drain()
                    event = await self.queue.get()
            except (OSError, ConnectionError):
                pass
            finally:
                writer.close()


@dataclass
class SyslogClient:
    """Listens to the event log (EventLog.listeners) and sends each event to the hosts the
    running config names at that moment."""

    config: Callable[[], SwitchConfig]
    local: Localtime
    netns: str | None = None
    udp: dict[SyslogHost, socket.socket] = field(default_factory=dict)
    tcp: dict[SyslogHost, TcpHost] = field(default_factory=dict)

    def __call__(self, event: Event) -> None:
        cfg = self.config()
        if not cfg.syslog_hosts and not self.udp and not self.tcp:
            return
        self._forget(set(cfg.syslog_hosts))
        if not wanted(event, cfg.logging_severity):
            return
        for host in cfg.syslog_hosts:
            if host.transport == "udp":
                self._send_udp(host, event)
            else:
                self._tcp_host(host).put(event)

    def render(self, event: Event, source: str) -> bytes:
        """The message with the facility configured when it leaves."""
        return message(event, self.config().logging_facility, self.local, source)

    def _send_udp(self, host: SyslogHost, event: Event) -> None:
        sock = self.udp.get(host)
        try:
            if sock is None:
                sock = inband.socket_in(self.netns, socket.SOCK_DGRAM)
                self.udp[host] = sock
                sock.connect((str(host.address), host.port))
            sock.send(self.render(event, sock.getsockname()[0]))
        except OSError:  # no route yet, a full buffer, an ICMP refusal: this one is lost
            pass

    def _tcp_host(self, host: SyslogHost) -> TcpHost:
        sender = self.tcp.get(host)
        if sender is None:
            sender = self.tcp[host] = TcpHost(host, self.netns)
            sender.task = asyncio.get_running_loop().create_task(sender.run(self.render))
        return sender

    def _forget(self, configured: set[SyslogHost]) -> None:
        """Close what belongs to hosts no longer configured (`no logging ADDR`)."""
        for host in [h for h in self.udp if h not in configured]:
            self.udp.pop(host).close()
        for host in [h for h in self.tcp if h not in configured]:
            task = self.tcp.pop(host).task
            if task is not None:
                task.cancel()

    def close(self) -> None:
        self._forget(set())
