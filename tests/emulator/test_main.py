"""`procurve-emu` command line: one-line errors with status 2, env vars, flags winning."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from emulator import main

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in main.ENV.values():
        monkeypatch.delenv(name, raising=False)


BAD = [
    ["run", "--bogus"],
    ["run", "--ssh-port", "x"],
    ["run", "--ssh-port", "70000"],
    ["run", "--telnet-port"],
    ["run", "--timing", "slow"],
    ["run", "--listen", "not an address"],
    ["run", "--hostname", "two words"],
    ["run", "--hostname", "x" * 33],
    ["run", "--startup-config", "/nonexistent/startup"],
    ["run", "--port", "A1"],
    ["run", "--port", "A25=tap:x"],
    ["run", "--module", "A=J9999A"],
    ["run", "--module", "M=J8702A"],
    ["run", "--module", "13=J8702A"],
    ["run", "--module", "A"],
    ["run", "--module", "A=J8702A", "--module", "a=J9550A"],
    ["run", "--port", "Q1=tap:x"],
    ["run", "--port", "A1=vde:x"],
    ["run", "--port", "A1=tap:"],
    ["run", "--port", "A1=tap:name-longer-than-15"],
    ["run", "--port", "A1=udp:1:host"],
    ["run", "--port", "A1=udp:0:host:2"],
    ["run", "--port", "A1=udp:1:host:99999"],
    ["run", "--port", "A1=tap:a", "--port", "a1=tap:b"],
    ["run", "--ssh-port", "2000", "--telnet-port", "2000"],
    ["run", "--mgmt-netns", "a/b"],
    ["run", "--mgmt-netns", ".."],
    ["fly"],
    [],
]


@pytest.mark.parametrize("argv", BAD, ids=" ".join)
def test_bad_flags_give_one_line_and_status_2(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main.main(argv) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("procurve-emu: error: "), err


def test_bad_flag_from_the_real_command() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "emulator.main", "run", "--ssh-port", "nope"],
        cwd=REPO, capture_output=True, text=True, timeout=30,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "procurve-emu: error: argument --ssh-port: invalid port 'nope' (0-65535)"
    ]


def test_defaults() -> None:
    args = main.parse_args(["run"])
    assert (args.data_dir, args.ssh_port, args.telnet_port, args.snmp_port) == (
        Path("procurve-data"), 2222, 2323, 1161)
    assert (args.listen, args.timing, args.hostname, args.startup_config, args.ports) == (
        "127.0.0.1", "lab", None, None, {})
    assert args.mgmt_netns == "auto"


def test_environment_mirrors_every_flag(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    config = tmp_path / "startup"
    config.write_text("hostname \"lab\"\n")
    for name, value in {
        "PROCURVE_DATA_DIR": str(tmp_path / "d"),
        "PROCURVE_HOSTNAME": "core1",
        "PROCURVE_SSH_PORT": "2022",
        "PROCURVE_TELNET_PORT": "2023",
        "PROCURVE_SNMP_PORT": "2161",
        "PROCURVE_LISTEN": "::1",
        "PROCURVE_TIMING": "fast",
        "PROCURVE_STARTUP_CONFIG": str(config),
        "PROCURVE_PORTS": "a1=tap:lab1, A2=afpacket:eth1  B24=udp:5000:10.0.0.2:5001",
        "PROCURVE_MGMT_NETNS": "self",
        "PROCURVE_MODULES": "a=j9550a, 3=J9538A  L=J8705A",
    }.items():
        monkeypatch.setenv(name, value)
    args = main.parse_args(["run"])
    assert args.data_dir == tmp_path / "d"
    assert (args.hostname, args.ssh_port, args.telnet_port, args.snmp_port) == (
        "core1", 2022, 2023, 2161)
    assert (args.listen, args.timing, args.startup_config) == ("::1", "fast", 'hostname "lab"\n')
    assert args.ports == {"A1": "tap:lab1", "A2": "afpacket:eth1",
                          "B24": "udp:5000:10.0.0.2:5001"}
    assert args.mgmt_netns == "self"
    assert args.modules == {"A": "J9550A", "C": "J9538A", "L": "J8705A"}
    assert main.parse_args(["status"]).data_dir == tmp_path / "d"


def test_flags_win_over_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROCURVE_SSH_PORT", "2022")
    monkeypatch.setenv("PROCURVE_TIMING", "real")
    monkeypatch.setenv("PROCURVE_PORTS", "A1=tap:fromenv")
    args = main.parse_args(["run", "--ssh-port", "3022", "--port", "A3=tap:flag"])
    assert (args.ssh_port, args.timing, args.ports) == (3022, "real", {"A3": "tap:flag"})
    monkeypatch.setenv("PROCURVE_MODULES", "A=J9550A")
    assert main.parse_args(["run", "--module", "b=j9534a"]).modules == {"B": "J9534A"}


@pytest.mark.parametrize("name,value", [
    ("PROCURVE_SSH_PORT", "abc"),
    ("PROCURVE_TIMING", "slow"),
    ("PROCURVE_PORTS", "A1=tap:x Z9=tap:y"),
    ("PROCURVE_MODULES", "A=J8702A B=J4820A"),
    ("PROCURVE_HOSTNAME", "a" * 40),
    ("PROCURVE_BASE_MAC", "01:00:5e:00:00:01"),  # multicast
    ("PROCURVE_BASE_MAC", "001871-c3"),
    ("PROCURVE_SERIAL", "sg749hb0mk"),
])
def test_bad_environment_names_the_variable(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    assert main.main(["run"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"procurve-emu: error: {name}: "), err


def test_udp_backend_with_ipv6_peer() -> None:
    args = main.parse_args(["run", "--port", "B1=udp:4000:[2001:db8::1]:4001"])
    assert args.ports == {"B1": "udp:4000:[2001:db8::1]:4001"}


def test_help_documents_first_boot_only(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main.main(["run", "--help"])
    assert exit_.value.code == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "first boot only" in text and "PROCURVE_PORTS" in text


def test_status_without_a_chassis(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main.main(["status", "--data-dir", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no chassis" in err
