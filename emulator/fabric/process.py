"""The fabric process: the interface modules. Long-lived, it holds the port back-ends and
survives management-module crashes, so a switchover is a port reset (carrier down, then up
once the new active module has programmed the ports), never a vanished interface.

Ports are TAP devices (carrier driven), AF_PACKET sockets on existing interfaces, or UDP
tunnels; frames between them go through the VLAN-aware bridge (bridge.py).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import functools
import ipaddress
import os
import signal
import socket
import sys
import time
from collections.abc import Callable
from typing import Final

from emulator import hardware
from emulator.fabric import acl, lacp, lldp, loop_protect
from emulator.fabric.afpacket import AfPacketPort, drain_events, if_index, link_events
from emulator.fabric.bridge import Bridge
from emulator.fabric.inband import VlanInterfaces
from emulator.fabric.stp import MULTICAST as STP_MULTICAST
from emulator.fabric.stp_runner import SpanningTreeRunner
from emulator.fabric.tap import PortGone, TapPort
from emulator.fabric.trunks import RX_BYTES, RX_UNICAST, Trunks, count
from emulator.fabric.udp import UdpPort
from emulator.ipc.messages import (
    FabricLink,
    FabricProgram,
    FabricQuery,
    FabricReset,
    FabricState,
    Failure,
    Hello,
    PortReport,
    PortsReply,
    PortsRequest,
    Reply,
    Request,
)
from emulator.ipc.wire import Handlers, IpcError, Link
from emulator.portspec import Backend, parse_port_assignment
from emulator.timing import PROFILES

CHASSIS: Final = Handlers["Fabric", Reply | None]()
"""What the fabric does with each message of the chassis."""
MODULE: Final = Handlers["Fabric", Reply | None]()
"""What the fabric does with each command of the active management module."""

Wire = TapPort | UdpPort | AfPacketPort


def open_wire(port: str, backend: Backend) -> Wire:
    """The port's back-end, opened."""
    if backend.kind == "tap":
        return TapPort.open(backend.ifname)
    if backend.kind == "udp":
        return UdpPort.open(port, backend.local_port, backend.remote_host, backend.remote_port)
    return AfPacketPort.open(port, backend.ifname)

DEFAULT_VLAN: Final = 1
"""Where a dynamic LACP trunk carries traffic (the fabric reads no config model)."""
PROTOCOL_TICK: Final = 0.25
"""How often LACP's and loop protection's timers are looked at while some port runs one (their
shortest period is one second)."""

DRAIN: Final = 64
"""Frames read per readiness wake-up: one epoll round trip per frame costs a third of the
throughput (notes/dataplane.md)."""


@dataclasses.dataclass(frozen=True)
class TrunkWire:
    """A trunk as spanning tree sees it: one wire, whose frames go out one of its links."""

    send: Callable[[bytes], object]


