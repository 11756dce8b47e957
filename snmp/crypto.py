"""The SNMPv3 keys, MACs and ciphers: password to key and key localization (RFC 3414 section
A.2), HMAC-MD5-96 and HMAC-SHA-96 (RFC 3414), HMAC-192-SHA-256 (RFC 7860), CBC-DES (RFC 3414
section 8) and CFB128-AES-128 (RFC 3826). Pure functions of their inputs: the USM (snmp/usm.py)
and the users' keys (snmp/users.py) use them."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from typing import Final, Protocol

from cryptography.hazmat.decrepit.ciphers.algorithms import TripleDES
from cryptography.hazmat.decrepit.ciphers.modes import CFB
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from snmp.ber import DecodeError

KEY_EXPANSION: Final = 1_048_576
"""Octets of repeated password hashed into a key (RFC 3414 section A.2)."""


@dataclass(frozen=True)
class AuthProtocol:
    label: str
    """As `show snmpv3 user` prints it."""
    hash: str
    """hashlib's name of the hash."""
    digest_size: int
    """Octets of the HMAC sent in msgAuthenticationParameters (HMAC-MD5-96, HMAC-SHA-96,
    HMAC-192-SHA-256)."""

    def master(self, password: str) -> bytes:
        """RFC 3414 section A.2: the password stretched to a 1 MiB hash (Ku)."""
        secret = password.encode()
        stretched = (secret * (KEY_EXPANSION // len(secret) + 1))[:KEY_EXPANSION]
        return hashlib.new(self.hash, stretched).digest()

    def localize(self, master: bytes, engine_id: bytes) -> bytes:
        """Kul = H(Ku || engineID || Ku): the key for one engine."""
        return hashlib.new(self.hash, master + engine_id + master).digest()

    def key(self, password: str, engine_id: bytes) -> bytes:
        return self.localize(self.master(password), engine_id)

    def sign(self, key: bytes, message: bytes) -> bytes:
        return hmac.new(key, message, self.hash).digest()[:self.digest_size]


class PrivProtocol(Protocol):
    @property
    def label(self) -> str: ...

    def encrypt(self, key: bytes, boots: int, engine_time: int, salt: int,
                plain: bytes) -> tuple[bytes, bytes]:
        """(ciphertext, msgPrivacyParameters)."""
        ...

    def decrypt(self, key: bytes, boots: int, engine_time: int, params: bytes,
                cipher: bytes) -> bytes: ...


@dataclass(frozen=True)
class DesCbc:
    """usmDESPrivProtocol (RFC 3414 section 8): DES key and pre-IV from the localized key; the
    salt (boots, counter) is XORed into the pre-IV. Single DES is 3DES with its key thrice."""

    label: str = "CBC-DES"

    def _cipher(self, key: bytes, params: bytes) -> Cipher[modes.CBC]:
        iv = bytes(a ^ b for a, b in zip(key[8:16], params, strict=True))
        return Cipher(TripleDES(key[:8] * 3), modes.CBC(iv))

    def encrypt(self, key: bytes, boots: int, engine_time: int, salt: int,
                plain: bytes) -> tuple[bytes, bytes]:
        params = boots.to_bytes(4, "big") + (salt & 0xFFFFFFFF).to_bytes(4, "big")
        padded = plain + bytes(-len(plain) % 8)
        encryptor = self._cipher(key, params).encryptor()
        return encryptor.update(padded) + encryptor.finalize(), params

    def decrypt(self, key: bytes, boots: int, engine_time: int, params: bytes,
                cipher: bytes) -> bytes:
        if len(params) != 8 or len(cipher) % 8:
            raise DecodeError("bad DES parameters")
        decryptor = self._cipher(key, params).decryptor()
        return decryptor.update(cipher) + decryptor.finalize()


@dataclass(frozen=True)
class AesCfb:
    """usmAesCfb128Protocol (RFC 3826): IV = boots, time and the 64-bit salt."""

    label: str = "CFB AES-128"

    @staticmethod
    def _cipher(key: bytes, boots: int, engine_time: int, params: bytes) -> Cipher[CFB]:
        iv = boots.to_bytes(4, "big") + engine_time.to_bytes(4, "big") + params
        return Cipher(algorithms.AES(key[:16]), CFB(iv))

    def encrypt(self, key: bytes, boots: int, engine_time: int, salt: int,
                plain: bytes) -> tuple[bytes, bytes]:
        params = (salt & (2**64 - 1)).to_bytes(8, "big")
        encryptor = self._cipher(key, boots, engine_time, params).encryptor()
        return encryptor.update(plain) + encryptor.finalize(), params

    def decrypt(self, key: bytes, boots: int, engine_time: int, params: bytes,
                cipher: bytes) -> bytes:
        if len(params) != 8:
            raise DecodeError("bad AES parameters")
        decryptor = self._cipher(key, boots, engine_time, params).decryptor()
        return decryptor.update(cipher) + decryptor.finalize()


AUTH: Final[dict[str, AuthProtocol]] = {
    "md5": AuthProtocol("MD5", "md5", 12),
    "sha": AuthProtocol("SHA", "sha1", 12),
    "sha256": AuthProtocol("SHA256", "sha256", 24),
}
PRIV: Final[dict[str, PrivProtocol]] = {"des": DesCbc(), "aes": AesCfb()}
"""The protocols by CLI keyword: K.15 offers `auth md5|sha` and `priv des|aes`;
`auth sha256` (usmHMAC192SHA256AuthProtocol, RFC 7860) is from later ArubaOS-Switch releases,
offered here because pollers configured for SHA-2 expect it. AES keys are the first 16 octets
of the localized key, whatever the hash (RFC 3826, as net-snmp and pysnmp do)."""
