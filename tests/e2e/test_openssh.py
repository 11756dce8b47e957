"""OpenSSH's own client in a pseudo-terminal, as a person at a terminal uses it."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import time
from typing import Any

import pytest

from emulator.testing import missing_tool

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.requires(missing_tool("sshpass")),
]


class PtyClient:
    def __init__(self, argv: list[str]) -> None:
        self.master, slave = pty.openpty()
        self.proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave,
                                     start_new_session=True)
        os.close(slave)
        self.seen = b""

    def expect(self, needle: bytes, timeout: float = 10.0) -> bytes:
        deadline = time.monotonic() + timeout
        while needle not in self.seen:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"{needle!r} not seen in {self.seen[-400:]!r}")
            ready, _, _ = select.select([self.master], [], [], left)
            if ready:
                try:
                    chunk = os.read(self.master, 65536)
                except OSError:
                    chunk = b""
                if not chunk:
                    raise AssertionError(f"EOF before {needle!r}: {self.seen[-400:]!r}")
                self.seen += chunk
        return self.seen

    def send(self, data: bytes) -> None:
        os.write(self.master, data)

    def close(self) -> int:
        try:
            code = self.proc.wait(timeout=10)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
            os.close(self.master)
        return code


def _ssh(chassis: Any, user: str) -> PtyClient:
    return PtyClient([
        "sshpass", "-p", user, "ssh", "-tt", "-p", str(chassis.ssh_port),
        "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
        "-o", "PubkeyAuthentication=no", "-o", "LogLevel=ERROR",
        f"{user}@{chassis.host}",
    ])


def test_interactive_login_and_commands(chassis: Any) -> None:
    client = _ssh(chassis, "manager")
    try:
        client.expect(b"Hewlett-Packard")
        client.expect(b"Press any key to continue")
        client.send(b" ")
        client.expect(b"HP-8212zl# ")
        client.send(b"show version\r")
        client.expect(b"K.15.16.0008")
        client.send(b"sh vl\r")
        client.expect(b"DEFAULT_VLAN")
        client.send(b"logout\r")
        client.expect(b"Do you want to log out [y/n]?")
        client.send(b"y")
        assert client.close() == 0
    finally:
        if client.proc.poll() is None:
            client.close()


def test_operator_enable_asks_username_and_password(chassis: Any) -> None:
    client = _ssh(chassis, "operator")
    try:
        client.expect(b"Press any key to continue")
        client.send(b"\r")
        client.expect(b"HP-8212zl> ")
        client.send(b"enable\r")
        client.expect(b"Username: ")
        client.send(b"manager\r")
        client.expect(b"Password: ")
        client.send(b"manager\r")
        client.expect(b"HP-8212zl# ")
        client.send(b"exit\r")
        client.expect(b"Do you want to log out [y/n]?")
        client.send(b"y")
        assert client.close() == 0
    finally:
        if client.proc.poll() is None:
            client.close()
