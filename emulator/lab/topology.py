"""The lab's topology: a containerlab topology file read into records (nodes with the settings
containerlab's inheritance gives them, veth and VXLAN links, management addresses) and every
name the lab will derive from it checked, before anything is made. No side effect: reading a
topology creates, changes and removes nothing, so `down` can trust it as much as `up`."""

from __future__ import annotations

import hashlib
import ipaddress
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

SWITCH_IMAGE: Final = "procurve-emu"
"""A node is an emulated switch when its image's repository name is this, whatever the
registry and tag (`ghcr.io/example/procurve-emu:0.1`)."""
MGMT_SUBNET: Final = "172.20.20.0/24"
"""containerlab's default management subnet; `mgmt: ipv4-subnet` overrides it."""
NAME_RE: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
"""Lab and node names: what Docker takes in a container name (`clab-LAB-NODE`). They become
a namespace name and folders of the lab directory, so no separator, and no `..` either."""
NAME_MAX: Final = 255
"""Longest namespace name (`ip netns` keeps each as a file in /run/netns)."""
IFNAMSIZ: Final = 16
"""The kernel's interface name buffer: names of at most 15 characters."""
IFNAME_FORBIDDEN: Final = frozenset("/:") | frozenset(" \t\n\r\v\f")
"""Characters the kernel refuses in an interface name (dev_valid_name)."""


class LabError(Exception):
    """The lab cannot be brought up or down; the message is the line the user sees."""


@dataclass
class Node:
    name: str
    image: str
    env: dict[str, str]
    binds: list[str]
    exec: list[str]
    mgmt_ipv4: str | None

    @property
    def is_switch(self) -> bool:
        repository = self.image.rsplit("/", 1)[-1].split("@")[0].split(":")[0]
        return repository == SWITCH_IMAGE


Endpoint = tuple[str, str]
"""(node, interface)."""
LINK_KINDS: Final = ("veth", "vxlan", "vxlan-stitch")
"""containerlab link types made here; a vxlan-stitch (containerlab joins a veth to the tunnel
in the host) reaches the node's interface just as a vxlan does, so it is made as one."""
LINK_MTU: Final = 9500
"""containerlab's MTU for the veths it makes (a link's `mtu` overrides it)."""
VXLAN_PORT: Final = 14789
"""containerlab's VXLAN UDP port when a link names none (`dst-port`, formerly `udp-port`)."""


@dataclass(frozen=True)
class Tunnel:
    """A `vxlan` link: the node's interface is a VXLAN interface to `remote`."""

    endpoint: Endpoint
    remote: ipaddress.IPv4Address | ipaddress.IPv6Address
    vni: int
    dst_port: int
    src_port: int | None = None
    mtu: int | None = None


@dataclass(frozen=True)
class Veth:
    """A veth link between two nodes."""

    a: Endpoint
    b: Endpoint
    mtu: int = LINK_MTU


@dataclass
class Lab:
    name: str
    path: Path
    nodes: dict[str, Node]
    links: list[Veth]
    subnet: ipaddress.IPv4Network
    gateway: ipaddress.IPv4Address
    addresses: dict[str, ipaddress.IPv4Address] = field(default_factory=dict)
    tunnels: list[Tunnel] = field(default_factory=list)

    @property
    def directory(self) -> Path:
        """containerlab's lab directory, beside the topology file."""
        return self.path.parent / f"clab-{self.name}"

    @property
    def tag(self) -> str:
        """Short and stable: host-side interface names have only 15 characters."""
        return hashlib.sha1(self.name.encode()).hexdigest()[:6]

    @property
    def bridge(self) -> str:
        return f"pl-{self.tag}"

    def namespace(self, node: str) -> str:
        return f"clab-{self.name}-{node}"

    def host_veth(self, node: str) -> str:
        return f"pl{self.tag}m{list(self.nodes).index(node)}"

    def tunnel_name(self, index: int) -> str:
        """The VXLAN interface's name while it is made here, before it moves into its node."""
        return f"pl{self.tag}x{index}"

    def node_dir(self, node: str) -> Path:
        return self.directory / node

    def endpoints(self) -> list[Endpoint]:
        return [end for link in self.links for end in (link.a, link.b)] \
            + [t.endpoint for t in self.tunnels]

    def data_links(self, node: str) -> int:
        return sum(end[0] == node for end in self.endpoints())


def _bind_target(bind: str) -> str:
    return bind.split(":")[1] if ":" in bind else bind


def _merge(*layers: dict[str, Any]) -> dict[str, Any]:
    """containerlab's inheritance: defaults < kinds.KIND < groups.GROUP < the node; env maps
    add up, binds add up with one per container path (the more specific level's), exec lines
    add up, every other setting is replaced."""
    merged: dict[str, Any] = {}
    for layer in layers:
        for key, value in layer.items():
            if key == "env":
                merged[key] = {**merged.get(key, {}), **value}
            elif key == "binds":
                targets = {_bind_target(bind) for bind in value}
                merged[key] = [*(b for b in merged.get(key, [])
                                 if _bind_target(b) not in targets), *value]
            elif key == "exec":
                merged[key] = list(dict.fromkeys([*merged.get(key, []), *value]))
            else:
                merged[key] = value
    return merged


def _endpoint(end: Any) -> Endpoint:
    if isinstance(end, str):
        node, sep, ifname = end.partition(":")
    else:
        node, ifname, sep = str(end.get("node", "")), str(end.get("interface", "")), ":"
    if not (node and sep and ifname):
        raise LabError(f"bad link endpoint {end!r}")
    return node, ifname


