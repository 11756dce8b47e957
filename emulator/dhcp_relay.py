"""The DHCP relay agent (RFC 1542, option 82 per RFC 3046), run by the active management module
in the switch's in-band namespace, where the VLAN interfaces live.

Why our own small relay and not ISC's dhcrelay: dhcrelay relays every interface it serves to
one list of servers, while the switch keeps a helper list per VLAN (`vlan 20 ip
helper-address A`); one dhcrelay per VLAN would need as many processes all bound to UDP 67,
where only one receives a server's unicast reply. The agent is one UDP socket on port 67 in
the namespace: IP_PKTINFO names the address of the interface a client's broadcast came in on,
which is its VLAN's address (the giaddr); the request goes to that VLAN's helpers, and the
server's reply (to the giaddr, port 67) is broadcast to the client out of that VLAN's
interface. Hop count, option 82 (append, replace, drop, keep; remote ID the switch's MAC,
the VLAN's or the management VLAN's address; circuit ID the ifIndex of the port the client's
MAC was learnt on) and reply validation follow the config. It reads the running config at
each packet, so a change applies at once; it stops with the module (its socket goes with it).
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import socket
import struct
import sys
from typing import TYPE_CHECKING, Final

from emulator import inband
from emulator.config.model import IpMode, Option82
from emulator.hardware import if_index, mac_bytes

if TYPE_CHECKING:
    from emulator.device import Device

SERVER_PORT: Final = 67
CLIENT_PORT: Final = 68
BOOTREQUEST: Final = 1
BOOTREPLY: Final = 2
MAGIC: Final = b"\x63\x82\x53\x63"
OPTIONS_AT: Final = 240
MAX_HOPS: Final = 16
OPTION_PAD: Final = 0
OPTION_END: Final = 255
OPTION_AGENT: Final = 82
SUB_CIRCUIT: Final = 1
SUB_REMOTE: Final = 2
IP_PKTINFO: Final = getattr(socket, "IP_PKTINFO", 8)
_PKTINFO: Final = struct.Struct("=I4s4s")
"""struct in_pktinfo: interface index, local (spec_dst) address, header destination."""
COUNTERS: Final = ("requests_valid", "requests_dropped", "responses_valid",
                   "responses_dropped")
"""What `show dhcp-relay` counts: client requests and server responses, relayed or dropped."""


def options(packet: bytes) -> list[tuple[int, bytes]]:
    """The DHCP options after the magic cookie, as (code, value); ValueError if cut short."""
    found: list[tuple[int, bytes]] = []
    at = OPTIONS_AT
    while at < len(packet):
        code = packet[at]
        if code == OPTION_END:
            return found
        if code == OPTION_PAD:
            at += 1
            continue
        if at + 1 >= len(packet) or at + 2 + packet[at + 1] > len(packet):
            raise ValueError("option cut short")
        found.append((code, packet[at + 2:at + 2 + packet[at + 1]]))
        at += 2 + packet[at + 1]
    return found


def with_options(packet: bytes, found: list[tuple[int, bytes]]) -> bytes:
    body = b"".join(bytes((code, len(value))) + value for code, value in found)
    return packet[:OPTIONS_AT] + body + bytes((OPTION_END,))


def agent_option(circuit: bytes, remote: bytes) -> bytes:
    return bytes((SUB_CIRCUIT, len(circuit))) + circuit + bytes((SUB_REMOTE, len(remote))) + \
        remote


class DhcpRelay:
    """The agent of one active module; `start` binds it, `close` lets go of port 67."""

    def __init__(self, device: Device, netns: str) -> None:
        self.device = device
        self.netns = netns
        self.sock: socket.socket | None = None
        self.tasks: set[asyncio.Task[None]] = set()
        for name in COUNTERS:
            device.dhcp_relay_counters.setdefault(name, 0)

    def start(self) -> None:
        """Bind UDP 67 in the namespace; where that fails (another DHCP server or relay holds
        it, as may happen with `--mgmt-netns self`) the switch runs without a relay, said on
        stderr, rather than not at all."""
        try:
            with inband.entered(self.netns):
                sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            try:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
                sock.setsockopt(socket.IPPROTO_IP, IP_PKTINFO, 1)
                sock.bind(("0.0.0.0", SERVER_PORT))
            except OSError:
                sock.close()
                raise
        except OSError as exc:
            print(f"procurve-emu: DHCP relay not started: {exc.strerror or exc}",
                  file=sys.stderr, flush=True)
            return
        sock.setblocking(False)
        self.sock = sock
        asyncio.get_running_loop().add_reader(sock.fileno(), self.readable)

    def close(self) -> None:
        if self.sock is not None:
            asyncio.get_running_loop().remove_reader(self.sock.fileno())
            self.sock.close()
            self.sock = None
        for task in self.tasks:
            task.cancel()

    def count(self, name: str) -> None:
        self.device.dhcp_relay_counters[name] += 1

    def readable(self) -> None:
        sock = self.sock
        if sock is None:
            return
        for _ in range(64):
            try:
                data, ancillary, _, _ = sock.recvmsg(4096, socket.CMSG_SPACE(_PKTINFO.size))
            except (BlockingIOError, InterruptedError):
                return
            except OSError:
                return
            local = next((ipaddress.IPv4Address(_PKTINFO.unpack(d[:_PKTINFO.size])[1])
                          for level, kind, d in ancillary
                          if level == socket.IPPROTO_IP and kind == IP_PKTINFO
                          and len(d) >= _PKTINFO.size), None)
            if len(data) < OPTIONS_AT or data[236:240] != MAGIC or local is None:
                continue
            if data[0] == BOOTREQUEST:
                task = asyncio.get_running_loop().create_task(self.request(data, local))
                self.tasks.add(task)
                task.add_done_callback(self.tasks.discard)
            elif data[0] == BOOTREPLY:
                self.reply(data)

    def _vlan_of(self, address: ipaddress.IPv4Address) -> int | None:
        return next((vid for vid, vlan in self.device.running.vlans.items()
                     if vlan.ip.mode is IpMode.MANUAL
                     and any(held.ip == address for held in vlan.ip.addresses)), None)

    async def request(self, data: bytes, local: ipaddress.IPv4Address) -> None:
        """A client's request that came in on the VLAN holding the address `local`: to each
        of that VLAN's helpers, with the giaddr and hop count set and option 82 as configured.
        The giaddr is the VLAN's primary address whichever of its addresses the stack chose,
        as the switch relays from the first address of a multinetted VLAN."""
        running = self.device.running
        vid = self._vlan_of(local)
        primary = None if vid is None else running.vlans[vid].ip.primary
        local = local if primary is None else primary.ip
        helpers = [] if vid is None else running.vlans[vid].helper_addresses
        if not running.dhcp_relay or not helpers or data[3] >= MAX_HOPS:
            if helpers:
                self.count("requests_dropped")
            return
        packet = bytearray(data)
        if packet[24:28] == bytes(4):
            packet[24:28] = local.packed
        if running.dhcp_relay_hop_count:
            packet[3] += 1
        option = running.dhcp_relay_option82
        relayed: bytes | None = bytes(packet)
        if option is not None:
            circuit = await self._circuit(data[28:34], vid or 0)
            relayed = self._with_agent(bytes(packet), option, circuit, local)
        if relayed is None or self.sock is None:
            self.count("requests_dropped")
            return
        for helper in helpers:
            with contextlib.suppress(OSError):
                self.sock.sendto(relayed, (str(helper), SERVER_PORT))
        self.count("requests_valid")

    async def _circuit(self, chaddr: bytes, vid: int) -> bytes:
        """The ifIndex of the port where the client's MAC is learnt (the fabric's table read
        now); the VLAN id if it is not known."""
        for refresh in self.device.on_refresh:
            await refresh()
        port = next((e.port for e in self.device.mac_table
                     if mac_bytes(e.mac) == chaddr and e.vlan == vid), None)
        number = vid if port is None else if_index(port)
        return number.to_bytes(2 if number > 0xFF else 1, "big")

    def _remote_id(self, option: Option82, local: ipaddress.IPv4Address) -> bytes:
        if option.remote_id == "ip":
            return local.packed
        if option.remote_id == "mgmt-vlan":
            vid = self.device.running.management_vlan
            vlan = None if vid is None else self.device.running.vlans.get(vid)
            if vlan is not None and vlan.ip.primary is not None:
                return vlan.ip.primary.ip.packed
        return mac_bytes(self.device.inventory.base_mac)

    def _with_agent(self, packet: bytes, option: Option82, circuit: bytes,
                    local: ipaddress.IPv4Address) -> bytes | None:
        """The request with option 82 as the policy says; None when it is to be dropped."""
        try:
            found = options(packet)
        except ValueError:
            return None
        has_agent = any(code == OPTION_AGENT for code, _ in found)
        if option.policy == "keep" and has_agent:
            return packet
        if option.policy == "drop" and has_agent:
            return None
        if option.policy == "replace":
            found = [(code, value) for code, value in found if code != OPTION_AGENT]
        found.append((OPTION_AGENT, agent_option(circuit, self._remote_id(option, local))))
        return with_options(packet, found)

    def reply(self, data: bytes) -> None:
        """A server's reply to one of our giaddrs: broadcast to the client on that VLAN."""
        giaddr = ipaddress.IPv4Address(data[24:28])
        vid = self._vlan_of(giaddr)
        option = self.device.running.dhcp_relay_option82
        packet: bytes | None = data
        if vid is None or not self.device.running.dhcp_relay:
            return
        if option is not None and option.policy != "keep":
            packet = self._without_agent(data, option, giaddr)
        if packet is None or self.sock is None:
            self.count("responses_dropped")
            return
        try:
            with inband.entered(self.netns):
                index = socket.if_nametoindex(inband.interface_name(vid))
            pktinfo = _PKTINFO.pack(index, giaddr.packed, bytes(4))
            self.sock.sendmsg([packet], [(socket.IPPROTO_IP, IP_PKTINFO, pktinfo)], 0,
                              ("255.255.255.255", CLIENT_PORT))
        except OSError as exc:
            print(f"procurve-emu: DHCP relay: VLAN {vid}: {exc.strerror or exc}",
                  file=sys.stderr, flush=True)
            self.count("responses_dropped")
            return
        self.count("responses_valid")

    def _without_agent(self, data: bytes, option: Option82,
                       giaddr: ipaddress.IPv4Address) -> bytes | None:
        """Our option 82 taken out before the client sees it; with `validate`, a reply
        without our remote ID is dropped."""
        try:
            found = options(data)
        except ValueError:
            return None
        ours = self._remote_id(option, giaddr)
        agents = [value for code, value in found if code == OPTION_AGENT]
        if option.validate and not any(ours in value for value in agents):
            return None
        return with_options(data, [(c, v) for c, v in found if c != OPTION_AGENT])
