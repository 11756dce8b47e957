"""`procurve-emu lab` reading topology files: what it refuses, with a line, not a traceback."""

from __future__ import annotations

import argparse
import ast
import io
import ipaddress
from pathlib import Path

import pytest

from emulator import lab
from emulator.lab import runner, topology


@pytest.mark.parametrize("text", ["", "- a list\n", "topology: {}\n", "name: x\nmgmt: 3\n"])
def test_files_that_are_no_topology_are_refused(tmp_path: Path, text: str) -> None:
    path = tmp_path / "bad.clab.yml"
    path.write_text(text)
    with pytest.raises(lab.LabError):
        lab.load(path)


def test_a_vxlan_link_is_one_data_link_of_its_node(tmp_path: Path) -> None:
    path = tmp_path / "half.clab.yml"
    path.write_text("""
name: half
topology:
  nodes:
    sw1: {kind: linux, image: procurve-emu:latest}
    h1: {kind: linux}
  links:
    - endpoints: ["sw1:eth1", "h1:eth1"]
    - type: vxlan
      endpoint: {node: sw1, interface: eth2}
      remote: 192.0.2.2
      vni: 100
      dst-port: 4789
      mtu: 1450
""")
    half = lab.load(path)
    assert half.tunnels == [lab.Tunnel(("sw1", "eth2"), ipaddress.ip_address("192.0.2.2"),
                                       100, 4789, mtu=1450)]
    assert half.data_links("sw1") == 2 and half.data_links("h1") == 1
    assert len(half.tunnel_name(0)) <= 15


@pytest.mark.parametrize("link", [
    "{type: macvlan, endpoint: {node: h1, interface: eth1}, host-interface: eth0}",
    "{type: vxlan, endpoint: {node: nobody, interface: eth1}, remote: 192.0.2.2, vni: 1, "
    "dst-port: 4789}",
    "{type: vxlan, endpoint: {node: h1, interface: eth1}, remote: not-an-address, vni: 1, "
    "dst-port: 4789}",
])
def test_links_it_cannot_make_are_refused(tmp_path: Path, link: str) -> None:
    path = tmp_path / "bad.clab.yml"
    path.write_text(f"name: bad\ntopology:\n  nodes:\n    h1: {{kind: linux}}\n"
                    f"  links:\n    - {link}\n")
    with pytest.raises(lab.LabError):
        lab.load(path)


def test_inheritance_as_containerlab_does_it(tmp_path: Path) -> None:
    """defaults < kinds < groups < node: a bind per container path from the most specific
    level, exec lines from every level, env values as written, containerlab's link defaults."""
    path = tmp_path / "layers.clab.yml"
    path.write_text("""
name: layers
topology:
  defaults:
    binds: ["/srv/default.cfg:/etc/procurve/startup.cfg:ro"]
    exec: ["ip link set lo up"]
    env: {FLAG: yes, CODE: "010"}
  kinds:
    linux: {exec: ["echo kind"]}
  groups:
    edge: {env: {FROM_GROUP: "1"}, exec: ["echo group"]}
  nodes:
    sw1:
      kind: linux
      group: edge
      image: procurve-emu:latest
      binds: ["/srv/node.cfg:/etc/procurve/startup.cfg:ro"]
      exec: ["echo node"]
    h1: {kind: linux}
  links:
    - endpoints: ["sw1:eth1", "h1:eth1"]
    - {type: vxlan, endpoint: {node: sw1, interface: eth2}, remote: 192.0.2.2, vni: 7}
""")
    layers = lab.load(path)
    sw1 = layers.nodes["sw1"]
    assert sw1.binds == ["/srv/node.cfg:/etc/procurve/startup.cfg:ro"]
    assert sw1.exec == ["ip link set lo up", "echo kind", "echo group", "echo node"]
    assert sw1.env == {"FLAG": "yes", "CODE": "010", "FROM_GROUP": "1"}
    assert layers.nodes["h1"].exec == ["ip link set lo up", "echo kind"]
    assert layers.links[0].mtu == topology.LINK_MTU
    assert layers.tunnels[0].dst_port == topology.VXLAN_PORT


def _topology(tmp_path: Path, name: str = "lab", node: str = "h1",
              ifname: str = "eth1") -> Path:
    path = tmp_path / "bad.clab.yml"
    path.write_text(f"name: '{name}'\ntopology:\n  nodes:\n    '{node}': {{kind: linux}}\n"
                    f"    h2: {{kind: linux}}\n"
                    f"  links:\n    - endpoints: ['{node}:{ifname}', 'h2:eth1']\n")
    return path