def _link(raw: dict[str, Any]) -> Veth | Tunnel:
    kind = raw.get("type", "veth")
    if kind not in LINK_KINDS:
        raise LabError(f"link type {kind!r} needs containerlab; procurve-emu lab makes "
                       f"{', '.join(LINK_KINDS)} links")
    if kind != "veth":
        optional = {key: int(raw[key]) for key in ("src-port", "mtu") if key in raw}
        port = raw.get("dst-port", raw.get("udp-port", VXLAN_PORT))
        return Tunnel(_endpoint(raw.get("endpoint")), ipaddress.ip_address(raw["remote"]),
                      int(raw["vni"]), int(port), optional.get("src-port"),
                      optional.get("mtu"))
    ends = raw.get("endpoints") or []
    if len(ends) != 2:
        raise LabError(f"a veth link has two endpoints: {raw!r}")
    return Veth(_endpoint(ends[0]), _endpoint(ends[1]), int(raw.get("mtu", LINK_MTU)))


def load(path: Path) -> Lab:
    """A topology file as containerlab reads it, the parts a namespace lab can honour."""
    import yaml

    try:
        # Every scalar as text, as containerlab (Go) reads env values: `yes` stays "yes".
        raw = yaml.load(path.read_text(), Loader=yaml.BaseLoader)
    except (OSError, yaml.YAMLError) as exc:
        raise LabError(f"cannot read {path}: {exc}") from None
    if not isinstance(raw, dict) or not raw.get("name"):
        raise LabError(f"{path}: not a topology (a mapping with a `name` and a `topology`)")
    try:
        return _parse(raw, path)
    except (AttributeError, TypeError, ValueError, KeyError) as exc:  # a field of a wrong shape
        raise LabError(f"{path}: not a topology containerlab would read ({exc!r})") from None


def _parse(raw: dict[str, Any], path: Path) -> Lab:
    topology = raw.get("topology") or {}
    defaults = topology.get("defaults") or {}
    kinds = topology.get("kinds") or {}
    groups = topology.get("groups") or {}
    nodes: dict[str, Node] = {}
    for name, settings in (topology.get("nodes") or {}).items():
        settings = settings or {}
        group = groups.get(settings.get("group", "")) or {}
        kind = settings.get("kind", group.get("kind", defaults.get("kind", "linux")))
        if kind != "linux":
            raise LabError(f"node {name}: kind {kind!r} needs containerlab (only linux here)")
        merged = _merge(defaults, kinds.get(kind) or {}, group, settings)
        nodes[name] = Node(name, str(merged.get("image", "")),
                           {k: str(v) for k, v in (merged.get("env") or {}).items()},
                           list(merged.get("binds") or []), list(merged.get("exec") or []),
                           merged.get("mgmt-ipv4"))
    links: list[Veth] = []
    tunnels: list[Tunnel] = []
    for link in map(_link, topology.get("links") or []):
        if isinstance(link, Tunnel):
            tunnels.append(link)
        else:
            links.append(link)
    mgmt = raw.get("mgmt") or {}
    subnet = ipaddress.IPv4Network(mgmt.get("ipv4-subnet", MGMT_SUBNET))
    gateway = ipaddress.IPv4Address(mgmt.get("ipv4-gw", str(next(subnet.hosts()))))
    lab = Lab(str(raw["name"]), path.resolve(), nodes, links, subnet, gateway,
              tunnels=tunnels)
    for node, _ in lab.endpoints():
        if node not in nodes:
            raise LabError(f"link to unknown node {node!r}")
    validate(lab)
    lab.addresses = _addresses(lab)
    return lab


def _addresses(lab: Lab) -> dict[str, ipaddress.IPv4Address]:
    """Fixed `mgmt-ipv4` first, then the next free host addresses in node order, as Docker's
    address management hands them out."""
    fixed = {n.name: ipaddress.IPv4Address(n.mgmt_ipv4) for n in lab.nodes.values()
             if n.mgmt_ipv4}
    used = {lab.gateway, *fixed.values()}
    free = (a for a in lab.subnet.hosts() if a not in used)
    return {name: fixed.get(name) or next(free) for name in lab.nodes}


def _check_name(kind: str, name: str) -> None:
    if not NAME_RE.fullmatch(name) or ".." in name:
        raise LabError(f"{kind} name {name!r}: letters, digits, '_', '.' and '-' only, "
                       "starting with a letter or digit, no '..'")


def _check_ifname(node: str, ifname: str) -> None:
    """The kernel's rule, and no leading '-' (`ip` would read the name as an option)."""
    if (not ifname or len(ifname) >= IFNAMSIZ or ifname in (".", "..")
            or ifname.startswith("-") or IFNAME_FORBIDDEN & set(ifname)):
        raise LabError(f"node {node}: interface name {ifname!r}: 1 to {IFNAMSIZ - 1} "
                       "characters, no '/', ':' or blank, not '.' or '..'")


def validate(lab: Lab) -> None:
    """Every name the lab derives from the topology, before anything is created or removed:
    the namespaces, folders and interfaces of `up` stay inside the lab's scope."""
    _check_name("lab", lab.name)
    for name in lab.nodes:
        _check_name("node", name)
        if len(lab.namespace(name)) > NAME_MAX:
            raise LabError(f"namespace {lab.namespace(name)!r}: longer than {NAME_MAX} "
                           "characters; shorten the lab or node name")
        _check_ifname(name, lab.host_veth(name))
    for node, ifname in lab.endpoints():
        _check_ifname(node, ifname)
    for index, tunnel in enumerate(lab.tunnels):
        _check_ifname(tunnel.endpoint[0], lab.tunnel_name(index))
    _check_ifname("bridge", lab.bridge)
