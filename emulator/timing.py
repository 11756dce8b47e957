"""Every timer of the product, one table per profile: nothing sleeps on a literal.

`fast` is for tests, `lab` the default, `real` adds the real chassis' boot and selftest
durations so that rehearsals feel like the box.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True)
class Timing:
    selftest: float
    """Seconds a management module spends in selftest before the election."""
    boot: float
    """Seconds from the end of selftest to serving the CLI on the active module."""
    heartbeat_interval: float
    heartbeat_misses: int
    module_reset: float
    """Seconds the interface modules stay down during a reset. A Linux host reports carrier
    changes at most once a second (linkwatch), so about a second makes every reset a link
    flap the host sees; tests (`fast`) go just past it, since they flap links back to back."""
    restart_backoff: float
    """Seconds before the chassis restarts a module process that died."""
    login_timeout: float
    """Seconds a connection may take to authenticate."""
    lldp_interval: float
    """Seconds between LLDP adverts on a port (the switch's default is 30; TTL is 4x)."""
    loop_stall: float
    """Seconds a module's event loop may go without turning, not counting time spent waiting
    for a CPU, before its heartbeat thread stops beating (emulator/liveness.py). Generous:
    the heaviest command answers within 2 s; a loop stuck this long is hung."""


PROFILES: Final[dict[str, Timing]] = {
    "fast": Timing(0.0, 0.0, 0.1, 10, 1.1, 0.05, 30.0, 1.0, 5.0),
    "lab": Timing(0.2, 0.3, 0.3, 4, 1.0, 0.5, 60.0, 30.0, 5.0),
    "real": Timing(15.0, 45.0, 1.0, 5, 5.0, 5.0, 120.0, 30.0, 10.0),
}
