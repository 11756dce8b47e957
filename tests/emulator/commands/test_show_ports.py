"""show name, show vlans ports, show interfaces transceiver|config|status|custom|
port-utilization|display and show tech transceivers."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from emulator.cli.context import CONFIG, Level, ModeKind
from emulator.hardware import Inventory

if TYPE_CHECKING:
    from conftest import Cli, NtcParse


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


def test_show_interfaces_config_follows_speed_duplex_and_flow_control(cli: Cli) -> None:
    cli.session.enter(CONFIG)
    assert cli("interface A1 speed-duplex 100-full") == ""
    assert cli("interface A2 speed-duplex auto-10-100") == ""
    assert cli("interface A2 flow-control") == ""
    cli.session.end()
    assert cli("show interfaces config A1-A2").split("\n")[-2:] == [
        "  A1     100/1000T | Yes     100FDx       Disable   Auto",
        "  A2     100/1000T | Yes     Auto-10-100  Enable    Auto"]


@pytest.fixture
def trunked(configured: Cli) -> Cli:
    configured.session.enter(CONFIG)
    for line in ("trunk A5-A6 trk1", "vlan 20 tagged Trk1", "vlan 30 tagged A1",
                 'interface A2 name "a-name-longer-than-ten"',
                 "interface A3 speed-duplex 100-full"):
        assert configured(line) == "", line
    configured.session.end()
    return configured


def test_show_interfaces_status(trunked: Cli, ntc: NtcParse) -> None:
    lines = trunked("show interfaces status").split("\n")
    assert lines[:3] == [
        "",
        "  Port     Name       Status  Config-mode   Speed    Type       Tagged Untagged",
        "  -------- ---------- ------- ------------- -------- ---------- ------ --------"]
    assert lines[3:9] == [
        "  A1       uplink     Down    Auto          1000FDx  100/1000T  multi  10",
        "  A2       a-name-... Down    Auto          1000FDx  100/1000T  20     1",
        "  A3                  Down    100FDx        100FDx   100/1000T  No     1",
        "  A4                  Down    Auto          1000FDx  100/1000T  No     1",
        "  A5-Trk1             Down    Auto          1000FDx  100/1000T  20     1",
        "  A6-Trk1             Down    Auto          1000FDx  100/1000T  20     1"]
    assert len(lines) == 3 + 48
    records = ntc("show interfaces status", "\n".join(lines))
    assert records[0] == {"port": "A1", "name": "uplink", "status": "Down",
                          "config_mode": "Auto", "speed": "1000FDx", "type": "100/1000T",
                          "vlan_tagged": "multi", "vlan_untagged": "10"}
    assert len(records) == 48
    assert trunked("show interfaces status B2").split("\n")[3:] == [
        "  B2                  Down    Auto          1000FDx  100/1000T  No     1"]


@pytest.mark.parametrize("inventory", [Inventory(modules={"A": "J9536A"})])
def test_show_interfaces_status_of_an_empty_transceiver_slot(cli: Cli, ntc: NtcParse) -> None:
    assert cli("show interfaces status A21").split("\n")[3:] == [
        "  A21                 Down                                      No     1"]
    assert ntc("show interfaces status", cli("show interfaces status A21"))[0]["port"] == "A21"


def test_show_interfaces_custom(trunked: Cli) -> None:
    assert trunked("show interfaces custom A1-A2,A5 port name:4 type vlanid intrusion speed "
                   "enabled mdi") == (
        "\n Status and Counters - Custom Port Status\n\n"
        f"{'':31}Intrusion\n"
        " Port    Name Type      VLAN   Alert Speed   Enabled MDI-mode\n"
        " ------- ---- --------- ------ ----- ------- ------- --------\n"
        " A1      upli 100/1000T tagged No    1000FDx Yes     Auto\n"
        " A2      a-na 100/1000T tagged No    1000FDx Yes     Auto\n"
        " A5-Trk1      100/1000T tagged No    1000FDx Yes     Auto")
    assert trunked("show interfaces custom A3 port mode flow bcast status") == (
        "\n Status and Counters - Custom Port Status\n\n"
        f"{'':18}Flow Bcast\n"
        " Port Mode        Ctrl Limit Status\n"
        " ---- ----------- ---- ----- ------\n"
        " A3   100FDx      off  0     Down")


def test_show_interfaces_custom_refusals(cli: Cli) -> None:
    assert cli("show interfaces custom A1 port colour") == "Invalid input: colour"
    assert cli("show interfaces custom A1 name:x") == "Invalid input: name:x"
    assert cli("show interfaces custom C1 port") == (
        "Module not present for port or invalid port: C1")


def test_show_interfaces_port_utilization(trunked: Cli) -> None:
    lines = trunked("show interfaces port-utilization A3,A5").split("\n")
    assert lines[1] == " Status and Counters - Port Utilization"
    assert lines[-2:] == [
        "  A3           100FDx   | 0          0         0      | 0          0          0",
        "  A5-Trk1      1000FDx  | 0          0         0      | 0          0          0"]


def test_show_interfaces_display_is_the_counters_screen(cli: Cli) -> None:
    assert cli("show interfaces display") == cli("show interfaces")


def test_show_interfaces_help_lists_every_screen(cli: Cli) -> None:
    lines = cli.table.help(["show", "interfaces"], "", ModeKind.EXEC, Level.MANAGER)
    assert [line.word for line in lines] == [
        "brief", "config", "custom", "display", "ethernet", "port-utilization", "status",
        "transceiver", "[ethernet] PORT-LIST", "<cr>"]
    assert lines[-2].text == "Show summary of network traffic handled by the ports."
    columns = cli.table.help(["show", "interfaces", "custom", "A1"], "", ModeKind.EXEC,
                             Level.MANAGER)
    assert [line.word for line in columns] == ["COLUMN[:WIDTH]"]
    assert columns[0].text.startswith("A column: port, type, status, speed, mode, mdi, flow")


def test_show_vlans_ports_of_a_trunk_and_its_members(trunked: Cli) -> None:
    detail = trunked("show vlans ports Trk1 detail").split("\n")
    assert detail[1] == " Status and Counters - VLAN Information - for ports Trk1"
    assert detail[5:] == [
        "  1       DEFAULT_VLAN                     | Port-based No    No    Untagged",
        "  20      VLAN20                           | Port-based No    No    Tagged"]
    assert trunked("show vlans ports A5").split("\n")[5:] == [
        line.removesuffix("    Untagged").removesuffix("    Tagged").rstrip()
        for line in detail[5:]]
    assert trunked("show vlans ports Trk2") == "Module not present for port or invalid port: Trk2"
