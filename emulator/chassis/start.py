"""`procurve-emu run`: the chassis process' life, from the data dir and its lock to the last
child stopped."""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import signal
from pathlib import Path
from typing import TextIO

from emulator import frr, hardware, inband
from emulator.chassis.backplane import Chassis, ChassisError, ChassisOptions, start_zygote
from emulator.chassis.console import announce, claim_stdio
from emulator.chassis.control import Control
from emulator.datadir import (
    CHASSIS_FILE,
    CONTROL_SOCKET,
    LOCK_FILE,
    read_inventory,
    write_inventory,
)
from emulator.flash import Flash, private_dir
from emulator.ipc import wire
from emulator.labnode import chassis_identity


def first_modules(modules: dict[str, str], startup_config: str | None) -> dict[str, str] | None:
    """The interface modules a new chassis holds: --module's, else the startup config's
    `module X type` lines (the chassis is what the config says), else the factory's (None)."""
    return dict(modules) if modules else hardware.configured_modules(startup_config or "") or None


def expected_modules(data_dir: Path, modules: dict[str, str],
                     startup_config: str | None) -> dict[str, str]:
    """The modules the chassis will hold once its data dir is prepared (what --auto-ports maps
    interfaces onto before it starts): a kept data dir's, else the first boot's."""
    if (data_dir / CHASSIS_FILE).exists():
        return read_inventory(data_dir).modules
    return first_modules(modules, startup_config) or dict(hardware.DEFAULT_MODULES)


def prepare_data_dir(data_dir: Path, modules: dict[str, str] | None = None) -> hardware.Inventory:
    """First start builds the chassis: an inventory of its own (labnode.chassis_identity
    says how it is drawn; the flash keeps it) holding `modules`, blank flashes. Later starts
    keep the stored hardware."""
    private_dir(data_dir)
    path = data_dir / CHASSIS_FILE
    identity = chassis_identity(os.environ)
    stored = read_inventory(data_dir) if path.exists() else None
    inventory = identity.apply(stored or hardware.Inventory.generate(identity.seed, modules))
    if inventory != stored:
        write_inventory(data_dir, inventory)
    for slot in hardware.MANAGEMENT_SLOTS:
        Flash.for_slot(data_dir, slot).format()
    return inventory


def modules_text(inventory: hardware.Inventory) -> str:
    """`A=J8702A B=J8702A`: what a refusal names so the user sees which hardware decided."""
    return " ".join(f"{slot}={product}" for slot, product in sorted(inventory.modules.items()))


async def serve(chassis: Chassis) -> None:
    """Supervise the children, answer the control socket and watch heartbeats until SIGTERM
    or SIGINT; then stop every child and let go of what the chassis holds."""
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, chassis.stopping.set)
    data_dir = chassis.options.data_dir
    control_socket = wire.bind_unix(data_dir / CONTROL_SOCKET)
    control = Control(chassis)
    chassis.console.start()
    children = [chassis.fabric, *chassis.modules.values()]
    tasks = [loop.create_task(chassis.zygote.supervise())]
    tasks += [loop.create_task(c.supervise()) for c in children]
    tasks.append(loop.create_task(control.serve(control_socket)))
    tasks.append(loop.create_task(chassis.watch_heartbeats()))
    try:
        await chassis.stopping.wait()
    finally:
        chassis.stopping.set()
        await asyncio.gather(*(c.stop() for c in children))
        await chassis.zygote.stop()
        for task in [*tasks, *chassis.background]:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        chassis.console.detach()
        control_socket.close()
        with contextlib.suppress(OSError):
            (data_dir / CONTROL_SOCKET).unlink()
        for sock in chassis.sockets.values():
            sock.close()
        if chassis.netns is not None:  # OSPF daemons a killed module left (emulator/ospf.py)
            frr.clean(chassis.netns)
        if chassis.netns is not None and chassis.netns_made:
            inband.remove(chassis.netns)


def _lock(data_dir: Path) -> TextIO:
    """One chassis per data dir: two would share flashes and a control socket."""
    handle = open(data_dir / LOCK_FILE, "a+")  # noqa: SIM115 - held for the chassis' lifetime
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        raise ChassisError(f"another chassis is running in {data_dir}") from None
    return handle


def _stop_before_the_loop(signum: int, frame: object) -> None:
    raise SystemExit(0)


def run(options: ChassisOptions) -> int:
    """The chassis' life: 0 after SIGTERM/SIGINT, 1 when it cannot start."""
    # Until the event loop takes these over, a stop request still means a clean exit.
    signal.signal(signal.SIGTERM, _stop_before_the_loop)
    signal.signal(signal.SIGINT, _stop_before_the_loop)
    console = claim_stdio()
    zygote = start_zygote(options)  # (it ends when we do, whatever happens below)
    try:
        inventory = prepare_data_dir(options.data_dir,
                                     first_modules(options.modules, options.startup_config))
        lock = _lock(options.data_dir)
    except OSError as exc:
        announce(f"cannot use data dir {options.data_dir}: {exc.strerror or exc}")
        return 1
    except ChassisError as exc:
        announce(str(exc))
        return 1
    absent = [port for port in options.ports if not inventory.has_port(port)]
    if absent:
        lock.close()
        announce(f"cannot wire {', '.join(absent)}: no such port on this chassis' modules "
                 f"({modules_text(inventory)})")
        return 1
    with lock:
        chassis = Chassis(options, zygote, console)
        try:
            chassis.bind()
        except ChassisError as exc:
            announce(str(exc))
            return 1
        try:
            asyncio.run(serve(chassis))
        finally:
            chassis.console.restore()
    return chassis.exit_code
