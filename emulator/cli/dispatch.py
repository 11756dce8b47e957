"""The line dispatcher: one line in a session's mode -> the grammar's match -> its handler ->
the output. The interactive session, the startup-config replay and the command families' tests
all run lines through `dispatch`, so a line means the same typed, read from flash or tested.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable
from typing import TYPE_CHECKING

from emulator.cli.context import Call, SessionControl
from emulator.cli.grammar import Output
from emulator.cli.parser import CommandTable, Match

if TYPE_CHECKING:
    from emulator.device import Device


async def dispatch(table: CommandTable, device: Device, session: SessionControl,
                   tokens: list[str], *, config_only: bool = False) -> list[str]:
    """The outputs of the row `tokens` match, in order; raises ParseError (no row) or
    CliError (the handler's refusal). A context-entering row with more words (`vlan 10 name
    x`) runs them inside the context and then returns to the mode the line started in.
    `config_only`: only the statements a config file may hold."""
    match = table.match(tokens, session.mode.kind, session.level, config_only=config_only)
    started = session.mode
    outputs = [await _call(match, device, session)]
    if match.rest:
        try:
            while match.rest:  # a context opened inside the one just opened (`openflow
                # instance x enable`) takes the rest of the line in turn
                match = table.match(list(match.rest), session.mode.kind, session.level,
                                    config_only=config_only)
                outputs.append(await _call(match, device, session))
        finally:
            session.enter(started)
    return [output for output in outputs if output]


async def _call(match: Match, device: Device, session: SessionControl) -> Output:
    handler = match.command.negate if match.negated else match.command.run
    assert handler is not None, "the parser only matches rows with a handler"
    result = handler(Call(device, session, match.args, match.words, match.negated))
    if inspect.isawaitable(result):
        awaited: Awaitable[Output] = result
        return await awaited
    return result
