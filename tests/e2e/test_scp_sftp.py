"""`ip ssh filetransfer` with OpenSSH's own scp (SFTP mode and the legacy protocol, `-O`) and
sftp: a manager fetches the switch's files by their real names and replaces the startup config
(stored on both modules, run at the next boot) and an image; a bad image is refused with the
flash untouched; operators, and everyone before `ip ssh filetransfer`, are refused."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from emulator import hardware, images
from emulator.flash import Flash
from emulator.testing import missing_tool
from tests.e2e.netns import configure

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.requires(missing_tool("sshpass")),
    pytest.mark.requires(missing_tool("scp", "openssh-client")),
    pytest.mark.requires(missing_tool("sftp", "openssh-client")),
]

OPTIONS = ["-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
           "-o", "PubkeyAuthentication=no", "-o", "LogLevel=ERROR"]


def scp(chassis: Any, source: str, target: str, user: str = "manager",
        *flags: str) -> subprocess.CompletedProcess[str]:
    """scp between here and the switch; `:PATH` names a file on the switch."""
    remote = f"{user}@{chassis.host}"
    argv = ["sshpass", "-p", user, "scp", *flags, "-P", str(chassis.ssh_port), *OPTIONS,
            *(remote + p if p.startswith(":") else p for p in (source, target))]
    return subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False)


def sftp(chassis: Any, batch: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    (tmp_path / "batch").write_text(batch)
    # -b turns BatchMode on, which refuses passwords: an -o before it wins (ssh takes the
    # first value of an option), so sshpass can give the password.
    argv = ["sshpass", "-p", "manager", "sftp", "-o", "BatchMode=no", "-b",
            str(tmp_path / "batch"), "-P",
            str(chassis.ssh_port), *OPTIONS, f"manager@{chassis.host}"]
    return subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False,
                          cwd=tmp_path)


def test_scp_and_sftp_fetch_and_replace_the_switchs_files(chassis_factory: Any,
                                                          tmp_path: Path) -> None:
    chassis = chassis_factory.start()
    chassis.wait_roles({"MM1": "active", "MM2": "standby"})
    assert scp(chassis, ":/cfg/startup-config", str(tmp_path / "x")).returncode != 0

    configure(chassis, "ip ssh filetransfer", "write memory")
    fetched = scp(chassis, ":/cfg/startup-config", str(tmp_path / "startup"))
    assert fetched.returncode == 0, fetched.stderr
    startup = (tmp_path / "startup").read_text()
    assert startup == Flash.for_slot(chassis.data_dir, "MM1").read_startup()
    assert "ip ssh filetransfer" in startup
    legacy = scp(chassis, ":/cfg/running-config", str(tmp_path / "running"), "manager", "-O")
    assert legacy.returncode == 0, legacy.stderr
    assert (tmp_path / "running").read_text() == startup
    assert scp(chassis, ":/os/primary", str(tmp_path / "primary")).returncode == 0
    assert images.parse((tmp_path / "primary").read_bytes()).version == (
        hardware.SOFTWARE_REVISION)

    (tmp_path / "new").write_text(startup.replace('hostname "HP-8212zl"', 'hostname "by-scp"'))
    stored = scp(chassis, str(tmp_path / "new"), ":/cfg/startup-config")
    assert stored.returncode == 0, stored.stderr
    for slot in ("MM1", "MM2"):  # durable on both modules when scp returned
        assert 'hostname "by-scp"' in (Flash.for_slot(chassis.data_dir, slot).read_startup()
                                       or "")
    assert 'hostname "HP-8212zl"' in chassis.show("show running-config")  # the next boot

    image = images.build("K.15.17.0008", "03/12/15", b"\0" * 5000)
    (tmp_path / "K_15_17_0008.swi").write_bytes(image)
    (tmp_path / "junk.swi").write_bytes(b"MZ not an image")
    listing = sftp(chassis, "get /cfg/running-config via-sftp\nls /os\n"
                   "put K_15_17_0008.swi /os/secondary\n", tmp_path)
    assert listing.returncode == 0, listing.stderr
    assert (tmp_path / "via-sftp").read_text() == startup
    assert "primary" in listing.stdout and "secondary" in listing.stdout
    assert Flash.for_slot(chassis.data_dir, "MM2").read_image("secondary") == image
    assert "K.15.17.0008" in chassis.show("show flash")

    refused = scp(chassis, str(tmp_path / "junk.swi"), ":/os/primary")
    assert refused.returncode != 0
    assert Flash.for_slot(chassis.data_dir, "MM1").read_image("primary") is None
    assert scp(chassis, ":/cfg/startup-config", str(tmp_path / "y"), "operator").returncode != 0

    chassis = chassis_factory.restart(chassis)
    assert 'hostname "by-scp"' in chassis.show("show running-config")
