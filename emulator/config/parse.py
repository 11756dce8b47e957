"""Config text -> SwitchConfig, the way the switch reads its startup config at boot.

Every statement goes through the SwitchConfig mutation methods, so a file obeys exactly the
rules the CLI does. A line the switch cannot accept never aborts the load: it is reported with
the CLI's error text and skipped, and the switch comes up with everything else - the behaviour
of a real K.15 box booting a hand-edited or foreign config.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Final, TypeVar

from emulator.config.model import (
    INVALID_INPUT,
    TARGET_RETRIES,
    TARGET_TIMEOUT,
    Community,
    CommunityAccess,
    ConfigError,
    IpMode,
    Snmpv3Group,
    Snmpv3Level,
    Snmpv3Notify,
    Snmpv3Params,
    Snmpv3Target,
    SwitchConfig,
    TrapReceiver,
    VlanIp,
)
from emulator.config.render import (
    COMMUNITY_DEFAULT_ACCESS,
    COMMUNITY_DEFAULT_RESTRICTED,
    IP_MODE_WORDS,
    RESTRICTION_WORDS,
    SNMPV3_MESSAGE_PROCESSING,
    SNMPV3_SEC_MODEL,
)
from emulator.config.text import tokenize
from emulator.hardware import SLOTS, Inventory, PortListError, module_type_for_config
from emulator.hardware import parse_port_list as _parse_port_list

INCOMPLETE_INPUT: Final = "Incomplete input: {token}"
MODULE_ABSENT: Final = "Module {slot} is not present."
MODULE_MISMATCH: Final = "Module {slot} type mismatch: {configured} configured, {installed} found."

MAX_DIGITS: Final = 10
"""Every number in a config is below 2**32."""

_COMMENT: Final = ";"

_ACCESS_WORDS: Final = {access.value: access for access in CommunityAccess}
_RESTRICTION_BY_WORD: Final = {word: flag for flag, word in RESTRICTION_WORDS.items()}
_IP_MODE_BY_WORD: Final = {word: mode for mode, word in IP_MODE_WORDS.items()}
_SNMPV3_GROUPS: Final = {group.value.lower(): group for group in Snmpv3Group}
_PASSWORD_OPTIONS: Final = ("user-name", "plaintext")
_SNMPV3_LEVELS: Final = {level.value: level for level in Snmpv3Level}
_NOTIFY_TYPES: Final = {"inform": True, "trap": False}
_TARGET_OPTIONS: Final = {"retries": (0, 255), "timeout": (0, 2**31 - 1),
                          "udp-port": (1, 65535)}
"""`snmpv3 targetaddress` options with a number, and the range the CLI takes."""


@dataclass
class LineError:
    lineno: int
    line: str
    message: str


@dataclass
class ParseResult:
    config: SwitchConfig
    errors: list[LineError] = field(default_factory=list)
    credentials: list[tuple[str, str, str]] = field(default_factory=list)
    """(level, user, secret) from `password ... plaintext` lines, for the security files."""


def parse_config(text: str, inventory: Inventory) -> ParseResult:
    """The config the switch runs after booting `text` on this hardware.

    The hardware wins over the file: modules come from the inventory, and `module` lines that
    disagree with it are reported rather than obeyed.
    """
    loader = _Loader(SwitchConfig.blank(inventory), inventory)
    for lineno, line in enumerate(text.splitlines(), start=1):
        try:
            loader.feed(line)
        except ConfigError as exc:
            loader.result.errors.append(LineError(lineno, line, str(exc)))
    return loader.result


H = TypeVar("H")
TopAction = Callable[["_Loader", list[str]], None]
VlanAction = Callable[[SwitchConfig, int, list[str]], None]
InterfaceAction = Callable[[SwitchConfig, list[str], list[str]], None]
BlockAction = Callable[[list[str]], None]


@dataclass
class _Block:
    """An open `vlan`/`interface` context; `apply` is None when its header was refused, so
    the body is skipped quietly instead of repeating one mistake once per line."""

    table: Mapping[tuple[str, ...], object]
    apply: BlockAction | None


class _Loader:
    def __init__(self, config: SwitchConfig, inventory: Inventory) -> None:
        self.inventory = inventory
        self.result = ParseResult(config)
        self.block: _Block | None = None

    @property
    def config(self) -> SwitchConfig:
        return self.result.config

    def feed(self, line: str) -> None:
        """Body statements go to the open context; anything else is a global command, which
        (as in the CLI) is accepted inside a context without leaving it."""
        if line.lstrip().startswith(_COMMENT):
            return
        words = tokenize(line)
        if not words:
            return
        if words[0].lower() == "exit":
            self.block = None
            return
        if self.block is not None and _lookup(self.block.table, words) is not None:
            if self.block.apply is not None:
                self.block.apply(words)
            return
        found = _lookup(_TOP, words)
        if found is None:
            raise _no_match(self.block.table if self.block else _TOP, words)
        action, args = found
        action(self, args)

    # --- global statements -----------------------------------------------------------------

    def hostname(self, args: list[str]) -> None:
        (name,) = _exactly(args, 1, "hostname")
        self.config.set_hostname(name)

    def module(self, args: list[str]) -> None:
        slot, keyword, product = _exactly(args, 3, "module")
        if slot.upper() not in SLOTS:
            raise ConfigError(INVALID_INPUT.format(token=slot))
        if keyword.lower() != "type":
            raise ConfigError(INVALID_INPUT.format(token=keyword))
        module = module_type_for_config(product)
        if module is None:
            raise ConfigError(INVALID_INPUT.format(token=product))
        installed = self.inventory.modules.get(slot.upper())
        if installed is None:
            raise ConfigError(MODULE_ABSENT.format(slot=slot.upper()))
        if installed != module.product:
            raise ConfigError(
                MODULE_MISMATCH.format(
                    slot=slot.upper(), configured=module.config_name, installed=installed.lower()
                )
            )

    def default_gateway(self, args: list[str]) -> None:
        (addr,) = _exactly(args, 1, "default-gateway")
        self.config.set_default_gateway(_address(addr))

    def mac_age(self, args: list[str]) -> None:
        (seconds,) = _exactly(args, 1, "mac-age-time")
        if not _decimal(seconds):
            raise ConfigError(INVALID_INPUT.format(token=seconds))
        self.config.set_mac_age(int(seconds))

    def redundancy(self, args: list[str]) -> None:
        _exactly(args, 0, "management-module")
        self.config.set_redundancy(True)

    def no_redundancy(self, args: list[str]) -> None:
        _exactly(args, 0, "management-module")
        self.config.set_redundancy(False)

    def vlan(self, args: list[str]) -> None:
        """`vlan N` opens a context; `vlan N <statement>` applies one statement to it."""
        (token, *rest) = _at_least(args, 1, "vlan")
        self.block = None if rest else _Block(_VLAN, None)
        if not _decimal(token):
            raise ConfigError(INVALID_INPUT.format(token=token))
        vid = self.config.vlan_create(int(token)).vid
        self._open(_VLAN, lambda words: _apply(_VLAN, words, self.config, vid), rest)

    def interface(self, args: list[str]) -> None:
        """`interface A1-A4` opens a context for every port in the list, as the CLI does."""
        (token, *rest) = _at_least(args, 1, "interface")
        self.block = None if rest else _Block(_INTERFACE, None)
        ports = self.config.check_ports(_port_list(token))
        self._open(_INTERFACE, lambda words: _apply(_INTERFACE, words, self.config, ports), rest)

    def _open(self, table: Mapping[tuple[str, ...], object], apply: BlockAction,
              rest: list[str]) -> None:
        if rest:
            if _lookup(table, rest) is None:
                raise _no_match(table, rest)
            apply(rest)
        else:
            self.block = _Block(table, apply)

    def snmp_community(self, args: list[str]) -> None:
        """Words left out are the defaults the renderer leaves out, so text round-trips."""
        (name, *options) = _at_least(args, 1, "community")
        access, restricted = COMMUNITY_DEFAULT_ACCESS, COMMUNITY_DEFAULT_RESTRICTED
        for word in options:
            if word.lower() in _ACCESS_WORDS:
                access = _ACCESS_WORDS[word.lower()]
            elif word.lower() in _RESTRICTION_BY_WORD:
                restricted = _RESTRICTION_BY_WORD[word.lower()]
            else:
                raise ConfigError(INVALID_INPUT.format(token=word))
        self.config.community_set(Community(name, access, restricted))

    def no_snmp_community(self, args: list[str]) -> None:
        (name,) = _exactly(args, 1, "community")
        self.config.community_remove(name)

    def snmp_host(self, args: list[str]) -> None:
        """`snmp-server host ADDR community NAME [inform]` (the K.15 form)."""
        (addr, keyword, name, *rest) = _at_least(args, 3, "host")
        if keyword.lower() != "community":
            raise ConfigError(INVALID_INPUT.format(token=keyword))
        if rest and [w.lower() for w in rest] != ["inform"]:
            raise ConfigError(INVALID_INPUT.format(token=rest[0]))
        self.config.trap_receiver_set(TrapReceiver(_address(addr), name, inform=bool(rest)))

    def no_snmp_host(self, args: list[str]) -> None:
        (addr, *_) = _at_least(args, 1, "host")
        self.config.trap_receiver_remove(_address(addr))

    def snmp_auth_traps(self, args: list[str]) -> None:
        _exactly(args, 0, "authentication")
        self.config.set_auth_traps(True)

    def snmp_contact(self, args: list[str]) -> None:
        (text,) = _exactly(args, 1, "contact")
        self.config.set_contact(text)

    def snmp_location(self, args: list[str]) -> None:
        (text,) = _exactly(args, 1, "location")
        self.config.set_location(text)

    def snmpv3_enable(self, args: list[str]) -> None:
        _exactly(args, 0, "enable")
        self.config.snmpv3_enable(True)

    def snmpv3_restricted(self, args: list[str]) -> None:
        _exactly(args, 0, "restricted-access")
        self.config.snmpv3_restrict(True)

    def snmpv3_only(self, args: list[str]) -> None:
        _exactly(args, 0, "only")
        self.config.snmpv3_only(True)

    def snmpv3_user(self, args: list[str]) -> None:
        """`snmpv3 user "NAME"`: the keys are the security files' business."""
        (name,) = _exactly(args, 1, "user")
        self.config.snmpv3_user_add(name)

    def snmpv3_group(self, args: list[str]) -> None:
        """`snmpv3 group GROUP user "NAME" sec-model ver3`."""
        group, user_word, name, *model = _exactly(args, 5, "group")
        if group.lower() not in _SNMPV3_GROUPS:
            raise ConfigError(INVALID_INPUT.format(token=group))
        _keywords([user_word, *model], ["user", *SNMPV3_SEC_MODEL.split()])
        self.config.snmpv3_group_set(name, _SNMPV3_GROUPS[group.lower()])

    def snmpv3_params(self, args: list[str]) -> None:
        """`snmpv3 params NAME user U sec-model ver3 message-processing ver3 [LEVEL]`."""
        name, user_word, user, *rest = _at_least(args, 7, "params")
        fixed = ["user", *SNMPV3_SEC_MODEL.split(), *SNMPV3_MESSAGE_PROCESSING.split()]
        _keywords([user_word, *rest[:4]], fixed)
        level = Snmpv3Level.NOAUTH
        if rest[4:]:
            (word,) = _exactly(rest[4:], 1, rest[3])
            if word.lower() not in _SNMPV3_LEVELS:
                raise ConfigError(INVALID_INPUT.format(token=word))
            level = _SNMPV3_LEVELS[word.lower()]
        self.config.snmpv3_params_set(name, Snmpv3Params(user, level))

    def snmpv3_target(self, args: list[str]) -> None:
        """`snmpv3 targetaddress NAME params P A.B.C.D [OPTION VALUE]...`, options in any
        order."""
        name, params_word, params, addr, *options = _at_least(args, 4, "targetaddress")
        _keywords([params_word], ["params"])
        values: dict[str, str] = {}
        while options:
            option, *options = options
            if option.lower() not in (*_TARGET_OPTIONS, "taglist"):
                raise ConfigError(INVALID_INPUT.format(token=option))
            if not options:
                raise ConfigError(INCOMPLETE_INPUT.format(token=option))
            value, *options = options
            values[option.lower()] = value
        numbers = {key: _number(values[key], *limits) for key, limits in _TARGET_OPTIONS.items()
                   if key in values}
        self.config.snmpv3_target_set(name, Snmpv3Target(
            _address(addr), params, tuple(values.get("taglist", "").split()),
            numbers.get("retries", TARGET_RETRIES), numbers.get("timeout", TARGET_TIMEOUT),
            numbers.get("udp-port")))

    def snmpv3_notify(self, args: list[str]) -> None:
        """`snmpv3 notify NAME tagvalue T [type inform|trap]`."""
        name, tag_word, tag, *rest = _at_least(args, 3, "notify")
        _keywords([tag_word], ["tagvalue"])
        inform = False
        if rest:
            type_word, kind = _exactly(rest, 2, rest[0])
            _keywords([type_word], ["type"])
            if kind.lower() not in _NOTIFY_TYPES:
                raise ConfigError(INVALID_INPUT.format(token=kind))
            inform = _NOTIFY_TYPES[kind.lower()]
        self.config.snmpv3_notify_set(name, Snmpv3Notify(tag, inform))

    def password(self, args: list[str]) -> None:
        """`password manager [user-name U] [plaintext S]`. The secret is handed back for the
        security files and never kept in the config; without `user-name` the account is
        named after its level, like the emulator's default accounts."""
        (level, *options) = _at_least(args, 1, "password")
        values: dict[str, str] = {}
        while options:
            option, *options = options
            if option.lower() not in _PASSWORD_OPTIONS:
                raise ConfigError(INVALID_INPUT.format(token=option))
            if not options:
                raise ConfigError(INCOMPLETE_INPUT.format(token=option))
            value, *options = options
            values[option.lower()] = value
        self.config.password_set(level.lower())
        if "plaintext" in values:
            user = values.get("user-name", level.lower())
            self.result.credentials.append((level.lower(), user, values["plaintext"]))

    def top_exit(self, args: list[str]) -> None:
        """`exit` at the global level is harmless in a config file."""


