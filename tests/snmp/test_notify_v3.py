"""SNMPv3 notifications from the agent to net-snmp's snmptrapd: informs after discovering the
receiver's engine (no engine ID configured at the receiver), traps with the switch's own
engine ID, nothing delivered and a bounded number of tries when the receiver has another
password or never answers; keys localized to a foreign engine as pysnmp localizes them."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

import pytest
from pyasn1.type.univ import OctetString
from pysnmp.proto.secmod.rfc3414 import localkey

from emulator.config.model import (
    Snmpv3Group,
    Snmpv3Level,
    Snmpv3Notify,
    Snmpv3Params,
    Snmpv3Target,
)
from emulator.device import Device
from emulator.flash import Flash
from emulator.module import report
from emulator.testing import missing_tool
from snmp.crypto import AUTH
from snmp.message_v3 import Level
from snmp.mib import object_id, timeticks
from snmp.notify import COLD_START, LINK_DOWN, SNMP_TRAP_OID_0, SNMP_TRAPS, SYS_UPTIME_0, Notifier
from snmp.notify_v3 import INFORMS_DROPPED, QUEUE_DEPTH, Target, targets
from snmp.users import Store, User, engine_id, store_user
from tests.e2e.snmp_receiver import receiving, v3_conf
from tests.snmp.conftest import Running, serving

pytestmark = pytest.mark.requires(missing_tool("snmptrapd"))

USER, AUTH_PASS, PRIV_PASS = "mon", "authpass1", "privpass1"
LOOPBACK = ipaddress.IPv4Address("127.0.0.1")
COLD_START_OID = "." + ".".join(map(str, COLD_START))
LINK_DOWN_OID = "." + ".".join(map(str, LINK_DOWN))
IF_INDEX_1 = ".1.3.6.1.2.1.2.2.1.1.1 = INTEGER: 1"
WARM_START = (*SNMP_TRAPS, 2)
WRONG_DIGEST = "Verification failed"
"""net-snmp's USM debug message for a digest its key does not reproduce."""
DEADLINE = 60.0
"""Upper bound on one inform's whole life in these tests (it ends well before)."""


def configure(device: Device, port: int, inform: bool, level: Snmpv3Level = Snmpv3Level.PRIV,
              retries: int = 3, timeout: int = 1500) -> None:
    """A SHA/AES user and one target at 127.0.0.1:`port`, as the CLI makes them."""
    running = device.running
    running.snmpv3_enable(True)
    running.snmpv3_user_add(USER)
    running.snmpv3_group_set(USER, Snmpv3Group.MANAGER_PRIV)
    store_user(device, USER, User.create(engine_id(device.inventory), "sha", AUTH_PASS, "aes",
                                         PRIV_PASS))
    running.snmpv3_params_set("p", Snmpv3Params(USER, level))
    running.snmpv3_target_set("nms", Snmpv3Target(LOOPBACK, "p", ("t",), retries, timeout, port))
    running.snmpv3_notify_set("n", Snmpv3Notify("t", inform))


def in_loop(running: Running, coroutine: Coroutine[Any, Any, bool]) -> bool:
    return asyncio.run_coroutine_threadsafe(coroutine, running.loop).result(DEADLINE)


def inform(running: Running, device: Device) -> bool:
    """One inform to the configured target, sent on the agent's loop: acknowledged? An agent
    started without notifications (no coldStart) gets a notifier for it."""
    agent = running.agent
    assert agent.transport is not None
    if agent.notifier is None:
        agent.notifier = Notifier(device, agent.transport, report)
    [target] = targets(device, 162)
    user = Store.read(device.flash).users[USER]
    varbinds = [(SYS_UPTIME_0, timeticks(0)), (SNMP_TRAP_OID_0, object_id(WARM_START))]
    return in_loop(running, agent.notifier.v3.inform(target, user, varbinds))


@pytest.mark.parametrize("level", [Snmpv3Level.PRIV, Snmpv3Level.AUTH])
def test_informs_discover_the_receiver(device: Device, tmp_path: Path,
                                       level: Snmpv3Level) -> None:
    with receiving(tmp_path, v3_conf(USER, AUTH_PASS, PRIV_PASS)) as receiver:
        configure(device, receiver.port, inform=True, level=level)
        with serving(device, notify=True) as running:
            [cold] = receiver.wait_for(COLD_START_OID)
            assert "INFORM" in cold and f"user {USER}" in cold, cold
            assert running.agent.notifier is not None
            running.loop.call_soon_threadsafe(running.agent.notifier.link_changed, "A1", False)
            [down] = receiver.wait_for(LINK_DOWN_OID)
            assert IF_INDEX_1 in down
            assert inform(running, device)  # the Response is taken and matched
            assert device.snmp_counters["snmpInGetResponses"] >= 3
            assert "usmStatsUnknownEngineIDs" not in device.snmp_counters  # not the USM's


def test_a_restarted_receiver_is_discovered_again(device: Device, tmp_path: Path) -> None:
    """snmptrapd comes back with a new engine ID: the inform keyed for the old one gets an
    unknownEngineIDs report, and after a new discovery the retransmission is acknowledged."""
    conf = v3_conf(USER, AUTH_PASS, PRIV_PASS)
    with receiving(tmp_path, conf) as receiver:
        configure(device, receiver.port, inform=True)
        with serving(device) as running:
            assert inform(running, device)
            assert running.agent.notifier is not None
            [before] = running.agent.notifier.v3.peers.values()
            receiver.close()
            with receiving(tmp_path, conf, "usm", port=receiver.port) as again:
                assert inform(running, device)
                again.wait_for("Unknown Engine ID", count=2, prefix="usm")  # inform, probe
            [after] = running.agent.notifier.v3.peers.values()
    assert after.engine_id != before.engine_id


