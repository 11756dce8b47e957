"""Any config the model can hold survives being written and read back unchanged: every
free-text setting is drawn from any text at all (quotes, control and non-ASCII characters
included), so a string the model takes and the config cannot write back fails here."""

from __future__ import annotations

import contextlib
import ipaddress
import re
from collections.abc import Callable
from importlib import import_module

from hypothesis import given, settings
from hypothesis import strategies as st

from emulator.cli.grammar import Where
from emulator.commands import FAMILIES
from emulator.config.aaa import Accounting, RadiusServer, TacacsServer
from emulator.config.access import AuthorizedManager
from emulator.config.model import (
    BANNER_KINDS,
    CDP_MODES,
    CONSOLE_SETTINGS,
    DAYLIGHT_RULES,
    DHCP_UPDATES,
    DISCARDS,
    LACP_MODES,
    LLDP_ADMIN_STATUSES,
    LOGGING_FACILITIES,
    LOGGING_SEVERITIES,
    LOOP_PROTECT_ACTIONS,
    OPTION82_POLICIES,
    OPTION82_REMOTE_IDS,
    PASSWORD_LEVELS,
    SNTP_MODES,
    SPEED_DUPLEX_MODES,
    STP_PORT_FLAGS,
    STP_VERSIONS,
    TIMESYNC_MODES,
    TOS_MODES,
    TRUNK_KINDS,
    UNKNOWN_VLANS_MODES,
    WEB_DEFAULTS,
    Community,
    CommunityAccess,
    ConfigError,
    FaultSetting,
    IpMode,
    Mirror,
    OpenflowController,
    Option82,
    Snmpv3Group,
    Snmpv3Level,
    Snmpv3Notify,
    Snmpv3Params,
    Snmpv3Target,
    SntpServer,
    StaticRoute,
    SwitchConfig,
    SyslogHost,
    TrapReceiver,
    VlanIp,
)
from emulator.config.render import render_config
from emulator.hardware import MODULE_TYPES, SLOTS, Inventory
from tests.emulator.replaying import replay_text

TEXT = st.text(
    alphabet=st.characters(min_codepoint=32, max_codepoint=126)
    | st.sampled_from(['"', "\t", "\n", "\r", "\x00", "\x1b", "\x7f", "é", "\u2028"]),
    max_size=40,
)
"""Mostly printable ASCII, with every kind of character the config cannot carry."""
VIDS = st.sampled_from([1, 2, 10, 20, 4094])
TRUNK_NAMES = st.sampled_from(["Trk1", "Trk2", "Trk60"])
# --- access lists (commands/acl.py) ---
ACL_NAMES = st.sampled_from(["NO-SSH", "101", "5", "lab acl"])
ACE_WORDS = st.sampled_from([
    "ip any any", "tcp host 10.0.0.1 10.0.0.2/32 eq 22 log", "udp any range 1000 2000 any neq dns",
    "icmp 10.0.0.0 0.0.0.255 any 8", "tcp any any established", "tcp any gt 1023 any lt 1024",
    "47 any any", "tcp any any eq 70000", "bogus any any"])
# --- IP routing (commands/routing.py) ---
OSPF_AREAS = st.sampled_from(["backbone", "0.0.0.1", "10.0.0.0"])
ROUTE_DESTINATIONS = [ipaddress.IPv4Network(n) for n in (
    "0.0.0.0/0", "10.9.0.0/16", "192.0.2.0/24", "10.0.0.0/24", "224.0.0.0/4", "10.1.1.1/32")]
VLAN_IPS = st.one_of(
    st.just(VlanIp()),
    st.just(VlanIp(IpMode.DHCP)),
    st.builds(
        lambda held: VlanIp(IpMode.MANUAL, [ipaddress.IPv4Interface(f"{addr}/{length}")
                                            for addr, length in held]),
        st.lists(st.tuples(st.ip_addresses(v=4), st.integers(1, 32)), min_size=1, max_size=3),
    ),
)
"""A VLAN's whole IP setting; several addresses are a multinetted VLAN (some overlap, and
are refused)."""
COMMUNITIES = st.builds(
    Community, st.sampled_from(["public", "private", "ro", "lab net"]) | TEXT,
    st.sampled_from(CommunityAccess), st.booleans(),
)
ADDRESSES = st.ip_addresses(v=4)
SNMPV3_NAMES = st.sampled_from(["mgr", "lab user"]) | TEXT
MODULES = st.dictionaries(st.sampled_from(SLOTS), st.sampled_from(sorted(MODULE_TYPES)),
                          max_size=4)

Change = Callable[[SwitchConfig], object]


