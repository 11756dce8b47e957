"""The switch configuration as data: what `show running-config` renders and `write memory` saves.

The model validates; handlers in emulator/commands change it only through the methods here,
so the CLI, a startup config replayed through it and SNMP SETs obey the same rules the real switch
enforces (one untagged VLAN per port, VLAN 1 cannot be deleted, ...).
"""

from __future__ import annotations

import contextlib
import copy
import ipaddress
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Final

from emulator.config.aaa import AaaConfig
from emulator.config.access import (
    AUTHORIZED_MANAGERS_FULL,
    AUTHORIZED_MANAGERS_MAX,
    SSH_CIPHERS,
    SSH_LAST_CIPHER,
    SSH_MACS,
    AuthorizedManager,
    SshSettings,
    authorized_level,
)
from emulator.config.acl import (
    APPLY_DIRECTIONS,
    KIND_CLASH,
    AccessList,
    AclError,
    check_name,
    parse_ace,
)
from emulator.config.acl import NAME_MAX as ACL_NAME_MAX
from emulator.config.text import is_config_text
from emulator.hardware import (
    DEFAULT_HOSTNAME,
    DEFAULT_MODULES,
    MAC_AGE_DEFAULT,
    MAC_AGE_RANGE,
    MAX_TRUNK_PORTS,
    MAX_VLANS,
    Inventory,
    PortListError,
    format_port_list,
    split_port,
)

DEFAULT_VLAN_ID = 1
DEFAULT_VLAN_NAME = "DEFAULT_VLAN"
MIN_VID: Final = 1
MAX_VID: Final = 4094
PASSWORD_LEVELS: Final = ("manager", "operator")
"""Password levels in the order the config lists them."""
TIMEZONE_RANGE: Final = (-720, 840)
"""`time timezone`: minutes from UTC, K.15's range (0, UTC, is the default and unwritten)."""

# --- management-module redundancy (commands/redundancy.py) ---
RAPID_SWITCHOVER_DEFAULT: Final = 90
RAPID_SWITCHOVER_RANGE: Final = (0, 2147483647)
"""`redundancy rapid-switchover <0-2147483647>` (K.15.15 p.466), 90 seconds by default."""

# --- port settings (commands/port_settings.py) ---
SPEED_DUPLEX_MODES: Final = ("auto", "10-half", "100-half", "10-full", "100-full", "1000-full",
                             "auto-10", "auto-100", "auto-1000", "auto-10-100", "auto-10g")
"""K.15's `speed-duplex` keywords; `auto` is the default and unwritten."""
SPEED_DUPLEX_DEFAULT: Final = "auto"
UNKNOWN_VLANS_MODES: Final = ("learn", "block", "disable")
UNKNOWN_VLANS_DEFAULT: Final = "learn"
BROADCAST_LIMIT_RANGE: Final = (0, 99)

# --- CDP (commands/cdp.py) ---
CDP_MODES: Final = ("rx-only", "pass-through", "pre-standard-voice")
"""`cdp mode`: K.15 reads CDP and never sends it; rx-only, the default, is unwritten."""

# --- console (commands/console.py) ---
CONSOLE_SETTINGS: Final = {
    "baud-rate": ("speed-sense", "1200", "2400", "4800", "9600", "19200", "38400", "57600",
                  "115200"),
    "flow-control": ("xon/xoff", "none"),
    "inactivity-timer": ("0", "1", "5", "10", "15", "20", "30", "60", "120"),
    "local-terminal": ("vt100", "ansi", "none"),
    "terminal": ("vt100", "ansi", "none"),
}
"""`console <setting> <value>`: K.15's values for each setting, the default first (unwritten).
The settings are listed in keyword order, the order the config writes them."""

# --- SNMP extras (commands/snmp_extras.py) ---
ENGINE_ID_OCTETS: Final = (5, 32)
"""`snmpv3 engineid "00:00:00:0b:..."`: an SnmpEngineID is 5 to 32 octets (RFC 3411)."""

# --- QoS (commands/qos.py) ---
QOS_PRIORITY_RANGE: Final = (0, 7)
"""An 802.1p priority (`qos priority N`, `qos dscp-map CODEPOINT priority N`)."""
TOS_MODES: Final = ("none", "ip-precedence", "diff-services")
"""`qos type-of-service`: none (the IP ToS byte is ignored), the default, is unwritten."""
DSCP_BITS: Final = 6
"""A DSCP codepoint as the config writes it: six binary digits (`101110`, EF)."""

# --- sFlow (commands/sflow.py) ---
SFLOW_INSTANCES: Final = (1, 3)
SFLOW_PORT_DEFAULT: Final = 6343
SFLOW_SAMPLING_RANGE: Final = (0, 1_000_000_000)
"""`sflow N sampling PORTS RATE`: one frame in RATE is sampled; 0 stops sampling."""
SFLOW_POLLING_RANGE: Final = (0, 2_147_483_647)
"""`sflow N polling PORTS SECONDS`: counters every SECONDS; 0 stops polling."""


@dataclass
class SflowInstance:
    """`sflow N destination ADDR [PORT]` and the ports it samples and polls."""

    destination: ipaddress.IPv4Address
    udp_port: int = SFLOW_PORT_DEFAULT
    sampling: dict[str, int] = field(default_factory=dict)
    polling: dict[str, int] = field(default_factory=dict)


SFLOW_NO_DESTINATION: Final = "sFlow destination {instance} is not configured."
"""Modelled on the K.15 style: sampling and polling belong to an instance's receiver."""

# --- DHCP snooping (commands/dhcp_snooping.py) ---
DHCP_SNOOPING_SERVERS: Final = 20
DHCP_SNOOPING_SERVER_LIMIT: Final = (f"The maximum number of authorized servers "
                                     f"({DHCP_SNOOPING_SERVERS}) has been reached.")
"""Modelled on the K.15 style: the switch keeps up to 20 authorized DHCP servers."""

# --- fault finder (commands/fault_finder.py) ---
FAULTS: Final = ("bad-driver", "bad-transceiver", "bad-cable", "too-long-cable",
                 "over-bandwidth", "broadcast-storm", "loss-of-link", "duplex-mismatch-HDx",
                 "duplex-mismatch-FDx", "link-flap")
"""K.15's fault kinds, in the manual's order (the config and `show fault-finder` list them)."""
FAULT_SENSITIVITIES: Final = ("medium", "low", "high")
FAULT_ACTIONS: Final = ("warn", "warn-and-disable")
"""The defaults first (every fault on, medium, warn: unwritten)."""


@dataclass(frozen=True)
class FaultSetting:
    enabled: bool = True
    sensitivity: str = FAULT_SENSITIVITIES[0]
    action: str = FAULT_ACTIONS[0]


# --- port mirroring (commands/mirror.py) ---
MIRROR_SESSIONS: Final = (1, 4)
MONITOR_DIRECTIONS: Final = ("both", "in", "out")
MIRROR_NOT_CONFIGURED: Final = "Mirror session {session} is not configured."
MIRROR_DESTINATION_MONITORED: Final = "Port {port} is a mirror destination."
MIRROR_SOURCE: Final = "Port {port} is monitored by a mirror session."
"""Modelled on the K.15 style: a session is monitored into once its destination is set, and a
destination port is never a source."""


@dataclass(frozen=True)
class Mirror:
    """`mirror N port PORT [name "NAME"]`: a local mirroring session's destination."""

    port: str
    name: str = ""


# --- OpenFlow (commands/openflow.py) ---
OPENFLOW_CONTROLLER_IDS: Final = (1, 128)
OPENFLOW_VERSIONS: Final = ("1.0", "1.3")
OPENFLOW_INTERRUPTION_MODES: Final = ("fail-secure", "fail-standalone")
"""`connection-interruption-mode`: fail-secure, the default, is unwritten."""
OPENFLOW_BACKOFF_RANGE: Final = (1, 3600)
OPENFLOW_BACKOFF_DEFAULT: Final = 60
OPENFLOW_NAME_MAX: Final = 32
OPENFLOW_NO_CONTROLLER: Final = "Controller {id} is not configured."
"""Modelled on the K.15 style: an instance names controllers made at the openflow level."""


@dataclass(frozen=True)
class OpenflowController:
    """`controller-id N ip ADDR [port P] controller-interface vlan V`."""

    address: ipaddress.IPv4Address
    vlan: int
    port: int | None = None


@dataclass
class OpenflowInstance:
    """`instance "NAME"` in the openflow context and its body."""

    member_vlans: set[int] = field(default_factory=set)
    controllers: list[int] = field(default_factory=list)
    version: str | None = None
    """None: the switch's default (1.0)."""
    interruption_mode: str = OPENFLOW_INTERRUPTION_MODES[0]
    max_backoff: int = OPENFLOW_BACKOFF_DEFAULT
    enabled: bool = False


@dataclass
class OpenflowConfig:
    """`openflow` and its context: off by default; settings kept (and written) either way."""

    enabled: bool = False
    controllers: dict[int, OpenflowController] = field(default_factory=dict)
    instances: dict[str, OpenflowInstance] = field(default_factory=dict)
    ip_control_table_mode: bool = False

    def is_default(self) -> bool:
        return self == OpenflowConfig()

    def set_controller(self, ident: int, controller: OpenflowController | None) -> None:
        _check_range(ident, OPENFLOW_CONTROLLER_IDS)
        if controller is None:
            self.controllers.pop(ident, None)
            return
        _check_range(controller.vlan, (MIN_VID, MAX_VID))
        if controller.port is not None:
            _check_range(controller.port, (1, 65535))
        self.controllers[ident] = controller

    def instance(self, name: str) -> OpenflowInstance:
        """`instance NAME`: made when new."""
        if not is_config_text(name):
            raise ConfigError(INVALID_INPUT.format(token=name))
        if len(name) > OPENFLOW_NAME_MAX:
            raise ConfigError(TOO_LONG.format(limit=OPENFLOW_NAME_MAX))
        return self.instances.setdefault(name, OpenflowInstance())

    def instance_remove(self, name: str) -> None:
        if self.instances.pop(name, None) is None:
            raise ConfigError(INVALID_INPUT.format(token=name))

    def set_enabled(self, enabled: bool) -> None:
        self.enabled = enabled

    def set_ip_control_table_mode(self, enabled: bool) -> None:
        self.ip_control_table_mode = enabled

    def instance_set_member(self, name: str, vid: int, member: bool) -> None:
        _check_range(vid, (MIN_VID, MAX_VID))
        members = self.instance(name).member_vlans
        if member:
            members.add(vid)
        else:
            members.discard(vid)

    def instance_set_controller(self, name: str, ident: int, used: bool) -> None:
        _check_range(ident, OPENFLOW_CONTROLLER_IDS)
        controllers = self.instance(name).controllers
        if not used:
            if ident in controllers:
                controllers.remove(ident)
            return
        if ident not in self.controllers:
            raise ConfigError(OPENFLOW_NO_CONTROLLER.format(id=ident))
        if ident not in controllers:
            controllers.append(ident)

    def instance_set_version(self, name: str, version: str | None) -> None:
        if version is not None and version not in OPENFLOW_VERSIONS:
            raise ConfigError(INVALID_INPUT.format(token=version))
        self.instance(name).version = version

    def instance_set_interruption_mode(self, name: str, mode: str) -> None:
        if mode not in OPENFLOW_INTERRUPTION_MODES:
            raise ConfigError(INVALID_INPUT.format(token=mode))
        self.instance(name).interruption_mode = mode

    def instance_set_max_backoff(self, name: str, seconds: int) -> None:
        _check_range(seconds, OPENFLOW_BACKOFF_RANGE)
        self.instance(name).max_backoff = seconds

    def instance_set_enabled(self, name: str, enabled: bool) -> None:
        self.instance(name).enabled = enabled


# --- LLDP settings (commands/lldp_settings.py) ---
LLDP_ADMIN_STATUSES: Final = ("tx_rx", "txonly", "rxonly", "disable")
"""`lldp admin-status PORTS STATUS`: tx_rx, the default, is unwritten."""

