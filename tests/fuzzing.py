"""What the fuzz tests (tests/**/test_fuzz_*.py) share with benchmarks/fuzz_long.py: mangling
of valid messages, so inputs get past the first length check and reach the deep code, and a
measure of work that does not depend on how loaded the machine is (function calls, counted
by a profile hook), so "returns within bounded work" can be asserted without a clock."""

from __future__ import annotations

import functools
import gc
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from hypothesis import strategies as st

from emulator.commands import startup_replay
from emulator.device import Device
from emulator.events import EventLog
from emulator.flash import Flash
from emulator.hardware import SLOTS, Inventory
from emulator.timing import PROFILES

HUGE_LENGTHS = (
    b"\x84\x80\x00\x00\x00",  # BER long form: 2**31
    b"\x84\xff\xff\xff\xff",  # BER long form: 2**32 - 1
    b"\x80",  # BER indefinite length
    b"\x89\x01\x00\x00\x00\x00\x00\x00\x00\x00",  # BER: nine length octets
    b"\x80\x00\x00\x00",  # a 4-byte big-endian length prefix of 2**31
    b"\xff\xff\xff\xff",
    b"\xff\xff",  # a 16-bit TLV header of all ones
)
"""Length fields that claim far more than any message holds, in the encodings the parsers
read (BER, IPC's frame header, LLDP's TLV header)."""


@st.composite
def mangled(draw: st.DrawFn, valid: st.SearchStrategy[bytes], max_edits: int = 4) -> bytes:
    """A valid message with a few edits: octets overwritten, cut short, dropped, inserted or
    repeated, and length fields claiming too much. Most of the structure survives, so the
    parser goes deep before it finds the damage."""
    data = bytearray(draw(valid))
    for _ in range(draw(st.integers(1, max_edits))):
        at = draw(st.integers(0, len(data)))
        edit = draw(st.sampled_from(("set", "cut", "drop", "insert", "huge", "repeat")))
        if edit == "set" and at < len(data):
            data[at] = draw(st.integers(0, 255))
        elif edit == "cut":
            del data[at:]
        elif edit == "drop":
            del data[at:at + draw(st.integers(1, 8))]
        elif edit == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
        elif edit == "huge":
            data[at:at + draw(st.integers(0, 2))] = draw(st.sampled_from(HUGE_LENGTHS))
        elif edit == "repeat":
            end = draw(st.integers(at, len(data)))
            data[at:at] = data[at:end] * draw(st.integers(1, 16))
    return bytes(data)


@dataclass
class Work:
    """Function calls (Python and C) made inside `measured()`."""

    calls: int = 0

    def count(self, frame: FrameType, event: str, arg: object) -> None:
        if event in ("call", "c_call"):
            self.calls += 1

    def linear(self, size: int, per_unit: int, base: int = 1000) -> None:
        """At most linear in the input: a parser that backtracks, recurses per nesting level
        or rescans its buffer goes over this on the long inputs. The base covers one-time
        work of a first call in the process (a regex compiled, an error class's first use):
        360 calls for a 2-byte IPC frame when it ran first in the suite."""
        assert self.calls <= base + per_unit * size, f"{self.calls} calls for {size} units"


@contextmanager
def measured() -> Iterator[Work]:
    """Count the calls made in the block (exceptions pass through). The garbage collector is
    off meanwhile: finalizers of objects other tests left behind would count as the parser's."""
    work = Work()
    previous = sys.getprofile()
    collecting = gc.isenabled()
    gc.disable()
    sys.setprofile(work.count)
    try:
        yield work
    finally:
        sys.setprofile(previous)
        if collecting:
            gc.enable()


@functools.cache
def _flash_root() -> tempfile.TemporaryDirectory[str]:
    """One folder for the fuzz targets' flash, removed when the process ends."""
    return tempfile.TemporaryDirectory(prefix="procurve-fuzz-")


def booted_device(name: str) -> Device:
    """A freshly booted 8212zl (every slot full, factory config) on its own flash: hypothesis
    runs a test's examples in one call, so pytest's per-test fixtures cannot give one each."""
    flash = Flash(Path(_flash_root().name) / name)
    flash.format()
    inventory = Inventory(modules=dict.fromkeys(SLOTS, "J8702A") | {"C": "J8707A"})
    device, errors = Device.boot(inventory, flash, PROFILES["fast"], EventLog(),
                                 replay=startup_replay())
    assert errors == []
    return device
