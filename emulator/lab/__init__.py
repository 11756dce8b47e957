"""`procurve-emu lab up|down|status|exec TOPOLOGY.clab.yml`: containerlab's topology files on
one Linux machine without Docker, for people who have no Docker and for our own tests.

Each node becomes what its container would have been, minus the image: a network namespace
named as containerlab names the container (`clab-LAB-NODE`), with `eth0` on a management
bridge and one veth end per link, named as the topology says (a `vxlan` link's one end is a
VXLAN interface whose tunnel leaves from this machine's namespace, as containerlab makes it,
so that half a lab here meets the other half on another machine). A node whose image is
procurve-emu runs `procurve-emu run` in its namespace with the image's environment
(labnode.CONTAINER_ENV), its flash in `clab-LAB/NODE/flash` beside the topology file and
bind-mounted files reached through their host paths; any other node is a bare namespace
whose `exec` commands run with the host's tools. `down` needs nothing but the topology file:
every name is derived from it, so a lab whose `up` was interrupted still comes down whole.

The package splits it by concern: topology.py reads and checks the file (pure: it makes and
removes nothing), netns.py makes and removes namespaces, the bridge and the links, runner.py
runs the nodes' processes and is the command. Here: what `procurve-emu` and lab users need.
"""

from __future__ import annotations

from emulator.lab.runner import DATA_DIR, LOG_FILE, add_parser, down, main, status, up
from emulator.lab.topology import SWITCH_IMAGE, Lab, LabError, Node, Tunnel, Veth, load

__all__ = ["DATA_DIR", "LOG_FILE", "SWITCH_IMAGE", "Lab", "LabError", "Node", "Tunnel", "Veth",
           "add_parser", "down", "load", "main", "status", "up"]
