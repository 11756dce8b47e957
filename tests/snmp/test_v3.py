"""SNMPv3 through the agent on a real UDP socket, asked by net-snmp's tools and by pysnmp's
client: the same answers as v2c, USM reports for every kind of bad credential, access by
group, and keys that match RFC 3414's test vectors and pysnmp's own key localization."""

from __future__ import annotations

import asyncio
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from pyasn1.type.univ import OctetString
from pysnmp.hlapi.v3arch import asyncio as hlapi
from pysnmp.proto.secmod.rfc3414 import localkey

from emulator.commands import startup_replay
from emulator.config.model import Snmpv3Group
from emulator.device import Device
from emulator.events import EventLog
from emulator.flash import Flash
from emulator.hardware import Inventory
from emulator.testing import missing_tool
from snmp import ber, message_v3
from snmp.agent import Agent
from snmp.crypto import AUTH
from snmp.users import USERS_FILE, User, count_boot, engine_id, store_user
from tests.snmp.conftest import serving

pytestmark = pytest.mark.requires(missing_tool("snmpget", "snmp"))

SYS_NAME = ".1.3.6.1.2.1.1.5.0"
SYS_OBJECT_ID = ".1.3.6.1.2.1.1.2.0"
IF_TABLE = ".1.3.6.1.2.1.2.2"
ENGINE_ID = ".1.3.6.1.6.3.10.2.1.1.0"
WRONG_DIGESTS = ".1.3.6.1.6.3.15.1.1.5.0"
UNKNOWN_USERS = ".1.3.6.1.6.3.15.1.1.3.0"
DECRYPTION_ERRORS = ".1.3.6.1.6.3.15.1.1.6.0"
BAD_VERSIONS = ".1.3.6.1.2.1.11.3.0"
PATIENCE = ("-t", "5", "-r", "1")
"""net-snmp's timeout and retries: a loaded machine can hold one answer past a second, and a
walk cut short by a timeout compares as a different table."""
AUTH_PASS, PRIV_PASS = "authpass1", "privpass1"
USERS = {  # name: (auth, priv, group)
    "shaaes": ("sha", "aes", Snmpv3Group.MANAGER_PRIV),
    "md5des": ("md5", "des", Snmpv3Group.MANAGER_PRIV),
    "sha256aes": ("sha256", "aes", Snmpv3Group.MANAGER_PRIV),
    "auth": ("sha", None, Snmpv3Group.MANAGER_AUTH),
    "reader": ("md5", None, Snmpv3Group.OPERATOR_AUTH),
    "nogroup": ("sha", None, None),
}
NET_SNMP_AUTH = {"md5": "MD5", "sha": "SHA", "sha256": "SHA-256"}
LEVEL_ARGS = {"aes": ["-x", "AES", "-X", PRIV_PASS], "des": ["-x", "DES", "-X", PRIV_PASS]}


@dataclass
class Served:
    device: Device
    agent: Agent
    port: int
    loop: asyncio.AbstractEventLoop

    def net_snmp(self, tool: str, user: str, *args: str, auth_pass: str = AUTH_PASS,
                 level: str | None = None) -> subprocess.CompletedProcess[str]:
        """`tool -v3` as `user`, at the highest level the user has unless `level` says."""
        auth, priv, _ = USERS.get(user, ("sha", None, None))
        level = level or ("authPriv" if priv else "authNoPriv")
        security = ["-a", NET_SNMP_AUTH[auth], "-A", auth_pass]
        if level == "authPriv":
            security += LEVEL_ARGS[priv or "aes"]
        return subprocess.run(
            [tool, "-v3", "-l", level, "-u", user, *security, "-On", "-m", "", *PATIENCE,
             f"127.0.0.1:{self.port}", *args],
            capture_output=True, text=True, timeout=60, check=False)

    def v2c(self, tool: str, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [tool, "-v2c", "-c", "public", "-On", "-m", "", *PATIENCE,
             f"127.0.0.1:{self.port}", *args],
            capture_output=True, text=True, timeout=60, check=False)

    def counter(self, oid: str) -> int:
        return int(self.v2c("snmpget", "-Oqv", oid).stdout)


def add_users(device: Device) -> None:
    device.running.snmpv3_enable(True)
    engine = engine_id(device.inventory)
    for name, (auth, priv, group) in USERS.items():
        device.running.snmpv3_user_add(name)
        if group is not None:
            device.running.snmpv3_group_set(name, group)
        store_user(device, name, User.create(engine, auth, AUTH_PASS, priv,
                                             PRIV_PASS if priv else ""))


@pytest.fixture
def served(device: Device) -> Iterator[Served]:
    add_users(device)
    with serving(device) as running:
        yield Served(device, running.agent, running.port, running.loop)


def values(output: str) -> dict[str, str]:
    found = {}
    for line in output.splitlines():
        oid, sep, rest = line.partition(" = ")
        if sep:
            found[oid] = rest
    return found


