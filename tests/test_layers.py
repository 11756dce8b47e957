"""The import contract: the layers of the house and no circles between its modules.

Every module of emulator/, snmp/ and ssh_server/ is read as source (ast; nothing is imported)
and each of its imports, at module level or inside a function, is an edge. A module may import
its own layer and the layers below it, never a layer above. The process entry points sit on
top: they may import anything below them, and no module imports one of them, except the
command line (main), which starts them all, and the testing helpers (testing, pytest_plugin),
which start a chassis for tests. Independently, the modules' import graph has no cycle at all.

`if TYPE_CHECKING:` imports count too: a type-only circle is still a circle to a reader (each
module needs the other to be understood) and to mypy, and the guard would otherwise be a place
for layering mistakes to hide; a type that must be named from below moves down instead.

The layers are LAYERS below, top to bottom; a row covers the module and every module below it
in the package, the longest row that matches wins, and a module no row covers fails the test,
so a new module is placed in a layer the day it is written. A request flows transports -> cli
and snmp -> commands -> model; imports differ in one place: the CLI engine knows no command
(the module hands it the table), while each command family declares its rows with the
engine's types and getMIB/walkMIB/setMIB and `snmpv3 user` use the MIB view and the USM keys,
so commands sit above cli and snmp.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path
from typing import Final

ROOT: Final = Path(__file__).resolve().parent.parent
PACKAGES: Final = ("emulator", "snmp", "ssh_server")

PROCESSES: Final = "processes"
LAYERS: Final = (
    (PROCESSES, "the process tree's entry points and the command line", (
        "emulator.main", "emulator.chassis", "emulator.module", "emulator.fabric.process",
        "emulator.container", "emulator.lab", "emulator.testing", "emulator.pytest_plugin")),
    ("transports", "what a peer talks to: SSH, telnet, console, the SNMP agent and its "
     "notifications", (
         "ssh_server", "snmp.agent", "snmp.notify", "snmp.notify_v3",
         # syslog and time (issue 17): the syslog and SNTP clients
         "emulator.syslog", "emulator.sntp")),
    ("commands", "command families: grammar rows, handlers, renderers", (
        "emulator.commands",)),
    ("cli", "the CLI engine, which knows no command: grammar types, parser, session, login", (
        "emulator.cli",)),
    ("snmp", "SNMP codec, MIB view and USM, read by the agent and by the getMIB/walkMIB/"
     "setMIB and snmpv3 commands", (
         "snmp",)),
    ("model", "config model, device view, event log, redundancy state, fabric engine, IPC, "
     "lab-node environment, the chassis options table", (
        "emulator.config", "emulator.device", "emulator.events", "emulator.redundancy",
        "emulator.fabric", "emulator.ipc", "emulator.inband", "emulator.liveness",
        "emulator.labnode", "emulator.options",
        "emulator.dhcp_relay",  # DHCP relay: the agent the active module runs
        # file transfer (issue 17): the TFTP and SFTP clients the copy commands use
        "emulator.tftp", "emulator.sftp_client",
        "emulator.aaa",  # AAA: the RADIUS and TACACS+ clients and the login chain
        "emulator.routing",  # IP routing: the route table, kernel routes, traceroute
        "emulator.ospf")),  # OSPF: FRR as the engine
    ("hardware", "the catalog, the flash and the timing profiles (lowest)", (
        "emulator", "emulator.hardware", "emulator.flash", "emulator.timing",
        "emulator.datadir", "emulator.portspec",
        "emulator.memory",  # what a process hands back once booted (issue 18)
        "emulator.frr",  # OSPF: FRR's daemons, their files and leftovers
        # syslog and time (issue 17): the chassis clock
        "emulator.clock",
        # file transfer (issue 17): the image file format
        "emulator.images")),
)
"""(layer, what it holds, modules). The root package `emulator` covers only its __init__."""

LAUNCHERS: Final = {
    "emulator.main": {"emulator.chassis", "emulator.module", "emulator.fabric.process",
                      "emulator.container", "emulator.lab"},
    "emulator.chassis": {"emulator.module", "emulator.fabric.process"},  # the zygote
    "emulator.testing": {"emulator.chassis", "emulator.container"},
    "emulator.pytest_plugin": {"emulator.testing"},
}
"""The entry points allowed to import other entry points (by row)."""


def modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _resolve(name: str, known: dict[str, Path]) -> str | None:
    """The module an imported name lives in (`emulator.hardware.if_index` -> emulator.hardware),
    or None outside the three packages."""
    while name and name not in known:
        name = name.rpartition(".")[0]
    return name or None


def imports(name: str, path: Path, known: dict[str, Path]) -> Iterator[str]:
    """Every module of ours that `name` imports, wherever the statement is."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            # `from emulator import hardware` imports the submodule; `from x import name`, x.
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base
                       for alias in node.names]
        else:
            continue
        for target in targets:
            resolved = _resolve(target, known)
            if resolved is not None and resolved != name:
                yield resolved


