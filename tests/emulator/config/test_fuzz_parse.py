"""The startup-config reader under any file: arbitrary text, and statements the reader knows
with arguments drawn from what breaks parsers (Unicode digits, 5,000-digit numbers, ranges
backwards, quotes left open, control characters). A line it cannot take is reported by line
number and skipped (ConfigError inside, LineError out); parse_config itself never raises."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from emulator.config import parse
from emulator.config.parse import parse_config
from emulator.hardware import SLOTS, Inventory
from tests.fuzzing import measured

INVENTORY = Inventory(modules=dict.fromkeys(SLOTS, "J8702A") | {"C": "J8707A"})
STATEMENTS = sorted({" ".join(key) for table in (parse._TOP, parse._VLAN, parse._INTERFACE)
                     for key in table})
ODD_WORDS = ("²", "٣", "1٣", "9" * 5000, "0", "-1", "4095", "A1-A24", "A24-A1", "Z9", "A0",
             "a1,,b2", "10.0.0.1", "10.0.0.1/33", "255.255.255.0", '"', '"open', '""',
             "\x1b[2J", "\x00", "x" * 300, "manager", "operator", "unrestricted", "type",
             "J8702A", "user", "params", "ver3", "inform", "taglist", "retries", "exit")
words = st.one_of(st.sampled_from(ODD_WORDS), st.text(max_size=12))
statements = st.builds(lambda head, args: " ".join([head, *args]), st.sampled_from(STATEMENTS),
                       st.lists(words, max_size=8))
files = st.one_of(st.text(max_size=400),
                  st.lists(st.one_of(statements, words), max_size=30).map("\n".join))


def parsed(text: str) -> parse.ParseResult:
    with measured() as work:
        result = parse_config(text, INVENTORY)
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
