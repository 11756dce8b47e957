"""`show ip`, `show arp`, `ip default-gateway` and `ping`.

ntc's show_ip template records one row per VLAN; napalm's get_arp_table wants exactly four
tokens per ARP row; napalm's ping reads `is alive` / `Request timed out.` lines and the summary.
"""

from __future__ import annotations

import asyncio
import ipaddress
import math
from typing import TYPE_CHECKING, Final

from emulator import inband, routing
from emulator.cli.grammar import Command, Either, IntRange, IpAddress, Level, Text, Where
from emulator.commands.format import SHOW_HELP, Fields, refused
from emulator.config.model import IpMode, SwitchConfig, Vlan
from emulator.device import ArpEntry
from emulator.hardware import format_mac

if TYPE_CHECKING:
    from emulator.cli.context import Call
    from emulator.device import Device

IP_FIELDS: Final = Fields(indent=2, width=15)
ARP_AGE_MINUTES: Final = 20
IP_CONFIG: Final = {IpMode.DISABLED: "Disabled", IpMode.DHCP: "DHCP/Bootp", IpMode.MANUAL: "Manual"}
PROXY_ARP: Final = ("No", "No")
"""(Std, Local) proxy ARP of a VLAN that has an address; neither is configurable yet."""
IP_HEADER: Final = (
    f"{'':<23}|{'':<44}Proxy ARP \n"
    "  VLAN                 | IP Config  IP Address      Subnet Mask     Std  Local\n"
    "  -------------------- + ---------- --------------- --------------- ----------"
)
ARP_HEADER: Final = (
    "  IP Address      MAC Address       Type    Port\n"
    "  --------------- ----------------- ------- ----"
)

PING_REPETITIONS: Final = 1
PING_TIMEOUT: Final = 5
SELF_RTT_MS: Final = 1
TIMED_OUT: Final = "Request timed out."
PING_USAGE: Final = """\
Usage: ping <IP-ADDR>
            [repetitions <1-10000>] [timeout <1-60>]
            [data-size <0-65471>] [data-fill <0-1024>]
            [source <IP_ADDR|VLAN-ID>]
            [tos <0-255>]

Description: Send IPv4 ping request(s) to a device on the network.

Parameters:

   o IP-ADDR - IPv4 address of device to ping.

   o [repetitions <1-10000>] - Number of times to send ping; the default
     value is 1.

   o [timeout <1-60>] - Seconds within which a response is required
     before the test is considered as failed; the default value is 5.

   o [data-size <0-65471>] - Size of data to send; the default
     size is 0.

   o [data-fill <0-1024>] - The string to be filled in the data portion
     of the packet. A string upto 1024 characters in length can be
     specified. The default value is a 0 length string.

   o [source <IP_ADDR|VLAN-ID>] - The source IPv4 address or VLAN.
   o [tos <0-255>] - Type of Service <0-255>.
Examples:

    (1) hp-switch# ping 1.1.1.1
"""
"""`ping help`, which napalm-procurve reads for the options to use (`   o [data-size ...`):
the 15.x switches' screen (e2910al capture) without what is not emulated (host names, stack
members, loopback sources, IP options)."""


def _vlan_rows(vlan: Vlan) -> list[str]:
    """An address-less VLAN shows its IP Config and nothing after it; a multinetted one a
    row per address, its name on the first alone."""
    if not vlan.ip.addresses:
        return [f"  {vlan.name:<20} | {IP_CONFIG[vlan.ip.mode]} "]
    std, local = PROXY_ARP
    return [f"  {name:<20} | {IP_CONFIG[vlan.ip.mode]:<10} {address.ip!s:<15} "
            f"{address.netmask!s:<15} {std:>3}  {local:>4}"
            for name, address in zip([vlan.name, *[""] * (len(vlan.ip.addresses) - 1)],
                                     vlan.ip.addresses, strict=True)]


def _first_dns_server(config: SwitchConfig) -> str:
    """`DNS server` shows the highest-priority server (`ip dns server-address priority`)."""
    return str(config.dns_servers[min(config.dns_servers)]) if config.dns_servers else ""


def render_ip(device: Device) -> str:
    config = device.running
    gateway = config.default_gateway
    return "\n".join([
        "",
        " Internet (IP) Service",
        "",
        f"  IP Routing : {'Enabled' if config.ip_routing else 'Disabled'}",
        "",
        *([IP_FIELDS.line("Default Gateway", f"{gateway!s:<15}")] if gateway else []),
        IP_FIELDS.line("Default TTL", f"{routing.DEFAULT_TTL:<5}"),
        IP_FIELDS.line("Arp Age", f"{ARP_AGE_MINUTES:<4}"),
        IP_FIELDS.line("Domain Suffix", f"{config.dns_domain:<30}"),
        IP_FIELDS.line("DNS server", f"{_first_dns_server(config):<40}"),
        "",
        IP_HEADER,
        *(row for vid in sorted(config.vlans) for row in _vlan_rows(config.vlans[vid])),
    ])


