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
    login_failure_delay: float
    """Seconds a refused password (login or `enable`) waits before its answer, so guessing
    costs time: 1 s, the login delay network switches commonly use (Cisco's `login delay`
    default); `fast` keeps tests of wrong passwords quick."""
    loop_stall: float
    """Seconds a module's event loop may go without turning, not counting time spent waiting
    for a CPU, before its heartbeat thread stops beating (emulator/liveness.py). Generous:
    the heaviest command answers within 2 s; a loop stuck this long is hung."""
    minute: float = 60.0
    """Seconds in one minute of the switch's minute-valued settings (`console
    inactivity-timer`); `fast` makes a minute a second so tests can watch one run out."""


PROFILES: Final[dict[str, Timing]] = {
    "fast": Timing(selftest=0.0, boot=0.0, heartbeat_interval=0.1, heartbeat_misses=10,
                   module_reset=1.1, restart_backoff=0.05, login_timeout=30.0,
                   lldp_interval=1.0, login_failure_delay=0.2, loop_stall=5.0,
                   minute=1.0),
    "lab": Timing(selftest=0.2, boot=0.3, heartbeat_interval=0.3, heartbeat_misses=4,
                  module_reset=1.0, restart_backoff=0.5, login_timeout=60.0,
                  lldp_interval=30.0, login_failure_delay=1.0, loop_stall=5.0),
    "real": Timing(selftest=15.0, boot=45.0, heartbeat_interval=1.0, heartbeat_misses=5,
                   module_reset=5.0, restart_backoff=5.0, login_timeout=120.0,
                   lldp_interval=30.0, login_failure_delay=1.0, loop_stall=10.0),
}