# --- body statements -----------------------------------------------------------------------


def _vlan_name(cfg: SwitchConfig, vid: int, args: list[str]) -> None:
    (name,) = _exactly(args, 1, "name")
    cfg.vlan_set_name(vid, name)


def _vlan_jumbo(jumbo: bool) -> VlanAction:
    def action(cfg: SwitchConfig, vid: int, args: list[str]) -> None:
        _exactly(args, 0, "jumbo")
        cfg.vlan_set_jumbo(vid, jumbo)

    return action


def _vlan_ports(add: bool, tagged: bool) -> VlanAction:
    keyword = "tagged" if tagged else "untagged"

    def action(cfg: SwitchConfig, vid: int, args: list[str]) -> None:
        (token,) = _exactly(args, 1, keyword)
        ports = _port_list(token)
        if add:
            cfg.vlan_add_ports(vid, ports, tagged)
        else:
            cfg.vlan_remove_ports(vid, ports, tagged)

    return action


def _vlan_ip(cfg: SwitchConfig, vid: int, args: list[str]) -> None:
    """`ip address dhcp-bootp`, `ip address A.B.C.D M.M.M.M` or `ip address A.B.C.D/len`."""
    first, *rest = _at_least(args, 1, "address")
    if first.lower() in _IP_MODE_BY_WORD:
        _exactly(rest, 0, first)
        cfg.vlan_set_ip(vid, VlanIp(_IP_MODE_BY_WORD[first.lower()]))
        return
    addr, _, length = first.partition("/")
    _address(addr)
    if length:
        _exactly(rest, 0, first)
        mask = length
    else:
        (mask,) = _exactly(rest, 1, first)
    try:
        interface = ipaddress.IPv4Interface(f"{addr}/{mask}")
    except ValueError:
        raise ConfigError(INVALID_INPUT.format(token=mask)) from None
    cfg.vlan_set_ip(vid, VlanIp(IpMode.MANUAL, interface))


