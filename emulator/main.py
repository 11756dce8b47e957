"""`procurve-emu`: the command line of the emulated chassis.

Every flag has a PROCURVE_* environment variable so that containers (containerlab, GNS3,
`docker run -e`) configure a node without rewriting its command; a flag wins over its
variable. A mistake gives one line on stderr and exit status 2, because the people reading it
are often looking at a container log where a usage dump buries the cause.
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final, NoReturn, TypeVar

from emulator import hardware
from emulator.inband import check_mode
from emulator.ipc import messages, wire
from emulator.timing import PROFILES

PROG: Final = "procurve-emu"
USAGE_ERROR: Final = 2
DEFAULTS: Final[dict[str, str]] = {
    "data_dir": "./procurve-data",
    "ssh_port": "2222",
    "telnet_port": "2323",
    "snmp_port": "1161",
    "listen": "127.0.0.1",
    "timing": "lab",
    "auto_ports": "0",
    "mgmt_interface": "eth0",
    "mgmt_netns": "auto",
}
ENV: Final[dict[str, str]] = {
    "data_dir": "PROCURVE_DATA_DIR",
    "hostname": "PROCURVE_HOSTNAME",
    "ssh_port": "PROCURVE_SSH_PORT",
    "telnet_port": "PROCURVE_TELNET_PORT",
    "snmp_port": "PROCURVE_SNMP_PORT",
    "listen": "PROCURVE_LISTEN",
    "timing": "PROCURVE_TIMING",
    "startup_config": "PROCURVE_STARTUP_CONFIG",
    "ports": "PROCURVE_PORTS",
    "auto_ports": "PROCURVE_AUTO_PORTS",
    "mgmt_interface": "PROCURVE_MGMT_INTERFACE",
    "mgmt_netns": "PROCURVE_MGMT_NETNS",
}
HOSTNAME_MAX: Final = 32
_HOSTNAME: Final = re.compile(r"^[!-~]+$")
_DNS_NAME: Final = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$")
STATUS_TIMEOUT: Final = 5.0
"""How long `status` waits for a chassis that accepted the connection (not a sleep)."""

T = TypeVar("T")


class UsageError(Exception):
    """A bad flag or value; the message is the whole line the user sees."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        """One line instead of argparse's usage dump."""
        raise UsageError(message)


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

    port, backend = parse_port_assignment(text, hardware.Inventory())
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
    try:
        return Path(text).read_text()
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise ValueError(f"cannot read startup config {text}: {reason}") from None


