"""What the active management module knows of the chassis' redundancy: both modules' status,
the failover statistics and log, and the controls the redundancy commands pull.

The chassis tells the active module of every role change (messages.Roles); the failover record is
stored in flash (FAILOVER_FILE) and synced to the standby with the security files, so the
counter survives the very switchovers it counts.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import Any, Final, Protocol

FAILOVER_FILE: Final = "redundancy.json"
PREFERENCE_FILE: Final = "active-preference.json"
"""`redundancy active-management`: {"slot": "MM2"}, the module to make active at the next
boot; synced, and read by each module's selftest as if that module had been active last."""


class ModuleStatus(Enum):
    """The Status column of `show redundancy` / `show modules` for a management module."""

    ACTIVE = "Active"
    STANDBY = "Standby"
    FAILED = "Failed"
    OFFLINE = "Offline"
    BOOTING = "Booting"
    NOT_PRESENT = "Not Present"


@dataclass
class ModuleView:
    slot: str
    status: ModuleStatus
    version: str = ""
    boot_image: str = "Primary"


@dataclass(frozen=True)
class FailoverEvent:
    when: float
    from_slot: str
    to_slot: str
    reason: str


@dataclass
class FailoverRecord:
    """Statistics of `show redundancy`, kept on flash (both modules, via sync)."""

    failovers: int = 0
    last_failover: float | None = None
    log: list[FailoverEvent] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, value: dict[str, Any] | None) -> FailoverRecord:
        if not value:
            return cls()
        return cls(value.get("failovers", 0), value.get("last_failover"),
                   [FailoverEvent(**e) for e in value.get("log", [])])


class RedundancyControl(Protocol):
    """What the redundancy commands ask of the module process (implemented in module.py)."""

    def standby_present(self) -> bool: ...

    async def switchover(self, reason: str) -> None:
        """Hand mastership to the standby: this module reboots and the standby takes over."""
        ...

    async def reboot_standby(self) -> None: ...

    async def boot_system(self, image: str) -> None:
        """Reboot both modules from `image` (`primary`/`secondary`), no switchover."""
        ...

    async def set_redundancy(self, enabled: bool) -> None:
        """`[no] redundancy management-module`: disabled, the standby goes offline and no
        failover happens; enabled again, it boots back to standby."""
        ...


@dataclass
class Redundancy:
    """The active module's live view, read by show commands."""

    slot: str
    modules: dict[str, ModuleView] = field(default_factory=dict)
    enabled: bool = True
    record: FailoverRecord = field(default_factory=FailoverRecord)
    control: RedundancyControl | None = None

    def other(self) -> ModuleView | None:
        return next((m for s, m in sorted(self.modules.items()) if s != self.slot), None)
