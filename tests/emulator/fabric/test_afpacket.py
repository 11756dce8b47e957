"""AF_PACKET ports on a veth pair in a namespace the test makes: batches of frames read with
recvmmsg come out in order, 802.1Q tags rebuilt from PACKET_AUXDATA, our own frames unseen;
frames sent in a turn of the event loop leave in order by sendmmsg."""

from __future__ import annotations

import asyncio
import contextlib
import errno
import json
import os
import select
import socket
import struct
import subprocess
import time
from collections.abc import Callable, Iterator
from typing import TypeVar

import pytest

from emulator import inband
from emulator.fabric import afpacket, mmsg
from emulator.fabric.afpacket import AfPacketPort
from emulator.fabric.offload import SuperFrame
from emulator.fabric.process import Fabric
from emulator.ipc import messages
from emulator.portspec import parse_backend
from emulator.testing import eventually, eventually_async, missing_root, missing_tool
from tests.emulator.fabric.test_offload import super_frame

pytestmark = pytest.mark.requires(missing_root("namespaces and packet sockets"),
                                  missing_tool("ip", "iproute2"))

EXPERIMENTAL = b"\x88\xb5"
T = TypeVar("T")


@pytest.fixture
def netns() -> Iterator[str]:
    """A namespace with a veth pair `host` <-> `port`, both up."""
    name = f"pcvt-afp-{os.getpid()}"
    subprocess.run(["ip", "netns", "add", name], check=True)
    try:  # no IPv6: the kernel's own MLD and neighbour frames would join the test's
        subprocess.run(["ip", "netns", "exec", name, "sysctl", "-qw",
                        "net.ipv6.conf.default.disable_ipv6=1"], check=True)
        subprocess.run(["ip", "-n", name, "link", "add", "host", "type", "veth", "peer", "name",
                        "port"], check=True)
        for dev in ("host", "port"):
            subprocess.run(["ip", "-n", name, "link", "set", dev, "up"], check=True)
        yield name
    finally:
        subprocess.run(["ip", "netns", "delete", name], check=False)


def inside(netns: str, make: Callable[[], T]) -> T:
    """`make()` inside `netns` (inband.entered, as the chassis makes its in-band sockets):
    sockets it opens, and programs it starts, belong to the namespace."""
    with inband.entered(netns):
        return make()


def raw_socket(ifname: str) -> socket.socket:
    sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(afpacket.ETH_P_ALL))
    sock.bind((ifname, afpacket.ETH_P_ALL))
    return sock


def frame(n: int, vid: int | None) -> bytes:
    tag = struct.pack("!HH", 0x8100, 0x6000 | vid) if vid else b""  # priority 3
    return b"\x02\x00\x00\x00\x00\x02" + b"\x02\x00\x00\x00\x00\x01" + tag + EXPERIMENTAL \
        + n.to_bytes(4, "big") + bytes(42)


def ours(data: bytes) -> bool:
    """One of the test's frames (local experimental EtherType), tagged or not."""
    return EXPERIMENTAL in (data[12:14], data[16:18])


def read_all(port: AfPacketPort, count: int) -> list[bytes]:
    frames: list[bytes] = []
    deadline = time.monotonic() + 10
    while len(frames) < count and time.monotonic() < deadline:
        select.select([port.fileno()], [], [], 0.5)
        while True:
            try:
                data = port.read()
            except BlockingIOError:
                break
            if ours(data):
                frames.append(data)
    return frames


def drain(port: AfPacketPort) -> list[bytes]:
    frames = []
    with contextlib.suppress(BlockingIOError):
        while True:
            frames.append(port.read())
    return frames


def test_batches_keep_order_and_tags_and_skip_our_own_frames(netns: str) -> None:
    port = inside(netns, lambda: AfPacketPort.open("A1", "port"))
    host = inside(netns, lambda: raw_socket("host"))
    try:
        sent = [frame(n, 20 if n % 3 == 0 else None) for n in range(mmsg.BATCH * 3 + 7)]
        port.send(frame(9999, None))  # out of the port: the port must not read it back
        for data in sent:
            host.send(data)
        assert read_all(port, len(sent)) == sent
        assert not any(ours(data) for data in drain(port))
    finally:
        host.close()
        port.close()


