"""The command engine: grammar rows -> a keyword tree; a typed line -> a matched row, `?` help,
Tab completion, or the switch's error (`Invalid input: x`, `Incomplete input: x`,
`Ambiguous input: x`).

It knows no command: emulator/commands declares rows, the management module builds one
`CommandTable` and every session shares it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Final

from emulator.cli.grammar import Command, Level, ModeKind, ParamType, Where
from emulator.config.text import tokenize as tokenize  # a line reads as in a config file

NO: Final = "no"
NO_HELP: Final = "Negate a command or set its defaults."
CR_HELP: Final = "<cr>"

VISIBLE: Final[dict[ModeKind, frozenset[Where]]] = {
    ModeKind.EXEC: frozenset({Where.EXEC}),
    ModeKind.CONFIG: frozenset({Where.EXEC, Where.CONFIG}),
    ModeKind.VLAN: frozenset({Where.EXEC, Where.CONFIG, Where.VLAN}),
    ModeKind.INTERFACE: frozenset({Where.EXEC, Where.CONFIG, Where.INTERFACE}),
    # --- access lists (commands/acl.py) ---
    ModeKind.ACL_STANDARD: frozenset({Where.EXEC, Where.CONFIG, Where.ACL_STANDARD}),
    ModeKind.ACL_EXTENDED: frozenset({Where.EXEC, Where.CONFIG, Where.ACL_EXTENDED}),
    # --- OSPF (commands/ospf.py) ---
    ModeKind.OSPF: frozenset({Where.EXEC, Where.CONFIG, Where.OSPF}),
    # --- OpenFlow (commands/openflow.py) ---
    ModeKind.OPENFLOW: frozenset({Where.EXEC, Where.CONFIG, Where.OPENFLOW}),
    ModeKind.OPENFLOW_INSTANCE: frozenset({Where.EXEC, Where.CONFIG,
                                           Where.OPENFLOW_INSTANCE}),
}
"""Which rows a mode accepts: exec commands everywhere, config commands in every context."""

SPECIFICITY: Final = {Where.EXEC: 0, Where.CONFIG: 1, Where.VLAN: 2, Where.INTERFACE: 2,
                      Where.ACL_STANDARD: 2, Where.ACL_EXTENDED: 2, Where.OSPF: 2,
                      Where.OPENFLOW: 2, Where.OPENFLOW_INSTANCE: 2}

class ParseError(Exception):
    """The switch's answer to a line it cannot run."""


@dataclass(frozen=True)
class _Keyword:
    word: str


@dataclass(frozen=True)
class _Param:
    name: str
    kind: ParamType


_Element = _Keyword | _Param


@dataclass(frozen=True)
class Variant:
    """One expansion of a row's syntax (optional groups and choices resolved)."""

    command: Command
    choices: tuple[tuple[str, int], ...]
    """(argument name, position) of each keyword chosen from a {a|b} group."""

    def accessible(self, wheres: frozenset[Where], level: Level) -> bool:
        return self.command.where in wheres and self.command.level <= level


@dataclass
class _Node:
    keywords: dict[str, _Node] = field(default_factory=dict)
    keyword_help: dict[str, list[tuple[Where, str]]] = field(default_factory=dict)
    """Help per keyword and per row kind: `name` means one thing in a VLAN context and
    another in an interface context."""
    params: list[tuple[_Param, str, _Node]] = field(default_factory=list)
    ends: list[Variant] = field(default_factory=list)
    below: list[Variant] = field(default_factory=list)

    known: dict[tuple[frozenset[Where], Level], bool] = field(default_factory=dict)
    """`visible` answers, remembered: the table is built once and every line asks again."""

    def visible(self, wheres: frozenset[Where], level: Level) -> bool:
        key = (wheres, level)
        if key not in self.known:
            self.known[key] = any(v.accessible(wheres, level) for v in self.below)
        return self.known[key]

    def end(self, wheres: frozenset[Where], level: Level) -> Variant | None:
        """The row a complete line runs; the context's own row wins over a config or exec
        row of the same words (`enable` in an interface context enables the port)."""
        usable = [v for v in self.ends if v.accessible(wheres, level)]
        return max(usable, key=lambda v: SPECIFICITY[v.command.where], default=None)


