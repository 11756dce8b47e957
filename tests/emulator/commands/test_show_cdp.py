"""show cdp neighbors [detail]: no CDP neighbor is ever heard."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from conftest import Cli


def test_summary_and_detail_without_neighbors(cli: Cli) -> None:
    assert cli("show cdp neighbors") == (
        "\n CDP neighbors information\n\n"
        "  Port Device ID                     | Platform                     Capability\n"
        "  ---- ----------------------------- + ---------------------------- -----------")
    assert cli("show cdp neighbors detail") == "\n CDP neighbors information"
    assert cli("show cdp bogus") == "Invalid input: bogus"
