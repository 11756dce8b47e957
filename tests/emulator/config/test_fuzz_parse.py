"""The startup-config replay under any file: arbitrary text, and the statements a config may
hold (every config-level grammar row) with arguments drawn from what breaks parsers (Unicode
digits, 5,000-digit numbers, ranges backwards, quotes left open, control characters). A line
it cannot take is reported by line number and skipped; the replay itself never raises."""

from __future__ import annotations

import re
from importlib import import_module

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from emulator.cli.grammar import Where
from emulator.commands import FAMILIES
from emulator.hardware import SLOTS, Inventory
from tests.emulator.replaying import Replayed, fresh_device, replay_on
from tests.fuzzing import measured

INVENTORY = Inventory(modules=dict.fromkeys(SLOTS, "J8702A") | {"C": "J8707A"})


def _statements() -> list[str]:
    """The keywords each config row starts with, in its plain and `no` forms."""
    found: set[str] = set()
    for family in FAMILIES:
        for row in import_module(f"emulator.commands.{family}").ROWS:
            if row.where is Where.EXEC:
                continue
            led = re.findall(r"^(?:[a-z][\w-]*\s*)+", row.syntax)
            if not led:  # led by a number (an ACL's `[<seq>] permit ...`): no keyword head
                continue
            head = " ".join(led[0].split())
            found |= ({head} if row.run else set()) | ({f"no {head}"} if row.negate else set())
    return sorted(found | {"exit"})


STATEMENTS = _statements()
ODD_WORDS = ("²", "٣", "1٣", "9" * 5000, "0", "-1", "4095", "A1-A24", "A24-A1", "Z9", "A0",
             "a1,,b2", "10.0.0.1", "10.0.0.1/33", "255.255.255.0", '"', '"open', '""',
             "\x1b[2J", "\x00", "x" * 300, "manager", "operator", "unrestricted", "type",
             "J8702A", "user", "params", "ver3", "inform", "taglist", "retries", "exit")
words = st.one_of(st.sampled_from(ODD_WORDS), st.text(max_size=12))
statements = st.builds(lambda head, args: " ".join([head, *args]), st.sampled_from(STATEMENTS),
                       st.lists(words, max_size=8))
files = st.one_of(st.text(max_size=400),
                  st.lists(st.one_of(statements, words), max_size=30).map("\n".join))


def parsed(text: str) -> Replayed:
    device = fresh_device(INVENTORY)
    with measured() as work:
        result = replay_on(device, text)
    work.linear(len(text), 400, base=20_000)
    lines = text.splitlines()
    for error in result.errors:
        assert 1 <= error.lineno <= len(lines) and error.line == lines[error.lineno - 1]
    return result


@given(files)
@example("mac-age-time ²")
@example("vlan ٣")
@example("vlan " + "9" * 5000)
@example("snmpv3 targetaddress t params p 10.0.0.1 retries ²")
def test_fuzz_config_reader_reports_and_skips(text: str) -> None:
    parsed(text)


@pytest.mark.parametrize("line", ["mac-age-time ²", "vlan ٣", "vlan " + "9" * 5000,
                                  "mac-age-time " + "9" * 5000,
                                  "snmpv3 targetaddress t params p 10.0.0.1 retries ²"])
def test_digits_that_int_refuses_are_invalid_input(line: str) -> None:
    """str.isdigit() accepts superscripts and numbers longer than int() reads (4,300 digits):
    the reader answers the CLI's error for them, as for any other bad number."""
    result = parsed(f"hostname ok\n{line}\nhostname after")
    assert [(e.lineno, e.message) for e in result.errors] == [
        (2, f"Invalid input: {line.split()[-1]}")]
    assert result.config.hostname == "after"


def test_megabyte_line_is_one_error() -> None:
    result = parsed("hostname " + "x" * 1_000_000)
    assert len(result.errors) == 1 and result.config.hostname != "x" * 1_000_000
