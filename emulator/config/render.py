"""SwitchConfig -> the text of `show running-config` and of the startup config on flash.

The text is byte-for-byte what the parser reads back, and it follows the K.15 layout that
tools such as napalm-procurve and oxidized diff and scrape: header comments, global lines,
`interface` blocks, SNMP, `vlan` blocks, then the password markers. Only non-default settings
appear, as on the switch.
"""

from __future__ import annotations

from typing import Final

from emulator.config.aaa import (
    ACCESS_METHODS,
    ACCOUNTING_TYPES,
    NUM_ATTEMPTS,
    RADIUS_ACCT_PORT,
    RADIUS_AUTH_PORT,
    RADIUS_RETRANSMIT,
    RADIUS_TIMEOUT,
    TACACS_TIMEOUT,
    TASKS,
    AaaConfig,
)
from emulator.config.access import (
    MANAGER_METHODS,
    SSH_CIPHERS,
    SSH_MACS,
    SSH_PORT_DEFAULT,
    SSH_TIMEOUT_DEFAULT,
    SshSettings,
)
from emulator.config.acl import APPLY_DIRECTIONS, AccessList
from emulator.config.model import (
    BANNER_KINDS,
    CDP_MODES,
    CONSOLE_SETTINGS,
    DAYLIGHT_RULES,
    DEFAULT_VLAN_ID,
    DHCP_UPDATES,
    FAULT_ACTIONS,
    FAULT_SENSITIVITIES,
    FAULTS,
    LLDP_ADMIN_STATUSES,
    LOGGING_FACILITIES,
    LOGGING_SEVERITIES,
    LOOP_PROTECT_ACTIONS,
    LOOP_PROTECT_DISABLE_TIMER,
    LOOP_PROTECT_INTERVAL,
    OPENFLOW_BACKOFF_DEFAULT,
    OPENFLOW_INTERRUPTION_MODES,
    OPTION82_REMOTE_IDS,
    OSPF_DEFAULTS,
    PASSWORD_LEVELS,
    RAPID_SWITCHOVER_DEFAULT,
    SFLOW_PORT_DEFAULT,
    SNTP_MODES,
    SNTP_POLL_DEFAULT,
    SNTP_VERSION_DEFAULT,
    SPEED_DUPLEX_DEFAULT,
    STATIC_DISTANCE,
    STP_PORT_FLAGS,
    STP_PRIORITY_DEFAULT,
    STP_VERSIONS,
    SYSLOG_TRANSPORTS,
    TARGET_RETRIES,
    TARGET_TIMEOUT,
    TIMESYNC_MODES,
    TOS_MODES,
    TRAP_LEVELS,
    UNKNOWN_VLANS_DEFAULT,
    WEB_DEFAULTS,
    Community,
    CommunityAccess,
    Interface,
    IpMode,
    OpenflowInstance,
    Snmpv3,
    Snmpv3Target,
    StpPort,
    SwitchConfig,
    SyslogHost,
    Vlan,
    VlanIp,
)
from emulator.config.text import quote
from emulator.hardware import (
    CHASSIS_PRODUCT,
    MAC_AGE_DEFAULT,
    MODULE_TYPES,
    SOFTWARE_REVISION,
    format_port_list,
    port_sort_key,
)

INDENT: Final = "   "
CONFIG_VERSION_STAMP: Final = "06:17.ff.3f.ef:e7"
"""The `; Ver #` line: the config-format version K.15.16 writes, not a checksum of the text."""

COMMUNITY_DEFAULT_ACCESS: Final = CommunityAccess.MANAGER
COMMUNITY_DEFAULT_RESTRICTED: Final = True
"""The config text omits `manager` and `restricted`: the factory community (manager,
unrestricted) is written `snmp-server community "public" unrestricted` on real switches, and an
operator community always carries the word `operator`. The parser reads missing words back as
these defaults."""

REDUNDANCY_DISABLED: Final = "no redundancy management-module"
"""Written only when disabled (enabled is the default and, like every default, unwritten);
K.15 configs carry it among the global lines right after the `module` lines."""
NONSTOP_SWITCHING: Final = "redundancy management-module nonstop-switching"
"""Written when the hot standby is chosen (warm standby is the emulator's default); placed
beside the other redundancy line [inferred: no published config carries it]."""

SNMPV3_SEC_MODEL: Final = "sec-model ver3"
"""The only security model the switch's v3 groups take (ver1/ver2c are for communities)."""
SNMPV3_MESSAGE_PROCESSING: Final = "message-processing ver3"
"""`snmpv3 params` follows the sec-model with the message processing model; only v3's."""
NOTIFY_INFORM: Final = "type inform"
"""`snmpv3 notify ... type inform` (trap, the default, is not written)."""

