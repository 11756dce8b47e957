"""The container start path's pure parts: the ethN -> port map and its command line; the
waiting on real interfaces is in tests/e2e/test_container_entrypoint.py."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from emulator import container, hardware, labnode, main
from emulator.hardware import Inventory
from emulator.testing import REPO


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in main.ENV.values():
        monkeypatch.delenv(name, raising=False)


def eths(first: int, last: int) -> list[str]:
    return [f"eth{n}" for n in range(first, last + 1)]


def test_interfaces_fill_a1_to_a24_then_b() -> None:
    ports = container.assign_ports(eths(1, 26), {}, Inventory())
    assert list(ports)[:2] == ["A1", "A2"] and ports["A24"] == "afpacket:eth24"
    assert ports["B1"] == "afpacket:eth25" and ports["B2"] == "afpacket:eth26"


def test_explicit_ports_win_and_the_rest_fill_the_gaps() -> None:
    explicit = {"A1": "afpacket:eth3", "A2": "udp:4000:127.0.0.1:4001"}
    ports = container.assign_ports(eths(1, 3), explicit, Inventory())
    assert ports == {"A1": "afpacket:eth3", "A2": "udp:4000:127.0.0.1:4001",
                     "A3": "afpacket:eth1", "A4": "afpacket:eth2"}


def test_more_interfaces_than_ports_is_refused() -> None:
    with pytest.raises(ValueError, match="49 data interfaces but only 48 free ports"):
        container.assign_ports(eths(1, 49), {}, Inventory())


def test_container_variables_reach_the_options(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROCURVE_AUTO_PORTS", "yes")
    monkeypatch.setenv("PROCURVE_MGMT_INTERFACE", "none")
    args = main.parse_args(["run"])
    assert args.auto_ports is True and args.mgmt_interface == labnode.NO_MGMT
    monkeypatch.setenv("PROCURVE_MGMT_INTERFACE", "eth7")
    assert main.parse_args(["run"]).mgmt_interface == "eth7"
    assert main.parse_args(["run", "--mgmt-interface", "none"]).mgmt_interface == "none"
    monkeypatch.delenv("PROCURVE_AUTO_PORTS")
    assert not main.parse_args(["run"]).auto_ports


@pytest.mark.parametrize("env", [{"PROCURVE_AUTO_PORTS": "maybe"},
                                 {"PROCURVE_MGMT_INTERFACE": "eth 0"}])
def test_bad_container_variable_is_one_line_and_status_2(env: dict[str, str]) -> None:
    child_env = {k: v for k, v in os.environ.items() if not k.startswith("PROCURVE_")}
    done = subprocess.run([sys.executable, "-m", "emulator.main", "run"], cwd=REPO,
                          env={**child_env, **env}, capture_output=True, text=True,
                          timeout=30, check=False)
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr


def test_health_without_a_chassis_says_why(tmp_path: Path) -> None:
    assert "no chassis answers" in str(container.health(tmp_path))


def test_chassis_identity_is_random_unless_a_lab_fixes_it() -> None:
    assert labnode.chassis_identity({}) == hardware.Identity()
    clab = {"CLAB_LABEL_CONTAINERLAB": "trunk", "CLAB_LABEL_CLAB_NODE_NAME": "sw1"}
    seeded = labnode.chassis_identity(clab)
    assert seeded.seed is not None
    assert labnode.chassis_identity({**clab, "CLAB_LABEL_CLAB_NODE_NAME": "sw2"}) != seeded
    assert labnode.chassis_identity({**clab, "PROCURVE_CHASSIS_SEED": "x"}).seed == "x"
    fixed = labnode.chassis_identity({"PROCURVE_BASE_MAC": "00:25:90:3D:C3:1F",
                                        "PROCURVE_SERIAL": "SG123AB456"})
    assert fixed.apply(Inventory()).base_mac == "002590-3dc31f"
    assert fixed.apply(Inventory()).serial == "SG123AB456"


def test_generated_chassis_differ_unless_seeded() -> None:
    drawn = {Inventory.generate().base_mac for _ in range(20)}
    assert len(drawn) == 20 and all(mac.startswith("001871-") for mac in drawn)
    assert Inventory.generate("lab sw1") == Inventory.generate("lab sw1")
    assert Inventory.generate("lab sw1").serial != Inventory.generate("lab sw2").serial


def test_health_names_the_missing_clab_interfaces(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A node `docker start`ed again waits for links that containerlab will not make."""
    present = len(container.data_interfaces("eth0"))
    monkeypatch.setenv("CLAB_INTFS", str(present + 2))
    problem = container.health(tmp_path)
    assert problem is not None and problem.startswith(
        f"waiting for data interfaces: {present} of {present + 2} (CLAB_INTFS) present")