def test_keys_match_rfc_3414_vectors_and_pysnmp() -> None:
    """RFC 3414 A.3.1/A.3.2: "maplesyrup" localized to engine 00..02."""
    engine = bytes(11) + b"\x02"
    assert AUTH["md5"].key("maplesyrup", engine).hex() == "526f5eed9fcce26f8964c2930787d82b"
    assert AUTH["sha"].key("maplesyrup", engine).hex() == \
        "6695febc9288e36282235fc7151f128497b38f3f"
    ours = engine_id(Inventory(base_mac="001871-c3f2ff"))
    oracle = OctetString(ours)
    assert bytes(localkey.password_to_key_sha(b"s3cret-pass", oracle)) == \
        AUTH["sha"].key("s3cret-pass", ours)
    assert bytes(localkey.password_to_key_md5(b"s3cret-pass", oracle)) == \
        AUTH["md5"].key("s3cret-pass", ours)


@pytest.mark.parametrize("user", ["shaaes", "md5des", "sha256aes", "auth"])
def test_v3_answers_as_v2c_does(served: Served, user: str) -> None:
    v3 = served.net_snmp("snmpget", user, SYS_NAME, SYS_OBJECT_ID)
    assert v3.returncode == 0, v3.stderr
    assert values(v3.stdout) == values(served.v2c("snmpget", SYS_NAME, SYS_OBJECT_ID).stdout)
    walk = served.net_snmp("snmpbulkwalk", user, "-Cr25", IF_TABLE)
    assert walk.returncode == 0, walk.stderr
    table = values(walk.stdout)
    assert len(table) > 900
    reference_walk = served.v2c("snmpbulkwalk", "-Cr25", IF_TABLE)
    assert reference_walk.returncode == 0, reference_walk.stderr
    reference = values(reference_walk.stdout)
    counters = {".1.3.6.1.2.1.2.2.1.9."}  # ifLastChange: time passes between the walks
    assert {k: v for k, v in table.items() if not k.startswith(tuple(counters))} == \
        {k: v for k, v in reference.items() if not k.startswith(tuple(counters))}


def test_engine_id_is_served_and_known_in_advance(served: Served) -> None:
    """snmpEngineID is what discovery finds (derived from the chassis base MAC), so a manager
    configured with it (-e) skips discovery and is answered too."""
    engine = engine_id(served.device.inventory).hex()
    got = served.net_snmp("snmpget", "auth", "-Oqv", ENGINE_ID)
    assert got.returncode == 0, got.stderr
    assert "".join(got.stdout.replace('"', "").split()).lower() == engine
    told = served.net_snmp("snmpget", "auth", "-e", f"0x{engine}", SYS_NAME)
    assert told.returncode == 0, told.stderr


def test_bad_credentials_are_reported_and_counted(served: Served) -> None:
    wrong = served.net_snmp("snmpget", "shaaes", SYS_NAME, auth_pass="wrongpass1")
    assert wrong.returncode != 0 and "Authentication failure" in wrong.stderr
    assert served.counter(WRONG_DIGESTS) == 1
    unknown = served.net_snmp("snmpget", "nobody", SYS_NAME)
    assert unknown.returncode != 0 and "Unknown user name" in unknown.stderr
    assert served.counter(UNKNOWN_USERS) == 1
    no_priv = served.net_snmp("snmpget", "auth", SYS_NAME, level="authPriv")
    assert no_priv.returncode != 0 and "Unsupported security level" in no_priv.stderr
    wrong_priv = subprocess.run(
        ["snmpget", "-v3", "-l", "authPriv", "-u", "shaaes", "-a", "SHA", "-A", AUTH_PASS,
         "-x", "AES", "-X", "wrongpriv1", "-On", "-m", "", "-t", "1", "-r", "0",
         f"127.0.0.1:{served.port}", SYS_NAME], capture_output=True, text=True, timeout=60,
        check=False)
    assert wrong_priv.returncode != 0 and "Decryption error" in wrong_priv.stderr
    assert served.counter(DECRYPTION_ERRORS) == 1


def test_group_decides_access(served: Served) -> None:
    denied = served.net_snmp("snmpget", "nogroup", SYS_NAME)
    assert "authorizationError" in denied.stdout + denied.stderr
    low = served.net_snmp("snmpget", "shaaes", SYS_NAME, level="authNoPriv")
    assert "authorizationError" in low.stdout + low.stderr  # ManagerPriv wants privacy
    assert served.net_snmp("snmpget", "reader", SYS_NAME).returncode == 0
    refused = served.net_snmp("snmpset", "reader", SYS_NAME, "s", "core-9")
    assert refused.returncode != 0 and "noAccess" in refused.stderr
    done = served.net_snmp("snmpset", "auth", SYS_NAME, "s", "core-9")
    assert done.returncode == 0, done.stderr
    assert served.device.running.hostname == "core-9"


