"""Every message the chassis, the fabric and the management modules exchange, as dataclasses.

A new conversation means a new named type here, never a loose dict. A request carries an `id`
its asker chose and the reply names it in `reply_to`, so a reply resolves exactly the request
it answers. Roles cross the process boundary as the Role enum (its value on the wire); records
wider than a few fields are built by keyword. The wire (emulator/ipc/wire.py) checks every
field against the types declared here when it decodes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, ClassVar, Final, TypeVar


class Message:
    """Base of every message; `kind` is the name on the wire."""

    kind: ClassVar[str] = ""


REGISTRY: dict[str, type[Message]] = {}
"""Wire name -> message type: what the decoder accepts."""

M = TypeVar("M", bound=Message)


def message(cls: type[M]) -> type[M]:
    """Register a message dataclass under its wire name."""
    cls.kind = cls.__name__
    REGISTRY[cls.kind] = cls
    return cls


@dataclass
class Request(Message):
    """A message that expects one reply: the asker numbers it, the reply names the number."""

    id: int = field(default=0, kw_only=True)


@dataclass
class Reply(Message):
    """The answer to the request whose `id` is `reply_to`."""

    reply_to: int = field(default=0, kw_only=True)


class Role(StrEnum):
    """What a slot's process is doing, as the chassis sees it (`procurve-emu status`)."""

    ACTIVE = "active"
    STANDBY = "standby"
    FAILED = "failed"
    OFFLINE = "offline"
    BOOTING = "booting"
    NOT_PRESENT = "not-present"
    RUNNING = "running"
    """The fabric, which has no redundancy role."""


# --- module <-> chassis -------------------------------------------------------------------


@message
@dataclass(kw_only=True)
class Hello(Message):
    """A child process is up; a module says so after its selftest."""

    slot: str
    pid: int
    selftest_passed: bool = True
    ever_booted: bool = False
    """Booted in this chassis before (election rule 4)."""
    active_last_boot: bool = False
    last_boot: float = 0.0


@message
@dataclass(kw_only=True)
class Grant(Message):
    """The chassis makes a module active or standby: the attached fds are the sockets named
    in `sockets`, in order (`ssh`, `telnet`, `snmp`, `console`). `startup_config` and
    `hostname` are the first-boot seeds from the command line; the module applies them only
    when its flash holds no startup config yet."""

    role: Role
    sockets: list[str] = field(default_factory=list)
    startup_config: str | None = None
    hostname: str | None = None
    takeover_from: str | None = None
    """Set when this grant is a switchover: the slot that was active."""
    reason: str = ""
    """Why the election or switchover chose this module; logged on the new active."""
    mgmt_netns: str | None = None
    """Where the switch's in-band IP stack lives (emulator/inband.py), if it has one."""


@message
@dataclass
class Roles(Message):
    """Every management slot's role, sent to the active module whenever one changes."""

    roles: dict[str, Role] = field(default_factory=dict)


@message
@dataclass
class PeerLink(Message):
    """The module-to-module wire (file sync) between the active and the standby: one fd."""

    sockets: list[str] = field(default_factory=lambda: ["peer"])


@message
@dataclass
class FileSync(Request):
    """Active -> standby: a flash file (path relative to the flash root), base64; `data` None
    deletes it. The standby answers SyncAck once it is durable."""

    path: str
    data: str | None
    mode: int = 0o644


@message
@dataclass
class RunningSync(Request):
    """Active -> standby in nonstop switching: the running config as the active renders it
    after every change (None: warm standby again, forget it). Kept in the standby's memory,
    never on its flash; answered with SyncAck(RUNNING_CONFIG)."""

    text: str | None


@message
@dataclass
class SyncAck(Reply):
    path: str


@message
@dataclass
class Switchover(Message):
    """The active asks the chassis to hand mastership to the standby (it reboots itself)."""

    reason: str


@message
@dataclass
class RebootModule(Message):
    """Reboot one module's process (`boot standby`) or, with slot None, both (`boot system`)."""

    slot: str | None
    reason: str


@message
@dataclass
class SetRedundancy(Message):
    """`[no] redundancy management-module`: disabled, the standby is held offline."""

    enabled: bool


@message
@dataclass(kw_only=True)
class Ready(Message):
    """The module has finished booting into its role: the active one serves its CLI
    (`hostname` and `password_hint` feed the how-to-connect line the chassis prints), a
    standby has its role in flash (election rule 5 reads it at the next boot)."""

    slot: str
    hostname: str = ""
    manager_user: str | None = None
    password_hint: str | None = None