def _vlan_no_ip(cfg: SwitchConfig, vid: int, args: list[str]) -> None:
    _exactly(args, 0, "address")
    cfg.vlan_set_ip(vid, VlanIp())


def _interface_name(cfg: SwitchConfig, ports: list[str], args: list[str]) -> None:
    (name,) = _exactly(args, 1, "name")
    for port in ports:
        cfg.port_set_name(port, name)


def _interface_no_name(cfg: SwitchConfig, ports: list[str], args: list[str]) -> None:
    _exactly(args, 0, "name")
    for port in ports:
        cfg.port_set_name(port, None)


def _interface_enabled(enabled: bool) -> InterfaceAction:
    keyword = "enable" if enabled else "disable"

    def action(cfg: SwitchConfig, ports: list[str], args: list[str]) -> None:
        _exactly(args, 0, keyword)
        for port in ports:
            cfg.port_set_enabled(port, enabled)

    return action


_TOP: Final[dict[tuple[str, ...], TopAction]] = {
    ("hostname",): _Loader.hostname,
    ("module",): _Loader.module,
    ("ip", "default-gateway"): _Loader.default_gateway,
    ("mac-age-time",): _Loader.mac_age,
    ("redundancy", "management-module"): _Loader.redundancy,
    ("no", "redundancy", "management-module"): _Loader.no_redundancy,
    ("vlan",): _Loader.vlan,
    ("interface",): _Loader.interface,
    ("snmp-server", "community"): _Loader.snmp_community,
    ("no", "snmp-server", "community"): _Loader.no_snmp_community,
    ("snmp-server", "contact"): _Loader.snmp_contact,
    ("snmp-server", "host"): _Loader.snmp_host,
    ("no", "snmp-server", "host"): _Loader.no_snmp_host,
    ("snmp-server", "enable", "traps", "authentication"): _Loader.snmp_auth_traps,
    ("snmp-server", "location"): _Loader.snmp_location,
    ("snmpv3", "enable"): _Loader.snmpv3_enable,
    ("snmpv3", "restricted-access"): _Loader.snmpv3_restricted,
    ("snmpv3", "only"): _Loader.snmpv3_only,
    ("snmpv3", "user"): _Loader.snmpv3_user,
    ("snmpv3", "group"): _Loader.snmpv3_group,
    ("snmpv3", "params"): _Loader.snmpv3_params,
    ("snmpv3", "targetaddress"): _Loader.snmpv3_target,
    ("snmpv3", "notify"): _Loader.snmpv3_notify,
    ("password",): _Loader.password,
    ("exit",): _Loader.top_exit,
}

