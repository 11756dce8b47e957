"""The process tree of a real `procurve-emu run`: status, restarts, shutdown, first boot."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import asyncssh
import psutil  # type: ignore[import-untyped]
import pytest

from emulator import hardware
from emulator import testing as harness
from emulator.testing import eventually

pytestmark = pytest.mark.e2e

LOGIN_DEADLINE = 20.0


def tree(pid: int) -> list[psutil.Process]:
    children: list[psutil.Process] = psutil.Process(pid).children(recursive=True)
    return children


async def _ssh_prompt(host: str, port: int, user: str, password: str) -> str:
    """Log in like a human with a pty and return what the switch shows up to its prompt."""
    async with asyncssh.connect(
        host, port, username=user, password=password, known_hosts=None,
        preferred_auth="password,keyboard-interactive",
    ) as conn:
        process = await conn.create_process(term_type="vt100", encoding=None)
        seen = b""
        while not seen.rstrip().endswith(b"#"):
            chunk = await process.stdout.read(4096)
            if not chunk:
                break
            seen += chunk
            if b"any key" in chunk:
                process.stdin.write(b"\r")
        process.close()
        return seen.decode(errors="replace")


def ssh_prompt(chassis: Any) -> str:
    user, password = chassis.credentials
    return asyncio.run(asyncio.wait_for(
        _ssh_prompt(chassis.host, chassis.ssh_port, user, password), LOGIN_DEADLINE
    ))


def test_status_shape(chassis: Any) -> None:
    chassis.wait_roles({"MM1": "active", "MM2": "standby"})
    status = chassis.status()
    assert set(status) == {"chassis", "fabric", "modules", "ports"}
    assert status["chassis"]["pid"] == chassis.pid
    assert status["chassis"]["ssh_port"] == chassis.ssh_port > 0
    assert status["chassis"]["telnet_port"] == chassis.telnet_port > 0
    assert status["chassis"]["snmp_port"] > 0
    assert status["chassis"]["active"] == "MM1"
    mm1, mm2 = status["modules"]
    assert mm1["slot"] == "MM1" and mm1["role"] == "active" and mm1["ready"] is True
    assert mm1["pid"] in {p.pid for p in tree(chassis.pid)}
    assert mm2["slot"] == "MM2" and mm2["role"] == "standby" and mm2["ready"] is True
    assert mm2["pid"] in {p.pid for p in tree(chassis.pid)}
    assert mm1["image"] == mm2["image"] == {"version": "K.15.16.0008", "boot": "primary"}
    assert status["fabric"]["pid"] in {p.pid for p in tree(chassis.pid)}
    assert status["ports"] == []


def test_status_command_prints_json(chassis: Any) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "emulator.main", "status", "--data-dir", str(chassis.data_dir)],
        cwd=harness.REPO, capture_output=True, text=True, timeout=30,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["chassis"]["pid"] == chassis.pid


def test_ready_line_and_login_prompt(chassis: Any) -> None:
    assert (f"HP-8212zl ready: ssh -p {chassis.ssh_port} manager@127.0.0.1 "
            f"(password manager), telnet 127.0.0.1 {chassis.telnet_port}") in chassis.stderr()
    assert "HP-8212zl#" in ssh_prompt(chassis)


def test_data_dir_is_prepared(chassis: Any) -> None:
    data = chassis.data_dir
    assert (data / "chassis.json").is_file()
    for slot in ("mm1", "mm2"):
        assert (data / slot / "images.json").is_file()
        assert (data / slot / "security").is_dir()
    assert list((data / "mm1" / "security").glob("ssh_host_*_key"))


def test_ports_are_reported_from_the_fabric(chassis_factory: Any) -> None:
    running = chassis_factory.start(
        "--port", "b2=udp:40000:127.0.0.1:40001",
        env={"PROCURVE_PORTS": "A1=tap:ignored"},  # flags win
    )
    assert running.status()["ports"] == [
        {"port": "B2", "backend": "udp:40000:127.0.0.1:40001", "link_up": False,
         "own_address_frames": 0}
    ]


def test_environment_configures_a_real_run(chassis_factory: Any) -> None:
    running = chassis_factory.start(env={"PROCURVE_HOSTNAME": "core-1",
                                         "PROCURVE_PORTS": "A1=tap:lab1 A2=tap:lab2"})
    assert [p["port"] for p in running.status()["ports"]] == ["A1", "A2"]
    assert "core-1 ready:" in running.stderr()


def test_sigterm_stops_every_child(chassis: Any) -> None:
    chassis.wait_roles({"MM1": "active", "MM2": "standby"})
    children = tree(chassis.pid)
    assert len(children) == 4  # the zygote, the fabric, MM1 and MM2
    assert chassis.status()["chassis"]["zygote"] in {child.pid for child in children}
    assert chassis.stop() == 0
    _gone, alive = psutil.wait_procs(children, timeout=harness.STOP_DEADLINE)
    assert not alive
    assert not (chassis.data_dir / "control.sock").exists()


def test_sigint_stops_too(chassis: Any) -> None:
    children = tree(chassis.pid)
    chassis.process.send_signal(signal.SIGINT)
    assert chassis.process.wait(timeout=harness.STOP_DEADLINE) == 0
    chassis.stopped = True
    _, alive = psutil.wait_procs(children, timeout=harness.STOP_DEADLINE)
    assert not alive


def test_killed_chassis_leaves_no_orphans(chassis: Any) -> None:
    """SIGKILL (containerlab's stop) cannot be caught: the children notice the backplane is
    gone (their IPC link closes) and exit by themselves."""
    children = tree(chassis.pid)
    netns = chassis.status()["chassis"]["mgmt_netns"]
    chassis.process.kill()
    chassis.process.wait(timeout=harness.STOP_DEADLINE)
    chassis.stopped = True
    _, alive = psutil.wait_procs(children, timeout=harness.STOP_DEADLINE)
    if netns is not None:  # a killed chassis cannot remove its in-band namespace; the test does
        subprocess.run(["ip", "netns", "del", netns], check=False, capture_output=True)
    assert not alive, alive


def test_killed_module_is_restarted_and_serves_again(chassis: Any) -> None:
    chassis.wait_roles({"MM1": "active", "MM2": "standby"})
    before = chassis.module("MM1")
    fabric_pid = chassis.status()["fabric"]["pid"]
    os.kill(before["pid"], signal.SIGKILL)

    def new_ready(status: dict[str, Any]) -> dict[str, Any] | None:
        mm1 = status["modules"][0]
        fresh = mm1["pid"] not in (None, before["pid"]) and mm1["ready"]
        # the standby took over; the rebooted MM1 comes back as standby
        return mm1 if fresh and mm1["role"] == "standby" else None

    after = chassis.wait_until("a new MM1", new_ready)
    assert after["restarts"] == before["restarts"] + 1
    assert chassis.status()["fabric"]["pid"] == fabric_pid  # the ports survive a module crash
    assert "MM1 stopped (killed by SIGKILL); restarting it" in chassis.stderr()
    assert "HP-8212zl#" in ssh_prompt(chassis)


def test_startup_config_errors_are_reported_at_boot(chassis_factory: Any, tmp_path: Path) -> None:
    config = tmp_path / "startup.cfg"
    config.write_text('hostname "edge"\nfrobnicate the switch\nvlan 1\n   name "DEFAULT_VLAN"\n'
                      "   exit\n")
    running = chassis_factory.start("--startup-config", str(config))
    lines = [line for line in running.stderr().splitlines() if "startup-config line" in line]
    assert len(lines) == 1, running.stderr()
    assert lines[0].startswith("procurve-emu: MM1: startup-config line 2: ")
    assert "frobnicate" in lines[0]
    assert "edge ready:" in running.stderr()


def test_startup_config_and_hostname_apply_on_first_boot_only(
    chassis_factory: Any, tmp_path: Path
) -> None:
    running = chassis_factory.start("--hostname", "first")
    startup = running.data_dir / "mm1" / "config" / "startup"
    assert 'hostname "first"' in startup.read_text()
    config = tmp_path / "other.cfg"
    config.write_text('hostname "second"\n')
    assert running.stop() == 0
    again = chassis_factory.start("--startup-config", str(config), "--hostname", "third",
                                  data_dir=running.data_dir)
    assert 'hostname "first"' in startup.read_text()
    assert "first ready:" in again.stderr()


def test_second_chassis_on_the_same_data_dir_is_refused(chassis: Any, chassis_factory: Any) -> None:
    second = chassis_factory.start(data_dir=chassis.data_dir, wait=False)
    assert second.process.wait(timeout=harness.STOP_DEADLINE) == 1
    second.stopped = True
    assert second.stderr().strip().startswith("procurve-emu: another chassis is running")
    assert chassis.module()["ready"]


def test_port_in_use_is_one_line_and_status_1(chassis: Any, chassis_factory: Any) -> None:
    busy = chassis_factory.start("--ssh-port", str(chassis.ssh_port), wait=False)
    assert busy.process.wait(timeout=harness.STOP_DEADLINE) == 1
    busy.stopped = True
    lines = busy.stderr().splitlines()
    assert len(lines) == 1 and "for SSH" in lines[0], lines


def test_console_relay_over_a_pipe(chassis_factory: Any) -> None:
    """stdin/stdout as the serial console: a login typed there reaches the active module's
    CLI, and EOF ends the console only."""
    running = chassis_factory.start(stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    stdin, stdout = running.process.stdin, running.process.stdout
    assert stdin is not None and stdout is not None
    os.set_blocking(stdout.fileno(), False)
    seen = b""

    def type_and_wait(keys: bytes, marker: bytes) -> None:
        nonlocal seen
        stdin.write(keys)
        stdin.flush()

        def arrived() -> bool:
            nonlocal seen
            with contextlib.suppress(BlockingIOError):
                seen += stdout.read(4096) or b""
            return marker in seen

        eventually(arrived, LOGIN_DEADLINE, lambda: f"{marker!r} in {seen!r}", poll=harness.POLL)

    type_and_wait(b"\r", b"Username:")
    type_and_wait(b"manager\r", b"Password:")
    type_and_wait(b"manager\r", b"HP-8212zl#")
    stdin.close()  # EOF: the console goes, the chassis stays
    assert running.module()["ready"]
    assert running.process.poll() is None


def test_every_chassis_on_the_same_data_path_is_its_own(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every container's flash is `/flash`: identity must not come from the path. It is
    drawn at the first boot and kept; PROCURVE_BASE_MAC fixes the MAC of a kept one too."""
    from emulator.chassis.start import prepare_data_dir

    for name in ("PROCURVE_CHASSIS_SEED", "PROCURVE_BASE_MAC", "PROCURVE_SERIAL",
                 "CLAB_LABEL_CLAB_NODE_NAME"):
        monkeypatch.delenv(name, raising=False)
    data = tmp_path / "flash"
    first = prepare_data_dir(data)
    assert prepare_data_dir(data) == first  # kept across restarts
    (data / "chassis.json").unlink()
    second = prepare_data_dir(data)
    assert (second.base_mac, second.serial) != (first.base_mac, first.serial)
    monkeypatch.setenv("PROCURVE_BASE_MAC", "00:18:71:aa:bb:cc")
    fixed = prepare_data_dir(data)
    assert fixed.base_mac == "001871-aabbcc" and fixed.serial == second.serial
    assert json.loads((data / "chassis.json").read_text())["base_mac"] == "001871-aabbcc"


def test_a_new_chassis_holds_the_modules_its_config_or_flags_name(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """On a new data dir the startup config's module lines (lettered or numbered) build the
    chassis, --module wins over them, and a kept chassis keeps its hardware."""
    from emulator.chassis.start import first_modules, prepare_data_dir

    monkeypatch.delenv("PROCURVE_BASE_MAC", raising=False)
    monkeypatch.delenv("PROCURVE_SERIAL", raising=False)
    config = 'hostname "core"\nmodule 1 type j9534a\nmodule C type j9538a\n'
    assert first_modules({}, config) == {"A": "J9534A", "C": "J9538A"}
    assert first_modules({"B": "J9550A"}, config) == {"B": "J9550A"}
    assert first_modules({}, 'hostname "core"\n') is None
    assert first_modules({}, None) is None
    data = tmp_path / "flash"
    built = prepare_data_dir(data, first_modules({}, config))
    assert built.modules == {"A": "J9534A", "C": "J9538A"}
    stored = json.loads((data / "chassis.json").read_text())
    assert stored["modules"] == {"A": "J9534A", "C": "J9538A"}
    assert prepare_data_dir(data, {"B": "J9550A"}).modules == built.modules
    assert prepare_data_dir(tmp_path / "factory").modules == {"A": "J8702A", "B": "J8702A"}



def test_auto_ports_map_onto_the_modules_the_chassis_will_hold(tmp_path: Path) -> None:
    """--auto-ports runs before the data dir is prepared: it must see the same modules."""
    from emulator.chassis.start import expected_modules, first_modules, prepare_data_dir
    from emulator.container import assign_ports

    data = tmp_path / "flash"
    config = "module 1 type j8707a\nmodule 2 type j9538a\n"
    assert expected_modules(data, {}, None) == {"A": "J8702A", "B": "J8702A"}
    assert expected_modules(data, {"C": "J9550A"}, config) == {"C": "J9550A"}
    planned = expected_modules(data, {}, config)
    ports = assign_ports([f"eth{n}" for n in range(1, 7)], {},
                         hardware.Inventory(modules=planned))
    assert list(ports) == ["A1", "A2", "A3", "A4", "B1", "B2"]
    prepare_data_dir(data, first_modules({}, config))
    assert expected_modules(data, {"C": "J9550A"}, None) == planned  # kept hardware


def test_a_startup_config_for_a_mixed_chassis_boots_whole(
        chassis_factory: Any, tmp_path: Path) -> None:
    """A real process on a new data dir: the config's module lines build the chassis, so none
    of them is refused, its ports can be wired, and the saved inventory is that hardware."""
    config = tmp_path / "startup.cfg"
    config.write_text('hostname "mixed"\nmodule 1 type j9536a\nmodule 3 type j9538a\n'
                      "vlan 1\n   name \"DEFAULT_VLAN\"\n   untagged A1-A22,C1-C8\n   exit\n")
    running = chassis_factory.start("--startup-config", str(config),
                                    "--port", "C8=udp:40010:127.0.0.1:40011")
    assert "startup-config line" not in running.stderr()
    assert "mixed ready:" in running.stderr()
    assert [p["port"] for p in running.status()["ports"]] == ["C8"], running.stderr()
    stored = json.loads((running.data_dir / "chassis.json").read_text())
    assert stored["modules"] == {"A": "J9536A", "C": "J9538A"}


def test_a_port_the_modules_do_not_have_is_refused_at_start(chassis_factory: Any) -> None:
    running = chassis_factory.start("--module", "A=J8707A", "--port", "A5=tap:x", wait=False)
    assert running.process.wait(timeout=harness.STOP_DEADLINE) == 1
    running.stopped = True
    lines = running.stderr().splitlines()
    assert lines == ["procurve-emu: cannot wire A5: no such port on this chassis' modules "
                     "(A=J8707A)"], lines
