"""`include-credentials` and the accounts it writes: `password manager user-name "admin" sha1
"..."` (the SHA-1 of the password, the manual's form) right after it, typed or read from a
startup config; the hash logs in; a startup config holding include-credentials brings its own
accounts and the ones on flash are erased; a bad hash is refused."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

import pytest

from emulator.config.render import render_config
from emulator.device import Device
from tests.emulator.replaying import replay_text

if TYPE_CHECKING:
    from conftest import Cli

FOX = "2fd4e1c67a2d28fced849ee1bb76e7391b93eb12"
"""The manual's example hash (George's): SHA-1 of "The quick brown fox jumps over the lazy dog"."""
SECRET = "The quick brown fox jumps over the lazy dog"


def test_the_manuals_example_is_the_sha1_of_the_password() -> None:
    assert hashlib.sha1(SECRET.encode()).hexdigest() == FOX


def test_a_startup_config_with_include_credentials_brings_its_accounts(device: Device) -> None:
    text = ('hostname "sw"\ninclude-credentials\n'
            f'password manager user-name "George" sha1 "{FOX}"\n')
    booted = replay_text(text, device.inventory)
    assert booted.errors == []
    credentials = booted.device.credentials
    assert credentials.check("George", SECRET) == "manager"
    assert credentials.check("operator", "operator") is None  # flash's accounts erased
    lines = render_config(booted.config).splitlines()
    start = lines.index("include-credentials")
    assert lines[start:start + 2] == [
        "include-credentials", f'password manager user-name "George" sha1 "{FOX}"']
    assert "password manager" not in lines and "password operator" not in lines


def test_typed_accounts_render_as_their_hash(config: Cli, device: Device) -> None:
    assert config("include-credentials") == ""
    assert config('password manager user-name "George" plaintext "' + SECRET + '"') == ""
    text = config("show running-config")
    assert f'password manager user-name "George" sha1 "{FOX}"' in text.splitlines()
    operator = hashlib.sha1(b"operator").hexdigest()
    assert f'password operator user-name "operator" sha1 "{operator}"' in text.splitlines()
    assert device.credentials.check("George", SECRET) == "manager"


def test_the_hash_line_typed_sets_the_account(config: Cli, device: Device) -> None:
    assert config(f'password operator user-name "viewer" sha1 "{FOX.upper()}"') == ""
    assert device.credentials.check("viewer", SECRET) == "operator"
    assert device.running.password_hashes["operator"] == ("viewer", FOX)
    lines = config("show running-config").splitlines()
    assert lines[-2:] == ["password manager", "password operator"]  # not included: bare


def test_without_include_credentials_the_bare_lines_close_the_config(config: Cli) -> None:
    config("include-credentials")
    assert config("no include-credentials") == ""
    lines = config("show running-config").splitlines()
    assert not [line for line in lines if "sha1" in line]
    assert lines[-2:] == ["password manager", "password operator"]


def test_the_rendered_config_boots_to_itself(config: Cli, device: Device) -> None:
    config("include-credentials")
    config(f'password manager user-name "George" sha1 "{FOX}"')
    text = render_config(device.running)
    again = replay_text(text, device.inventory)
    assert again.errors == [] and render_config(again.config) == text
    assert again.device.credentials.check("George", SECRET) == "manager"


@pytest.mark.parametrize("digest", ["0123", FOX + "0", "z" * 40])
def test_a_malformed_hash_is_refused(config: Cli, device: Device, digest: str) -> None:
    answer = config(f'password manager user-name "x" sha1 "{digest}"')
    assert answer.startswith("Invalid input")
    assert device.credentials.check("manager", "manager") == "manager"
