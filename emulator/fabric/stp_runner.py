"""The spanning-tree engine (stp.py) wired into the fabric process: BPDUs from the bridge's
control side, carrier from the port settings, its timer on the event loop, and its verdicts
enforced by the bridge (port states per MST instance, address flushes) and the ports (a
bpdu-protected port that hears a BPDU loses its carrier until the active module programs it
disabled and enabled again).

The fabric, not a management module, runs it: it outlives a module's crash, so the tree does
not depend on which module is active (nonstop switching), and a warm-standby switchover resets
it with the ports, as the real interface modules' reset does.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from typing import Any, Final, Protocol

from emulator.fabric import stp
from emulator.fabric.bridge import Bridge

MAX_EVENTS: Final = 64
"""Log lines kept for the active module between two reads (older ones are dropped)."""


class Wire(Protocol):
    def send(self, frame: bytes) -> object: ...


class SpanningTreeRunner:
    """One per fabric. `wire_of(port)` is the port's wire while it has carrier."""

    def __init__(self, mac: bytes, ports: dict[str, int], bridge: Bridge,
                 wire_of: Callable[[str], Wire | None],
                 disable: Callable[[str], None]) -> None:
        self.bridge = bridge
        self.wire_of = wire_of
        self.disable = disable
        self.engine = stp.SpanningTree(mac, ports, self)
        self.protected: set[str] = set()
        """Ports bpdu-protection took down: no carrier until the module disables them."""
        self.events: list[str] = []
        self.timer: asyncio.TimerHandle | None = None

    @staticmethod
    def now() -> float:
        """The event loop's clock (asyncio's default loop reads time.monotonic), read without
        needing a running loop: trunks may change ports outside one."""
        return time.monotonic()

    # -- the engine's hooks ---------------------------------------------------------------

    def send(self, port: str, frame: bytes) -> None:
        wire = self.wire_of(port)
        if wire is not None:
            with contextlib.suppress(OSError):
                wire.send(frame)

    def set_state(self, port: str, state: stp.State, instance: int) -> None:
        self.bridge.set_stp_state(port, state, instance)

    def flush(self, port: str) -> None:
        self.bridge.forget_port(port)

    def protect(self, port: str) -> None:
        self.protected.add(port)
        self.disable(port)

    def log(self, message: str) -> None:
        self.events = [*self.events[-(MAX_EVENTS - 1):], message]

    # -- the fabric's side ----------------------------------------------------------------

    def program(self, wire_settings: dict[str, Any], enabled: dict[str, bool]) -> None:
        """A program of the active module (empty settings: spanning tree off). A port the
        program disables is no longer held down by bpdu-protection once enabled again."""
        settings = stp.settings_from_wire(wire_settings) if wire_settings else stp.Settings()
        self.protected -= {port for port, on in enabled.items() if not on}
        self.bridge.set_instances({vid: instance for instance, vids in settings.instances.items()
                                   for vid in vids})
        self.engine.configure(settings, self.now())
        for port in self.engine.ports:
            for instance in (0, *settings.instances):
                self.set_state(port, self.engine.state(port, instance), instance)
        self.schedule()

    def receive(self, port: str, frame: bytes) -> None:
        self.engine.receive(port, frame, self.now())
        self.schedule()

    def link(self, port: str, up: bool) -> None:
        self.engine.link(port, up, self.now())
        self.schedule()

    def follow_ports(self, ports: dict[str, int], carrier: Callable[[str], bool]) -> None:
        """The tree's ports now, by port number: a trunk (TrkN, DynN) is one port in place of
        its members. Ports gone leave the tree (down first, so it reconverges); new ones join
        with their carrier now."""
        now = self.now()
        for port in [p for p in self.engine.ports if p not in ports]:
            self.engine.remove_port(port, now)
        for port, number in ports.items():
            if port not in self.engine.ports:
                self.engine.add_port(port, number)
                self.engine.link(port, carrier(port), now)
        self.schedule()

    def reset(self) -> None:
        """The interface modules' reset: the tree starts over at the next program."""
        self.protected.clear()
        for port in self.engine.ports:
            self.engine.link(port, False, self.now())
        self.program({}, {})

    def snapshot(self) -> dict[str, Any]:
        """The engine's state for the active module, with the events since the last read."""
        state = self.engine.snapshot(self.now())
        state["events"], self.events = self.events, []
        return state

    def schedule(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
        deadline = self.engine.deadline()
        if deadline is None:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no loop (a unit test driving the fabric): nothing to time
            return
        self.timer = loop.call_at(deadline, self.fire)

    def fire(self) -> None:
        self.timer = None
        self.engine.tick(self.now())
        self.schedule()
