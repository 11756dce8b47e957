"""The event log: what `show log` prints, in the real line format.

`<sev> MM/DD/YY HH:MM:SS <5-digit id> <subsystem>: <text>`. Event ids are vendor facts kept
in EVENT_IDS; a message whose subsystem is not listed gets the generic id.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Final


class Severity(Enum):
    INFO = "I"
    WARNING = "W"
    MAJOR = "M"
    ERROR = "E"
    DEBUG = "D"


EVENT_IDS: Final[dict[str, int]] = {
    "system": 61,
    "chassis": 68,
    "mgr": 179,
    "ports": 76,
    "vlan": 77,
    "ssh": 637,
    "telnet": 23,
    "snmp": 128,
    "config": 2097,
    "update": 151,
    "auth": 419,
}
GENERIC_EVENT_ID: Final = 1

LOG_KEYS: Final = (
    " Keys:   W=Warning   I=Information\n"
    "         M=Major     D=Debug E=Error"
)
LOG_TITLE: Final = "----  Event Log listing: Events Since Boot  ----"
LOG_TITLE_REVERSED: Final = "----  Reverse event Log listing: Events Since Boot  ----"
LOG_HEADER: Final = f"{LOG_KEYS}\n{LOG_TITLE}"
LOG_FOOTER: Final = "----  Bottom of Log : Events Listed = {count}  ----"
"""`show log` and `show logging` close with the number of events listed (netmiko's own test
of a real ProCurve looks for `----  Bottom of Log : Events Listed = `)."""


@dataclass(frozen=True)
class Event:
    when: float
    severity: Severity
    subsystem: str
    text: str
    event_id: int | None = None
    """The message's own id where the vendor's reference gives one; else the subsystem's."""

    @property
    def number(self) -> int:
        """The 5-digit id `show log` and syslog print."""
        return self.event_id or EVENT_IDS.get(self.subsystem, GENERIC_EVENT_ID)

    def line(self, local: Localtime = time.localtime) -> str:
        stamp = time.strftime("%m/%d/%y %H:%M:%S", local(self.when))
        return f"{self.severity.value} {stamp} {self.number:05d} {self.subsystem}: {self.text}"


Localtime = Callable[[float], time.struct_time]
"""Epoch seconds -> the switch's wall-clock time (its `time timezone` and daylight rule)."""


@dataclass
class EventLog:
    """Bounded in-memory log, newest last: what `show log` lists since boot. Its listeners
    (the syslog client, emulator/syslog.py) hear every event as it is logged; SNMP
    notifications leave from the agent (snmp/notify.py) where their event happens.
    `clock` is the chassis clock (emulator/clock.py), `local` turns its readings into the
    switch's wall-clock time: both are the host's until the active module wires them."""

    capacity: int = 1000
    events: list[Event] = field(default_factory=list)
    listeners: list[Callable[[Event], None]] = field(default_factory=list)
    clock: Callable[[], float] = time.time
    local: Localtime = time.localtime

    def log(self, subsystem: str, text: str, severity: Severity = Severity.INFO,
            event_id: int | None = None) -> Event:
        event = Event(self.clock(), severity, subsystem, text, event_id)
        self.events.append(event)
        del self.events[: -self.capacity]
        for listener in self.listeners:
            listener(event)
        return event

    def render(self, newest_first: bool = False, containing: str = "") -> str:
        """The listing, oldest first unless `newest_first`; only the events whose line holds
        `containing` when one is given."""
        events = reversed(self.events) if newest_first else iter(self.events)
        lines = [line for e in events if containing in (line := e.line(self.local))]
        return "\n".join([LOG_KEYS, LOG_TITLE_REVERSED if newest_first else LOG_TITLE, *lines,
                          LOG_FOOTER.format(count=len(lines))])
