"""The one rule for user text in the config: how a line splits into words, which strings a
setting may hold, and how the config writes them back.

ProCurve config text has no escapes: a free-text setting is written between double quotes
(`hostname "core 1"`), so a value holding a `"`, or a character a line cannot carry, would be
read back as something else at the next boot (`snmp-server community ro""unrestricted` would
come back as a read-write community "ro"). Such values are refused where they come in (the
CLI, a config file, an SNMP SET), so everything the switch keeps survives `write memory`.
The CLI and the config reader split lines with the same `tokenize`, so a line means the same
typed at the prompt and read from flash.
"""

from __future__ import annotations

import re
from typing import Final

QUOTE: Final = '"'
PRINTABLE: Final = range(0x20, 0x7F)
"""What a config string may hold: printable ASCII (the CLI's ASCII-STR, SNMP's
DisplayString), never the quote itself."""

_TOKEN_RE: Final = re.compile(r'"([^"]*)(?:"(?=\s|$)|$)|(\S+)')
"""A quoted word runs to its closing quote (or the end of the line, as the CLI reads a
missing one); a quote followed by more text (`"abc"d`) or inside a word (`ab"cd`) leaves the
quotes in the word, which then is no config text."""


def tokenize(line: str) -> list[str]:
    """Split on blanks; a double-quoted word may hold blanks (`name "core uplink"`)."""
    return [m.group(1) if m.group(1) is not None else m.group(2)
            for m in _TOKEN_RE.finditer(line)]


def is_config_text(value: str) -> bool:
    """Whether `quote(value)` reads back, by `tokenize`, as exactly `value`."""
    return all(ord(char) in PRINTABLE and char != QUOTE for char in value)


def quote(value: str) -> str:
    """ProCurve writes every user string double-quoted, even single words."""
    return f"{QUOTE}{value}{QUOTE}"