def render_arp(device: Device) -> str:
    return "\n".join([
        "",
        " IP ARP table",
        "",
        ARP_HEADER,
        *(f"  {e.ip:<15} {format_mac(e.mac):<17} {'dynamic' if e.dynamic else 'static':<7} "
          f"{e.port:<4}" for e in device.arp_table),
    ])


def show_ip(call: Call) -> str:
    return render_ip(call.device)


async def show_arp(call: Call) -> str:
    """The stack's ARP table, each entry on the port its MAC was learned on."""
    device = call.device
    if device.mgmt_netns is not None:
        ports = {(e.mac, e.vlan): e.port for e in device.mac_table}
        device.arp_table = [
            ArpEntry(n.ip, format_mac(n.mac), ports.get((format_mac(n.mac), n.vid), ""),
                     dynamic=not n.permanent)
            for n in await inband.neighbors(device.mgmt_netns)
        ]
    return render_arp(device)


def set_gateway(call: Call) -> None:
    with refused():
        call.device.running.set_default_gateway(
            call.address("ip-addr"))


def clear_gateway(call: Call) -> None:
    with refused():
        call.device.running.set_default_gateway(None)


async def answer(device: Device, target: ipaddress.IPv4Address,
                 probe: inband.Probe) -> int | None:
    """Who answers a ping, and after how many whole ms; None after `timeout` seconds of silence.

    The switch's IP stack sends it (emulator/inband.py). Without one only the switch's own
    addresses answer.
    """
    if device.mgmt_netns is not None:
        rtt = await inband.ping(device.mgmt_netns, str(target), probe)
        return None if rtt is None else max(SELF_RTT_MS, math.ceil(rtt))
    if target in device.running.own_addresses():
        return SELF_RTT_MS
    await asyncio.sleep(probe.timeout)
    return None


def ping_help(call: Call) -> str:
    return PING_USAGE.rstrip("\n")


def ping_summary(sent: int, rtts: list[int]) -> str:
    lost = 100 * (sent - len(rtts)) // sent
    lines = [f"{sent} packets transmitted, {len(rtts)} packets received, {lost}% packet loss"]
    if rtts:
        lines.append(f"round-trip (ms) min/avg/max = "
                     f"{min(rtts)}/{sum(rtts) // len(rtts)}/{max(rtts)}")
    return "\n".join(lines)


async def ping(call: Call) -> str | None:
    """One line per probe as it completes; repeated pings end with the summary."""
    target = call.address("ip-addr")
    count = call.number("repetitions", PING_REPETITIONS)
    source = call.args.get("source")
    probe = inband.Probe(
        timeout=call.number("timeout", PING_TIMEOUT),
        data_size=call.number("data-size", 0),
        source=inband.interface_name(source) if isinstance(source, int)
        else None if source is None else str(source),
        tos=call.number("tos", 0),
        fill=call.text("data-fill", "").encode())
    rtts: list[int] = []
    for iteration in range(1, count + 1):
        rtt = await answer(call.device, target, probe)
        if rtt is None:
            line = TIMED_OUT
        else:
            rtts.append(rtt)
            where = f", iteration {iteration}" if count > 1 else ""
            line = f"{target} is alive{where}, time = {rtt} ms"
        await call.session.emit(line)
    return ping_summary(count, rtts) if count > 1 else None


HELP: Final = {
    "show": SHOW_HELP,
    "ip": "Show IP-related configuration and status information.",
    "arp": "Show IP ARP table.",
    "default-gateway": "Configure the IPv4 default gateway address, which will be used when "
                       "routing is not enabled on the switch.",
    "ip-addr": "IPv4 address.",
    "ping": "Send IPv4 ping request(s) to a device on the network.",
    "repetitions": "Number of times to send ping; the default value is 1.",
    "timeout": "Seconds within which a response is required before the test is considered "
               "as failed; the default value is 5.",
    "data-size": "Size of data to send; the default size is 0.",
    "data-fill": "The string to be filled in the data portion of the packet.",
    "source": "The source IPv4 address or VLAN.",
    "tos": "Type of Service <0-255>.",
    "help": "Show the usage of the ping command.",
}
CONFIG_HELP: Final = {**HELP, "ip": "Configure IP parameters."}

ROWS: tuple[Command, ...] = (
    Command("show ip", show_ip),
    Command("show arp", show_arp),
    Command("ip default-gateway <ip-addr>", set_gateway, where=Where.CONFIG,
            level=Level.MANAGER, params={"ip-addr": IpAddress()}, help=CONFIG_HELP),
    Command("ip default-gateway", None, where=Where.CONFIG, level=Level.MANAGER,
            negate=clear_gateway, help=CONFIG_HELP),
    Command("ping <ip-addr> [repetitions <repetitions>] [timeout <timeout>] "
            "[data-size <data-size>] [data-fill <data-fill>] [source <source>] [tos <tos>]",
            ping,
            params={"ip-addr": IpAddress(), "repetitions": IntRange(1, 10000),
                    "timeout": IntRange(1, 60), "data-size": IntRange(0, 65471),
                    "data-fill": Text(max_length=1024),
                    "source": Either((IpAddress(), IntRange(1, 4094)), "IP_ADDR|VLAN-ID"),
                    "tos": IntRange(0, 255)}),
    Command("ping help", ping_help),
)
