"""The options table is the one description of the chassis' options: the parser, the record the
chassis starts with and the README are all read from it."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from emulator import labnode, main, options
from emulator.chassis.backplane import ChassisOptions
from snmp import notify

REPO = Path(__file__).resolve().parents[2]


def test_readme_table_is_the_rendered_one() -> None:
    """Edit emulator/options.py, then paste `python -m emulator.options` into README.md."""
    assert options.readme_table() in (REPO / "README.md").read_text()


def test_environment_only_variables_are_the_ones_the_code_reads() -> None:
    assert [v.env for v in options.ENVIRONMENT_ONLY] == [
        notify.TRAP_PORT_ENV, labnode.SEED_VARIABLE, labnode.BASE_MAC_VARIABLE,
        labnode.SERIAL_VARIABLE]


def test_every_chassis_option_comes_from_the_table() -> None:
    """Each field of the chassis' record is an option of `run`, with no default of its own
    (the table's is the only one)."""
    run_options = {o.dest for o in options.OPTIONS if "run" in o.commands}
    for field in dataclasses.fields(ChassisOptions):
        assert field.name in run_options
        assert field.default is dataclasses.MISSING
        assert field.default_factory is dataclasses.MISSING


def test_every_default_parses_to_what_run_gets(monkeypatch: pytest.MonkeyPatch) -> None:
    for option in options.OPTIONS:
        monkeypatch.delenv(option.env, raising=False)
    args = main.parse_args(["run"])
    for option in options.OPTIONS:
        expected = None if option.default is None else option.parse(option.default)
        if option.repeat:
            expected = {}
        assert getattr(args, option.dest) == expected, option.flag


def test_data_dir_is_defined_once_for_every_subcommand(monkeypatch: pytest.MonkeyPatch,
                                                       tmp_path: Path) -> None:
    monkeypatch.delenv("PROCURVE_DATA_DIR", raising=False)
    for argv in (["run"], ["status"], ["fault", "kill", "mm1"], ["health"]):
        assert main.parse_args([*argv, "--data-dir", str(tmp_path)]).data_dir == tmp_path
    source = (REPO / "emulator" / "main.py").read_text()
    assert "--data-dir" not in source


def test_help_shows_each_flag_with_its_variable_and_default(
    capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        main.main(["run", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    for option in options.OPTIONS:
        assert option.flag in text
        assert f"({option.env}, default {option.shown_default})" in text, option.flag


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main.main(["--version"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert re.fullmatch(r"procurve-emu \d+\.\d+\.\d+\n", out), out