# --- web management (commands/web_management.py) ---
WEB_DEFAULTS: Final = {"": True, "ssl": False, "plaintext": True}
"""`web-management` (the agent), `web-management ssl` (HTTPS), `web-management plaintext`
(HTTP) -> on by default; the config writes those away from their default in this order."""

# --- banner (commands/banner.py) ---
BANNER_KINDS: Final = ("motd", "exec")
"""`banner motd|exec "TEXT"`, in the order the config writes them."""

# --- ip dns (commands/dns.py) ---
DNS_PRIORITIES: Final = (1, 3)
"""`ip dns server-address priority <1-3>`: K.15 keeps up to three servers."""

# --- system settings (commands/system_settings.py) ---
DHCP_UPDATES: Final = ("config-file-update", "image-file-update")
"""`[no] dhcp config-file-update|image-file-update`, in the order the config writes them."""

# --- syslog and time (commands/logging.py, commands/clock.py, commands/sntp.py) ---
SYSLOG_TRANSPORTS: Final = {"udp": 514, "tcp": 1470}
"""`logging ADDR [udp|tcp [PORT]]`: each transport's default port (udp is the default)."""
SYSLOG_PORT_RANGE: Final = (1024, 49151)
SYSLOG_MAX_HOSTS: Final = 6
LOGGING_SEVERITIES: Final = ("major", "error", "warning", "info", "debug")
"""`logging severity`: most severe first; an event is sent when at least this severe.
debug, the default (everything), is unwritten."""
LOGGING_FACILITIES: Final = ("user", "kern", "mail", "daemon", "auth", "syslog", "lpr", "news",
                             "uucp", "cron", "sys9", "sys10", "sys11", "sys12", "sys13",
                             "sys14", *(f"local{n}" for n in range(8)))
"""`logging facility`: the default (user) first and unwritten."""
TIMESYNC_MODES: Final = ("timep", "sntp")
"""`timesync`: timep is the factory default (unwritten); `no timesync` turns both off."""
SNTP_MODES: Final = ("disabled", "unicast", "broadcast")
SNTP_POLL_RANGE: Final = (30, 720)
SNTP_POLL_DEFAULT: Final = 720
SNTP_PRIORITIES: Final = (1, 3)
SNTP_VERSIONS: Final = (1, 7)
SNTP_VERSION_DEFAULT: Final = 3
DAYLIGHT_RULES: Final = ("none", "alaska", "continental-us-and-canada",
                         "middle-europe-and-portugal", "southern-hemisphere", "western-europe")
"""`time daylight-time-rule`: none, the default, is unwritten."""
SYSLOG_HOST_LIMIT: Final = "Maximum number of syslog servers ({limit}) already configured."

TEXT_LIMITS: Final = {
    "hostname": 32,
    "vlan name": 32,
    "port name": 64,
    "community": 32,
    "snmpv3 user": 32,
    "snmpv3 name": 32,
    "contact": 255,
    "location": 255,
    "domain name": 255,
    "banner": 320,
    "mirror name": 15,
}
"""Longest string the K.15 CLI takes for each setting (hostname and VLAN name from the manual;
the others as documented for the 5400zl/8200zl family). Which characters they may hold is
config/text.py's rule, the same for all."""

# The switch's refusals. The real K.15 wording is known for `Invalid input:`; the others are
# modelled on the K.15 message style, since the captures we have never show them.
INVALID_INPUT: Final = "Invalid input: {token}"
PORT_NOT_PRESENT: Final = "Module not present for port or invalid port: {port}"
TOO_LONG: Final = "String too long. Maximum length is {limit}."
EMPTY_STRING: Final = "Incomplete input: {token}"
VLAN_LIMIT: Final = "The maximum number of VLANs ({limit}) has already been reached."
VLAN_MISSING: Final = "VLAN {vid} does not exist."
DEFAULT_VLAN_DELETE: Final = "The default VLAN cannot be deleted."
VLAN_NAME_IN_USE: Final = 'The VLAN name "{name}" is already in use.'
MANUAL_IP_INCOMPLETE: Final = "Incomplete input: address"
VLAN_ADDRESS_LIMIT: Final = 8
"""Multinetting: the IPv4 addresses one VLAN holds on K.15 (16.x raised it to 32)."""
VLAN_ADDRESS_FULL: Final = ("The maximum number of IP addresses ({limit}) on a VLAN has "
                            "already been reached.")
VLAN_ADDRESS_OVERLAP: Final = "The IP address (or subnet) {address} already exists."
VLAN_ADDRESS_MISSING: Final = "The IP address {address} is not configured on this VLAN."
"""Modelled on K.15's style (no capture shows them): a ninth address, an address whose subnet
overlaps one the switch has (since K.15.09 refused on any VLAN, the manual's "VLAN Operating
Rules"), removing an address the VLAN does not hold."""
PRIMARY_VLAN_DELETE: Final = "The primary VLAN cannot be deleted."
"""The manual: the current primary VLAN cannot be deleted (designate another first)."""


# --- loop protection (commands/loop_protect.py) ---
LOOP_PROTECT_ACTIONS: Final = ("send-disable", "no-disable")
"""`loop-protect PORTS receiver-action ...`; the first is the default (unwritten)."""
LOOP_PROTECT_INTERVAL: Final = (1, 10, 5)
"""`loop-protect transmit-interval`: seconds between frames (range, default)."""
LOOP_PROTECT_DISABLE_TIMER: Final = (0, 604800, 0)
"""`loop-protect disable-timer`: seconds a port stays disabled; 0, the default, is for good."""

# --- trunks and LACP (commands/trunk.py) ---
TRUNK_KINDS: Final = ("trunk", "lacp")
"""`trunk PORTS trkN trunk|lacp`: a static trunk, or one LACP (802.3ad) negotiates; the first
is what the keyword's absence means."""
LACP_MODES: Final = ("active", "passive")
TRUNK_TOO_BIG: Final = "Unable to add more than {limit} ports to trunk {trunk}."
TRUNK_MEMBER: Final = "Port {port} is a member of trunk {trunk}."
"""Modelled on the K.15 message style (the captures never show them): a trunk's member ports
take VLANs and LACP through the trunk, never one by one."""
# --- DHCP relay (commands/dhcp_relay.py) ---
HELPERS_PER_VLAN: Final = 16
HELPER_NEEDS_ADDRESS: Final = "An IP address must be configured on VLAN {vid} first."
HELPER_LIMIT: Final = f"The maximum number of helper addresses ({HELPERS_PER_VLAN}) for this " \
    "VLAN has been reached."
OPTION82_POLICIES: Final = ("append", "replace", "drop", "keep")
OPTION82_REMOTE_IDS: Final = ("mac", "ip", "mgmt-vlan")
"""The remote ID option 82 carries: the switch's MAC (the default), the VLAN's address, or
the management VLAN's."""


# --- IP routing and static routes (commands/routing.py) ---
STATIC_ROUTE_LIMIT: Final = 256
DISTANCE_RANGE: Final = (1, 255)
STATIC_DISTANCE: Final = 1
"""A static route's administrative distance unless `distance N` says otherwise."""
DISCARDS: Final = ("blackhole", "reject")
"""Next hops that drop: silently, or with an ICMP unreachable to the sender."""
ROUTE_HOST_BITS: Final = "Inconsistent address and mask: {destination}"
ROUTE_OWN_GATEWAY: Final = "Invalid next-hop address: {gateway} is an address of this switch."
ROUTE_DISCARD_CLASH: Final = "A route to {destination} with a different next hop type " \
    "already exists."
ROUTE_LIMIT: Final = f"The maximum number of static routes ({STATIC_ROUTE_LIMIT}) has been " \
    "reached."
ROUTE_BAD_DESTINATION: Final = "Invalid destination address: {destination}"
"""Modelled on K.15's style (no capture shows them): a destination with host bits set, a
multicast, loopback or class E network, a next hop that is the switch itself, a discard route
beside forwarding routes to the same destination, more static routes than K.15 keeps."""


# --- OSPF (commands/ospf.py) ---
BACKBONE: Final = "backbone"
"""Area 0.0.0.0, as K.15 writes and shows it."""
OSPF_COST_RANGE: Final = (1, 65535)
OSPF_INTERVAL_RANGE: Final = (1, 65535)
OSPF_DEFAULTS: Final = {"cost": 1, "hello-interval": 10, "dead-interval": 40}
"""A VLAN interface's OSPF cost and timers unless set (the config writes the others)."""
OSPF_REDISTRIBUTE: Final = ("connected", "static")
OSPF_NO_AREA: Final = "OSPF area {area} is not configured."
OSPF_NOT_ON_VLAN: Final = "OSPF is not enabled on VLAN {vid}."
OSPF_NEEDS_ADDRESS: Final = "An IP address must be configured on VLAN {vid} first."
"""Modelled on K.15's style: a VLAN joins an area the `router ospf` context made, by its
address."""


def ospf_area_id(text: str) -> str:
    """`backbone`, `0`, `0.0.0.0` -> `backbone`; `1` or `0.0.0.1` -> `0.0.0.1`; ValueError
    for anything else."""
    if text.lower() == BACKBONE:
        return BACKBONE
    number = int(text) if text.isascii() and text.isdigit() else int(ipaddress.IPv4Address(text))
    if not 0 <= number < 2 ** 32:
        raise ValueError(text)
    return BACKBONE if number == 0 else str(ipaddress.IPv4Address(number))


@dataclass
class OspfConfig:
    """`router ospf` and its context: whether the block exists, `enable`, the areas and
    what is redistributed."""

    present: bool = False
    enabled: bool = False
    areas: list[str] = field(default_factory=list)
    redistribute: list[str] = field(default_factory=list)


@dataclass
class VlanOspf:
    """`vlan N ip ospf ...`: the area the VLAN's address is in and its interface settings."""

    area: str
    settings: dict[str, int] = field(default_factory=dict)
    """cost, hello-interval, dead-interval away from OSPF_DEFAULTS."""
    passive: bool = False

    def value(self, name: str) -> int:
        return self.settings.get(name, OSPF_DEFAULTS[name])


@dataclass(frozen=True)
class StaticRoute:
    """`ip route DEST MASK GATEWAY|vlan N|blackhole|reject [distance N]`: exactly one of
    `gateway`, `vlan` and `discard` says where it goes."""

    destination: ipaddress.IPv4Network
    gateway: ipaddress.IPv4Address | None = None
    vlan: int | None = None
    discard: str | None = None
    distance: int = STATIC_DISTANCE

    def hop(self) -> str:
        """The next hop as the config writes it (`10.0.0.1`, `vlan 20`, `blackhole`)."""
        if self.gateway is not None:
            return str(self.gateway)
        return f"vlan {self.vlan}" if self.vlan is not None else str(self.discard)


@dataclass(frozen=True)
class Option82:
    policy: str
    validate: bool = False
    """Replies must carry our remote ID (not with `keep`)."""
    remote_id: str = OPTION82_REMOTE_IDS[0]


class ConfigError(ValueError):
    """A change the switch refuses; the message is the switch's own error text."""


class IpMode(Enum):
    DISABLED = "disabled"
    DHCP = "dhcp-bootp"
    MANUAL = "manual"


@dataclass
class VlanIp:
    mode: IpMode = IpMode.DISABLED
    addresses: list[ipaddress.IPv4Interface] = field(default_factory=list)
    """The manual addresses in the order entered (multinetting): the first is the primary,
    the one the switch relays DHCP from and the config writes first."""

    @property
    def primary(self) -> ipaddress.IPv4Interface | None:
        return self.addresses[0] if self.addresses else None