def changes(ports: list[str]) -> st.SearchStrategy[Change]:
    """Changes as a CLI user would make them; some are refused, which must leave a valid config."""
    port = st.sampled_from(ports) if ports else st.just("A1")
    port_sets = st.lists(port, max_size=6)

    def in_vlan(vid: int, change: Change) -> Change:
        """As `vlan N <statement>` does, the VLAN is created first."""

        def apply(cfg: SwitchConfig) -> None:
            cfg.vlan_create(vid)
            change(cfg)

        return apply

    def add(vid: int, chosen: list[str], tagged: bool) -> Change:
        return in_vlan(vid, lambda c: c.vlan_add_ports(vid, chosen, tagged))

    def remove(vid: int, chosen: list[str], tagged: bool) -> Change:
        return in_vlan(vid, lambda c: c.vlan_remove_ports(vid, chosen, tagged))

    def name(vid: int, text: str) -> Change:
        return in_vlan(vid, lambda c: c.vlan_set_name(vid, text))

    def ip(vid: int, value: VlanIp) -> Change:
        return in_vlan(vid, lambda c: c.vlan_set_ip(vid, value))

    def community(value: Community) -> Change:
        return lambda c: c.community_set(value)

    return st.one_of(
        TEXT.map(lambda t: lambda c: c.set_hostname(t)),
        VIDS.map(lambda v: lambda c: c.vlan_delete(v)),
        st.builds(name, VIDS, TEXT | st.sampled_from(["VLAN2", "VLAN20", "DEFAULT_VLAN"])),
        st.builds(add, VIDS, port_sets, st.booleans()),
        st.builds(remove, VIDS, port_sets, st.booleans()),
        st.builds(ip, VIDS, VLAN_IPS),
        st.tuples(port, st.none() | TEXT).map(lambda a: lambda c: c.port_set_name(*a)),
        st.tuples(port, st.booleans()).map(lambda a: lambda c: c.port_set_enabled(*a)),
        st.tuples(port, st.sampled_from(SPEED_DUPLEX_MODES)).map(
            lambda a: lambda c: c.port_set_speed_duplex(*a)),
        st.tuples(port, st.booleans()).map(lambda a: lambda c: c.port_set_flow_control(*a)),
        st.tuples(port, st.integers(-1, 100)).map(
            lambda a: lambda c: c.port_set_broadcast_limit(*a)),
        st.tuples(port, st.sampled_from(UNKNOWN_VLANS_MODES)).map(
            lambda a: lambda c: c.port_set_unknown_vlans(*a)),
        st.tuples(port, st.booleans()).map(
            lambda a: lambda c: c.port_set_energy_efficient(*a)),
        st.booleans().map(lambda on: lambda c: c.set_lldp_run(on)),
        # --- QoS and GVRP (commands/qos.py, commands/gvrp.py) ---
        st.sampled_from(TOS_MODES).map(lambda m: lambda c: c.set_qos_tos(m)),
        st.tuples(st.sampled_from(["101110", "000000", "0101", "1x1110"]),
                  st.none() | st.integers(-1, 8)).map(lambda a: lambda c: c.dscp_map_set(*a)),
        st.tuples(port, st.none() | st.integers(-1, 8)).map(
            lambda a: lambda c: c.port_set_qos_priority(*a)),
        st.tuples(VIDS, st.none() | st.integers(0, 7)).map(
            lambda a: lambda c: c.vlan_set_qos_priority(*a)),
        st.booleans().map(lambda on: lambda c: c.set_gvrp(on)),
        # --- sFlow and DHCP snooping (commands/sflow.py, commands/dhcp_snooping.py) ---
        st.tuples(st.integers(0, 4), st.none() | ADDRESSES, st.integers(0, 7000)).map(
            lambda a: lambda c: c.sflow_set_destination(*a)),
        st.tuples(st.integers(1, 3), st.sampled_from(["sampling", "polling"]), port_sets,
                  st.integers(-1, 5000)).map(lambda a: lambda c: c.sflow_set_ports(*a)),
        st.booleans().map(lambda on: lambda c: c.set_dhcp_snooping(on)),
        st.tuples(st.lists(st.integers(0, 4095), max_size=4), st.booleans()).map(
            lambda a: lambda c: c.dhcp_snooping_set_vlans(*a)),
        st.tuples(ADDRESSES, st.booleans()).map(
            lambda a: lambda c: c.dhcp_snooping_server(*a)),
        st.booleans().map(lambda on: lambda c: c.set_dhcp_snooping_option82(on)),
        st.tuples(port, st.booleans()).map(
            lambda a: lambda c: c.port_set_dhcp_snooping_trust(*a)),
        # --- fault finder (commands/fault_finder.py) ---
        st.tuples(st.sampled_from(["all", "bad-cable", "duplex-mismatch-HDx", "x"]),
                  st.builds(FaultSetting, st.booleans(), st.sampled_from(["low", "medium"]),
                            st.sampled_from(["warn", "warn-and-disable"]))).map(
            lambda a: lambda c: c.fault_set(*a)),
        # --- port mirroring (commands/mirror.py) ---
        st.tuples(st.integers(0, 5), st.none() | st.builds(Mirror, port, TEXT)).map(
            lambda a: lambda c: c.mirror_set(*a)),
        st.tuples(port, st.integers(1, 4), st.none() | st.sampled_from(["both", "in", "x"])
                  ).map(lambda a: lambda c: c.port_set_monitor(*a)),
        # --- OpenFlow (commands/openflow.py) ---
        st.tuples(st.integers(0, 3), st.none() | st.builds(
            OpenflowController, ADDRESSES, st.integers(0, 5), st.none() | st.integers(0, 7000))
        ).map(lambda a: lambda c: c.openflow.set_controller(*a)),
        st.tuples(st.sampled_from(["br0", "lab"]), st.integers(1, 3), st.booleans()).map(
            lambda a: lambda c: c.openflow.instance_set_controller(*a)),
        st.tuples(st.sampled_from(["br0", "lab"]), VIDS, st.booleans()).map(
            lambda a: lambda c: c.openflow.instance_set_member(*a)),
        st.tuples(st.sampled_from(["br0"]), st.none() | st.sampled_from(["1.0", "1.3", "2"])
                  ).map(lambda a: lambda c: c.openflow.instance_set_version(*a)),
        st.booleans().map(lambda on: lambda c: c.openflow.set_enabled(on)),
        st.tuples(port_sets, st.sampled_from([*LLDP_ADMIN_STATUSES, "never"])).map(
            lambda a: lambda c: c.lldp_set_admin(*a)),
        COMMUNITIES.map(community),
        st.sampled_from(["public", "ro"]).map(lambda n: lambda c: c.community_remove(n)),
        TEXT.map(lambda t: lambda c: c.set_contact(t)),
        TEXT.map(lambda t: lambda c: c.set_location(t)),
        (st.none() | st.ip_addresses(v=4)).map(lambda a: lambda c: c.set_default_gateway(a)),
        st.sampled_from(PASSWORD_LEVELS).map(lambda lv: lambda c: c.password_set(lv)),
        st.booleans().map(lambda on: lambda c: c.set_redundancy(on)),
        st.booleans().map(lambda on: lambda c: c.set_nonstop_switching(on)),
        st.integers(0, 2147483647).map(lambda s: lambda c: c.set_rapid_switchover(s)),
        st.integers(10, 1_000_000).map(lambda s: lambda c: c.set_mac_age(s)),
        st.integers(-800, 900).map(lambda m: lambda c: c.set_timezone(m)),
        st.booleans().map(lambda on: lambda c: c.set_autorun(on)),
        st.booleans().map(lambda on: lambda c: c.set_cdp_run(on)),
        st.booleans().map(lambda on: lambda c: c.set_poe_pre_std_detect(on)),
        (st.sampled_from(CDP_MODES) | TEXT).map(lambda m: lambda c: c.set_cdp_mode(m)),
        VIDS.map(lambda v: lambda c: c.set_primary_vlan(v)),
        (st.none() | VIDS | st.integers(0, 5000)).map(
            lambda v: lambda c: c.set_management_vlan(v)),
        TEXT.map(lambda t: lambda c: c.set_dns_domain(t)),
        (st.lists(st.binary(min_size=1, max_size=1).map(bytes.hex), min_size=4, max_size=33)
         .map(":".join) | TEXT).map(lambda t: lambda c: c.set_snmpv3_engine_id(t)),
        st.tuples(st.sampled_from(sorted(WEB_DEFAULTS)), st.booleans()).map(
            lambda a: lambda c: c.set_web(*a)),
        st.tuples(st.sampled_from(BANNER_KINDS), TEXT).map(
            lambda a: lambda c: c.set_banner(*a)),
        st.tuples(st.integers(0, 4), st.none() | ADDRESSES).map(
            lambda a: lambda c: c.dns_server_set(*a)),
        st.sampled_from(sorted(CONSOLE_SETTINGS)).flatmap(
            lambda name: st.sampled_from(CONSOLE_SETTINGS[name]).map(
                lambda value: lambda c: c.set_console(name, value))),
        st.tuples(st.sampled_from(DHCP_UPDATES), st.booleans()).map(
            lambda a: lambda c: c.set_dhcp_update(*a)),
        st.booleans().map(lambda on: lambda c: c.set_include_credentials(on)),
        st.builds(TrapReceiver, ADDRESSES, TEXT, st.booleans()).map(
            lambda r: lambda c: c.trap_receiver_set(r)),
        st.booleans().map(lambda on: lambda c: c.set_auth_traps(on)),
        st.booleans().map(lambda on: lambda c: c.snmpv3_enable(on)),
        st.booleans().map(lambda on: lambda c: c.snmpv3_restrict(on)),
        st.booleans().map(lambda on: lambda c: c.snmpv3_only(on)),
        st.tuples(VIDS, st.booleans()).map(
            lambda a: lambda c: (c.vlan_create(a[0]), c.vlan_set_jumbo(*a))),
        st.tuples(VIDS, st.booleans()).map(
            lambda a: lambda c: (c.vlan_create(a[0]), c.vlan_set_igmp(*a))),
        st.tuples(VIDS, st.booleans()).map(
            lambda a: lambda c: (c.vlan_create(a[0]), c.vlan_set_voice(*a))),
        SNMPV3_NAMES.map(lambda n: lambda c: c.snmpv3_user_add(n)),
        st.tuples(SNMPV3_NAMES, st.sampled_from(Snmpv3Group)).map(
            lambda a: lambda c: c.snmpv3_group_set(*a)),
        st.tuples(SNMPV3_NAMES, st.builds(Snmpv3Params, SNMPV3_NAMES,
                                          st.sampled_from(Snmpv3Level))).map(
            lambda a: lambda c: c.snmpv3_params_set(*a)),
        st.tuples(SNMPV3_NAMES, st.builds(
            Snmpv3Target, ADDRESSES, SNMPV3_NAMES,
            st.lists(TEXT.filter(lambda t: t.split() == [t]), max_size=3).map(tuple))).map(
            lambda a: lambda c: c.snmpv3_target_set(*a)),
        st.tuples(SNMPV3_NAMES, st.builds(Snmpv3Notify, SNMPV3_NAMES, st.booleans())).map(
            lambda a: lambda c: c.snmpv3_notify_set(*a)),
        # syslog and time (issue 17)
        st.builds(SyslogHost, ADDRESSES, st.sampled_from(["udp", "tcp", "tls"]),
                  st.integers(1000, 50000) | st.sampled_from([514, 1470])).map(
            lambda h: lambda c: c.syslog_host_set(h)),
        (st.none() | ADDRESSES).map(lambda a: lambda c: c.syslog_host_remove(a)),
        (st.sampled_from(LOGGING_SEVERITIES) | TEXT).map(
            lambda v: lambda c: c.set_logging_severity(v)),
        (st.sampled_from(LOGGING_FACILITIES) | TEXT).map(
            lambda v: lambda c: c.set_logging_facility(v)),
        (st.none() | st.sampled_from(TIMESYNC_MODES) | TEXT).map(
            lambda v: lambda c: c.set_timesync(v)),
        (st.sampled_from(SNTP_MODES) | TEXT).map(lambda v: lambda c: c.set_sntp_mode(v)),
        st.integers(0, 1000).map(lambda v: lambda c: c.set_sntp_poll(v)),
        st.tuples(st.integers(0, 4), st.none() | st.builds(SntpServer, ADDRESSES,
                                                           st.integers(0, 8))).map(
            lambda a: lambda c: c.sntp_server_set(*a)),
        (st.sampled_from(DAYLIGHT_RULES) | TEXT).map(lambda v: lambda c: c.set_daylight_rule(v)),
        # --- trunks and LACP (commands/trunk.py) ---
        st.tuples(port_sets, TRUNK_NAMES, st.sampled_from(TRUNK_KINDS) | TEXT).map(
            lambda a: lambda c: c.trunk_add(*a)),
        port_sets.map(lambda chosen: lambda c: c.trunk_remove(chosen)),
        st.builds(add, VIDS, st.lists(TRUNK_NAMES, max_size=2), st.booleans()),
        st.tuples(port, st.none() | st.sampled_from(LACP_MODES)).map(
            lambda a: lambda c: c.port_set_lacp(*a)),
        # --- loop protection (commands/loop_protect.py) ---
        st.tuples(port_sets, st.none() | st.sampled_from(LOOP_PROTECT_ACTIONS) | TEXT).map(
            lambda a: lambda c: c.loop_protect_set(*a)),
        st.integers(0, 11).map(lambda s: lambda c: c.set_loop_protect_interval(s)),
        st.integers(-1, 604801).map(lambda s: lambda c: c.set_loop_protect_disable_timer(s)),
        st.booleans().map(lambda on: lambda c: c.set_loop_protect_trap(on)),
        # --- spanning tree ---
        st.booleans().map(lambda on: lambda c: c.spanning_tree.set_enabled(on)),
        st.sampled_from(STP_VERSIONS).map(lambda v: lambda c: c.spanning_tree.set_version(v)),
        st.integers(-1, 16).map(lambda n: lambda c: c.spanning_tree.set_priority(n)),
        (st.just("") | TEXT).map(lambda t: lambda c: c.spanning_tree.set_config_name(t)),
        st.integers(0, 70000).map(lambda n: lambda c: c.spanning_tree.set_config_revision(n)),
        st.tuples(st.integers(0, 17), st.lists(st.integers(1, 4094), max_size=5)).map(
            lambda a: lambda c: c.spanning_tree.instance_add_vlans(*a)),
        st.tuples(st.integers(1, 16), st.none() | st.lists(VIDS, max_size=3)).map(
            lambda a: lambda c: c.spanning_tree.instance_remove(*a)),
        st.tuples(st.integers(0, 16), st.integers(0, 15)).map(
            lambda a: lambda c: c.spanning_tree.set_priority(a[1], a[0])),
        st.tuples(port, st.sampled_from(("auto-edge-port", *STP_PORT_FLAGS)), st.booleans()).map(
            lambda a: lambda c: c.spanning_tree_ports([a[0]]).port_set_flag(*a)),
        st.tuples(port, st.none() | st.integers(0, 200_000_001)).map(
            lambda a: lambda c: c.spanning_tree_ports([a[0]]).port_set_path_cost(*a)),
        st.tuples(port, st.none() | st.integers(0, 16)).map(
            lambda a: lambda c: c.spanning_tree_ports([a[0]]).port_set_priority(*a)),
        # --- access lists (commands/acl.py) ---
        st.tuples(ACL_NAMES, st.booleans(), ACE_WORDS, st.none() | st.integers(-1, 100)).map(
            lambda a: lambda c: c.acl_add(a[0], "extended", a[1], a[2].split(), a[3])),
        st.tuples(ACL_NAMES, TEXT, st.none() | st.integers(1, 100)).map(
            lambda a: lambda c: c.acl_remark(a[0], "extended", *a[1:])),
        st.tuples(st.sampled_from(["5", "std"]), st.booleans(),
                  st.sampled_from(["any", "host 10.0.0.1", "10.0.0.0/8 log"])).map(
            lambda a: lambda c: c.acl_add(a[0], "standard", a[1], a[2].split())),
        st.tuples(VIDS, st.sampled_from(["in", "out", "vlan"]), ACL_NAMES | TEXT).map(
            lambda a: lambda c: (c.vlan_create(a[0]), c.acl_apply_vlan(*a))),
        st.tuples(port, st.none() | ACL_NAMES).map(lambda a: lambda c: c.acl_apply_port(*a)),
        ACL_NAMES.map(lambda n: lambda c: c.acl_delete(n)),
        # --- DHCP relay (commands/dhcp_relay.py) ---
        st.tuples(VIDS, ADDRESSES).map(lambda a: lambda c: c.vlan_helper_add(*a)),
        st.tuples(VIDS, ADDRESSES).map(lambda a: lambda c: c.vlan_helper_remove(*a)),
        st.booleans().map(lambda on: lambda c: c.set_dhcp_relay(on)),
        st.booleans().map(lambda on: lambda c: c.set_dhcp_relay_hop_count(on)),
        (st.none() | st.builds(Option82, st.sampled_from(OPTION82_POLICIES), st.booleans(),
                               st.sampled_from(OPTION82_REMOTE_IDS))).map(
            lambda o: lambda c: c.set_dhcp_relay_option82(o)),
        # --- IP routing (commands/routing.py) ---
        st.booleans().map(lambda on: lambda c: c.set_ip_routing(on)),
        st.builds(StaticRoute, st.sampled_from(ROUTE_DESTINATIONS),
                  st.none() | ADDRESSES, st.none() | VIDS,
                  st.none() | st.sampled_from(DISCARDS), st.integers(0, 256)).filter(
            lambda r: sum(x is not None for x in (r.gateway, r.vlan, r.discard)) == 1).map(
            lambda r: lambda c: c.static_route_add(r)),
        st.tuples(st.sampled_from(ROUTE_DESTINATIONS), st.none() | st.just("blackhole")).map(
            lambda a: lambda c: c.static_route_remove(*a)),
        # --- OSPF (commands/ospf.py) ---
        st.booleans().map(lambda on: lambda c: c.ospf_set_enabled(on)),
        OSPF_AREAS.map(lambda a: lambda c: c.ospf_area_add(a)),
        OSPF_AREAS.map(lambda a: lambda c: c.ospf_area_remove(a)),
        st.tuples(st.sampled_from(["connected", "static", "rip"]), st.booleans()).map(
            lambda a: lambda c: c.ospf_redistribute(*a)),
        st.tuples(VIDS, st.none() | OSPF_AREAS).map(lambda a: lambda c: c.vlan_ospf_area(*a)),
        st.tuples(VIDS, st.sampled_from(["cost", "hello-interval", "dead-interval", "x"]),
                  st.none() | st.integers(0, 70000)).map(
            lambda a: lambda c: c.vlan_ospf_setting(*a)),
        st.tuples(VIDS, st.booleans()).map(lambda a: lambda c: c.vlan_ospf_passive(*a)),
        st.just(lambda c: c.ospf_remove()),
    )


