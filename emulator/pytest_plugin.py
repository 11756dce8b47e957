"""pytest fixtures for people who test their automation against a ProCurve 8212zl.

Installed with procurve-emu as a `pytest11` entry point, so any test suite in an environment
that has the package gets the fixtures without a conftest:

    from netmiko import ConnectHandler

    def test_my_backup_script(procurve_switch):
        conn = ConnectHandler(**procurve_switch.netmiko_params())
        assert "hostname" in conn.send_command("show running-config")

    def test_script_survives_a_failover(procurve_switch):
        procurve_switch.switchover()         # the active module crashes; the standby serves

Each switch is a real `procurve-emu run` process tree on free local ports, with a new flash,
credentials manager/manager, stopped (and checked to exit cleanly) when the test ends.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from emulator.testing import ChassisFactory, RunningChassis


@pytest.fixture
def procurve_factory(tmp_path: Path) -> Iterator[ChassisFactory]:
    """Start several switches (`procurve_factory.start()`, with any `run` flags), restart
    one on its flash (`restart(switch)`); every one is stopped after the test."""
    factory = ChassisFactory(tmp_path)
    try:
        yield factory
    finally:
        failures = factory.stop_all()
    assert not failures, "\n".join(failures)


@pytest.fixture
def procurve_switch(procurve_factory: ChassisFactory) -> RunningChassis:
    """A ready 8212zl: `.host`, `.ssh_port`, `.telnet_port`, `.snmp_port`, `.credentials`,
    `.netmiko_params()`, `.napalm_params()`, `.switchover()`, `.fault(action, target)`."""
    return procurve_factory.start()
