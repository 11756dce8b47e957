"""`procurve-emu lab` reading topology files: what it refuses, with a line, not a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from emulator import lab


@pytest.mark.parametrize("text", ["", "- a list\n", "topology: {}\n", "name: x\nmgmt: 3\n"])
def test_files_that_are_no_topology_are_refused(tmp_path: Path, text: str) -> None:
    path = tmp_path / "bad.clab.yml"
    path.write_text(text)
    with pytest.raises(lab.LabError):
        lab.load(path)
