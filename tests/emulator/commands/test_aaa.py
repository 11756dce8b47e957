"""`aaa authentication ...`, `aaa accounting ...`, `radius-server ...`, `tacacs-server ...` and
their screens: stored, written back as K.15 writes them, read back from a saved config."""

from __future__ import annotations

from typing import TYPE_CHECKING

from emulator.aaa.radius import Counters
from emulator.config.render import render_config
from emulator.device import Device
from tests.emulator.replaying import replay_text

if TYPE_CHECKING:
    from conftest import Cli

AAA_STARTS = ("aaa ", "radius-server", "tacacs-server")


def aaa_lines(config: Cli) -> list[str]:
    return [line for line in config("show running-config").splitlines()
            if line.startswith(AAA_STARTS)]


def test_statements_are_written_in_order_and_read_back(config: Cli, device: Device) -> None:
    assert aaa_lines(config) == []
    for line in ("radius-server host 10.0.0.2 key secret",
                 "radius-server host 10.0.0.3 auth-port 1645 acct-port 1646 key \"two words\"",
                 "radius-server key global", "radius-server timeout 2",
                 "radius-server retransmit 1", "radius-server dead-time 5",
                 "tacacs-server host 10.0.0.4 key tk", "tacacs-server timeout 9",
                 "aaa authentication ssh login radius local",
                 "aaa authentication ssh enable radius local",
                 "aaa authentication telnet login tacacs",
                 "aaa authentication login privilege-mode",
                 "aaa authentication num-attempts 5",
                 "aaa accounting exec start-stop radius",
                 "aaa accounting update periodic 10"):
        assert config(line) == "", line
    assert aaa_lines(config) == [
        'tacacs-server host 10.0.0.4 key "tk"', "tacacs-server timeout 9",
        'radius-server host 10.0.0.2 key "secret"',
        'radius-server host 10.0.0.3 auth-port 1645 acct-port 1646 key "two words"',
        'radius-server key "global"', "radius-server timeout 2", "radius-server retransmit 1",
        "radius-server dead-time 5", "aaa authentication login privilege-mode",
        "aaa authentication num-attempts 5", "aaa authentication telnet login tacacs",
        "aaa authentication ssh login radius local",
        "aaa authentication ssh enable radius local",
        "aaa accounting exec start-stop radius", "aaa accounting update periodic 10"]
    booted = replay_text(render_config(device.running), device.inventory)
    assert booted.errors == [] and booted.config.aaa == device.running.aaa


def test_no_forms_go_back_to_the_defaults(config: Cli) -> None:
    for line in ("radius-server host 10.0.0.2", "radius-server key k", "radius-server timeout 2",
                 "tacacs-server host 10.0.0.4", "tacacs-server key k",
                 "aaa authentication console login radius local",
                 "aaa authentication login privilege-mode",
                 "aaa accounting exec stop-only radius"):
        config(line)
    for line in ("no radius-server host 10.0.0.2", "no radius-server key",
                 "no radius-server timeout", "no tacacs-server host 10.0.0.4",
                 "no tacacs-server key", "aaa authentication console login local none",
                 "no aaa authentication login privilege-mode",
                 "no aaa accounting exec stop-only radius"):
        assert config(line) == "", line
    assert aaa_lines(config) == []


def test_limits_and_pairings_the_switch_refuses(config: Cli) -> None:
    for n in range(3):
        assert config(f"radius-server host 10.0.0.{n + 1}") == ""
    assert config("radius-server host 10.0.0.9") == (
        "Unable to add more RADIUS servers: maximum is 3.")
    assert config("aaa authentication telnet login public-key") == (
        "public-key is only valid for ssh login.")
    assert config("radius-server timeout 16").startswith("Invalid input")
    assert config("aaa authentication ssh login local local") == (
        "When the primary method is local, the secondary must be none.")


def test_show_authentication(config: Cli) -> None:
    config("aaa authentication ssh login radius local")
    config("aaa authentication telnet enable tacacs")
    text = config("show authentication")
    assert "  Login Attempts : 3" in text and "  Respect Privilege : Disabled" in text
    assert "  Console        | Local                   None" in text
    assert "  SSH            | Radius     radius       Local" in text
    assert "  Web-Auth       | ChapRadius radius       None" in text
    enable = text.split("| Enable")[1]
    assert "  Telnet         | Tacacs                  None" in enable
    assert "Port-Access" not in enable


def test_show_accounting(config: Cli) -> None:
    config("aaa accounting exec start-stop radius")
    text = config("show accounting")
    assert "  Exec     | Radius Start-Stop" in text
    assert "  Network  | None" in text


def test_show_radius_and_a_host(config: Cli, device: Device) -> None:
    config("radius-server host 10.0.0.2 key secret")
    config("radius-server key global")
    text = config("show radius")
    assert "  Timeout(secs) : 5" in text and "  Retransmit Attempts : 3" in text
    assert "  Global Encryption Key : global" in text
    assert "  10.0.0.2        1812  1813  secret" in text
    device.radius_counters["10.0.0.2"] = Counters(requests=4, accepts=3, rejects=1, timeouts=2)
    host = config("show radius host 10.0.0.2")
    assert "  Server IP Addr : 10.0.0.2" in host
    assert "  Access Requests         : 4" in host and "  Access Accepts          : 3" in host
    assert "  Timeouts                : 2" in host
    assert config("show radius host 10.0.0.8") == "10.0.0.8 is not a configured RADIUS server."
    auth = config("show radius authentication")
    assert "  NAS Identifier           : HP-8212zl" in auth
    assert auth.splitlines()[-1].split() == ["10.0.0.2", "1812", "2", "4", "0", "3", "1"]
    acct = config("show radius accounting")
    assert acct.splitlines()[-1].split() == ["10.0.0.2", "1813", "0", "0", "0"]


def test_show_tacacs(config: Cli) -> None:
    config("tacacs-server host 10.0.0.4 key tk")
    text = config("show tacacs")
    assert "  Timeout : 5" in text
    assert text.splitlines()[-1].split() == ["10.0.0.4", "0", "0", "0", "0", "0", "0"]