@settings(max_examples=300, deadline=None)
@given(st.data(), MODULES)
def test_render_parse_render_is_stable(data: st.DataObject, modules: dict[str, str]) -> None:
    inventory = Inventory(modules=modules)
    cfg = SwitchConfig.factory(inventory)
    for change in data.draw(st.lists(changes(inventory.ports()), max_size=40)):
        with contextlib.suppress(ConfigError):
            change(cfg)
    text = render_config(cfg)
    result = replay_text(text, inventory)
    assert result.errors == []
    assert render_config(result.config) == text
    assert result.config == cfg


def _config_statements() -> set[str]:
    """The keywords every config-level grammar row starts with (`snmp-server community`)."""
    heads: set[str] = set()
    for family in FAMILIES:
        for row in import_module(f"emulator.commands.{family}").ROWS:
            led = re.findall(r"^(?:[a-z][\w-]*\s*)+", row.syntax)
            if row.where is not Where.EXEC and row.run is not None and led:  # not `[<seq>] ...`
                words = led[0].split()
                heads.add(" ".join(words[:2]))
    return heads


UNWRITTEN = {"redundancy active-management", "end", "enable", "redundancy management-module",
             "access-list", "crypto key", "disable"}
"""Config rows no config writes: actions (the next boot's active module, leaving the config
context) and the defaults the config leaves out (a port enabled, redundancy on); the
numbered `access-list N ...` form, which the config writes as its `ip access-list` block;
`crypto key generate|zeroize ssh`, which change the host keys, not the config; `disable` in
`router ospf`, written as the absence of `enable`."""


