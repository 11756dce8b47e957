"""Every file in lab_topologies/ against its schema, and against what the product reads.

containerlab's topology schema is copied here (clab.schema.json, BSD-3-Clause, provenance
and licence in clab.schema.LICENSE). The GNS3 appliance is checked by GNS3's own GUI code,
which ships the registry's v8 schema (GPL-3.0, so installed from PyPI as gns3-gui into
.venv-gns3 by scripts/test.sh, not copied here; gns3-server 3.0 knows versions 1-6 only).
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from jsonschema import Draft7Validator, ValidationError

from emulator import lab
from emulator.hardware import Inventory
from emulator.labnode import CONTAINER_ENV
from emulator.testing import REPO, require
from tests.emulator.replaying import replay_text

TOPOLOGIES = REPO / "lab_topologies"
CLAB_SCHEMA = Path(__file__).with_name("clab.schema.json")
GNS3_PYTHON = REPO / ".venv-gns3" / "bin" / "python"
GNS3_GUI_CHECK = """
import sys
from gns3.registry.appliance import Appliance, ApplianceError
try:
    Appliance(None, sys.argv[1])
except ApplianceError as exc:
    print(exc)
    sys.exit(1)
"""
CLAB_FILES = sorted(TOPOLOGIES.glob("*.clab.yml"))
GNS3_FILES = sorted(TOPOLOGIES.glob("*.gns3a"))
CONFIG_FILES = sorted((TOPOLOGIES / "configs").glob("*.cfg"))

ECMA_CLASSES = {r"[\p{N}\p{L}]": r"[^\W_]"}
"""containerlab's schema (for Go and editors) spells letters-or-digits with Unicode property
classes, which Python's `re` lacks; `[^\\W_]` is the same set."""


def _pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Iterator[Any]:
    if not validator.is_type(instance, "string"):
        return
    python = pattern
    for ecma, equivalent in ECMA_CLASSES.items():
        python = python.replace(ecma, equivalent)
    if not re.search(python, instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


ClabValidator = jsonschema.validators.extend(Draft7Validator, {"pattern": _pattern})


def clab_errors(document: Any) -> list[str]:
    schema = json.loads(CLAB_SCHEMA.read_text())
    validator = ClabValidator(schema, format_checker=Draft7Validator.FORMAT_CHECKER)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in validator.iter_errors(document)]


def test_the_shipped_set_is_complete() -> None:
    names = {p.name for p in CLAB_FILES}
    assert {"single-switch.clab.yml", "two-switch-trunk.clab.yml", "redundancy-drill.clab.yml",
            "multi-host-a.clab.yml", "multi-host-b.clab.yml"} <= names
    assert GNS3_FILES and CONFIG_FILES


@pytest.mark.parametrize("path", CLAB_FILES, ids=lambda p: p.name)
def test_topology_validates_against_containerlabs_schema(path: Path) -> None:
    assert clab_errors(yaml.safe_load(path.read_text())) == []


def test_the_schema_check_catches_a_mistake() -> None:
    """A misspelt node key and a lab without a name are refused."""
    document = yaml.safe_load((TOPOLOGIES / "single-switch.clab.yml").read_text())
    sw1 = document["topology"]["nodes"]["sw1"]
    sw1["imgae"] = sw1.pop("image")
    del document["name"]
    errors = clab_errors(document)
    assert any(e.startswith("topology/nodes/sw1:") for e in errors), errors
    assert any("'name' is a required property" in e for e in errors), errors


@pytest.mark.parametrize("path", CLAB_FILES, ids=lambda p: p.name)
def test_topology_is_what_procurve_emu_lab_and_the_image_accept(path: Path) -> None:
    """Every switch node uses the image's variables only, binds files that exist, and has
    no more data links than the chassis has ports (eth1..N become A1, A2, ...)."""
    topology = lab.load(path)
    switches = [n for n in topology.nodes.values() if n.is_switch]
    assert switches
    for node in switches:
        assert set(node.env) <= {*CONTAINER_ENV, "PROCURVE_STARTUP_CONFIG", "PROCURVE_HOSTNAME",
                                 "PROCURVE_TIMING", "PROCURVE_PORTS"}
        for bind in node.binds:
            assert (path.parent / bind.split(":")[0]).is_file(), bind
        assert topology.data_links(node.name) <= len(Inventory().ports())


@pytest.mark.parametrize("path", CONFIG_FILES, ids=lambda p: p.name)
def test_example_startup_config_boots_without_a_refused_line(path: Path) -> None:
    result = replay_text(path.read_text(), Inventory())
    assert result.errors == []


@pytest.mark.parametrize("path", GNS3_FILES, ids=lambda p: p.name)
def test_gns3_appliance_runs_the_image_with_every_adapter_a_port(path: Path) -> None:
    appliance = json.loads(path.read_text())
    assert appliance["registry_version"] == 8
    (docker,) = [s["template_properties"] for s in appliance["settings"]
                 if s["template_type"] == "docker"]
    assert docker["image"].split(":")[0] == lab.SWITCH_IMAGE
    assert docker["console_type"] == "telnet"  # the chassis' stdio is the serial console
    env = dict(line.split("=", 1) for line in docker["environment"].splitlines())
    assert env["PROCURVE_MGMT_INTERFACE"] == "none"
    assert set(env) <= {*CONTAINER_ENV, "PROCURVE_MGMT_NETNS"}
    assert (appliance["default_username"], appliance["default_password"]) == (
        "manager", "manager")


def gns3_gui_check(appliance: Path) -> subprocess.CompletedProcess[str]:
    """GNS3's GUI (3.0.6, from PyPI in .venv-gns3) reading a .gns3a as its import wizard
    does: gns3.registry.appliance validates it against the registry schema the GUI ships
    (v8 for registry_version 8) and refuses it with ApplianceError."""
    require(None if GNS3_PYTHON.exists() else
            "gns3-gui not installed (scripts/test.sh puts 3.0.6 in .venv-gns3)")
    return subprocess.run([str(GNS3_PYTHON), "-c", GNS3_GUI_CHECK, str(appliance.resolve())],
                          capture_output=True, text=True, timeout=60, check=False)


@pytest.mark.parametrize("path", GNS3_FILES, ids=lambda p: p.name)
def test_gns3_gui_accepts_the_appliance(path: Path) -> None:
    done = gns3_gui_check(path)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_gns3_gui_check_catches_a_mistake(tmp_path: Path) -> None:
    appliance = json.loads(GNS3_FILES[0].read_text())
    appliance["settings"][0]["template_properties"]["adapters"] = "eight"
    broken = tmp_path / "broken.gns3a"
    broken.write_text(json.dumps(appliance))
    done = gns3_gui_check(broken)
    assert done.returncode == 1 and "Invalid appliance file" in done.stdout, done.stdout