RESTRICTION_WORDS: Final = {True: "restricted", False: "unrestricted"}
IP_MODE_WORDS: Final = {IpMode.DHCP: "dhcp-bootp"}


def render_config(cfg: SwitchConfig) -> str:
    lines = [
        f"; {CHASSIS_PRODUCT} Configuration Editor; Created on release #{SOFTWARE_REVISION}",
        f"; Ver #{CONFIG_VERSION_STAMP}",
        f"hostname {quote(cfg.hostname)}",
    ]
    lines += [
        f"module {slot} type {MODULE_TYPES[product].config_name}"
        for slot, product in sorted(cfg.modules.items())
    ]
    lines += _trunk_lines(cfg)
    if not cfg.redundancy_enabled:
        lines.append(REDUNDANCY_DISABLED)
    if cfg.nonstop_switching:
        lines.append(NONSTOP_SWITCHING)
    if cfg.rapid_switchover != RAPID_SWITCHOVER_DEFAULT:
        lines.append(f"redundancy rapid-switchover {cfg.rapid_switchover}")
    if not cfg.cdp_run:
        lines.append("no cdp run")
    if cfg.cdp_mode != CDP_MODES[0]:
        lines.append(f"cdp mode {cfg.cdp_mode}")
    lines += [f"console {setting} {cfg.console[setting]}"
              for setting in CONSOLE_SETTINGS if setting in cfg.console]
    if cfg.poe_pre_std_detect:
        lines.append(POE_PRE_STD_DETECT)
    lines += _credential_lines(cfg)
    if cfg.gvrp:  # a 16.x config: right after the hostname, before the ip lines
        lines.append("gvrp")
    lines += _dhcp_snooping_lines(cfg)
    lines += _sflow_lines(cfg)
    lines += _syslog_time_lines(cfg)
    if not cfg.telnet_server:  # between the time service and the daylight rule (a 2920's)
        lines.append("no telnet-server")
    if cfg.daylight_rule != DAYLIGHT_RULES[0]:
        lines.append(f"time daylight-time-rule {cfg.daylight_rule}")
    if cfg.timezone:
        lines.append(f"time timezone {cfg.timezone}")
    lines += _qos_lines(cfg)
    lines += [f"banner {kind} {quote(cfg.banners[kind])}"
              for kind in BANNER_KINDS if kind in cfg.banners]
    lines += _web_lines(cfg)
    lines += [f"ip authorized-managers {e.address} {e.mask} access {e.access}"
              + ("" if e.method == MANAGER_METHODS[0] else f" access-method {e.method}")
              for e in cfg.authorized_managers]
    if cfg.default_gateway is not None:
        lines.append(f"ip default-gateway {cfg.default_gateway}")
    lines += _dns_lines(cfg)
    lines += _ssh_lines(cfg.ssh)
    lines += _dhcp_relay_lines(cfg)
    lines += _routing_lines(cfg)
    if cfg.mac_age != MAC_AGE_DEFAULT:
        lines.append(f"mac-age-time {cfg.mac_age}")
    lines += _access_list_lines(cfg)
    lines += _fault_finder_lines(cfg)
    lines += _mirror_lines(cfg)
    for port in sorted(cfg.interfaces, key=port_sort_key):
        interface = cfg.interfaces[port]
        if not interface.is_default():
            lines += _block(f"interface {port}", _interface_body(interface))
    lines += _loop_protect_lines(cfg)
    lines += [_community_line(c) for c in cfg.communities]
    # Both on one line, as K.15 writes them (`snmp-server contact "C" location "L"`).
    system = [f"{word} {quote(text)}" for word, text in (("contact", cfg.snmp_contact),
                                                          ("location", cfg.snmp_location)) if text]
    if system:
        lines.append(f"snmp-server {' '.join(system)}")
    lines += [f"snmp-server host {r.address} community {quote(r.community)}"
              + ("" if r.trap_level == TRAP_LEVELS[0] else f" trap-level {r.trap_level}")
              + (" inform" if r.inform else "") for r in cfg.trap_receivers]
    if cfg.snmp_auth_traps:
        lines.append("snmp-server enable traps authentication")
    if cfg.snmpv3_engine_id:
        lines.append(f"snmpv3 engineid {quote(cfg.snmpv3_engine_id)}")
    lines += _snmpv3_lines(cfg.snmpv3)
    lines += _aaa_lines(cfg.aaa)
    lines += _openflow_lines(cfg)
    lines += _lldp_lines(cfg)
    lines += _ospf_lines(cfg)
    for vid in sorted(cfg.vlans):
        lines += _block(f"vlan {vid}", _vlan_body(cfg, cfg.vlans[vid]))
    lines += _vlan_role_lines(cfg)
    lines += _spanning_tree_lines(cfg)
    lines += _file_transfer_lines(cfg)
    lines += _system_settings_tail(cfg)
    lines += [f"password {level}" for level in PASSWORD_LEVELS if level in cfg.passwords
              and not (cfg.include_credentials and level in cfg.password_hashes)]
    return "\n".join(lines) + "\n"


