"""IPv4 access lists as the config holds them: standard and extended ACLs, their entries (ACEs)
by sequence number, remarks, and the text K.15 writes for each entry.

An entry is read from the words a user types after `[SEQ] permit|deny` (the CLI hands them
here: one grammar row per address form and port operator would be thousands of rows) and
written back in the switch's canonical form: every address as `ADDR WILDCARD` (`any` is
`0.0.0.0 255.255.255.255`, `host A` is `A 0.0.0.0`, `A/24` is `A 0.0.0.255`), port names as
numbers, as `show config` prints them. The sequence numbers go up by 10 from the last one.
"""

from __future__ import annotations

import ipaddress
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final

from emulator.config.text import quote
from emulator.ipc.messages import AclDenied, AclEntry

ACL_KINDS: Final = ("standard", "extended")
NUMBERED: Final = {"standard": (1, 99), "extended": (100, 199)}
"""A numeric ACL id is standard in 1-99 and extended in 100-199 (the manual's ranges)."""
NAME_MAX: Final = 64
REMARK_MAX: Final = 100
SEQ_RANGE: Final = (1, 2147483647)
SEQ_STEP: Final = 10
APPLY_DIRECTIONS: Final = ("in", "out", "vlan")
"""`vlan N ip access-group NAME in|out` (routed traffic, an RACL) or `vlan` (a VACL: every
IPv4 frame entering on the VLAN); a port takes `in` only."""

PROTOCOLS: Final = {"ip": -1, "icmp": 1, "igmp": 2, "tcp": 6, "udp": 17, "gre": 47,
                    "esp": 50, "ah": 51, "ospf": 89, "pim": 103, "vrrp": 112, "sctp": 132}
"""The protocol words an extended ACE takes, by IP protocol number (`ip`: any)."""
PORT_NAMES: Final = {
    "tcp": {"bgp": 179, "dns": 53, "ftp": 21, "http": 80, "imap4": 143, "ldap": 389,
            "nntp": 119, "pop2": 109, "pop3": 110, "smtp": 25, "ssl": 443, "telnet": 23},
    "udp": {"bootpc": 68, "bootps": 67, "dns": 53, "ntp": 123, "radius": 1812,
            "radius-old": 1645, "rip": 520, "snmp": 161, "snmp-trap": 162, "tftp": 69},
}
"""Port names K.15 takes in place of a number, per protocol."""
PORT_OPERATORS: Final = ("eq", "gt", "lt", "neq", "range")
ANY: Final = ipaddress.IPv4Address("0.0.0.0")
ALL_WILD: Final = ipaddress.IPv4Address("255.255.255.255")
HOST_WILD: Final = ipaddress.IPv4Address("0.0.0.0")

# The switch's refusals (the wording of the K.15 messages we could not capture is ours).
INVALID: Final = "Invalid input: {token}"
INCOMPLETE: Final = "Incomplete input: {token}"
KIND_CLASH: Final = "ACL {name} already exists as an ACL of type {kind}."
NO_SUCH_ENTRY: Final = "ACE with sequence number {seq} does not exist."
SEQ_IN_USE: Final = "Duplicate sequence number."
NAME_TOO_LONG: Final = f"String too long. Maximum length is {NAME_MAX}."
REMARK_TOO_LONG: Final = f"String too long. Maximum length is {REMARK_MAX}."


class AclError(ValueError):
    """An entry or list the switch refuses; the message is its error text."""


@dataclass(frozen=True)
class PortMatch:
    """`eq 22`, `range 1000 2000`...: the operator and its one or two ports."""

    operator: str
    low: int
    high: int = 0

    def text(self) -> str:
        return f"range {self.low} {self.high}" if self.operator == "range" else \
            f"{self.operator} {self.low}"

    def bounds(self) -> tuple[int, int, bool]:
        """(low, high, inside): the ports matched are low..high, or all but them."""
        return {"eq": (self.low, self.low, True), "gt": (self.low + 1, 65535, True),
                "lt": (0, self.low - 1, True), "neq": (self.low, self.low, False),
                "range": (self.low, self.high, True)}[self.operator]