def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: set(imports(name, path, known)) for name, path in known.items()}


def row(module: str) -> tuple[int, str] | None:
    """(layer rank, 0 for the top; the row) of a module, by its longest covering row."""
    best: tuple[int, str] | None = None
    for rank, (_, _, rows) in enumerate(LAYERS):
        for key in rows:
            covers = module == key or (module.startswith(f"{key}.") and key != "emulator")
            if covers and (best is None or len(key) > len(best[1])):
                best = rank, key
    return best


def test_every_module_has_a_layer() -> None:
    assert [name for name in modules() if row(name) is None] == []


def violations(edges: dict[str, set[str]]) -> list[str]:
    """Each import that breaks the layers, as a line that says which rule."""
    wrong = []
    for importer, targets in sorted(edges.items()):
        source = row(importer)
        assert source is not None, importer
        for imported in sorted(targets):
            target = row(imported)
            assert target is not None, imported
            if source[1] == target[1]:
                continue
            if LAYERS[target[0]][0] == PROCESSES:
                if target[1] not in LAUNCHERS.get(source[1], set()):
                    wrong.append(f"{importer} -> {imported}: nothing imports an entry point")
            elif target[0] < source[0]:
                wrong.append(f"{importer} ({LAYERS[source[0]][0]}) -> {imported} "
                             f"({LAYERS[target[0]][0]}): imports run down the layers")
    return wrong


def test_imports_run_down_the_layers() -> None:
    assert violations(graph()) == []


def test_layer_breaks_are_found() -> None:
    """The rules themselves, on the two circles this contract was written against and on
    imports that are allowed."""
    assert violations({
        "snmp.mibs.hp_chassis": {"emulator.commands.show_system", "emulator.hardware"},
        "snmp.notify": {"emulator.module", "snmp.mib"},
        "emulator.cli.session": {"emulator.commands"},
        "emulator.main": {"emulator.chassis", "emulator.lab"},
        "emulator.commands.mib": {"snmp.mibs", "emulator.cli.grammar"},
    }) == [
        "emulator.cli.session (cli) -> emulator.commands (commands): imports run down the "
        "layers",
        "snmp.mibs.hp_chassis (snmp) -> emulator.commands.show_system (commands): imports "
        "run down the layers",
        "snmp.notify -> emulator.module: nothing imports an entry point",
    ]


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in sorted(edges):
        if start in index:
            continue
        work = [(start, iter(sorted(edges[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_no_import_cycles() -> None:
    assert cycles(graph()) == []


def test_cycles_are_found() -> None:
    """The detector itself: a circle of three, a self-contained pair and a chain."""
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"e"}, "e": {"d"}, "f": {"a"}}
    assert sorted(cycles(edges)) == [["a", "b", "c"], ["d", "e"]]
