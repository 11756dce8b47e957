"""Output filters (`| include`, `| exclude`, `| begin`): split off the line by the session and
applied to the command's output before paging."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from emulator.cli.channel import Peer
from emulator.cli.filters import split_filter
from emulator.cli.parser import ParseError
from tests.emulator.cli.test_session import _finish, _start

TEXT = "line 1\nvlan 1\n   name x\nline 4\nvlan 20\nend"


@pytest.mark.parametrize(("line", "expected"), [
    ("show run | include vlan", "vlan 1\nvlan 20"),
    ("show run | inc ^vlan 2", "vlan 20"),
    ("show run | exclude vlan", "line 1\n   name x\nline 4\nend"),
    ("show run | begin line 4", "line 4\nvlan 20\nend"),
    ("show run | begin nowhere", ""),
    ("show run | include Vlan", ""),
])
def test_filters_keep_the_switch_lines(line: str, expected: str) -> None:
    command, output_filter = split_filter(line.split())
    assert command == ["show", "run"]
    assert output_filter is not None
    assert output_filter.apply(TEXT) == expected


@pytest.mark.parametrize(("line", "error"), [
    ("show run |", "Incomplete input: |"),
    ("show run | include", "Incomplete input: include"),
    ("show run | grep x", "Invalid input: grep"),
    ("show run | include (", "Invalid input: ("),
    ("| include x", "Invalid input: |"),
])
def test_bad_filters_are_refused(line: str, error: str) -> None:
    with pytest.raises(ParseError, match=rf"^{error.replace('|', '[|]').replace('(', '[(]')}$"):
        split_filter(line.split())


def test_a_line_without_a_pipe_is_untouched() -> None:
    assert split_filter(["show", "vlans"]) == (["show", "vlans"], None)


def test_filtered_output_through_a_session_is_paged_after_filtering(tmp_path: Path) -> None:
    async def scenario() -> None:
        channel, task = await _start(tmp_path, Peer("ssh", level="manager"))
        channel.inbox.put_nowait(b"show long | include 5\n")
        text = await channel.until("line 55")
        # 60 lines filtered to 6: one page, no pager prompt
        assert "MORE" not in text and "line 15" in text and "line 16" not in text
        channel.inbox.put_nowait(b"show long | foo\n")
        await channel.until("Invalid input: foo")
        channel.inbox.put_nowait(b"")
        await _finish(task)

    asyncio.run(scenario())
