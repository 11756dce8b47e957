"""`ip dns domain-name NAME` and `ip dns server-address priority N ADDR`: the resolver
settings real configs carry, written after `ip default-gateway` and shown by `show ip`
(Domain Suffix, DNS server). The emulator resolves no names, so nothing else reads them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from emulator.cli.grammar import Command, IntRange, IpAddress, Level, Text, Where
from emulator.commands.format import refused
from emulator.config.model import DNS_PRIORITIES

if TYPE_CHECKING:
    from emulator.cli.context import Call


def set_domain(call: Call) -> None:
    with refused():
        call.device.running.set_dns_domain(call.text("domain-name-str"))


def clear_domain(call: Call) -> None:
    call.device.running.set_dns_domain("")


def set_server(call: Call) -> None:
    with refused():
        call.device.running.dns_server_set(call.number("priority"), call.address("ip-addr"))


def clear_server(call: Call) -> None:
    with refused():
        call.device.running.dns_server_set(call.number("priority"), None)


HELP: Final = {
    "ip": "Configure IP parameters.",
    "dns": "Configure the DNS resolver.",
    "domain-name": "Set the domain suffix appended to host names.",
    "domain-name-str": "The domain suffix.",
    "server-address": "Configure a DNS server address.",
    "priority": "The server's rank: 1 is tried first.",
}

PRIORITY: Final = IntRange(*DNS_PRIORITIES)

ROWS: Final = (
    Command("ip dns domain-name <domain-name-str>", set_domain, where=Where.CONFIG,
            level=Level.MANAGER, params={"domain-name-str": Text()}),
    Command("ip dns domain-name", None, where=Where.CONFIG, level=Level.MANAGER,
            negate=clear_domain),
    Command("ip dns server-address priority <priority> <ip-addr>", set_server,
            where=Where.CONFIG, level=Level.MANAGER,
            params={"priority": PRIORITY, "ip-addr": IpAddress()}, negate=clear_server),
    Command("ip dns server-address priority <priority>", None, where=Where.CONFIG,
            level=Level.MANAGER, params={"priority": PRIORITY}, negate=clear_server),
)