@dataclass
class Vlan:
    vid: int
    name: str
    untagged: set[str] = field(default_factory=set)
    tagged: set[str] = field(default_factory=set)
    ip: VlanIp = field(default_factory=VlanIp)
    jumbo: bool = False
    """Frames up to the jumbo size pass in this VLAN (`jumbo` in its context)."""
    # --- per-VLAN settings (commands/vlan_settings.py) ---
    igmp: bool = False
    """`ip igmp`: IGMP snooping and the querier election run on this VLAN."""
    voice: bool = False
    """`voice`: the VLAN carries voice traffic (LLDP-MED advertises it to phones)."""
    # --- QoS (commands/qos.py) ---
    qos_priority: int | None = None
    """`qos priority N`: the 802.1p priority the VLAN's frames get; None: no override."""
    # --- DHCP relay (commands/dhcp_relay.py) ---
    helper_addresses: list[ipaddress.IPv4Address] = field(default_factory=list)
    """`ip helper-address A.B.C.D`: the DHCP servers this VLAN's clients are relayed to."""
    # --- OSPF (commands/ospf.py) ---
    ospf: VlanOspf | None = None

    @staticmethod
    def default_name(vid: int) -> str:
        return DEFAULT_VLAN_NAME if vid == DEFAULT_VLAN_ID else f"VLAN{vid}"


@dataclass
class Interface:
    """Per-port settings; a port with all defaults has no `interface` block in the config."""

    port: str
    name: str | None = None
    enabled: bool = True
    # --- port settings (commands/port_settings.py) ---
    speed_duplex: str = SPEED_DUPLEX_DEFAULT
    """`speed-duplex auto-1000`: the autonegotiation mode or the fixed speed and duplex."""
    flow_control: bool = False
    broadcast_limit: int = 0
    """`broadcast-limit N`: percent of the port's bandwidth broadcasts may take; 0 is off."""
    unknown_vlans: str = UNKNOWN_VLANS_DEFAULT
    """`unknown-vlans learn|block|disable`: what GVRP does with VLANs this switch lacks."""
    energy_efficient: bool = False
    """`energy-efficient-ethernet`: the port advertises 802.3az low-power idle."""
    # --- QoS (commands/qos.py) ---
    qos_priority: int | None = None
    """`qos priority N`: the 802.1p priority the port's inbound frames get; None: none."""
    # --- port mirroring (commands/mirror.py) ---
    monitor: dict[int, str] = field(default_factory=dict)
    """`monitor all both|in|out mirror N`: session -> the direction copied to it."""
    # --- DHCP snooping (commands/dhcp_snooping.py) ---
    dhcp_snooping_trust: bool = False
    """`dhcp-snooping trust`: DHCP servers may answer through this port."""
    # --- trunks and LACP (commands/trunk.py) ---
    lacp: str | None = None
    """`lacp active|passive`: dynamic LACP on a port outside any trunk; None is off."""
    # --- access lists (commands/acl.py) ---
    access_group: str | None = None
    """`ip access-group NAME in`: the ACL every IPv4 frame entering the port passes."""

    def is_default(self) -> bool:
        return self == Interface(self.port)


@dataclass
class Trunk:
    """`trunk A1-A2 trk1 lacp`: ports bundled into one logical port, `Trk1`."""

    name: str
    kind: str = TRUNK_KINDS[0]
    ports: set[str] = field(default_factory=set)


class CommunityAccess(Enum):
    OPERATOR = "operator"
    MANAGER = "manager"


@dataclass(frozen=True)
class Community:
    name: str
    access: CommunityAccess = CommunityAccess.OPERATOR
    restricted: bool = True


TRAP_LEVELS: Final = ("none", "all", "not-info", "critical", "debug")
"""`snmp-server host ... trap-level LEVEL`: which Event Log messages the receiver also gets as
traps; none, the default, is unwritten."""


@dataclass(frozen=True)
class TrapReceiver:
    """`snmp-server host ADDR community NAME [trap-level LEVEL] [inform]`: where
    notifications go."""

    address: ipaddress.IPv4Address
    community: str
    inform: bool = False
    trap_level: str = TRAP_LEVELS[0]


class Snmpv3Group(Enum):
    """The switch's predefined SNMPv3 access groups (`snmpv3 group NAME user U sec-model
    ver3`); the value is how the config writes the name."""

    MANAGER_PRIV = "ManagerPriv"
    MANAGER_AUTH = "ManagerAuth"
    OPERATOR_AUTH = "OperatorAuth"
    OPERATOR_NO_AUTH = "OperatorNoAuth"


class Snmpv3Level(Enum):
    """The security level of `snmpv3 params ... message-processing ver3 [noauth|auth|priv]`;
    the value is the CLI keyword."""

    NOAUTH = "noauth"
    AUTH = "auth"
    PRIV = "priv"


@dataclass(frozen=True)
class Snmpv3Params:
    """`snmpv3 params NAME user U sec-model ver3 message-processing ver3 [LEVEL]`: who a
    notification is sent as (SNMP-TARGET-MIB snmpTargetParamsTable)."""

    user: str
    level: Snmpv3Level = Snmpv3Level.NOAUTH


TARGET_RETRIES: Final = 3
TARGET_TIMEOUT: Final = 1500
"""snmpTargetAddrRetryCount and snmpTargetAddrTimeout (hundredths of a second) defaults."""


@dataclass(frozen=True)
class Snmpv3Target:
    """`snmpv3 targetaddress NAME params P A.B.C.D [retries N] [taglist T] [timeout N]
    [udp-port N]`: a notification receiver (snmpTargetAddrTable)."""

    address: ipaddress.IPv4Address
    params: str
    taglist: tuple[str, ...] = ()
    retries: int = TARGET_RETRIES
    timeout: int = TARGET_TIMEOUT
    udp_port: int | None = None
    """None: the notification port (162)."""


@dataclass(frozen=True)
class Snmpv3Notify:
    """`snmpv3 notify NAME tagvalue T [type inform|trap]`: the targets tagged T get
    notifications, as traps unless `inform` (snmpNotifyTable)."""

    tag: str
    inform: bool = False


@dataclass
class Snmpv3:
    """`snmpv3 ...` settings. Only user names live here: their keys are kept in the security
    files (snmp/usm.py), as the switch keeps them out of the config."""

    enabled: bool = False
    restricted_access: bool = False
    """`snmpv3 restricted-access`: v1/v2c communities are read-only."""
    only: bool = False
    """`snmpv3 only`: v1/v2c messages are not answered."""
    users: list[str] = field(default_factory=list)
    groups: dict[str, Snmpv3Group] = field(default_factory=dict)
    """User name -> its group (VACM maps a security name to one group)."""
    params: dict[str, Snmpv3Params] = field(default_factory=dict)
    targets: dict[str, Snmpv3Target] = field(default_factory=dict)
    notifies: dict[str, Snmpv3Notify] = field(default_factory=dict)
    """Notification settings by entry name. Entries may name users, params or tags that do not
    exist (yet), as the SNMP MIB rows may; such a target just gets nothing."""


@dataclass(frozen=True)
class SyslogHost:
    """`logging ADDR [udp|tcp PORT]`: where the switch sends its events (commands/logging.py)."""

    address: ipaddress.IPv4Address
    transport: str = "udp"
    port: int = SYSLOG_TRANSPORTS["udp"]


@dataclass(frozen=True)
class SntpServer:
    """`sntp server priority N ADDR [VERSION]`."""

    address: ipaddress.IPv4Address
    version: int = SNTP_VERSION_DEFAULT