@dataclass(frozen=True)
class Ace:
    """One entry. A standard ACE has only a source (protocol None)."""

    permit: bool
    source: ipaddress.IPv4Address
    source_wild: ipaddress.IPv4Address
    protocol: str | None = None
    """A word of PROTOCOLS or a protocol number as text; None in a standard ACL."""
    source_ports: PortMatch | None = None
    destination: ipaddress.IPv4Address = ANY
    destination_wild: ipaddress.IPv4Address = ALL_WILD
    destination_ports: PortMatch | None = None
    established: bool = False
    icmp_type: int | None = None
    log: bool = False

    def text(self) -> str:
        words = ["permit" if self.permit else "deny"]
        if self.protocol is not None:
            words.append(self.protocol)
        words += [str(self.source), str(self.source_wild)]
        if self.source_ports is not None:
            words.append(self.source_ports.text())
        if self.protocol is not None:
            words += [str(self.destination), str(self.destination_wild)]
            if self.destination_ports is not None:
                words.append(self.destination_ports.text())
            if self.established:
                words.append("established")
            if self.icmp_type is not None:
                words.append(str(self.icmp_type))
        if self.log:
            words.append("log")
        return " ".join(words)

    def protocol_number(self) -> int:
        """-1 for any IP protocol (standard ACEs and `ip`)."""
        if self.protocol is None:
            return -1
        return PROTOCOLS.get(self.protocol, -1) if not self.protocol.isdigit() else \
            int(self.protocol)


@dataclass
class AccessList:
    name: str
    kind: str
    entries: dict[int, Ace] = field(default_factory=dict)
    remarks: dict[int, str] = field(default_factory=dict)
    pending_remark: str | None = field(default=None, compare=False)
    """A remark typed without a sequence number: it goes with the next entry (the config
    cannot write it until then, so it is not part of the list's value)."""

    def next_seq(self) -> int:
        return max((*self.entries, *self.remarks, 0)) + SEQ_STEP

    def add(self, ace: Ace, seq: int | None) -> int:
        if seq is None:
            seq = self.next_seq()
        elif seq in self.entries:
            raise AclError(SEQ_IN_USE)
        low, high = SEQ_RANGE
        if not low <= seq <= high:
            raise AclError(INVALID.format(token=seq))
        self.entries[seq] = ace
        if self.pending_remark is not None:
            self.remarks[seq] = self.pending_remark
            self.pending_remark = None
        return seq

    def remark(self, text: str, seq: int | None) -> None:
        if len(text) > REMARK_MAX:
            raise AclError(REMARK_TOO_LONG)
        if seq is None:
            self.pending_remark = text
        else:
            self.remarks[seq] = text

    def remove(self, seq: int) -> None:
        if seq not in self.entries:
            raise AclError(NO_SUCH_ENTRY.format(seq=seq))
        del self.entries[seq]
        self.remarks.pop(seq, None)

    def wire(self) -> list[AclEntry]:
        """The entries as the fabric matches them (fabric/acl.py)."""
        return [_wire_entry(seq, ace) for seq, ace in sorted(self.entries.items())]

    def lines(self) -> list[str]:
        """The body of its `ip access-list` block: each remark right before its entry."""
        body = []
        for seq in sorted({*self.entries, *self.remarks}):
            if seq in self.remarks:
                body.append(f"{seq} remark {quote(self.remarks[seq])}")
            if seq in self.entries:
                body.append(f"{seq} {self.entries[seq].text()}")
        return body


def _wire_entry(seq: int, ace: Ace) -> AclEntry:
    def ports(match: PortMatch | None) -> list[int]:
        return [] if match is None else [int(b) for b in match.bounds()]

    return AclEntry(seq, ace.permit, ace.protocol_number(), int(ace.source),
                    int(ace.source_wild), int(ace.destination), int(ace.destination_wild),
                    ports(ace.source_ports), ports(ace.destination_ports), ace.established,
                    -1 if ace.icmp_type is None else ace.icmp_type, ace.log and not ace.permit)


def denied_text(denied: AclDenied) -> str:
    """A logged deny as the switch words it (`ACL 02/01/07 10:04:45 List NO-TELNET, seq#10
    denied tcp 10.10.10.3(1612)->10.10.20.2(23) on vlan 1, port A7`), or the count of a
    window's further ones (`ACL NO-TELNET seq#10 denied 6 packets`)."""
    if denied.count:
        return f"ACL {denied.acl} seq#{denied.seq} denied {denied.count} packets"
    stamp = time.strftime("%m/%d/%y %H:%M:%S", time.localtime(denied.when))
    return f"ACL {stamp} List {denied.acl}, seq#{denied.seq} denied {denied.text}"


