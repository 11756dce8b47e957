"""The MIB view over the live switch: every object the agent serves, in one sorted OID index.

MIB modules (snmp/mibs/) declare tables as data: an entry OID, columns (sub-identifier, name,
getter, optional setter) and a function that lists the rows of the live model. Scalars are
tables with the one row `.0`. Each column is its own subtree in the index, so GETNEXT is a
bisect over column OIDs plus a bisect over that table's row indexes, which gives exact
lexicographic order whatever the modules declare. Rows are computed once per request (a
`Snapshot`) from the Device the CLI changes, so a VLAN made in the CLI is served at once.
"""

from __future__ import annotations

import itertools
import time
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Final

from emulator.config.model import ConfigError, SwitchConfig
from emulator.config.text import is_config_text
from emulator.device import Device
from snmp import ber
from snmp.ber import Oid, Value

Row = Any
"""What a table's row function yields for one row; its columns' getters read it."""


class SetError(Exception):
    """A SET the switch refuses: `status` is the RFC 3416 error-status."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


Setter = Callable[[SwitchConfig, Row, Value], None]


@dataclass(frozen=True)
class Column:
    sub: int
    name: str
    get: Callable[[Row], Value]
    set: Setter | None = None


@dataclass
class Snapshot:
    """One request's view of the switch: rows computed once, reused by every var-bind."""

    device: Device
    now: float = field(default_factory=time.monotonic)
    rows: dict[int, tuple[list[Oid], dict[Oid, Row]]] = field(default_factory=dict)

    @property
    def uptime(self) -> int:
        """sysUpTime in hundredths: the module booted the switch when it became active, so a
        switchover restarts it, as the real agent restarts."""
        return int((self.now - self.device.boot_time) * 100)

    def ticks_at(self, moment: float) -> int:
        """A monotonic moment as sysUpTime ticks (0 before this agent started)."""
        return max(0, int((moment - self.device.boot_time) * 100))


@dataclass(frozen=True)
class Table:
    entry: Oid
    columns: tuple[Column, ...]
    rows: Callable[[Snapshot], Iterable[tuple[Oid, Row]]]
    live: bool = False
    """Its values come from the fabric (counters, address table): read before answering."""

    def indexed(self, snap: Snapshot) -> tuple[list[Oid], dict[Oid, Row]]:
        cached = snap.rows.get(id(self))
        if cached is None:
            found = dict(self.rows(snap))
            cached = snap.rows[id(self)] = (sorted(found), found)
        return cached


def scalars(group: Oid, columns: Iterable[Column]) -> Table:
    """Scalar objects under `group`: sub-identifier `n` is served as `group.n.0`."""
    return Table(group, tuple(columns), lambda snap: (((0,), snap),))


@dataclass(slots=True)
class Found:
    oid: Oid
    value: Value


@dataclass(frozen=True)
class Object:
    """One column in the index: its OID, table and column."""

    oid: Oid
    table: Table
    column: Column


