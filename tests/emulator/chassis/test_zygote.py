"""The zygote (emulator/chassis/zygote.py): what a forked slot process is given and what it
leaves behind, its exit status as the chassis reads it, and a zygote that dies."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from emulator.chassis import zygote

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def driven() -> dict[str, Any]:
    done = subprocess.run([sys.executable, "-m", "tests.emulator.chassis.spawned", "drive"],
                          cwd=ROOT, capture_output=True, text=True, timeout=60, check=True)
    result: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    return result


def test_a_spawned_process_holds_only_what_the_spawn_names(driven: dict[str, Any]) -> None:
    first = driven["first"]
    assert first["fds"] == [0, 1, 2, 3]  # nothing of the zygote's, its request socket least
    assert first["env"] == "given"
    assert first["argv"] == ["tests.emulator.chassis.spawned", "wait"]
    assert first["sigterm"] and first["sigint"]


def test_a_zygote_forked_by_the_chassis_holds_only_its_request_socket(
        driven: dict[str, Any]) -> None:
    """Not the chassis' sockets, lock or console: stdin, stdout, stderr, the request socket."""
    assert driven["zygote_fds"] == [0, 1, 2, 3]


def test_the_chassis_is_the_parent(driven: dict[str, Any]) -> None:
    assert {driven[n]["ppid"] for n in ("first", "second", "fourth")} == {driven["chassis"]}


def test_forked_processes_do_not_share_random_state(driven: dict[str, Any]) -> None:
    reports = [driven[n] for n in ("first", "second", "third", "fourth")]
    for what in ("random", "urandom", "key"):
        assert len({r[what] for r in reports}) == len(reports), what


def test_stderr_through_a_pipe_for_a_raw_terminal(driven: dict[str, Any]) -> None:
    assert driven["said"] == "last words\n"


def test_exit_status_as_exec_would_give_it(driven: dict[str, Any]) -> None:
    assert driven["second_code"] == 3
    assert driven["third_code"] == 1  # SystemExit("bye"): printed, status 1
    assert driven["first_code"] == -9  # SIGKILL through the pidfd
    assert driven["signal_after_exit"] == "ProcessLookupError"


def test_what_a_killed_slot_process_left_is_reaped_once_it_ends(driven: dict[str, Any]) -> None:
    """The chassis, a subreaper, inherits it (as init would without the zygote) and reaps it:
    no zombie is left, and the slot process' own exit status is still read through its pidfd."""
    assert driven["orphan_ppid"] == driven["chassis"]
    assert driven["leaving_code"] == -9
    assert not driven["orphan_left"]


def test_a_dead_zygote_is_restarted_and_its_children_live_on(driven: dict[str, Any]) -> None:
    assert driven["zygote_starts"] == 2
    assert driven["fourth_code"] == 0
    assert driven["first_code"] == -9  # it was still running when the zygote died


@pytest.mark.parametrize(("code", "status"), [(None, 0), (0, 0), (3, 3), (256, 0)])
def test_exit_status(code: object, status: int) -> None:
    assert zygote.exit_status(code) == status


def test_the_zygote_preloads_nothing_only_the_active_uses() -> None:
    """What only the active module imports (the config model, SSH and its cryptography, the
    SNMP agent, the CLI) is not preloaded: the fabric and the standby would carry its pages in
    their share, and the active dirties most of them anyway (benchmarks/results/lab.md)."""
    done = subprocess.run(
        [sys.executable, "-c", "import sys\nfrom emulator.chassis.zygote import preload\n"
         "preload()\nprint(' '.join(sorted(sys.modules)))"],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=True)
    loaded = set(done.stdout.split())
    assert "emulator.fabric.process" in loaded and "emulator.module" in loaded
    for active_only in ("emulator.config.model", "asyncssh", "cryptography", "snmp.agent",
                        "emulator.cli.session", "emulator.commands", "emulator.device"):
        assert active_only not in loaded, active_only
