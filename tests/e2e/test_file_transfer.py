"""File transfer against the real servers, from a host namespace on the switch's VLAN 1:
tftpd-hpa (Debian's in.tftpd, on its own directory) receives the running config and gives a
changed one back as the startup config, which the switch reboots into; it serves an image that
`copy tftp flash` puts in secondary flash (synced to the standby), and `boot system flash
secondary` boots it, so `show version` reports its version: an upgrade rehearsal. A missing
file and a server that is not there get their error, and the flash is left as it was. The
switch's own TFTP server hands its files to tftp-hpa's client until `no tftp server`."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from emulator import hardware, images
from emulator.flash import Flash
from emulator.labnode import active_ready
from emulator.testing import eventually, missing_file, missing_root, missing_tool
from tests.e2e.netns import Lab, configure
from tests.e2e.test_syslog_time import SERVER, SWITCH, daemon, up

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.requires(missing_root("TAP ports and namespaces")),
    pytest.mark.requires(missing_file("/dev/net/tun")),
    pytest.mark.requires(missing_tool("ip", "iproute2")),
]

NOBODY = "10.0.0.99"
"""An address on the VLAN where no host answers."""
VERSION = "K.15.17.0008"


def tftpd(server: Any, root: Path, log: Path) -> Any:
    """in.tftpd in the host's namespace, serving and accepting files in `root` only."""
    root.mkdir()
    return daemon(server, ["in.tftpd", "--listen", "--foreground", "--create", "--permissive",
                           "--user", "root", "--secure", "--address", f"{SERVER}:69",
                           str(root)], log)


def answer_yes(conn: Any, line: str, until: str = r"#\s*$") -> str:
    """Type `line`, answer its question with y and read to the prompt."""
    conn.write_channel(line + "\n")
    text: str = conn.read_until_pattern(r"\[y/n\]\?")
    conn.write_channel("y")
    return text + conn.read_until_pattern(until, read_timeout=30)


def rebooted(chassis: Any, conn: Any, line: str) -> None:
    """Answer y to `line` and wait until a management module has booted again and an active
    one serves."""
    before = {m["slot"]: m["pid"] for m in chassis.status()["modules"]}
    conn.write_channel(line + "\n")
    conn.read_until_pattern(r"\[y/n\]\?", read_timeout=30)
    conn.write_channel("y")
    chassis.wait_until("a rebooted, serving switch", lambda status: active_ready(status) and any(
        m["pid"] not in (None, before.get(m["slot"])) for m in status["modules"]))


@pytest.mark.requires(missing_tool("in.tftpd", "tftpd-hpa"))
def test_a_config_is_saved_to_and_restored_from_tftpd(chassis_factory: Any, lab: Lab,
                                                      tmp_path: Path) -> None:
    chassis = chassis_factory.start("--port", f"A1=tap:{lab.tap('srv')}")
    (server,) = up(chassis, lab, "srv")
    root = tmp_path / "tftpboot"
    with tftpd(server, root, tmp_path / "tftpd.log"):
        configure(chassis, 'hostname "saved"', "write memory")
        conn = chassis.netmiko()
        try:
            assert conn.send_command(f"copy running-config tftp {SERVER} sw.cfg",
                                     expect_string=r"#").strip() == ""
            saved = (root / "sw.cfg").read_text()
            assert saved.startswith("; J8715A Configuration Editor") and 'hostname "saved"' in saved
            assert saved.strip() in conn.send_command("show running-config")

            missing = conn.send_command(f"copy tftp startup-config {SERVER} none.cfg",
                                        expect_string=r"\[y/n\]\?")
            assert "Device may be rebooted, do you want to continue [y/n]?" in missing
            conn.write_channel("y")
            assert "Transfer failed: File not found." in conn.read_until_pattern(r"#\s*$")
            silent = conn.send_command(f"copy running-config tftp {NOBODY} sw.cfg",
                                       expect_string=r"#", read_timeout=30)
            assert "Transfer failed: timed out." in silent
            assert 'hostname "saved"' in conn.send_command("show config")

            (root / "restore.cfg").write_text(saved.replace('hostname "saved"',
                                                            'hostname "restored"'))
            rebooted(chassis, conn, f"copy tftp startup-config {SERVER} restore.cfg")
        finally:
            conn.disconnect()
        assert 'hostname "restored"' in chassis.show("show running-config")


@pytest.mark.requires(missing_tool("in.tftpd", "tftpd-hpa"))
def test_an_image_upgrade_rehearsal(chassis_factory: Any, lab: Lab, tmp_path: Path) -> None:
    chassis = chassis_factory.start("--port", f"A1=tap:{lab.tap('srv')}")
    chassis.wait_roles({"MM1": "active", "MM2": "standby"})
    (server,) = up(chassis, lab, "srv")
    root = tmp_path / "tftpboot"
    image = images.build(VERSION, "03/12/15", bytes(range(256)) * 400)
    with tftpd(server, root, tmp_path / "tftpd.log"):
        (root / "K_15_17_0008.swi").write_bytes(image)
        configure(chassis, "write memory")
        conn = chassis.netmiko()
        try:
            text = answer_yes(conn, f"copy tftp flash {SERVER} K_15_17_0008.swi secondary")
            assert "The Secondary OS Image will be deleted, continue [y/n]?" in text
            assert "00100K" in text and "Validating and Writing System Software to FLASH" in text
            flash = conn.send_command("show flash")
            assert f"Secondary Image : {len(image):>10} 03/12/15 {VERSION}" in flash
            for slot in ("MM1", "MM2"):  # durable on both modules when the prompt returned
                assert Flash.for_slot(chassis.data_dir, slot).read_image("secondary") == image
            rebooted(chassis, conn, "boot system flash secondary")
        finally:
            conn.disconnect()
    version = eventually(lambda: chassis.show("show version"), 30, "show version")
    assert VERSION in version and "Boot Image:     Secondary" in version
    assert f"revision {VERSION}," in chassis.show("getMIB sysDescr.0")  # pollers see it too


@pytest.mark.requires(missing_tool("tftp", "tftp-hpa"))
def test_a_host_fetches_the_switchs_files_from_its_tftp_server(chassis_factory: Any, lab: Lab,
                                                                tmp_path: Path) -> None:
    chassis = chassis_factory.start("--port", f"A1=tap:{lab.tap('srv')}")
    (host,) = up(chassis, lab, "srv")

    def fetch(name: str, local: Path) -> str:
        script = f"mode octet\ntimeout 3\nget {name} {local}\nquit\n"
        done = subprocess.run(["ip", "netns", "exec", host.ns, "tftp", SWITCH], input=script,
                              capture_output=True, text=True, timeout=30, check=False)
        return done.stdout + done.stderr

    fetch("/cfg/running-config", tmp_path / "running")
    assert (tmp_path / "running").read_text().strip() in chassis.show("show running-config")
    fetch("/os/primary", tmp_path / "primary")
    assert images.parse((tmp_path / "primary").read_bytes()).version == (
        hardware.SOFTWARE_REVISION)
    assert "File not found" in fetch("/etc/passwd", tmp_path / "passwd")

    configure(chassis, "no tftp server")
    assert "timed out" in fetch("/cfg/startup-config", tmp_path / "startup").lower()
