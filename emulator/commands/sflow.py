"""sFlow: `sflow N destination ADDR [PORT]`, `sflow N sampling PORTS RATE` and `sflow N
polling PORTS SECONDS` (instances 1-3), kept, written back after the credentials, and shown by
`show sflow agent`, `show sflow N destination` and `show sflow N sampling-polling [PORTS]`.
The emulator sends no sFlow datagrams: the screens count none.

The screens are reconstructed in the K.15 style (no capture of them is public)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from emulator.cli.grammar import PORT_LIST, Command, IntRange, IpAddress, Level, Where
from emulator.commands.format import SHOW_HELP, Fields, installed_ports, refused
from emulator.config.model import (
    SFLOW_INSTANCES,
    SFLOW_POLLING_RANGE,
    SFLOW_PORT_DEFAULT,
    SFLOW_SAMPLING_RANGE,
)
from emulator.hardware import SOFTWARE_REVISION

if TYPE_CHECKING:
    from emulator.cli.context import Call
    from emulator.device import Device

INSTANCE: Final = IntRange(*SFLOW_INSTANCES, "<1-3>")
FIELDS: Final = Fields(indent=1, width=29)
AGENT_VERSION: Final = f"1.3;HP;{SOFTWARE_REVISION}"
"""sFlowAgentVersion: MIB version; organisation; software revision."""
NO_ADDRESS: Final = "0.0.0.0"
TIMEOUT: Final = 2147483647
DATAGRAM_SIZE: Final = 1400
DATAGRAM_VERSION: Final = 5
SAMPLING_HEADER: Final = (
    "             |                         |                 |  Polling\n"
    "       Port  | Enabled  Rate    Header | Dropped Samples |  Enabled  Interval\n"
    "  ---------- + -------  ------- ------ + --------------- +  -------  --------")
HEADER_SIZE: Final = 128


def render_agent(device: Device) -> str:
    address = device.running.management_address() or NO_ADDRESS
    return "\n".join(["", " sFlow Agent Information", "",
                      FIELDS.line("Version", AGENT_VERSION),
                      FIELDS.line("Agent Address", address)])


def render_destination(device: Device, instance: int) -> str:
    sflow = device.running.sflow.get(instance)
    return "\n".join([
        "",
        FIELDS.line("Destination Instance", str(instance)),
        FIELDS.line("sflow", "Disabled" if sflow is None else "Enabled"),
        FIELDS.line("Datagrams Sent", "0"),
        FIELDS.line("Destination Address",
                    NO_ADDRESS if sflow is None else str(sflow.destination)),
        FIELDS.line("Receiver Port",
                    str(SFLOW_PORT_DEFAULT if sflow is None else sflow.udp_port)),
        FIELDS.line("Owner", "" if sflow is None
                    else f"Administrator, CLI-owned, Instance {instance}"),
        FIELDS.line("Timeout (seconds)", str(TIMEOUT if sflow else 0)),
        FIELDS.line("Max Datagram Size", str(DATAGRAM_SIZE)),
        FIELDS.line("Datagram Version Support", str(DATAGRAM_VERSION)),
    ])


def render_sampling_polling(device: Device, instance: int, ports: list[str]) -> str:
    sflow = device.running.sflow.get(instance)
    sampling = {} if sflow is None else sflow.sampling
    polling = {} if sflow is None else sflow.polling

    def row(port: str) -> str:
        rate, interval = sampling.get(port, 0), polling.get(port, 0)
        return (f"  {port:>10} | {'Yes' if rate else 'No':<7}  {rate:<7} {HEADER_SIZE:<6} | "
                f"{0:<15} |  {'Yes' if interval else 'No':<7}  {interval}")

    return "\n".join(["", SAMPLING_HEADER, *(row(port) for port in ports)])


def show_agent(call: Call) -> str:
    return render_agent(call.device)


def show_destination(call: Call) -> str:
    return render_destination(call.device, call.number("instance"))


def show_sampling_polling(call: Call) -> str:
    ports = (installed_ports(call.ports("port-list"), call.device) if "port-list" in call.args
             else call.device.inventory.ports())
    return render_sampling_polling(call.device, call.number("instance"), ports)


def set_destination(call: Call) -> None:
    with refused():
        call.device.running.sflow_set_destination(
            call.number("instance"), call.address("address"),
            call.number("udp-port", SFLOW_PORT_DEFAULT))


def clear_destination(call: Call) -> None:
    with refused():
        call.device.running.sflow_set_destination(call.number("instance"), None)


def set_ports(call: Call) -> None:
    what = call.text("what")
    value = 0 if call.negated else call.number(what)
    with refused():
        call.device.running.sflow_set_ports(call.number("instance"), what,
                                            call.ports("port-list"), value)


HELP: Final = {
    "show": SHOW_HELP,
    "sflow": "Configure or show sFlow.",
    "instance": "The sFlow instance (receiver).",
    "agent": "Show the sFlow agent's information.",
    "destination": "Set the instance's sFlow receiver.",
    "address": "The receiver's IP address.",
    "udp-port": "The receiver's UDP port (6343 by default).",
    "sampling": "Sample one in RATE frames on the ports (0 stops).",
    "polling": "Send the ports' counters every N seconds (0 stops).",
    "sampling-polling": "Show the ports' sampling and polling settings.",
    "port-list": "The ports.",
}

ROWS: Final = (
    Command("show sflow agent", show_agent),
    Command("show sflow <instance> destination", show_destination,
            params={"instance": INSTANCE}),
    Command("show sflow <instance> sampling-polling [<port-list>]", show_sampling_polling,
            params={"instance": INSTANCE, "port-list": PORT_LIST}),
    Command("sflow <instance> destination <address> [<udp-port>]", set_destination,
            where=Where.CONFIG, level=Level.MANAGER,
            params={"instance": INSTANCE, "address": IpAddress(),
                    "udp-port": IntRange(1, 65535)}),
    Command("sflow <instance> destination", None, where=Where.CONFIG, level=Level.MANAGER,
            params={"instance": INSTANCE}, negate=clear_destination),
    Command("sflow <instance> {what: sampling} <port-list> <sampling>", set_ports,
            where=Where.CONFIG, level=Level.MANAGER,
            params={"instance": INSTANCE, "port-list": PORT_LIST,
                    "sampling": IntRange(*SFLOW_SAMPLING_RANGE)}),
    Command("sflow <instance> {what: polling} <port-list> <polling>", set_ports,
            where=Where.CONFIG, level=Level.MANAGER,
            params={"instance": INSTANCE, "port-list": PORT_LIST,
                    "polling": IntRange(*SFLOW_POLLING_RANGE)}),
    Command("sflow <instance> {what: sampling|polling} <port-list>", None, where=Where.CONFIG,
            level=Level.MANAGER, params={"instance": INSTANCE, "port-list": PORT_LIST},
            negate=set_ports),
)
