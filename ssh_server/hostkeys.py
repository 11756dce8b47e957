"""SSH host keys kept in a management module's flash.

Clients pin the host key in known_hosts, so the switch must present the same keys after every
restart, as a real switch does once `crypto key generate ssh` has run. We keep two types:
ECDSA P-256 for modern clients, and RSA-2048 because that is what a K.15 ProCurve offers and
what old clients and netmiko scripts pinned against real switches expect; asyncssh signs with
it as `ssh-rsa` as well as `rsa-sha2-*`, so even SHA-1-only clients get in.
"""

from __future__ import annotations

import logging
from pathlib import Path

import asyncssh

from emulator.flash import HOST_KEY_FILES, atomic_write, durable_remove

log = logging.getLogger(__name__)

ECDSA_FILE, RSA_FILE = HOST_KEY_FILES
KEY_FILES: dict[str, tuple[str, int | None]] = {
    ECDSA_FILE: ("ecdsa-sha2-nistp256", None),
    RSA_FILE: ("ssh-rsa", 2048),
}
"""File name in the security folder -> (asyncssh algorithm, key size)."""


def load_or_create_host_keys(security_dir: Path) -> list[asyncssh.SSHKey]:
    """The host keys in `security_dir`, generating any that are missing or unreadable.

    An unreadable key is replaced rather than fatal: a switch that cannot boot because of a
    damaged key file is worse than one whose clients see a changed host key.
    """
    return [_load_or_create(security_dir / name, alg, size) for name, (alg, size) in
            KEY_FILES.items()]


def _load_or_create(path: Path, alg: str, size: int | None) -> asyncssh.SSHKey:
    try:
        return asyncssh.read_private_key(path)
    except FileNotFoundError:
        pass
    except (asyncssh.KeyImportError, OSError) as exc:
        log.warning("replacing unreadable host key %s: %s", path, exc)
    key = (asyncssh.generate_private_key(alg, key_size=size) if size
           else asyncssh.generate_private_key(alg))
    atomic_write(path, key.export_private_key("openssh"), 0o600)
    return key


def generate_host_keys(security_dir: Path, rsa_bits: int) -> list[asyncssh.SSHKey]:
    """`crypto key generate ssh rsa bits N`: a new RSA key of that size (clients see a
    changed host key, as after the real command); the ECDSA key is kept or made."""
    rsa = security_dir / RSA_FILE
    key = asyncssh.generate_private_key("ssh-rsa", key_size=rsa_bits)
    atomic_write(rsa, key.export_private_key("openssh"), 0o600)
    return load_or_create_host_keys(security_dir)


def zeroize_host_keys(security_dir: Path) -> None:
    """`crypto key zeroize ssh`: the host keys are erased; SSH is off until new ones."""
    for name in KEY_FILES:
        durable_remove(security_dir / name)


def rsa_bits(keys: list[asyncssh.SSHKey]) -> int:
    """The RSA host key's size, as `show ip ssh` reports it (0 without one)."""
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import load_ssh_public_key

    for key in keys:
        public = load_ssh_public_key(key.export_public_key("openssh"))
        if isinstance(public, rsa.RSAPublicKey):
            return public.key_size
    return 0
