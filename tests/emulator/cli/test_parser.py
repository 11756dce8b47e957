"""The engine against a small table: abbreviation, errors, `no` forms, contexts, help."""

from __future__ import annotations

import pytest

from emulator.cli.grammar import VLAN_ID, Command, IntRange, Level, ModeKind, Text, Where
from emulator.cli.parser import CommandTable, HelpLine, ParseError, tokenize


def _noop(call: object) -> None:
    return None


ROWS = [
    Command("show interfaces brief", _noop),
    Command("show interfaces [ethernet] <ports>", _noop, params={"ports": Text("PORT-LIST")}),
    Command("show ip", _noop),
    Command("show ipv6", _noop),
    Command("show vlans", _noop),
    Command("show vlans <vid>", _noop, params={"vid": VLAN_ID}),
    Command("configure [terminal]", _noop, level=Level.MANAGER),
    Command("vlan <vid>", _noop, where=Where.CONFIG, level=Level.MANAGER,
            params={"vid": VLAN_ID}, negate=_noop, enters=ModeKind.VLAN),
    Command("name <text>", _noop, where=Where.VLAN, level=Level.MANAGER,
            params={"text": Text()}),
    Command("boot system flash {image: primary|secondary}", _noop, level=Level.MANAGER),
    Command("terminal length <n>", _noop, params={"n": IntRange(2, 1000)}),
]
HELP = {"show": "Display switch operation information.", "vlans": "Show VLAN information."}


@pytest.fixture
def table() -> CommandTable:
    return CommandTable(ROWS, HELP)


def test_abbreviations_pick_the_unique_keyword(table: CommandTable) -> None:
    match = table.match(tokenize("sh int br"), ModeKind.EXEC, Level.OPERATOR)
    assert match.words == ("show", "interfaces", "brief")


def test_exact_keyword_wins_over_longer_ones(table: CommandTable) -> None:
    match = table.match(["sh", "ip"], ModeKind.EXEC, Level.OPERATOR)
    assert match.words == ("show", "ip")


def test_ambiguous_prefix_is_refused(table: CommandTable) -> None:
    with pytest.raises(ParseError, match=r"^Ambiguous input: i$"):
        table.match(["show", "i"], ModeKind.EXEC, Level.OPERATOR)


def test_unknown_word_is_invalid_input(table: CommandTable) -> None:
    with pytest.raises(ParseError, match=r"^Invalid input: bogus$"):
        table.match(["show", "bogus"], ModeKind.EXEC, Level.OPERATOR)


def test_incomplete_command_names_the_last_word(table: CommandTable) -> None:
    with pytest.raises(ParseError, match=r"^Incomplete input: show$"):
        table.match(["show"], ModeKind.EXEC, Level.OPERATOR)


def test_typed_parameters_are_parsed_and_range_checked(table: CommandTable) -> None:
    match = table.match(["show", "vlans", "10"], ModeKind.EXEC, Level.OPERATOR)
    assert match.args == {"vid": 10}
    with pytest.raises(ParseError, match="Invalid input: 5000"):
        table.match(["show", "vlans", "5000"], ModeKind.EXEC, Level.OPERATOR)


def test_optional_keyword_both_ways(table: CommandTable) -> None:
    for line in ("show interfaces ethernet A1", "show interfaces A1"):
        assert table.match(tokenize(line), ModeKind.EXEC, Level.OPERATOR).args == {"ports": "A1"}


def test_choices_are_bound_to_their_name(table: CommandTable) -> None:
    match = table.match(tokenize("boot sys fl sec"), ModeKind.EXEC, Level.MANAGER)
    assert match.args == {"image": "secondary"}


def test_levels_hide_manager_commands(table: CommandTable) -> None:
    with pytest.raises(ParseError, match="Invalid input: configure"):
        table.match(["configure"], ModeKind.EXEC, Level.OPERATOR)
    assert table.match(["conf"], ModeKind.EXEC, Level.MANAGER).words == ("configure",)


def test_modes_limit_rows(table: CommandTable) -> None:
    with pytest.raises(ParseError, match="Invalid input: vlan"):
        table.match(["vlan", "10"], ModeKind.EXEC, Level.MANAGER)
    with pytest.raises(ParseError, match="Invalid input: name"):
        table.match(["name", "x"], ModeKind.CONFIG, Level.MANAGER)
    # exec and config commands work inside a context
    assert table.match(["show", "ip"], ModeKind.VLAN, Level.MANAGER).words == ("show", "ip")
    assert table.match(["vlan", "20"], ModeKind.VLAN, Level.MANAGER).args == {"vid": 20}


def test_no_form(table: CommandTable) -> None:
    match = table.match(["no", "vlan", "10"], ModeKind.CONFIG, Level.MANAGER)
    assert match.negated and match.args == {"vid": 10}
    with pytest.raises(ParseError, match="Invalid input: show"):
        table.match(["no", "show", "ip"], ModeKind.CONFIG, Level.MANAGER)


def test_context_row_with_the_rest_of_the_line(table: CommandTable) -> None:
    match = table.match(tokenize('vlan 10 name "core net"'), ModeKind.CONFIG, Level.MANAGER)
    assert match.command.enters is ModeKind.VLAN
    assert match.rest == ("name", "core net")


def test_quoted_tokens_keep_blanks() -> None:
    assert tokenize('name "a b"  c') == ["name", "a b", "c"]


def test_help_lists_keywords_params_and_cr(table: CommandTable) -> None:
    lines = table.help(["show", "vlans"], "", ModeKind.EXEC, Level.OPERATOR)
    assert lines == [HelpLine("VLAN-ID", ""), HelpLine("<cr>", "")]
    words = [line.word for line in table.help(["show"], "", ModeKind.EXEC, Level.OPERATOR)]
    assert words == ["interfaces", "ip", "ipv6", "vlans"]
    assert table.help([], "sh", ModeKind.EXEC, Level.OPERATOR) == [
        HelpLine("show", "Display switch operation information.")]


def test_completion(table: CommandTable) -> None:
    assert table.complete(["show"], "vl", ModeKind.EXEC, Level.OPERATOR) == ["vlans"]
    assert table.complete(["show"], "ip", ModeKind.EXEC, Level.OPERATOR) == ["ip", "ipv6"]
    assert table.complete(["show"], "zz", ModeKind.EXEC, Level.OPERATOR) == []


def test_context_row_wins_over_exec_row_of_the_same_words() -> None:
    exec_enable = Command("enable", _noop)
    port_enable = Command("enable", _noop, where=Where.INTERFACE, level=Level.MANAGER)
    table = CommandTable([exec_enable, port_enable], {})
    assert table.match(["enable"], ModeKind.INTERFACE, Level.MANAGER).command is port_enable
    assert table.match(["enable"], ModeKind.EXEC, Level.MANAGER).command is exec_enable


def test_help_text_follows_the_context() -> None:
    vlan_name = Command("name <text>", _noop, where=Where.VLAN, params={"text": Text()},
                        help={"name": "Set the VLAN name."})
    port_name = Command("name <text>", _noop, where=Where.INTERFACE, params={"text": Text()},
                        help={"name": "Set the port name."})
    table = CommandTable([vlan_name, port_name], {})
    assert table.help([], "na", ModeKind.VLAN, Level.MANAGER) == [
        HelpLine("name", "Set the VLAN name.")]
    assert table.help([], "na", ModeKind.INTERFACE, Level.MANAGER) == [
        HelpLine("name", "Set the port name.")]
