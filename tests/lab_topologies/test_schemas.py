"""Every file in lab_topologies/ against its schema, and against what the product reads.

containerlab's topology schema is copied here (clab.schema.json, BSD-3-Clause, provenance
and licence in clab.schema.LICENSE). The GNS3 appliance schema is GPL-3.0 and no PyPI
package ships the v8 one (gns3-server 3.0 carries a pydantic model of versions 1-6 only), so
it is read from the steering repository's shared/reference/schemas/ beside this checkout, or
from $PROCURVE_GNS3_SCHEMA, and the schema check skips, saying so, where neither exists.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from jsonschema import Draft4Validator, Draft7Validator, ValidationError

from emulator import lab
from emulator.hardware import Inventory
from emulator.labnode import CONTAINER_ENV
from emulator.testing import REPO
from tests.emulator.replaying import replay_text

TOPOLOGIES = REPO / "lab_topologies"
CLAB_SCHEMA = Path(__file__).with_name("clab.schema.json")
GNS3_SCHEMA = Path(os.environ.get(
    "PROCURVE_GNS3_SCHEMA", REPO.parent / "shared/reference/schemas/gns3_appliance_v8.json"))
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


@pytest.mark.skipif(not GNS3_SCHEMA.is_file(),
                    reason=f"GNS3 appliance schema v8 (GPL-3.0, not shipped by any PyPI package) "
                    f"not found at {GNS3_SCHEMA}; set PROCURVE_GNS3_SCHEMA to its path")
@pytest.mark.parametrize("path", GNS3_FILES, ids=lambda p: p.name)
def test_gns3_appliance_validates_against_schema_v8(path: Path) -> None:
    schema = json.loads(GNS3_SCHEMA.read_text())
    validator = Draft4Validator(schema, format_checker=Draft4Validator.FORMAT_CHECKER)
    errors = [e.message for e in validator.iter_errors(json.loads(path.read_text()))]
    assert errors == []
