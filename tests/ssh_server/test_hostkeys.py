"""Host keys persist in flash and the server presents the same ones after a restart."""

from __future__ import annotations

import asyncio
import stat
from pathlib import Path

import asyncssh
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from ssh_server.hostkeys import KEY_FILES, load_or_create_host_keys
from tests.ssh_server.clients import BANNER, BASE_OPTIONS, LineCli, ServerFactory, openssh


def public(keys: list[asyncssh.SSHKey]) -> list[bytes]:
    return [key.export_public_key() for key in keys]


def test_keys_are_created_once_private_and_reloaded(tmp_path: Path) -> None:
    security = tmp_path / "mm1" / "security"
    keys = load_or_create_host_keys(security)
    assert [key.algorithm for key in keys] == [b"ecdsa-sha2-nistp256", b"ssh-rsa"]
    rsa_key = keys[1].pyca_key
    assert isinstance(rsa_key, rsa.RSAPrivateKey) and rsa_key.key_size == 2048
    assert sorted(p.name for p in security.iterdir()) == sorted(KEY_FILES)
    for path in security.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert public(load_or_create_host_keys(security)) == public(keys)


def test_unreadable_key_is_replaced(tmp_path: Path) -> None:
    keys = load_or_create_host_keys(tmp_path)
    (tmp_path / "ssh_host_rsa_key").write_bytes(b"not a key")
    again = load_or_create_host_keys(tmp_path)
    assert public(again)[0] == public(keys)[0]
    assert public(again)[1] != public(keys)[1]
    assert public(load_or_create_host_keys(tmp_path)) == public(again)


def test_openssh_accepts_the_pinned_key_after_a_restart(
    ssh_server: ServerFactory, tmp_path: Path
) -> None:
    known_hosts = tmp_path / "known_hosts"
    options = [*BASE_OPTIONS, "-o", f"UserKnownHostsFile={known_hosts}",
               "-o", "HostKeyAlias=switch"]

    async def login(strict: str) -> bytes:
        async with ssh_server(LineCli()) as (_, port):
            status, out, err = await openssh(
                port, "-o", f"StrictHostKeyChecking={strict}", "manager@127.0.0.1", "x",
                options=options)
        assert status == 0, err
        return out

    async def main() -> None:
        assert (await login("accept-new")).startswith(BANNER)
        assert known_hosts.read_text().count("switch ") == 1
        assert (await login("yes")).startswith(BANNER)

    asyncio.run(main())


@pytest.mark.parametrize("algorithm", ["ecdsa-sha2-nistp256", "ssh-rsa", "rsa-sha2-256"])
def test_same_fingerprint_after_a_restart(ssh_server: ServerFactory, algorithm: str) -> None:
    async def fingerprint() -> str:
        async with ssh_server(LineCli()) as (_, port):
            key = await asyncssh.get_server_host_key(
                "127.0.0.1", port, server_host_key_algs=[algorithm], config=None)
        assert key is not None
        return key.get_fingerprint()

    async def main() -> None:
        assert await fingerprint() == await fingerprint()

    asyncio.run(main())
