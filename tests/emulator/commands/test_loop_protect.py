"""`loop-protect ...` statements and `show loop-protect`: stored, rendered, read back, refused
out of range, and the captured screen's shape with what the fabric reports."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from emulator.config.render import render_config
from emulator.device import Device
from emulator.fabric.loop_protect import LoopStatus
from tests.emulator.replaying import replay_text

if TYPE_CHECKING:
    from conftest import Cli

HEAD = """
 Status and Counters - Loop Protection Information

 Transmit Interval (sec)     : {interval}
 Port Disable Timer (sec)    : {timer}
 Loop Detected Trap          : {trap}

       Loop    Loop     Loop   Time Since  Rx           Port
  Port Protect Detected Count  Last Loop   Action       Status  
  ---- ------- -------- ------ ----------- ------------ --------"""  # noqa: W291


def test_statements_are_stored_rendered_and_read_back(config: Cli, device: Device) -> None:
    for line in ("loop-protect A1-A3", "loop-protect B2 receiver-action no-disable",
                 "loop-protect transmit-interval 2", "loop-protect disable-timer 30",
                 "loop-protect trap loop-detected"):
        assert config(line) == "", line
    lines = config("show running-config").splitlines()
    at = lines.index("loop-protect A1-A3")
    assert lines[at:at + 5] == ["loop-protect A1-A3", "loop-protect B2 receiver-action no-disable",
                                "loop-protect transmit-interval 2",
                                "loop-protect disable-timer 30", "loop-protect trap loop-detected"]
    assert lines[at + 5].startswith("snmp-server community")
    booted = replay_text(render_config(device.running), device.inventory)
    assert booted.errors == [] and booted.config == device.running
    for line in ("no loop-protect A2", "no loop-protect B2", "no loop-protect transmit-interval",
                 "no loop-protect disable-timer", "no loop-protect trap loop-detected"):
        assert config(line) == "", line
    assert [line for line in config("show running-config").splitlines()
            if line.startswith("loop-protect")] == ["loop-protect A1,A3"]


@pytest.mark.parametrize(("line", "error"), [
    ("loop-protect transmit-interval 0", "Invalid input: 0"),
    ("loop-protect transmit-interval 11", "Invalid input: 11"),
    ("loop-protect disable-timer 604801", "Invalid input: 604801"),
    ("loop-protect C1", "Module not present for port or invalid port: C1"),
    ("loop-protect A1 receiver-action send-recv-dis", "Invalid input: send-recv-dis"),
])
def test_refusals(config: Cli, device: Device, line: str, error: str) -> None:
    assert config(line) == error
    assert device.running.loop_protect == {} and device.running.loop_protect_interval == 5


def test_show_loop_protect_as_captured(config: Cli, device: Device) -> None:
    assert config("show loop-protect") == HEAD.format(interval=5, timer="Disabled",
                                                      trap="Disabled")
    for line in ("loop-protect A21-A22", "loop-protect A23 receiver-action no-disable",
                 "loop-protect disable-timer 10", "loop-protect trap loop-detected"):
        assert config(line) == ""
    device.ports["A21"].link_up = device.ports["A22"].link_up = True
    device.loop_protect = [LoopStatus("A21", "send-disable", False, 0, None, False),
                           LoopStatus("A22", "send-disable", True, 5, 6, True)]
    assert config("show loop-protect") == "\n".join([
        HEAD.format(interval=5, timer=10, trap="Enabled"),
        "  A21  Yes     No       0                  send-disable Up",
        "  A22  Yes     Yes      5      6s          send-disable Down",
        "  A23  Yes     No       0                  no-disable   Down"])
    assert config("show loop-protect A22,B1").splitlines()[-2:] == [
        "  A22  Yes     Yes      5      6s          send-disable Down",
        "  B1   No      No       0                  send-disable Down"]