class MibView:
    """The served tree: exact GET, lexicographic GETNEXT, SET through the config model."""

    def __init__(self, tables: Iterable[Table]) -> None:
        objects = sorted(
            (Object((*table.entry, column.sub), table, column)
             for table in tables for column in table.columns),
            key=lambda o: o.oid,
        )
        for before, after in itertools.pairwise(objects):
            if after.oid[:len(before.oid)] == before.oid:
                raise ValueError(f"overlapping MIB objects {before.oid} and {after.oid}")
        self.objects: Final = objects
        self.oids: Final = [o.oid for o in objects]
        self.names: Final = {o.column.name.lower(): o for o in objects}

    def locate(self, oid: Oid) -> tuple[Object, Oid] | None:
        """The column whose subtree holds `oid`, and the instance part of it."""
        i = bisect_right(self.oids, oid) - 1
        if i >= 0:
            obj = self.objects[i]
            if oid[:len(obj.oid)] == obj.oid:
                return obj, oid[len(obj.oid):]
        return None

    def live(self, oids: Iterable[Oid]) -> bool:
        """Whether a GET touches a table the fabric keeps (counters, address table), so the
        agent reads the fabric first; GETNEXT/GETBULK may walk into one and always read it."""
        return any((found := self.locate(oid)) is not None and found[0].table.live
                   for oid in oids)

    def get(self, snap: Snapshot, oid: Oid) -> Value:
        located = self.locate(oid)
        if located is None:
            return Value(ber.NO_SUCH_OBJECT)
        obj, index = located
        row = obj.table.indexed(snap)[1].get(index)
        if row is None:
            return Value(ber.NO_SUCH_INSTANCE)
        return obj.column.get(row)

    def next(self, snap: Snapshot, oid: Oid) -> Found | None:
        """The first instance after `oid` in lexicographic order; None at the end of the view."""
        start = bisect_right(self.oids, oid)
        if start > 0:
            obj = self.objects[start - 1]
            if oid[:len(obj.oid)] == obj.oid:
                keys, rows = obj.table.indexed(snap)
                pos = bisect_right(keys, oid[len(obj.oid):])
                if pos < len(keys):
                    return Found((*obj.oid, *keys[pos]), obj.column.get(rows[keys[pos]]))
        for obj in self.objects[start:]:
            keys, rows = obj.table.indexed(snap)
            if keys:
                return Found((*obj.oid, *keys[0]), obj.column.get(rows[keys[0]]))
        return None

    def past_column(self, oid: Oid) -> Oid:
        """The OID just past the column whose subtree holds `oid` (`oid` itself when no
        column does): a GETNEXT from there skips every instance of that column in one bisect,
        which is how a v1 manager's request passes a Counter64 column (whose instances it
        cannot carry) without one lookup per row."""
        located = self.locate(oid)
        if located is None:
            return oid
        column = located[0].oid
        return (*column[:-1], column[-1] + 1)

    def walk(self, snap: Snapshot, root: Oid) -> Iterator[Found]:
        """Every instance under `root`, in order (see `instances`)."""
        for obj, index, value in self.instances(snap, root):
            yield Found((*obj.oid, *index), value)

    def instances(self, snap: Snapshot, root: Oid) -> Iterator[tuple[Object, Oid, Value]]:
        """Every instance under `root` in order, with its column and index; a root that is
        an instance itself yields just that one, as net-snmp's snmpwalk falls back to a GET
        (walkMIB, tests). Column by column, row by row: one bisect per column, not one
        GETNEXT per instance (a walk of the whole view is hundreds of thousands of rows when
        the address table is full)."""
        located = self.locate(root)
        if located is not None:
            obj, prefix = located
            keys, rows = obj.table.indexed(snap)
            if prefix in rows:
                yield obj, prefix, obj.column.get(rows[prefix])
                return
            for key in keys[bisect_left(keys, prefix):]:
                if key[:len(prefix)] != prefix:
                    return
                yield obj, key, obj.column.get(rows[key])
            return
        for obj in self.objects[bisect_left(self.oids, root):]:
            if obj.oid[:len(root)] != root:
                return
            keys, rows = obj.table.indexed(snap)
            for key in keys:
                yield obj, key, obj.column.get(rows[key])

    def set(self, snap: Snapshot, config: SwitchConfig,
            varbinds: list[tuple[Oid, Value]]) -> tuple[int, int]:
        """Apply SETs to `config`: (0, 0), or the error-status and the 1-based index of the
        var-bind that failed (the caller applies to a copy first: all or nothing)."""
        for number, (oid, value) in enumerate(varbinds, 1):
            located = self.locate(oid)
            if located is None:
                return ber.NOT_WRITABLE, number
            obj, index = located
            row = obj.table.indexed(snap)[1].get(index)
            if obj.column.set is None or row is None:
                return ber.NOT_WRITABLE, number
            if value.tag != obj.column.get(row).tag:
                return ber.WRONG_TYPE, number
            try:
                obj.column.set(config, row, value)
            except SetError as exc:
                return exc.status, number
            except ConfigError:
                return ber.WRONG_VALUE, number
        return ber.NO_ERROR, 0


# --- value constructors (the MIB modules' vocabulary) --------------------------------------


def integer(number: int) -> Value:
    return Value(ber.INTEGER, number)


def octets(text: str | bytes) -> Value:
    return Value(ber.OCTET_STRING, text.encode() if isinstance(text, str) else text)


def object_id(oid: Oid) -> Value:
    return Value(ber.OBJECT_ID, oid)


def counter32(number: int) -> Value:
    return Value(ber.COUNTER32, number)


def counter64(number: int) -> Value:
    return Value(ber.COUNTER64, number)


def gauge32(number: int) -> Value:
    return Value(ber.GAUGE32, min(number, 2**32 - 1))


def timeticks(number: int) -> Value:
    return Value(ber.TIMETICKS, number)


def ip_address(packed: bytes) -> Value:
    return Value(ber.IP_ADDRESS, packed)


def truth(flag: bool) -> Value:
    """TruthValue: true(1), false(2)."""
    return integer(1 if flag else 2)


def text_of(value: Value) -> str:
    """A SET's OCTET STRING as config text: what config/text.py lets the config keep (a
    control character or a `"` would not survive `write memory` and the next boot's parse),
    anything else a wrongValue."""
    assert isinstance(value.data, bytes)
    text = value.data.decode("latin-1")
    if not is_config_text(text):
        raise SetError(ber.WRONG_VALUE)
    return text


def parse_oid(text: str) -> Oid:
    return tuple(int(arc) for arc in text.strip(".").split("."))
