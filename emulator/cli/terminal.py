"""The VT100 stream a ProCurve paints, as data.

Only sequences netmiko's `strip_ansi_escape_codes` removes are used (cursor position
`ESC[r;cH`, `ESC[2K`, `ESC[?25h`, scroll region `ESC[1;nr`), and each paint is written in one
piece, because netmiko strips per read and a sequence split across reads would leak.
A terminal with `vt100=False` (an SSH exec request, no pty) gets the same text without them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

ESC: Final = "\x1b"
CRLF: Final = "\r\n"
PAGER_PROMPT: Final = "-- MORE --, next page: Space, next line: Enter, quit: Control-C"
ANY_KEY: Final = "Press any key to continue"


@dataclass
class Terminal:
    width: int = 80
    height: int = 24
    vt100: bool = True

    def _at(self, row: int, col: int) -> str:
        return f"{ESC}[{row};{col}H"

    def bottom(self) -> str:
        """Cursor to the start of the last row, line cleared: where the switch paints prompts."""
        if not self.vt100:
            return ""
        row = self.height
        return f"{self._at(row, 1)}{ESC}[2K{self._at(row, 1)}{ESC}[?25h"

    def setup(self) -> str:
        """The scroll region the switch sets once the user is past the banner."""
        return f"{ESC}[1;{self.height}r{self._at(self.height, 1)}" if self.vt100 else ""

    def prompt(self, prompt: str, typed: str = "") -> str:
        """A fresh prompt line (after CRLF), with what the user had typed redrawn."""
        return CRLF + self.bottom() + prompt + typed

    def any_key(self) -> str:
        return (self.bottom() if self.vt100 else CRLF) + ANY_KEY

    def pager(self) -> str:
        return self.bottom() + PAGER_PROMPT

    def erase_line(self) -> str:
        """Remove the pager line before the next output line lands on it."""
        return self.bottom() if self.vt100 else "\r" + " " * len(PAGER_PROMPT) + "\r"

    def backspace(self) -> str:
        return "\b \b"


def crlf(text: str) -> str:
    """Output text uses "\\n"; the wire uses CRLF."""
    return text.replace("\r\n", "\n").replace("\n", CRLF)
