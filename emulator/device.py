"""The live switch as the active management module sees it: running config, startup config on
flash, credentials, the event log and the module's view of the fabric (port state, MAC, ARP and
LLDP tables). The CLI and the SNMP agent read and change this one object.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from emulator.aaa.radius import Counters as RadiusCounters
from emulator.aaa.tacacs import Counters as TacacsCounters
from emulator.clock import ChassisClock, wall_clock
from emulator.config.model import SwitchConfig
from emulator.config.render import render_config
from emulator.events import EventLog, Severity
from emulator.fabric.lacp import LacpStatus
from emulator.fabric.lldp import CHASSIS_MAC, PORT_LOCAL
from emulator.fabric.loop_protect import LoopStatus
from emulator.flash import Flash
from emulator.hardware import PRODUCT_LINE, SOFTWARE_REVISION, Inventory, sys_descr
from emulator.redundancy.state import (
    FAILOVER_FILE,
    FailoverRecord,
    ModuleStatus,
    ModuleView,
    Redundancy,
)
from emulator.routing import RouteEntry
from emulator.timing import Timing

PASSWORDS_FILE = "passwords.json"
BOOT_SEPARATOR = "-" * 41
"""The line a ProCurve logs at the start of every boot."""
STARTUP_LINE_REFUSED = "startup-config line {lineno} not applied"
"""What `show log` says of a startup-config line the switch could not take: its number only.
The line and the error, which quote the file (it may hold a community or a password the
operator reading the log must not see), go to the module's stderr alone."""
STARTUP_CHANGED = "Startup configuration changed by CLI. New seq. number {sequence}"
"""What `show log` says after `write memory`: the startup config's sequence number counts the
saves this module's flash has seen (kept in its state file)."""
CONFIG_SEQUENCE = "config_sequence"
LINK_TEXT = {True: "port {port} is now on-line", False: "port {port} is now off-line"}
"""What `show log` says when a port's carrier comes and goes (`ports`, event 00076)."""
@dataclass(frozen=True)
class LineError:
    """A startup-config line the switch did not take, and the CLI's reason."""

    lineno: int
    line: str
    message: str


Replay = Callable[["Device", str], list[LineError]]
"""Runs config text on a device as CLI commands (emulator/cli/replay.py's ConfigReplay):
the device knows no command, so its booter hands it the command table's replay."""

@dataclass
class ManagementSession:
    """A CLI session on the switch, as `show telnet` and `show ip ssh` list it: the console
    is session 1, the network sessions take the lowest free number after it."""

    number: int
    transport: str
    address: str
    port: int = 0
    level: str = "operator"


DEFAULT_CREDENTIALS = {"manager": ("manager", "manager"), "operator": ("operator", "operator")}


@dataclass
class PortCounters:
    rx_bytes: int = 0
    tx_bytes: int = 0
    rx_unicast: int = 0
    tx_unicast: int = 0
    rx_bcast: int = 0
    tx_bcast: int = 0
    rx_mcast: int = 0
    tx_mcast: int = 0
    rx_drops: int = 0
    tx_drops: int = 0
    rx_errors: int = 0
    tx_errors: int = 0


@dataclass
class PortState:
    """What the fabric reports of a port: carrier, its back-end (if wired) and counters."""

    link_up: bool = False
    backend: str | None = None
    counters: PortCounters = field(default_factory=PortCounters)
    last_change: float = 0.0
    """Monotonic time of the last carrier change (IF-MIB ifLastChange)."""


@dataclass(frozen=True)
class MacEntry:
    mac: str
    port: str
    vlan: int


@dataclass(frozen=True)
class ArpEntry:
    ip: str
    mac: str
    port: str
    dynamic: bool = True


@dataclass(frozen=True)
class LldpNeighbor:
    local_port: str
    chassis_id: str
    port_id: str
    port_descr: str
    sys_name: str
    sys_descr: str = ""
    management_address: str = ""
    capabilities_supported: tuple[str, ...] = ()
    capabilities_enabled: tuple[str, ...] = ()
    pvid: int | None = None
    chassis_subtype: int = CHASSIS_MAC
    """802.1AB ID subtypes (lldp.CHASSIS_SUBTYPES, PORT_SUBTYPES); a MAC ID is `001871-c30000`."""
    port_subtype: int = PORT_LOCAL

    @classmethod
    def from_json(cls, row: dict[str, Any]) -> LldpNeighbor:
        """A row of the fabric's report, whose JSON has lists where these fields are tuples."""
        values: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v
                                  for k, v in row.items()}
        return cls(**values)


