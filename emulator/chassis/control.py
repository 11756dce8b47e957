"""The control socket in the data dir: `procurve-emu status` and `procurve-emu fault`, one
request and its reply per connection."""

from __future__ import annotations

import asyncio
import os
import socket
from dataclasses import asdict
from typing import Any, Final

from emulator.chassis.backplane import Chassis, ChassisError
from emulator.chassis.child import FABRIC
from emulator.flash import Flash
from emulator.ipc import wire
from emulator.ipc.messages import (
    FAULT_ACTIONS,
    Failure,
    Fault,
    PortsReply,
    PortsRequest,
    Reply,
    Request,
    StatusReply,
    StatusRequest,
)

HANDLERS: Final = wire.Handlers["Control", Reply]()
"""The requests the control socket takes; any other is answered with a Failure."""


class Control:
    """The chassis' control socket and the sessions on it."""

    def __init__(self, chassis: Chassis) -> None:
        self.chassis = chassis
        self.sessions: set[asyncio.Task[None]] = set()

    async def serve(self, sock: socket.socket) -> None:
        loop = asyncio.get_running_loop()
        sock.setblocking(False)
        while True:
            conn, _ = await loop.sock_accept(sock)
            task = loop.create_task(self._session(wire.Link(conn)))
            self.sessions.add(task)
            task.add_done_callback(self.sessions.discard)

    async def _session(self, link: wire.Link) -> None:
        try:
            msg, socks = await link.recv()
            refusal = Failure(f"the chassis does not take {msg.kind}",
                              reply_to=msg.id if isinstance(msg, Request) else 0)
            await link.send(await HANDLERS.dispatch(self, msg, socks, refusal))
        except (EOFError, wire.IpcError):
            pass
        finally:
            link.close()

    @HANDLERS.on(StatusRequest)
    async def _status(self, msg: StatusRequest, _socks: list[socket.socket]) -> Reply:
        return StatusReply(await self.status(), reply_to=msg.id)

    @HANDLERS.on(Fault)
    async def _fault(self, msg: Fault, _socks: list[socket.socket]) -> Reply:
        if msg.action not in FAULT_ACTIONS:
            return Failure(f"the chassis does not take {msg.kind}", reply_to=msg.id)
        try:
            done = await self.chassis.fault(msg.action, msg.target)
        except ChassisError as exc:
            return Failure(str(exc), reply_to=msg.id)
        return StatusReply({"fault": done}, reply_to=msg.id)

    async def status(self) -> dict[str, Any]:
        chassis = self.chassis
        modules = [self.module_status(slot) for slot in chassis.modules]
        ports: list[dict[str, Any]] = []
        try:
            reply = await chassis.fabric.ask(PortsRequest())
            if isinstance(reply, PortsReply):
                ports = [asdict(p) for p in reply.ports]
        except (EOFError, TimeoutError):
            pass
        opts = chassis.options
        return {
            "chassis": {
                "pid": os.getpid(),
                "data_dir": str(opts.data_dir),
                "timing": opts.timing,
                "listen": opts.listen,
                "ssh_port": chassis.bound_port("ssh"),
                "telnet_port": chassis.bound_port("telnet"),
                "snmp_port": chassis.bound_port("snmp"),
                "mgmt_netns": chassis.netns,
                "active": chassis.active,
                "zygote": chassis.zygote.pid,
            },
            FABRIC: chassis.fabric.status(),
            "modules": modules,
            "ports": ports,
        }

    def module_status(self, slot: str) -> dict[str, Any]:
        """A module's slot status and the image its flash boots."""
        status = self.chassis.modules[slot].status()
        images = Flash.for_slot(self.chassis.options.data_dir, slot).images()
        default = images.get("default", "primary")
        status["image"] = {"version": images.get(default, ""), "boot": default}
        return status