def test_reading_a_topology_makes_nothing(tmp_path: Path) -> None:
    """`down` trusts what `load` read: reading alone creates no folder (nor namespace)."""
    path = _topology(tmp_path)
    assert lab.load(path).directory == tmp_path / "clab-lab"
    assert list(tmp_path.iterdir()) == [path]


def test_the_topology_model_imports_nothing_that_acts() -> None:
    """No process, file or namespace module in topology.py: the plumbing lives elsewhere."""
    tree = ast.parse(Path(topology.__file__).read_text())
    imported = {alias.name.split(".")[0] for node in ast.walk(tree)
                if isinstance(node, ast.Import) for alias in node.names}
    imported |= {(node.module or "").split(".")[0] for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom)}
    assert imported <= {"__future__", "dataclasses", "hashlib", "ipaddress", "pathlib", "re",
                        "typing", "yaml"}


@pytest.mark.parametrize("name", ["../../etc", "a/b", "..", ".hidden", "-n", "a b", "x..y",
                                  "x" * 300])
def test_lab_names_that_leave_the_lab_directory_are_refused(tmp_path: Path,
                                                           name: str) -> None:
    with pytest.raises(lab.LabError, match=r"lab name|namespace"):
        lab.load(_topology(tmp_path, name=name))


@pytest.mark.parametrize("node", ["../../etc", "a/b", "..", ".", "-n", "h 1", "h1\t", "é"])
def test_node_names_that_are_no_container_name_are_refused(tmp_path: Path, node: str) -> None:
    with pytest.raises(lab.LabError, match="node name"):
        lab.load(_topology(tmp_path, node=node))


@pytest.mark.parametrize("ifname", ["eth1/x", "..", "e:1", "e 1", "-x",
                                    "an-interface-x16", ""])
def test_interface_names_the_kernel_or_ip_would_refuse_are_refused(tmp_path: Path,
                                                                   ifname: str) -> None:
    with pytest.raises(lab.LabError, match=r"interface name|bad link endpoint"):
        lab.load(_topology(tmp_path, ifname=ifname))


def test_a_fifteen_character_interface_name_is_taken(tmp_path: Path) -> None:
    assert lab.load(_topology(tmp_path, ifname="e" * 15)).links[0].a == ("h1", "e" * 15)


def test_lab_up_refuses_a_bad_topology_before_creating_anything(tmp_path: Path) -> None:
    """The checks run at load: `up` (and `down`) touch nothing for such a file."""
    path = _topology(tmp_path, node="../../escape")
    parser = argparse.ArgumentParser()
    lab.add_parser(parser.add_subparsers())
    args = parser.parse_args(["lab", "up", str(path)])
    assert lab.main(args) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.clab.yml"]


def _chassis(*modules: tuple[str, str, bool]) -> dict[str, object]:
    return {"modules": [{"slot": slot, "role": role, "ready": ready}
                        for slot, role, ready in modules]}


def test_switch_health_names_what_a_failure_now_would_do() -> None:
    assert runner.switch_health(_chassis(("MM1", "active", True),
                                         ("MM2", "standby", True))) == "healthy"
    assert runner.switch_health(_chassis(("MM1", "active", True),
                                         ("MM2", "booting", False))) == "no standby"
    assert runner.switch_health(_chassis(("MM1", "active", False),
                                         ("MM2", "standby", True))) == "booting"


def test_lab_status_is_a_table_of_nodes_and_their_health() -> None:
    report = {"name": "chain", "topology": "/labs/chain.clab.yml", "nodes": [
        {"name": "sw1", "kind": "procurve", "mgmt_ipv4": "172.20.20.2", "health": "healthy",
         "roles": {"MM2": "standby", "MM1": "active"}},
        {"name": "h1", "kind": "linux", "mgmt_ipv4": "172.20.20.3", "health": "down"},
    ]}
    assert runner.render_status(report).split("\n") == [
        "lab chain (/labs/chain.clab.yml)",
        "NODE         KIND      MGMT IPV4        HEALTH      MODULES",
        "sw1          procurve  172.20.20.2      healthy     MM1 active, MM2 standby",
        "h1           linux     172.20.20.3      down",
    ]


def test_progress_is_a_line_per_switch_off_a_terminal() -> None:
    out = io.StringIO()
    progress = runner.Progress(3, out)
    for up in (1, 2, 3):
        progress.show(up)
    assert out.getvalue() == "1/3 switches up\n2/3 switches up\n3/3 switches up\n"


def test_progress_is_a_bar_redrawn_in_place_on_a_terminal() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    out = Terminal()
    progress = runner.Progress(4, out)
    progress.show(1)
    progress.show(4)
    assert out.getvalue() == (f"\r[{'#' * 7}{'.' * 23}] 1/4 switches up"
                              f"\r[{'#' * 30}] 4/4 switches up\n")