_VLAN: Final[dict[tuple[str, ...], VlanAction]] = {
    ("name",): _vlan_name,
    ("untagged",): _vlan_ports(add=True, tagged=False),
    ("tagged",): _vlan_ports(add=True, tagged=True),
    ("no", "untagged"): _vlan_ports(add=False, tagged=False),
    ("no", "tagged"): _vlan_ports(add=False, tagged=True),
    ("ip", "address"): _vlan_ip,
    ("no", "ip", "address"): _vlan_no_ip,
    ("jumbo",): _vlan_jumbo(True),
    ("no", "jumbo"): _vlan_jumbo(False),
}

_INTERFACE: Final[dict[tuple[str, ...], InterfaceAction]] = {
    ("name",): _interface_name,
    ("no", "name"): _interface_no_name,
    ("disable",): _interface_enabled(False),
    ("enable",): _interface_enabled(True),
}


# --- matching and arguments ----------------------------------------------------------------


def _lookup(table: Mapping[tuple[str, ...], H], words: list[str]) -> tuple[H, list[str]] | None:
    """The longest keyword sequence that starts `words` (keywords are case-insensitive)."""
    lowered = tuple(word.lower() for word in words)
    for size in range(len(words), 0, -1):
        if lowered[:size] in table:
            return table[lowered[:size]], words[size:]
    return None


