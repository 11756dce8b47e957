"""Syslog and time against the real servers, in a host namespace on the switch's VLAN 1: rsyslog
receives the switch's events (a login, a link change, a switchover) over UDP and TCP in the
switch's format and with its clock's time, which the chassis keeps across the switchover;
chrony, serving time without touching the host's clock, corrects a chassis clock set hours
off (polled in unicast mode, then heard in broadcast mode), and `show log` follows."""

from __future__ import annotations

import re
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from emulator.testing import eventually, missing_file, missing_root, missing_tool
from tests.e2e.netns import Host, Lab, configure, wait_carrier

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.requires(missing_root("TAP ports and namespaces")),
    pytest.mark.requires(missing_file("/dev/net/tun")),
    pytest.mark.requires(missing_tool("ip", "iproute2")),
]

SWITCH = "10.0.0.5"
SERVER = "10.0.0.1"
TCP_SERVER = "10.0.0.11"
"""A second address of the server's host, for the TCP syslog host (one entry per address)."""
HOURS_OFF = 5 * 3600

RSYSLOG_CONF = """\
global(workDirectory="{dir}")
module(load="imudp")
input(type="imudp" port="514")
module(load="imtcp")
input(type="imtcp" port="1470")
template(name="raw" type="string"
         string="%inputname% %fromhost-ip% %syslogfacility-text%.%syslogseverity-text% %rawmsg%\\n")
*.* action(type="omfile" file="{dir}/messages" template="raw")
"""

CHRONY_CONF = """\
bindaddress {address}
allow all
local stratum 8
broadcast 1 10.0.0.255
cmdport 0
bindcmdaddress /
pidfile {dir}/chronyd.pid
"""


