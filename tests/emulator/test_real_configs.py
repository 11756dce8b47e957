"""A corpus of real ProCurve configurations (tests/data/configs, sources in SOURCES.md) booted
the way the switch boots its startup config: each file's refused lines are exactly the ones
listed here, each classified by who owns it - another open issue, the real 8212zl (which refuses
it too), or issue 14, not yet built - and every line the switch took renders back.

The lists shrink as the families land: a family that starts taking its lines fails the boot test
here until its lines leave REFUSED and the counts in SOURCES.md are brought up to date (the
summary-table test holds them equal, so the note's figures are the corpus's).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Final

import pytest

from emulator.config.render import render_config
from emulator.hardware import DEFAULT_MODULES, Inventory, configured_modules, slot_letter
from tests.emulator.replaying import Replayed, replay_text

CORPUS: Final = Path(__file__).resolve().parent.parent / "data" / "configs"
SOURCES: Final = CORPUS / "SOURCES.md"

OTHER: Final = "other open issue"
REAL: Final = "refused by the real 8212zl too"
NOT_YET: Final = "not yet built (issue 14)"

FAMILIES: Final[dict[str, tuple[str, str]]] = {
    "helper-without-address": (REAL, "ip helper-address in a VLAN with no IP address: the "
                                     "switch relays from the VLAN's address, so it wants one"),
    "time": (REAL, "NTP: timesync ntp and the ntp statements are 16.x's; K.15 keeps time with "
                   "SNTP and TimeP"),
    "oobm": (REAL, "oobm and its body: OOBM is a networked management port of the 3800, 2920 "
                   "and 5400R; the 8212zl's management modules have none (from the hardware "
                   "lists, not yet checked against a K.15 manual)"),
    "aruba-16": (REAL, "16.x (ArubaOS-Switch) statements K.15 does not have: rest-interface, "
                       "tr69-acs-url, device-profile, activate"),
    "module-one": (REAL, "module type one-06 (a 5400R-only module) and lists naming its ports "
                         "C1i-D3i, which no 8212zl module has"),
    "poe-ports": (REAL, "power-over-ethernet on ports A1-A24, which are J8702A ports without "
                        "PoE after the adaptation"),
}
"""Who owns each refused line: family -> (owner, what and why)."""

PASSWORD: Final = ('password manager user-name "admin" '
                   'sha1 "0123456789abcdef0123456789abcdef01234567"')
"""The published configs' password line, its hash anonymised."""