def _no_match(table: Mapping[tuple[str, ...], object], words: list[str]) -> ConfigError:
    """`Invalid input:` names the first word no statement continues with; a line that stops
    part-way through a keyword sequence is `Incomplete input:`."""
    prefixes = {key[:size] for key in table for size in range(1, len(key) + 1)}
    lowered = tuple(word.lower() for word in words)
    known = 0
    while known < len(words) and lowered[: known + 1] in prefixes:
        known += 1
    if known < len(words):
        return ConfigError(INVALID_INPUT.format(token=words[known]))
    return ConfigError(INCOMPLETE_INPUT.format(token=words[-1]))


def _apply(table: Mapping[tuple[str, ...], Callable[[SwitchConfig, H, list[str]], None]],
           words: list[str], cfg: SwitchConfig, target: H) -> None:
    found = _lookup(table, words)
    if found is None:
        raise _no_match(table, words)
    action, args = found
    action(cfg, target, args)


def _at_least(args: list[str], count: int, keyword: str) -> list[str]:
    if len(args) < count:
        raise ConfigError(INCOMPLETE_INPUT.format(token=args[-1] if args else keyword))
    return args


def _exactly(args: list[str], count: int, keyword: str) -> list[str]:
    if len(args) > count:
        raise ConfigError(INVALID_INPUT.format(token=args[count]))
    return _at_least(args, count, keyword)


def _keywords(words: list[str], expected: list[str]) -> None:
    """Fixed keywords in a statement (case-insensitive); the first wrong one is refused."""
    for word, keyword in zip(words, expected, strict=True):
        if word.lower() != keyword:
            raise ConfigError(INVALID_INPUT.format(token=word))


def _decimal(token: str) -> bool:
    """ASCII digits, few enough for int(): str.isdigit() also passes "²" (which int() refuses)
    and "٣" (which it reads as 3), and int() refuses more than 4,300 digits."""
    return token.isascii() and token.isdigit() and len(token) <= MAX_DIGITS


def _number(token: str, low: int, high: int) -> int:
    if not _decimal(token) or not low <= int(token) <= high:
        raise ConfigError(INVALID_INPUT.format(token=token))
    return int(token)


def _port_list(token: str) -> list[str]:
    """Syntax only; whether the ports exist is the model's check."""
    try:
        return _parse_port_list(token)
    except PortListError as exc:
        raise ConfigError(INVALID_INPUT.format(token=exc.token)) from None


def _address(token: str) -> ipaddress.IPv4Address:
    try:
        return ipaddress.IPv4Address(token)
    except ValueError:
        raise ConfigError(INVALID_INPUT.format(token=token)) from None