# --- primary and management VLAN (commands/vlan_roles.py) ---

def _vlan_role_lines(cfg: SwitchConfig) -> list[str]:
    """After the VLANs they name, primary first (`primary-vlan 42`, `management-vlan 42`)."""
    lines = [] if cfg.primary_vlan == DEFAULT_VLAN_ID else [f"primary-vlan {cfg.primary_vlan}"]
    if cfg.management_vlan is not None:
        lines.append(f"management-vlan {cfg.management_vlan}")
    return lines


# --- loop protection (commands/loop_protect.py) ---

def _loop_protect_lines(cfg: SwitchConfig) -> list[str]:
    """After the interface blocks: the protected ports (those with the default action in one
    list, the others by action), then the timers and the trap away from their defaults."""
    lines = []
    for action in LOOP_PROTECT_ACTIONS:
        ports = [p for p, a in cfg.loop_protect.items() if a == action]
        if ports:
            tail = "" if action == LOOP_PROTECT_ACTIONS[0] else f" receiver-action {action}"
            lines.append(f"loop-protect {format_port_list(ports)}{tail}")
    if cfg.loop_protect_interval != LOOP_PROTECT_INTERVAL[2]:
        lines.append(f"loop-protect transmit-interval {cfg.loop_protect_interval}")
    if cfg.loop_protect_disable_timer != LOOP_PROTECT_DISABLE_TIMER[2]:
        lines.append(f"loop-protect disable-timer {cfg.loop_protect_disable_timer}")
    if cfg.loop_protect_trap:
        lines.append("loop-protect trap loop-detected")
    return lines


# --- trunks and LACP (commands/trunk.py) ---

def _trunk_lines(cfg: SwitchConfig) -> list[str]:
    """`trunk A1-A2 trk1 lacp` right after the module lines, by trunk number, as the switch
    writes them (lower case here, `Trk1` where a VLAN lists it)."""
    return [f"trunk {format_port_list(t.ports)} {t.name.lower()} {t.kind}"
            for t in sorted(cfg.trunks.values(), key=lambda t: port_sort_key(t.name))]


# --- DHCP snooping (commands/dhcp_snooping.py) ---

def _dhcp_snooping_lines(cfg: SwitchConfig) -> list[str]:
    """Right after the hostname's global lines (a 16.x config): on, the authorized servers,
    the VLANs, and option 82 when turned off."""
    lines = ["dhcp-snooping"] if cfg.dhcp_snooping else []
    lines += [f"dhcp-snooping authorized-server {a}" for a in cfg.dhcp_snooping_servers]
    if cfg.dhcp_snooping_vlans:
        lines.append(f"dhcp-snooping vlan {vlan_list_text(cfg.dhcp_snooping_vlans)}")
    if not cfg.dhcp_snooping_option82:
        lines.append("no dhcp-snooping option 82")
    return lines


def vlan_list_text(vids: set[int]) -> str:
    """`1-3,5`: a VLAN list as one word (`dhcp-snooping vlan 1-3,5`)."""
    return ",".join(_ranges(sorted(vids)))


# --- sFlow (commands/sflow.py) ---

def _sflow_lines(cfg: SwitchConfig) -> list[str]:
    """After the credentials, before the `ip` lines (a 16.x config): per instance its
    receiver, then the polled and the sampled ports, one line per value."""
    lines = []
    for instance in sorted(cfg.sflow):
        sflow = cfg.sflow[instance]
        port = "" if sflow.udp_port == SFLOW_PORT_DEFAULT else f" {sflow.udp_port}"
        lines.append(f"sflow {instance} destination {sflow.destination}{port}")
        for what, table in (("polling", sflow.polling), ("sampling", sflow.sampling)):
            by_value: dict[int, list[str]] = {}
            for member, value in table.items():
                by_value.setdefault(value, []).append(member)
            lines += [f"sflow {instance} {what} {format_port_list(members)} {value}"
                      for value, members in by_value.items()]
    return lines


# --- QoS (commands/qos.py) ---

def _qos_lines(cfg: SwitchConfig) -> list[str]:
    """Right after `time timezone`, as a K.15.06 config has `qos dscp-map 101110 priority 6`:
    the ToS mode, then the map by codepoint."""
    lines = [] if cfg.qos_tos == TOS_MODES[0] else [f"qos type-of-service {cfg.qos_tos}"]
    return lines + [f"qos dscp-map {codepoint} priority {cfg.dscp_map[codepoint]}"
                    for codepoint in sorted(cfg.dscp_map)]


# --- fault finder (commands/fault_finder.py) ---