# --- active module <-> fabric -------------------------------------------------------------


@message
@dataclass
class FabricLink(Message):
    """The wire between the active module and the fabric (one fd to each side)."""

    sockets: list[str] = field(default_factory=lambda: ["fabric"])


@message
@dataclass
class FabricReset(Message):
    """Reset the interface modules: every port loses carrier, counters and MACs are cleared."""


@message
@dataclass(kw_only=True)
class FabricProgram(Request):
    """The active module's port and VLAN settings: a wired port has carrier iff it is
    enabled; `pvid` is the VLAN a port is untagged in, `tagged` the VLANs it carries tagged.
    The fabric answers with a PortsReply."""

    enabled: dict[str, bool] = field(default_factory=dict)
    pvid: dict[str, int | None] = field(default_factory=dict)
    tagged: dict[str, list[int]] = field(default_factory=dict)
    mac_age: int = 300
    addresses: dict[str, list[str]] = field(default_factory=dict)
    """The switch's own addresses: VLAN id (as text, a JSON key) -> its `A.B.C.D/M`s, the
    primary first (multinetting)."""
    forwarding: bool = False
    """`ip routing`: the in-band stack forwards between the VLAN interfaces."""
    routes: list[str] = field(default_factory=list)
    """Its kernel routes besides the connected ones, as `ip route` arguments (the static
    routes, the default gateway while routing is off: emulator/routing.py)."""
    system_name: str = ""
    """What LLDP advertises: the hostname, and the management address if a VLAN has one."""
    system_description: str = ""
    """... and the system description (the version the active module booted)."""
    management_address: str | None = None
    jumbo: list[int] = field(default_factory=list)
    """VLANs that forward jumbo frames."""
    # --- trunks and LACP (emulator/fabric/trunks.py, lacp.py) ---
    trunks: dict[str, list[str]] = field(default_factory=dict)
    """`Trk1` -> its member ports; a trunk's VLANs are in `pvid`/`tagged` like a port's."""
    trunk_kinds: dict[str, str] = field(default_factory=dict)
    """`Trk1` -> `trunk` (static) or `lacp`."""
    lacp: dict[str, str] = field(default_factory=dict)
    """Ports with dynamic LACP (no trunk) -> `active` or `passive`."""
    # --- loop protection (emulator/fabric/loop_protect.py) ---
    loop_protect: dict[str, str] = field(default_factory=dict)
    """Protected port -> its receiver action."""
    loop_protect_interval: int = 5
    loop_protect_disable_timer: int = 0
    # --- spanning tree (emulator/fabric/stp.py) ---
    spanning_tree: dict[str, Any] = field(default_factory=dict)
    """stp.settings_to_wire(...): the bridge's spanning-tree settings (empty: off)."""
    # --- access lists (commands/acl.py, fabric/acl.py) ---
    access_lists: dict[str, list[AclEntry]] = field(default_factory=dict)
    """Each ACL's entries by name."""
    access_groups: dict[str, str] = field(default_factory=dict)
    """Where each applies: `port A1 in`, `vlan 20 in|out|vlan` -> ACL name."""
    # --- port mirroring (commands/mirror.py) ---
    mirror_in: dict[str, list[str]] = field(default_factory=dict)
    mirror_out: dict[str, list[str]] = field(default_factory=dict)
    """Monitored port -> the destination ports its received (in) or sent (out) frames are
    copied to."""
    # --- LLDP settings (commands/lldp_settings.py) ---
    lldp_run: bool = True
    lldp_admin: dict[str, str] = field(default_factory=dict)
    """Ports away from tx_rx -> `txonly`, `rxonly` or `disable`."""


@message
@dataclass
class FabricQuery(Request):
    """Ask the fabric for its live tables (answered with FabricState)."""


