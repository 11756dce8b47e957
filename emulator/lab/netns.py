"""The lab's plumbing: network namespaces, the management bridge and the links, made and
removed with iproute2 (`ip`), whose refusals become LabErrors with its own words."""

from __future__ import annotations

import subprocess
from typing import Final

from emulator.lab.topology import Lab, LabError, Tunnel

MGMT_IFNAME: Final = "eth0"


def ip(*args: str) -> str:
    done = subprocess.run(["ip", *args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise LabError(f"ip {' '.join(args)}: {done.stderr.strip()}")
    return done.stdout


def namespaces() -> set[str]:
    return {line.split()[0] for line in ip("netns", "list").splitlines() if line.strip()}


def netns_pids(ns: str) -> list[int]:
    return [int(p) for p in ip("netns", "pids", ns).split()]


def wire(lab: Lab) -> None:
    """The management bridge, every namespace with its eth0, then the links."""
    prefix = lab.subnet.prefixlen
    ip("link", "add", "name", lab.bridge, "type", "bridge")
    ip("addr", "add", f"{lab.gateway}/{prefix}", "dev", lab.bridge)
    ip("link", "set", lab.bridge, "up")
    for name in lab.nodes:
        ns = lab.namespace(name)
        ip("netns", "add", ns)
        ip("-n", ns, "link", "set", "lo", "up")
        ip("link", "add", "name", lab.host_veth(name), "type", "veth",
           "peer", "name", MGMT_IFNAME, "netns", ns)
        ip("link", "set", lab.host_veth(name), "master", lab.bridge, "up")
        ip("-n", ns, "addr", "add", f"{lab.addresses[name]}/{prefix}", "dev", MGMT_IFNAME)
        ip("-n", ns, "link", "set", MGMT_IFNAME, "up")
        ip("-n", ns, "route", "add", "default", "via", str(lab.gateway))
    for link in lab.links:
        (node_a, if_a), (node_b, if_b) = link.a, link.b
        ns_a, ns_b = lab.namespace(node_a), lab.namespace(node_b)
        mtu = str(link.mtu)
        ip("link", "add", "name", if_a, "mtu", mtu, "netns", ns_a, "type", "veth",
           "peer", "name", if_b, "mtu", mtu, "netns", ns_b)
        ip("-n", ns_a, "link", "set", if_a, "up")
        ip("-n", ns_b, "link", "set", if_b, "up")
    for index, tunnel in enumerate(lab.tunnels):
        _tunnel(lab, index, tunnel)


def _tunnel(lab: Lab, index: int, tunnel: Tunnel) -> None:
    """Made in this namespace, where the tunnel's UDP socket stays (the underlay), then moved
    into the node under the interface name the topology gives it."""
    name, (node, ifname) = lab.tunnel_name(index), tunnel.endpoint
    ns = lab.namespace(node)
    source = ("srcport", str(tunnel.src_port), str(tunnel.src_port + 1)) \
        if tunnel.src_port else ()  # the kernel's range is [low, high)
    ip("link", "add", "name", name, "type", "vxlan", "id", str(tunnel.vni),
       "remote", str(tunnel.remote), "dstport", str(tunnel.dst_port), *source)
    ip("link", "set", name, "netns", ns)
    mtu = ("mtu", str(tunnel.mtu)) if tunnel.mtu else ()
    ip("-n", ns, "link", "set", name, "name", ifname, *mtu, "up")


def unwire(lab: Lab, node: str) -> None:
    """A node's namespace gone, with its interfaces, once its processes have exited. The
    kernel frees a deleted namespace's interfaces later, in the background: the host end of
    the management link and the tunnels (whose UDP ports are held here) go now, so `down`
    returns with nothing left and a new `up` finds the ports free."""
    ns = lab.namespace(node)
    if _exists(lab.host_veth(node)):
        ip("link", "del", lab.host_veth(node))
    for owner, ifname in (t.endpoint for t in lab.tunnels):
        if owner == node:
            subprocess.run(["ip", "-n", ns, "link", "del", ifname], capture_output=True,
                           check=False)
    ip("netns", "del", ns)


def remove_bridge(lab: Lab) -> None:
    if _exists(lab.bridge):
        ip("link", "del", lab.bridge)


def _exists(ifname: str) -> bool:
    """Whether this namespace has the interface (asked without a LabError for no)."""
    return subprocess.run(["ip", "link", "show", ifname], capture_output=True,
                          check=False).returncode == 0
