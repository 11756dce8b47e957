"""OpenFlow (K.15.10 and later on the zl switches): the `openflow` context (`HP-8212zl
(openflow)#`) with its controllers (`controller-id N ip ADDR [port P] controller-interface
vlan V`), `ip-control-table-mode` and `enable`, and inside it each `instance NAME`
(`HP-8212zl(of-inst-NAME)#`: `member vlan V`, `controller-id N`, `version 1.0|1.3`,
`connection-interruption-mode`, `max-backoff-interval`, `enable`). The one-line forms
(`openflow instance br0 enable`) work too. Kept, written back as the nested block K.15
writes, and shown by `show openflow` and `show openflow instance NAME`; the fabric speaks no
OpenFlow, so an instance never connects (its status is Down).

The screens are reconstructed in the K.15 style (no capture of them is public)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from emulator.cli.context import Mode, ModeKind
from emulator.cli.grammar import VLAN_ID, CliError, Command, IntRange, IpAddress, Level, Text, Where
from emulator.commands.format import SHOW_HELP, Fields, refused
from emulator.config.model import (
    INVALID_INPUT,
    OPENFLOW_BACKOFF_RANGE,
    OPENFLOW_CONTROLLER_IDS,
    OPENFLOW_INTERRUPTION_MODES,
    OPENFLOW_NAME_MAX,
    OPENFLOW_VERSIONS,
    OpenflowController,
)

if TYPE_CHECKING:
    from emulator.cli.context import Call
    from emulator.device import Device

CONTROLLER_ID: Final = IntRange(*OPENFLOW_CONTROLLER_IDS)
NAME: Final = Text("ASCII-STR", OPENFLOW_NAME_MAX)
FIELDS: Final = Fields(indent=1, width=28)
ENABLED: Final = {True: "Enabled", False: "Disabled"}
DEFAULT_VERSION: Final = OPENFLOW_VERSIONS[0]


def _instance_name(call: Call) -> str:
    name = call.session.mode.value
    assert isinstance(name, str), "the instance context holds its name"
    return name


# --- the openflow context ---------------------------------------------------------------

def enter_openflow(call: Call) -> None:
    call.session.enter(Mode(ModeKind.OPENFLOW))


def set_controller(call: Call) -> None:
    controller = OpenflowController(call.address("address"), call.number("vlan-id"),
                                    call.number("port") if "port" in call.args else None)
    with refused():
        call.device.running.openflow.set_controller(call.number("controller-id"), controller)


def remove_controller(call: Call) -> None:
    with refused():
        call.device.running.openflow.set_controller(call.number("controller-id"), None)


def enter_instance(call: Call) -> None:
    name = call.text("name")
    with refused():
        call.device.running.openflow.instance(name)
    call.session.enter(Mode(ModeKind.OPENFLOW_INSTANCE, name))


def remove_instance(call: Call) -> None:
    with refused():
        call.device.running.openflow.instance_remove(call.text("name"))


def set_ip_control_table_mode(call: Call) -> None:
    call.device.running.openflow.set_ip_control_table_mode(not call.negated)


def set_enabled(call: Call) -> None:
    call.device.running.openflow.set_enabled(not call.negated)


# --- an instance's context ----------------------------------------------------------------

def set_member(call: Call) -> None:
    with refused():
        call.device.running.openflow.instance_set_member(_instance_name(call),
                                                         call.number("vlan-id"),
                                                         not call.negated)


def set_instance_controller(call: Call) -> None:
    with refused():
        call.device.running.openflow.instance_set_controller(
            _instance_name(call), call.number("controller-id"), not call.negated)


def set_version(call: Call) -> None:
    with refused():
        call.device.running.openflow.instance_set_version(
            _instance_name(call), None if call.negated else call.text("version"))


def set_interruption_mode(call: Call) -> None:
    mode = OPENFLOW_INTERRUPTION_MODES[0] if call.negated else call.text("mode")
    with refused():
        call.device.running.openflow.instance_set_interruption_mode(_instance_name(call), mode)


def set_max_backoff(call: Call) -> None:
    with refused():
        call.device.running.openflow.instance_set_max_backoff(_instance_name(call),
                                                              call.number("seconds"))


def set_instance_enabled(call: Call) -> None:
    with refused():
        call.device.running.openflow.instance_set_enabled(_instance_name(call),
                                                          not call.negated)


# --- shows --------------------------------------------------------------------------------

def render_openflow(device: Device) -> str:
    openflow = device.running.openflow
    rows = [f"  {name:<20} {'Down':<13} {0:<10} {0:<10} "
            f"{instance.version or DEFAULT_VERSION}"
            for name, instance in openflow.instances.items()]
    return "\n".join([
        "",
        " OpenFlow Configuration",
        "",
        FIELDS.line("OpenFlow", ENABLED[openflow.enabled]),
        FIELDS.line("IP Control Table Mode", ENABLED[openflow.ip_control_table_mode]),
        "",
        " Controller Information",
        "",
        "  Controller Id Connection Status Controller IP   Port  Interface",
        "  ------------- ----------------- --------------- ----- ---------",
        *(f"  {ident:<13} {'Disconnected':<17} {c.address!s:<15} {c.port or 6633:<5} "
          f"VLAN {c.vlan}" for ident, c in sorted(openflow.controllers.items())),
        "",
        " Instance Information",
        "",
        "  Instance Name        Oper. Status  H/W Flows  S/W Flows  Version",
        "  -------------------- ------------- ---------- ---------- -------",
        *rows,
    ])


def render_instance(device: Device, name: str) -> str:
    instance = device.running.openflow.instances.get(name)
    if instance is None:
        raise CliError(INVALID_INPUT.format(token=name))
    members = ",".join(str(vid) for vid in sorted(instance.member_vlans))
    return "\n".join([
        "",
        FIELDS.line("Configured OF Version", instance.version or DEFAULT_VERSION),
        FIELDS.line("Negotiated OF Version", "NA"),
        FIELDS.line("Instance Name", name),
        FIELDS.line("Admin. Status", ENABLED[instance.enabled]),
        FIELDS.line("Member List", f"VLAN {members}" if members else ""),
        FIELDS.line("Oper. Status", "Down"),
        FIELDS.line("Connection Interruption Mode",
                    instance.interruption_mode.replace("fail-", "Fail-").title()),
        FIELDS.line("Maximum Backoff Interval", f"{instance.max_backoff} seconds"),
        FIELDS.line("Controllers", ", ".join(map(str, instance.controllers))),
    ])


def show_openflow(call: Call) -> str:
    return render_openflow(call.device)


def show_instance(call: Call) -> str:
    return render_instance(call.device, call.text("name"))


HELP: Final = {
    "show": SHOW_HELP,
    "openflow": "Configure or show OpenFlow.",
    "controller-id": "A controller, by its number.",
    "ip": "The controller's IP address.",
    "port": "The controller's TCP port (6633 by default).",
    "controller-interface": "The switch's interface the controller is reached through.",
    "vlan": "A VLAN.",
    "instance": "Configure or show an OpenFlow instance.",
    "name": "The instance's name.",
    "ip-control-table-mode": "Enable/disable the IP control table mode.",
    "enable": "Enable/disable OpenFlow (or the instance).",
    "member": "Add or remove a member VLAN.",
    "version": "The OpenFlow version the instance speaks.",
    "connection-interruption-mode": "What the instance does when its controllers are lost.",
    "fail-secure": "Keep the flows, send no new ones (the default).",
    "fail-standalone": "Forward as a normal switch.",
    "max-backoff-interval": "Longest time between attempts to reach a controller.",
}

ROWS: Final = (
    Command("show openflow", show_openflow),
    Command("show openflow instance <name>", show_instance, params={"name": NAME}),
    Command("openflow", enter_openflow, where=Where.CONFIG, level=Level.MANAGER,
            enters=ModeKind.OPENFLOW),
    Command("controller-id <controller-id> ip <address> [port <port>] "
            "controller-interface vlan <vlan-id>", set_controller,
            params={"controller-id": CONTROLLER_ID, "address": IpAddress(),
                    "port": IntRange(1, 65535), "vlan-id": VLAN_ID},
            where=Where.OPENFLOW, level=Level.MANAGER),
    Command("controller-id <controller-id>", None, params={"controller-id": CONTROLLER_ID},
            negate=remove_controller, where=Where.OPENFLOW, level=Level.MANAGER),
    Command("instance <name>", enter_instance, params={"name": NAME}, negate=remove_instance,
            enters=ModeKind.OPENFLOW_INSTANCE, where=Where.OPENFLOW, level=Level.MANAGER),
    Command("ip-control-table-mode", set_ip_control_table_mode,
            negate=set_ip_control_table_mode, where=Where.OPENFLOW, level=Level.MANAGER),
    Command("enable", set_enabled, negate=set_enabled, where=Where.OPENFLOW, level=Level.MANAGER),
    Command("member vlan <vlan-id>", set_member, params={"vlan-id": VLAN_ID},
            negate=set_member, where=Where.OPENFLOW_INSTANCE,
            level=Level.MANAGER),
    Command("controller-id <controller-id>", set_instance_controller,
            params={"controller-id": CONTROLLER_ID}, negate=set_instance_controller,
            where=Where.OPENFLOW_INSTANCE,
            level=Level.MANAGER),
    Command(f"version {{version: {'|'.join(OPENFLOW_VERSIONS)}}}", set_version,
            where=Where.OPENFLOW_INSTANCE,
            level=Level.MANAGER),
    Command("version", None, negate=set_version, where=Where.OPENFLOW_INSTANCE,
            level=Level.MANAGER),
    Command(f"connection-interruption-mode {{mode: {'|'.join(OPENFLOW_INTERRUPTION_MODES)}}}",
            set_interruption_mode, where=Where.OPENFLOW_INSTANCE,
            level=Level.MANAGER),
    Command("connection-interruption-mode", None, negate=set_interruption_mode,
            where=Where.OPENFLOW_INSTANCE,
            level=Level.MANAGER),
    Command("max-backoff-interval <seconds>", set_max_backoff,
            params={"seconds": IntRange(*OPENFLOW_BACKOFF_RANGE)}, where=Where.OPENFLOW_INSTANCE,
            level=Level.MANAGER),
    Command("enable", set_instance_enabled, negate=set_instance_enabled,
            where=Where.OPENFLOW_INSTANCE,
            level=Level.MANAGER),
)
