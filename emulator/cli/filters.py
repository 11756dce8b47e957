"""Output filters: `show running-config | include vlan`, `| exclude`, `| begin`. The switch
applies one case-sensitive regular expression to the command's output lines, after the
command ran and before paging; the session splits the filter off the line, so no command
family knows about it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from emulator.cli.parser import ParseError

PIPE: Final = "|"
KINDS: Final = ("include", "exclude", "begin")


@dataclass(frozen=True)
class OutputFilter:
    kind: str
    pattern: re.Pattern[str]

    def apply(self, text: str) -> str:
        """`include` keeps the matching lines, `exclude` the others, `begin` everything from
        the first matching line on (nothing when no line matches)."""
        lines = text.split("\n")
        if self.kind == "include":
            kept = [line for line in lines if self.pattern.search(line)]
        elif self.kind == "exclude":
            kept = [line for line in lines if not self.pattern.search(line)]
        else:
            first = next((i for i, line in enumerate(lines) if self.pattern.search(line)),
                         len(lines))
            kept = lines[first:]
        return "\n".join(kept)


def split_filter(tokens: list[str]) -> tuple[list[str], OutputFilter | None]:
    """The command's tokens and the filter after its `|`, if any. The keyword may be
    abbreviated as any other (`| inc`); the expression is the rest of the line."""
    if PIPE not in tokens:
        return tokens, None
    at = tokens.index(PIPE)
    command, after = tokens[:at], tokens[at + 1:]
    if not command:
        raise ParseError(f"Invalid input: {PIPE}")
    if not after:
        raise ParseError(f"Incomplete input: {PIPE}")
    word = after[0].lower()
    kinds = [kind for kind in KINDS if kind.startswith(word)]
    if len(kinds) != 1:
        raise ParseError(f"{'Ambiguous' if kinds else 'Invalid'} input: {after[0]}")
    if len(after) < 2:
        raise ParseError(f"Incomplete input: {after[0]}")
    expression = " ".join(after[1:])
    try:
        pattern = re.compile(expression)
    except re.error as exc:
        raise ParseError(f"Invalid input: {expression}") from exc
    return command, OutputFilter(kinds[0], pattern)
