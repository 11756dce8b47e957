"""Loop protection's engine with the clock driven by the test: frames every interval, the
sender disabled when its own frame comes back in on a protected port, re-enabled after the
disable timer (or never), another switch's frames ignored, garbage ignored."""

from __future__ import annotations

import math

from emulator.events import EventLog
from emulator.fabric import loop_protect
from emulator.fabric.loop_protect import LoopProtect, log_loops, new_loops

SYSTEM = bytes.fromhex("001871c30000")
OTHER = bytes.fromhex("001871d40000")


def protect(timer: float = 0.0, action: str = "send-disable") -> LoopProtect:
    engine = LoopProtect(SYSTEM)
    engine.configure({"A1": (action, 1), "A2": (action, 2), "A3": ("send-disable", 3)}, 2.0,
                     timer)
    return engine


def test_each_protected_port_sends_every_interval() -> None:
    engine = protect()
    sent = [port for t in range(0, 10) for port, _ in engine.tick(t * 0.5)[0]]
    assert sent.count("A1") == sent.count("A2") == 3  # at 0, 2 and 4 s
    [(_, frame), *_] = engine.tick(10.0)[0]
    assert frame[:6] == bytes.fromhex("0900090913a6") and len(frame) == 60
    assert loop_protect.decode(frame) == (SYSTEM, 1)


def test_a_looped_frame_disables_its_sender_until_the_timer_runs_out() -> None:
    engine = protect(timer=5.0)
    frames = dict(engine.tick(0.0)[0])
    assert engine.receive("A2", frames["A1"], 0.5) == "A1"
    assert engine.blocks("A1") and not engine.blocks("A2")
    assert [port for port, _ in engine.tick(2.0)[0]] == ["A2", "A3"]  # a disabled one is quiet
    [row, *_] = engine.report(3.5)
    assert (row.port, row.detected, row.count, row.since_last) == ("A1", True, 1, 3)
    assert engine.tick(5.4)[1] == []
    assert engine.tick(5.5)[1] == ["A1"] and not engine.blocks("A1")
    assert "A1" in dict(engine.tick(5.6)[0])  # once its link is back, it probes again
    assert engine.report(6.0)[0].count == 1


def test_timer_zero_disables_for_good() -> None:
    engine = protect()
    engine.receive("A3", dict(engine.tick(0.0)[0])["A2"], 0.0)
    assert engine.tick(1e9)[1] == [] and engine.blocks("A2")
    assert engine.ports["A2"].disabled_until == math.inf


def test_no_disable_counts_but_keeps_the_port() -> None:
    engine = protect(action="no-disable")
    assert engine.receive("A2", dict(engine.tick(0.0)[0])["A1"], 0.0) is None
    assert not engine.blocks("A1") and engine.report(1.0)[0].count == 1


def test_frames_of_another_switch_unprotected_ports_and_garbage_do_nothing() -> None:
    engine = protect()
    theirs = loop_protect.encode(OTHER, 1)
    ours = loop_protect.encode(SYSTEM, 1)
    assert engine.receive("A2", theirs, 0.0) is None
    assert engine.receive("B9", ours, 0.0) is None  # not protected: forwarded as multicast
    for junk in (ours[:20], ours[:12] + b"\x08\x00" + ours[14:], ours[:17] + b"\xff\xff",
                 loop_protect.encode(SYSTEM, 99)):
        assert engine.receive("A2", junk, 0.0) is None
    assert [row.count for row in engine.report(0.0)] == [0, 0, 0]


def test_a_reconfigured_port_keeps_its_state_and_a_reset_forgets_it() -> None:
    engine = protect()
    engine.receive("A2", dict(engine.tick(0.0)[0])["A1"], 0.0)
    engine.configure({"A1": ("no-disable", 1)}, 5.0, 0.0)
    assert engine.blocks("A1") and engine.ports["A1"].action == "no-disable"
    engine.clear()
    assert not engine.blocks("A1") and engine.report(0.0) == []


def test_a_port_disabled_since_the_last_read_is_logged_once() -> None:
    events = EventLog()
    engine = protect()
    before = engine.report(0.0)
    engine.receive("A2", dict(engine.tick(0.0)[0])["A1"], 0.0)
    after = engine.report(1.0)
    log_loops(events, new_loops(before, after))
    assert new_loops(after, engine.report(2.0)) == []  # read again: nothing new
    log_loops(events, new_loops(after, engine.report(2.0)))
    assert [e.line()[20:] for e in events.events] == [
        "00884 loop-protect: port A1 disabled - loop detected.",
        "00898 ports: Loop Protect(62) has disabled port A1"]
