"""Trunks below the bridge: each TrkN is one bridge port, whose frames leave through one of
its members and whose members' frames enter the bridge as TrkN.

So the bridge (bridge.py) knows nothing of trunks: it learns, floods and counts on `Trk1` as
on any port, and spanning tree sees one port. This module only keeps, per trunk, the members
that may carry traffic now (carrier up, and for an LACP trunk, LACP distributing), and picks
one per frame.

The pick hashes the addresses as the switch's default `L3-based` load balancing does: the
source and destination IPv4 addresses of an IPv4 frame, else the source and destination MACs,
so one conversation always takes one link (no reordering) and a member that goes down moves
only its own conversations. It reads four header octets and indexes a tuple: the per-frame
price of a trunk, paid only on trunks (a port outside any trunk never comes here).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from emulator.fabric.bridge import COUNTER_FIELDS
from emulator.fabric.offload import STANDARD_FRAME, SuperFrame

Send = Callable[[bytes], object]
Link = tuple[Send, list[int]]
"""A member that carries traffic: its transmit function and its live counters."""

RX_BYTES: Final = COUNTER_FIELDS.index("rx_bytes")
TX_BYTES: Final = COUNTER_FIELDS.index("tx_bytes")
RX_UNICAST: Final = COUNTER_FIELDS.index("rx_unicast")
TX_UNICAST: Final = COUNTER_FIELDS.index("tx_unicast")
"""A frame's kind k (0 unicast, 1 broadcast, 2 multicast) counts at RX_UNICAST + 2k and
TX_UNICAST + 2k, as the bridge lays its counters out."""
_BROADCAST: Final = b"\xff" * 6

_IPV4_HI: Final = 0x08
_IPV4_LO: Final = 0x00
_TPID_HI: Final = 0x81


def kind(frame: bytes) -> int:
    """0 unicast, 1 broadcast, 2 multicast."""
    if not frame[0] & 1:
        return 0
    return 1 if frame[:6] == _BROADCAST else 2


def count(counters: list[int], frame: bytes, at_bytes: int, at_frames: int) -> None:
    """A member's own counters: frames enter and leave the bridge as the trunk's, so the
    trunk's counters are the bridge's and each member's are kept here. A super-frame
    (offload.py) counts as the segments it stands for, as the bridge counts it."""
    if len(frame) > STANDARD_FRAME and isinstance(frame, SuperFrame):
        counters[at_bytes] += frame.wire_length(len(frame))
        counters[at_frames + 2 * kind(frame)] += frame.frames()
        return
    counters[at_bytes] += len(frame)
    counters[at_frames + 2 * kind(frame)] += 1


def link_hash(frame: bytes) -> int:
    """The load-balancing hash of a frame: last octets of the IPv4 source and destination
    (either tagged or not), else of the MACs. Frames shorter than an IPv4 header fall back to
    the MACs."""
    offset = 4 if frame[12] == _TPID_HI and frame[13] == 0 else 0
    if (len(frame) >= 34 + offset and frame[12 + offset] == _IPV4_HI
            and frame[13 + offset] == _IPV4_LO):
        return frame[29 + offset] ^ frame[33 + offset]
    return frame[5] ^ frame[11]


class NoLink(OSError):
    """A trunk with no member up: the bridge counts the frame as a transmit drop."""


class Trunks:
    """The trunks of one chassis: members per trunk and the links each may use now."""

    def __init__(self) -> None:
        self.members: dict[str, tuple[str, ...]] = {}
        """TrkN -> its member ports, in port order (as programmed)."""
        self.trunk_of: dict[str, str] = {}
        self.links: dict[str, tuple[Link, ...]] = {}
        """TrkN -> its members that carry traffic now."""
        self.up: dict[str, tuple[str, ...]] = {}
        """TrkN -> the names of those members (for the show commands)."""

    def program(self, members: dict[str, list[str]]) -> None:
        self.members = {trunk: tuple(ports) for trunk, ports in members.items()}
        self.trunk_of = {port: trunk for trunk, ports in self.members.items() for port in ports}
        for trunk in list(self.links):
            if trunk not in self.members:
                del self.links[trunk]
                del self.up[trunk]

    def set_links(self, trunk: str, ports: list[str], links: list[Link]) -> bool:
        """The members of `trunk` that carry traffic now; True if that changed whether the
        trunk has any."""
        had = bool(self.links.get(trunk))
        self.links[trunk] = tuple(links)
        self.up[trunk] = tuple(ports)
        return had != bool(links)

    def sender(self, trunk: str) -> Send:
        """TrkN's transmit function for the bridge: one member per frame, by hash."""
        links = self.links

        def send(frame: bytes) -> object:
            members = links.get(trunk, ())
            if not members:
                raise NoLink(f"{trunk} has no link up")
            member_send, counters = members[link_hash(frame) % len(members)]
            result = member_send(frame)
            count(counters, frame, TX_BYTES, TX_UNICAST)
            return result

        return send