def test_v3_disabled_only_and_restricted(served: Served) -> None:
    running = served.device.running
    running.snmpv3_only(True)
    assert served.v2c("snmpget", SYS_NAME).returncode != 0
    assert served.net_snmp("snmpget", "auth", SYS_NAME).returncode == 0
    running.snmpv3_only(False)
    running.snmpv3_restrict(True)
    refused = served.v2c("snmpset", SYS_NAME, "s", "core-9")
    assert refused.returncode != 0 and "noAccess" in refused.stderr
    running.snmpv3_enable(False)
    before = served.counter(BAD_VERSIONS)
    assert served.net_snmp("snmpget", "auth", SYS_NAME).returncode != 0
    assert served.counter(BAD_VERSIONS) > before


async def _pysnmp_get(port: int, user: str, auth: object, priv: object) -> str:
    engine = hlapi.SnmpEngine()
    target = await hlapi.UdpTransportTarget.create(("127.0.0.1", port), timeout=2, retries=1)
    error, status, _, binds = await hlapi.get_cmd(
        engine, hlapi.UsmUserData(user, AUTH_PASS, PRIV_PASS, authProtocol=auth,
                                  privProtocol=priv),
        target, hlapi.ContextData(), hlapi.ObjectType(hlapi.ObjectIdentity(SYS_NAME[1:])))
    engine.close_dispatcher()
    assert error is None and not status, (error, status)
    return str(binds[0][1])


@pytest.mark.parametrize(("user", "auth", "priv"), [
    ("shaaes", hlapi.usmHMACSHAAuthProtocol, hlapi.usmAesCfb128Protocol),
    ("md5des", hlapi.usmHMACMD5AuthProtocol, hlapi.usmDESPrivProtocol),
    ("sha256aes", hlapi.usmHMAC192SHA256AuthProtocol, hlapi.usmAesCfb128Protocol),
])
def test_pysnmp_client_interoperates(served: Served, user: str, auth: object,
                                     priv: object) -> None:
    assert asyncio.run(_pysnmp_get(served.port, user, auth, priv)) == \
        served.device.running.hostname


def test_engine_boots_count_every_boot(device: Device) -> None:
    """On flash, so a module taking over continues the count the other one synced."""
    assert count_boot(device) == 1  # never configured: nothing written
    assert device.flash.read_security(USERS_FILE) is None
    add_users(device)
    again, _ = Device.boot(device.inventory, Flash(device.flash.root), device.timing, EventLog(),
                           replay=startup_replay())
    assert count_boot(again) == 2
    assert count_boot(again) == 2  # once per boot
    third, _ = Device.boot(device.inventory, Flash(device.flash.root), device.timing, EventLog(),
                           replay=startup_replay())
    assert count_boot(third) == 3


IF_DESCR = ".1.3.6.1.2.1.2.2.1.2"
RECEIVED = re.compile(r"^Received (\d+) byte packet", re.MULTILINE)
"""net-snmp's `-d` line for every message it receives."""


@pytest.mark.parametrize("user", ["shaaes", "md5des", "sha256aes", "auth"])
@pytest.mark.parametrize("max_size", [484, 1500])
def test_bulk_answers_fit_the_managers_max_size(served: Served, user: str,
                                                max_size: int) -> None:
    """RFC 3416 section 4.2.3: what does not fit in the manager's msgMaxSize (484 is the least
    RFC 3412 allows) is left out of a GETBULK answer, never answered with tooBig."""
    bulk = served.net_snmp("snmpbulkget", user, f"--sendMessageMaxSize={max_size}", "-d",
                           "-Cr200", IF_DESCR)
    assert bulk.returncode == 0, bulk.stderr
    got = values(bulk.stdout)
    assert len(got) > 5 and all(oid.startswith(IF_DESCR + ".") for oid in got), bulk.stdout
    sizes = [int(size) for size in RECEIVED.findall(bulk.stdout + bulk.stderr)]
    assert sizes and max(sizes) <= max_size
    assert "snmpOutTooBigs" not in served.device.snmp_counters


@pytest.mark.parametrize(("msg_id", "engine_time"), [(-1, 5), (7, -3), (2**31, 5)])
def test_fields_out_of_range_are_parse_errors(msg_id: int, engine_time: int) -> None:
    """RFC 3412/3414 ranges: a negative engine time would reach the AES IV (an unsigned
    field) had it passed the time window."""
    scoped = message_v3.encode_scoped(b"", b"", ber.Pdu(ber.GET, 1, 0, 0, []))
    data, _ = message_v3.encode(message_v3.Outgoing(
        msg_id, message_v3.FLAG_REPORTABLE, b"\x80", 1, engine_time, b"u", 0, b"", scoped))
    with pytest.raises(ber.DecodeError):
        message_v3.decode(data)
    sound, _ = message_v3.encode(message_v3.Outgoing(
        7, message_v3.FLAG_REPORTABLE, b"\x80", 1, 5, b"u", 0, b"", scoped))
    assert message_v3.decode(sound).engine_time == 5
