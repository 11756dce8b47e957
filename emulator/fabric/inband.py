"""The switch's own interfaces in its VLANs: where in-band management frames enter the stack.

For every VLAN with an IP address the fabric makes a TAP, moves it into the switch's network
namespace as `vlanN` (emulator/inband.py says why a namespace) with the chassis' base MAC and
the address, and adds its other end to the bridge as an untagged member of VLAN N. The TAPs are
not persistent: they vanish with the fabric, and with them the switch's addresses.

A reset (switchover) takes them out of forwarding like every port; the next program from the new
active module brings back the addresses its config has, which may differ (unsaved ones are lost).
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from emulator import inband
from emulator.fabric.bridge import Bridge
from emulator.fabric.tap import TapPort

SETUP_TIMEOUT: Final = 10.0


@dataclass
class _Interface:
    tap: TapPort
    address: str


class VlanInterfaces:
    """The `vlanN` interfaces of the stack in `netns`, kept equal to the programmed addresses."""

    def __init__(self, netns: str, bridge: Bridge, mac: bytes,
                 drain: Callable[[str, TapPort], None]) -> None:
        self.netns = netns
        self.bridge = bridge
        self.mac = ":".join(f"{b:02x}" for b in mac)
        self.drain = drain
        """The fabric's reader: frames from the stack are forwarded like any port's."""
        self.interfaces: dict[int, _Interface] = {}
        self.gateway: str | None = None

    async def _ip(self, *args: str, stack: bool = True) -> bool:
        argv = inband.ip_command(self.netns, *args) if stack else ["ip", *args]
        code, _, err = await inband.run(argv, SETUP_TIMEOUT)
        if code:
            print(f"procurve-emu: fabric: {' '.join(argv)}: {err.strip()}", file=sys.stderr,
                  flush=True)
        return code == 0

    async def apply(self, addresses: dict[int, str], gateway: str | None) -> None:
        """Make the interfaces match: new VLAN addresses get an interface, changed ones a new
        address, removed ones lose their interface; then the default route, again after any
        address change (the kernel drops a route whose interface lost its address) and until
        it takes (it cannot before an address puts the gateway on a subnet)."""
        for vid in [vid for vid in self.interfaces if vid not in addresses]:
            self._drop(vid)
        changed = False
        for vid, address in addresses.items():
            current = self.interfaces.get(vid)
            if current is None:
                await self._add(vid, address)
                changed = True
            elif current.address != address:
                name = inband.interface_name(vid)
                await self._ip("addr", "flush", "dev", name)
                await self._ip("addr", "add", address, "dev", name)
                current.address = address
                changed = True
            if vid in self.interfaces:  # made, unless the system refused (reported)
                self.bridge.configure(inband.interface_name(vid), enabled=True, pvid=vid,
                                      tagged=())
        if gateway is None:
            if self.gateway is not None:
                await self._ip("route", "del", "default")
            self.gateway = None
        elif (gateway != self.gateway or changed) and await self._ip(
                "route", "replace", "default", "via", gateway):
            self.gateway = gateway

    async def _add(self, vid: int, address: str) -> None:
        name = inband.interface_name(vid)
        # Made here, then moved: a name in our namespace must not clash with other chassis'.
        made = name if self.netns == inband.SELF else f"pcv{os.getpid() % 100000}v{vid}"
        try:
            tap = TapPort.open(made, persistent=False)
        except OSError as exc:
            print(f"procurve-emu: fabric: VLAN {vid} interface: {exc.strerror or exc}",
                  file=sys.stderr, flush=True)
            return
        tap.set_carrier(True)
        ok = await self._ip("link", "set", "dev", made, "address", self.mac, stack=False)
        if made != name:
            ok = ok and await self._ip("link", "set", "dev", made, "netns", self.netns,
                                       stack=False)
            ok = ok and await self._ip("link", "set", "dev", made, "name", name)
        ok = ok and await self._ip("addr", "add", address, "dev", name)
        ok = ok and await self._ip("link", "set", "dev", name, "up")
        if not ok:
            tap.close()
            return
        self.interfaces[vid] = _Interface(tap, address)
        self.bridge.add_port(name)
        self.bridge.attach(name, tap.send)
        asyncio.get_running_loop().add_reader(tap.fileno(), self.drain, name, tap)

    def _drop(self, vid: int) -> None:
        interface = self.interfaces.pop(vid)
        asyncio.get_running_loop().remove_reader(interface.tap.fileno())
        self.bridge.remove_port(inband.interface_name(vid))
        interface.tap.close()

    def reset(self) -> None:
        """The interface-module reset: no frames to or from the stack until the next program."""
        for vid in self.interfaces:
            self.bridge.configure(inband.interface_name(vid), enabled=False, pvid=vid, tagged=())

    def close(self) -> None:
        for interface in self.interfaces.values():
            interface.tap.close()
        self.interfaces.clear()
