"""The switch's own interfaces in its VLANs: where in-band management frames enter the stack.

For every VLAN with an IP address the fabric makes a TAP inside the switch's network
namespace as `vlanN` (emulator/inband.py says why a namespace) with the chassis' base MAC and
the VLAN's addresses (all of a multinetted VLAN's, the primary first), and adds its other end
to the bridge as an untagged member of VLAN N. The TAPs are not persistent: they vanish with the
fabric, and with them the switch's addresses.

A reset (switchover) takes them out of forwarding like every port; the next program from the new
active module brings back the addresses its config has, which may differ (unsaved ones are lost).
"""

from __future__ import annotations

import asyncio
import json
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
    addresses: list[str]


def _adds(vid: int, addresses: list[str]) -> list[str]:
    """`ip` lines giving `vlanN` its addresses, the primary first (the stack's first address on
    a link is the one it answers broadcasts and sources from)."""
    return [f"addr add {address} dev {inband.interface_name(vid)}" for address in addresses]


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
        self.routes: list[str] | None = []
        """The routes installed (None: some were refused, all are tried again)."""
        self.forwarding = False

    async def _ip(self, *args: str, stack: bool = True) -> bool:
        return await self._batch([" ".join(args)], stack=stack)

    async def _batch(self, lines: list[str], stack: bool = True) -> bool:
        """`ip` commands in one process (`ip -batch`): one fork for any number of VLANs, so a
        config with the switch's 256 VLAN addresses is programmed in a fraction of a second,
        not the ten seconds 1,280 `ip` processes took (every command the module sent the
        fabric meanwhile waited behind them). `-force` goes on past a refused line; each
        refusal is reported, and the caller checks what took."""
        if not lines:
            return True
        base = inband.ip_command(self.netns) if stack else ["ip"]
        argv = [*base, "-force", "-batch", "-"]
        code, _, err = await inband.run(argv, SETUP_TIMEOUT, "\n".join(lines) + "\n")
        for line in err.splitlines():
            if line.strip():
                print(f"procurve-emu: fabric: {' '.join(base)}: {line.strip()}",
                      file=sys.stderr, flush=True)
        return code == 0

    async def apply(self, addresses: dict[int, list[str]], routes: list[str],
                    forwarding: bool) -> None:
        """Make the interfaces match: new VLAN addresses get an interface, changed ones a new
        address, removed ones lose their interface; then forwarding (`ip routing`) and the
        routes (emulator/routing.py), again after any address change (the kernel drops a
        route whose interface lost its address) and until they all take (a gateway cannot
        before an address puts it on a subnet)."""
        for vid in [vid for vid in self.interfaces if vid not in addresses]:
            self._drop(vid)
        readdress = {vid: held for vid, held in addresses.items()
                     if vid in self.interfaces and self.interfaces[vid].addresses != held}
        await self._batch([line for vid, held in readdress.items()
                           for line in (f"addr flush dev {inband.interface_name(vid)}",
                                        *_adds(vid, held))])
        for vid, held in readdress.items():
            self.interfaces[vid].addresses = held
        added = await self._add({vid: address for vid, address in addresses.items()
                                 if vid not in self.interfaces})
        for vid in addresses:
            if vid in self.interfaces:  # made, unless the system refused (reported)
                self.bridge.configure(inband.interface_name(vid), enabled=True, pvid=vid,
                                      tagged=())
        if forwarding != self.forwarding:
            code, _, err = await inband.run(inband.in_stack(
                self.netns, "sysctl", "-qw", f"net.ipv4.ip_forward={int(forwarding)}"),
                SETUP_TIMEOUT)
            if code == 0:
                self.forwarding = forwarding
            else:
                print(f"procurve-emu: fabric: ip_forward in {self.netns}: {err.strip()}",
                      file=sys.stderr, flush=True)
        if routes != self.routes or readdress or added:
            gone = [route for route in self.routes or [] if route not in routes]
            taken = await self._batch([f"route del {route}" for route in gone]
                                      + [f"route replace {route}" for route in routes])
            self.routes = routes if taken else None  # None: try them all again next time

    async def _add(self, wanted: dict[int, list[str]]) -> bool:
        """Interfaces for new VLAN addresses, made in the namespace and set up by one `ip`
        batch; whether any was made. A VLAN whose interface did not come up
        with its address (reported) is left out."""
        taps: dict[int, TapPort] = {}
        try:
            # Made inside the namespace, where its name is ours alone: moving an interface
            # between namespaces costs the kernel ~20 ms each (5 s for 256 VLANs).
            with inband.entered(self.netns):
                for vid in wanted:
                    try:
                        taps[vid] = TapPort.open(inband.interface_name(vid), persistent=False,
                                                 offload=False)
                    except OSError as exc:
                        print(f"procurve-emu: fabric: VLAN {vid} interface: "
                              f"{exc.strerror or exc}", file=sys.stderr, flush=True)
        except OSError as exc:
            print(f"procurve-emu: fabric: VLAN interfaces in {self.netns}: {exc.strerror or exc}",
                  file=sys.stderr, flush=True)
        for tap in taps.values():
            tap.set_carrier(True)
        await self._batch([line for vid in taps for line in (
            f"link set dev {inband.interface_name(vid)} address {self.mac}",
            *_adds(vid, wanted[vid]),
            f"link set dev {inband.interface_name(vid)} up")])
        ready = await self._up_with_address()
        for vid, tap in taps.items():
            name = inband.interface_name(vid)
            if sorted(ready.get(name, [])) != sorted(wanted[vid]):
                tap.close()
                continue
            self.interfaces[vid] = _Interface(tap, wanted[vid])
            self.bridge.add_port(name)
            self.bridge.attach(name, tap.send)
            asyncio.get_running_loop().add_reader(tap.fileno(), self.drain, name, tap)
        return any(vid in self.interfaces for vid in taps)

    async def _up_with_address(self) -> dict[str, list[str]]:
        """The stack's interfaces that are up, by name, with their IPv4 addresses
        (A.B.C.D/M)."""
        code, out, _ = await inband.run(
            inband.ip_command(self.netns, "-j", "-4", "addr", "show", "up"), SETUP_TIMEOUT)
        if code != 0:
            return {}
        return {link["ifname"]: [f"{info['local']}/{info['prefixlen']}"
                                 for info in link.get("addr_info", [])]
                for link in json.loads(out or "[]")}

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
