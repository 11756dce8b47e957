"""An SFTP server on loopback for the unit tests (asyncssh's own, its files in a directory),
run on an event loop in a thread of its own so that a test's event loops come and go around
it. Its one user is `backup` with the password `secret`."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from typing import Any

import asyncssh

USER, PASSWORD = "backup", "secret"


class _Server(asyncssh.SSHServer):
    def password_auth_supported(self) -> bool:
        return True

    def validate_password(self, username: str, password: str) -> bool:
        return (username, password) == (USER, PASSWORD)


class SftpPeer:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        key = asyncssh.generate_private_key("ssh-ed25519")
        async def listen() -> Any:
            return await asyncssh.listen(
                "127.0.0.1", 0, server_host_keys=[key], server_factory=_Server,
                sftp_factory=lambda chan: asyncssh.SFTPServer(chan, chroot=str(root).encode()))

        self.acceptor: Any = asyncio.run_coroutine_threadsafe(listen(), self.loop).result(10)
        self.port: int = self.acceptor.sockets[0].getsockname()[1]

    def close(self) -> None:
        self.acceptor.close()
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