def test_every_config_statement_family_round_trips_through_the_grammar() -> None:
    """A config with every setting away from its default writes a line for each statement
    the grammar has, and the replay of that text through the grammar gives the same model."""
    inventory = Inventory(modules={"A": "J8702A", "B": "J8702A"})
    cfg = SwitchConfig.factory(inventory)
    cfg.set_hostname("core 1")
    cfg.set_timezone(60)
    cfg.set_autorun(False)
    cfg.set_cdp_run(False)
    cfg.set_poe_pre_std_detect(True)
    cfg.set_cdp_mode("pass-through")
    cfg.set_dns_domain("lab.example")
    cfg.set_snmpv3_engine_id("00:00:00:0b:00:00:00:16:35:22:a7:40")
    for service, default in WEB_DEFAULTS.items():
        cfg.set_web(service, not default)
    cfg.set_banner("motd", r"\nAuthorized access only\n")
    cfg.set_banner("exec", "Welcome")
    cfg.dns_server_set(2, ipaddress.IPv4Address("10.0.0.53"))
    for setting, values in CONSOLE_SETTINGS.items():
        cfg.set_console(setting, values[-1])
    cfg.set_dhcp_update("config-file-update", False)
    cfg.set_dhcp_update("image-file-update", False)
    cfg.set_include_credentials(True)
    cfg.set_redundancy(False)
    cfg.set_nonstop_switching(True)
    cfg.set_rapid_switchover(30)
    cfg.set_default_gateway(ipaddress.IPv4Address("10.0.0.254"))
    cfg.set_mac_age(600)
    cfg.port_set_name("A1", "uplink")
    cfg.port_set_enabled("A2", False)
    cfg.port_set_speed_duplex("A1", "auto-1000")
    cfg.port_set_flow_control("A1", True)
    cfg.port_set_broadcast_limit("A1", 10)
    cfg.port_set_unknown_vlans("A1", "disable")
    cfg.port_set_energy_efficient("A1", True)
    cfg.set_lldp_run(False)
    cfg.lldp_set_admin(["A1", "A2"], "rxonly")
    cfg.set_qos_tos("diff-services")
    cfg.dscp_map_set("101110", 6)
    cfg.port_set_qos_priority("A1", 5)
    cfg.set_gvrp(True)
    cfg.sflow_set_destination(2, ipaddress.IPv4Address("10.0.0.12"), 6400)
    cfg.sflow_set_ports(2, "sampling", ["A1", "A2"], 500)
    cfg.sflow_set_ports(2, "polling", ["A3"], 20)
    cfg.set_dhcp_snooping(True)
    cfg.dhcp_snooping_set_vlans([1, 2, 3, 10], True)
    cfg.dhcp_snooping_server(ipaddress.IPv4Address("10.0.0.67"), True)
    cfg.set_dhcp_snooping_option82(False)
    cfg.port_set_dhcp_snooping_trust("A4", True)
    cfg.openflow.set_controller(1, OpenflowController(ipaddress.IPv4Address("10.0.0.30"), 10,
                                                      6653))
    cfg.openflow.instance_set_member("br0", 10, True)
    cfg.openflow.instance_set_controller("br0", 1, True)
    cfg.openflow.instance_set_version("br0", "1.3")
    cfg.openflow.instance_set_interruption_mode("br0", "fail-standalone")
    cfg.openflow.instance_set_max_backoff("br0", 5)
    cfg.openflow.instance_set_enabled("br0", True)
    cfg.openflow.set_ip_control_table_mode(True)
    cfg.openflow.set_enabled(True)
    cfg.mirror_set(1, Mirror("B24", "ids"))
    cfg.fault_set("bad-cable", FaultSetting(True, "high", "warn-and-disable"))
    cfg.port_set_monitor("A1", 1, "both")
    cfg.community_set(Community("ops", CommunityAccess.OPERATOR, restricted=True))
    cfg.set_contact("noc")
    cfg.set_location("rack 4")
    cfg.trap_receiver_set(TrapReceiver(ipaddress.IPv4Address("10.0.0.9"), "tr", inform=True,
                                       trap_level="not-info"))
    cfg.set_auth_traps(True)
    cfg.snmpv3_enable(True)
    cfg.snmpv3_restrict(True)
    cfg.snmpv3_only(True)
    cfg.snmpv3_user_add("mon")
    cfg.snmpv3_group_set("mon", Snmpv3Group.MANAGER_PRIV)
    cfg.snmpv3_params_set("p", Snmpv3Params("mon", Snmpv3Level.PRIV))
    cfg.snmpv3_target_set("t", Snmpv3Target(ipaddress.IPv4Address("10.0.0.5"), "p", ("a",),
                                            retries=5, timeout=900, udp_port=1162))
    cfg.snmpv3_notify_set("n", Snmpv3Notify("a", True))
    cfg.vlan_create(10)
    cfg.vlan_set_name(10, "users")
    cfg.vlan_add_ports(10, ["A3"], tagged=True)
    cfg.vlan_set_jumbo(10, True)
    cfg.vlan_set_igmp(10, True)
    cfg.vlan_set_voice(10, True)
    cfg.vlan_set_qos_priority(10, 3)
    cfg.vlan_set_ip(10, VlanIp(IpMode.MANUAL, [ipaddress.IPv4Interface("10.0.0.1/24")]))
    cfg.set_primary_vlan(10)
    cfg.set_management_vlan(10)
    cfg.password_set("manager")
    # syslog and time (issue 17)
    cfg.syslog_host_set(SyslogHost(ipaddress.IPv4Address("10.0.0.7"), "tcp", 1470))
    cfg.set_logging_severity("warning")
    cfg.set_logging_facility("local3")
    cfg.set_timesync("sntp")
    cfg.set_sntp_mode("unicast")
    cfg.set_sntp_poll(60)
    cfg.sntp_server_set(1, SntpServer(ipaddress.IPv4Address("10.0.0.8"), 4))
    cfg.set_daylight_rule("western-europe")
    # --- trunks and LACP (commands/trunk.py) ---
    cfg.trunk_add(["A5", "A6"], "Trk1", "lacp")
    cfg.vlan_add_ports(10, ["Trk1"], tagged=True)
    cfg.port_set_lacp("A7", "passive")
    # --- loop protection (commands/loop_protect.py) ---
    cfg.loop_protect_set(["A8", "A9"], "send-disable")
    cfg.loop_protect_set(["A10"], "no-disable")
    cfg.set_loop_protect_interval(3)
    cfg.set_loop_protect_disable_timer(60)
    cfg.set_loop_protect_trap(True)
    # --- spanning tree ---
    stp = cfg.spanning_tree_ports(["A1", "A2"])
    stp.set_enabled(True)
    stp.set_version("stp-compatible")
    stp.set_priority(2)
    stp.set_config_name("region")
    stp.set_config_revision(4)
    stp.instance_add_vlans(1, [10, 11])
    stp.set_priority(3, 1)
    for flag in ("auto-edge-port", *STP_PORT_FLAGS):
        stp.port_set_flag("A1", flag, flag != "auto-edge-port")
    stp.port_set_path_cost("A2", 100)
    stp.port_set_priority("A2", 1)
    # --- access lists (commands/acl.py) ---
    cfg.acl_add("NO-SSH", "extended", False,
                ["tcp", "host", "10.0.0.1", "any", "eq", "22", "log"])
    cfg.acl_remark("NO-SSH", "extended", "lab", 10)
    cfg.acl_add("5", "standard", True, ["10.1.0.0/16"])
    cfg.acl_apply_vlan(10, "in", "NO-SSH")
    cfg.acl_apply_vlan(10, "vlan", "5")
    cfg.acl_apply_port("A1", "NO-SSH")
    # --- DHCP relay (commands/dhcp_relay.py) ---
    cfg.vlan_helper_add(10, ipaddress.IPv4Address("10.0.0.67"))
    cfg.set_dhcp_relay(False)
    cfg.set_dhcp_relay_hop_count(False)
    cfg.set_dhcp_relay_option82(Option82("append", validate=True, remote_id="ip"))
    # --- file transfer (commands/file_transfer.py) ---
    cfg.set_ssh_filetransfer(True)
    # --- access control and AAA (commands/access.py, ssh.py, aaa.py, radius.py, tacacs.py) ---
    cfg.authorized_manager_set(AuthorizedManager(ipaddress.IPv4Address("10.0.0.0"),
                                                 ipaddress.IPv4Address("255.255.255.0")))
    cfg.authorized_manager_set(AuthorizedManager(ipaddress.IPv4Address("10.1.0.9"),
                                                 access="operator", method="snmp"))
    cfg.set_telnet_server(False)
    cfg.ssh.enabled, cfg.ssh.port, cfg.ssh.timeout = False, 2222, 60
    cfg.ssh_cipher_set("cipher", "3des-cbc", False)
    cfg.ssh_cipher_set("mac", "hmac-md5", False)
    aaa = cfg.aaa
    aaa.radius_host_set(RadiusServer(ipaddress.IPv4Address("10.0.0.20"), 1645, 1646, "s3"))
    aaa.radius_host_set(RadiusServer(ipaddress.IPv4Address("10.0.0.21")))
    aaa.radius_key, aaa.radius_timeout, aaa.radius_retransmit = "global", 2, 1
    aaa.radius_dead_time = 10
    aaa.tacacs_host_set(TacacsServer(ipaddress.IPv4Address("10.0.0.30"), "t"))
    aaa.tacacs_key, aaa.tacacs_timeout = "tk", 9
    aaa.set_method("ssh", "login", "radius", "local")
    aaa.set_method("telnet", "enable", "tacacs", "none")
    aaa.privilege_mode, aaa.num_attempts = True, 5
    aaa.accounting["exec"] = Accounting("start-stop", "radius")
    aaa.accounting_update = 15
    # --- IP routing (commands/routing.py) ---
    cfg.set_ip_routing(True)
    cfg.static_route_add(StaticRoute(ipaddress.IPv4Network("10.9.0.0/16"),
                                     ipaddress.IPv4Address("10.0.0.254"), distance=5))
    cfg.static_route_add(StaticRoute(ipaddress.IPv4Network("0.0.0.0/0"), vlan=10))
    cfg.static_route_add(StaticRoute(ipaddress.IPv4Network("192.0.2.0/24"), discard="reject"))
    # --- OSPF (commands/ospf.py) ---
    cfg.ospf_area_add("backbone")
    cfg.ospf_redistribute("static", True)
    cfg.ospf_set_enabled(True)
    cfg.vlan_ospf_area(10, "backbone")
    cfg.vlan_ospf_setting(10, "cost", 5)
    cfg.vlan_ospf_passive(10, True)
    text = render_config(cfg)
    statements = [line.strip().removeprefix("no ") for line in text.splitlines()]  # `no autorun`
    written = {" ".join(line.split()[:2]) for line in statements} | {
        line.split()[0] for line in statements}
    # `snmp-server contact "C" location "L"`: K.15 writes both settings on the contact's line.
    written |= {"snmp-server location" for line in statements
                if line.startswith("snmp-server contact ") and " location " in line}
    assert _config_statements() - UNWRITTEN <= written
    result = replay_text(text, inventory)
    assert result.errors == []
    assert result.config == cfg