class Fabric:
    """The interface modules: each port's wire, its carrier, and the bridge between them."""

    def __init__(self, ports: dict[str, Backend], mac_age: float, netns: str | None = None,
                 mac: bytes = b"", lldp_interval: float = 30.0) -> None:
        self.ports = dict(sorted(ports.items(), key=lambda kv: hardware.port_sort_key(kv[0])))
        self.wires: dict[str, Wire] = {}
        self.carrier: dict[str, bool] = dict.fromkeys(self.ports, False)
        self.bridge = Bridge(list(self.ports), mac_age, own_macs=(mac,) if mac else ())
        self.tasks: set[asyncio.Task[None]] = set()
        self.inband = None if netns is None else VlanInterfaces(netns, self.bridge, mac,
                                                                self.drain)
        self.mac = mac
        self.lldp_interval = lldp_interval
        self.local: lldp.LocalSystem | None = None
        self.neighbors = lldp.Neighbors()
        self.bridge.control = self.control_frame
        self.commands = asyncio.Lock()
        """One module command at a time: a new active module's reset must not land in the
        middle of the old one's program, which awaits the in-band interfaces."""
        self.programmed: FabricProgram | None = None
        """The active module's last program (None after a reset): what a port whose
        interface comes back is set to."""
        self.link_events: socket.socket | None = None
        # --- trunks and LACP (trunks.py, lacp.py) ---
        self.trunks = Trunks()
        self.lacp = lacp.Lacp(mac or bytes(6))
        self.protocols_wake = asyncio.Event()
        """Set when LACP or loop protection has something to do at once."""
        self.receivers: dict[str, Callable[[str, bytes], None]] = {}
        # --- port mirroring (commands/mirror.py) ---
        self.mirror_in: dict[str, tuple[str, ...]] = {}
        self.mirror_out: dict[str, tuple[str, ...]] = {}
        """Ports whose frames do not go straight to the bridge (trunk members, protected
        ports): decided at each program, so every other port costs nothing more per frame."""
        # --- loop protection (loop_protect.py) ---
        self.loop_protect = loop_protect.LoopProtect(mac or bytes(6))
        # --- spanning tree (fabric/stp_runner.py) ---
        self.stp = SpanningTreeRunner(mac, {p: hardware.if_index(p) for p in self.ports},
                                      self.bridge, self.carrying, self.apply_port)

    def carrying(self, port: str) -> Wire | TrunkWire | None:
        """The port's wire while it has carrier (what spanning tree may send on); a trunk's
        while one of its links is up, sending on one of them as its other frames go."""
        if port in self.trunks.members:
            return TrunkWire(self.trunks.sender(port)) if self.trunks.up.get(port) else None
        return self.wires.get(port) if self.carrier[port] else None

    def follow_tree(self) -> None:
        """Spanning tree's ports: every port outside a trunk, and each trunk as one."""
        self.stp.follow_ports(
            {**{port: hardware.if_index(port) for port in self.ports
                if port not in self.trunks.trunk_of},
             **{trunk: hardware.if_index(trunk) for trunk in self.trunks.members}},
            self.tree_up)

    def tree_up(self, port: str) -> bool:
        """Whether a port of the spanning tree (a port or a trunk) can carry frames now."""
        return bool(self.trunks.up.get(port)) if port in self.trunks.members \
            else self.carrier.get(port, False)
        self.acl_plan: acl.Plan | None = None

    def open(self) -> None:
        for port, backend in self.ports.items():
            try:
                self.plug(port, open_wire(port, backend))
            except OSError as exc:
                print(f"procurve-emu: fabric: port {port}: {exc.strerror or exc}",
                      file=sys.stderr, flush=True)
        if any(b.kind == "afpacket" for b in self.ports.values()):
            self.link_events = link_events()

    def plug(self, port: str, wire: Wire) -> None:
        self.wires[port] = wire
        self.bridge.attach(port, self.port_send(port, wire))
        if isinstance(wire, AfPacketPort | TapPort):
            wire.on_error = functools.partial(self.bridge.count_error, port)
        if isinstance(wire, AfPacketPort):
            wire.on_tx_drop = functools.partial(self.bridge.count_tx_drops, port)

    def start(self) -> None:
        loop = asyncio.get_running_loop()
        for port, wire in self.wires.items():
            loop.add_reader(wire.fileno(), self.drain, port, wire)
        if self.link_events is not None:
            loop.add_reader(self.link_events.fileno(), self.follow_interfaces)
        for job in (self.advertise(), self.run_protocols()):
            task = loop.create_task(job)
            self.tasks.add(task)
            task.add_done_callback(self.tasks.discard)

    # -- LLDP: control frames, classified by the bridge on raw bytes ----------------------

    def control_frame(self, port: str, vid: int, frame: bytes) -> None:
        if frame[:6] == STP_MULTICAST:
            self.stp.receive(port, frame)
        elif frame[:6] == lldp.MULTICAST:
            if self.lldp_mode(port) not in lldp.LEARNS:
                return  # admin-status txonly|disable: what it hears is not taken in
            advert = lldp.decode(frame)
            self.neighbors.counted(port, lldp.RECEIVED if advert is not None else lldp.DISCARDED)
            if advert is not None:
                self.neighbors.learn(port, advert, time.monotonic())
        elif frame[:6] == lacp.MULTICAST:
            self.lacp.receive(port, frame, time.monotonic())
            self.update_trunks()
            self.protocols_wake.set()  # an answer may be due at once

    def lldp_mode(self, port: str) -> str:
        """The port's `lldp admin-status` as programmed (`disable` everywhere after `no lldp
        run`)."""
        msg = self.programmed
        if msg is None:
            return lldp.DEFAULT_MODE
        return msg.lldp_admin.get(port, lldp.DEFAULT_MODE) if msg.lldp_run else "disable"

    def send_advert(self, port: str, shutdown: bool = False) -> None:
        """An advert, or with `shutdown` the TTL 0 one that tells the neighbour to forget us
        (802.1AB, when a port stops sending)."""
        wire = self.wires.get(port)
        if (wire is None or self.local is None or not self.carrier[port]
                or (not shutdown and self.lldp_mode(port) not in lldp.SENDS)):
            return
        ttl = 0 if shutdown else round(self.lldp_interval * lldp.HOLD_MULTIPLIER)
        frame = lldp.encode(self.local, str(hardware.if_index(port)), port, ttl,
                            self.bridge.pvid(self.trunks.trunk_of.get(port, port)))
        with contextlib.suppress(OSError):
            wire.send(frame)
            self.neighbors.counted(port, lldp.SENT)

    async def advertise(self) -> None:
        """Every interval, an advert on every port with link (once programmed)."""
        while True:
            for port in self.wires:
                self.send_advert(port)
            await asyncio.sleep(self.lldp_interval)

    def drain(self, port: str, wire: Wire) -> None:
        receive = self.receivers.get(port, self.bridge.receive)
        for _ in range(DRAIN):
            try:
                frame = wire.read()
            except PortGone as exc:
                self.lose(port, wire, f"out of service: {exc.strerror}")
                return
            except OSError:  # drained (BlockingIOError), or a tunnel peer not up yet
                return
            receive(port, frame)
        # More may wait where epoll cannot see it (the rest of an AF_PACKET batch, or of a
        # short super-frame cut up): come back once the other ports have had their turn.
        asyncio.get_running_loop().call_soon(self.drain, port, wire)

    def lose(self, port: str, wire: Wire, why: str) -> None:
        """A port whose device vanished: out of the loop and the bridge, carrier down (and
        what it learned forgotten); the rest of the switch goes on."""
        asyncio.get_running_loop().remove_reader(wire.fileno())
        self.bridge.attach(port, None)
        if self.wires.get(port) is wire:  # a port; an in-band interface's owner closes it
            del self.wires[port]
            self.apply_port(port)
            with contextlib.suppress(OSError):
                wire.close()
        print(f"procurve-emu: fabric: port {port} {why}", file=sys.stderr, flush=True)

    def follow_interfaces(self) -> None:
        """An interface appeared, changed or went (netlink): AF_PACKET ports follow their
        interface's name. One whose interface is gone, or was made anew under the same name
        (containerlab's restart, a re-wired link), lets go of it and goes down; one whose
        interface is there again binds to it and takes the active module's settings."""
        if self.link_events is not None:
            drain_events(self.link_events)
        for port, backend in self.ports.items():
            if backend.kind != "afpacket":
                continue
            index = if_index(backend.ifname)
            wire = self.wires.get(port)
            if isinstance(wire, AfPacketPort) and wire.ifindex != index:
                self.lose(port, wire, f"down: {backend.ifname} is gone")
                wire = None
            if wire is None and index is not None:
                try:
                    wire = open_wire(port, backend)
                except OSError:
                    continue  # gone again already; the next event tries once more
                self.plug(port, wire)
                asyncio.get_running_loop().add_reader(wire.fileno(), self.drain, port, wire)
                self.apply_port(port)
                print(f"procurve-emu: fabric: port {port} up: {backend.ifname} is back",
                      file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.inband is not None:
            self.inband.close()
        if self.link_events is not None:
            self.link_events.close()
        for wire in self.wires.values():
            with contextlib.suppress(OSError):  # one failing port must not keep the rest
                wire.close()
        self.wires.clear()

    def set_carrier(self, port: str, up: bool) -> None:
        self.carrier[port] = up
        wire = self.wires.get(port)
        if wire is not None:
            wire.set_carrier(up)

    def reset(self) -> None:
        """The interface modules reset: every port loses carrier, the address table and the
        counters are cleared, nothing is forwarded until the next program."""
        for port in self.ports:
            self.set_carrier(port, False)
            self.bridge.configure(port, enabled=False, pvid=None, tagged=())
        if self.inband is not None:
            self.inband.reset()
        self.bridge.flush()
        self.neighbors.clear()
        self.local = None
        self.programmed = None
        self.program_mirrors({}, {})
        self.lacp.clear()
        self.loop_protect.clear()
        self.program_trunks({})
        self.stp.reset()
        self.acl_plan = None  # access lists: none until programmed, counts from zero
        self.bridge.set_acls(None)

    def program(self, msg: FabricProgram) -> None:
        self.bridge.set_mac_age(msg.mac_age)
        self.bridge.set_jumbo(msg.jumbo)
        self.local = lldp.LocalSystem(self.mac, msg.system_name,
                                      msg.system_description or hardware.SYS_DESCR,
                                      msg.management_address)
        before = {port: self.lldp_mode(port) for port in self.ports}
        self.programmed = msg
        self.program_lldp(before)
        self.program_mirrors(msg.mirror_in, msg.mirror_out)
        self.program_trunks(msg.trunks)
        self.stp.program(msg.spanning_tree, msg.enabled)
        self.program_acls(msg)
        for port in self.ports:
            self.apply_port(port)
        self.program_lacp(msg)
        self.program_loop_protect(msg)

    def program_lldp(self, before: dict[str, str]) -> None:
        """`lldp run` / `lldp admin-status` changes: a port that stops sending sends its
        shutdown advert, one that starts sends at once, one that stops learning forgets."""
        for port, old in before.items():
            new = self.lldp_mode(port)
            sent, sends = old in lldp.SENDS, new in lldp.SENDS
            if sent and not sends:
                self.send_advert(port, shutdown=True)
            elif sends and not sent:
                self.send_advert(port)
            if new not in lldp.LEARNS:
                self.neighbors.forget_port(port, time.monotonic())

    # --- access lists (fabric/acl.py) ---

    def program_acls(self, msg: FabricProgram) -> None:
        """The lists where they apply (kept counts for those unchanged); none: no filter."""
        if not msg.access_groups:
            self.acl_plan = None
        else:
            own = [int(ipaddress.IPv4Interface(a).ip) for held in msg.addresses.values()
                   for a in held]
            self.acl_plan = acl.Plan(msg.access_lists, msg.access_groups, own,
                                     (self.mac,) if self.mac else (), self.acl_plan)
        self.bridge.set_acls(self.acl_plan)

    def apply_port(self, port: str) -> None:
        """The last program's settings on one port: carrier when it is enabled and wired
        (none before the first program, as after a reset)."""
        msg = self.programmed
        up = (msg is not None and msg.enabled.get(port, True) and port in self.wires
              and not self.loop_protect.blocks(port) and port not in self.stp.protected)
        came_up = up and not self.carrier[port]
        self.set_carrier(port, up)
        self.stp.link(port, up)
        own = None if msg is None or port in self.trunks.trunk_of else msg  # a member: none
        self.bridge.configure(port, enabled=up, pvid=None if own is None else own.pvid.get(port),
                              tagged=() if own is None else own.tagged.get(port, ()))
        if not up:
            self.neighbors.forget_port(port, time.monotonic())
        elif came_up:  # LLDP fast start: a new link hears from us at once
            self.send_advert(port)
        self.lacp.link(port, up, time.monotonic())
        if port in self.trunks.trunk_of:
            self.update_trunks()
            self.protocols_wake.set()

    # -- trunks and LACP: aggregation below the bridge ----------------------------------

    def program_trunks(self, members: dict[str, list[str]]) -> None:
        """Each trunk a bridge port of its own (made on first use, kept disabled when
        unused), its members' frames routed to it."""
        for trunk in self.trunks.members:
            if trunk not in members:
                self.bridge.configure(trunk, enabled=False, pvid=None, tagged=())
        self.trunks.program(members)
        self.route_ports()
        self.follow_tree()
        for trunk in members:
            if not self.bridge.has_port(trunk):
                self.bridge.add_port(trunk, own=False)
                self.bridge.attach(trunk, self.trunks.sender(trunk))

    def route_ports(self) -> None:
        """Which ports' frames pass through the fabric on their way to the bridge."""
        self.receivers = {port: self.protected_receive for port in self.loop_protect.ports}
        self.receivers.update((port, self.member_receive) for port in self.trunks.trunk_of)
        for port, targets in self.mirror_in.items():  # port mirroring: a copy first
            inner = self.receivers.get(port, self.bridge.receive)
            self.receivers[port] = functools.partial(self.mirror_receive, inner, targets)

    # --- port mirroring (commands/mirror.py) ---

    def program_mirrors(self, mirror_in: dict[str, list[str]],
                        mirror_out: dict[str, list[str]]) -> None:
        """Monitored ports: received frames are copied on their way in (route_ports wraps
        the port's receiver), sent ones on their way out (the bridge is given a transmit
        function that copies); every other port's path is untouched."""
        self.mirror_in = {port: tuple(targets) for port, targets in mirror_in.items()}
        before, self.mirror_out = self.mirror_out, {port: tuple(targets)
                                                    for port, targets in mirror_out.items()}
        for port in set(before) | set(self.mirror_out):
            wire = self.wires.get(port)
            if wire is not None and before.get(port) != self.mirror_out.get(port):
                self.bridge.attach(port, self.port_send(port, wire))
        self.route_ports()

    def port_send(self, port: str, wire: Wire) -> Callable[[bytes], object]:
        """The port's transmit function for the bridge: the wire's own, or one that also
        copies to the port's mirror destinations."""
        targets = self.mirror_out.get(port)
        return wire.send if not targets else functools.partial(self.mirror_send, wire.send,
                                                               targets)

    def mirror_receive(self, inner: Callable[[str, bytes], None], targets: tuple[str, ...],
                       port: str, frame: bytes) -> None:
        self.mirror_copy(targets, frame)
        inner(port, frame)

    def mirror_send(self, send: Callable[[bytes], object], targets: tuple[str, ...],
                    frame: bytes) -> None:
        send(frame)
        self.mirror_copy(targets, frame)

    def mirror_copy(self, targets: tuple[str, ...], frame: bytes) -> None:
        for target in targets:
            wire = self.wires.get(target)
            if wire is not None and self.carrier[target]:
                with contextlib.suppress(OSError):
                    wire.send(frame)

    def member_receive(self, port: str, frame: bytes) -> None:
        """A trunk member's frame: LACP's and LLDP's stay the member's own (they run per
        link); the rest, spanning tree's BPDUs included (it sees the trunk as one port),
        enters as the trunk's when the member carries traffic."""
        trunk = self.trunks.trunk_of[port]
        if frame[0] == 1 and frame[1:5] == b"\x80\xc2\x00\x00" and 0 < frame[5] < 0x10:
            self.control_frame(port, 0, frame)
            return
        if port in self.trunks.up.get(trunk, ()):
            count(self.bridge.counter_list(port), frame, RX_BYTES, RX_UNICAST)
            self.bridge.receive(trunk, frame)

    def program_lacp(self, msg: FabricProgram) -> None:
        """Who speaks LACP: ports with dynamic LACP, and the members of `trunk ... lacp`
        (always active, as the switch's static LACP trunks are)."""
        speakers: dict[str, tuple[bool, int, str | None]] = {
            port: (mode == "active", hardware.if_index(port), None)
            for port, mode in msg.lacp.items() if port in self.ports}
        for trunk, ports in msg.trunks.items():
            if msg.trunk_kinds.get(trunk) == "lacp":
                speakers.update((port, (True, hardware.if_index(port), trunk)) for port in ports)
        self.lacp.configure(speakers, frozenset(hardware.trunk_number(t) for t in msg.trunks))
        now = time.monotonic()
        for port in speakers:
            self.lacp.link(port, self.carrier.get(port, False), now)
        self.update_trunks(reprogram=True)
        self.protocols_wake.set()

    def update_trunks(self, reprogram: bool = False) -> None:
        """Each trunk's links now: members with carrier (and, on an LACP trunk, LACP
        distributing). A trunk with none leaves the bridge's VLANs until one comes back;
        `reprogram` sets every trunk's VLANs anew (after a program)."""
        msg = self.programmed
        reprogram = self.regroup() or reprogram
        self.follow_tree()
        for trunk, members in self.trunks.members.items():
            lacp_trunk = trunk in self.lacp.dynamic or (
                msg is not None and msg.trunk_kinds.get(trunk) == "lacp")
            up = [m for m in members if self.carrier.get(m) and m in self.wires
                  and (not lacp_trunk or self.lacp.distributing(m))]
            changed = self.trunks.set_links(
                trunk, up, [(self.wires[m].send, self.bridge.counter_list(m)) for m in up])
            self.stp.link(trunk, bool(up))
            if changed or reprogram:
                pvid, tagged = self.trunk_vlans(trunk)
                self.bridge.configure(trunk, enabled=bool(up), pvid=pvid, tagged=tagged)

    def trunk_vlans(self, trunk: str) -> tuple[int | None, list[int]]:
        """A static trunk's VLANs as programmed; a dynamic one's: untagged in the default VLAN
        only (the manual: dynamic LACP trunks operate only in the default VLAN)."""
        msg = self.programmed
        if msg is None:
            return None, []
        if trunk in self.lacp.dynamic:
            return DEFAULT_VLAN, []
        return msg.pvid.get(trunk), msg.tagged.get(trunk, [])

    def regroup(self) -> bool:
        """The trunks now: the programmed ones and the dynamic ones LACP formed. True when
        that changed (the ports that joined or left one take their VLANs anew)."""
        msg = self.programmed
        members = {**({} if msg is None else msg.trunks),
                   **{name: list(ports) for name, ports in self.lacp.dynamic.items()}}
        if members == {t: list(ports) for t, ports in self.trunks.members.items()}:
            return False
        before = set(self.trunks.trunk_of)
        self.program_trunks(members)
        for port in before ^ set(self.trunks.trunk_of):
            self.apply_port(port)
        return True

    async def run_protocols(self) -> None:
        """LACP's and loop protection's periodic work: partners that fell silent, frames due,
        disable timers run out."""
        while True:
            if not self.lacp.ports and not self.loop_protect.ports:
                self.protocols_wake.clear()
                await self.protocols_wake.wait()
            now = time.monotonic()
            due = self.lacp.tick(now)
            frames, released = self.loop_protect.tick(now)
            for port, frame in [*due, *frames]:
                wire = self.wires.get(port)
                if wire is not None and self.carrier[port]:
                    with contextlib.suppress(OSError):
                        wire.send(frame)
            for port in released:
                print(f"procurve-emu: fabric: loop-protect: port {port} enabled again",
                      file=sys.stderr, flush=True)
                self.apply_port(port)
            self.update_trunks()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.protocols_wake.wait(), PROTOCOL_TICK)
            self.protocols_wake.clear()

    # -- loop protection ----------------------------------------------------------------

    def program_loop_protect(self, msg: FabricProgram) -> None:
        self.loop_protect.configure(
            {port: (action, hardware.if_index(port)) for port, action in msg.loop_protect.items()
             if port in self.ports and port not in self.trunks.trunk_of},
            msg.loop_protect_interval, msg.loop_protect_disable_timer)
        self.route_ports()
        self.protocols_wake.set()

    def protected_receive(self, port: str, frame: bytes) -> None:
        """A protected port's frame: the switch's own loop-protect frame coming back is a
        loop; anything else goes to the bridge."""
        if frame[0] == 0x09 and frame[:6] == loop_protect.MULTICAST:
            disabled = self.loop_protect.receive(port, frame, time.monotonic())
            if disabled is not None:
                print(f"procurve-emu: fabric: loop-protect: port {disabled} disabled - loop "
                      "detected", file=sys.stderr, flush=True)
                self.apply_port(disabled)
                return
            if loop_protect.decode(frame) is not None and frame[6:12] == self.loop_protect.system:
                return  # our own, looped back but not acted on (no-disable): never forwarded
        self.bridge.receive(port, frame)

    def report(self, request: Request) -> PortsReply:
        spoofed = self.bridge.own_address_frames()
        return PortsReply([PortReport(p, str(b), self.carrier[p], spoofed.get(p, 0))
                           for p, b in self.ports.items()], reply_to=request.id)

    def state(self, request: Request) -> FabricState:
        return FabricState(
            macs=[[mac, port, vid] for mac, port, vid in self.bridge.mac_table()
                  if port in self.ports or port in self.trunks.members],
            counters={port: self.bridge.counters(port) for port in self.ports},
            neighbors=[{"local_port": port, **{k: v for k, v in dataclasses.asdict(a).items()
                                               if k != "ttl"}}
                       for port, a in self.neighbors.rows(time.monotonic())],
            lldp_stats=self.neighbors.stats(time.monotonic()),
            carrier={port: self.carrier[port] for port in self.ports},
            trunk_counters={t: self.bridge.counters(t) for t in self.trunks.members},
            trunk_links={t: list(up) for t, up in self.trunks.up.items()},
            lacp=[dataclasses.asdict(row) for row in self.lacp.report()],
            loop_protect=[dataclasses.asdict(row)
                          for row in self.loop_protect.report(time.monotonic())],
            spanning_tree=self.stp.snapshot(),
            acl_hits={} if self.acl_plan is None else self.acl_plan.hits(),
            acl_denied=[] if self.acl_plan is None else self.acl_plan.denied(),
            reply_to=request.id,
        )

    async def serve(self, link: Link) -> None:
        """Answer the chassis until it hangs up: the fabric has no life without a backplane."""
        await link.send(Hello(slot="fabric", pid=os.getpid()))
        while True:
            try:
                msg, socks = await link.recv()
            except EOFError:
                return
            refusal = Failure(f"fabric does not take {msg.kind}",
                              reply_to=msg.id if isinstance(msg, Request) else 0)
            reply = await CHASSIS.dispatch(self, msg, socks, refusal)
            if reply is not None:
                await link.send(reply)

    @CHASSIS.on(FabricLink)
    async def _fabric_link(self, msg: FabricLink, socks: list[socket.socket]) -> None:
        task = asyncio.create_task(self.obey(Link(socks[0])))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    @CHASSIS.on(PortsRequest)
    async def _ports(self, msg: PortsRequest, _socks: list[socket.socket]) -> Reply:
        return self.report(msg)

    async def obey(self, link: Link) -> None:
        """Commands of the active management module, until it goes away (one that is not a
        command is ignored, as before any module spoke)."""
        try:
            while True:
                msg, socks = await link.recv()
                async with self.commands:
                    reply = await MODULE.dispatch(self, msg, socks, None)
                if reply is not None:
                    await link.send(reply)
        except (EOFError, IpcError):
            pass
        finally:
            link.close()

    @MODULE.on(FabricReset)
    async def _reset(self, msg: FabricReset, _socks: list[socket.socket]) -> None:
        self.reset()

    @MODULE.on(FabricProgram)
    async def _program(self, msg: FabricProgram, _socks: list[socket.socket]) -> Reply:
        self.program(msg)
        if self.inband is not None:
            await self.inband.apply({int(v): a for v, a in msg.addresses.items()}, msg.routes,
                                    msg.forwarding)
        return self.report(msg)

    @MODULE.on(FabricQuery)
    async def _query(self, msg: FabricQuery, _socks: list[socket.socket]) -> Reply:
        return self.state(msg)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="procurve-emu fabric")
    parser.add_argument("--ipc-fd", type=int, required=True)
    parser.add_argument("--port", action="append", default=[])
    parser.add_argument("--timing", choices=sorted(PROFILES), default="lab")
    parser.add_argument("--mgmt-netns", help="the switch's in-band IP stack (emulator/inband.py)")
    parser.add_argument("--base-mac", default=hardware.Inventory().base_mac)
    args = parser.parse_args(argv)
    # A terminal's Ctrl-C reaches the whole process group; the chassis decides when we stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    ports = dict(parse_port_assignment(p, hardware.FULL_CHASSIS) for p in args.port)
    fabric = Fabric(ports, hardware.MAC_AGE_DEFAULT, args.mgmt_netns,
                    hardware.mac_bytes(args.base_mac), PROFILES[args.timing].lldp_interval)
    fabric.open()
    try:
        asyncio.run(run(fabric, Link(socket.socket(fileno=args.ipc_fd))))
    finally:
        fabric.close()
    return 0


async def run(fabric: Fabric, link: Link) -> None:
    """Serve until the chassis hangs up or stops us (SIGTERM): then the TAPs we made go."""
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    fabric.start()
    serving = asyncio.create_task(fabric.serve(link))
    stopping = asyncio.create_task(stop.wait())
    await asyncio.wait({serving, stopping}, return_when=asyncio.FIRST_COMPLETED)
    for task in (serving, stopping, *fabric.tasks):
        task.cancel()


if __name__ == "__main__":
    raise SystemExit(main())
