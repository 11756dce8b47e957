"""`ip ssh ...`, `crypto key generate|zeroize ssh`, `show ip ssh` and `show crypto
host-public-key`: the settings stored and written back, the key actions handed to the
module's hook after the switch's question."""

from __future__ import annotations

from typing import TYPE_CHECKING

from emulator.config.render import render_config
from emulator.device import Device
from tests.emulator.replaying import replay_text

if TYPE_CHECKING:
    from conftest import Cli


def ssh_lines(config: Cli) -> list[str]:
    return [line for line in config("show running-config").splitlines()
            if "ip ssh" in line]


def test_settings_away_from_the_defaults_are_written_and_read_back(config: Cli,
                                                                   device: Device) -> None:
    assert ssh_lines(config) == []
    for line in ("ip ssh port 2222", "ip ssh timeout 30", "no ip ssh cipher 3des-cbc",
                 "no ip ssh cipher aes128-cbc", "no ip ssh mac hmac-md5", "no ip ssh"):
        assert config(line) == ""
    assert ssh_lines(config) == ["no ip ssh", "ip ssh port 2222", "ip ssh timeout 30",
                                 "no ip ssh cipher aes128-cbc", "no ip ssh cipher 3des-cbc",
                                 "no ip ssh mac hmac-md5"]
    booted = replay_text(render_config(device.running), device.inventory)
    assert booted.errors == [] and booted.config.ssh == device.running.ssh
    for line in ("ip ssh", "ip ssh port default", "ip ssh timeout 120",
                 "ip ssh cipher 3des-cbc", "ip ssh cipher aes128-cbc", "ip ssh mac hmac-md5"):
        config(line)
    assert ssh_lines(config) == []


def test_bad_values_are_refused(config: Cli) -> None:
    assert config("ip ssh timeout 4").startswith("Invalid input")
    assert config("ip ssh cipher blowfish").startswith("Invalid input")
    for name in ("hmac-sha1-96", "hmac-md5", "hmac-sha1"):
        config(f"no ip ssh mac {name}")
    assert config("no ip ssh mac hmac-md5-96") == "At least one cipher must be enabled."


def test_show_ip_ssh(config: Cli, device: Device) -> None:
    device.host_public_keys, device.host_key_bits = ["ssh-rsa AAAA"], 2048
    device.open_session("console", "")
    device.open_session("ssh", "10.0.0.9", 50022)
    config("no ip ssh cipher 3des-cbc")
    text = config("show ip ssh")
    assert "  SSH Enabled     : Yes" in text and "Secure Copy Enabled : No" in text
    assert "  TCP Port Number : 22" in text and "Timeout (sec)       : 120" in text
    assert "  Host Key Type   : RSA" in text and "Host Key Size       : 2048" in text
    assert "  Ciphers : aes256-ctr,aes256-cbc,rijndael-cbc@lysator.liu.se,aes192-ctr," in text
    assert "3des-cbc" not in text
    assert "  MACs    : hmac-sha1-96,hmac-md5,hmac-sha1,hmac-md5-96" in text
    assert "  1   console  |" in text
    assert "  2   ssh      | 10.0.0.9" + " " * 39 + "50022" in text
    assert "  7   inactive |" in text


def test_key_actions_reach_the_module_hook(config: Cli, device: Device) -> None:
    asked: list[int | None] = []

    async def hook(bits: int | None) -> None:
        asked.append(bits)

    device.on_host_key.append(hook)
    assert config("crypto key generate ssh rsa bits 1024") == ""
    assert config("crypto key generate ssh") == ""
    assert config("crypto key zeroize ssh") == ""
    assert asked == [1024, 2048, None]
    assert config("show crypto host-public-key") == "No host key: use crypto key generate ssh."
    device.host_public_keys = ["ssh-rsa AAAA", "ecdsa-sha2-nistp256 AAAA"]
    assert config("show crypto host-public-key") == "ssh-rsa AAAA\necdsa-sha2-nistp256 AAAA\n"
    assert config("crypto key generate ssh rsa bits 512").startswith("Invalid input")