def _fault_finder_lines(cfg: SwitchConfig) -> list[str]:
    """Among the global lines before the interface blocks, in the manual's order of kinds:
    `no fault-finder KIND` for one turned off, else the words away from their default."""
    lines = []
    for fault in FAULTS:
        setting = cfg.faults.get(fault)
        if setting is None:
            continue
        if not setting.enabled:
            lines.append(f"no fault-finder {fault}")
            continue
        words = [f"fault-finder {fault}"]
        if setting.sensitivity != FAULT_SENSITIVITIES[0]:
            words.append(f"sensitivity {setting.sensitivity}")
        if setting.action != FAULT_ACTIONS[0]:
            words.append(f"action {setting.action}")
        lines.append(" ".join(words))
    return lines


# --- port mirroring (commands/mirror.py) ---

def _mirror_lines(cfg: SwitchConfig) -> list[str]:
    """Before the interface blocks whose `monitor` lines name them: each session's
    destination (`mirror 1 port A24`), with its name when it has one."""
    return [f"mirror {session} port {m.port}" + (f" name {quote(m.name)}" if m.name else "")
            for session, m in sorted(cfg.mirrors.items())]


# --- OpenFlow (commands/openflow.py) ---

def _openflow_lines(cfg: SwitchConfig) -> list[str]:
    """After the SNMP lines, before the VLANs (a 15.x config): the `openflow` block with its
    controllers, each instance as a nested block, then the context's own switches."""
    openflow = cfg.openflow
    if openflow.is_default():
        return []
    body = []
    for ident in sorted(openflow.controllers):
        controller = openflow.controllers[ident]
        port = "" if controller.port is None else f" port {controller.port}"
        body.append(f"controller-id {ident} ip {controller.address}{port} "
                    f"controller-interface vlan {controller.vlan}")
    for name, instance in openflow.instances.items():
        body += _block(f"instance {quote(name)}", _openflow_instance_body(instance))
    if openflow.ip_control_table_mode:
        body.append("ip-control-table-mode")
    if openflow.enabled:
        body.append("enable")
    return _block("openflow", body)


def _openflow_instance_body(instance: OpenflowInstance) -> list[str]:
    body = [f"member vlan {vid}" for vid in sorted(instance.member_vlans)]
    body += [f"controller-id {ident}" for ident in instance.controllers]
    if instance.version is not None:
        body.append(f"version {instance.version}")
    if instance.interruption_mode != OPENFLOW_INTERRUPTION_MODES[0]:
        body.append(f"connection-interruption-mode {instance.interruption_mode}")
    if instance.max_backoff != OPENFLOW_BACKOFF_DEFAULT:
        body.append(f"max-backoff-interval {instance.max_backoff}")
    if instance.enabled:
        body.append("enable")
    return body


# --- LLDP settings (commands/lldp_settings.py) ---

def _lldp_lines(cfg: SwitchConfig) -> list[str]:
    """Before the VLAN blocks (a 15.x config: the snmp-server lines, then `no lldp run`, then
    `vlan 1`): the switch off, then each status with its ports as one list."""
    lines = [] if cfg.lldp_run else ["no lldp run"]
    for status in LLDP_ADMIN_STATUSES[1:]:
        ports = [port for port, chosen in cfg.lldp_admin.items() if chosen == status]
        if ports:
            lines.append(f"lldp admin-status {format_port_list(ports)} {status}")
    return lines


# --- PoE (commands/poe.py) ---

POE_PRE_STD_DETECT: Final = "power-over-ethernet pre-std-detect"
"""Right after the console lines, as in a captured 15.x config (`console baud-rate 9600`,
then this, then the time settings)."""


# --- system settings (commands/system_settings.py) ---

INCLUDE_CREDENTIALS: Final = "include-credentials"
"""Written among the global lines before the time settings (a 2530's config: logging,
include-credentials, ..., timesync)."""


def _file_transfer_lines(cfg: SwitchConfig) -> list[str]:
    """After the VLANs and spanning tree, before `no autorun` (real K.15/16.x configs): `ip
    ssh filetransfer`, then the TFTP roles turned off, client first."""
    lines = ["ip ssh filetransfer"] if cfg.ssh_filetransfer else []
    return lines + [f"no tftp {role}" for role, on in (("client", cfg.tftp_client),
                                                       ("server", cfg.tftp_server)) if not on]
def _credential_lines(cfg: SwitchConfig) -> list[str]:
    """`include-credentials` and right after it each account as its hash (the published
    configs: `include-credentials`, then `password manager user-name "admin" sha1 "..."`);
    without it the accounts are the bare `password manager` lines at the end."""
    if not cfg.include_credentials:
        return []
    return [INCLUDE_CREDENTIALS] + [
        f"password {level} user-name {quote(cfg.password_hashes[level][0])} "
        f"sha1 {quote(cfg.password_hashes[level][1])}"
        for level in PASSWORD_LEVELS if level in cfg.password_hashes]