REFUSED: Final[dict[str, list[tuple[str, str]]]] = {
    "blog-5406zl-k1506": [],
    "config2tftp-2620-ra1601": [],
    "forum-5406zl-k1508": [],
    "hpecommunity-2920-wb1608": [
        ('timesync ntp', 'time'),
        ('ntp unicast', 'time'),
        ('ntp server 192.168.176.12 iburst', 'time'),
        ('ntp server 194.25.134.196', 'time'),
        ('ntp enable', 'time'),
    ],
    "hpecommunity-5406rzl2-kb1515": [
        ('oobm', 'oobm'),
        ('no ip address', 'oobm'),
        ('ip helper-address 10.30.60.3', 'helper-without-address'),
    ],
    "hpeimc-2530-ya1513": [],
    "hpeimc-2920-wb1601": [
        ('no rest-interface', 'aruba-16'),
        ('oobm', 'oobm'),
        ('ip address dhcp-bootp', 'oobm'),
        ('no dhcp tr69-acs-url', 'aruba-16'),
    ],
    "hpeimc-3500yl-k1601": [
        ('power-over-ethernet pre-std-detect ports A1-A24', 'poe-ports'),
    ],
    "hpeimc-3800-ka1601": [
        ('power-over-ethernet pre-std-detect ports A1-A24', 'poe-ports'),
        ('oobm', 'oobm'),
        ('ip address dhcp-bootp', 'oobm'),
    ],
    "hpeimc-5400r-sflow-kb1601": [
        ('module C type one-06', 'module-one'),
        ('module D type one-06', 'module-one'),
        ('sflow 2 polling A1-A22,B1-B24,C1i-C3i,D1i-D3i 20', 'module-one'),
        ('sflow 2 sampling A1-A22,B1-B24,C1i-C3i,D1i-D3i 1000', 'module-one'),
        ('oobm', 'oobm'),
        ('ip address dhcp-bootp', 'oobm'),
        ('untagged A1-A22,B1-B24,C1i-C3i,D1i-D3i', 'module-one'),
    ],
    "hpeimc-5406rzl2-kb1601": [
        ('module C type one-06', 'module-one'),
        ('module D type one-06', 'module-one'),
        ('oobm', 'oobm'),
        ('ip address dhcp-bootp', 'oobm'),
        ('untagged A1-A22,B1-B24,C1i-C3i,D1i-D3i', 'module-one'),
        ('tagged A1-A22,B1-B24,C1i-C3i,D1i-D3i', 'module-one'),
        ('tagged A1-A22,B1-B24,C1i-C3i,D1i-D3i', 'module-one'),
    ],
    "ignore-2530-yb1514": [],
    "openflow-2920-wb1514": [
        ('oobm', 'oobm'),
        ('no ip address', 'oobm'),
    ],
    "procurvefront-2510g-y1151": [],
    "qa-2920-wb1603": [
        ('oobm', 'oobm'),
        ('ip address dhcp-bootp', 'oobm'),
        ('device-profile name "default-ap-profile"', 'aruba-16'),
        ('cos 0', 'aruba-16'),
        ('activate software-update disable', 'aruba-16'),
        ('activate provision disable', 'aruba-16'),
    ],
    "switchssh-3800-ka1503": [
        ('oobm', 'oobm'),
        ('ip address dhcp-bootp', 'oobm'),
    ],
    "tjas-2610-s2-r1130": [],
    "tjas-2610-s3-r1122": [],
}

"""Per file, each line the boot refuses (whitespace collapsed) and its family in FAMILIES."""

LOST: Final[dict[str, list[tuple[str, str]]]] = {}
"""Per file, lines taken without a refusal but not kept: they count with their owner."""

_DEFAULT_PORTS: Final = ("ports the fixed-port switch lacked stay untagged in VLAN 1, as on a new "
                         "8212zl")
_FULL_FORM: Final = "K.15 writes an authorized manager with its mask and access level"
_SSH_DEFAULT: Final = ("the SSH server is on by default in K.15 (R.11's was off), so its "
                       "config does not say so")
_SHORT_RANGE: Final = ("a range whose end omits the slot letter (typed by hand) is taken in the "
                       "first's slot and written as the switch writes ranges")