def test_wrong_password_at_the_receiver_ends_the_inform(device: Device,
                                                         tmp_path: Path) -> None:
    with receiving(tmp_path, v3_conf(USER, "otherpass1", "otherpass2"), "usm") as receiver:
        configure(device, receiver.port, inform=True, retries=1, timeout=100)
        with serving(device) as running:
            assert not inform(running, device)
        receiver.wait_for(WRONG_DIGEST, prefix="usm")  # it came, and was refused
        assert receiver.traps() == []


def test_a_silent_receiver_gets_retries_plus_one_probes(device: Device) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as silent:
        silent.bind(("127.0.0.1", 0))
        configure(device, silent.getsockname()[1], inform=True, retries=2, timeout=20)
        with serving(device) as running:
            assert not inform(running, device)
        silent.setblocking(False)
        probes = []
        while True:
            try:
                probes.append(silent.recv(2048))
            except BlockingIOError:
                break
    assert len(probes) == 3
    assert all(b"\x04\x00\x02\x01\x00\x02\x01\x00\x04\x00" in p for p in probes)  # empty IDs


def test_traps_carry_the_switch_engine_id(device: Device, tmp_path: Path) -> None:
    engine = engine_id(device.inventory).hex()
    with receiving(tmp_path, v3_conf(USER, AUTH_PASS, PRIV_PASS, engine)) as receiver:
        configure(device, receiver.port, inform=False)
        with serving(device, notify=True):
            [cold] = receiver.wait_for(COLD_START_OID)
    assert "TRAP2" in cold and f"user {USER}" in cold, cold


def test_keys_for_a_receiver_engine_match_pysnmp() -> None:
    ours, theirs = bytes.fromhex("8000000b03001871c3f2ff"), bytes.fromhex("80001f8880aabbcc")
    user = User.create(ours, "sha", AUTH_PASS, "aes", PRIV_PASS).localized(theirs)
    assert user is not None
    oracle = OctetString(theirs)
    assert user.auth_key == bytes(localkey.password_to_key_sha(AUTH_PASS.encode(), oracle))
    assert user.priv_key == bytes(localkey.password_to_key_sha(PRIV_PASS.encode(), oracle))
    legacy = User("sha", None, AUTH["sha"].key(AUTH_PASS, ours))
    assert legacy.localized(theirs) is None  # keys stored before master keys were kept


def test_tags_select_targets(device: Device) -> None:
    running = device.running
    running.snmpv3_params_set("p", Snmpv3Params(USER, Snmpv3Level.AUTH))
    running.snmpv3_target_set("a", Snmpv3Target(LOOPBACK, "p", ("x", "y"), udp_port=1162))
    running.snmpv3_target_set("b", Snmpv3Target(LOOPBACK, "missing", ("x",)))
    running.snmpv3_target_set("c", Snmpv3Target(LOOPBACK, "p", ("z",), 1, 200))
    running.snmpv3_notify_set("n1", Snmpv3Notify("x", inform=True))
    running.snmpv3_notify_set("n2", Snmpv3Notify("y", inform=True))
    running.snmpv3_notify_set("n3", Snmpv3Notify("z"))
    assert targets(device, 9162) == [
        Target(("127.0.0.1", 1162), USER, Level.AUTH, True, 15.0, 3),
        Target(("127.0.0.1", 9162), USER, Level.AUTH, False, 2.0, 1),
    ]


def test_informs_to_a_silent_receiver_wait_in_a_bounded_queue(
        device: Device, monkeypatch: pytest.MonkeyPatch) -> None:
    """A burst of authenticationFailure informs while the receiver is down: one worker task,
    the newest QUEUE_DEPTH waiting, the rest dropped and counted; the users' keys are read
    from flash once, not once per notification."""
    burst = 5000
    reads: list[Path] = []
    read = Store.read

    def counted(flash: Flash) -> Store:
        reads.append(flash.root)
        return read(flash)

    async def failures() -> int:
        agent = running.agent
        assert agent.transport is not None
        agent.notifier = Notifier(device, agent.transport, report)
        for _ in range(burst):
            agent.notifier.authentication_failure()
        return len(asyncio.all_tasks())

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as silent:
        silent.bind(("127.0.0.1", 0))
        configure(device, silent.getsockname()[1], inform=True, timeout=1500)
        device.running.set_auth_traps(True)
        with serving(device) as running:
            monkeypatch.setattr(Store, "read", staticmethod(counted))
            tasks = asyncio.run_coroutine_threadsafe(failures(), running.loop).result(DEADLINE)
            assert tasks <= 2  # this coroutine and the one worker
            assert len(reads) <= 1
            assert running.agent.notifier is not None
            workers = running.agent.notifier.v3.workers
            assert list(workers) == [("127.0.0.1", silent.getsockname()[1])]
    assert device.snmp_counters[INFORMS_DROPPED] == burst - QUEUE_DEPTH
    assert device.snmp_counters["snmpOutTraps"] == burst