def _system_settings_tail(cfg: SwitchConfig) -> list[str]:
    """After the VLANs and before the passwords, as every K.15/16.x config ends: `no
    autorun`, `no dhcp config-file-update`, `no dhcp image-file-update`."""
    lines = [] if cfg.autorun else ["no autorun"]
    return lines + [f"no dhcp {kind}" for kind in DHCP_UPDATES if kind not in cfg.dhcp_updates]


# --- web management (commands/web_management.py) ---

def _web_lines(cfg: SwitchConfig) -> list[str]:
    """After the time settings and before the `ip` lines (`no web-management` in a 15.x
    config; `web-management ssl` then `no web-management plaintext` in a 16.x one)."""
    return [("" if cfg.web[service] else "no ") + " ".join(("web-management", service)).strip()
            for service, default in WEB_DEFAULTS.items() if cfg.web[service] != default]


# --- ip dns (commands/dns.py) ---

def _dns_lines(cfg: SwitchConfig) -> list[str]:
    """After `ip default-gateway`, among the other global `ip` lines."""
    lines = [f"ip dns domain-name {quote(cfg.dns_domain)}"] if cfg.dns_domain else []
    return lines + [f"ip dns server-address priority {priority} {cfg.dns_servers[priority]}"
                    for priority in sorted(cfg.dns_servers)]


# --- DHCP relay (commands/dhcp_relay.py) ---

def _dhcp_relay_lines(cfg: SwitchConfig) -> list[str]:
    """Among the global `ip` lines; only what differs from the default (relay on, hop count
    incremented, no option 82)."""
    lines = [] if cfg.dhcp_relay else ["no dhcp-relay"]
    if not cfg.dhcp_relay_hop_count:
        lines.append("no dhcp-relay hop-count-increment")
    option = cfg.dhcp_relay_option82
    if option is not None:
        words = ["dhcp-relay option 82", option.policy]
        if option.validate:
            words.append("validate")
        if option.remote_id != OPTION82_REMOTE_IDS[0]:
            words.append(option.remote_id)
        lines.append(" ".join(words))
    return lines


# --- IP routing (commands/routing.py) ---

def _routing_lines(cfg: SwitchConfig) -> list[str]:
    """`ip route DEST MASK HOP [distance N]` by destination, then `ip routing`, among the
    global `ip` lines (real K.15 configs: after the time settings, before the SNMP lines)."""
    lines = [f"ip route {r.destination.network_address} {r.destination.netmask} {r.hop()}"
             + (f" distance {r.distance}" if r.distance != STATIC_DISTANCE else "")
             for r in cfg.static_routes]
    return lines + (["ip routing"] if cfg.ip_routing else [])


# --- OSPF (commands/ospf.py) ---

def _ospf_lines(cfg: SwitchConfig) -> list[str]:
    """The `router ospf` block after the SNMP lines and before the VLANs (a real K.16
    config: `router ospf`, `area backbone`, `enable`, `exit`)."""
    ospf = cfg.ospf
    if not ospf.present:
        return []
    body = [f"area {area}" for area in ospf.areas]
    body += [f"redistribute {source}" for source in ospf.redistribute]
    if ospf.enabled:
        body.append("enable")
    return _block("router ospf", body)


def _vlan_ospf_lines(vlan: Vlan) -> list[str]:
    """`ip ospf A.B.C.D area X` and the interface's settings by its address, after the
    address and helpers [the per-address form is inferred from K.15's multinetted VLANs]."""
    ospf, interface = vlan.ospf, vlan.ip.primary
    if ospf is None or interface is None:
        return []
    lines = [f"ip ospf {interface.ip} area {ospf.area}"]
    lines += [f"ip ospf {interface.ip} {name} {ospf.settings[name]}"
              for name in OSPF_DEFAULTS if name in ospf.settings]
    if ospf.passive:
        lines.append(f"ip ospf {interface.ip} passive")
    return lines


# --- access lists (commands/acl.py) ---

def _access_list_lines(cfg: SwitchConfig) -> list[str]:
    """Each list as a block (`ip access-list extended "101"`, its entries, `exit`), before
    the interface blocks that apply them; the name is always quoted, as K.15 writes it."""
    return [line for acl in cfg.access_lists.values() for line in access_list_block(acl)]


def access_list_block(acl: AccessList) -> list[str]:
    """One list as the config writes it (`show access-list config` prints the same)."""
    return _block(f"ip access-list {acl.kind} {quote(acl.name)}", acl.lines())


def _vlan_access_group_lines(cfg: SwitchConfig, vid: int) -> list[str]:
    """Right after the VLAN's address: inbound and outbound RACLs, then the VACL."""
    return [f"ip access-group {quote(cfg.vlan_access_groups[(vid, d)])} {d}"
            for d in APPLY_DIRECTIONS if (vid, d) in cfg.vlan_access_groups]