RESTATED: Final[dict[str, dict[str, tuple[str, str]]]] = {
    "forum-5406zl-k1508": {
        "vlan 30 / tagged a1,b1-16": ("vlan 30 / tagged a1,b1-b16", _SHORT_RANGE)},
    "config2tftp-2620-ra1601": {
        "vlan 1 / untagged a17-a21,b1-b4": ("vlan 1 / untagged a17-a21,b1-b24", _DEFAULT_PORTS)},
    "hpeimc-2530-ya1513": {
        "vlan 1 / untagged a1-a24,b1-b4": ("vlan 1 / untagged a1-a24,b1-b24", _DEFAULT_PORTS)},
    "hpeimc-2920-wb1601": {
        "vlan 1 / untagged a1-a24": ("vlan 1 / untagged a1-a24,b1-b24", _DEFAULT_PORTS)},
    "hpeimc-3500yl-k1601": {
        "vlan 1 / untagged a1,a21-a24": ("vlan 1 / untagged a1,a21-a24,b1-b24", _DEFAULT_PORTS)},
    "hpeimc-3800-ka1601": {
        "vlan 1 / untagged a1-a24,b1-b2": ("vlan 1 / untagged a1-a24,b1-b24", _DEFAULT_PORTS)},
    "ignore-2530-yb1514": {
        "vlan 1 / untagged a1,a3-a19,b2-b4": ("vlan 1 / untagged a1,a3-a19,b2-b24",
                                               _DEFAULT_PORTS)},
    "qa-2920-wb1603": {
        "vlan 1 / untagged a1-a4,a6-a14,a16-a24": ("vlan 1 / untagged a1-a4,a6-a14,a16-a24,b1-b24",
                                                   _DEFAULT_PORTS)},
    "switchssh-3800-ka1503": {
        "vlan 1 / untagged a1,a8-a24,b1-b2": ("vlan 1 / untagged a1,a8-a24,b1-b24",
                                               _DEFAULT_PORTS)},
    "tjas-2610-s2-r1130": {
        "vlan 1 / untagged a1,b1-b4": ("vlan 1 / untagged a1,b1-b24", _DEFAULT_PORTS),
        "ip authorized-managers 192.168.2.10 255.255.255.255": (
            "ip authorized-managers 192.168.2.10 255.255.255.255 access manager", _FULL_FORM),
        "ip ssh": ("", _SSH_DEFAULT)},
    "tjas-2610-s3-r1122": {
        "vlan 1 / untagged a1,b1-b4": ("vlan 1 / untagged a1,b1-b24", _DEFAULT_PORTS),
        "ip authorized-managers 192.168.2.10": (
            "ip authorized-managers 192.168.2.10 255.255.255.255 access manager", _FULL_FORM),
        "ip ssh": ("", _SSH_DEFAULT)},
}
"""Per file, an accepted line the switch writes back in another form (or, as "", not at all:
it states a default), and why."""

CONTEXTS: Final = ("vlan", "interface")
BODY_WORDS: Final = ("name", "untagged", "tagged", "no", "ip")
"""A context's body is indented when the switch prints it; a hand-made file (the HPE manual's
ignore-tag example) writes it flush left, so these words continue an open context too."""


MODULE_BY_NUMBER: Final = re.compile(r"^module (\d+) type ")


def _slot_letter(line: str) -> str:
    """`module 1 type j9534a`, the numbered form some K.15 chassis print, as the 8212zl
    writes it back: by slot letter."""
    match = MODULE_BY_NUMBER.match(line)
    if match is None:
        return line
    return f"module {slot_letter(match[1]).lower()} type {line[match.end():]}"


def names() -> list[str]:
    return sorted(path.stem for path in CORPUS.glob("*.cfg"))


def _collapse(line: str) -> str:
    return " ".join(line.split())


def _lower_outside_quotes(line: str) -> str:
    """Keywords compare without case (R.11 wrote `Unrestricted`, K.15 writes `unrestricted`);
    quoted names keep theirs."""
    return '"'.join(part if index % 2 else part.lower()
                    for index, part in enumerate(line.split('"')))


def statements(text: str, skip: Iterable[int] = ()) -> Counter[str]:
    """The config's statements, one per line as `context / line` inside a vlan or interface
    context: comments, blank lines, `exit` and the context headers themselves left out (a
    header whose whole body was refused is not rendered, as on the switch)."""
    skipped = set(skip)
    found: Counter[str] = Counter()
    context = ""
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = _lower_outside_quotes(_collapse(raw))
        if not line or line.startswith(";"):
            continue
        if line == "exit":
            context = ""
            continue
        indented = raw[:1].isspace()
        first = line.split()[0]
        if not indented and first in CONTEXTS:
            context = line
            continue
        if not indented and not (context and first in BODY_WORDS):
            context = ""
        if lineno in skipped:
            continue
        found[f"{context} / {line}" if context else line] += 1
    return found


def statement_count(text: str) -> int:
    """Every statement line the file holds, headers included: what `lines total` counts."""
    return sum(1 for raw in text.splitlines()
               if _collapse(raw) and not raw.lstrip().startswith(";")
               and _collapse(raw) != "exit")


