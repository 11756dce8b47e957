"""The TFTP client against tftpd-hpa on loopback: whole files both ways (block edges included),
the server's error text, a silent server timing out after its tries, and a download over its
limit refused before it is complete."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from ipaddress import IPv4Address

import pytest

from emulator import tftp
from tests.emulator.tftpd import Tftpd


@pytest.fixture
def peer() -> Iterator[Tftpd]:
    server = Tftpd({"small": b"hello\n", "edge": b"x" * 1024, "big": bytes(range(256)) * 9})
    yield server
    server.close()


@pytest.mark.parametrize("name", ["small", "edge", "big"])
def test_a_download_is_the_whole_file(peer: Tftpd, name: str) -> None:
    assert asyncio.run(tftp.get(peer.server(), name, 1 << 20)) == peer.files[name]


@pytest.mark.parametrize("size", [0, 511, 512, 1500])
def test_an_upload_arrives_whole(peer: Tftpd, size: int) -> None:
    data = bytes(i % 251 for i in range(size))
    asyncio.run(tftp.put(peer.server(), "up.cfg", data))
    assert peer.files["up.cfg"] == data


def test_the_servers_error_ends_the_transfer(peer: Tftpd) -> None:
    with pytest.raises(tftp.TftpError, match=r"^File not found$"):
        asyncio.run(tftp.get(peer.server(), "missing", 1 << 20))


def test_a_silent_server_times_out_after_its_tries() -> None:
    silent = Tftpd(silent=True)
    try:
        with pytest.raises(tftp.TftpError, match=tftp.TIMED_OUT):
            asyncio.run(tftp.put(silent.server(), "up.cfg", b"data"))
    finally:
        silent.close()


def test_a_download_over_the_limit_is_refused(peer: Tftpd) -> None:
    with pytest.raises(tftp.TftpError, match=tftp.TOO_BIG):
        asyncio.run(tftp.get(peer.server(), "big", 1000))


def test_an_unreachable_network_fails_at_once() -> None:
    server = tftp.Server(IPv4Address("240.0.0.1"), None, retransmit=0.2, tries=2)
    with pytest.raises(tftp.TftpError):
        asyncio.run(tftp.put(server, "x", b""))
