"""This switch's SNMP engine and its users: the snmpEngineID (derived from the chassis' base
MAC, so both management modules share it), snmpEngineBoots, and each USM user's keys, kept in
the module's security files, which the sync to the standby carries over: after a switchover
the new active answers with the same engine ID, the same keys and a higher boot count. The
master keys are kept beside the localized ones, to localize to the engine of an inform's
receiver (snmp/notify_v3.py)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from typing import Final

from emulator.device import Device
from emulator.flash import Flash
from emulator.hardware import Inventory, mac_bytes
from snmp.crypto import AUTH
from snmp.message_v3 import Level

USERS_FILE: Final = "snmpv3.json"
HP_ENTERPRISE: Final = 11
ENGINE_ID_MAC: Final = 3
"""RFC 3411 SnmpEngineID format 3: the rest is a MAC address (here the chassis base MAC)."""
MAX_BOOTS: Final = 2**31 - 1


def engine_id(inventory: Inventory) -> bytes:
    """snmpEngineID: HP's enterprise number with the RFC 3411 high bit, format 3, base MAC."""
    return ((1 << 31) | HP_ENTERPRISE).to_bytes(4, "big") + bytes((ENGINE_ID_MAC,)) \
        + mac_bytes(inventory.base_mac)


@dataclass(frozen=True)
class User:
    """One USM user's protocols (CLI keywords, None for none) and keys localized to this
    switch's engine, with the master keys they came from: an inform goes to a receiver that
    is its own authoritative engine, so the keys are localized to it too."""

    auth: str | None = None
    priv: str | None = None
    auth_key: bytes = b""
    priv_key: bytes = b""
    auth_master: bytes = b""
    priv_master: bytes = b""

    @property
    def level(self) -> Level:
        """The highest security level this user can speak."""
        return Level.NO_AUTH if self.auth is None else Level.AUTH if self.priv is None \
            else Level.PRIV

    @classmethod
    def create(cls, engine: bytes, auth: str | None = None, auth_password: str = "",
               priv: str | None = None, priv_password: str = "") -> User:
        """Privacy keys are derived with the user's authentication hash (RFC 3414)."""
        if auth is None:
            return cls()
        protocol = AUTH[auth]
        user = cls(auth, priv, auth_master=protocol.master(auth_password),
                   priv_master=protocol.master(priv_password) if priv else b"")
        localized = user.localized(engine)
        assert localized is not None  # the master keys were just made
        return localized

    def localized(self, engine: bytes) -> User | None:
        """This user with keys for another engine; None when the master keys are unknown (a
        user whose keys were stored before they were kept)."""
        if self.auth is None:
            return self
        if not self.auth_master or (self.priv and not self.priv_master):
            return None
        protocol = AUTH[self.auth]
        return replace(self, auth_key=protocol.localize(self.auth_master, engine),
                       priv_key=protocol.localize(self.priv_master, engine) if self.priv
                       else b"")

    def to_json(self) -> dict[str, str | None]:
        return {"auth": self.auth, "priv": self.priv, "auth_key": self.auth_key.hex(),
                "priv_key": self.priv_key.hex(), "auth_master": self.auth_master.hex(),
                "priv_master": self.priv_master.hex()}

    @classmethod
    def from_json(cls, value: dict[str, str | None]) -> User:
        keys = (bytes.fromhex(value.get(name) or "")
                for name in ("auth_key", "priv_key", "auth_master", "priv_master"))
        return cls(value.get("auth"), value.get("priv"), *keys)


@dataclass
class Store:
    """The security file: users' keys and snmpEngineBoots (non-volatile, as RFC 3414 wants)."""

    boots: int = 1
    users: dict[str, User] = field(default_factory=dict)

    @classmethod
    def read(cls, flash: Flash) -> Store:
        stored = flash.read_security(USERS_FILE) or {}
        return cls(int(stored.get("boots", 1)),
                   {name: User.from_json(user) for name, user in stored.get("users", {}).items()})

    def write(self, flash: Flash) -> None:
        flash.write_security(USERS_FILE, {
            "boots": self.boots,
            "users": {name: user.to_json() for name, user in self.users.items()},
        })


def store_user(device: Device, name: str, user: User | None) -> None:
    """Keep (or, with None, forget) a user's keys in the security files at once, as the
    switch does: only `snmpv3 user "NAME"` waits for `write memory`."""
    store = Store.read(device.flash)
    if user is None:
        store.users.pop(name, None)
    else:
        store.users[name] = user
    store.write(device.flash)


def count_boot(device: Device) -> int:
    """A module becoming active is an engine reboot: snmpEngineBoots goes up by one on flash
    (when v3 was ever configured; a switch without the file has booted once as far as v3 can
    tell), once per boot however many agents the module serves."""
    counters = device.snmp_counters
    if "snmpEngineBoots" not in counters:
        store = Store.read(device.flash)
        if device.flash.read_security(USERS_FILE) is not None:
            store.boots = min(store.boots + 1, MAX_BOOTS)
            store.write(device.flash)
        counters["snmpEngineBoots"] = store.boots
    return counters["snmpEngineBoots"]


class Keys:
    """The users' keys on flash, read again only when the file changed (the CLI writes it):
    requests and notifications look them up per message, the file is read per change."""

    def __init__(self, flash: Flash) -> None:
        self.flash = flash
        self.loaded: tuple[int, Store] | None = None

    def users(self) -> dict[str, User]:
        try:
            stamp = os.stat(self.flash.security / USERS_FILE).st_mtime_ns
        except FileNotFoundError:
            stamp = 0
        if self.loaded is None or self.loaded[0] != stamp:
            self.loaded = (stamp, Store.read(self.flash))
        return self.loaded[1].users
