"""Bad input never kills a session or the switch: each gets an answer or a clean disconnect."""

from __future__ import annotations

from typing import Any

import paramiko
import pytest

from emulator.testing import eventually

pytestmark = pytest.mark.e2e


def _shell(chassis: Any) -> tuple[paramiko.SSHClient, paramiko.Channel]:
    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    client.connect(chassis.host, chassis.ssh_port, "manager", "manager",
                   look_for_keys=False, allow_agent=False)
    channel = client.invoke_shell(width=80, height=24)
    channel.settimeout(10)
    return client, channel


def _read_until(channel: paramiko.Channel, needle: bytes, seen: bytearray) -> bytes:
    def arrived() -> bool:
        if needle not in seen:
            seen.extend(channel.recv(65536))
        return needle in seen

    eventually(arrived, 10, lambda: f"{needle!r} in {bytes(seen[-300:])!r}", poll=0)
    return bytes(seen)


def _alive(chassis: Any) -> None:
    conn = chassis.netmiko()
    try:
        assert "Image stamp:" in conn.send_command("show version")
    finally:
        conn.disconnect()


def test_huge_line_garbage_and_ctrl_c(chassis: Any) -> None:
    client, channel = _shell(chassis)
    seen = bytearray()
    try:
        _read_until(channel, b"Press any key", seen)
        channel.sendall(b"\r")
        _read_until(channel, b"HP-8212zl# ", seen)
        channel.sendall(b"z" * 1_000_000 + b"\r")
        _read_until(channel, b"Invalid input: z", seen)
        channel.sendall(bytes(range(256)) * 64 + b"\x03\r")
        seen.clear()
        channel.sendall(b"show interfaces brief\r")
        _read_until(channel, b"-- MORE --", seen)
        channel.sendall(b"\x03")
        seen.clear()
        channel.sendall(b"show version\r")
        _read_until(channel, b"Image stamp:", seen)
    finally:
        client.close()
    _alive(chassis)


def test_client_that_never_reads_stalls_only_itself(chassis: Any) -> None:
    client, channel = _shell(chassis)
    try:
        channel.sendall(b"\rno page\r" + b"show running-config\r" * 2000)
        _alive(chassis)
    finally:
        client.close()
    _alive(chassis)