@dataclass(frozen=True)
class Match:
    variant: Variant
    args: dict[str, object]
    words: tuple[str, ...]
    negated: bool
    rest: tuple[str, ...] = ()
    """Tokens after a context-entering row (`vlan 10 name x`), to run inside that context."""

    @property
    def command(self) -> Command:
        return self.variant.command


@dataclass(frozen=True)
class HelpLine:
    word: str
    text: str


def _split_syntax(syntax: str) -> list[str]:
    return re.findall(r"\[|\]|\{[^}]*\}|<[^>]+>|[^\s\[\]{}]+", syntax)


def _closing_bracket(tokens: list[str]) -> int:
    """Index of the `]` that closes a group whose `[` came just before `tokens`."""
    depth = 0
    for index, token in enumerate(tokens):
        depth += {"[": 1, "]": -1}.get(token, 0)
        if depth < 0:
            return index
    raise ValueError("unbalanced [ in syntax")


def _expand(tokens: list[str], params: dict[str, ParamType]) -> Iterator[
        tuple[list[_Element], list[tuple[str, int]]]]:
    """Every concrete element sequence of a syntax (optional groups in and out, each choice)."""
    if not tokens:
        yield [], []
        return
    head, tail = tokens[0], tokens[1:]
    if head == "[":
        end = _closing_bracket(tail)
        inner, after = tail[:end], tail[end + 1:]
        yield from _expand(inner + after, params)
        yield from _expand(after, params)
        return
    for rest, choices in _expand(tail, params):
        if head.startswith("{"):
            body = head[1:-1]
            name, _, alts = body.rpartition(":")
            options = [a.strip() for a in alts.split("|")]
            arg = name.strip() or options[0]
            for option in options:
                yield [_Keyword(option), *rest], [(arg, 0), *((n, p + 1) for n, p in choices)]
        elif head.startswith("<"):
            name = head[1:-1]
            yield [_Param(name, params[name]), *rest], [(n, p + 1) for n, p in choices]
        else:
            yield [_Keyword(head), *rest], [(n, p + 1) for n, p in choices]


def _help_text(texts: list[tuple[Where, str]], wheres: frozenset[Where]) -> str:
    usable = [(SPECIFICITY[where], text) for where, text in texts if where in wheres]
    return max(usable, key=lambda item: item[0], default=(0, ""))[1]


