"""The active-module election: one test per rule of the manual, their precedence, and the
properties every outcome must have (the winner passed selftest, is one of the candidates, and
does not depend on the order the candidates are listed in)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from emulator.redundancy import election
from emulator.redundancy.election import Candidate, Decision, elect

NEW = {"ever_booted": False}
BOOTED = {"ever_booted": True}


def mm1(**facts: Any) -> Candidate:
    return Candidate("MM1", **{"selftest_passed": True, **facts})


def mm2(**facts: Any) -> Candidate:
    return Candidate("MM2", **{"selftest_passed": True, **facts})


def test_none_present_no_active() -> None:
    assert elect([]) == Decision(None, election.NONE_PRESENT)


def test_rule_1_only_one_present() -> None:
    assert elect([mm2()]) == Decision("MM2", election.ONLY_ONE)


def test_rule_1_only_one_present_but_failed_selftest() -> None:
    assert elect([mm1(selftest_passed=False)]) == Decision(None, election.ONLY_ONE_FAILED)


def test_rule_2_running_active_stays_active() -> None:
    """MM1 rebooting next to an operational MM2 becomes standby, whatever its history."""
    booting = mm1(ever_booted=True, active_last_boot=True, last_boot=100.0)
    running = mm2(running_active=True, ever_booted=True, active_last_boot=True, last_boot=5.0)
    assert elect([booting, running]) == Decision("MM2", election.ALREADY_ACTIVE)


def test_rule_3_both_fail_selftest() -> None:
    both = [mm1(selftest_passed=False), mm2(selftest_passed=False)]
    assert elect(both) == Decision(None, election.BOTH_FAILED)


def test_rule_3_one_fails_selftest() -> None:
    decision = elect([mm1(selftest_passed=False, **BOOTED), mm2(**NEW)])
    assert decision == Decision("MM2", election.ONE_FAILED)


def test_rule_4_only_one_ever_booted() -> None:
    assert elect([mm1(**NEW), mm2(**BOOTED)]) == Decision("MM2", election.ONLY_ONE_BOOTED)


def test_rule_5_active_at_last_boot() -> None:
    decision = elect([mm1(**BOOTED), mm2(**BOOTED, active_last_boot=True)])
    assert decision == Decision("MM2", election.ACTIVE_LAST_BOOT)


def test_rule_6_both_active_last_time_most_recent_wins() -> None:
    decision = elect([mm1(**BOOTED, active_last_boot=True, last_boot=10.0),
                      mm2(**BOOTED, active_last_boot=True, last_boot=20.0)])
    assert decision == Decision("MM2", election.MOST_RECENT)


def test_rule_7_lowest_slot() -> None:
    assert elect([mm2(**BOOTED), mm1(**BOOTED)]) == Decision("MM1", election.LOWEST_SLOT)
    assert elect([mm2(), mm1()]) == Decision("MM1", election.LOWEST_SLOT)


def test_rule_6_tie_falls_to_lowest_slot() -> None:
    decision = elect([mm2(**BOOTED, active_last_boot=True, last_boot=7.0),
                      mm1(**BOOTED, active_last_boot=True, last_boot=7.0)])
    assert decision == Decision("MM1", election.LOWEST_SLOT)


def test_rule_3_beats_rule_5() -> None:
    """The module active last time does not win if it fails selftest now."""
    decision = elect([mm1(selftest_passed=False, **BOOTED, active_last_boot=True),
                      mm2(**BOOTED)])
    assert decision == Decision("MM2", election.ONE_FAILED)


def test_rule_2_beats_rule_3_ordering_and_a_failed_running_claim_is_ignored() -> None:
    """A module cannot be running as active without having passed selftest: such a claim is
    not rule 2, and the one passing wins by rule 3."""
    decision = elect([mm1(selftest_passed=False, running_active=True), mm2()])
    assert decision == Decision("MM2", election.ONE_FAILED)


def test_rule_4_beats_rule_5() -> None:
    """The module never booted here cannot have been active here: rule 4 decides first."""
    decision = elect([mm1(**NEW), mm2(**BOOTED, active_last_boot=False)])
    assert decision.rule == election.ONLY_ONE_BOOTED


def test_rule_5_beats_rule_6_recency() -> None:
    decision = elect([mm1(**BOOTED, active_last_boot=True, last_boot=1.0),
                      mm2(**BOOTED, last_boot=99.0)])
    assert decision == Decision("MM1", election.ACTIVE_LAST_BOOT)


def test_duplicate_slot_is_refused() -> None:
    with pytest.raises(ValueError, match="one module"):
        elect([mm1(), mm1()])


candidates = st.builds(
    Candidate,
    slot=st.sampled_from(["MM1", "MM2"]),
    selftest_passed=st.booleans(),
    running_active=st.booleans(),
    ever_booted=st.booleans(),
    active_last_boot=st.booleans(),
    last_boot=st.sampled_from([0.0, 1.0, 2.0]),
)
chassis = st.lists(candidates, max_size=2, unique_by=lambda c: c.slot)


@given(chassis)
def test_winner_passed_selftest_and_is_unique(present: list[Candidate]) -> None:
    decision = elect(present)
    assert decision.rule in {says for says, _ in election.RULES}
    if decision.active is None:
        assert not any(c.selftest_passed for c in present)
        return
    [winner] = [c for c in present if c.slot == decision.active]
    assert winner.selftest_passed


@given(chassis)
def test_decision_does_not_depend_on_candidate_order(present: list[Candidate]) -> None:
    assert elect(present) == elect(list(reversed(present)))


@given(chassis)
def test_someone_is_active_whenever_a_module_passed_selftest(present: list[Candidate]) -> None:
    assert (elect(present).active is None) == (not any(c.selftest_passed for c in present))