def _block(header: str, body: list[str]) -> list[str]:
    return [header, *(INDENT + line for line in body), INDENT + "exit"]


def _interface_body(interface: Interface) -> list[str]:
    """`disable` precedes `name`, the order real K.15 configs show."""
    body = _port_settings_before_name(interface)
    if interface.lacp is not None:  # trunks and LACP: `lacp` after `flow-control`
        body.append(f"lacp {interface.lacp}")
    body += [f"monitor all {direction} mirror {session}"  # port mirroring
             for session, direction in sorted(interface.monitor.items())]
    if interface.name is not None:
        body.append(f"name {quote(interface.name)}")
    return body + _port_settings_after_name(interface)


# --- port settings (commands/port_settings.py) ---

def _port_settings_before_name(interface: Interface) -> list[str]:
    """The interface context lists its statements in keyword order (`flow-control`, `lacp`,
    `name`, `poe-...` in a captured 15.x config): broadcast-limit, disable, flow-control."""
    body = [f"broadcast-limit {interface.broadcast_limit}"] if interface.broadcast_limit else []
    if interface.dhcp_snooping_trust:  # DHCP snooping
        body.append("dhcp-snooping trust")
    if not interface.enabled:
        body.append("disable")
    if interface.flow_control:
        body.append("flow-control")
    return body


def _port_settings_after_name(interface: Interface) -> list[str]:
    """`energy-efficient-ethernet` follows the name (a 15.x config: `name`, then it)."""
    body = ["energy-efficient-ethernet"] if interface.energy_efficient else []
    if interface.qos_priority is not None:  # QoS
        body.append(f"qos priority {interface.qos_priority}")
    if interface.speed_duplex != SPEED_DUPLEX_DEFAULT:
        body.append(f"speed-duplex {interface.speed_duplex}")
    if interface.unknown_vlans != UNKNOWN_VLANS_DEFAULT:
        body.append(f"unknown-vlans {interface.unknown_vlans}")
    if interface.access_group is not None:
        body.append(f"ip access-group {quote(interface.access_group)} in")
    return body


def _community_line(community: Community) -> str:
    words = ["snmp-server", "community", quote(community.name)]
    if community.access is not COMMUNITY_DEFAULT_ACCESS:
        words.append(community.access.value)
    if community.restricted is not COMMUNITY_DEFAULT_RESTRICTED:
        words.append(RESTRICTION_WORDS[community.restricted])
    return " ".join(words)


def _snmpv3_lines(v3: Snmpv3) -> list[str]:
    """Names only: the keys are in the security files, as the switch writes its config."""
    lines = [line for flag, line in ((v3.enabled, "snmpv3 enable"),
                                     (v3.restricted_access, "snmpv3 restricted-access"),
                                     (v3.only, "snmpv3 only")) if flag]
    lines += [f"snmpv3 user {quote(user)}" for user in v3.users]
    lines += [f"snmpv3 group {group.value} user {quote(user)} {SNMPV3_SEC_MODEL}"
              for user, group in v3.groups.items()]
    lines += [f"snmpv3 notify {quote(name)} tagvalue {quote(notify.tag)}"
              + (f" {NOTIFY_INFORM}" if notify.inform else "")
              for name, notify in v3.notifies.items()]
    lines += [_target_line(name, target) for name, target in v3.targets.items()]
    lines += [f"snmpv3 params {quote(name)} user {quote(params.user)} {SNMPV3_SEC_MODEL} "
              f"{SNMPV3_MESSAGE_PROCESSING} {params.level.value}"
              for name, params in v3.params.items()]
    return lines


def _target_line(name: str, target: Snmpv3Target) -> str:
    """Options in the manual's order, each only when it differs from the default."""
    words = ["snmpv3", "targetaddress", quote(name), "params", quote(target.params),
             str(target.address)]
    options = (("retries", target.retries, target.retries != TARGET_RETRIES),
               ("taglist", quote(" ".join(target.taglist)), bool(target.taglist)),
               ("timeout", target.timeout, target.timeout != TARGET_TIMEOUT),
               ("udp-port", target.udp_port, target.udp_port is not None))
    words += [f"{keyword} {value}" for keyword, value, written in options if written]
    return " ".join(words)


