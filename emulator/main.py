"""`procurve-emu`: the command line of the emulated chassis.

The chassis' options, their PROCURVE_* variables and defaults are one table (emulator/options.py)
this module builds the parser from. A mistake gives one line on stderr and exit status 2,
because the people reading it are often looking at a container log where a usage dump buries
the cause.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Final, NoReturn, TypeVar

from emulator import __version__, options
from emulator.ipc import messages, wire

PROG: Final = "procurve-emu"
USAGE_ERROR: Final = 2
ENV: Final[dict[str, str]] = {option.dest: option.env for option in options.OPTIONS}
"""Each option's PROCURVE_* variable, by its name (options.OPTIONS says the rest)."""
STATUS_TIMEOUT: Final = 5.0
"""How long `status` waits for a chassis that accepted the connection (not a sleep)."""

T = TypeVar("T")


class UsageError(Exception):
    """A bad flag or value; the message is the whole line the user sees."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        """One line instead of argparse's usage dump."""
        raise UsageError(message)


def _checked(kind: Callable[[str], T], what: str) -> Callable[[str], T]:
    """An argparse type whose ValueError message reaches the user as is."""

    def convert(text: str) -> T:
        try:
            return kind(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    convert.__name__ = what
    return convert


def add_options(parser: argparse.ArgumentParser, command: str) -> None:
    """`command`'s flags from the options table. No argparse default: a flag left out is
    None, so that its variable, then its default, can fill it (options.resolve)."""
    for option in options.OPTIONS:
        if command not in option.commands:
            continue
        if option.metavar is None:
            parser.add_argument(option.flag, dest=option.dest, action="store_const", const=True,
                                help=option.help_line())
        else:
            parser.add_argument(option.flag, dest=option.dest, metavar=option.metavar,
                                type=_checked(option.parse, option.flag),
                                action="append" if option.repeat else "store",
                                help=option.help_line())


def build_parser() -> Parser:
    parser = Parser(prog=PROG, description="A virtual HP ProCurve Switch 8212zl.")
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    commands = parser.add_subparsers(dest="command",
                                     metavar="{run,status,fault,health,lab}")
    commands.required = True
    run = commands.add_parser(
        "run",
        help="run a chassis in the foreground",
        description=(
            "Run one chassis until SIGTERM/SIGINT. stdin/stdout is the serial console "
            "(Ctrl-] quits when it is a terminal); status lines go to stderr. Every flag "
            "can also be set by its PROCURVE_* environment variable; a flag wins."
        ),
    )
    add_options(run, "run")
    status = commands.add_parser("status", help="print the running chassis' state as JSON")
    add_options(status, "status")
    fault = commands.add_parser(
        "fault", help="inject a hardware fault into a running chassis",
        description="kill: the module crashes (SIGKILL); hang: it stops answering (SIGSTOP), "
        "the chassis fences it; fail-selftest: its next selftest fails; pull/insert: hot-swap.",
    )
    fault.add_argument("action", choices=messages.FAULT_ACTIONS)
    fault.add_argument("target", type=str.lower, choices=("mm1", "mm2", "active", "standby"))
    add_options(fault, "fault")
    health = commands.add_parser(
        "health", help="exit 0 when the active module's CLI answers (a container HEALTHCHECK)")
    add_options(health, "health")
    from emulator.lab import add_parser as add_lab_parser

    add_lab_parser(commands)
    return parser


def _unique(items: list[tuple[str, str]], twice: str) -> dict[str, str]:
    """Key -> value of repeated `--port`/`--module` flags; a key given twice is a usage error
    (`twice` names it), not a silent overwrite."""
    found: dict[str, str] = {}
    for key, value in items:
        if key in found:
            raise UsageError(twice.format(key))
        found[key] = value
    return found


def parse_args(argv: list[str]) -> argparse.Namespace:
    args = build_parser().parse_args(argv)
    try:
        values = options.resolve(vars(args), os.environ, args.command)
    except options.OptionError as exc:
        raise UsageError(str(exc)) from None
    for name, value in values.items():
        setattr(args, name, value)
    if args.command == "run":
        args.ports = _unique(args.ports, "port {} is wired twice")
        args.modules = _unique(args.modules, "slot {} is given two modules")
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
        from emulator.chassis.start import expected_modules
        from emulator.container import auto_ports
        from emulator.hardware import Inventory
        from emulator.labnode import INTFS_VARIABLE

        modules = expected_modules(Path(args.data_dir), args.modules, args.startup_config)
        try:
            args.ports = auto_ports(args.ports, args.mgmt_interface,
                                    os.environ.get(INTFS_VARIABLE), announce,
                                    Inventory(modules=modules))
        except ValueError as exc:
            print(f"{PROG}: error: {exc}", file=sys.stderr)
            return USAGE_ERROR
    record = {field.name: getattr(args, field.name)
              for field in dataclasses.fields(ChassisOptions)}
    record["data_dir"] = Path(args.data_dir).absolute()
    return run_chassis(ChassisOptions(**record))


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