def test_sends_of_one_loop_turn_leave_together_in_order(netns: str) -> None:
    port = inside(netns, lambda: AfPacketPort.open("A1", "port"))
    host = inside(netns, lambda: AfPacketPort.open("B1", "host"))  # reads tags back (above)
    lost: list[int] = []
    port.on_tx_drop = lost.append
    sent = [frame(n, 30 if n % 2 else None) for n in range(mmsg.BATCH + 36)]

    async def burst() -> int:
        for data in sent:
            port.send(data)
        waiting = port.outgoing.count  # the first BATCH left when the batch filled
        await asyncio.sleep(0)  # the loop's next turn sends the rest
        return waiting

    try:
        assert asyncio.run(burst()) == 36
        assert read_all(host, len(sent)) == sent
        with pytest.raises(OSError) as refused:
            port.send(bytes(mmsg.SLOT))
        assert refused.value.errno == errno.EMSGSIZE and lost == []
    finally:
        host.close()
        port.close()


def test_a_frame_the_interface_refuses_costs_only_itself(netns: str) -> None:
    port = inside(netns, lambda: AfPacketPort.open("A1", "port"))
    host = inside(netns, lambda: AfPacketPort.open("B1", "host"))
    lost: list[int] = []
    port.on_tx_drop = lost.append
    good = [frame(n, None) for n in range(4)]
    too_big = frame(99, None) + bytes(3000)  # beyond the veth's 1500-octet MTU

    async def burst() -> None:
        for data in (good[0], too_big, *good[1:]):
            port.send(data)
        await asyncio.sleep(0)

    try:
        asyncio.run(burst())
        assert read_all(host, len(good)) == good
        assert lost == [1]
    finally:
        host.close()
        port.close()


def carrier(netns: str, dev: str) -> bool:
    flags = subprocess.run(["ip", "-n", netns, "-o", "link", "show", dev], capture_output=True,
                           text=True, check=True).stdout
    return "NO-CARRIER" not in flags and "LOWER_UP" in flags


def test_carrier_down_is_link_loss_at_the_far_end(netns: str) -> None:
    """What a host on a containerlab veth sees of `interface A1 disable` or a switchover's
    module reset; frames flow again once the carrier is back."""
    port = inside(netns, lambda: AfPacketPort.open("A1", "port"))
    host = inside(netns, lambda: raw_socket("host"))
    try:
        port.set_carrier(False)
        assert not carrier(netns, "host")
        port.set_carrier(True)
        # the kernel reports carrier changes asynchronously
        eventually(lambda: carrier(netns, "host"), 10, "the host's carrier")
        with pytest.raises(OSError) as down:  # reported once: the interface had been down
            port.read()
        assert down.value.errno == errno.ENETDOWN
        host.send(frame(1, 10))
        assert read_all(port, 1) == [frame(1, 10)]
    finally:
        host.close()
        port.close()


def test_a_port_is_silent_at_layer_3(netns: str) -> None:
    """The interface of a switch port holds no address and answers no ARP: a container's
    VLAN addresses live in the same stack as its ethN ports (PROCURVE_MGMT_NETNS=self), and
    a host must resolve them to the VLAN interface's MAC, not to a port's."""
    subprocess.run(["ip", "netns", "exec", netns, "sysctl", "-qw",
                    "net.ipv6.conf.port.disable_ipv6=0"], check=True)
    subprocess.run(["ip", "-n", netns, "addr", "add", "10.77.0.1/24", "dev", "port"], check=True)
    port = inside(netns, lambda: AfPacketPort.open("A1", "port"))
    try:
        show = json.loads(subprocess.run(["ip", "-n", netns, "-j", "addr", "show", "port"],
                                         capture_output=True, text=True, check=True).stdout)
        assert "NOARP" in show[0]["flags"]
        assert show[0]["addr_info"] == []  # no IPv4 address, no IPv6 link-local
        ipv6 = subprocess.run(["ip", "netns", "exec", netns, "sysctl", "-n",
                               "net.ipv6.conf.port.disable_ipv6"], capture_output=True,
                              text=True, check=True).stdout
        assert ipv6.strip() == "1"
    finally:
        port.close()


