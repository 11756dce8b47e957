"""The chassis is what its modules are, through the peers a lab uses: --module builds a v2 zl
chassis, and OpenSSH-backed netmiko's `show modules` / `show interfaces brief`, net-snmp's
walks of IF-MIB and ENTITY-MIB and `show version` against sysDescr all agree on it."""

from __future__ import annotations

from typing import Any

import pytest

from emulator import hardware
from emulator.testing import missing_tool
from tests.e2e.test_snmp import net_snmp, values

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.requires(missing_tool("snmpwalk", "snmp")),
]

IF_HIGH_SPEED = ".1.3.6.1.2.1.31.1.1.1.15"
ENT_DESCR = ".1.3.6.1.2.1.47.1.1.1.1.2"
SYS_DESCR = ".1.3.6.1.2.1.1.1.0"


def test_a_chassis_of_chosen_modules(chassis_factory: Any) -> None:
    running = chassis_factory.start("--module", "A=J9536A", "--module", "3=J9538A",
                                    env={"PROCURVE_MODULES": "L=J8708A"})  # flags win
    conn = running.netmiko()
    try:
        modules = conn.send_command("show modules").splitlines()
        version = conn.send_command("show version").splitlines()
        brief = conn.send_command("show interfaces brief")
    finally:
        conn.disconnect()
    rows = [line.split()[0] for line in modules if line.startswith("  ")]
    assert rows[-2:] == ["A", "C"], modules
    assert "HP J9538A 8p 10-GbE SFP+ v2 zl Module" in modules[-1]
    ports = [line.split()[0] for line in brief.splitlines()
             if line.startswith("  ") and "|" in line and line.split()[0][0] in "AC"]
    assert ports == [f"A{n}" for n in range(1, 23)] + [f"C{n}" for n in range(1, 9)]

    speeds = values(net_snmp("snmpwalk", running, IF_HIGH_SPEED).stdout)
    assert speeds[f"{IF_HIGH_SPEED}.1"] == "1000"
    assert speeds[f"{IF_HIGH_SPEED}.21"] == "10000"  # A21, an SFP+ port
    assert f"{IF_HIGH_SPEED}.23" not in speeds  # the J9536A has 22 ports
    assert speeds[f"{IF_HIGH_SPEED}.56"] == "10000"  # C8
    described = set(values(net_snmp("snmpwalk", running, ENT_DESCR).stdout).values())
    assert '"HP J9536A 20p GT PoE+/2p SFP+ v2 zl Module"' in described
    assert '"HP 10GbE SFP+ Port"' in described
    assert not any("J8702A" in text or "J8708A" in text for text in described)

    descr = values(net_snmp("snmpget", running, SYS_DESCR).stdout)[SYS_DESCR]
    stamps = {line.split("Image stamp:")[1].strip() for line in version if "Image stamp:" in line}
    assert len(stamps) == 1, version
    stamp = stamps.pop()
    assert descr == f'"{hardware.PRODUCT_LINE}, revision {hardware.SOFTWARE_REVISION}, ' \
                    f'ROM {hardware.ROM_VERSION} ({stamp})"'