def _checked(kind: Callable[[str], T], what: str) -> Callable[[str], T]:
    """An argparse type whose ValueError message reaches the user as is."""

    def convert(text: str) -> T:
        try:
            return kind(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    convert.__name__ = what
    return convert


def build_parser() -> Parser:
    parser = Parser(prog=PROG, description="A virtual HP ProCurve Switch 8212zl.")
    commands = parser.add_subparsers(dest="command",
                                     metavar="{run,status,fault,health,lab}")
    commands.required = True
    run = commands.add_parser(
        "run",
        help="run a chassis in the foreground",
        description=(
            "Run one chassis until SIGTERM/SIGINT. stdin/stdout is the serial console "
            "(Ctrl-] quits when it is a terminal); status lines go to stderr. Every flag "
            "can also be set by its PROCURVE_* environment variable (PROCURVE_PORTS is a "
            "space- or comma-separated list of PORT=BACKEND); a flag wins."
        ),
    )
    run.add_argument("--data-dir", metavar="DIR",
                     help="chassis state (PROCURVE_DATA_DIR, default ./procurve-data)")
    run.add_argument("--hostname", metavar="NAME", type=_checked(hostname, "--hostname"),
                     help="hostname of a new switch; first boot only, i.e. while the active "
                     "module's flash holds no startup config (PROCURVE_HOSTNAME)")
    run.add_argument("--ssh-port", metavar="N", type=_checked(tcp_port, "--ssh-port"),
                     help="SSH port, 0 for any free one (PROCURVE_SSH_PORT, default 2222)")
    run.add_argument("--telnet-port", metavar="N", type=_checked(tcp_port, "--telnet-port"),
                     help="telnet port (PROCURVE_TELNET_PORT, default 2323)")
    run.add_argument("--snmp-port", metavar="N", type=_checked(tcp_port, "--snmp-port"),
                     help="SNMP UDP port (PROCURVE_SNMP_PORT, default 1161)")
    run.add_argument("--listen", metavar="ADDR", type=_checked(listen_address, "--listen"),
                     help="address of the management ports (PROCURVE_LISTEN, default 127.0.0.1)")
    run.add_argument("--timing", type=_checked(timing_profile, "--timing"),
                     help="timer profile: fast, lab or real (PROCURVE_TIMING, default lab)")
    run.add_argument("--startup-config", metavar="FILE",
                     type=_checked(startup_file, "--startup-config"),
                     help="ProCurve config text that becomes the startup config on first boot "
                     "only, i.e. while the active module's flash holds none; later starts boot "
                     "what `write memory` saved (PROCURVE_STARTUP_CONFIG)")
    run.add_argument("--port", metavar="PORT=BACKEND", action="append", dest="ports",
                     type=_checked(port_assignment, "--port"),
                     help="wire a port: A1=tap:NAME, A1=afpacket:IFNAME or "
                     "A1=udp:LPORT:RHOST:RPORT; repeatable (PROCURVE_PORTS)")
    run.add_argument("--auto-ports", action="store_const", const=True,
                     help="every ethN but the management interface becomes a port, A1, A2, "
                     "... in order (after waiting for CLAB_INTFS of them); --port wins for "
                     "the ports and interfaces it names (PROCURVE_AUTO_PORTS=1)")
    run.add_argument("--mgmt-interface", metavar="IFNAME",
                     type=_checked(mgmt_interface, "--mgmt-interface"),
                     help="the interface --auto-ports leaves alone, or `none` to make every "
                     "ethN a port (GNS3) (PROCURVE_MGMT_INTERFACE, default eth0)")
    run.add_argument("--mgmt-netns", metavar="NETNS", type=_checked(check_mode, "--mgmt-netns"),
                     help="where VLAN addresses live (in-band management): auto (a namespace "
                     "of this chassis, pcv-..., when root), self (our own namespace), none, or "
                     "a namespace name (PROCURVE_MGMT_NETNS, default auto)")
    status = commands.add_parser("status", help="print the running chassis' state as JSON")
    status.add_argument("--data-dir", metavar="DIR",
                        help="chassis state (PROCURVE_DATA_DIR, default ./procurve-data)")
    fault = commands.add_parser(
        "fault", help="inject a hardware fault into a running chassis",
        description="kill: the module crashes (SIGKILL); hang: it stops answering (SIGSTOP), "
        "the chassis fences it; fail-selftest: its next selftest fails; pull/insert: hot-swap.",
    )
    fault.add_argument("action", choices=messages.FAULT_ACTIONS)
    fault.add_argument("target", type=str.lower, choices=("mm1", "mm2", "active", "standby"))
    fault.add_argument("--data-dir", metavar="DIR",
                       help="chassis state (PROCURVE_DATA_DIR, default ./procurve-data)")
    health = commands.add_parser(
        "health", help="exit 0 when the active module's CLI answers (a container HEALTHCHECK)")
    health.add_argument("--data-dir", metavar="DIR",
                        help="chassis state (PROCURVE_DATA_DIR, default ./procurve-data)")
    from emulator.lab import add_parser as add_lab_parser

    add_lab_parser(commands)
    return parser


def _from_env(args: argparse.Namespace, name: str, kind: Callable[[str], Any]) -> None:
    """Fill an option the command line left out from its variable, then its default."""
    if getattr(args, name, None) is not None:
        return
    text = os.environ.get(ENV[name])
    source = ENV[name]
    if text is None or text == "":
        if name not in DEFAULTS:
            return
        text, source = DEFAULTS[name], "default"
    try:
        setattr(args, name, kind(text))
    except ValueError as exc:
        raise UsageError(f"{source}: {exc}") from None


def _ports_from_env(args: argparse.Namespace) -> dict[str, str]:
    items: list[tuple[str, str]] = args.ports
    if items is None:
        text = os.environ.get(ENV["ports"], "")
        try:
            items = [port_assignment(t) for t in re.split(r"[\s,]+", text) if t]
        except ValueError as exc:
            raise UsageError(f"{ENV['ports']}: {exc}") from None
    ports: dict[str, str] = {}
    for port, backend in items:
        if port in ports:
            raise UsageError(f"port {port} is wired twice")
        ports[port] = backend
    return ports


def parse_args(argv: list[str]) -> argparse.Namespace:
    args = build_parser().parse_args(argv)
    _from_env(args, "data_dir", Path)
    if args.command == "run":
        _from_env(args, "hostname", hostname)
        _from_env(args, "ssh_port", tcp_port)
        _from_env(args, "telnet_port", tcp_port)
        _from_env(args, "snmp_port", tcp_port)
        _from_env(args, "listen", listen_address)
        _from_env(args, "timing", timing_profile)
        _from_env(args, "startup_config", startup_file)
        _from_env(args, "auto_ports", switch)
        _from_env(args, "mgmt_interface", mgmt_interface)
        _from_env(args, "mgmt_netns", check_mode)
        args.ports = _ports_from_env(args)
        tcp = [args.ssh_port, args.telnet_port]
        if tcp[0] == tcp[1] != 0:
            raise UsageError(f"SSH and telnet cannot share port {tcp[0]}")
    return args


def run(args: argparse.Namespace) -> int:
    from emulator.chassis.backplane import ChassisOptions
    from emulator.chassis.start import run as run_chassis
    from emulator.labnode import chassis_identity

    try:
        chassis_identity(os.environ)
    except ValueError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return USAGE_ERROR
    if args.auto_ports:
        from emulator.chassis.console import announce
        from emulator.container import auto_ports
        from emulator.labnode import INTFS_VARIABLE

        try:
            args.ports = auto_ports(args.ports, args.mgmt_interface,
                                    os.environ.get(INTFS_VARIABLE), announce)
        except ValueError as exc:
            print(f"{PROG}: error: {exc}", file=sys.stderr)
            return USAGE_ERROR
    return run_chassis(
        ChassisOptions(
            data_dir=Path(args.data_dir).absolute(),
            timing=args.timing,
            listen=args.listen,
            ssh_port=args.ssh_port,
            telnet_port=args.telnet_port,
            snmp_port=args.snmp_port,
            hostname=args.hostname,
            startup_config=args.startup_config,
            ports=args.ports,
            mgmt_netns=args.mgmt_netns,
        )
    )


def ask_chassis(data_dir: str, msg: messages.Request) -> int:
    """One request on the chassis' control socket; the JSON answer on stdout."""
    from emulator.datadir import CONTROL_SOCKET

    path = Path(data_dir) / CONTROL_SOCKET
    try:
        reply = wire.request(path, msg, timeout=STATUS_TIMEOUT)
    except (OSError, EOFError, wire.IpcError) as exc:
        print(f"{PROG}: no chassis answers in {data_dir}: {exc}", file=sys.stderr)
        return 1
    if isinstance(reply, messages.Failure):
        print(f"{PROG}: {reply.reason}", file=sys.stderr)
        return 1
    if not isinstance(reply, messages.StatusReply):
        print(f"{PROG}: unexpected answer {reply.kind} from the chassis", file=sys.stderr)
        return 1
    print(json.dumps(reply.status, indent=2))
    return 0


def main(argv: list[str] | None = None) -> int:
    try:
        args = parse_args(sys.argv[1:] if argv is None else argv)
    except UsageError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return USAGE_ERROR
    if args.command == "status":
        return ask_chassis(args.data_dir, messages.StatusRequest())
    if args.command == "fault":
        return ask_chassis(args.data_dir, messages.Fault(args.action, args.target))
    if args.command == "health":
        from emulator.container import health

        problem = health(Path(args.data_dir))
        if problem is not None:
            print(f"{PROG}: unhealthy: {problem}", file=sys.stderr)
        return 0 if problem is None else 1
    if args.command == "lab":
        from emulator.lab import main as lab_main

        return lab_main(args)
    return run(args)


if __name__ == "__main__":
    raise SystemExit(main())