def _vlan_body(cfg: SwitchConfig, vlan: Vlan) -> list[str]:
    """The default VLAN also lists, as `no untagged`, every port that is not a member of it:
    the switch writes this whenever a port has left VLAN 1 (moved untagged to another VLAN,
    made tagged-only elsewhere, or removed outright)."""
    body = [f"name {quote(vlan.name)}"]
    if vlan.vid == DEFAULT_VLAN_ID:
        outside = set(cfg.ports()) - cfg.trunk_members() - vlan.untagged - vlan.tagged
        if outside:
            body.append(f"no untagged {format_port_list(outside)}")
    if vlan.untagged:
        body.append(f"untagged {format_port_list(vlan.untagged)}")
    if vlan.tagged:
        body.append(f"tagged {format_port_list(vlan.tagged)}")
    body += _ip_lines(vlan.ip)
    body += [f"ip helper-address {a}" for a in vlan.helper_addresses]  # DHCP relay
    body += _vlan_ospf_lines(vlan)
    body += _vlan_access_group_lines(cfg, vlan.vid)
    if vlan.igmp:
        body.append("ip igmp")
    if vlan.jumbo:
        body.append("jumbo")
    if vlan.qos_priority is not None:  # QoS
        body.append(f"qos priority {vlan.qos_priority}")
    if vlan.voice:
        body.append("voice")
    return body


def _ip_lines(ip: VlanIp) -> list[str]:
    """One `ip address` line per address, in the order entered (multinetting)."""
    if ip.mode is IpMode.MANUAL and ip.addresses:
        return [f"ip address {a.ip} {a.netmask}" for a in ip.addresses]
    if ip.mode in IP_MODE_WORDS:
        return [f"ip address {IP_MODE_WORDS[ip.mode]}"]
    return ["no ip address"]


# --- syslog and time (commands/logging.py, commands/clock.py, commands/sntp.py) ---

def _syslog_host_line(host: SyslogHost) -> str:
    """`logging 10.0.0.9` for UDP to 514; any other transport or port is written out."""
    if host.transport == "udp" and host.port == SYSLOG_TRANSPORTS["udp"]:
        return f"logging {host.address}"
    return f"logging {host.address} {host.transport} {host.port}"


def _syslog_time_lines(cfg: SwitchConfig) -> list[str]:
    """Before the daylight-time rule and `time timezone`, in the order K.15 configs carry
    them: syslog hosts, facility, severity, timesync, the SNTP mode, poll interval and
    servers."""
    lines = [_syslog_host_line(host) for host in cfg.syslog_hosts]
    if cfg.logging_facility != LOGGING_FACILITIES[0]:
        lines.append(f"logging facility {cfg.logging_facility}")
    if cfg.logging_severity != LOGGING_SEVERITIES[-1]:
        lines.append(f"logging severity {cfg.logging_severity}")
    if cfg.timesync is None:
        lines.append("no timesync")
    elif cfg.timesync != TIMESYNC_MODES[0]:
        lines.append(f"timesync {cfg.timesync}")
    if cfg.sntp_mode != SNTP_MODES[0]:
        lines.append(f"sntp {cfg.sntp_mode}")
    if cfg.sntp_poll != SNTP_POLL_DEFAULT:
        lines.append(f"sntp {cfg.sntp_poll}")
    for priority, server in sorted(cfg.sntp_servers.items()):
        version = "" if server.version == SNTP_VERSION_DEFAULT else f" {server.version}"
        lines.append(f"sntp server priority {priority} {server.address}{version}")
    return lines
# --- spanning tree (commands/spanning_tree.py) ---

def _spanning_tree_lines(cfg: SwitchConfig) -> list[str]:
    """After the VLANs (the corpus' K.15 configs put `spanning-tree` right after the last
    `vlan` block): the switch on, each per-port setting with its ports as one list, the
    region, the instances, the bridge priority, the protocol version."""
    stp = cfg.spanning_tree
    lines = ["spanning-tree"] if stp.enabled else []
    settings = [(port, stp.ports[port]) for port in sorted(stp.ports, key=port_sort_key)]

    def grouped(prefix: str, values: list[tuple[str, str | None]],
                head: str = "spanning-tree") -> list[str]:
        """One line per value, naming every port that has it (`spanning-tree A1-A4 ...`)."""
        ports: dict[str, list[str]] = {}
        for port, value in values:
            if value is not None:
                ports.setdefault(value, []).append(port)
        return [f"{prefix}{head} {format_port_list(members)} {value}"
                for value, members in ports.items()]

    def costs_and_priorities(head: str, settings: list[tuple[str, StpPort]]) -> list[str]:
        return grouped("", [(p, None if s.path_cost is None else f"path-cost {s.path_cost}")
                            for p, s in settings], head) + grouped(
            "", [(p, None if s.priority is None else f"priority {s.priority}")
                 for p, s in settings], head)

    for flag in STP_PORT_FLAGS:
        lines += grouped("", [(p, flag if flag in s.flags else None) for p, s in settings])
    lines += grouped("no ", [(p, None if s.auto_edge else "auto-edge-port")
                             for p, s in settings])
    lines += costs_and_priorities("spanning-tree", settings)
    if stp.config_name:
        lines.append(f"spanning-tree config-name {quote(stp.config_name)}")
    if stp.config_revision:
        lines.append(f"spanning-tree config-revision {stp.config_revision}")
    for instance in sorted(stp.instances):
        vids = " ".join(_ranges(sorted(stp.instances[instance])))
        lines.append(f"spanning-tree instance {instance} vlan {vids}")
        if instance in stp.instance_priority:
            lines.append(f"spanning-tree instance {instance} priority "
                         f"{stp.instance_priority[instance]}")
        own = stp.instance_ports.get(instance, {})
        lines += costs_and_priorities(
            f"spanning-tree instance {instance}",
            [(port, own[port]) for port in sorted(own, key=port_sort_key)])
    if stp.priority != STP_PRIORITY_DEFAULT:
        lines.append(f"spanning-tree priority {stp.priority}")
    if stp.version != STP_VERSIONS[0]:
        lines.append(f"spanning-tree force-version {stp.version}")
    return lines


