"""Loop protection: each protected port sends a small frame of the switch's own now and then;
one that comes back in on a protected port proves a loop (an unmanaged switch or a cable that
drops BPDUs), and the port that sent it is disabled, for the disable timer or for good.

Pure and I/O-free, like lacp.py: the fabric hands in the frames, the carrier and the time, sends
what `tick` returns and keeps a disabled port's carrier down while `blocks` says so.

The frame's layout is ours (HP documents no format): to 09:00:09:09:13:a6, the multicast
address HP switches send their loop-protect frames to, from the base MAC, with the 802 OUI
Extended EtherType (88B7), HP's OUI and a protocol number of our own, then the sending port's
ifIndex. The switch recognises its own by the base MAC in the payload, so a frame of another
switch (a neighbour's loop) is forwarded as any multicast and never acted on.
"""

from __future__ import annotations

import math
import struct
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from emulator.events import EventLog

MULTICAST: Final = bytes.fromhex("0900090913a6")
ETHERTYPE: Final = 0x88B7
OUI: Final = bytes.fromhex("001871")
PROTOCOL: Final = 0x0A0F
"""Ours: the OUI-extended protocol identifier under HP's OUI."""
FRAME_LENGTH: Final = 60
ACTIONS: Final = ("send-disable", "no-disable")
"""`receiver-action`: what a protected port does when its own loop-protect frame comes back
in on it: disable the port that sent it (the default), or only count it."""


def encode(system: bytes, port_number: int) -> bytes:
    frame = (MULTICAST + system + struct.pack("!H", ETHERTYPE) + OUI
             + struct.pack("!H", PROTOCOL) + system + struct.pack("!H", port_number))
    return frame + bytes(FRAME_LENGTH - len(frame))


def decode(frame: bytes) -> tuple[bytes, int] | None:
    """(the sending system, its port's ifIndex), or None for anything else."""
    if len(frame) < 27 or frame[12:14] != b"\x88\xb7" or frame[14:17] != OUI:
        return None
    if struct.unpack("!H", frame[17:19])[0] != PROTOCOL:
        return None
    return frame[19:25], struct.unpack("!H", frame[25:27])[0]


@dataclass
class ProtectedPort:
    name: str
    number: int
    action: str
    next_send: float = 0.0
    count: int = 0
    last_loop: float | None = None
    disabled_until: float | None = None
    """Set while loop protection holds the port down (inf: until the next program)."""


@dataclass(frozen=True)
class LoopStatus:
    """One protected port as `show loop-protect` prints it (sent from the fabric)."""

    port: str
    action: str
    detected: bool
    count: int
    since_last: int | None
    """Seconds since its last loop, None if it never saw one."""
    disabled: bool


LOOP_DETECTED: Final = (884, "port {port} disabled - loop detected.")
PORT_DISABLED: Final = (898, "Loop Protect(62) has disabled port {port}")
"""The two lines a ProCurve logs when loop protection disables a port (captured: `I ... 00884
loop-protect: port 22 disabled - loop detected.`, then `00898 ports: Loop Protect(62) has
disabled port 22`)."""


def new_loops(before: list[LoopStatus], now: list[LoopStatus]) -> list[LoopStatus]:
    """The ports whose loop count grew since the module last read the fabric (it reads before
    every CLI command and SNMP request, and every transmit interval while ports are
    protected)."""
    counts = {row.port: row.count for row in before}
    return [row for row in now if row.count > counts.get(row.port, 0)]


def log_loops(events: EventLog, loops: list[LoopStatus]) -> None:
    """Log each port loop protection disabled, as the switch logs it."""
    for row in loops:
        if row.disabled:
            event_id, text = LOOP_DETECTED
            events.log("loop-protect", text.format(port=row.port), event_id=event_id)
            event_id, text = PORT_DISABLED
            events.log("ports", text.format(port=row.port), event_id=event_id)


class LoopProtect:
    """The protected ports of one switch. See the module docstring."""

    def __init__(self, system: bytes) -> None:
        self.system = system
        self.ports: dict[str, ProtectedPort] = {}
        self.by_number: dict[int, ProtectedPort] = {}
        self.interval = 5.0
        self.disable_timer = 0.0

    def configure(self, ports: dict[str, tuple[str, int]], interval: float,
                  disable_timer: float) -> None:
        """name -> (receiver action, ifIndex). A port that stays protected keeps its count
        and its disablement."""
        kept = {}
        for name, (action, number) in ports.items():
            old = self.ports.get(name)
            kept[name] = ProtectedPort(name, number, action) if old is None else old
            kept[name].action = action
        self.ports = kept
        self.by_number = {p.number: p for p in kept.values()}
        self.interval = interval
        self.disable_timer = disable_timer

    def clear(self) -> None:
        """The interface modules' reset: protection starts afresh with the next program."""
        self.ports.clear()
        self.by_number.clear()

    def blocks(self, name: str) -> bool:
        port = self.ports.get(name)
        return port is not None and port.disabled_until is not None

    def tick(self, now: float) -> tuple[list[tuple[str, bytes]], list[str]]:
        """(frames due now as (port, frame), ports whose disable timer ran out)."""
        frames, released = [], []
        for port in self.ports.values():
            if port.disabled_until is not None:
                if now >= port.disabled_until:
                    port.disabled_until = None
                    port.next_send = now
                    released.append(port.name)
                continue
            if now >= port.next_send:
                port.next_send = now + self.interval
                frames.append((port.name, encode(self.system, port.number)))
        return frames, released

    def receive(self, name: str, frame: bytes, now: float) -> str | None:
        """A loop-protect frame that came in on `name`: the port it disables, if any."""
        receiver = self.ports.get(name)
        decoded = decode(frame)
        if receiver is None or decoded is None or decoded[0] != self.system:
            return None
        sender = self.by_number.get(decoded[1])
        if sender is None or sender.disabled_until is not None:
            return None
        sender.count += 1
        sender.last_loop = now
        if receiver.action != "send-disable":
            return None
        sender.disabled_until = now + self.disable_timer if self.disable_timer else math.inf
        return sender.name

    def report(self, now: float) -> list[LoopStatus]:
        return [LoopStatus(p.name, p.action, p.disabled_until is not None, p.count,
                           None if p.last_loop is None else int(now - p.last_loop),
                           p.disabled_until is not None) for p in self.ports.values()]
