"""Which management module becomes active: the manual's "Notes on How the Active Module is
Determined" (MCG K.13 p.15-44/15-45) as one pure function over the modules present.

The rules are an ordered table, first rule that decides wins, so the order of the manual is the
order of the code and a test can name the rule that decided. The chassis (or the module
processes) gather the facts into `Candidate`s; this file decides nothing else and touches no
state, so the election can be tested without processes and replayed from a log.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True)
class Candidate:
    """What the election knows of one module present in the chassis."""

    slot: str
    """`MM1` / `MM2`; slots sort in chassis order, which rule 7 relies on."""
    selftest_passed: bool
    running_active: bool = False
    """Already booted and operational as active (rule 2: it stays active)."""
    ever_booted: bool = False
    """Has booted in this chassis before (rule 4)."""
    active_last_boot: bool = False
    """Was active at its last boot (rules 5 and 6)."""
    last_boot: float = 0.0
    """When it last booted (rule 6: the most recent wins)."""


@dataclass(frozen=True)
class Decision:
    active: str | None
    """The slot that becomes active; None when no module can be (the switch does not boot)."""
    rule: str
    """Why, one short sentence: the new active logs it."""


class _NoActive:
    """A rule's verdict that no module can be active (as opposed to None: "rule not apply")."""


NO_ACTIVE: Final = _NoActive()

Verdict = Candidate | _NoActive | None
Chooser = Callable[[Sequence[Candidate]], Verdict]

NONE_PRESENT: Final = "no management module present"
ONLY_ONE: Final = "only one management module present"
ONLY_ONE_FAILED: Final = "only management module present failed selftest"
ALREADY_ACTIVE: Final = "management module already running as active"
BOTH_FAILED: Final = "both management modules failed selftest"
ONE_FAILED: Final = "other management module failed selftest"
ONLY_ONE_BOOTED: Final = "only management module booted in this chassis before"
ACTIVE_LAST_BOOT: Final = "management module active at the last boot"
MOST_RECENT: Final = "both modules active at the last boot, most recently booted"
LOWEST_SLOT: Final = "management module in the lowest slot"
"""The `Decision.rule` sentences, said of the module that wins (the new active logs them)."""


def _unique(candidates: Sequence[Candidate],
            test: Callable[[Candidate], bool]) -> Candidate | None:
    """The one candidate passing `test`, or None if none or several do."""
    found = [c for c in candidates if test(c)]
    return found[0] if len(found) == 1 else None


def _passing(candidates: Sequence[Candidate]) -> list[Candidate]:
    """Rules 4 to 7 choose among the modules that passed selftest only (rule 3 filtered the
    rest out); a failed module never becomes active."""
    return [c for c in candidates if c.selftest_passed]


def _none_present(candidates: Sequence[Candidate]) -> Verdict:
    return NO_ACTIVE if not candidates else None


def _only_one(candidates: Sequence[Candidate]) -> Verdict:
    """Rule 1, when the only module passed selftest."""
    return candidates[0] if len(candidates) == 1 and candidates[0].selftest_passed else None


def _only_one_failed(candidates: Sequence[Candidate]) -> Verdict:
    """Rule 1, when the only module failed selftest: the switch does not boot."""
    return NO_ACTIVE if len(candidates) == 1 else None


def _already_active(candidates: Sequence[Candidate]) -> Verdict:
    """Rule 2: a module booting next to an operational active always becomes standby."""
    return _unique(candidates, lambda c: c.running_active and c.selftest_passed)


def _both_failed(candidates: Sequence[Candidate]) -> Verdict:
    """Rule 3, both fail: "the fault LED flashes and neither module is operational"."""
    return NO_ACTIVE if not _passing(candidates) else None


def _one_failed(candidates: Sequence[Candidate]) -> Verdict:
    """Rule 3: one fails selftest, the one passing becomes active."""
    passing = _passing(candidates)
    return passing[0] if len(passing) == 1 else None


def _only_one_booted(candidates: Sequence[Candidate]) -> Verdict:
    """Rule 4: only one was ever booted in this chassis, it has precedence."""
    return _unique(_passing(candidates), lambda c: c.ever_booted)


def _active_last_boot(candidates: Sequence[Candidate]) -> Verdict:
    """Rule 5: the one active at the last boot has the latest configuration data."""
    return _unique(_passing(candidates), lambda c: c.active_last_boot)


def _most_recent(candidates: Sequence[Candidate]) -> Verdict:
    """Rule 6: both were active last time, the most recently booted wins (a tie falls to 7)."""
    were_active = [c for c in _passing(candidates) if c.active_last_boot]
    if len(were_active) < 2:
        return None
    latest = max(c.last_boot for c in were_active)
    return _unique(were_active, lambda c: c.last_boot == latest)


def _lowest_slot(candidates: Sequence[Candidate]) -> Verdict:
    """Rule 7: otherwise the lowest slot (MM1)."""
    return min(_passing(candidates), key=lambda c: c.slot, default=None)


RULES: Final[tuple[tuple[str, Chooser], ...]] = (
    (NONE_PRESENT, _none_present),
    (ONLY_ONE, _only_one),
    (ONLY_ONE_FAILED, _only_one_failed),
    (ALREADY_ACTIVE, _already_active),
    (BOTH_FAILED, _both_failed),
    (ONE_FAILED, _one_failed),
    (ONLY_ONE_BOOTED, _only_one_booted),
    (ACTIVE_LAST_BOOT, _active_last_boot),
    (MOST_RECENT, _most_recent),
    (LOWEST_SLOT, _lowest_slot),
)
"""The manual's seven rules in its order (1 and 3 each split into their two outcomes), plus the
empty chassis first. The first chooser that returns a verdict decides."""


def elect(candidates: Sequence[Candidate]) -> Decision:
    """The active module among those present (absent modules are not passed)."""
    slots = [c.slot for c in candidates]
    if len(set(slots)) != len(slots):
        raise ValueError(f"a slot can hold one module: {slots}")
    for says, choose in RULES:
        verdict = choose(candidates)
        if isinstance(verdict, Candidate):
            return Decision(verdict.slot, says)
        if isinstance(verdict, _NoActive):
            return Decision(None, says)
    raise AssertionError("rule 7 always decides")  # pragma: no cover