@contextmanager
def daemon(host: Host, argv: list[str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """A server started in the host's namespace and stopped by its own pid."""
    with log.open("wb") as out:
        process = subprocess.Popen(["ip", "netns", "exec", host.ns, *argv], stdout=out,
                                   stderr=subprocess.STDOUT)
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def rsyslog(host: Host, tmp: Path) -> Iterator[Path]:
    """rsyslogd on its own config, files and ports; the file it writes every message to."""
    (tmp / "rsyslog.conf").write_text(RSYSLOG_CONF.format(dir=tmp))
    messages = tmp / "messages"
    messages.touch()
    with daemon(host, ["rsyslogd", "-n", "-f", str(tmp / "rsyslog.conf"), "-i",
                       str(tmp / "rsyslogd.pid")], tmp / "rsyslogd.log"):
        yield messages


def received(messages: Path, pattern: str, count: int = 1) -> list[str]:
    """The lines rsyslog wrote whose message matches `pattern`, once there are `count`."""
    def lines() -> list[str]:
        found = [line for line in messages.read_text().splitlines() if re.search(pattern, line)]
        return found if len(found) >= count else []

    found: list[str] = eventually(lines, 15, lambda: f"{pattern!r} in {messages.read_text()}")
    return found


def up(chassis: Any, lab: Lab, *names: str) -> list[Host]:
    """Hosts on VLAN 1 that reach the switch's address."""
    hosts = [lab.host(name, f"10.0.0.{index + 1}/24") for index, name in enumerate(names)]
    configure(chassis, "vlan 1", f"ip address {SWITCH}/24", "exit")
    for host in hosts:
        wait_carrier(host, up=True)
    eventually(lambda: hosts[0].ping(SWITCH, count=1), 15, f"{SWITCH} to answer", poll=0)
    return hosts


@pytest.mark.requires(missing_tool("rsyslogd", "rsyslog"))
def test_rsyslog_receives_login_link_change_and_switchover(chassis_factory: Any, lab: Lab,
                                                           tmp_path: Path) -> None:
    chassis = chassis_factory.start("--port", f"A1=tap:{lab.tap('srv')}",
                                    "--port", f"A2=tap:{lab.tap('h2')}")
    server, _ = up(chassis, lab, "srv", "h2")
    subprocess.run(["ip", "-n", server.ns, "addr", "add", f"{TCP_SERVER}/24", "dev",
                    server.dev], check=True)
    with rsyslog(server, tmp_path) as messages:
        configure(chassis, "time 03:04:05 07/14/2031", f"logging {SERVER}",
                  f"logging {TCP_SERVER} tcp", "logging facility local5", "write memory")
        chassis.show("show version")  # a login after the hosts are configured
        login = received(messages, r"mgr: SME SSH from 127\.0\.0\.1 - MANAGER Mode", 2)
        stamp = r"<174>Jul 14 03:0\d:\d\d 10\.0\.0\.5 00179 mgr: SME SSH"
        assert {line.split()[0] for line in login} == {"imudp", "imtcp"}, login
        assert all(re.search(stamp, line) for line in login), login
        assert all(f" {SWITCH} local5.info <174>" in line for line in login), login

        configure(chassis, "interface A2 disable")
        off = received(messages, r"00076 ports: port A2 is now off-line", 2)
        assert all("local5.info" in line for line in off), off

        new = chassis.switchover()
        took_over = received(messages, rf"{new}: Switchover from MM\d: .*; {new} is now the "
                                       r"active management module", 2)
        assert all("local5.crit" in line and "Jul 14 03:" in line for line in took_over)
        assert chassis.show("show time").strip().endswith(" 2031")  # the chassis kept it


@pytest.mark.requires(missing_tool("chronyd", "chrony"))
def test_chrony_corrects_a_clock_hours_off_and_show_log_follows(chassis_factory: Any,
                                                                 lab: Lab,
                                                                 tmp_path: Path) -> None:
    chassis = chassis_factory.start("--port", f"A1=tap:{lab.tap('srv')}")
    (server,) = up(chassis, lab, "srv")
    (tmp_path / "chrony.conf").write_text(CHRONY_CONF.format(address=SERVER, dir=tmp_path))
    off = time.gmtime(time.time() - HOURS_OFF)
    with daemon(server, ["chronyd", "-x", "-d", "-u", "root", "-f",
                         str(tmp_path / "chrony.conf")], tmp_path / "chronyd.log"):
        configure(chassis, time.strftime("time %H:%M:%S %m/%d/%Y", off))
        assert_clock_near(chassis, time.time() - HOURS_OFF)
        configure(chassis, "timesync sntp", "sntp unicast", f"sntp server priority 1 {SERVER}")
        updated = sntp_updates(chassis, 1)
        assert_clock_near(chassis, time.time())
        # and from the server's broadcasts, once the clock is off again
        configure(chassis, time.strftime("time %H:%M:%S %m/%d/%Y",
                                         time.gmtime(time.time() + HOURS_OFF)))
        assert_clock_near(chassis, time.time() + HOURS_OFF)
        configure(chassis, "sntp broadcast")
        updated = sntp_updates(chassis, 2)
        assert_clock_near(chassis, time.time())
    steps = [int(line.rsplit("by ", 1)[1].split()[0]) for line in updated]
    assert abs(steps[0] - HOURS_OFF) < 60 and abs(steps[1] + HOURS_OFF) < 60, updated
    stamp = time.strptime(" ".join(updated[0].split()[1:3]), "%m/%d/%y %H:%M:%S")
    assert abs(time.mktime(stamp) - time.mktime(time.gmtime())) < 60, updated


def sntp_updates(chassis: Any, count: int) -> list[str]:
    """`show log`'s SNTP updates, once there are `count`."""
    def updates() -> list[str]:
        found = [line for line in chassis.show("show log").splitlines()
                 if "00410 SNTP: updated time by" in line]
        return found if len(found) >= count else []

    found: list[str] = eventually(updates, 15, f"{count} SNTP updates in show log")
    return found


def assert_clock_near(chassis: Any, when: float) -> None:
    """`show time` reads `when` (UTC: the switch's time zone is 0) within a minute."""
    shown = time.strptime(chassis.show("show time").strip(), "%a %b %d %H:%M:%S %Y")
    assert abs(time.mktime(shown) - time.mktime(time.gmtime(when))) < 60, shown
