"""RANCID (Debian's `rancid`): `hrancid` backs up a running chassis over SSH as it backs up a
real ProCurve. hrancid runs hlogin (expect) with its command list (`show version`, `show
config status`, `write term` ...) and keeps the config only when every command ran and the
session logged out cleanly, so the backup file holding the hostname and VLANs proves the whole
dance: login banner, `no page`, each command's output, and the logout questions."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from netmiko import ConnectHandler

from emulator.testing import missing_tool

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.requires(missing_tool("hrancid", "rancid")),
]

SSH_OPTIONS = ("-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null "
               "-o PubkeyAuthentication=no -o LogLevel=ERROR")
"""hlogin spawns `sshcmd`; a test's chassis has a new host key each run, and root's
known_hosts is not the test's to write."""


def _cloginrc(home: Path, port: int) -> None:
    """clogin-style settings for every host: the manager login over SSH on the chassis' port.
    hlogin joins the `sshcmd` list's words without blanks, so the command is one braced word;
    it refuses a .cloginrc others can read."""
    rc = home / ".cloginrc"
    rc.write_text(
        "add user * manager\n"
        "add password * manager manager\n"
        f"add method * {{ssh:{port}}}\n"
        f"add sshcmd * {{{{ssh {SSH_OPTIONS}}}}}\n")
    rc.chmod(0o600)


def test_hrancid_backs_up_hostname_and_vlans(chassis: Any, tmp_path: Path) -> None:
    conn = ConnectHandler(device_type="hp_procurve", host=chassis.host, port=chassis.ssh_port,
                          username="manager", password="manager", secret="manager")
    try:
        conn.send_config_set(["hostname rancid-core", "vlan 10", 'name "Servers"',
                              "untagged A1-A4", "exit", "vlan 20", 'name "Voice"', "exit"])
    finally:
        conn.disconnect()
    home = tmp_path / "home"
    home.mkdir()
    _cloginrc(home, chassis.ssh_port)
    env = {**os.environ, "HOME": str(home),
           "PATH": f"/usr/lib/rancid/bin:{os.environ.get('PATH', '/usr/bin:/bin')}"}
    result = subprocess.run(["hrancid", "-t", "hp", chassis.host], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=180, check=False)
    backup = tmp_path / f"{chassis.host}.new"
    assert result.returncode == 0 and result.stderr == "", (result.stdout, result.stderr)
    text = backup.read_text()
    assert ";RANCID-CONTENT-TYPE: hp" in text
    assert ";Chassis type: J8715A" in text
    assert "; Running configuration has been changed and needs to be saved." in text
    assert 'hostname "rancid-core"' in text
    assert 'vlan 10\n   name "Servers"\n   untagged A1-A4' in text
    assert 'vlan 20\n   name "Voice"' in text