def numbered_kind(name: str) -> str | None:
    """The kind a numeric id means (`1`-`99` standard, `100`-`199` extended), None for a name.
    Any other number is refused: numbers are ids, not names."""
    if not name.isascii() or not name.isdigit():
        return None
    number = int(name)
    for kind, (low, high) in NUMBERED.items():
        if low <= number <= high:
            return kind
    raise AclError(INVALID.format(token=name))


def check_name(name: str, kind: str) -> None:
    if len(name) > NAME_MAX:
        raise AclError(NAME_TOO_LONG)
    numbered = numbered_kind(name)
    if numbered is not None and numbered != kind:
        raise AclError(INVALID.format(token=name))


def parse_ace(kind: str, permit: bool, words: Sequence[str]) -> Ace:
    """The entry `words` (what follows permit/deny) state, or the switch's refusal."""
    reader = _Words(list(words))
    if kind == "standard":
        source, wild = reader.address()
        log = reader.log()
        reader.done()
        return Ace(permit, source, wild, log=log)
    protocol = reader.protocol()
    source, source_wild = reader.address()
    ported = protocol in PORT_NAMES
    source_ports = reader.ports(protocol) if ported else None
    destination, destination_wild = reader.address()
    destination_ports = reader.ports(protocol) if ported else None
    established = protocol == "tcp" and reader.keyword("established")
    icmp_type = reader.number(0, 255) if protocol == "icmp" else None
    log = reader.log()
    reader.done()
    return Ace(permit, source, source_wild, protocol, source_ports, destination,
               destination_wild, destination_ports, established, icmp_type, log)


class _Words:
    """The words of an entry, read left to right; each refusal names the word at fault."""

    def __init__(self, words: list[str]) -> None:
        self.words = words
        self.at = 0
        self.last = ""

    def peek(self) -> str | None:
        return self.words[self.at].lower() if self.at < len(self.words) else None

    def take(self) -> str:
        if self.at >= len(self.words):
            raise AclError(INCOMPLETE.format(token=self.last or "permit"))
        self.last = self.words[self.at]
        self.at += 1
        return self.last

    def invalid(self) -> AclError:
        return AclError(INVALID.format(token=self.last))

    def keyword(self, word: str) -> bool:
        if self.peek() == word:
            self.take()
            return True
        return False

    def log(self) -> bool:
        return self.keyword("log")

    def done(self) -> None:
        if self.at < len(self.words):
            self.take()
            raise self.invalid()

    def ip(self) -> ipaddress.IPv4Address:
        token = self.take()
        try:
            return ipaddress.IPv4Address(token)
        except ValueError:
            raise self.invalid() from None

    def number(self, low: int, high: int) -> int | None:
        token = self.peek()
        if token is None or not token.isascii() or not token.isdigit():
            return None
        self.take()
        if len(token) > len(str(high)) or not low <= int(token) <= high:
            raise self.invalid()
        return int(token)

    def protocol(self) -> str:
        token = self.take().lower()
        if token in PROTOCOLS:
            return token
        if token.isascii() and token.isdigit() and len(token) <= 3 and int(token) <= 255:
            return str(int(token))
        raise self.invalid()

    def address(self) -> tuple[ipaddress.IPv4Address, ipaddress.IPv4Address]:
        """`any`, `host A`, `A/N` or `A WILDCARD`, as (address, wildcard)."""
        token = self.take()
        lowered = token.lower()
        if lowered == "any":
            return ANY, ALL_WILD
        if lowered == "host":
            return self.ip(), HOST_WILD
        if "/" in token:
            try:
                network = ipaddress.IPv4Interface(token)
            except ValueError:
                raise self.invalid() from None
            return network.ip, network.hostmask
        self.at -= 1
        address = self.ip()
        return address, self.ip()

    def port(self, protocol: str) -> int:
        token = self.take()
        named = PORT_NAMES[protocol].get(token.lower())
        if named is not None:
            return named
        if not token.isascii() or not token.isdigit() or len(token) > 5 or int(token) > 65535:
            raise self.invalid()
        return int(token)

    def ports(self, protocol: str) -> PortMatch | None:
        operator = self.peek()
        if operator not in PORT_OPERATORS:
            return None
        self.take()
        low = self.port(protocol)
        if operator == "range":
            high = self.port(protocol)
            if high < low:
                raise self.invalid()
            return PortMatch(operator, low, high)
        if (operator == "gt" and low == 65535) or (operator == "lt" and low == 0):
            raise self.invalid()
        return PortMatch(operator, low)