@message
@dataclass(kw_only=True)
class FabricState(Reply):
    macs: list[list[str | int]] = field(default_factory=list)
    """[mac, port, vid] rows of the address table."""
    counters: dict[str, dict[str, int]] = field(default_factory=dict)
    neighbors: list[dict[str, Any]] = field(default_factory=list)
    """LLDP remote devices, each as device.LldpNeighbor's fields (tuples as lists)."""
    lldp_stats: dict[str, Any] = field(default_factory=dict)
    """lldp.Neighbors.stats(): entries added, deleted, dropped, aged out; frames per port."""
    carrier: dict[str, bool] = field(default_factory=dict)
    """Each wired port's link state now: it also changes without a program (an AF_PACKET
    port whose interface is deleted goes down, and comes up when it is made again)."""
    # --- trunks and LACP (emulator/fabric/trunks.py, lacp.py) ---
    trunk_counters: dict[str, dict[str, int]] = field(default_factory=dict)
    """Each trunk's counters, as a port's (the bridge counts on `Trk1`)."""
    trunk_links: dict[str, list[str]] = field(default_factory=dict)
    """`Trk1` -> the members that carry its traffic now."""
    lacp: list[dict[str, Any]] = field(default_factory=list)
    """Each LACP port's state, as lacp.LacpStatus' fields."""
    # --- loop protection (emulator/fabric/loop_protect.py) ---
    loop_protect: list[dict[str, Any]] = field(default_factory=list)
    """Each protected port's state, as loop_protect.LoopStatus' fields."""
    # --- spanning tree (emulator/fabric/stp.py) ---
    spanning_tree: dict[str, Any] = field(default_factory=dict)
    """SpanningTree.snapshot(): roles, states, root, topology changes."""
    # --- access lists (fabric/acl.py) ---
    acl_hits: dict[str, list[list[int]]] = field(default_factory=dict)
    """Per application (`vlan 20 in`): [sequence number, hits] of each entry."""
    acl_denied: list[AclDenied] = field(default_factory=list)
    """Logged denies since the last query."""


# --- chassis <-> fabric -------------------------------------------------------------------


@message
@dataclass
class PortsRequest(Request):
    """Ask the fabric for its ports."""


@dataclass
class PortReport:
    """One port in a PortsReply (a record inside a message, not a message of its own)."""

    port: str
    backend: str
    link_up: bool = False
    own_address_frames: int = 0
    """Frames that arrived with the switch's own MAC as source (forwarded, never learned):
    a host on this port spoofing the switch, or a loop back to it."""


@message
@dataclass
class PortsReply(Reply):
    ports: list[PortReport] = field(default_factory=list)


# --- chassis <-> zygote (emulator/chassis/zygote.py) --------------------------------------


@message
@dataclass(kw_only=True)
class Spawn(Request):
    """The chassis asks its zygote for a slot's process: `argv` is the command line exec would
    run (`python -m <module> <args>`), `env` its environment. The fds travel beside it, one per
    name in `sockets`, each name the descriptor number the process sees it under ("1", "2",
    then those its command line names); the process holds no other fd but stdin (/dev/null).
    `netns`: a node of a lab (`procurve-emu lab up` asks the lab's zygote): the process moves
    into that network namespace, as `ip netns exec` would have run it, in a session of its own.
    """

    argv: list[str]
    env: dict[str, str]
    sockets: list[str]
    netns: str | None = None


@message
@dataclass
class Spawned(Reply):
    """The process `pid`, a child of the chassis (the zygote forks it twice: emulator/chassis/
    zygote.py says why). A spawn that failed is answered with Failure instead."""

    pid: int


# --- `procurve-emu status` / `procurve-emu fault` <-> chassis -----------------------------


@message
@dataclass
class StatusRequest(Request):
    pass


@message
@dataclass
class Fault(Request):
    """`procurve-emu fault ACTION TARGET`: one of FAULT_ACTIONS on mm1/mm2/active/standby."""

    action: str
    target: str


FAULT_ACTIONS: Final = ("kill", "hang", "fail-selftest", "pull", "insert")


@message
@dataclass
class StatusReply(Reply):
    status: dict[str, Any] = field(default_factory=dict)


@message
@dataclass
class Failure(Reply):
    """A request the receiver could not serve; `reason` is one line for a human."""

    reason: str


# --- access lists (commands/acl.py, fabric/acl.py) ----------------------------------------


@dataclass(frozen=True)
class AclEntry:
    """One ACE as the fabric matches it: addresses and wildcards as 32-bit numbers, protocol
    -1 for any, ports as [low, high, inside (1) or outside (0)] or [] for any, ICMP type -1
    for any."""

    seq: int
    permit: bool
    protocol: int
    source: int
    source_wild: int
    destination: int
    destination_wild: int
    source_ports: list[int] = field(default_factory=list)
    destination_ports: list[int] = field(default_factory=list)
    established: bool = False
    icmp_type: int = -1
    log: bool = False
    """A deny with `log`: its first match is logged, then a count every LOG_WINDOW."""


@dataclass(frozen=True)
class AclDenied:
    """A logged deny (or the count of those since), for the active module's event log."""

    when: float
    acl: str
    seq: int
    text: str = ""
    """The first deny of a window: `tcp 10.10.10.3(1612)->10.10.20.2(23) on vlan 1, port A7`."""
    count: int = 0
    """Or the number of the window's further denies (then no text)."""
