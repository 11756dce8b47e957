"""The suite's fuzz targets (tests/**/test_fuzz_*.py), run far longer than CI runs them: every
hypothesis test of a target module gets a share of the target's budget (seconds, or a count
of inputs), generation only (no shrinking, no example database), and every input that makes
a test fail is counted as a crash and the first one printed, so one run reports them all.

    python benchmarks/fuzz_long.py [--seconds 60 | --count 100000] [--target ber ...]
                                   [--out benchmarks/results/fuzz.md]

Not a test: figures go to a results file with the machine, date and command.
"""

from __future__ import annotations

import argparse
import importlib
import os
import platform
import shlex
import subprocess
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from hypothesis import HealthCheck, Phase, Verbosity, settings  # noqa: E402

TARGETS = {
    "ber": "tests.snmp.test_fuzz_ber",
    "usm": "tests.snmp.test_fuzz_usm",
    "agent": "tests.snmp.test_fuzz_agent",
    "ipc": "tests.emulator.test_fuzz_ipc",
    "lldp": "tests.emulator.fabric.test_fuzz_lldp",
    "telnet": "tests.ssh_server.test_fuzz_telnet",
    "config": "tests.emulator.config.test_fuzz_parse",
    "cli-parser": "tests.emulator.cli.test_fuzz_parser",
    "cli-session": "tests.emulator.cli.test_fuzz_session",
}
"""Target name -> the test module that holds its hypothesis tests (`test_fuzz_*`)."""


class OutOfTime(BaseException):
    """Ends one test's run when its share of the budget is spent: hypothesis lets a
    BaseException that is not a test failure through at once, without shrinking."""


@dataclass
class Tally:
    inputs: int = 0
    crashes: int = 0
    seconds: float = 0.0
    first: list[str] = field(default_factory=list)


def run_test(test: Any, tally: Tally, count: int | None, seconds: float | None) -> None:
    """`test` (a @given function) on up to `count` inputs or for `seconds`, tallied."""
    inner: Callable[..., None] = test.hypothesis.inner_test
    start = time.monotonic()

    def counted(*args: Any, **kwargs: Any) -> None:
        if seconds is not None and time.monotonic() - start > seconds:
            raise OutOfTime
        tally.inputs += 1
        try:
            inner(*args, **kwargs)
        except Exception as exc:  # every failure is a finding, counted
            tally.crashes += 1
            if len(tally.first) < 3:
                tally.first.append(f"{test.__name__}: {type(exc).__name__}: {exc} "
                                   f"on {args!r:.300} {kwargs!r:.300}")

    test.hypothesis.inner_test = counted
    long_run = settings(max_examples=count or 10**9, deadline=None, database=None,
                        phases=(Phase.explicit, Phase.generate),
                        suppress_health_check=list(HealthCheck), verbosity=Verbosity.quiet)
    try:
        long_run(test)()
    except OutOfTime:
        pass
    finally:
        test.hypothesis.inner_test = inner
        tally.seconds += time.monotonic() - start


def fuzz(target: str, count: int | None, seconds: float | None) -> Tally:
    module = importlib.import_module(TARGETS[target])
    tests = [getattr(module, name) for name in sorted(vars(module))
             if name.startswith("test_fuzz_") and hasattr(getattr(module, name), "hypothesis")]
    tally = Tally()
    for test in tests:
        run_test(test, tally, count and count // len(tests), seconds and seconds / len(tests))
    return tally


def main() -> int:
    warnings.simplefilter("ignore")  # the libraries' deprecation notices, not findings
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    budget = parser.add_mutually_exclusive_group()
    budget.add_argument("--seconds", type=float, help="per target (default 60)")
    budget.add_argument("--count", type=int, help="inputs per target")
    parser.add_argument("--target", action="append", choices=sorted(TARGETS))
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    seconds = args.seconds if args.seconds or args.count else 60.0
    rows = []
    for target in args.target or list(TARGETS):
        tally = fuzz(target, args.count, seconds)
        rows.append((target, tally))
        print(f"{target:12} {tally.inputs:9} inputs {tally.crashes:5} crashes "
              f"{tally.seconds:7.1f} s", flush=True)
        for line in tally.first:
            print(f"    {line}", flush=True)
    crashes = sum(tally.crashes for _, tally in rows)
    if args.out:
        write_results(args.out, rows)
    return 1 if crashes else 0


def write_results(path: Path, rows: list[tuple[str, Tally]]) -> None:
    command = "python " + shlex.join(["benchmarks/fuzz_long.py", *sys.argv[1:]])
    lines = [
        "# Fuzzing: the suite's targets, run long",
        "",
        f"- machine: `{' '.join(platform.uname())}` (`uname -a`: "
        f"`{subprocess.run(['uname', '-a'], capture_output=True, text=True).stdout.strip()}`)",
        f"- nproc: {os.cpu_count()} (shared with other jobs while this ran)",
        f"- date: {time.strftime('%Y-%m-%d %H:%M %Z')}",
        f"- command: `{command}`",
        f"- python {platform.python_version()}, hypothesis "
        f"{importlib.import_module('hypothesis').__version__}",
        "",
        "| target | module | inputs tried | crashes | seconds |",
        "|---|---|---:|---:|---:|",
        *(f"| {target} | {TARGETS[target]} | {tally.inputs} | {tally.crashes} | "
          f"{tally.seconds:.0f} |" for target, tally in rows),
        "",
    ]
    for target, tally in rows:
        lines += [f"- {target}: {line}" for line in tally.first]
    path.write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    sys.exit(main())
