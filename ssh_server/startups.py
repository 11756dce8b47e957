"""Admission of connections that have not logged in yet, shared by SSH and telnet.

A connection holds a slot from accept until its login (or its end); the login timeout frees a
stalled one. Two limits keep one client from taking every slot, as OpenSSH's
`PerSourceMaxStartups` and `MaxStartups start:rate:full` do:

- per source address, at most `per_source` unauthenticated connections: a flood of idle
  connections from one host leaves the rest for everyone else;
- in all, from `start` unauthenticated connections on, a new one is refused with probability
  `rate` percent, rising linearly to 100 % at `full` (random early drop): many sources
  together slow down, but a login still gets through now and then.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True)
class MaxStartups:
    per_source: int
    start: int
    rate: int
    """Percent refused at `start`."""
    full: int


LAB_STARTUPS: Final = MaxStartups(per_source=32, start=40, rate=30, full=96)
"""Sized for a lab switch rather than a host: automation opens many sessions at once from
one machine (20 concurrent netmiko logins from one address must all get in, with room to
spare under load), while a real switch serves a handful of sessions. So one source may hold
32 connections in login, and random drops begin only when more than that (40) are in login
in all; OpenSSH's defaults (10:30:100, no per-source limit) suit a host with few logins
at once and would refuse a lab's parallel automation."""


class Startups:
    """The unauthenticated connections of one server, per source address."""

    def __init__(self, limits: MaxStartups = LAB_STARTUPS,
                 draw: Callable[[], float] = random.random) -> None:
        self.limits = limits
        self._draw = draw
        """Uniform in [0, 1): the random early drop's coin."""
        self._by_source: dict[str, int] = {}
        self.total = 0

    def admit(self, address: str) -> bool:
        """Take a slot for a new connection from `address`, or refuse it (the caller drops
        the connection at once)."""
        limits = self.limits
        if self._by_source.get(address, 0) >= limits.per_source or self.total >= limits.full:
            return False
        if self.total >= limits.start:
            span = max(limits.full - limits.start, 1)
            percent = limits.rate + (100 - limits.rate) * (self.total - limits.start) / span
            if self._draw() * 100 < percent:
                return False
        self._by_source[address] = self._by_source.get(address, 0) + 1
        self.total += 1
        return True

    def release(self, address: str) -> None:
        """The connection logged in or ended: its slot is free."""
        left = self._by_source[address] - 1
        if left:
            self._by_source[address] = left
        else:
            del self._by_source[address]
        self.total -= 1