class CommandTable:
    def __init__(self, rows: Iterable[Command], help_texts: dict[str, str]) -> None:
        self.help_texts = help_texts
        self.root = _Node()
        self.negated_root = _Node()
        self.openers: dict[str, ModeKind] = {}
        """First keyword -> the context its row opens (`vlan` -> VLAN)."""
        for row in rows:
            self._add(row)

    def _add(self, row: Command) -> None:
        for elements, choices in _expand(_split_syntax(row.syntax), row.params):
            variant = Variant(row, tuple(choices))
            roots = ([self.root] if row.run else []) + ([self.negated_root] if row.negate else [])
            if row.enters is not None and row.run and isinstance(elements[0], _Keyword):
                self.openers[elements[0].word] = row.enters
            for root in roots:
                node = root
                node.below.append(variant)
                for element in elements:
                    node = self._child(node, element, row)
                    node.below.append(variant)
                node.ends.append(variant)

    def _child(self, node: _Node, element: _Element, row: Command) -> _Node:
        if isinstance(element, _Keyword):
            word = element.word
            text = row.help.get(word) or self.help_texts.get(word, "")
            if text:
                node.keyword_help.setdefault(word, []).append((row.where, text))
            return node.keywords.setdefault(word, _Node())
        for param, _, child in node.params:
            if param == element:
                return child
        child = _Node()
        node.params.append((element, row.help.get(element.name, ""), child))
        return child

    # -- matching -------------------------------------------------------------------------

    def match(self, tokens: list[str], mode: ModeKind, level: Level, *,
              config_only: bool = False) -> Match:
        """The row `tokens` run in `mode`; `config_only` hides the exec rows (`show`, `write
        memory`, `reload` ...), which a config file never holds."""
        wheres = VISIBLE[mode] - {Where.EXEC} if config_only else VISIBLE[mode]
        node, negated, start = self.root, False, 0
        if tokens and tokens[0].lower() == NO and self.negated_root.visible(wheres, level):
            node, negated, start = self.negated_root, True, 1
        args: dict[str, object] = {}
        words: list[str] = []
        path: list[str] = []
        for index in range(start, len(tokens)):
            token = tokens[index]
            step = self._step(node, token, wheres, level)
            if step is None:
                variant = node.end(wheres, level)
                if variant is not None and variant.command.enters is not None and path:
                    return self._finish(variant, args, words, path, negated, tokens[index:])
                raise ParseError(f"Invalid input: {token}")
            param, value, node = step
            if param is None:
                words.append(str(value))
                path.append(str(value))
            else:
                args[param] = value
                path.append("")
        variant = node.end(wheres, level)
        if variant is None:
            last = tokens[-1] if tokens[start:] else (tokens[0] if tokens else "")
            raise ParseError(f"Incomplete input: {last}")
        return self._finish(variant, args, words, path, negated, [])

    @staticmethod
    def _finish(variant: Variant, args: dict[str, object], words: list[str], path: list[str],
                negated: bool, rest: list[str]) -> Match:
        for name, position in variant.choices:
            args.setdefault(name, path[position])
        return Match(variant, args, tuple(words), negated, tuple(rest))

    def _step(self, node: _Node, token: str, wheres: frozenset[Where],
              level: Level) -> tuple[str | None, object, _Node] | None:
        """One token forward: (None, keyword, node) or (param name, parsed value, node)."""
        lowered = token.lower()
        exact = node.keywords.get(lowered)
        if exact is not None and exact.visible(wheres, level):
            return None, lowered, exact
        prefixed = [w for w, n in node.keywords.items()
                    if w.startswith(lowered) and n.visible(wheres, level)]
        if len(prefixed) > 1:
            raise ParseError(f"Ambiguous input: {token}")
        if prefixed:
            return None, prefixed[0], node.keywords[prefixed[0]]
        for param, _, child in node.params:
            if not child.visible(wheres, level):
                continue
            try:
                value = param.kind.parse(token)
            except ValueError:
                continue
            return param.name, value, child
        return None

    def opens(self, word: str) -> ModeKind | None:
        """The context a line starting with `word` (or a unique abbreviation) would open."""
        lowered = word.lower()
        found = [kind for opener, kind in self.openers.items() if opener.startswith(lowered)]
        return self.openers.get(lowered) or (found[0] if len(found) == 1 else None)

    # -- help and completion ----------------------------------------------------------------

    def _walk(self, tokens: list[str], mode: ModeKind, level: Level) -> _Node:
        """The node reached by complete tokens; ParseError where the line already fails."""
        wheres = VISIBLE[mode]
        node = self.root
        if tokens and tokens[0].lower() == NO and self.negated_root.visible(wheres, level):
            node, tokens = self.negated_root, tokens[1:]
        for token in tokens:
            step = self._step(node, token, wheres, level)
            if step is None:
                raise ParseError(f"Invalid input: {token}")
            node = step[2]
        return node

    def help(self, tokens: list[str], partial: str, mode: ModeKind,
             level: Level) -> list[HelpLine]:
        """What `?` lists after `tokens` (and a partly typed word `partial`)."""
        wheres = VISIBLE[mode]
        node = self._walk(tokens, mode, level)
        lines = [
            HelpLine(word, _help_text(node.keyword_help.get(word, []), wheres))
            for word in sorted(node.keywords)
            if word.startswith(partial.lower()) and node.keywords[word].visible(wheres, level)
        ]
        if not tokens and NO.startswith(partial.lower()) and self.negated_root.visible(
                wheres, level) and node is self.root:
            lines.append(HelpLine(NO, NO_HELP))
            lines.sort(key=lambda line: line.word)
        if partial:
            return lines
        lines += [
            HelpLine(param.kind.placeholder, text)
            for param, text, child in node.params
            if child.visible(wheres, level)
        ]
        if node.end(wheres, level) is not None:
            lines.append(HelpLine(CR_HELP, ""))
        return lines

    def complete(self, tokens: list[str], partial: str, mode: ModeKind,
                 level: Level) -> list[str]:
        """Keywords that `partial` can complete to after `tokens`."""
        return [line.word for line in self.help(tokens, partial, mode, level)
                if partial and not line.word.startswith("<")]
