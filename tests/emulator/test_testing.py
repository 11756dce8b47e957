"""The test helpers every suite leans on: eventually() waits for a condition and says what it
waited for; require() skips on a developer's machine and fails under CI."""

from __future__ import annotations

import asyncio
import itertools

import pytest

from emulator.testing import eventually, eventually_async, missing_tool, require


def test_eventually_returns_the_first_true_answer() -> None:
    answers = iter([None, 0, "", "ready", "later"])
    assert eventually(lambda: next(answers), timeout=5, poll=0) == "ready"


def test_eventually_fails_naming_what_it_awaited_and_the_last_answer() -> None:
    asked = []

    def context() -> str:
        asked.append(True)
        return "the port to come up"

    counter = itertools.count()
    with pytest.raises(pytest.fail.Exception) as failed:
        eventually(lambda: next(counter) < 0, timeout=0.2, what=context, poll=0.01)
    assert str(failed.value).startswith("timed out after 0.2 s waiting for the port to come up")
    assert str(failed.value).endswith("last answer False")
    assert asked == [True]


def test_eventually_treats_the_exceptions_it_is_told_as_not_yet() -> None:
    attempts = itertools.count()

    def connect() -> str:
        if next(attempts) < 3:
            raise ConnectionRefusedError("not bound yet")
        return "connected"

    assert eventually(connect, timeout=5, poll=0, ignoring=(OSError,)) == "connected"

    def refused() -> str:
        raise ConnectionRefusedError("never bound")

    with pytest.raises(pytest.fail.Exception, match="ConnectionRefusedError"):
        eventually(refused, timeout=0.1, poll=0.01, ignoring=(OSError,))
    with pytest.raises(ZeroDivisionError):
        eventually(lambda: 1 / 0, timeout=5, ignoring=(OSError,))


def test_eventually_async_lets_the_loop_turn() -> None:
    async def scenario() -> int:
        done: list[int] = []
        asyncio.get_running_loop().call_later(0.05, done.append, 7)
        return await eventually_async(lambda: done and done[0], timeout=5, poll=0.01)

    assert asyncio.run(scenario()) == 7


def test_require_skips_locally_and_fails_under_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    require(None, None)
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="frobnicate-procurve-emu-test not installed"):
        require(None, missing_tool("frobnicate-procurve-emu-test", "frob"))
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="prerequisite missing under CI: nope"):
        require("nope")
    require(missing_tool("sh"))
