"""show name, show vlans ports, show interfaces transceiver and show tech transceivers."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from emulator.cli.context import CONFIG

if TYPE_CHECKING:
    from conftest import Cli


@pytest.fixture
def configured(cli: Cli) -> Cli:
    cli.session.enter(CONFIG)
    for line in ("vlan 10 untagged A1", "vlan 20 tagged A1,A2", 'interface A1 name "uplink"'):
        assert cli(line) == "", line
    cli.session.end()
    return cli


def test_show_name_lists_every_port_with_its_name(configured: Cli) -> None:
    lines = configured("show name").split("\n")
    assert lines[:5] == ["", " Port Names", "", "  Port   Type      Name",
                         "  ------ --------- " + "-" * 58]
    assert lines[5] == "  A1     100/1000T uplink"
    assert lines[6] == "  A2     100/1000T"
    assert len(lines) == 5 + 48 and lines[-1] == "  B24    100/1000T"


def test_show_name_of_ports_prints_a_block_each(configured: Cli) -> None:
    assert configured("show name A1-A2") == (
        "\n Port Names\n\n"
        "  Port : A1\n    Type : 100/1000T\n    Name : uplink\n\n"
        "  Port : A2\n    Type : 100/1000T\n    Name :")
    assert configured("show name C1") == "Module not present for port or invalid port: C1"


def test_show_vlans_ports_lists_the_port_vlans(configured: Cli) -> None:
    assert configured("show vlans ports A1") == (
        "\n Status and Counters - VLAN Information - for ports A1\n\n"
        "  VLAN ID Name                             | Status     Voice Jumbo\n"
        "  ------- -------------------------------- + ---------- ----- -----\n"
        "  10      VLAN10                           | Port-based No    No\n"
        "  20      VLAN20                           | Port-based No    No")
    detail = configured("show vlans ports A2 detail").split("\n")
    assert detail[3].endswith("Jumbo Mode") and detail[4].endswith(" --------")
    assert detail[5:] == [
        "  1       DEFAULT_VLAN                     | Port-based No    No    Untagged",
        "  20      VLAN20                           | Port-based No    No    Tagged"]


def test_show_vlans_ports_of_a_missing_module_is_refused(cli: Cli) -> None:
    assert cli("show vlans ports D3") == "Module not present for port or invalid port: D3"
    assert cli("show vlans ports").startswith("Incomplete input")


@pytest.mark.parametrize("command", ["show interfaces transceiver", "show tech transceivers",
                                     "show interfaces transceiver A1-A4"])
def test_transceiver_table_is_empty_on_copper_modules(cli: Cli, command: str) -> None:
    assert cli(command) == (
        "\nTransceiver Technical Information:\n\n"
        + " Port    Type      Prod #     Serial #          Part #\n"
        " ------- --------- ---------- ----------------- ----------")


def test_transceiver_detail_has_no_block(cli: Cli) -> None:
    assert cli("show interfaces transceiver detail") == "\nTransceiver Technical Information:"
    assert cli("show interfaces transceiver E1 detail").startswith("Module not present")


def test_show_interfaces_config_follows_enable(cli: Cli) -> None:
    cli.session.enter(CONFIG)
    assert cli("interface A2 disable") == ""
    cli.session.end()
    assert cli("show interfaces config A1-A2") == (
        "\n Port Settings\n\n"
        "  Port   Type      | Enabled Mode         Flow Ctrl MDI\n"
        "  ------ --------- + ------- ------------ --------- ----\n"
        "  A1     100/1000T | Yes     Auto         Disable   Auto\n"
        "  A2     100/1000T | No      Auto         Disable   Auto")
    assert len(cli("show interfaces config").split("\n")) == 5 + 48