@dataclass
class SwitchConfig:
    hostname: str = DEFAULT_HOSTNAME
    modules: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_MODULES))
    """slot letter -> module product number (upper case, e.g. J8702A)."""
    vlans: dict[int, Vlan] = field(default_factory=dict)
    interfaces: dict[str, Interface] = field(default_factory=dict)
    communities: list[Community] = field(default_factory=list)
    snmp_contact: str = ""
    snmp_location: str = ""
    trap_receivers: list[TrapReceiver] = field(default_factory=list)
    snmp_auth_traps: bool = False
    """`snmp-server enable traps authentication`: authenticationFailure notifications."""
    snmpv3: Snmpv3 = field(default_factory=Snmpv3)
    default_gateway: ipaddress.IPv4Address | None = None
    mac_age: int = MAC_AGE_DEFAULT
    timezone: int = 0
    """Minutes east of UTC (`time timezone 60`: western Europe in winter)."""
    # --- primary and management VLAN (commands/vlan_roles.py) ---
    primary_vlan: int = DEFAULT_VLAN_ID
    """`primary-vlan N`: where the switch reads DHCP-learnt settings; an existing VLAN."""
    management_vlan: int | None = None
    """`management-vlan N`: the only VLAN that answers management traffic; it may name a VLAN
    not created yet (the switch keeps it inactive until it exists)."""
    # --- CDP (commands/cdp.py) ---
    cdp_run: bool = True
    """`[no] cdp run`: whether CDP packets are read at all."""
    cdp_mode: str = CDP_MODES[0]
    # --- console (commands/console.py) ---
    console: dict[str, str] = field(default_factory=dict)
    """`console <setting> <value>` away from its default, by setting (`inactivity-timer`)."""
    # --- SNMP extras (commands/snmp_extras.py) ---
    snmpv3_engine_id: str = ""
    """`snmpv3 engineid`, as the config wrote it (colon-separated octets); the switch writes
    its own so that saved SNMPv3 credentials are only loaded back on the same engine."""
    # --- QoS (commands/qos.py) ---
    qos_tos: str = TOS_MODES[0]
    """`qos type-of-service ip-precedence|diff-services`."""
    dscp_map: dict[str, int] = field(default_factory=dict)
    """`qos dscp-map CODEPOINT priority N`: six-bit codepoint -> 802.1p priority."""
    # --- GVRP (commands/gvrp.py) ---
    gvrp: bool = False
    """`gvrp`: GARP VLAN registration runs (ports then learn VLANs as `unknown-vlans` says)."""
    # --- DHCP snooping (commands/dhcp_snooping.py) ---
    dhcp_snooping: bool = False
    dhcp_snooping_vlans: set[int] = field(default_factory=set)
    dhcp_snooping_servers: list[ipaddress.IPv4Address] = field(default_factory=list)
    """`dhcp-snooping authorized-server ADDR`, in the order given; none: any server."""
    dhcp_snooping_option82: bool = True
    """`[no] dhcp-snooping option 82`: relayed requests get option 82 (on by default)."""
    # --- fault finder (commands/fault_finder.py) ---
    faults: dict[str, FaultSetting] = field(default_factory=dict)
    """Faults away from the default (on, medium, warn), by kind."""
    # --- port mirroring (commands/mirror.py) ---
    mirrors: dict[int, Mirror] = field(default_factory=dict)
    # --- OpenFlow (commands/openflow.py) ---
    openflow: OpenflowConfig = field(default_factory=lambda: OpenflowConfig())
    # --- sFlow (commands/sflow.py) ---
    sflow: dict[int, SflowInstance] = field(default_factory=dict)
    """By instance (1-3)."""
    # --- LLDP settings (commands/lldp_settings.py) ---
    lldp_run: bool = True
    """`[no] lldp run`: LLDP sends and learns on the switch's ports."""
    lldp_admin: dict[str, str] = field(default_factory=dict)
    """`lldp admin-status PORTS txonly|rxonly|disable`: ports away from tx_rx."""
    # --- web management (commands/web_management.py) ---
    web: dict[str, bool] = field(default_factory=lambda: dict(WEB_DEFAULTS))
    """`[no] web-management [plaintext|ssl]`: the web agent as a whole, HTTP and HTTPS."""
    # --- banner (commands/banner.py) ---
    banners: dict[str, str] = field(default_factory=dict)
    """`banner motd|exec` text by kind, as the config writes it (a line break is `\\n`)."""
    # --- ip dns (commands/dns.py) ---
    dns_domain: str = ""
    """`ip dns domain-name`: the suffix the switch appends to a host name; empty is unset."""
    dns_servers: dict[int, ipaddress.IPv4Address] = field(default_factory=dict)
    """`ip dns server-address priority N ADDR`, by priority."""
    # --- PoE (commands/poe.py) ---
    poe_pre_std_detect: bool = False
    """`power-over-ethernet pre-std-detect`: also power pre-802.3af devices."""
    # --- system settings (commands/system_settings.py) ---
    autorun: bool = True
    """`no autorun`: the switch does not run a config or image from a USB stick at boot."""
    dhcp_updates: set[str] = field(default_factory=lambda: set(DHCP_UPDATES))
    """Which of the DHCP-driven downloads (`dhcp config-file-update|image-file-update`) are
    on; both are by default, and a config turns them off with `no dhcp ...`."""
    include_credentials: bool = False
    """`include-credentials`: passwords and keys travel in the config (kept as a flag here)."""
    # --- file transfer (commands/file_transfer.py) ---
    tftp_client: bool = True
    """`[no] tftp client`: `copy ... tftp` may run (K.15's default; only `no` is written)."""
    tftp_server: bool = True
    """`[no] tftp server`: kept and written back; the emulator serves no TFTP itself."""
    ssh_filetransfer: bool = False
    """`ip ssh filetransfer`: scp and sftp clients may fetch and replace the switch's files
    (ssh_server/sftp.py)."""
    passwords: set[str] = field(default_factory=set)
    """Which of `manager`/`operator` have a password; the secrets live in security files."""
    password_hashes: dict[str, tuple[str, str]] = field(default_factory=dict, compare=False)
    """Level -> (user name, SHA-1 of the password), as the security files hold them: what
    `include-credentials` writes in place of the bare `password manager` line. A mirror of
    those files, so two configs differing only here are the same config."""
    redundancy_enabled: bool = True
    """`[no] redundancy management-module`: a config setting (not a one-off action) so that a
    switch booting a config with redundancy disabled keeps its other module offline."""
    nonstop_switching: bool = False
    """`redundancy management-module nonstop-switching|warm-standby`: in nonstop switching the
    standby is kept hot (the running config synced on every change) and a switchover leaves
    the interface modules forwarding; warm standby, the emulator's default, resets them."""
    rapid_switchover: int = RAPID_SWITCHOVER_DEFAULT
    """`redundancy rapid-switchover <seconds>`: how long routes are kept as stale after a
    nonstop switchover (0: no layer-3 nonstop behaviour)."""
    # --- syslog and time (commands/logging.py, commands/clock.py, commands/sntp.py) ---
    syslog_hosts: list[SyslogHost] = field(default_factory=list)
    logging_severity: str = LOGGING_SEVERITIES[-1]
    logging_facility: str = LOGGING_FACILITIES[0]
    timesync: str | None = TIMESYNC_MODES[0]
    """`timesync timep|sntp`; None after `no timesync` (the clock runs free)."""
    sntp_mode: str = SNTP_MODES[0]
    sntp_poll: int = SNTP_POLL_DEFAULT
    sntp_servers: dict[int, SntpServer] = field(default_factory=dict)
    """By priority (1 is asked first)."""
    daylight_rule: str = DAYLIGHT_RULES[0]
    # --- trunks and LACP (commands/trunk.py) ---
    trunks: dict[str, Trunk] = field(default_factory=dict)
    """`Trk1` -> its group; a trunk exists while it has a port."""
    # --- loop protection (commands/loop_protect.py) ---
    loop_protect: dict[str, str] = field(default_factory=dict)
    """Protected port -> its receiver action."""
    loop_protect_interval: int = LOOP_PROTECT_INTERVAL[2]
    loop_protect_disable_timer: int = LOOP_PROTECT_DISABLE_TIMER[2]
    loop_protect_trap: bool = False
    """`loop-protect trap loop-detected`."""
    # --- spanning tree (commands/spanning_tree.py) ---
    spanning_tree: SpanningTreeConfig = field(default_factory=lambda: SpanningTreeConfig())
    # --- access lists (commands/acl.py) ---
    access_lists: dict[str, AccessList] = field(default_factory=dict)
    """`ip access-list standard|extended NAME` by name, in the order they were made."""
    vlan_access_groups: dict[tuple[int, str], str] = field(default_factory=dict)
    """`vlan N ip access-group NAME in|out|vlan`: (VLAN, direction) -> ACL name."""
    # --- DHCP relay (commands/dhcp_relay.py) ---
    dhcp_relay: bool = True
    """`[no] dhcp-relay`: the relay agent runs (K.15's default; only `no dhcp-relay` is
    written)."""
    dhcp_relay_hop_count: bool = True
    """`[no] dhcp-relay hop-count-increment`: relayed requests get hops + 1."""
    dhcp_relay_option82: Option82 | None = None
    """`dhcp-relay option 82 POLICY [validate] [ip|mac|mgmt-vlan]`; None: no option 82."""
    # --- access control and AAA (commands/access.py, ssh.py, aaa.py, radius.py, tacacs.py) ---
    authorized_managers: list[AuthorizedManager] = field(default_factory=list)
    """`ip authorized-managers ...` in the order configured; empty: every station may."""
    telnet_server: bool = True
    """`[no] telnet-server`: the telnet port answers."""
    ssh: SshSettings = field(default_factory=SshSettings)
    aaa: AaaConfig = field(default_factory=AaaConfig)
    # --- IP routing and static routes (commands/routing.py) ---
    ip_routing: bool = False
    """`ip routing`: the switch forwards between its VLANs (the default gateway is then
    unused, as the manual says)."""
    static_routes: list[StaticRoute] = field(default_factory=list)
    """`ip route ...`, by destination (then in the order they were made)."""
    # --- OSPF (commands/ospf.py) ---
    ospf: OspfConfig = field(default_factory=OspfConfig)

    @classmethod
    def factory(cls, inventory: Inventory) -> SwitchConfig:
        """The factory-default config of a chassis with this hardware (`erase startup-config`)."""
        config = cls.blank(inventory)
        config.community_set(Community("public", CommunityAccess.MANAGER, restricted=False))
        return config

    @classmethod
    def blank(cls, inventory: Inventory) -> SwitchConfig:
        """What a config file is applied on top of: the default VLAN always exists and holds
        every installed port, so a file that never mentions `vlan 1` still yields it."""
        default_vlan = Vlan(
            DEFAULT_VLAN_ID,
            DEFAULT_VLAN_NAME,
            untagged=set(inventory.ports()),
            ip=VlanIp(IpMode.DHCP),
        )
        return cls(modules=dict(inventory.modules), vlans={DEFAULT_VLAN_ID: default_vlan})

    def copy(self) -> SwitchConfig:
        """Independent of the original, so a candidate change can be built and thrown away."""
        return copy.deepcopy(self)

    # --- ports -----------------------------------------------------------------------------

    def ports(self) -> list[str]:
        """Every port of the configured modules, in chassis order."""
        return Inventory(modules=self.modules).ports()

    def check_ports(self, ports: Iterable[str]) -> list[str]:
        """Refuse the whole list if any port is not on a configured module, so a change that
        names a bad port changes nothing (the CLI rejects the command as a whole)."""
        hardware = Inventory(modules=self.modules)
        checked = list(ports)
        for port in checked:
            if port in self.trunks:  # a trunk is a port wherever a port list goes
                continue
            try:
                split_port(port)
            except PortListError as exc:
                raise ConfigError(INVALID_INPUT.format(token=exc.token)) from None
            if not hardware.has_port(port):
                raise ConfigError(PORT_NOT_PRESENT.format(port=port))
        return checked

    def port(self, name: str) -> Interface:
        self.check_ports([name])
        return self.interfaces.setdefault(name, Interface(name))

    def port_set_name(self, port: str, name: str | None) -> None:
        """An empty name clears it, as `no name` does."""
        if name:
            _check_text("port name", name)
        self.port(port).name = name or None
        self._drop_if_default(port)

    def port_set_enabled(self, port: str, enabled: bool) -> None:
        self.port(port).enabled = enabled
        self._drop_if_default(port)

    # --- port settings (commands/port_settings.py) ---

    def port_set_speed_duplex(self, port: str, mode: str) -> None:
        if mode not in SPEED_DUPLEX_MODES:
            raise ConfigError(INVALID_INPUT.format(token=mode))
        self.port(port).speed_duplex = mode
        self._drop_if_default(port)

    def port_set_flow_control(self, port: str, enabled: bool) -> None:
        self.port(port).flow_control = enabled
        self._drop_if_default(port)

    def port_set_broadcast_limit(self, port: str, percent: int) -> None:
        low, high = BROADCAST_LIMIT_RANGE
        if not low <= percent <= high:
            raise ConfigError(INVALID_INPUT.format(token=percent))
        self.port(port).broadcast_limit = percent
        self._drop_if_default(port)

    def port_set_energy_efficient(self, port: str, enabled: bool) -> None:
        self.port(port).energy_efficient = enabled
        self._drop_if_default(port)

    def port_set_unknown_vlans(self, port: str, mode: str) -> None:
        if mode not in UNKNOWN_VLANS_MODES:
            raise ConfigError(INVALID_INPUT.format(token=mode))
        self.port(port).unknown_vlans = mode
        self._drop_if_default(port)

    def _drop_if_default(self, port: str) -> None:
        if self.interfaces[port].is_default():
            del self.interfaces[port]

    def pvid(self, port: str) -> int | None:
        """The VLAN untagged frames on this port belong to; None for a tagged-only port."""
        return next((v.vid for v in self.vlans.values() if port in v.untagged), None)

    def port_vlans(self, port: str) -> list[tuple[int, bool]]:
        """(vid, tagged) for every VLAN the port is a member of, by vid."""
        return sorted(
            (v.vid, port in v.tagged)
            for v in self.vlans.values()
            if port in v.untagged or port in v.tagged
        )

    def management_address(self) -> str | None:
        """The address LLDP advertises: the lowest VLAN's IPv4 address, if any VLAN has one."""
        addresses = (self.vlans[vid].ip.primary for vid in sorted(self.vlans))
        return next((str(a.ip) for a in addresses if a is not None), None)

    def own_addresses(self) -> set[ipaddress.IPv4Address]:
        """Every address of every VLAN: what answers as the switch itself."""
        return {a.ip for vlan in self.vlans.values() for a in vlan.ip.addresses}

    # --- VLANs -----------------------------------------------------------------------------

    def vlan(self, vid: int) -> Vlan:
        try:
            return self.vlans[vid]
        except KeyError:
            raise ConfigError(VLAN_MISSING.format(vid=vid)) from None

    def vlan_create(self, vid: int) -> Vlan:
        """Like `vlan N` in the CLI: an existing VLAN is simply returned."""
        if vid in self.vlans:
            return self.vlans[vid]
        if not MIN_VID <= vid <= MAX_VID:
            raise ConfigError(INVALID_INPUT.format(token=vid))
        if len(self.vlans) >= MAX_VLANS:
            raise ConfigError(VLAN_LIMIT.format(limit=MAX_VLANS))
        self.vlans[vid] = Vlan(vid, Vlan.default_name(vid))
        return self.vlans[vid]

    def vlan_delete(self, vid: int) -> None:
        """Ports left without an untagged VLAN fall back to the default VLAN, as on the switch,
        so deleting a VLAN never strands an access port."""
        if vid == DEFAULT_VLAN_ID:
            raise ConfigError(DEFAULT_VLAN_DELETE)
        if vid == self.primary_vlan:
            raise ConfigError(PRIMARY_VLAN_DELETE)
        released = self.vlan(vid).untagged
        del self.vlans[vid]
        for direction in APPLY_DIRECTIONS:  # access lists: its ACLs go with it
            self.vlan_access_groups.pop((vid, direction), None)
        self.vlan_add_ports(DEFAULT_VLAN_ID, sorted(released), tagged=False)

    def vlan_set_name(self, vid: int, name: str) -> None:
        """Names are unique, except that a `VLAN<n>` default (given to every new VLAN other
        than VLAN 1) does not hold its name against a chosen one. Without that exception a saved
        config could fail to load: the file creates VLANs in id order, so a default name can
        appear before or after the VLAN that chose the same name."""
        vlan = self.vlan(vid)
        _check_text("vlan name", name)
        if _holds_name(vid, name) and any(
            other.vid != vid and other.name == name and _holds_name(other.vid, other.name)
            for other in self.vlans.values()
        ):
            raise ConfigError(VLAN_NAME_IN_USE.format(name=name))
        vlan.name = name

    def vlan_add_ports(self, vid: int, ports: Iterable[str], tagged: bool) -> None:
        """A port is untagged in at most one VLAN and is either tagged or untagged in each, so
        an untagged add moves the port and a tagged add converts it."""
        vlan = self.vlan(vid)
        added = set(self.check_ports(ports))
        self._refuse_members(added)
        if tagged:
            vlan.untagged -= added
            vlan.tagged |= added
            return
        for other in self.vlans.values():
            other.untagged -= added
        vlan.tagged -= added
        vlan.untagged |= added

    def vlan_remove_ports(self, vid: int, ports: Iterable[str], tagged: bool) -> None:
        """Removing a port that is not a member is accepted silently, as `no untagged` is."""
        vlan = self.vlan(vid)
        removed = set(self.check_ports(ports))
        if tagged:
            vlan.tagged -= removed
        else:
            vlan.untagged -= removed

    def vlan_set_jumbo(self, vid: int, jumbo: bool) -> None:
        self.vlan(vid).jumbo = jumbo

    # --- per-VLAN settings (commands/vlan_settings.py) ---

    def vlan_set_igmp(self, vid: int, enabled: bool) -> None:
        self.vlan(vid).igmp = enabled

    def vlan_set_voice(self, vid: int, voice: bool) -> None:
        self.vlan(vid).voice = voice

    def vlan_set_ip(self, vid: int, ip: VlanIp) -> None:
        """The VLAN's whole IP setting at once (`ip address dhcp-bootp`, `no ip address`):
        manual addresses are added one by one, checked as `ip address` checks them."""
        vlan = self.vlan(vid)
        if ip.mode is IpMode.MANUAL and not ip.addresses:
            raise ConfigError(MANUAL_IP_INCOMPLETE)
        if ip.mode is not IpMode.MANUAL:
            vlan.ip = VlanIp(ip.mode)
            vlan.helper_addresses.clear()  # DHCP relay: helpers need the VLAN's own address
            vlan.ospf = None  # so does OSPF
            return
        kept = vlan.ip
        vlan.ip = VlanIp(IpMode.MANUAL)
        try:
            for address in ip.addresses:
                self.vlan_add_ip(vid, address)
        except ConfigError:
            vlan.ip = kept
            raise

    def vlan_add_ip(self, vid: int, address: ipaddress.IPv4Interface) -> None:
        """`ip address` adds an address (multinetting): a VLAN without manual addresses (DHCP
        or none) takes it as its only one. Typing one the VLAN holds again changes nothing; a
        subnet overlapping one the switch has, on this VLAN or another, is refused."""
        vlan = self.vlan(vid)
        if address in vlan.ip.addresses:
            return
        for other in self.vlans.values():
            if any(address.network.overlaps(held.network) for held in other.ip.addresses):
                raise ConfigError(VLAN_ADDRESS_OVERLAP.format(address=address.with_prefixlen))
        if len(vlan.ip.addresses) >= VLAN_ADDRESS_LIMIT:
            raise ConfigError(VLAN_ADDRESS_FULL.format(limit=VLAN_ADDRESS_LIMIT))
        if vlan.ip.mode is not IpMode.MANUAL:
            vlan.ip = VlanIp(IpMode.MANUAL)
        vlan.ip.addresses.append(address)

    def vlan_remove_ip(self, vid: int, address: ipaddress.IPv4Interface) -> None:
        """`no ip address A.B.C.D M.M.M.M` removes that one address; the next becomes the
        primary, and removing the last leaves the VLAN without IP (as `no ip address`)."""
        vlan = self.vlan(vid)
        if address not in vlan.ip.addresses:
            raise ConfigError(VLAN_ADDRESS_MISSING.format(address=address.ip))
        if len(vlan.ip.addresses) == 1:
            self.vlan_set_ip(vid, VlanIp())
            return
        vlan.ip.addresses.remove(address)

    # --- system and SNMP -------------------------------------------------------------------

    def set_hostname(self, name: str) -> None:
        _check_text("hostname", name)
        self.hostname = name

    def set_contact(self, text: str) -> None:
        """An empty contact is the unset default (no config line)."""
        if text:
            _check_text("contact", text)
        self.snmp_contact = text

    def set_location(self, text: str) -> None:
        """An empty location is the unset default (no config line)."""
        if text:
            _check_text("location", text)
        self.snmp_location = text

    def set_default_gateway(self, addr: ipaddress.IPv4Address | None) -> None:
        self.default_gateway = addr

    def set_mac_age(self, seconds: int) -> None:
        low, high = MAC_AGE_RANGE
        if not low <= seconds <= high:
            raise ConfigError(INVALID_INPUT.format(token=seconds))
        self.mac_age = seconds

    def set_timezone(self, minutes: int) -> None:
        low, high = TIMEZONE_RANGE
        if not low <= minutes <= high:
            raise ConfigError(INVALID_INPUT.format(token=minutes))
        self.timezone = minutes

    def set_redundancy(self, enabled: bool) -> None:
        """Through a method like every setting, so the CLI and a config file agree."""
        self.redundancy_enabled = enabled

    def set_nonstop_switching(self, nonstop: bool) -> None:
        self.nonstop_switching = nonstop

    def set_rapid_switchover(self, seconds: int) -> None:
        low, high = RAPID_SWITCHOVER_RANGE
        if not low <= seconds <= high:
            raise ConfigError(INVALID_INPUT.format(token=seconds))
        self.rapid_switchover = seconds

    # --- primary and management VLAN (commands/vlan_roles.py) ---

    def set_primary_vlan(self, vid: int) -> None:
        self.primary_vlan = self.vlan(vid).vid

    def set_management_vlan(self, vid: int | None) -> None:
        if vid is not None and not MIN_VID <= vid <= MAX_VID:
            raise ConfigError(INVALID_INPUT.format(token=vid))
        self.management_vlan = vid

    # --- CDP (commands/cdp.py) ---

    def set_cdp_run(self, enabled: bool) -> None:
        self.cdp_run = enabled

    def set_cdp_mode(self, mode: str) -> None:
        if mode not in CDP_MODES:
            raise ConfigError(INVALID_INPUT.format(token=mode))
        self.cdp_mode = mode

    # --- console (commands/console.py) ---

    def set_console(self, setting: str, value: str) -> None:
        """The default value removes the setting, so the config writes only changes."""
        values = CONSOLE_SETTINGS.get(setting)
        if values is None:
            raise ConfigError(INVALID_INPUT.format(token=setting))
        if value not in values:
            raise ConfigError(INVALID_INPUT.format(token=value))
        if value == values[0]:
            self.console.pop(setting, None)
        else:
            self.console[setting] = value

    # --- SNMP extras (commands/snmp_extras.py) ---

    def set_snmpv3_engine_id(self, text: str) -> None:
        """Lower-case colon-separated octets, as the switch writes them."""
        octets = text.split(":")
        low, high = ENGINE_ID_OCTETS
        if not low <= len(octets) <= high or not all(
                len(o) == 2 and all(c in "0123456789abcdefABCDEF" for c in o) for o in octets):
            raise ConfigError(INVALID_INPUT.format(token=text))
        self.snmpv3_engine_id = text.lower()

    # --- web management (commands/web_management.py) ---

    def set_web(self, service: str, enabled: bool) -> None:
        """`service` is "" for the agent, or `ssl` / `plaintext`."""
        if service not in WEB_DEFAULTS:
            raise ConfigError(INVALID_INPUT.format(token=service))
        self.web[service] = enabled

    # --- banner (commands/banner.py) ---

    def set_banner(self, kind: str, text: str) -> None:
        """An empty text removes the banner, as `no banner motd` does."""
        if kind not in BANNER_KINDS:
            raise ConfigError(INVALID_INPUT.format(token=kind))
        if not text:
            self.banners.pop(kind, None)
            return
        _check_text("banner", text)
        self.banners[kind] = text

    # --- ip dns (commands/dns.py) ---

    def set_dns_domain(self, name: str) -> None:
        """An empty name is the unset default (no config line), as `no ip dns domain-name`."""
        if name:
            _check_text("domain name", name)
        self.dns_domain = name

    def dns_server_set(self, priority: int, address: ipaddress.IPv4Address | None) -> None:
        """None removes the server at that priority; removing an absent one changes nothing."""
        low, high = DNS_PRIORITIES
        if not low <= priority <= high:
            raise ConfigError(INVALID_INPUT.format(token=priority))
        if address is None:
            self.dns_servers.pop(priority, None)
        else:
            self.dns_servers[priority] = address

    # --- PoE (commands/poe.py) ---

    def set_poe_pre_std_detect(self, enabled: bool) -> None:
        self.poe_pre_std_detect = enabled

    # --- system settings (commands/system_settings.py) ---

    def set_autorun(self, enabled: bool) -> None:
        self.autorun = enabled

    def set_dhcp_update(self, kind: str, enabled: bool) -> None:
        if kind not in DHCP_UPDATES:
            raise ConfigError(INVALID_INPUT.format(token=kind))
        if enabled:
            self.dhcp_updates.add(kind)
        else:
            self.dhcp_updates.discard(kind)

    def set_include_credentials(self, enabled: bool) -> None:
        self.include_credentials = enabled

    # --- file transfer (commands/file_transfer.py) ---

    def set_tftp(self, role: str, enabled: bool) -> None:
        """`[no] tftp client|server`."""
        if role == "client":
            self.tftp_client = enabled
        elif role == "server":
            self.tftp_server = enabled
        else:
            raise ConfigError(INVALID_INPUT.format(token=role))

    def set_ssh_filetransfer(self, enabled: bool) -> None:
        """`ip ssh filetransfer` turns TFTP off, client and server, as K.15 does."""
        self.ssh_filetransfer = enabled
        if enabled:
            self.tftp_client = self.tftp_server = False

    def community_set(self, community: Community) -> None:
        """Redefining a community changes its access in place, keeping its position."""
        _check_text("community", community.name)
        for index, existing in enumerate(self.communities):
            if existing.name == community.name:
                self.communities[index] = community
                return
        self.communities.append(community)

    def community_remove(self, name: str) -> None:
        self.communities = [c for c in self.communities if c.name != name]

    def trap_receiver_set(self, receiver: TrapReceiver) -> None:
        """One entry per address: naming an address again replaces its community."""
        _check_text("community", receiver.community)
        if receiver.trap_level not in TRAP_LEVELS:
            raise ConfigError(INVALID_INPUT.format(token=receiver.trap_level))
        self.trap_receiver_remove(receiver.address)
        self.trap_receivers.append(receiver)

    def trap_receiver_remove(self, address: ipaddress.IPv4Address) -> None:
        self.trap_receivers = [r for r in self.trap_receivers if r.address != address]

    def set_auth_traps(self, enabled: bool) -> None:
        self.snmp_auth_traps = enabled

    def snmpv3_enable(self, enabled: bool) -> None:
        """Users and groups stay configured while v3 is disabled; they are just not served."""
        self.snmpv3.enabled = enabled

    def snmpv3_restrict(self, restricted: bool) -> None:
        self.snmpv3.restricted_access = restricted

    def snmpv3_only(self, only: bool) -> None:
        self.snmpv3.only = only

    def snmpv3_user_add(self, name: str) -> None:
        """A user named again keeps its place (its keys change in the security files)."""
        _check_text("snmpv3 user", name)
        if name not in self.snmpv3.users:
            self.snmpv3.users.append(name)

    def snmpv3_user_remove(self, name: str) -> None:
        """The user's group membership goes with it."""
        self.snmpv3.users = [u for u in self.snmpv3.users if u != name]
        self.snmpv3.groups.pop(name, None)

    def snmpv3_group_set(self, user: str, group: Snmpv3Group) -> None:
        _check_text("snmpv3 user", user)
        self.snmpv3.groups[user] = group

    def snmpv3_group_remove(self, user: str, group: Snmpv3Group) -> None:
        """Removing a membership the user does not have changes nothing, as on the switch."""
        if self.snmpv3.groups.get(user) is group:
            del self.snmpv3.groups[user]

    def snmpv3_params_set(self, name: str, params: Snmpv3Params) -> None:
        """Naming an entry again replaces it in place (as every snmpv3 table entry)."""
        _check_text("snmpv3 name", name)
        _check_text("snmpv3 user", params.user)
        self.snmpv3.params[name] = params

    def snmpv3_target_set(self, name: str, target: Snmpv3Target) -> None:
        for text in (name, target.params, *target.taglist):
            _check_text("snmpv3 name", text)
        self.snmpv3.targets[name] = target

    def snmpv3_notify_set(self, name: str, notify: Snmpv3Notify) -> None:
        for text in (name, notify.tag):
            _check_text("snmpv3 name", text)
        self.snmpv3.notifies[name] = notify

    def snmpv3_params_remove(self, name: str) -> None:
        """Removing an entry that does not exist changes nothing; targets naming it stay."""
        self.snmpv3.params.pop(name, None)

    def snmpv3_target_remove(self, name: str) -> None:
        self.snmpv3.targets.pop(name, None)

    def snmpv3_notify_remove(self, name: str) -> None:
        self.snmpv3.notifies.pop(name, None)

    def password_set(self, level: str, account: tuple[str, str] | None = None) -> None:
        """Only records that the level has a password (and, when known, its user name and
        hash); the secret lives in the security files."""
        if level not in PASSWORD_LEVELS:
            raise ConfigError(INVALID_INPUT.format(token=level))
        self.passwords.add(level)
        if account is not None:
            self.password_hashes[level] = account

    def set_passwords(self, levels: set[str], hashes: dict[str, tuple[str, str]]) -> None:
        """The accounts as the security files now hold them (after a password change)."""
        self.passwords = set(levels)
        self.password_hashes = dict(hashes)

    # --- QoS (commands/qos.py) ---
    def set_qos_tos(self, mode: str) -> None:
        if mode not in TOS_MODES:
            raise ConfigError(INVALID_INPUT.format(token=mode))
        self.qos_tos = mode

    def dscp_map_set(self, codepoint: str, priority: int | None) -> None:
        """None: `no qos dscp-map CODEPOINT`, back to no override."""
        if len(codepoint) != DSCP_BITS or set(codepoint) - {"0", "1"}:
            raise ConfigError(INVALID_INPUT.format(token=codepoint))
        if priority is None:
            self.dscp_map.pop(codepoint, None)
            return
        _check_range(priority, QOS_PRIORITY_RANGE)
        self.dscp_map[codepoint] = priority

    def port_set_qos_priority(self, port: str, priority: int | None) -> None:
        if priority is not None:
            _check_range(priority, QOS_PRIORITY_RANGE)
        self.port(port).qos_priority = priority
        self._drop_if_default(port)

    def vlan_set_qos_priority(self, vid: int, priority: int | None) -> None:
        if priority is not None:
            _check_range(priority, QOS_PRIORITY_RANGE)
        self.vlan(vid).qos_priority = priority

    # --- fault finder (commands/fault_finder.py) ---
    def fault_set(self, fault: str, setting: FaultSetting) -> None:
        """`all` sets every kind."""
        kinds = FAULTS if fault == "all" else (fault,)
        if (not set(kinds) <= set(FAULTS) or setting.sensitivity not in FAULT_SENSITIVITIES
                or setting.action not in FAULT_ACTIONS):
            raise ConfigError(INVALID_INPUT.format(token=fault))
        if not setting.enabled:  # off is off, whatever the level it had
            setting = FaultSetting(enabled=False)
        for kind in kinds:
            if setting == FaultSetting():
                self.faults.pop(kind, None)
            else:
                self.faults[kind] = setting

    # --- port mirroring (commands/mirror.py) ---
    def mirror_set(self, session: int, mirror: Mirror | None) -> None:
        """None: `no mirror N`, and the ports monitored into it stop."""
        _check_range(session, MIRROR_SESSIONS)
        if mirror is None:
            self.mirrors.pop(session, None)
            for port in list(self.interfaces):
                self.port_set_monitor(port, session, None)
            return
        self.check_ports([mirror.port])
        if mirror.name:
            _check_text("mirror name", mirror.name)
        interface = self.interfaces.get(mirror.port)
        if interface is not None and interface.monitor:
            raise ConfigError(MIRROR_SOURCE.format(port=mirror.port))
        self.mirrors[session] = mirror

    def port_set_monitor(self, port: str, session: int, direction: str | None) -> None:
        """`monitor all DIRECTION mirror N` on the port (None: `no monitor ... mirror N`)."""
        _check_range(session, MIRROR_SESSIONS)
        if direction is not None:
            if direction not in MONITOR_DIRECTIONS:
                raise ConfigError(INVALID_INPUT.format(token=direction))
            if session not in self.mirrors:
                raise ConfigError(MIRROR_NOT_CONFIGURED.format(session=session))
            if any(m.port == port for m in self.mirrors.values()):
                raise ConfigError(MIRROR_DESTINATION_MONITORED.format(port=port))
            self.port(port).monitor[session] = direction
        elif port in self.interfaces:
            self.interfaces[port].monitor.pop(session, None)
        else:
            self.check_ports([port])
            return
        self._drop_if_default(port)

    # --- DHCP snooping (commands/dhcp_snooping.py) ---
    def set_dhcp_snooping(self, enabled: bool) -> None:
        self.dhcp_snooping = enabled

    def dhcp_snooping_set_vlans(self, vids: Iterable[int], enabled: bool) -> None:
        wanted = set(vids)
        for vid in wanted:
            _check_range(vid, (MIN_VID, MAX_VID))
        if enabled:
            self.dhcp_snooping_vlans |= wanted
        else:
            self.dhcp_snooping_vlans -= wanted

    def dhcp_snooping_server(self, address: ipaddress.IPv4Address, authorized: bool) -> None:
        servers = self.dhcp_snooping_servers
        if not authorized:
            if address in servers:
                servers.remove(address)
            return
        if address in servers:
            return
        if len(servers) >= DHCP_SNOOPING_SERVERS:
            raise ConfigError(DHCP_SNOOPING_SERVER_LIMIT)
        servers.append(address)

    def set_dhcp_snooping_option82(self, enabled: bool) -> None:
        self.dhcp_snooping_option82 = enabled

    def port_set_dhcp_snooping_trust(self, port: str, trusted: bool) -> None:
        self.port(port).dhcp_snooping_trust = trusted
        self._drop_if_default(port)

    # --- sFlow (commands/sflow.py) ---
    def sflow_set_destination(self, instance: int, address: ipaddress.IPv4Address | None,
                              udp_port: int = SFLOW_PORT_DEFAULT) -> None:
        """None: `no sflow N destination`, the instance goes with its sampling and polling."""
        _check_range(instance, SFLOW_INSTANCES)
        if address is None:
            self.sflow.pop(instance, None)
            return
        _check_range(udp_port, (1, 65535))
        known = self.sflow.get(instance)
        if known is None:
            self.sflow[instance] = SflowInstance(address, udp_port)
        else:
            known.destination, known.udp_port = address, udp_port

    def sflow_set_ports(self, instance: int, what: str, ports: Iterable[str],
                        value: int) -> None:
        """`sflow N sampling|polling PORTS VALUE`; 0 (or `no ...`) takes the ports out."""
        _check_range(instance, SFLOW_INSTANCES)
        bounds = {"sampling": SFLOW_SAMPLING_RANGE, "polling": SFLOW_POLLING_RANGE}.get(what)
        if bounds is None:
            raise ConfigError(INVALID_INPUT.format(token=what))
        _check_range(value, bounds)
        checked = self.check_ports(ports)
        known = self.sflow.get(instance)
        if known is None:
            raise ConfigError(SFLOW_NO_DESTINATION.format(instance=instance))
        table = known.sampling if what == "sampling" else known.polling
        for port in checked:
            if value:
                table[port] = value
            else:
                table.pop(port, None)

    # --- GVRP (commands/gvrp.py) ---
    def set_gvrp(self, enabled: bool) -> None:
        self.gvrp = enabled

    # --- LLDP settings (commands/lldp_settings.py) ---
    def set_lldp_run(self, enabled: bool) -> None:
        self.lldp_run = enabled

    def lldp_set_admin(self, ports: Iterable[str], status: str) -> None:
        if status not in LLDP_ADMIN_STATUSES:
            raise ConfigError(INVALID_INPUT.format(token=status))
        for port in self.check_ports(ports):
            if status == LLDP_ADMIN_STATUSES[0]:
                self.lldp_admin.pop(port, None)
            else:
                self.lldp_admin[port] = status

    # --- syslog and time (commands/logging.py, commands/clock.py, commands/sntp.py) ---
    def syslog_host_set(self, host: SyslogHost) -> None:
        """Naming a host again replaces its transport and port in place."""
        low, high = SYSLOG_PORT_RANGE
        if host.transport not in SYSLOG_TRANSPORTS or (
                host.port != SYSLOG_TRANSPORTS[host.transport] and not low <= host.port <= high):
            raise ConfigError(INVALID_INPUT.format(token=host.port))
        for index, known in enumerate(self.syslog_hosts):
            if known.address == host.address:
                self.syslog_hosts[index] = host
                return
        if len(self.syslog_hosts) >= SYSLOG_MAX_HOSTS:
            raise ConfigError(SYSLOG_HOST_LIMIT.format(limit=SYSLOG_MAX_HOSTS))
        self.syslog_hosts.append(host)

    def syslog_host_remove(self, address: ipaddress.IPv4Address | None) -> None:
        """One host, or every host when None (`no logging`)."""
        self.syslog_hosts = [h for h in self.syslog_hosts
                             if address is not None and h.address != address]

    def set_logging_severity(self, severity: str) -> None:
        if severity not in LOGGING_SEVERITIES:
            raise ConfigError(INVALID_INPUT.format(token=severity))
        self.logging_severity = severity

    def set_logging_facility(self, facility: str) -> None:
        if facility not in LOGGING_FACILITIES:
            raise ConfigError(INVALID_INPUT.format(token=facility))
        self.logging_facility = facility

    def set_timesync(self, mode: str | None) -> None:
        if mode is not None and mode not in TIMESYNC_MODES:
            raise ConfigError(INVALID_INPUT.format(token=mode))
        self.timesync = mode

    def set_sntp_mode(self, mode: str) -> None:
        if mode not in SNTP_MODES:
            raise ConfigError(INVALID_INPUT.format(token=mode))
        self.sntp_mode = mode

    def set_sntp_poll(self, seconds: int) -> None:
        low, high = SNTP_POLL_RANGE
        if not low <= seconds <= high:
            raise ConfigError(INVALID_INPUT.format(token=seconds))
        self.sntp_poll = seconds

    def sntp_server_set(self, priority: int, server: SntpServer | None) -> None:
        """None removes the server at that priority."""
        low, high = SNTP_PRIORITIES
        if not low <= priority <= high:
            raise ConfigError(INVALID_INPUT.format(token=priority))
        if server is None:
            self.sntp_servers.pop(priority, None)
            return
        if not SNTP_VERSIONS[0] <= server.version <= SNTP_VERSIONS[1]:
            raise ConfigError(INVALID_INPUT.format(token=server.version))
        self.sntp_servers[priority] = server

    def set_daylight_rule(self, rule: str) -> None:
        if rule not in DAYLIGHT_RULES:
            raise ConfigError(INVALID_INPUT.format(token=rule))
        self.daylight_rule = rule


    # --- trunks and LACP (commands/trunk.py) ---

    def trunk_of(self, port: str) -> str | None:
        """The trunk a port is a member of, if any."""
        return next((t.name for t in self.trunks.values() if port in t.ports), None)

    def trunk_members(self) -> set[str]:
        return {port for trunk in self.trunks.values() for port in trunk.ports}

    def _refuse_members(self, ports: Iterable[str]) -> None:
        for port in ports:
            trunk = self.trunk_of(port)
            if trunk is not None:
                raise ConfigError(TRUNK_MEMBER.format(port=port, trunk=trunk))

    def trunk_add(self, ports: Iterable[str], name: str, kind: str) -> None:
        """Ports join the trunk (leaving any other): they leave their VLANs, which the trunk
        holds for them; a new trunk starts untagged in the default VLAN, as a port does. The
        kind given becomes the whole trunk's."""
        if kind not in TRUNK_KINDS:
            raise ConfigError(INVALID_INPUT.format(token=kind))
        added = set(self.check_ports(ports))
        if not added:
            return
        if any(port in self.trunks for port in added):
            raise ConfigError(INVALID_INPUT.format(token=format_port_list(added)))
        trunk = self.trunks.get(name)
        if len(added | (set() if trunk is None else trunk.ports)) > MAX_TRUNK_PORTS:
            raise ConfigError(TRUNK_TOO_BIG.format(limit=MAX_TRUNK_PORTS, trunk=name))
        self.trunk_remove(added - (set() if trunk is None else trunk.ports))
        if trunk is None:
            trunk = self.trunks[name] = Trunk(name)
            self.vlans[DEFAULT_VLAN_ID].untagged.add(name)
        trunk.kind = kind
        trunk.ports |= added
        for vlan in self.vlans.values():
            vlan.untagged -= added
            vlan.tagged -= added
        for port in added:
            if port in self.interfaces:
                self.interfaces[port].lacp = None
                self._drop_if_default(port)

    def trunk_remove(self, ports: Iterable[str]) -> None:
        """`no trunk PORTS`: each port leaves its trunk and is untagged in the default VLAN
        again; a trunk left without ports is gone, from its VLANs too."""
        removed = set(self.check_ports(ports))
        for name, trunk in list(self.trunks.items()):
            leaving = trunk.ports & removed
            if not leaving:
                continue
            trunk.ports -= leaving
            self.vlans[DEFAULT_VLAN_ID].untagged |= leaving
            if not trunk.ports:
                del self.trunks[name]
                for vlan in self.vlans.values():
                    vlan.untagged.discard(name)
                    vlan.tagged.discard(name)

    def port_set_lacp(self, port: str, mode: str | None) -> None:
        """`interface PORT lacp active|passive` (None: `no lacp`): dynamic LACP."""
        if mode is not None and mode not in LACP_MODES:
            raise ConfigError(INVALID_INPUT.format(token=mode))
        if mode is not None:
            self._refuse_members([port])
        self.port(port).lacp = mode
        self._drop_if_default(port)


    # --- loop protection (commands/loop_protect.py) ---

    def loop_protect_set(self, ports: Iterable[str], action: str | None) -> None:
        """Protect the ports with `action` (None: stop protecting them)."""
        if action is not None and action not in LOOP_PROTECT_ACTIONS:
            raise ConfigError(INVALID_INPUT.format(token=action))
        for port in self.check_ports(ports):
            if action is None:
                self.loop_protect.pop(port, None)
            else:
                self.loop_protect[port] = action

    def set_loop_protect_interval(self, seconds: int) -> None:
        low, high, _ = LOOP_PROTECT_INTERVAL
        if not low <= seconds <= high:
            raise ConfigError(INVALID_INPUT.format(token=seconds))
        self.loop_protect_interval = seconds

    def set_loop_protect_disable_timer(self, seconds: int) -> None:
        low, high, _ = LOOP_PROTECT_DISABLE_TIMER
        if not low <= seconds <= high:
            raise ConfigError(INVALID_INPUT.format(token=seconds))
        self.loop_protect_disable_timer = seconds

    def set_loop_protect_trap(self, enabled: bool) -> None:
        self.loop_protect_trap = enabled
    # --- spanning tree (commands/spanning_tree.py) ---
    def spanning_tree_ports(self, ports: Iterable[str]) -> SpanningTreeConfig:
        """The spanning-tree settings, once every port is known to be on a configured module
        (the per-port setters are called through here)."""
        self.check_ports(ports)
        return self.spanning_tree
    # --- access lists (commands/acl.py) ---

    def acl_open(self, name: str, kind: str) -> AccessList:
        """The list `ip access-list KIND NAME` edits, made when new; a numeric id must be in
        its kind's range, and a name already used by the other kind is refused."""
        if not is_config_text(name):
            raise ConfigError(INVALID_INPUT.format(token=name))
        with _acl_refusal():
            check_name(name, kind)
        acl = self.access_lists.get(name)
        if acl is None:
            acl = self.access_lists[name] = AccessList(name, kind)
        elif acl.kind != kind:
            raise ConfigError(KIND_CLASH.format(name=name, kind=acl.kind))
        return acl

    def acl_add(self, name: str, kind: str, permit: bool, words: Sequence[str],
                seq: int | None = None) -> int:
        """An entry (`[SEQ] permit|deny ...`) into the list; its sequence number back. The
        list is made only once the entry is good, so a refused `access-list 5 ...` leaves no
        empty ACL behind."""
        with _acl_refusal():
            ace = parse_ace(kind, permit, words)
            if name in self.access_lists:
                return self.acl_open(name, kind).add(ace, seq)
            acl = AccessList(name, kind)
            seq = acl.add(ace, seq)
        self.acl_open(name, kind).entries = acl.entries
        return seq

    def acl_remark(self, name: str, kind: str, text: str, seq: int | None = None) -> None:
        if not is_config_text(text):
            raise ConfigError(INVALID_INPUT.format(token=text))
        acl = self.acl_open(name, kind)
        with _acl_refusal():
            acl.remark(text, seq)

    def acl_remove_entry(self, name: str, seq: int) -> None:
        acl = self.access_lists.get(name)
        if acl is None:
            raise ConfigError(INVALID_INPUT.format(token=name))
        with _acl_refusal():
            acl.remove(seq)

    def acl_delete(self, name: str) -> None:
        """`no ip access-list ... NAME`; where it was applied it stays applied (by name, as
        the switch keeps it), and filters nothing until it exists again."""
        if self.access_lists.pop(name, None) is None:
            raise ConfigError(INVALID_INPUT.format(token=name))

    def acl_apply_vlan(self, vid: int, direction: str, name: str | None) -> None:
        """`[no] ip access-group NAME in|out|vlan` in VLAN `vid`'s context."""
        self.vlan(vid)
        if direction not in APPLY_DIRECTIONS:
            raise ConfigError(INVALID_INPUT.format(token=direction))
        if name is None:
            self.vlan_access_groups.pop((vid, direction), None)
        else:
            self._acl_check_applied(name)
            self.vlan_access_groups[(vid, direction)] = name

    def acl_apply_port(self, port: str, name: str | None) -> None:
        """`[no] ip access-group NAME in` in a port's context (inbound only on K.15)."""
        if name is not None:
            self._acl_check_applied(name)
        self.port(port).access_group = name
        self._drop_if_default(port)

    # --- DHCP relay (commands/dhcp_relay.py) ---

    def vlan_helper_add(self, vid: int, address: ipaddress.IPv4Address) -> None:
        """A VLAN relays to helpers only from its own address: one without a static address
        is refused."""
        vlan = self.vlan(vid)
        if vlan.ip.mode is not IpMode.MANUAL:
            raise ConfigError(HELPER_NEEDS_ADDRESS.format(vid=vid))
        if address in vlan.helper_addresses:
            return
        if len(vlan.helper_addresses) >= HELPERS_PER_VLAN:
            raise ConfigError(HELPER_LIMIT)
        vlan.helper_addresses.append(address)

    def vlan_helper_remove(self, vid: int, address: ipaddress.IPv4Address) -> None:
        vlan = self.vlan(vid)
        if address not in vlan.helper_addresses:
            raise ConfigError(INVALID_INPUT.format(token=address))
        vlan.helper_addresses.remove(address)

    def set_dhcp_relay(self, enabled: bool) -> None:
        self.dhcp_relay = enabled

    def set_dhcp_relay_hop_count(self, enabled: bool) -> None:
        self.dhcp_relay_hop_count = enabled

    def set_dhcp_relay_option82(self, option: Option82 | None) -> None:
        if option is not None and (option.policy not in OPTION82_POLICIES
                                   or option.remote_id not in OPTION82_REMOTE_IDS
                                   or (option.validate and option.policy == "keep")):
            raise ConfigError(INVALID_INPUT.format(token=option.policy))
        self.dhcp_relay_option82 = option

    # --- access control (commands/access.py, commands/ssh.py) ---

    def authorized_manager_set(self, entry: AuthorizedManager) -> None:
        """An address already listed (for the same access method) takes the new mask and
        level in its place (the manual: parameters left out go back to their defaults)."""
        for index, existing in enumerate(self.authorized_managers):
            if (existing.address, existing.method) == (entry.address, entry.method):
                self.authorized_managers[index] = entry
                return
        if len(self.authorized_managers) >= AUTHORIZED_MANAGERS_MAX:
            raise ConfigError(AUTHORIZED_MANAGERS_FULL.format(limit=AUTHORIZED_MANAGERS_MAX))
        self.authorized_managers.append(entry)

    def authorized_manager_remove(self, address: ipaddress.IPv4Address,
                                  method: str | None = None) -> None:
        """Every entry of the address, or only the one for `method`."""
        self.authorized_managers = [e for e in self.authorized_managers
                                    if e.address != address or method not in (None, e.method)]

    def admits(self, service: str, address: str) -> bool:
        """Whether the `ssh`, `telnet` or `snmp` server answers this client now."""
        if service == "telnet" and not self.telnet_server:
            return False
        if service == "ssh" and not self.ssh.enabled:
            return False
        return authorized_level(self.authorized_managers, address, service) is not None

    def set_telnet_server(self, enabled: bool) -> None:
        self.telnet_server = enabled

    def ssh_cipher_set(self, kind: str, name: str, enabled: bool) -> None:
        """`[no] ip ssh cipher|mac NAME`: the list keeps the switch's order."""
        catalog = SSH_CIPHERS if kind == "cipher" else SSH_MACS
        if name not in catalog:
            raise ConfigError(INVALID_INPUT.format(token=name))
        chosen = self.ssh.ciphers if kind == "cipher" else self.ssh.macs
        wanted = (set(chosen) | {name}) if enabled else (set(chosen) - {name})
        if not wanted:
            raise ConfigError(SSH_LAST_CIPHER)
        chosen[:] = [item for item in catalog if item in wanted]
    # --- IP routing and static routes (commands/routing.py) ---

    def set_ip_routing(self, enabled: bool) -> None:
        self.ip_routing = enabled

    def static_route_add(self, route: StaticRoute) -> None:
        """A route to the same destination by the same next hop replaces the one there (a new
        distance); forwarding and discard routes to one destination do not mix. A route by a
        VLAN may name one not made yet: the config writes the routes before the VLANs."""
        destination = route.destination
        if destination.is_multicast or destination.is_loopback or destination.is_reserved:
            raise ConfigError(ROUTE_BAD_DESTINATION.format(destination=destination))
        _check_range(route.distance, DISTANCE_RANGE)
        if route.gateway is not None and route.gateway in self.own_addresses():
            raise ConfigError(ROUTE_OWN_GATEWAY.format(gateway=route.gateway))
        same = [r for r in self.static_routes if r.destination == destination]
        if any((r.discard is None) != (route.discard is None) for r in same):
            raise ConfigError(ROUTE_DISCARD_CLASH.format(destination=destination))
        replaced = next((r for r in same if r.hop() == route.hop()
                         or r.discard is not None), None)
        if replaced is None and len(self.static_routes) >= STATIC_ROUTE_LIMIT:
            raise ConfigError(ROUTE_LIMIT)
        if replaced is not None:
            self.static_routes[self.static_routes.index(replaced)] = route
            return
        self.static_routes.append(route)
        self.static_routes.sort(key=lambda r: (int(r.destination.network_address),
                                               r.destination.prefixlen))

    def static_route_remove(self, destination: ipaddress.IPv4Network,
                            hop: str | None) -> None:
        """`no ip route DEST MASK [HOP]`: that route, or every route to DEST."""
        self.static_routes = [r for r in self.static_routes
                              if r.destination != destination
                              or (hop is not None and r.hop() != hop)]

    # --- OSPF (commands/ospf.py) ---

    def ospf_open(self) -> None:
        self.ospf.present = True

    def ospf_remove(self) -> None:
        """`no router ospf`: the block and every VLAN's OSPF settings go."""
        self.ospf = OspfConfig()
        for vlan in self.vlans.values():
            vlan.ospf = None

    def ospf_set_enabled(self, enabled: bool) -> None:
        self.ospf.present = True
        self.ospf.enabled = enabled

    def ospf_area_add(self, area: str) -> None:
        self.ospf.present = True
        if area not in self.ospf.areas:
            self.ospf.areas.append(area)
            self.ospf.areas.sort(key=lambda a: 0 if a == BACKBONE
                                 else int(ipaddress.IPv4Address(a)))

    def ospf_area_remove(self, area: str) -> None:
        if area in self.ospf.areas:
            self.ospf.areas.remove(area)
        for vlan in self.vlans.values():
            if vlan.ospf is not None and vlan.ospf.area == area:
                vlan.ospf = None

    def ospf_redistribute(self, source: str, on: bool) -> None:
        if source not in OSPF_REDISTRIBUTE:
            raise ConfigError(INVALID_INPUT.format(token=source))
        self.ospf.present = True
        if on and source not in self.ospf.redistribute:
            self.ospf.redistribute.append(source)
            self.ospf.redistribute.sort(key=OSPF_REDISTRIBUTE.index)
        elif not on and source in self.ospf.redistribute:
            self.ospf.redistribute.remove(source)

    def vlan_ospf_area(self, vid: int, area: str | None) -> None:
        """The VLAN's address joins `area` (None: leaves OSPF)."""
        vlan = self.vlan(vid)
        if area is None:
            vlan.ospf = None
            return
        if vlan.ip.mode is not IpMode.MANUAL:
            raise ConfigError(OSPF_NEEDS_ADDRESS.format(vid=vid))
        if area not in self.ospf.areas:
            raise ConfigError(OSPF_NO_AREA.format(area=area))
        if vlan.ospf is None:
            vlan.ospf = VlanOspf(area)
        else:
            vlan.ospf.area = area

    def vlan_ospf_setting(self, vid: int, name: str, value: int | None) -> None:
        """cost, hello-interval or dead-interval (None: back to the default)."""
        vlan = self.vlan(vid)
        if name not in OSPF_DEFAULTS:
            raise ConfigError(INVALID_INPUT.format(token=name))
        if vlan.ospf is None:
            raise ConfigError(OSPF_NOT_ON_VLAN.format(vid=vid))
        if value is None or value == OSPF_DEFAULTS[name]:
            vlan.ospf.settings.pop(name, None)
            return
        _check_range(value, OSPF_COST_RANGE if name == "cost" else OSPF_INTERVAL_RANGE)
        vlan.ospf.settings[name] = value

    def vlan_ospf_passive(self, vid: int, passive: bool) -> None:
        vlan = self.vlan(vid)
        if vlan.ospf is None:
            raise ConfigError(OSPF_NOT_ON_VLAN.format(vid=vid))
        vlan.ospf.passive = passive

    def access_groups(self) -> dict[str, str]:
        """Where each ACL applies, as the fabric takes it: `port A1 in`, `vlan 20 out`
        (VLANs that exist; a port's list with its port)."""
        groups = {f"vlan {vid} {direction}": name
                  for (vid, direction), name in self.vlan_access_groups.items()
                  if vid in self.vlans}
        groups.update({f"port {port} in": i.access_group for port, i in self.interfaces.items()
                       if i.access_group is not None})
        return groups

    def _acl_check_applied(self, name: str) -> None:
        """An ACL may be applied before it is made (the switch then filters with an empty
        list); the name must still be one the config can write."""
        if not is_config_text(name) or len(name) > ACL_NAME_MAX:
            raise ConfigError(INVALID_INPUT.format(token=name))


