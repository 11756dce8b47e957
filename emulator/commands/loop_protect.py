"""Loop protection: `[no] loop-protect PORT-LIST [receiver-action send-disable|no-disable]`,
`loop-protect transmit-interval N`, `loop-protect disable-timer N`, `[no] loop-protect trap
loop-detected` and `show loop-protect [PORT-LIST]`.

The fabric sends the frames and disables a port whose frame comes back (fabric/loop_protect.py);
the screen is a K.15-era switch's, as captured on a ProCurve with a cable looped between two
ports (title, three settings, the per-port table)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from emulator.cli.grammar import PORT_LIST, Command, IntRange, Level, Where
from emulator.commands.format import SHOW_HELP, installed_ports, refused, yes_no
from emulator.config.model import (
    LOOP_PROTECT_ACTIONS,
    LOOP_PROTECT_DISABLE_TIMER,
    LOOP_PROTECT_INTERVAL,
)
from emulator.fabric.loop_protect import LoopStatus
from emulator.hardware import port_sort_key

if TYPE_CHECKING:
    from emulator.cli.context import Call
    from emulator.device import Device

TITLE: Final = " Status and Counters - Loop Protection Information"
HEADER: Final = (
    "       Loop    Loop     Loop   Time Since  Rx           Port\n"
    "  Port Protect Detected Count  Last Loop   Action       Status  \n"
    "  ---- ------- -------- ------ ----------- ------------ --------")
TIMER_OFF: Final = "Disabled"


def protect(call: Call) -> None:
    ports = installed_ports(call.ports("port-list"), call.device)
    action = None if call.negated else call.args.get("action", LOOP_PROTECT_ACTIONS[0])
    assert action is None or isinstance(action, str)
    with refused():
        call.device.running.loop_protect_set(ports, action)


def set_interval(call: Call) -> None:
    seconds = LOOP_PROTECT_INTERVAL[2] if call.negated else call.number("seconds")
    with refused():
        call.device.running.set_loop_protect_interval(seconds)


def set_disable_timer(call: Call) -> None:
    seconds = LOOP_PROTECT_DISABLE_TIMER[2] if call.negated else call.number("seconds")
    with refused():
        call.device.running.set_loop_protect_disable_timer(seconds)


def set_trap(call: Call) -> None:
    call.device.running.set_loop_protect_trap(not call.negated)


def _since(seconds: int | None) -> str:
    """`2s`, as the captured screen prints it (longer spans in the largest whole unit: our
    choice, the capture shows only seconds)."""
    if seconds is None:
        return ""
    for size, unit in ((86400, "d"), (3600, "h"), (60, "m")):
        if seconds >= size:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def render_loop_protect(device: Device, ports: list[str] | None = None) -> str:
    """Protected ports only, unless ports are named (then each, protected or not)."""
    running = device.running
    live = {row.port: row for row in device.loop_protect}
    shown = sorted(running.loop_protect, key=port_sort_key) if ports is None else ports
    rows = []
    for port in shown:
        action = running.loop_protect.get(port)
        status = live.get(port) or LoopStatus(port, action or "", False, 0, None, False)
        up = device.ports[port].link_up and not status.disabled
        rows.append(f"  {port:<4} {yes_no(action is not None):<7} {yes_no(status.detected):<8} "
                    f"{status.count:<6} {_since(status.since_last):<11} "
                    f"{action or LOOP_PROTECT_ACTIONS[0]:<12} {'Up' if up else 'Down'}")
    timer = running.loop_protect_disable_timer
    return "\n".join([
        "",
        TITLE,
        "",
        f" Transmit Interval (sec)     : {running.loop_protect_interval}",
        f" Port Disable Timer (sec)    : {timer or TIMER_OFF}",
        f" Loop Detected Trap          : {'Enabled' if running.loop_protect_trap else 'Disabled'}",
        "",
        HEADER,
        *rows,
    ])


def show_loop_protect(call: Call) -> str:
    ports = (installed_ports(call.ports("port-list"), call.device) if "port-list" in call.args
             else None)
    return render_loop_protect(call.device, ports)


HELP: Final = {
    "show": SHOW_HELP,
    "loop-protect": "Configure loop protection on the device.",
    "port-list": "Specify the ports that are to be added to/removed from loop protection.",
    "receiver-action": "Set the action to be taken when a loop is detected on the port.",
    "send-disable": "Disable the port that sent the loop protection packet.",
    "no-disable": "Do not disable the port when a loop is detected.",
    "transmit-interval": "Set time between packet transmissions.",
    "disable-timer": "Specify the number of seconds to wait before re-enabling a disabled "
                     "port.The default is 0, which will prevent automatically re-enabling the "
                     "port",
    "trap": "Specify loop protection traps that are to be enabled/disabled.",
    "loop-detected": "Send a trap when a loop is detected on a port.",
}

_INTERVAL = IntRange(*LOOP_PROTECT_INTERVAL[:2])
_TIMER = IntRange(*LOOP_PROTECT_DISABLE_TIMER[:2])

ROWS: Final = (
    Command(f"loop-protect <port-list> [receiver-action {{action: "
            f"{'|'.join(LOOP_PROTECT_ACTIONS)}}}]", protect, where=Where.CONFIG,
            level=Level.MANAGER, params={"port-list": PORT_LIST}, negate=protect),
    Command("loop-protect transmit-interval <seconds>", set_interval, where=Where.CONFIG,
            level=Level.MANAGER, params={"seconds": _INTERVAL}),
    Command("loop-protect transmit-interval", None, where=Where.CONFIG, level=Level.MANAGER,
            negate=set_interval),
    Command("loop-protect disable-timer <seconds>", set_disable_timer, where=Where.CONFIG,
            level=Level.MANAGER, params={"seconds": _TIMER}),
    Command("loop-protect disable-timer", None, where=Where.CONFIG, level=Level.MANAGER,
            negate=set_disable_timer),
    Command("loop-protect trap loop-detected", set_trap, where=Where.CONFIG,
            level=Level.MANAGER, negate=set_trap),
    Command("show loop-protect [<port-list>]", show_loop_protect,
            params={"port-list": PORT_LIST}),
)
