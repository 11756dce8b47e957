"""A management module process (`python -m emulator.module --slot MM1 ...`).

It runs its selftest, says hello to the backplane, and waits to be told its role. Only when it
is granted mastership does it import the switch (config model, CLI, command table, SSH): a
standby must stay small and a module must reach the chassis quickly, so that the run-to-banner
budget is spent on the work an active module cannot avoid. One asyncio loop per process. The
wire to the interface modules it drives once active is emulator/fabric/client.py.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import math
import os
import signal
import socket
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Protocol

from emulator import inband, memory
from emulator.datadir import SELFTEST_FAULT, read_inventory
from emulator.fabric.client import FabricClient
from emulator.flash import Flash, durable_remove
from emulator.hardware import MANAGEMENT_SLOTS
from emulator.ipc import wire
from emulator.ipc.messages import (
    FabricLink,
    Grant,
    Hello,
    PeerLink,
    Ready,
    RebootModule,
    Role,
    Roles,
    SetRedundancy,
    Switchover,
)
from emulator.liveness import Heartbeat, silence_limit
from emulator.redundancy.state import (
    PREFERENCE_FILE,
    FailoverEvent,
    ModuleStatus,
    ModuleView,
)
from emulator.redundancy.sync import SyncError, push, push_running, receive
from emulator.timing import PROFILES, Timing

if TYPE_CHECKING:
    from emulator.cli.channel import SessionHandler
    from emulator.device import Device
    from emulator.ospf import OspfEngine


class Server(Protocol):
    def close(self) -> None: ...

    async def wait_closed(self) -> None: ...


def report(slot: str, text: str) -> None:
    """A line on the chassis' stderr (its stdout is the console, not ours to write)."""
    sys.stderr.write(f"procurve-emu: {slot}: {text}\n")
    sys.stderr.flush()


BOOT_HISTORY: Final = 10
ROLE_STATUS: Final = {
    Role.ACTIVE: ModuleStatus.ACTIVE, Role.STANDBY: ModuleStatus.STANDBY,
    Role.FAILED: ModuleStatus.FAILED, Role.OFFLINE: ModuleStatus.OFFLINE,
    Role.BOOTING: ModuleStatus.BOOTING, Role.NOT_PRESENT: ModuleStatus.NOT_PRESENT,
}
"""A slot's role as `show redundancy` words it."""
HANDLERS: Final = wire.Handlers["Module", None]()
"""What the module does with each message the chassis sends it."""


