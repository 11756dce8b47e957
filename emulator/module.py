"""A management module process (`python -m emulator.module --slot MM1 ...`).

It runs its selftest, says hello to the backplane, and waits to be told its role. Only when it
is granted mastership does it import the switch (config model, CLI, command table, SSH): a
standby must stay small and a module must reach the chassis quickly, so that the run-to-banner
budget is spent on the work an active module cannot avoid. One asyncio loop per process.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import socket
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from emulator import ipc
from emulator.chassis import silence_limit
from emulator.timing import PROFILES, Timing

if TYPE_CHECKING:
    from emulator.cli.channel import SessionHandler


class Server(Protocol):
    def close(self) -> None: ...

    async def wait_closed(self) -> None: ...


def report(slot: str, text: str) -> None:
    """A line on the chassis' stderr (its stdout is the console, not ours to write)."""
    sys.stderr.write(f"procurve-emu: {slot}: {text}\n")
    sys.stderr.flush()


@dataclass
class Module:
    slot: str
    data_dir: Path
    timing: Timing
    link: ipc.Link
    servers: list[Server] = field(default_factory=list)
    tasks: list[asyncio.Task[None]] = field(default_factory=list)
    held: list[socket.socket] = field(default_factory=list)
    """Sockets granted for services not served yet (SNMP): held so the port stays ours."""
    rebooting: asyncio.Event = field(default_factory=asyncio.Event)
    """Set by a command that reboots the switch: the process ends and the chassis restarts
    it, as a real module reboots."""

    async def run(self) -> None:
        await asyncio.sleep(self.timing.selftest)
        await self.link.send(ipc.Hello(self.slot, os.getpid()))
        listening = asyncio.create_task(self.listen())
        rebooting = asyncio.create_task(self.rebooting.wait())
        try:
            await asyncio.wait({listening, rebooting}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (listening, rebooting):
                task.cancel()
            await self.shutdown()

    async def listen(self) -> None:
        """Obey the backplane until it goes away: a module without a chassis has nothing to
        serve."""
        with contextlib.suppress(EOFError):
            while True:
                msg, socks = await self.link.recv()
                if isinstance(msg, ipc.Grant) and msg.role == "active":
                    await self.become_active(msg, dict(zip(msg.sockets, socks, strict=True)))
                else:
                    for sock in socks:
                        sock.close()

    async def reboot(self, reason: str) -> None:
        report(self.slot, f"rebooting: {reason}")
        self.rebooting.set()

    def seed_startup(self, grant: ipc.Grant) -> None:
        """--startup-config / --hostname apply only to a flash that has never been saved to."""
        from emulator.chassis import read_inventory
        from emulator.config.model import SwitchConfig
        from emulator.config.render import render_config
        from emulator.flash import Flash

        flash = Flash.for_slot(self.data_dir, self.slot)
        if flash.read_startup() is not None:
            return
        if grant.startup_config is not None:
            flash.write_startup(grant.startup_config)
        elif grant.hostname is not None:
            config = SwitchConfig.factory(read_inventory(self.data_dir))
            config.hostname = grant.hostname
            flash.write_startup(render_config(config))

    async def become_active(self, grant: ipc.Grant, sockets: dict[str, socket.socket]) -> None:
        """Finish booting: read the startup config, serve the CLI, tell the chassis."""
        from emulator.chassis import read_inventory
        from emulator.cli.channel import Channel, Peer
        from emulator.cli.session import CliSession
        from emulator.commands import command_table
        from emulator.device import Device
        from emulator.events import EventLog, Severity
        from emulator.flash import Flash
        from ssh_server.hostkeys import load_or_create_host_keys
        from ssh_server.ssh import start_ssh_server
        from ssh_server.telnet import start_telnet_server

        await asyncio.sleep(self.timing.boot)
        self.seed_startup(grant)
        flash = Flash.for_slot(self.data_dir, self.slot)
        events = EventLog()
        device, errors = Device.boot(
            read_inventory(self.data_dir), flash, self.timing, events, self.slot
        )
        for error in errors:
            text = f"startup-config line {error.lineno}: {error.message}"
            events.log("config", text, Severity.WARNING)
            report(self.slot, f"{text} ({error.line.strip()})")
        device.on_reboot.append(self.reboot)
        table = command_table()

        async def handler(channel: Channel, peer: Peer) -> None:
            try:
                await CliSession(device, table, channel, peer).run()
            finally:
                channel.close()

        keys = load_or_create_host_keys(flash.security)
        self.servers.append(
            await start_ssh_server(
                sockets.pop("ssh"), keys, device.credentials.check, handler,
                login_timeout=self.timing.login_timeout,
            )
        )
        self.servers.append(await start_telnet_server(sockets.pop("telnet"), handler))
        console = sockets.pop("console", None)
        if console is not None:
            self.tasks.append(asyncio.create_task(self.serve_console(console, handler)))
        self.held.extend(sockets.values())
        await self.link.send(
            ipc.Ready(
                self.slot,
                device.running.hostname,
                device.credentials.username("manager"),
                "manager" if device.credentials.check("manager", "manager") else None,
            )
        )

    async def serve_console(self, sock: socket.socket, handler: SessionHandler) -> None:
        """The serial console over the chassis' relay, until the chassis hangs the line up."""
        from ssh_server.console import run_console

        reader, writer = await asyncio.open_unix_connection(sock=sock)
        try:
            await run_console(reader, writer, handler)
        finally:
            writer.close()

    async def shutdown(self) -> None:
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        for server in self.servers:
            server.close()
        # Open sessions must not keep an orphaned module alive after its chassis is gone.
        closing = [server.wait_closed() for server in self.servers]
        if closing:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(asyncio.gather(*closing), silence_limit(self.timing))
        for sock in self.held:
            sock.close()
        self.link.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="procurve-emu module")
    parser.add_argument("--slot", required=True)
    parser.add_argument("--ipc-fd", type=int, required=True)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--timing", choices=sorted(PROFILES), default="lab")
    args = parser.parse_args(argv)
    # A terminal's Ctrl-C reaches the whole process group; the chassis decides when we stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    link = ipc.Link(socket.socket(fileno=args.ipc_fd))
    module = Module(args.slot, args.data_dir, PROFILES[args.timing], link)
    asyncio.run(module.run())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