@contextlib.contextmanager
def _acl_refusal() -> Iterator[None]:
    """The access-list model (config/acl.py) speaks the switch's texts as AclError."""
    try:
        yield
    except AclError as exc:
        raise ConfigError(str(exc)) from None


def _holds_name(vid: int, name: str) -> bool:
    return vid == DEFAULT_VLAN_ID or name != Vlan.default_name(vid)


def _check_text(kind: str, value: str) -> None:
    """A string the config could not write back as it is (a `"`, a control or non-ASCII
    character) is refused as the CLI refuses a word it cannot take."""
    if not value:
        raise ConfigError(EMPTY_STRING.format(token=kind.split()[-1]))
    if not is_config_text(value):
        raise ConfigError(INVALID_INPUT.format(token=value))
    limit = TEXT_LIMITS[kind]
    if len(value) > limit:
        raise ConfigError(TOO_LONG.format(limit=limit))


# --- spanning tree (commands/spanning_tree.py) ---

STP_VERSIONS: Final = ("mstp-operation", "rstp-operation", "stp-compatible")
"""`spanning-tree force-version`: K.15's default (MSTP) first, unwritten."""
STP_PRIORITY_RANGE: Final = (0, 15)
"""`spanning-tree [instance N] priority`: a multiplier of 4096 (8, 32768, is the default)."""
STP_PRIORITY_DEFAULT: Final = 8
STP_PORT_PRIORITY_RANGE: Final = (0, 15)
"""`spanning-tree PORT priority`: a multiplier of 16 (8, 128, is the default)."""
STP_PATH_COST_RANGE: Final = (1, 200_000_000)
STP_INSTANCE_RANGE: Final = (1, 16)
STP_REVISION_RANGE: Final = (0, 65535)
STP_CONFIG_NAME_LIMIT: Final = 32
STP_PORT_FLAGS: Final = ("admin-edge-port", "bpdu-protection", "bpdu-filter", "root-guard",
                         "tcn-guard")