class Credentials:
    """Manager and operator accounts, kept in the security files of the module's flash.

    Like the real switch, a password change is stored at once (it is not part of the running
    config that `write memory` saves); the config only says `password manager` is set. A
    password is kept as the switch keeps it, the SHA-1 of its text: the form `include-credentials`
    writes into the config (`password manager user-name "admin" sha1 "..."`) and a config brings
    back. Records of earlier releases (salted SHA-256) still log in; their hash cannot be shown.
    """

    def __init__(self, flash: Flash) -> None:
        self.flash = flash
        stored = flash.read_security(PASSWORDS_FILE)
        if stored is None:
            stored = {}
            for level, (user, secret) in DEFAULT_CREDENTIALS.items():
                stored[level] = self._record(user, secret)
            flash.write_security(PASSWORDS_FILE, stored)
        self.accounts: dict[str, dict[str, str]] = stored

    @staticmethod
    def _record(user: str, secret: str) -> dict[str, str]:
        return {"user": user, "sha1": sha1_hex(secret)}

    def change(self, level: str, user: str, secret: str) -> None:
        self.accounts[level] = self._record(user, secret)
        self.flash.write_security(PASSWORDS_FILE, self.accounts)

    def change_hash(self, level: str, user: str, digest: str) -> None:
        """`password LEVEL user-name U sha1 HASH`: the account as a config with
        include-credentials carries it (the hash's 40 hex digits, checked by the caller)."""
        self.accounts[level] = {"user": user, "sha1": digest.lower()}
        self.flash.write_security(PASSWORDS_FILE, self.accounts)

    def clear(self, level: str) -> None:
        self.accounts.pop(level, None)
        self.flash.write_security(PASSWORDS_FILE, self.accounts)

    def forget_hashed(self) -> None:
        """A startup config with `include-credentials` brings its own accounts: the ones on
        flash are erased (the manual), save a legacy record no config line could restore."""
        self.accounts = {level: record for level, record in self.accounts.items()
                         if "sha1" not in record}
        self.flash.write_security(PASSWORDS_FILE, self.accounts)

    def username(self, level: str) -> str | None:
        record = self.accounts.get(level)
        return record["user"] if record else None

    def check(self, user: str, secret: str) -> str | None:
        """The level (`manager`/`operator`) these credentials log in at, or None."""
        for level in ("manager", "operator"):
            record = self.accounts.get(level)
            if record is None or record["user"] != user:
                continue
            if "sha1" in record:
                digest, expected = sha1_hex(secret), record["sha1"]
            else:
                digest = hashlib.sha256((record["salt"] + secret).encode()).hexdigest()
                expected = record["sha256"]
            if hmac.compare_digest(digest, expected):
                return level
        return None

    def levels(self) -> set[str]:
        return set(self.accounts)

    def hashes(self) -> dict[str, tuple[str, str]]:
        """Level -> (user name, SHA-1 of the password): what `include-credentials` writes."""
        return {level: (record["user"], record["sha1"])
                for level, record in self.accounts.items() if "sha1" in record}


def sha1_hex(secret: str) -> str:
    """The switch's password hash (the manual's example: George's `2fd4e1c6...`)."""
    return hashlib.sha1(secret.encode()).hexdigest()


