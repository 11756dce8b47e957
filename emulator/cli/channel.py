"""What a CLI session needs from a transport (SSH, telnet, console): a byte pipe with
back-pressure and a terminal size. The transports in ssh_server/ implement it; the session
never knows which one it runs on beyond `Peer.transport`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Literal, Protocol

TransportKind = Literal["ssh", "telnet", "console"]


@dataclass
class Peer:
    transport: TransportKind
    address: str = ""
    username: str | None = None
    """Set when the transport authenticated the user (SSH); telnet and console log in
    through the CLI's own Username:/Password: prompts."""
    level: str | None = None
    """`manager` or `operator` for an authenticated user."""
    command: str | None = None
    """An SSH exec request (`ssh switch 'show version'`): run it and end, no banner."""
    pty: bool = True
    """False when the client asked for no terminal: plain text, no VT100 paint."""
    port: int = 0
    """The client's TCP port (`show ip ssh` lists it); 0 on the console."""


class Channel(Protocol):
    width: int
    height: int

    async def read(self) -> bytes:
        """The next chunk of input; b"" at end of input."""
        ...

    def write(self, data: bytes) -> None: ...

    async def drain(self) -> None:
        """Wait until the peer has taken what was written (a client that never reads stalls
        here, not in memory)."""
        ...

    def logged_in(self) -> None:
        """The user has logged in at the CLI (telnet, console): the transport's limits on
        connections that have not (login timeout, pre-login slots) no longer apply."""
        ...

    def close(self) -> None: ...


SessionHandler = Callable[[Channel, Peer], Awaitable[None]]