def _ranges(vids: list[int]) -> list[str]:
    """`2 4-6 9`: consecutive VLAN ids as one range."""
    out: list[str] = []
    for vid in vids:
        if out and vid == _last(out) + 1:
            out[-1] = f"{out[-1].split('-')[0]}-{vid}"
        else:
            out.append(str(vid))
    return out


def _last(items: list[str]) -> int:
    return int(items[-1].rpartition("-")[2])


# --- access control and AAA (commands/access.py, ssh.py, aaa.py, radius.py, tacacs.py) ---

def _ssh_lines(ssh: SshSettings) -> list[str]:
    """Among the global `ip` lines, after the DNS ones [inferred]: only what differs from
    the default (on, port 22, timeout 120, every cipher and MAC)."""
    lines = [] if ssh.enabled else ["no ip ssh"]
    if ssh.port != SSH_PORT_DEFAULT:
        lines.append(f"ip ssh port {ssh.port}")
    if ssh.timeout != SSH_TIMEOUT_DEFAULT:
        lines.append(f"ip ssh timeout {ssh.timeout}")
    lines += [f"no ip ssh cipher {name}" for name in SSH_CIPHERS if name not in ssh.ciphers]
    lines += [f"no ip ssh mac {name}" for name in SSH_MACS if name not in ssh.macs]
    return lines


def _key(key: str) -> str:
    return f" key {quote(key)}" if key else ""


def _aaa_lines(aaa: AaaConfig) -> list[str]:
    """After the SNMP lines and before the VLANs [inferred]: the TACACS+ and RADIUS servers
    and their settings, then `aaa authentication` per access method and task, then
    accounting."""
    lines = [f"tacacs-server host {s.address}{_key(s.key)}" for s in aaa.tacacs_hosts]
    if aaa.tacacs_key:
        lines.append(f"tacacs-server key {quote(aaa.tacacs_key)}")
    if aaa.tacacs_timeout != TACACS_TIMEOUT[2]:
        lines.append(f"tacacs-server timeout {aaa.tacacs_timeout}")
    for server in aaa.radius_hosts:
        ports = "" if server.auth_port == RADIUS_AUTH_PORT else f" auth-port {server.auth_port}"
        if server.acct_port != RADIUS_ACCT_PORT:
            ports += f" acct-port {server.acct_port}"
        lines.append(f"radius-server host {server.address}{ports}{_key(server.key)}")
    if aaa.radius_key:
        lines.append(f"radius-server key {quote(aaa.radius_key)}")
    if aaa.radius_timeout != RADIUS_TIMEOUT[2]:
        lines.append(f"radius-server timeout {aaa.radius_timeout}")
    if aaa.radius_retransmit != RADIUS_RETRANSMIT[2]:
        lines.append(f"radius-server retransmit {aaa.radius_retransmit}")
    if aaa.radius_dead_time is not None:
        lines.append(f"radius-server dead-time {aaa.radius_dead_time}")
    if aaa.privilege_mode:
        lines.append("aaa authentication login privilege-mode")
    if aaa.num_attempts != NUM_ATTEMPTS[2]:
        lines.append(f"aaa authentication num-attempts {aaa.num_attempts}")
    for access in ACCESS_METHODS:  # `none`, the default secondary, unwritten (a 2620's
        for task in TASKS:          # `aaa authentication ssh login public-key`)
            if (access, task) in aaa.methods:
                primary, secondary = aaa.methods[(access, task)]
                tail = "" if secondary == "none" else f" {secondary}"
                lines.append(f"aaa authentication {access} {task} {primary}{tail}")
    lines += [f"aaa accounting {kind} {aaa.accounting[kind].mode} {aaa.accounting[kind].server}"
              for kind in ACCOUNTING_TYPES if kind in aaa.accounting]
    if aaa.accounting_update is not None:
        lines.append(f"aaa accounting update periodic {aaa.accounting_update}")
    return lines
