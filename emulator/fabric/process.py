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
from typing import Final

from emulator import hardware
from emulator.fabric import acl, lldp
from emulator.fabric.afpacket import AfPacketPort, drain_events, if_index, link_events
from emulator.fabric.bridge import Bridge
from emulator.fabric.inband import VlanInterfaces
from emulator.fabric.tap import PortGone, TapPort
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

DRAIN: Final = 64
"""Frames read per readiness wake-up: one epoll round trip per frame costs a third of the
throughput (notes/dataplane.md)."""


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
        self.bridge.attach(port, wire.send)
        if isinstance(wire, AfPacketPort):
            wire.on_error = functools.partial(self.bridge.count_error, port)
            wire.on_tx_drop = functools.partial(self.bridge.count_tx_drops, port)

    def start(self) -> None:
        loop = asyncio.get_running_loop()
        for port, wire in self.wires.items():
            loop.add_reader(wire.fileno(), self.drain, port, wire)
        if self.link_events is not None:
            loop.add_reader(self.link_events.fileno(), self.follow_interfaces)
        task = loop.create_task(self.advertise())
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    # -- LLDP: control frames, classified by the bridge on raw bytes ----------------------

    def control_frame(self, port: str, vid: int, frame: bytes) -> None:
        if frame[:6] == lldp.MULTICAST:
            advert = lldp.decode(frame)
            if advert is not None:
                self.neighbors.learn(port, advert, time.monotonic())

    def send_advert(self, port: str) -> None:
        wire = self.wires.get(port)
        if wire is None or self.local is None or not self.carrier[port]:
            return
        ttl = round(self.lldp_interval * lldp.HOLD_MULTIPLIER)
        frame = lldp.encode(self.local, str(hardware.if_index(port)), port, ttl,
                            self.bridge.pvid(port))
        with contextlib.suppress(OSError):
            wire.send(frame)

    async def advertise(self) -> None:
        """Every interval, an advert on every port with link (once programmed)."""
        while True:
            for port in self.wires:
                self.send_advert(port)
            await asyncio.sleep(self.lldp_interval)

    def drain(self, port: str, wire: Wire) -> None:
        receive = self.bridge.receive
        for _ in range(DRAIN):
            try:
                frame = wire.read()
            except PortGone as exc:
                self.lose(port, wire, f"out of service: {exc.strerror}")
                return
            except OSError:  # drained (BlockingIOError), or a tunnel peer not up yet
                return
            receive(port, frame)
        # More may wait where epoll cannot see it (the rest of a super-frame an AF_PACKET port
        # cut up): come back once the other ports have had their turn.
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
        self.acl_plan = None  # access lists: none until programmed, counts from zero
        self.bridge.set_acls(None)

    def program(self, msg: FabricProgram) -> None:
        self.bridge.set_mac_age(msg.mac_age)
        self.bridge.set_jumbo(msg.jumbo)
        self.local = lldp.LocalSystem(self.mac, msg.system_name, hardware.SYS_DESCR,
                                      msg.management_address)
        self.programmed = msg
        self.program_acls(msg)
        for port in self.ports:
            self.apply_port(port)

    # --- access lists (fabric/acl.py) ---

    def program_acls(self, msg: FabricProgram) -> None:
        """The lists where they apply (kept counts for those unchanged); none: no filter."""
        if not msg.access_groups:
            self.acl_plan = None
        else:
            own = [int(ipaddress.IPv4Interface(a).ip) for a in msg.addresses.values()]
            self.acl_plan = acl.Plan(msg.access_lists, msg.access_groups, own,
                                     (self.mac,) if self.mac else (), self.acl_plan)
        self.bridge.set_acls(self.acl_plan)

    def apply_port(self, port: str) -> None:
        """The last program's settings on one port: carrier when it is enabled and wired
        (none before the first program, as after a reset)."""
        msg = self.programmed
        up = msg is not None and msg.enabled.get(port, True) and port in self.wires
        came_up = up and not self.carrier[port]
        self.set_carrier(port, up)
        self.bridge.configure(port, enabled=up, pvid=None if msg is None else msg.pvid.get(port),
                              tagged=() if msg is None else msg.tagged.get(port, ()))
        if not up:
            self.neighbors.forget_port(port)
        elif came_up:  # LLDP fast start: a new link hears from us at once
            self.send_advert(port)

    def report(self, request: Request) -> PortsReply:
        spoofed = self.bridge.own_address_frames()
        return PortsReply([PortReport(p, str(b), self.carrier[p], spoofed.get(p, 0))
                           for p, b in self.ports.items()], reply_to=request.id)

    def state(self, request: Request) -> FabricState:
        return FabricState(
            macs=[[mac, port, vid] for mac, port, vid in self.bridge.mac_table()
                  if port in self.ports],
            counters={port: self.bridge.counters(port) for port in self.ports},
            neighbors=[{"local_port": port, **{k: v for k, v in dataclasses.asdict(a).items()
                                               if k != "ttl"}}
                       for port, a in self.neighbors.rows(time.monotonic())],
            carrier={port: self.carrier[port] for port in self.ports},
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
            await self.inband.apply({int(v): a for v, a in msg.addresses.items()}, msg.gateway)
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
