"""The SFTP client behind the `copy ... sftp ...` forms: asyncssh over a TCP connection made in
the switch's own IP stack (its in-band namespace, emulator/inband.py) when it has one, with the
user name and password the CLI asked for.

Like the TFTP client it never hangs its command (the connection and each transfer are bounded
by TIMEOUT) and never writes anything: a download comes back whole or raises SftpError, and
the caller stores it atomically. The server's host key is not checked: the switch keeps no
known-hosts list for its SFTP client.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from dataclasses import dataclass
from ipaddress import IPv4Address
from typing import Final

import asyncssh

from emulator import inband

SSH_PORT: Final = 22
TIMEOUT: Final = 10.0
"""Seconds the connection, the login and then the transfer each may take."""
TIMED_OUT: Final = "timed out"
LOGIN_REFUSED: Final = "authentication failed"
TOO_BIG: Final = "file too large"


class SftpError(Exception):
    """The transfer failed; the text says why."""


@dataclass(frozen=True)
class Server:
    address: IPv4Address
    user: str
    password: str
    netns: str | None = None
    port: int = SSH_PORT
    timeout: float = TIMEOUT


async def _connect(server: Server) -> asyncssh.SSHClientConnection:
    loop = asyncio.get_running_loop()
    try:
        with inband.entered(server.netns) if server.netns is not None else (
                contextlib.nullcontext()):
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    except OSError as exc:
        raise SftpError(exc.strerror or str(exc)) from None
    sock.setblocking(False)
    try:
        async with asyncio.timeout(server.timeout):
            await loop.sock_connect(sock, (str(server.address), server.port))
            return await asyncssh.connect(
                sock=sock, username=server.user, password=server.password, known_hosts=None,
                client_keys=None, agent_path=None, config=None, preferred_auth="password")
    except TimeoutError:
        sock.close()
        raise SftpError(TIMED_OUT) from None
    except asyncssh.PermissionDenied:
        sock.close()
        raise SftpError(LOGIN_REFUSED) from None
    except (OSError, asyncssh.Error) as exc:
        sock.close()
        raise SftpError(_reason(exc)) from None


def _reason(exc: OSError | asyncssh.Error) -> str:
    if isinstance(exc, asyncssh.Error):
        return exc.reason
    return exc.strerror or str(exc)


async def get(server: Server, path: str, limit: int) -> bytes:
    """The whole file `path` from the server; SftpError when it fails or exceeds `limit`."""
    async with await _connect(server) as conn:
        try:
            async with asyncio.timeout(server.timeout), conn.start_sftp_client() as sftp, \
                    sftp.open(path, "rb") as remote:
                data: bytes = await remote.read(limit + 1)
        except TimeoutError:
            raise SftpError(TIMED_OUT) from None
        except (OSError, asyncssh.Error) as exc:
            raise SftpError(_reason(exc)) from None
    if len(data) > limit:
        raise SftpError(TOO_BIG)
    return data


async def put(server: Server, path: str, data: bytes) -> None:
    """Store `data` as `path` on the server; SftpError when it fails."""
    async with await _connect(server) as conn:
        try:
            async with asyncio.timeout(server.timeout), conn.start_sftp_client() as sftp, \
                    sftp.open(path, "wb") as remote:
                await remote.write(data)
        except TimeoutError:
            raise SftpError(TIMED_OUT) from None
        except (OSError, asyncssh.Error) as exc:
            raise SftpError(_reason(exc)) from None
