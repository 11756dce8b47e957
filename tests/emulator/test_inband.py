"""Where the switch's in-band IP stack lives (emulator/inband.py): the choice, not the stack
(tests/e2e/test_inband.py runs that)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from emulator import inband


def test_auto_is_a_namespace_named_after_the_data_dir_when_root(tmp_path: Path) -> None:
    name = inband.resolve(inband.AUTO, tmp_path)
    if os.geteuid() != 0 or not Path("/dev/net/tun").exists():
        assert name is None
        return
    assert name is not None and name.startswith(inband.NETNS_PREFIX) and len(name) == 12
    assert inband.resolve(inband.AUTO, tmp_path / "." ) == name  # the same directory
    assert inband.resolve(inband.AUTO, tmp_path / "other") != name


def test_explicit_choices() -> None:
    assert inband.resolve(inband.NONE, Path(".")) is None
    assert inband.resolve(inband.SELF, Path(".")) == inband.SELF
    assert inband.resolve("lab-mgmt", Path(".")) == "lab-mgmt"


@pytest.mark.parametrize("bad", ["a/b", "..", "", "x" * 65, "two words"])
def test_bad_names_are_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="bad namespace"):
        inband.check_mode(bad)


def test_commands_run_in_the_stack() -> None:
    assert inband.ip_command("pcv-1", "neigh") == ["ip", "-n", "pcv-1", "neigh"]
    assert inband.ip_command(inband.SELF, "neigh") == ["ip", "neigh"]
    assert inband.in_stack("pcv-1", "ping", "x") == ["ip", "netns", "exec", "pcv-1", "ping", "x"]
    assert inband.in_stack(inband.SELF, "ping", "x") == ["ping", "x"]