@dataclass
class Module:
    slot: str
    data_dir: Path
    timing: Timing
    link: wire.Link
    beats: socket.socket
    """Where the heartbeat goes (a datagram socket of its own, beside the link)."""
    servers: list[Server] = field(default_factory=list)
    tasks: list[asyncio.Task[None]] = field(default_factory=list)
    rebooting: asyncio.Event = field(default_factory=asyncio.Event)
    """Set by a command that reboots the switch: the process ends and the chassis restarts
    it, as a real module reboots."""
    role: Role = Role.BOOTING
    roles: dict[str, Role] = field(default_factory=dict)
    peer: wire.Link | None = None
    fabric: FabricClient = field(default_factory=FabricClient)
    """The wire to the interface modules, handed over with mastership."""
    device: Device | None = None
    serving: asyncio.Event = field(default_factory=asyncio.Event)
    sync_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    hot_config: str | None = None
    """A nonstop standby's copy of the active's running config (redundancy/sync.py): with it
    a takeover runs that config and leaves the interface modules forwarding."""
    ospf: OspfEngine | None = None
    """The OSPF engine while this module is active (emulator/ospf.py)."""
    standby_holds: str | None = None
    """The running config the active last gave a nonstop standby: pushed again only when it
    changes, and taken back (None) when nonstop switching is turned off."""
    ssh_servers: list[Any] = field(default_factory=list)
    """The SSH servers (ssh_server.ssh.SSHServerHandle), which take new host keys and
    algorithms while running."""
    host_keys: list[Any] = field(default_factory=list)
    ssh_settings: tuple[list[str] | None, list[str] | None, float] | None = None
    """The ciphers and MACs the SSH servers offer (None: asyncssh's own lists) and their
    login timeout, as last applied."""

    @property
    def flash(self) -> Flash:
        return Flash.for_slot(self.data_dir, self.slot)

    async def run(self) -> None:
        Heartbeat(self.beats, self.timing.heartbeat_interval, self.timing.loop_stall,
                  self.slot).start()
        hello = self.selftest()
        await asyncio.sleep(self.timing.selftest)
        await self.link.send(hello)
        listening = asyncio.create_task(self.listen())
        rebooting = asyncio.create_task(self.rebooting.wait())
        try:
            await asyncio.wait({listening, rebooting}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (listening, rebooting):
                task.cancel()
            await self.shutdown()

    def selftest(self) -> Hello:
        """Run selftest and note this boot in flash; the Hello carries what the election
        needs to know of the module's previous boots."""
        flash = self.flash
        marker = flash.root / SELFTEST_FAULT
        passed = not marker.exists()
        durable_remove(marker)
        state = flash.state()
        serial = read_inventory(self.data_dir).serial
        preference = flash.read_root_json(PREFERENCE_FILE)
        was_active = (state.get("last_role") == "active" if preference is None
                      else preference.get("slot") == self.slot)
        hello = Hello(
            slot=self.slot, pid=os.getpid(), selftest_passed=passed,
            ever_booted=state.get("booted_in") == serial,
            active_last_boot=was_active,
            last_boot=float(state.get("last_boot", 0.0)),
        )
        flash.write_state(state | {"booted_in": serial, "last_boot": time.time(),
                                   "boots": int(state.get("boots", 0)) + 1,
                                   "selftest": "passed" if passed else "failed"})
        if not passed:
            report(self.slot, "selftest failed")
            self.remember_role(Role.FAILED, "selftest failed")
        return hello

    def remember_role(self, role: Role, reason: str = "") -> None:
        """The role in flash (election rule 5) and in the boot history `show boot-history`
        lists, newest last, the last BOOT_HISTORY boots."""
        self.role = role
        flash = self.flash
        state = flash.state()
        history = [*state.get("history", []), {"time": time.time(), "role": role.value,
                                                "reason": reason}][-BOOT_HISTORY:]
        flash.write_state(state | {"last_role": role.value, "history": history})

    async def listen(self) -> None:
        """Obey the backplane until it goes away: a module without a chassis has nothing to
        serve."""
        with contextlib.suppress(EOFError):
            while True:
                msg, socks = await self.link.recv()
                await HANDLERS.dispatch(self, msg, socks, None)

    @HANDLERS.on(Grant)
    async def _grant(self, msg: Grant, socks: list[socket.socket]) -> None:
        if msg.role is Role.ACTIVE:
            await self.become_active(msg, dict(zip(msg.sockets, socks, strict=True)))
            return
        for sock in socks:
            sock.close()
        self.remember_role(msg.role, msg.reason)
        await self.link.send(Ready(slot=self.slot))

    @HANDLERS.on(Roles)
    async def _roles(self, msg: Roles, _socks: list[socket.socket]) -> None:
        self.update_roles(msg.roles)

    @HANDLERS.on(PeerLink)
    async def _peer_link(self, msg: PeerLink, socks: list[socket.socket]) -> None:
        self.attach_peer(wire.Link(socks[0]))

    @HANDLERS.on(FabricLink)
    async def _fabric_link(self, msg: FabricLink, socks: list[socket.socket]) -> None:
        self.fabric.attach(wire.Link(socks[0]))

    def attach_peer(self, link: wire.Link) -> None:
        if self.peer is not None:
            self.peer.close()
        self.peer = link
        if self.role is Role.ACTIVE:
            self.tasks.append(asyncio.create_task(self.initial_sync()))
        else:
            self.tasks.append(asyncio.create_task(receive(link, self.flash, self.keep_running)))

    def keep_running(self, text: str | None) -> None:
        self.hot_config = text

    async def initial_sync(self) -> None:
        await self.serving.wait()
        await self.sync()

    async def sync(self) -> None:
        """Push the stored config and security files to the standby and wait until they are
        durable there; a standby that fails to answer is dropped (the chassis will notice)."""
        async with self.sync_lock:
            peer = self.peer
            if peer is None or self.device is None:
                return
            try:
                count = await push(peer, self.flash, silence_limit(self.timing))
            except SyncError as exc:
                report(self.slot, f"file sync to the standby failed: {exc}")
                peer.close()
                self.peer = None
                return
            self.standby_holds = None  # a new standby holds nothing yet
            await self.push_running_config(peer, initial=True)
            self.device.events.log("chassis", f"Initial sync to STANDBY COMPLETED ({count} files)",
                                   event_id=539)

    async def sync_running(self) -> None:
        """After every config change: a nonstop standby gets the new running config (and is
        told to forget it when the mode goes back to warm standby)."""
        async with self.sync_lock:
            if self.peer is not None:
                await self.push_running_config(self.peer)

    async def push_running_config(self, peer: wire.Link, initial: bool = False) -> None:
        """Under sync_lock: the running config to a nonstop standby when it changed; a standby
        that fails to take it is dropped, as for the files."""
        device = self.device
        if device is None:
            return
        text = device.running_text() if device.running.nonstop_switching else None
        if text == self.standby_holds and not (initial and text is not None):
            return
        try:
            await push_running(peer, text, silence_limit(self.timing))
        except SyncError as exc:
            report(self.slot, f"running-config sync to the standby failed: {exc}")
            peer.close()
            self.peer = None
            return
        self.standby_holds = text

    def update_roles(self, roles: dict[str, Role]) -> None:
        self.roles = roles
        if self.device is None:
            return
        views = self.device.redundancy.modules
        for slot, role in roles.items():
            status = ROLE_STATUS.get(role, ModuleStatus.OFFLINE)
            view = views.get(slot)
            if view is None:
                mine = views[self.slot]
                views[slot] = ModuleView(slot, status, mine.version, mine.boot_image)
            else:
                view.status = status

    async def reboot(self, reason: str) -> None:
        report(self.slot, f"rebooting: {reason}")
        self.rebooting.set()

    def seed_startup(self, grant: Grant) -> None:
        """--startup-config / --hostname apply only to a flash that has never been saved to."""
        from emulator.config.model import SwitchConfig
        from emulator.config.render import render_config

        flash = self.flash
        if flash.read_startup() is not None:
            return
        if grant.startup_config is not None:
            flash.write_startup(grant.startup_config)
        elif grant.hostname is not None:
            config = SwitchConfig.factory(read_inventory(self.data_dir))
            config.hostname = grant.hostname
            flash.write_startup(render_config(config))

    async def become_active(self, grant: Grant, sockets: dict[str, socket.socket]) -> None:
        """Finish booting: read the startup config from our own flash, serve the CLI, tell the
        chassis. A standby taking over does exactly this: its running config is what it was
        synced, never the old active's unsaved changes."""
        host_keys = asyncio.get_running_loop().run_in_executor(
            None, _host_keys, self.flash.security)
        from emulator.cli.channel import Channel, Peer
        from emulator.cli.login import check_password
        from emulator.cli.replay import ConfigReplay
        from emulator.cli.session import CliSession
        from emulator.clock import ChassisClock
        from emulator.commands import command_table
        from emulator.device import Device
        from emulator.events import EventLog
        from ssh_server.sftp import gate
        from ssh_server.ssh import start_ssh_server
        from ssh_server.telnet import start_telnet_server

        self.remember_role(Role.ACTIVE, grant.reason)
        durable_remove(self.flash.root / PREFERENCE_FILE)  # used once, at the boot it named
        if self.peer is not None:  # the link we were synced over; the chassis sends a new one
            self.peer.close()
            self.peer = None
        hot = self.hot_config
        if hot is None:  # warm standby (or a first boot): the interface modules reset
            reset_at = await self.fabric.reset()
            await asyncio.sleep(self.timing.boot)
        else:  # nonstop switching: no reboot, the ports keep forwarding
            reset_at = -math.inf
        self.seed_startup(grant)
        flash = self.flash
        events = EventLog()
        table = command_table()
        device, errors = Device.boot(read_inventory(self.data_dir), flash, self.timing, events,
                                     self.slot, replay=ConfigReplay(table), hot_config=hot,
                                     clock=ChassisClock.load(self.data_dir))
        for error in errors:  # logged by number only (Device.boot): the text goes to stderr
            report(self.slot, f"startup-config line {error.lineno}: {error.message} "
                              f"({error.line.strip()})")
        self.record_mastership(device, grant)
        device.mgmt_netns = grant.mgmt_netns
        device.on_reboot.append(self.reboot)
        device.on_flash_change.append(self.sync)
        device.on_commit.append(self.sync_running)
        device.redundancy.control = ModuleControl(self)
        self.device = device
        self.update_roles(self.roles)
        bringing_up = asyncio.create_task(
            self.fabric.bring_up(device, reset_at, self.timing.module_reset))
        self.tasks += [bringing_up, asyncio.create_task(self.time_services(device, bringing_up))]
        if device.mgmt_netns is not None:  # the DHCP relay agent (emulator/dhcp_relay.py)
            from emulator.dhcp_relay import DhcpRelay  # with the config model: the active's

            DhcpRelay(device, device.mgmt_netns).start()
            self.start_ospf(device, device.mgmt_netns)
        if not device.redundancy.enabled:  # `no redundancy management-module` in the config
            await self.link.send(SetRedundancy(False))

        async def handler(channel: Channel, peer: Peer) -> None:
            try:
                await CliSession(device, table, channel, peer).run()
            finally:
                channel.close()

        keys = await host_keys
        self.take_host_keys(device, keys)

        def admit_ssh(address: str) -> bool:  # no host key (zeroized): nobody
            return bool(self.host_keys) and device.running.admits("ssh", address)

        for suffix in ("", inband.SUFFIX):  # out of band (loopback), then the VLAN addresses
            ssh, telnet = sockets.pop("ssh" + suffix, None), sockets.pop("telnet" + suffix, None)
            if ssh is not None:
                server = await start_ssh_server(
                    ssh, keys, functools.partial(check_password, device, "ssh"), handler,
                    login_timeout=self.timing.login_timeout, sftp=gate(device), admit=admit_ssh,
                    attempts=lambda: device.running.aaa.num_attempts)
                self.servers.append(server)
                self.ssh_servers.append(server)
            if telnet is not None:
                self.servers.append(await start_telnet_server(
                    telnet, handler, login_timeout=self.timing.login_timeout,
                    admit=lambda address: device.running.admits("telnet", address)))
        device.on_host_key.append(self.change_host_keys)
        device.on_commit.append(self.apply_ssh_settings)
        await self.apply_ssh_settings()
        console = sockets.pop("console", None)
        if console is not None:
            self.tasks.append(asyncio.create_task(self.serve_console(console, handler)))
        await self.start_snmp(device, sockets)
        await self.link.send(
            Ready(
                slot=self.slot,
                hostname=device.running.hostname,
                manager_user=device.credentials.username("manager"),
                password_hint="manager" if device.credentials.check("manager", "manager")
                else None,
            )
        )
        self.serving.set()
        memory.trim()  # what the boot (config replay, host keys, imports) freed

    def take_host_keys(self, device: Device, keys: list[Any]) -> None:
        from ssh_server.hostkeys import rsa_bits

        self.host_keys = keys
        device.host_public_keys = [key.export_public_key("openssh").decode().strip()
                                   for key in keys]
        device.host_key_bits = rsa_bits(keys)

    async def change_host_keys(self, bits: int | None) -> None:
        """`crypto key generate ssh` (bits) or `crypto key zeroize ssh` (None): the keys on
        flash change (and go to the standby), new SSH connections see them."""
        from ssh_server.hostkeys import generate_host_keys, zeroize_host_keys

        device = self.device
        assert device is not None
        security = self.flash.security
        if bits is None:
            zeroize_host_keys(security)
            keys: list[Any] = []
        else:
            keys = await asyncio.get_running_loop().run_in_executor(
                None, generate_host_keys, security, bits)
        self.take_host_keys(device, keys)
        if keys:
            await self.apply_ssh_settings(keys_changed=True)
        await device.flash_changed()

    async def apply_ssh_settings(self, keys_changed: bool = False) -> None:
        """After a command: `ip ssh cipher|mac|timeout` changes (and new host keys) reach the
        SSH servers (new connections); the full default lists leave asyncssh its own choice,
        and the default timeout the timing profile's."""
        from emulator.config.access import SSH_CIPHERS, SSH_MACS, SSH_TIMEOUT_DEFAULT

        device = self.device
        if device is None or not self.host_keys:
            return
        ssh = device.running.ssh
        timeout = (self.timing.login_timeout if ssh.timeout == SSH_TIMEOUT_DEFAULT
                   else float(ssh.timeout))
        wanted = (None if ssh.ciphers == list(SSH_CIPHERS) else list(ssh.ciphers),
                  None if ssh.macs == list(SSH_MACS) else list(ssh.macs), timeout)
        if wanted == self.ssh_settings and not keys_changed:
            return
        self.ssh_settings = wanted
        for server in self.ssh_servers:
            server.update(self.host_keys, *wanted)
    def start_ospf(self, device: Device, netns: str) -> None:
        """The OSPF engine (emulator/ospf.py): applied now and after every command, read
        before every show, stopped with the module."""
        from emulator.ospf import OspfEngine

        engine = OspfEngine(device, netns)
        self.ospf = engine
        device.ospf_query = engine.query
        device.on_commit.append(engine.apply)
        device.on_refresh.append(engine.read)
        self.tasks.append(asyncio.create_task(engine.apply()))

    async def start_snmp(self, device: Device, sockets: dict[str, socket.socket]) -> None:
        """The SNMP agent on each SNMP socket; the out-of-band one also sends the
        notifications (coldStart now, link changes from here on)."""
        from snmp.agent import start_agent

        for suffix in ("", inband.SUFFIX):
            sock = sockets.pop("snmp" + suffix, None)
            if sock is not None:
                self.servers.append(await start_agent(sock, device, report, notify=not suffix))

    async def time_services(self, device: Device, bringing_up: asyncio.Task[None]) -> None:
        """Syslog and SNTP, once the interface modules are programmed (the in-band stack has
        its addresses): the events logged since boot go out first, then each as it comes.
        The TFTP server (`tftp server`) answers on port 69 of the in-band stack."""
        from emulator.sntp import SntpClient
        from emulator.syslog import SyslogClient

        await asyncio.wait({bringing_up})
        self.serve_tftp(device)
        syslog = SyslogClient(lambda: device.running, device.localtime, device.mgmt_netns)
        sntp = SntpClient(lambda: device.running, device.clock, device.events,
                          device.mgmt_netns)
        for event in list(device.events.events):
            syslog(event)
        device.events.listeners.append(syslog)
        device.on_commit.append(sntp.check)
        try:
            await sntp.run()
        finally:
            syslog.close()

    def serve_tftp(self, device: Device) -> None:
        """The switch's TFTP server on its in-band stack (none without one: port 69 of the
        host is not the switch's to take)."""
        from emulator import tftp
        from emulator.commands.file_transfer import lookup

        if device.mgmt_netns is None:
            return
        try:
            sock = tftp.server_socket(device.mgmt_netns)
        except OSError as exc:
            report(self.slot, f"no TFTP server: {exc}")
            return
        self.tasks.append(asyncio.create_task(tftp.serve(
            sock, functools.partial(lookup, device), lambda: device.running.tftp_server,
            device.mgmt_netns)))

    def record_mastership(self, device: Device, grant: Grant) -> None:
        """Log why this module is active; a switchover also counts in the failover record
        (stored in flash and synced, so the count survives the next switchover)."""
        from emulator.events import Severity
        from emulator.redundancy.state import FAILOVER_FILE

        if grant.takeover_from is None:
            device.events.log("chassis", f"{self.slot}: Active management module: {grant.reason}")
            return
        now = device.clock.now()
        record = device.redundancy.record
        record.failovers += 1
        record.last_failover = now
        record.log.append(FailoverEvent(now, grant.takeover_from, self.slot, grant.reason))
        self.flash.write_root_json(FAILOVER_FILE, record.to_json())
        device.events.log(
            "chassis",
            f"{self.slot}: Switchover from {grant.takeover_from}: {grant.reason}; "
            f"{self.slot} is now the active management module",
            Severity.MAJOR,
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
        if self.ospf is not None:  # FRR's daemons stop with the module (emulator/ospf.py)
            self.ospf.stop()
        for server in self.servers:
            server.close()
        # Open sessions must not keep an orphaned module alive after its chassis is gone.
        closing = [server.wait_closed() for server in self.servers]
        if closing:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(asyncio.gather(*closing), silence_limit(self.timing))
        self.link.close()


def _host_keys(security: Path) -> list[Any]:
    """The SSH host keys, made on a first boot. Run in a thread at the start of a takeover:
    RSA key generation (15-100 ms) releases the GIL, so it overlaps the CLI's imports."""
    from ssh_server.hostkeys import load_or_create_host_keys

    return list(load_or_create_host_keys(security))


@dataclass
class ModuleControl:
    """The redundancy commands' levers (RedundancyControl): requests to the chassis, which
    owns the reset lines; files are synced first, as a switchover waits for the sync."""

    module: Module

    @property
    def other(self) -> str:
        return next(s for s in MANAGEMENT_SLOTS if s != self.module.slot)

    def standby_present(self) -> bool:
        return self.module.roles.get(self.other) is Role.STANDBY

    async def switchover(self, reason: str) -> None:
        await self.module.sync()
        await self.module.link.send(Switchover(reason))

    async def reboot_standby(self) -> None:
        await self.module.link.send(RebootModule(self.other, "boot standby command"))

    async def set_redundancy(self, enabled: bool) -> None:
        await self.module.link.send(SetRedundancy(enabled))

    async def boot_system(self, image: str) -> None:
        flash = self.module.flash
        flash.write_images(flash.images() | {"default": image})
        await self.module.sync()
        await self.module.link.send(RebootModule(None, f"boot system flash {image}"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="procurve-emu module")
    parser.add_argument("--slot", required=True)
    parser.add_argument("--ipc-fd", type=int, required=True)
    parser.add_argument("--heartbeat-fd", type=int, required=True)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--timing", choices=sorted(PROFILES), default="lab")
    args = parser.parse_args(argv)
    # A terminal's Ctrl-C reaches the whole process group; the chassis decides when we stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    link = wire.Link(socket.socket(fileno=args.ipc_fd))
    beats = socket.socket(fileno=args.heartbeat_fd)
    module = Module(args.slot, args.data_dir, PROFILES[args.timing], link, beats)
    asyncio.run(module.run())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
