"""What a lab node's environment tells the switch, wherever the node runs (a container, a
`procurve-emu lab` node, a GNS3 node): the variables the image sets, which interface is
management, who the chassis is, and how to read the chassis' status. The container's start
path (emulator/container.py), the lab runner and the chassis all read these; they sit below
every entry point so that none of them imports another for a name.
"""

from __future__ import annotations

import fcntl
import socket
import struct
from collections.abc import Mapping
from typing import Any, Final

from emulator import hardware
from emulator.inband import INTERFACE_PREFIX

MGMT_DEFAULT: Final = "eth0"
MGMT_VARIABLE: Final = "PROCURVE_MGMT_INTERFACE"
NO_MGMT: Final = "none"
"""PROCURVE_MGMT_INTERFACE value for GNS3: every ethN is a data port."""
INTFS_VARIABLE: Final = "CLAB_INTFS"
"""containerlab's count of data interfaces it will attach (eth0 not included)."""
SIOCGIFADDR: Final = 0x8915
IFREQ_NAME: Final = struct.Struct("16s24x")
"""struct ifreq with only the name filled in (40 octets on Linux)."""

CONTAINER_ENV: Final[dict[str, str]] = {
    "PROCURVE_DATA_DIR": "/flash",
    "PROCURVE_LISTEN": "0.0.0.0",
    "PROCURVE_SSH_PORT": "22",
    "PROCURVE_TELNET_PORT": "23",
    "PROCURVE_SNMP_PORT": "161",
    "PROCURVE_AUTO_PORTS": "1",
    MGMT_VARIABLE: MGMT_DEFAULT,
    "PROCURVE_MGMT_NETNS": "self",
}
"""The image's environment (the Dockerfile's ENV lines say the same; a test holds them equal):
`procurve-emu lab` gives an emulated node exactly what a container would have. The container is
the switch, so its VLAN addresses live in the container's own namespace (`self`)."""


SEED_VARIABLE: Final = "PROCURVE_CHASSIS_SEED"
BASE_MAC_VARIABLE: Final = "PROCURVE_BASE_MAC"
SERIAL_VARIABLE: Final = "PROCURVE_SERIAL"
CLAB_LAB: Final = "CLAB_LABEL_CONTAINERLAB"
CLAB_NODE: Final = "CLAB_LABEL_CLAB_NODE_NAME"
"""containerlab's labels, which it also hands every node as variables: the lab's name and
the node's name in the topology."""


def chassis_identity(environ: Mapping[str, str]) -> hardware.Identity:
    """How this node's chassis gets its base MAC and serial. At random on first boot (then
    kept in the flash), unless a lab wants the same switch on every deploy: a seed of its
    own (PROCURVE_CHASSIS_SEED), else containerlab's lab and node names; and
    PROCURVE_BASE_MAC / PROCURVE_SERIAL fix those values outright. ValueError for a bad one."""
    seed = environ.get(SEED_VARIABLE) or None
    if seed is None and environ.get(CLAB_NODE):
        seed = f"containerlab {environ.get(CLAB_LAB, '')} {environ[CLAB_NODE]}"
    fixed: dict[str, str | None] = {}
    for variable, name in ((BASE_MAC_VARIABLE, "base_mac"), (SERIAL_VARIABLE, "serial")):
        fixed[name] = environ.get(variable) or None
        try:
            hardware.Identity(**{name: fixed[name]})
        except ValueError as exc:
            raise ValueError(f"{variable}: {exc}") from None
    return hardware.Identity(seed, **fixed)


def active_ready(status: dict[str, Any]) -> bool:
    """Whether a management module holds mastership and has finished booting."""
    return any(m["role"] == "active" and m["ready"] for m in status["modules"])


def reachable_address(listen: str) -> str:
    """Where a user reaches the CLI: the listening address, or for a wildcard one this
    namespace's first IPv4 address outside the loopback (a container's management address),
    the switch's own VLAN interfaces last; 127.0.0.1 when there is none."""
    if listen not in ("0.0.0.0", "::"):
        return listen
    found: list[tuple[bool, int, str]] = []
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        for index, name in socket.if_nameindex():
            try:
                raw = fcntl.ioctl(probe, SIOCGIFADDR, IFREQ_NAME.pack(name.encode()))
            except OSError:  # no IPv4 address
                continue
            address = socket.inet_ntoa(raw[20:24])
            if not address.startswith("127."):
                found.append((name.startswith(INTERFACE_PREFIX), index, address))
    return min(found)[2] if found else "127.0.0.1"
