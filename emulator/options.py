"""The chassis' options, once: flag, environment variable, default, parser and help.

Everything that describes an option is read from OPTIONS: `procurve-emu`'s argument parser
(main.py), the values the chassis is started with, and the options table of README.md (a test
holds the README's copy equal to `readme_table()`; `python -m emulator.options` prints it).
Every flag has a PROCURVE_* variable so that containers (containerlab, GNS3, `docker run -e`)
configure a node without rewriting its command; a flag wins over its variable, the variable
over the default. Parsers raise ValueError with the whole message the user should read.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from emulator import hardware
from emulator.inband import check_mode
from emulator.timing import PROFILES

HOSTNAME_MAX: Final = 32
_HOSTNAME: Final = re.compile(r"^[!-~]+$")
_DNS_NAME: Final = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$")
_LIST_SEPARATORS: Final = re.compile(r"[\s,]+")


def tcp_port(text: str) -> int:
    """0 asks the kernel for a free port (tests); `status` tells which one it got."""
    if not text.strip().isdigit() or not 0 <= int(text) <= 65535:
        raise ValueError(f"invalid port {text!r} (0-65535)")
    return int(text)


def timing_profile(text: str) -> str:
    if text not in PROFILES:
        raise ValueError(f"invalid timing {text!r} (choose from {', '.join(PROFILES)})")
    return text


def listen_address(text: str) -> str:
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        if _DNS_NAME.match(text) and len(text) <= 253:
            return text
    raise ValueError(f"invalid listen address {text!r}")


def hostname(text: str) -> str:
    """What `hostname` accepts on the switch: up to 32 printable characters; we also refuse
    blanks and quotes so the name survives the config text unquoted."""
    if not (1 <= len(text) <= HOSTNAME_MAX and _HOSTNAME.match(text) and '"' not in text):
        raise ValueError(f"invalid hostname {text!r} (1-32 printable characters, no blanks)")
    return text


def port_assignment(text: str) -> tuple[str, str]:
    from emulator.portspec import parse_port_assignment

    port, backend = parse_port_assignment(text, hardware.FULL_CHASSIS)
    return port, str(backend)


def switch(text: str) -> bool:
    """A yes/no variable as container tools write them."""
    words = {"1": True, "true": True, "yes": True, "on": True,
             "0": False, "false": False, "no": False, "off": False}
    if text.lower() not in words:
        raise ValueError(f"invalid switch {text!r} (1/0, true/false, yes/no, on/off)")
    return words[text.lower()]


def mgmt_interface(text: str) -> str:
    """The interface that is management, not a port; `none` (GNS3): every ethN is a port."""
    from emulator.labnode import NO_MGMT
    from emulator.portspec import parse_backend

    if text.lower() == NO_MGMT:
        return NO_MGMT
    return parse_backend(f"afpacket:{text}").ifname


def startup_file(text: str) -> str:
    """The file's text: the chassis reads it once, here, so a bad path is a usage error."""
    try:
        return Path(text).read_text()
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise ValueError(f"cannot read startup config {text}: {reason}") from None


@dataclass(frozen=True)
class Option:
    """One option of `procurve-emu`. `metavar` None is a switch (the flag takes no value, the
    variable says 1/0); `repeat` takes the flag again per item, or a space- or comma-separated
    list in the variable."""

    dest: str
    flag: str
    env: str
    metavar: str | None
    default: str | None
    """Text given to `parse` when neither flag nor variable is set; None leaves the value None."""
    shown_default: str
    """The default as people read it (README, --help)."""
    parse: Callable[[str], Any]
    help: str
    repeat: bool = False
    commands: tuple[str, ...] = ("run",)

    def usage(self) -> str:
        """The flag as the README's table shows it."""
        return self.flag if self.metavar is None else f"{self.flag} {self.metavar}"

    def help_line(self) -> str:
        """--help's text: the option's help, its variable and default."""
        return f"{self.help} ({self.env}, default {self.shown_default})"


FIRST_BOOT: Final = "first boot only, i.e. while the active module's flash holds no startup config"

