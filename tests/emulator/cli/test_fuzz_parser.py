"""The command engine with the switch's whole table under any line: arbitrary text, and lines
of the table's own keywords (abbreviated, negated, in the wrong context) with arguments that
break parsers. match, `?` help and Tab completion answer or raise ParseError (the switch's
`Invalid input` family), in every mode and at both levels, in work linear in the line."""

from __future__ import annotations

import contextlib
import functools
from typing import Final

from hypothesis import example, given
from hypothesis import strategies as st

from emulator.cli.editor import MAX_LINE
from emulator.cli.grammar import Level, ModeKind
from emulator.cli.parser import CommandTable, ParseError, _Node, tokenize
from emulator.commands import command_table
from tests.emulator.config.test_fuzz_parse import ODD_WORDS
from tests.fuzzing import measured

CALLS_PER_CHARACTER = 400
"""A token is tried against every keyword of its node and each parameter type there."""


@functools.cache
def table() -> CommandTable:
    return command_table()


def keywords() -> list[str]:
    """Every keyword of the table, each once."""
    seen: set[str] = set()
    stack: list[_Node] = [table().root, table().negated_root]
    while stack:
        node = stack.pop()
        for word, child in node.keywords.items():
            seen.add(word)
            stack.append(child)
        stack.extend(child for _, _, child in node.params)
    return sorted(seen)


words = st.one_of(st.sampled_from(keywords()), st.sampled_from(keywords()).map(lambda w: w[:2]),
                  st.sampled_from(ODD_WORDS), st.text(max_size=10))
lines = st.one_of(st.text(max_size=MAX_LINE),
                  st.lists(words, max_size=12).map(" ".join),
                  st.lists(words, min_size=1, max_size=12).map(lambda ws: "no " + " ".join(ws)))


HELP_OF_EVERYTHING: Final = 40_000
"""Calls an empty line may cost whatever its length: its `?` in a context lists every command
offered there (about 21,000 calls once the config vocabulary, routing, AAA and OpenFlow
contexts were in the table; twice that leaves room for the grammar to grow)."""


def answer(line: str, mode: ModeKind, level: Level) -> None:
    tokens = tokenize(line)
    with measured() as work:
        for run in (lambda: table().match(tokens, mode, level),
                    lambda: table().help(tokens[:-1], tokens[-1] if tokens else "", mode, level),
                    lambda: table().help(tokens, "", mode, level),
                    lambda: table().complete(tokens[:-1], tokens[-1] if tokens else "", mode,
                                             level)):
            with contextlib.suppress(ParseError):
                run()
    work.linear(len(line), CALLS_PER_CHARACTER, base=HELP_OF_EVERYTHING)


@given(lines, st.sampled_from(ModeKind), st.sampled_from(Level))
@example("vlan ٣", ModeKind.CONFIG, Level.MANAGER)
@example("vlan " + "9" * 1000, ModeKind.CONFIG, Level.MANAGER)
@example('name "unclosed', ModeKind.VLAN, Level.MANAGER)
def test_fuzz_engine_answers_or_refuses(line: str, mode: ModeKind, level: Level) -> None:
    answer(line, mode, level)


def test_longest_line_of_keywords_costs_linear_work() -> None:
    """A line at the editor's limit, every token an ambiguous prefix or a keyword."""
    line = ("show " * (MAX_LINE // 5))[:MAX_LINE]
    answer(line, ModeKind.CONFIG, Level.MANAGER)