"""Per-port switches that are off by default, in the order the config writes them
(`auto-edge-port`, on by default, is written `no spanning-tree PORT auto-edge-port`)."""
STP_VLAN_MAPPED: Final = "VLAN {vid} is already mapped to instance {instance}."
"""Modelled on K.15's style: a VLAN belongs to one MST instance at a time."""
STP_NO_INSTANCE: Final = "MST instance {instance} is not configured."
"""Modelled on K.15's style: an instance exists once it has VLANs."""
INCOMPLETE_VLANS: Final = "Incomplete input: vlan"


@dataclass
class StpPort:
    """One port's `spanning-tree PORT ...` settings away from their defaults."""

    flags: set[str] = field(default_factory=set)
    auto_edge: bool = True
    path_cost: int | None = None
    """None: `auto`, the 802.1t cost of the link's speed."""
    priority: int | None = None

    def is_default(self) -> bool:
        return not self.flags and self.auto_edge and self.path_cost is None and (
            self.priority is None)


@dataclass
class SpanningTreeConfig:
    """`spanning-tree ...`: off by default; its settings are kept (and written) either way."""

    enabled: bool = False
    version: str = STP_VERSIONS[0]
    priority: int = STP_PRIORITY_DEFAULT
    config_name: str = ""
    """Empty: the switch's base MAC, the K.15 default (each switch its own region)."""
    config_revision: int = 0
    instances: dict[int, set[int]] = field(default_factory=dict)
    """MST instance -> its VLANs (the IST has the rest)."""
    instance_priority: dict[int, int] = field(default_factory=dict)
    ports: dict[str, StpPort] = field(default_factory=dict)
    instance_ports: dict[int, dict[str, StpPort]] = field(default_factory=dict)
    """MST instance -> its ports' own path cost and priority (`spanning-tree instance N PORT
    path-cost|priority`); a port not listed keeps the switch's defaults in the instance."""

    def set_enabled(self, enabled: bool) -> None:
        self.enabled = enabled

    def set_version(self, version: str) -> None:
        if version not in STP_VERSIONS:
            raise ConfigError(INVALID_INPUT.format(token=version))
        self.version = version

    def set_priority(self, multiplier: int, instance: int | None = None) -> None:
        _check_range(multiplier, STP_PRIORITY_RANGE)
        if instance is None:
            self.priority = multiplier
            return
        _check_range(instance, STP_INSTANCE_RANGE)
        if instance not in self.instances:
            raise ConfigError(STP_NO_INSTANCE.format(instance=instance))
        if multiplier == STP_PRIORITY_DEFAULT:
            self.instance_priority.pop(instance, None)
        else:
            self.instance_priority[instance] = multiplier

    def set_config_name(self, name: str) -> None:
        """An empty name is `no spanning-tree config-name`: back to the base MAC."""
        if name and (not is_config_text(name) or len(name) > STP_CONFIG_NAME_LIMIT):
            raise ConfigError(TOO_LONG.format(limit=STP_CONFIG_NAME_LIMIT)
                              if is_config_text(name) else INVALID_INPUT.format(token=name))
        self.config_name = name

    def set_config_revision(self, revision: int) -> None:
        _check_range(revision, STP_REVISION_RANGE)
        self.config_revision = revision

    def instance_add_vlans(self, instance: int, vids: Iterable[int]) -> None:
        """Creates the instance. A VLAN already in another instance is refused, and nothing
        changes."""
        _check_range(instance, STP_INSTANCE_RANGE)
        wanted = set(vids)
        if not wanted:
            raise ConfigError(INCOMPLETE_VLANS)
        for vid in wanted:
            _check_range(vid, (MIN_VID, MAX_VID))
            for other, members in self.instances.items():
                if other != instance and vid in members:
                    raise ConfigError(STP_VLAN_MAPPED.format(vid=vid, instance=other))
        self.instances.setdefault(instance, set()).update(wanted)

    def instance_remove(self, instance: int, vids: Iterable[int] | None = None) -> None:
        """`no spanning-tree instance N [vlan ...]`: the VLANs go back to the IST; without a
        list the instance goes."""
        _check_range(instance, STP_INSTANCE_RANGE)
        if vids is None:
            self.instances.pop(instance, None)
            self.instance_priority.pop(instance, None)
            self.instance_ports.pop(instance, None)
        elif instance in self.instances:
            self.instances[instance] -= set(vids)
            if not self.instances[instance]:  # an instance is its VLANs
                self.instance_remove(instance)

    def _port(self, port: str) -> StpPort:
        return self.ports.setdefault(port, StpPort())

    def _tidy(self, port: str) -> None:
        if self.ports[port].is_default():
            del self.ports[port]

    def port_set_flag(self, port: str, flag: str, on: bool) -> None:
        if flag == "auto-edge-port":
            self._port(port).auto_edge = on
        elif flag in STP_PORT_FLAGS:
            flags = self._port(port).flags
            if on:
                flags.add(flag)
            else:
                flags.discard(flag)
        else:
            raise ConfigError(INVALID_INPUT.format(token=flag))
        self._tidy(port)

    def port_set_path_cost(self, port: str, cost: int | None) -> None:
        if cost is not None:
            _check_range(cost, STP_PATH_COST_RANGE)
        self._port(port).path_cost = cost
        self._tidy(port)

    def port_set_priority(self, port: str, multiplier: int | None) -> None:
        if multiplier is not None:
            _check_range(multiplier, STP_PORT_PRIORITY_RANGE)
        self._port(port).priority = None if multiplier == STP_PRIORITY_DEFAULT else multiplier
        self._tidy(port)

    def _instance_port(self, instance: int, port: str) -> StpPort:
        _check_range(instance, STP_INSTANCE_RANGE)
        if instance not in self.instances:
            raise ConfigError(STP_NO_INSTANCE.format(instance=instance))
        return self.instance_ports.setdefault(instance, {}).setdefault(port, StpPort())

    def _tidy_instance(self, instance: int, port: str) -> None:
        ports = self.instance_ports[instance]
        if ports[port].is_default():
            del ports[port]
        if not ports:
            del self.instance_ports[instance]

    def instance_port_set_path_cost(self, instance: int, port: str, cost: int | None) -> None:
        """`spanning-tree instance N PORT path-cost C|auto`: the port's cost in that MSTI."""
        if cost is not None:
            _check_range(cost, STP_PATH_COST_RANGE)
        self._instance_port(instance, port).path_cost = cost
        self._tidy_instance(instance, port)

    def instance_port_set_priority(self, instance: int, port: str,
                                   multiplier: int | None) -> None:
        """`spanning-tree instance N PORT priority P`: the port's priority in that MSTI."""
        if multiplier is not None:
            _check_range(multiplier, STP_PORT_PRIORITY_RANGE)
        self._instance_port(instance, port).priority = (
            None if multiplier == STP_PRIORITY_DEFAULT else multiplier)
        self._tidy_instance(instance, port)


def _check_range(value: int, bounds: tuple[int, int]) -> None:
    if not bounds[0] <= value <= bounds[1]:
        raise ConfigError(INVALID_INPUT.format(token=value))