OPTIONS: Final[tuple[Option, ...]] = (
    Option(dest="data_dir", flag="--data-dir", env="PROCURVE_DATA_DIR", metavar="DIR",
           default="./procurve-data", shown_default="./procurve-data", parse=Path,
           help="the chassis' state: flashes, inventory, control socket",
           commands=("run", "status", "fault", "health")),
    Option(dest="hostname", flag="--hostname", env="PROCURVE_HOSTNAME", metavar="NAME",
           default=None, shown_default="HP-8212zl", parse=hostname,
           help=f"hostname of a new switch; {FIRST_BOOT}"),
    Option(dest="ssh_port", flag="--ssh-port", env="PROCURVE_SSH_PORT", metavar="N",
           default="2222", shown_default="2222", parse=tcp_port,
           help="SSH port, 0 for any free one"),
    Option(dest="telnet_port", flag="--telnet-port", env="PROCURVE_TELNET_PORT", metavar="N",
           default="2323", shown_default="2323", parse=tcp_port,
           help="telnet port, 0 for any free one"),
    Option(dest="snmp_port", flag="--snmp-port", env="PROCURVE_SNMP_PORT", metavar="N",
           default="1161", shown_default="1161", parse=tcp_port,
           help="SNMP UDP port, 0 for any free one"),
    Option(dest="listen", flag="--listen", env="PROCURVE_LISTEN", metavar="ADDR",
           default="127.0.0.1", shown_default="127.0.0.1", parse=listen_address,
           help="address of the management ports"),
    Option(dest="timing", flag="--timing", env="PROCURVE_TIMING", metavar="|".join(PROFILES),
           default="lab", shown_default="lab", parse=timing_profile,
           help="timer profile: fast for tests, lab, or the real switch's timers"),
    Option(dest="startup_config", flag="--startup-config", env="PROCURVE_STARTUP_CONFIG",
           metavar="FILE", default=None, shown_default="factory default", parse=startup_file,
           help=f"ProCurve config text that becomes the startup config on {FIRST_BOOT}; later "
           "starts boot what `write memory` saved"),
    Option(dest="modules", flag="--module", env="PROCURVE_MODULES", metavar="SLOT=MODULE",
           default=None, shown_default="the startup config's module lines, else A and B J8702A",
           parse=hardware.module_assignment, repeat=True,
           help="an interface module in a slot, e.g. A=J9550A (slots A-L or 1-12; any zl or "
           f"v2 zl module of K.15); the chassis holds exactly these; {FIRST_BOOT} (a new data "
           "dir); the variable takes a space- or comma-separated list"),
    Option(dest="ports", flag="--port", env="PROCURVE_PORTS", metavar="PORT=BACKEND",
           default=None, shown_default="none", parse=port_assignment, repeat=True,
           help="wire a port: A1=tap:NAME, A1=afpacket:IFNAME or A1=udp:LPORT:RHOST:RPORT; "
           "the variable takes a space- or comma-separated list"),
    Option(dest="auto_ports", flag="--auto-ports", env="PROCURVE_AUTO_PORTS", metavar=None,
           default="0", shown_default="off", parse=switch,
           help="every ethN but the management interface becomes a port, A1, A2, ... in order "
           "(after waiting for CLAB_INTFS of them); --port wins for the ports and interfaces "
           "it names; the variable takes 1/0, true/false, yes/no, on/off"),
    Option(dest="mgmt_interface", flag="--mgmt-interface", env="PROCURVE_MGMT_INTERFACE",
           metavar="IFNAME|none", default="eth0", shown_default="eth0", parse=mgmt_interface,
           help="the interface --auto-ports leaves alone, or `none` to make every ethN a port "
           "(GNS3)"),
    Option(dest="mgmt_netns", flag="--mgmt-netns", env="PROCURVE_MGMT_NETNS",
           metavar="auto|self|none|NAME", default="auto", shown_default="auto",
           parse=check_mode,
           help="where VLAN addresses live (in-band management): auto (a namespace of this "
           "chassis, pcv-..., when root), self (our own namespace), none, or a namespace name"),
)


@dataclass(frozen=True)
class Variable:
    """A setting read from the environment alone: the parts of the chassis that read it say
    how (their own constant names the variable; a test holds the names equal)."""

    env: str
    shown_default: str
    help: str


ENVIRONMENT_ONLY: Final[tuple[Variable, ...]] = (
    Variable("PROCURVE_SNMP_TRAP_PORT", "162",
             "UDP port of trap and inform receivers (K.15's `snmp-server host` takes none)"),
    Variable("PROCURVE_CHASSIS_SEED", "containerlab's lab and node names, else random",
             "draws the chassis' base MAC and serial from this text on first boot"),
    Variable("PROCURVE_BASE_MAC", "drawn", "the chassis' base MAC, e.g. 001871-c30000"),
    Variable("PROCURVE_SERIAL", "drawn", "the chassis' serial number, e.g. SG749HB0MK"),
)


class OptionError(ValueError):
    """A value from the environment or a default that its parser refused; the whole line."""


def resolve(given: Mapping[str, Any], environ: Mapping[str, str], command: str) -> dict[str, Any]:
    """Every option of `command`: what the command line gave, else its variable, else its
    default, each parsed by the option's own parser. Repeated options become lists."""
    values: dict[str, Any] = {}
    for option in OPTIONS:
        if command not in option.commands:
            continue
        value = given.get(option.dest)
        if value is None:
            value = _from_environment(option, environ)
        values[option.dest] = value
    return values


def _from_environment(option: Option, environ: Mapping[str, str]) -> Any:
    text, source = environ.get(option.env) or None, option.env
    if text is None:
        if option.default is None:
            return [] if option.repeat else None
        text, source = option.default, "default"
    try:
        if option.repeat:
            return [option.parse(item) for item in _LIST_SEPARATORS.split(text) if item]
        return option.parse(text)
    except ValueError as exc:
        raise OptionError(f"{source}: {exc}") from None


def readme_table() -> str:
    """The README's options table, in Markdown."""
    def cell(text: str) -> str:
        return text.replace("|", "\\|")

    rows = ["| flag | environment | default | meaning |", "|---|---|---|---|"]
    rows += [f"| `{cell(o.usage())}`{' (repeat)' if o.repeat else ''} | `{o.env}` "
             f"| {cell(o.shown_default)} | {cell(o.help)} |" for o in OPTIONS]
    rows += [f"| | `{v.env}` | {cell(v.shown_default)} | {cell(v.help)} |"
             for v in ENVIRONMENT_ONLY]
    return "\n".join(rows) + "\n"


if __name__ == "__main__":
    print(readme_table(), end="")