def test_a_port_follows_its_interface_when_it_is_deleted_and_made_again(
        netns: str, capfd: pytest.CaptureFixture[str]) -> None:
    """containerlab's restart of the neighbour (or re-wiring by hand) deletes the veth and
    makes one of the same name: the port goes down and says so, then binds to the new one,
    comes up with the active module's settings, and carries frames again."""
    fabric = Fabric({"A1": parse_backend("afpacket:port")}, 300)

    async def scenario() -> None:
        fabric.open()
        fabric.start()
        fabric.program(messages.FabricProgram(enabled={"A1": True}, pvid={"A1": 1}))
        first = fabric.wires["A1"]
        assert fabric.carrier["A1"]
        subprocess.run(["ip", "link", "del", "host"], check=True)  # takes `port` with it
        await eventually_async(lambda: "A1" not in fabric.wires, 10,
                               "A1 let go of the deleted interface", poll=0.02)
        assert not fabric.carrier["A1"]
        # What the active module reads for show interfaces, with no program in between.
        assert fabric.state(messages.FabricQuery()).carrier == {"A1": False}
        subprocess.run(["ip", "link", "add", "host", "type", "veth", "peer", "name", "port"],
                       check=True)
        subprocess.run(["ip", "link", "set", "host", "up"], check=True)
        await eventually_async(lambda: "A1" in fabric.wires, 10,
                               "A1 bound to the new interface", poll=0.02)
        second = fabric.wires["A1"]
        assert isinstance(second, AfPacketPort) and second is not first
        assert second.ifindex == socket.if_nametoindex("port") and fabric.carrier["A1"]
        assert fabric.state(messages.FabricQuery()).carrier == {"A1": True}
        host = raw_socket("host")
        try:
            await eventually_async(lambda: carrier(netns, "host"), 10,
                                   "the new host end has carrier", poll=0.02)
            host.send(frame(1, None))
            await eventually_async(lambda: fabric.bridge.counters("A1")["rx_bytes"] > 0, 10,
                                   "a frame from the new link reached the bridge", poll=0.02)
        finally:
            host.close()

    try:
        with inband.entered(netns):  # the fabric's loop runs where its ports are
            asyncio.run(scenario())
    finally:
        fabric.close()
    err = capfd.readouterr().err
    assert "procurve-emu: fabric: port A1 down: port is gone" in err
    assert "procurve-emu: fabric: port A1 up: port is back" in err


@pytest.mark.parametrize("tag", [b"", b"\x81\x00\x20\x0a"])
def test_a_super_frame_leaves_whole_behind_its_header(netns: str, tag: bytes) -> None:
    """Sent with its virtio_net_hdr, the veth hands the super-frame to its peer whole (the
    peer's packet socket reads it back as one); the frame after it in the same batch goes
    behind a zero header again."""
    port = inside(netns, lambda: AfPacketPort.open("A1", "port"))
    host = inside(netns, lambda: AfPacketPort.open("B1", "host"))
    try:
        plain = super_frame()
        whole = plain[:12] + tag + plain[12:] if tag else plain
        after = frame(1, None)
        port.send(whole)
        port.send(after)
        port.flush()
        received: list[bytes] = []
        deadline = time.monotonic() + 10
        while len(received) < 2 and time.monotonic() < deadline:
            select.select([host.fileno()], [], [], 0.5)
            received += [data for data in drain(host) if len(data) > 1000 or ours(data)]
        assert received == [whole, after]
        assert isinstance(received[0], SuperFrame) and not isinstance(received[1], SuperFrame)
    finally:
        host.close()
        port.close()


def test_frames_after_a_super_frame_are_read_whole(netns: str) -> None:
    """Reads are views of the receive slots, copied out once: the frames of the batch after
    a super-frame (when the pages it touched are given back) arrive intact, as bytes that
    outlive the next batch; the super-frame arrives byte for byte."""
    port = inside(netns, lambda: AfPacketPort.open("A1", "port"))
    host = inside(netns, lambda: AfPacketPort.open("B1", "host"))
    try:
        whole = super_frame()
        host.send(whole)
        host.flush()
        [received] = wait_for(port, lambda data: len(data) > 1000, 1)
        assert received == whole and isinstance(received, SuperFrame)
        small = [frame(n, None) for n in range(3)]
        for data in small:
            host.send(data)
        host.flush()
        after = wait_for(port, ours, 3)
        host.send(frame(3, None))
        host.flush()
        assert wait_for(port, ours, 1) == [frame(3, None)]
        assert after == small and all(type(f) is bytes for f in after)
    finally:
        host.close()
        port.close()


def wait_for(port: AfPacketPort, wanted: Callable[[bytes], bool], count: int) -> list[bytes]:
    """The next `count` frames `port` reads that are `wanted` (others are dropped)."""
    frames: list[bytes] = []
    deadline = time.monotonic() + 10
    while len(frames) < count and time.monotonic() < deadline:
        select.select([port.fileno()], [], [], 0.5)
        frames += [data for data in drain(port) if wanted(data)]
    return frames
