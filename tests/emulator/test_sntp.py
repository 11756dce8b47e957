"""The SNTP client: RFC 4330's offset and the answers it must ignore, then against chrony (in a
namespace of the test's own, serving time without touching the host's clock): the servers
are asked in priority order, the chassis clock is corrected and the update is logged."""

from __future__ import annotations

import asyncio
import ipaddress
import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from emulator.clock import ChassisClock
from emulator.config.model import SntpServer, SwitchConfig
from emulator.events import EventLog
from emulator.sntp import MODE_SERVER, PACKET, SntpClient, offset, request, to_ntp
from emulator.testing import eventually, missing_root, missing_tool, require

SENT = 2_000_000_000.0


def answer(receive: float, transmit: float, *, first: int = 3 << 3 | MODE_SERVER,
           stratum: int = 2, originate: float = SENT) -> bytes:
    return PACKET.pack(first, stratum, 0, 0, 0, 0, b"GPS\0", 0, to_ntp(originate),
                       to_ntp(receive), to_ntp(transmit))


def test_offset_is_the_mean_of_both_legs() -> None:
    # the server is 100 s ahead; 0.2 s each way
    assert offset(answer(SENT + 100.2, SENT + 100.3), SENT, SENT + 0.5) == pytest.approx(100.0)


@pytest.mark.parametrize("bad", [
    answer(SENT, SENT, first=3 << 3 | 3),              # a client's packet, not a server's
    answer(SENT, SENT, first=3 << 6 | 3 << 3 | 4),     # leap indicator 3: unsynchronized
    answer(SENT, SENT, stratum=0),                     # kiss-o'-death
    answer(SENT, SENT, originate=SENT + 1),             # not the answer to our request
    answer(SENT, SENT)[:40],                           # short
])
def test_answers_rfc4330_says_to_ignore(bad: bytes) -> None:
    assert offset(bad, SENT, SENT) is None


def test_request_carries_version_mode_and_transmit_time() -> None:
    fields = PACKET.unpack(request(4, SENT))
    assert fields[0] == 4 << 3 | 3 and fields[-1] == to_ntp(SENT)


CHRONY_CONF = """\
bindaddress 127.0.0.1
allow all
local stratum 8
cmdport 0
bindcmdaddress /
pidfile {dir}/chronyd.pid
"""


@pytest.fixture
def chrony(tmp_path: Path) -> Iterator[str]:
    """chronyd -x (it never sets a clock) on 127.0.0.1:123 of a namespace made for it; the
    namespace's name."""
    require(missing_root("network namespaces"), missing_tool("chronyd", "chrony"))
    ns = f"pe-sntp-{os.getpid()}"
    subprocess.run(["ip", "netns", "add", ns], check=True)
    subprocess.run(["ip", "-n", ns, "link", "set", "lo", "up"], check=True)
    (tmp_path / "chrony.conf").write_text(CHRONY_CONF.format(dir=tmp_path))
    process = subprocess.Popen(["ip", "netns", "exec", ns, "chronyd", "-x", "-d", "-u", "root",
                                "-f", str(tmp_path / "chrony.conf")],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        yield ns
    finally:
        process.terminate()
        process.wait(10)
        subprocess.run(["ip", "netns", "del", ns], check=False)


@pytest.mark.e2e
def test_chrony_corrects_the_clock_from_the_first_server_that_answers(chrony: str) -> None:
    cfg = SwitchConfig()
    cfg.sntp_server_set(1, SntpServer(ipaddress.IPv4Address("192.0.2.1")))  # no route there
    cfg.sntp_server_set(2, SntpServer(ipaddress.IPv4Address("127.0.0.1"), 4))
    clock = ChassisClock(None, -7200.0)
    events = EventLog(clock=clock.now)
    client = SntpClient(lambda: cfg, clock, events, chrony)
    assert not client.active()
    cfg.set_timesync("sntp")
    cfg.set_sntp_mode("unicast")
    assert client.active()
    eventually(lambda: asyncio.run(client.poll()), 10, "chrony to answer")
    assert abs(clock.now() - time.time()) < 1
    logged = events.events[-1]
    assert (logged.subsystem, logged.number) == ("SNTP", 410)
    assert logged.text == "updated time by 7200 seconds"


@pytest.mark.e2e
def test_no_answer_leaves_the_clock_alone(chrony: str) -> None:
    cfg = SwitchConfig()
    cfg.sntp_server_set(1, SntpServer(ipaddress.IPv4Address("127.0.0.2")))  # nobody listens
    clock = ChassisClock(None, -7200.0)
    client = SntpClient(lambda: cfg, clock, EventLog(), chrony)
    assert asyncio.run(client.poll()) is False
    assert clock.offset == -7200.0


def broadcast(transmit: float, *, first: int = 3 << 3 | 5) -> bytes:
    return PACKET.pack(first, 2, 0, 0, 0, 0, b"GPS\0", 0, 0, 0, to_ntp(transmit))


def test_broadcasts_follow_the_first_server_heard() -> None:
    cfg = SwitchConfig()
    clock = ChassisClock(None, -7200.0)
    events = EventLog(clock=clock.now)
    client = SntpClient(lambda: cfg, clock, events)
    assert not client.heard(broadcast(time.time(), first=3 << 3 | 4), "10.0.0.1")  # not mode 5
    assert not client.heard(broadcast(time.time())[:40], "10.0.0.1")
    assert client.heard(broadcast(time.time()), "10.0.0.1")
    assert abs(clock.now() - time.time()) < 1
    assert events.events[-1].text == "updated time by 7200 seconds"
    assert not client.heard(broadcast(time.time() + 600), "10.0.0.2")  # another server: ignored
    assert abs(clock.now() - time.time()) < 1
    client.heard_at -= 3 * cfg.sntp_poll  # the first one silent for three poll intervals
    assert client.heard(broadcast(time.time() + 600), "10.0.0.2")
    assert abs(clock.now() - time.time() - 600) < 1