@cache
def inventory(text: str) -> Inventory:
    """The chassis a new data dir builds for this startup config (emulator/chassis/start.py):
    the modules its `module` lines name, else the factory's J8702A in A and B (the adapted
    fixed-port files' target)."""
    return Inventory(modules=configured_modules(text) or dict(DEFAULT_MODULES))


@cache
def booted(name: str) -> Replayed:
    """The file booted as a new chassis would boot it as its startup config."""
    text = (CORPUS / f"{name}.cfg").read_text()
    return replay_text(text, inventory(text))


def counts(name: str) -> dict[str, int]:
    """The summary row: statements, accepted, and the refused ones by owner."""
    total = statement_count((CORPUS / f"{name}.cfg").read_text())
    owners = Counter(FAMILIES[family][0] for _, family in REFUSED[name] + LOST.get(name, []))
    refused = len(REFUSED[name])
    return {"total": total, "accepted": total - refused - len(LOST.get(name, [])),
            "other": owners[OTHER], "real": owners[REAL], "not yet": owners[NOT_YET]}


def test_the_corpus_has_at_least_15_configs_each_with_its_source() -> None:
    sources = SOURCES.read_text()
    assert len(names()) >= 15
    assert sorted(REFUSED) == names()
    listed = sources[sources.index("## Sources"):sources.index("## Summary")]
    for name in names():
        rows = [line for line in listed.splitlines() if line.startswith(f"| `{name}.cfg` |")]
        assert len(rows) == 1, name
        model, source, adapted = (cell.strip() for cell in rows[0].split("|")[2:5])
        assert not any(cell.isdigit() for cell in (model, source, adapted)), rows[0]
    assert not {family for lines in (*REFUSED.values(), *LOST.values())
                for _, family in lines} - set(FAMILIES)


@pytest.mark.parametrize("name", names())
def test_boot_refuses_exactly_the_expected_lines(name: str) -> None:
    refused = Counter(_collapse(error.line) for error in booted(name).errors)
    assert refused == Counter(line for line, _ in REFUSED[name])


@pytest.mark.parametrize("name", names())
def test_accepted_lines_render_back(name: str) -> None:
    """Each statement the boot took is in `show running-config` (as a set of normalised
    lines), and the rendered config boots again to itself with nothing refused."""
    replayed = booted(name)
    rendered = render_config(replayed.config)
    taken = statements((CORPUS / f"{name}.cfg").read_text(),
                       skip=(error.lineno for error in replayed.errors))
    restated = RESTATED.get(name, {})
    lost = {_lower_outside_quotes(line) for line, _ in LOST.get(name, [])}
    expected = {restated[line][0] if line in restated else _slot_letter(line)
                for line in taken} - lost - {""}
    assert expected <= set(statements(rendered)), sorted(expected - set(statements(rendered)))
    assert not lost & set(statements(rendered))
    again = replay_text(rendered, inventory((CORPUS / f"{name}.cfg").read_text()))
    assert again.errors == []
    assert render_config(again.config) == rendered


ROW: Final = re.compile(r"^\| `(?P<name>[\w.-]+)\.cfg` \|(?P<cells>(?: *\d+ *\|){5}) *$")


def test_sources_summary_table_matches_the_corpus() -> None:
    """The counts the note quotes (lines total / accepted / other issues / real switch refuses
    too / not yet built) are the corpus's, file by file and in total."""
    table: dict[str, list[int]] = {}
    for line in SOURCES.read_text().splitlines():
        match = ROW.match(line)
        if match:
            table[match["name"]] = [int(cell) for cell in match["cells"].split("|") if cell.strip()]
    keys = ("total", "accepted", "other", "real", "not yet")
    assert table == {name: [counts(name)[key] for key in keys] for name in names()}
    totals = [sum(counts(name)[key] for name in names()) for key in keys]
    assert "| **total** | " + " | ".join(str(value) for value in totals) + " |" \
        in SOURCES.read_text()
