"""The TFTP client against tftpd-hpa on loopback: whole files both ways (block edges included),
the server's error text, a silent server timing out after its tries, and a download over its
limit refused before it is complete."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator
from ipaddress import IPv4Address
from pathlib import Path

import pytest

from emulator import tftp
from emulator.testing import missing_tool, require
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


# -- the switch's server, against tftp-hpa's client ---------------------------------------

def tftp_hpa(files: dict[str, bytes], enabled: bool, command: str) -> str:
    """tftp-hpa's `tftp` client runs `command` (`get NAME LOCAL`, `put LOCAL NAME`) against
    the switch's server on a loopback port serving `files`; what the client printed."""
    require(missing_tool("tftp", "tftp-hpa"))

    async def main() -> str:
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sock.bind(("127.0.0.1", 0))
        sock.setblocking(False)
        port = sock.getsockname()[1]
        serving = asyncio.create_task(tftp.serve(sock, files.get, lambda: enabled, None,
                                                 retransmit=0.2, tries=3))
        try:
            client = await asyncio.create_subprocess_exec(
                "tftp", "127.0.0.1", str(port), stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
            script = f"mode octet\ntimeout 2\n{command}\nquit\n"
            out, _ = await asyncio.wait_for(client.communicate(script.encode()), 30)
            return out.decode(errors="replace")
        finally:
            serving.cancel()

    return asyncio.run(main())


def test_the_server_hands_out_files_by_their_names(tmp_path: Path) -> None:
    files = {"/cfg/running-config": b"hostname x\n" * 100, "/os/primary": b"image"}
    tftp_hpa(files, True, f"get /cfg/running-config {tmp_path / 'running'}")
    assert (tmp_path / "running").read_bytes() == files["/cfg/running-config"]
    tftp_hpa(files, True, f"get os/primary {tmp_path / 'primary'}")
    assert (tmp_path / "primary").read_bytes() == b"image"


def test_the_server_refuses_other_names_and_every_write(tmp_path: Path) -> None:
    assert "File not found" in tftp_hpa({}, True, f"get /etc/passwd {tmp_path / 'x'}")
    (tmp_path / "cfg").write_text("hostname evil\n")
    assert "Access violation" in tftp_hpa({}, True,
                                          f"put {tmp_path / 'cfg'} /cfg/startup-config")


def test_no_tftp_server_answers_nothing(tmp_path: Path) -> None:
    printed = tftp_hpa({"/os/primary": b"image"}, False, f"get /os/primary {tmp_path / 'p'}")
    assert "timed out" in printed.lower() and (tmp_path / "p").read_bytes() == b""