@dataclass
class Device:
    inventory: Inventory
    flash: Flash
    timing: Timing
    running: SwitchConfig
    credentials: Credentials
    events: EventLog
    slot: str = "MM1"
    boot_time: float = field(default_factory=time.monotonic)
    ports: dict[str, PortState] = field(default_factory=dict)
    mac_table: list[MacEntry] = field(default_factory=list)
    arp_table: list[ArpEntry] = field(default_factory=list)
    lldp_neighbors: list[LldpNeighbor] = field(default_factory=list)
    lldp_stats: dict[str, Any] = field(default_factory=dict)
    """The fabric's LLDP statistics (lldp.Neighbors.stats()), for `show lldp stats`."""
    locator: tuple[str, float] | None = None
    """The chassis locator LED: (`ON` or `BLINK`, the monotonic time it goes off), None when
    off (`chassislocate`)."""
    cleared_counters: dict[str, PortCounters] = field(default_factory=dict)
    """Each port's counters at its last `clear statistics`: the CLI counts from there, SNMP
    (IF-MIB) from boot, as on the switch."""
    on_flash_change: list[Callable[[], Awaitable[None]]] = field(default_factory=list)
    """Called after the startup config or a security file changed on flash: the module's
    sync to the standby hooks in here, and the command's prompt waits for it."""
    on_reboot: list[Callable[[str], Awaitable[None]]] = field(default_factory=list)
    """Called when a command reboots the switch; the module process wires its restart here."""
    on_refresh: list[Callable[[], Awaitable[None]]] = field(default_factory=list)
    """Called before every CLI command: reads the fabric's live tables (MACs, counters)."""
    on_commit: list[Callable[[], Awaitable[None]]] = field(default_factory=list)
    """Called after every CLI command: pushes the running config to the interface modules
    (each hook sends only what changed)."""
    on_link_change: list[Callable[[str, bool], None]] = field(default_factory=list)
    """Called with (port, link_up) for every carrier change the fabric reports (SNMP
    linkUp/linkDown); a port seen for the first time since this module's takeover was reset
    by it, so it reports down and then its new state."""
    on_loop_detected: list[Callable[[str, int, str], None]] = field(default_factory=list)
    """Called with (port, loop count, receiver action) for every loop the fabric reports on a
    protected port (SNMP's loop-detected notification)."""
    snmp_counters: dict[str, int] = field(default_factory=dict)
    """The agent's SNMP group counters (snmpInPkts ...), read by getMIB as well."""
    redundancy: Redundancy = field(default_factory=lambda: Redundancy("MM1"))
    booted_text: str = ""
    """The running config as booted: what "unsaved" compares with while flash has no startup
    config (a new or erased switch)."""
    mgmt_netns: str | None = None
    """The network namespace of the switch's in-band IP stack (emulator/inband.py): what
    `show arp` reads and `ping` sends from. None: VLAN addresses are config only."""
    clock: ChassisClock = field(default_factory=ChassisClock)
    """The chassis clock (emulator/clock.py): `time`, SNTP and every timestamp read it."""
    # --- trunks and LACP (commands/trunk.py), as the fabric reports them ---
    trunk_counters: dict[str, PortCounters] = field(default_factory=dict)
    trunk_links: dict[str, list[str]] = field(default_factory=dict)
    """`Trk1` -> the members carrying its traffic now."""
    lacp: list[LacpStatus] = field(default_factory=list)
    # --- loop protection (commands/loop_protect.py), as the fabric reports it ---
    loop_protect: list[LoopStatus] = field(default_factory=list)
    # --- spanning tree (fabric/stp.py, commands/spanning_tree.py) ---
    spanning_tree: dict[str, Any] = field(default_factory=dict)
    """The fabric's last SpanningTree.snapshot() (empty before the first read)."""
    # --- access lists (commands/acl.py) ---
    acl_hits: dict[str, list[list[int]]] = field(default_factory=dict)
    """The fabric's hit counts per application (`vlan 20 in`): [sequence number, hits]."""
    # --- DHCP relay (emulator/dhcp_relay.py) ---
    dhcp_relay_counters: dict[str, int] = field(default_factory=dict)
    """Client requests and server responses relayed and dropped (`show dhcp-relay`)."""
    # --- access control and AAA (commands/access.py, emulator/aaa/) ---
    sessions: list[ManagementSession] = field(default_factory=list)
    """The CLI sessions open now (`show telnet`, `show ip ssh`)."""
    radius_counters: dict[str, RadiusCounters] = field(default_factory=dict)
    tacacs_counters: dict[str, TacacsCounters] = field(default_factory=dict)
    """Per server address, what `show radius host` and `show tacacs` count."""
    host_public_keys: list[str] = field(default_factory=list)
    """The SSH host keys' public halves, OpenSSH lines (`show crypto host-public-key`);
    empty after `crypto key zeroize ssh`, when SSH serves nobody."""
    host_key_bits: int = 0
    """The RSA host key's size (`show ip ssh`)."""
    on_host_key: list[Callable[[int | None], Awaitable[None]]] = field(default_factory=list)
    """`crypto key generate ssh [rsa bits N]` (N) or `crypto key zeroize ssh` (None): the
    module makes or drops the keys and its SSH servers take them."""

    def open_session(self, transport: str, address: str, port: int = 0) -> ManagementSession:
        numbers = {session.number for session in self.sessions}
        number = 1 if transport == "console" else next(
            n for n in range(2, len(numbers) + 3) if n not in numbers)
        session = ManagementSession(number, transport, address, port)
        self.sessions.append(session)
        return session

    def close_session(self, session: ManagementSession) -> None:
        self.sessions = [s for s in self.sessions if s is not session]
    # --- IP routing (emulator/routing.py) ---
    learnt_routes: list[RouteEntry] = field(default_factory=list)
    """The routes a routing protocol learnt, as its engine last reported them."""
    ospf_state: dict[str, dict[str, Any]] = field(default_factory=dict)
    """The OSPF engine's last answers for OSPF-MIB (`general`, `neighbors`, `interfaces`:
    FRR's JSON), read with the learnt routes."""
    ospf_query: Callable[[str], Awaitable[dict[str, Any]]] | None = None
    """The OSPF engine's answers for the show commands (emulator/ospf.py), while it runs on
    this module: `show ip ospf WHAT` as JSON."""

    @classmethod
    def boot(cls, inventory: Inventory, flash: Flash, timing: Timing, events: EventLog,
             slot: str = "MM1", *, replay: Replay,
             hot_config: str | None = None,
             clock: ChassisClock | None = None) -> tuple[Device, list[LineError]]:
        """Run the startup config from flash (or take the factory default) the way the switch
        boots: on the hardware's blank config, line by line as CLI commands; lines it cannot
        accept are logged by number and skipped, never fatal; the caller gets them whole for
        its stderr. The hardware wins over the file: modules come from the inventory.
        `hot_config` is a nonstop standby's copy of the old active's running config: taken
        instead of the startup config, so a switchover changes no setting."""
        text = flash.read_startup() if hot_config is None else hot_config
        running = SwitchConfig.factory(inventory) if text is None else SwitchConfig.blank(
            inventory)
        device = cls(inventory, flash, timing, running, Credentials(flash), events, slot)
        device.clock = clock or device.clock
        events.clock, events.local = device.clock.now, device.localtime
        errors = [] if text is None else replay(device, text)
        running = device.running
        running.set_passwords(device.credentials.levels(), device.credentials.hashes())
        images = flash.images()
        booted = images.get("default", "primary")
        device.redundancy = Redundancy(
            slot,
            {slot: ModuleView(slot, ModuleStatus.ACTIVE,
                              images.get(booted, SOFTWARE_REVISION), booted.capitalize())},
            enabled=running.redundancy_enabled,
            record=FailoverRecord.from_json(flash.read_root_json(FAILOVER_FILE)),
        )
        device.ports = {p: PortState() for p in inventory.ports()}
        device.booted_text = device.running_text()
        events.log("system", BOOT_SEPARATOR)
        events.log("system", f"{PRODUCT_LINE}, {slot} booted with {device.software_version()}")
        for module_slot in sorted(inventory.modules):
            events.log("chassis", f"Slot {module_slot} Ready")
        for error in errors:
            events.log("config", STARTUP_LINE_REFUSED.format(lineno=error.lineno),
                       Severity.WARNING)
        return device, errors

    def software_version(self) -> str:
        """The version this module booted (a later `boot set-default` changes the next boot)."""
        return self.redundancy.modules[self.slot].version or SOFTWARE_REVISION

    def sys_descr(self) -> str:
        """sysDescr.0 and the LLDP system description, with the version this module booted."""
        return sys_descr(self.software_version())

    def localtime(self, when: float) -> time.struct_time:
        """The switch's wall-clock time at `when`: its time zone and daylight-time rule."""
        return wall_clock(when, self.running.timezone, self.running.daylight_rule)

    def uptime(self) -> float:
        return time.monotonic() - self.boot_time

    def engine_time(self) -> int:
        """snmpEngineTime: whole seconds since this module's engine booted (RFC 3414)."""
        return int(self.uptime())

    def count_snmp(self, name: str, step: int = 1) -> int:
        """Add `step` to one of the agent's SNMP counters; its new value (a report carries it)."""
        self.snmp_counters[name] = self.snmp_counters.get(name, 0) + step
        return self.snmp_counters[name]

    def port_reported(self, port: str, backend: str, link_up: bool) -> None:
        """The fabric's word on a port's carrier: record it and tell the link-change hooks."""
        state = self.ports[port]
        first = state.backend is None
        state.backend = backend
        if not first and state.link_up == link_up:
            return
        state.link_up, state.last_change = link_up, time.monotonic()
        if not first or link_up:
            self.events.log("ports", LINK_TEXT[link_up].format(port=port))
        changes = [False, link_up] if first and link_up else [link_up]
        for up in changes:
            for hook in self.on_link_change:
                hook(port, up)

    def running_text(self) -> str:
        return render_config(self.running)

    def startup_text(self) -> str | None:
        return self.flash.read_startup()

    def unsaved(self) -> bool:
        startup = self.startup_text()
        return self.running_text() != (self.booted_text if startup is None else startup)

    async def refresh(self) -> None:
        for hook in self.on_refresh:
            await hook()

    async def commit(self) -> None:
        for hook in self.on_commit:
            await hook()

    async def flash_changed(self) -> None:
        for hook in self.on_flash_change:
            await hook()

    async def write_memory(self) -> None:
        self.flash.write_startup(self.running_text())
        state = self.flash.state()
        sequence = int(state.get(CONFIG_SEQUENCE, 0)) + 1
        self.flash.write_state(state | {CONFIG_SEQUENCE: sequence})
        self.events.log("mgr", STARTUP_CHANGED.format(sequence=sequence))
        await self.flash_changed()

    async def erase_startup(self) -> None:
        self.flash.erase_startup()
        await self.flash_changed()

    async def reboot(self, reason: str) -> None:
        self.events.log("system", f"Reboot requested: {reason}")
        for hook in self.on_reboot:
            await hook(reason)
