"""User text over SSH survives `write memory`, a restart and a switchover exactly as typed, or
is refused where it is typed; a startup config's refused lines do not reach `show log`."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.e2e

HOSTNAME = "lab sw;1'x"
KEPT = [
    f'hostname "{HOSTNAME}"',
    "interface A1",
    "   name \"uplink; core 'b' \\ 2!\"",
    "snmp-server community \"c0mm;un!ty x\" operator",
    'snmp-server contact "noc@example.com (24/7) & 50%" location "row B, rack 4 \\ shelf 2"',
    "snmp-server host 10.9.9.9 community \"tr@p's\"",
    "vlan 20",
    '   name "blue & red"',
]
"""Lines of `show running-config` for the names typed below, as the switch writes them."""
TYPED = [
    "interface A1 name \"uplink; core 'b' \\ 2!\"",
    "snmp-server community \"c0mm;un!ty x\" operator",
    'snmp-server contact "noc@example.com (24/7) & 50%"',
    'snmp-server location "row B, rack 4 \\ shelf 2"',
    "snmp-server host 10.9.9.9 community tr@p's",
    'vlan 20 name "blue & red"',
]
REFUSED = {
    'snmp-server community ro""unrestricted manager restricted': 'ro""unrestricted',
    'snmp-server location "row "B""': '"B""',
    'vlan 30 name a"b': 'a"b',
}


def _running(chassis: Any) -> list[str]:
    conn = chassis.netmiko()
    try:
        assert conn.find_prompt() == f"{HOSTNAME}#"
        return str(conn.send_command("show running-config")).splitlines()
    finally:
        conn.disconnect()


def test_names_survive_write_memory_restart_and_switchover(chassis_factory: Any) -> None:
    chassis = chassis_factory.start()
    conn = chassis.netmiko()
    conn.config_mode()
    for line in TYPED:
        assert "Invalid" not in conn.send_command(line, expect_string=r"\(.+\)# ?$")
    for line, token in REFUSED.items():
        answer = conn.send_command(line, expect_string=r"\(.+\)# ?$")
        assert f"Invalid input: {token}" in answer
    conn.send_command(f'hostname "{HOSTNAME}"', expect_string=r"\(config\)# ?$")
    conn.send_command("end", expect_string=f"{re.escape(HOSTNAME)}# ?$")
    conn.set_base_prompt()  # netmiko learns the new name, as a script that renames must
    conn.save_config()
    conn.disconnect()

    chassis = chassis_factory.restart(chassis)
    after_restart = _running(chassis)
    chassis.switchover()
    after_switchover = _running(chassis)
    for running in (after_restart, after_switchover):
        body = [line for line in running if line.strip() and not line.startswith(";")]
        for line in KEPT:
            assert line in body, "\n".join(running)
        assert not any('"ro"' in line or 'a"b' in line or '""' in line
                       for line in body), "\n".join(running)


def test_refused_startup_lines_reach_show_log_by_number_only(chassis_factory: Any,
                                                            tmp_path: Path) -> None:
    config = tmp_path / "startup.cfg"
    config.write_text('hostname "edge"\nsnmp-server community "s3cret-ro" s3cret-rw\n')
    chassis = chassis_factory.start("--startup-config", str(config))
    conn = chassis.netmiko()
    try:
        log = str(conn.send_command("show log"))
    finally:
        conn.disconnect()
    assert "config: startup-config line 2 not applied" in log
    assert "s3cret" not in log
    assert ("startup-config line 2: Invalid input: s3cret-rw "
            '(snmp-server community "s3cret-ro" s3cret-rw)') in chassis.stderr()
