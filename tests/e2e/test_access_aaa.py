"""Access control and AAA against real clients and a real RADIUS server, on loopback (the
chassis keeps its management in the host's namespace, `--mgmt-netns none`, so 127.0.0.x
addresses are distinct stations): OpenSSH, telnet and net-snmp from an address outside `ip
authorized-managers` are refused, an operator entry caps a manager's login, `no
telnet-server` closes telnet; FreeRADIUS decides SSH and telnet logins and their level from
its Service-Type, exec sessions are accounted to it, and with it stopped the local passwords
apply (`aaa authentication ... radius local`). No TACACS+ server is packaged: the test
suite's own RFC 8907 server (tests/emulator/aaa/tacacs_server.py) stands in for one."""

from __future__ import annotations

import asyncio
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from emulator.testing import eventually, missing_file, missing_root, missing_tool
from tests.e2e.netns import Host, Lab, configure, free_udp_port
from tests.e2e.test_openssh import PtyClient
from tests.e2e.test_syslog_time import SERVER, SWITCH, up
from tests.emulator.aaa.tacacs_server import TacacsServer
from tests.ssh_server.clients import SSH_OPTIONS, openssh

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.requires(missing_tool("sshpass")),
    pytest.mark.requires(missing_tool("telnet")),
]

SECRET = "testing123"
RADIUS_CONF = """\
prefix = /usr
exec_prefix = /usr
sysconfdir = /etc
localstatedir = {dir}
sbindir = /usr/sbin
logdir = {dir}
raddbdir = {dir}
radacctdir = {dir}
name = freeradius
confdir = {dir}
modconfdir = {dir}
run_dir = {dir}
db_dir = {dir}
libdir = /usr/lib/freeradius
pidfile = {dir}/radiusd.pid
max_request_time = 30
cleanup_delay = 0
max_requests = 1024
hostname_lookups = no
log {{
    destination = stdout
}}
security {{
    allow_core_dumps = no
    max_attributes = 200
    reject_delay = 0
    status_server = no
}}
client switch {{
    ipaddr = {client}
    secret = {secret}
}}
modules {{
    files {{
        filename = {dir}/users
    }}
    pap {{
    }}
    detail {{
        filename = {dir}/detail
    }}
}}
server default {{
    listen {{
        type = auth
        ipaddr = {listen}
        port = {auth}
    }}
    listen {{
        type = acct
        ipaddr = {listen}
        port = {acct}
    }}
    authorize {{
        files
        pap
    }}
    authenticate {{
        pap
    }}
    accounting {{
        detail
    }}
}}
"""
USERS = """\
manager Cleartext-Password := "manager"
    Service-Type = Administrative-User
alice Cleartext-Password := "wonder"
    Service-Type = Administrative-User
bob Cleartext-Password := "builder"
    Service-Type = NAS-Prompt-User
"""
"""`manager` too, so the test's own netmiko sessions (manager/manager) keep working."""


@contextmanager
def freeradius(directory: Path, listen: str = "127.0.0.1", client: str = "127.0.0.1",
               host: Host | None = None) -> Iterator[tuple[int, int]]:
    """`freeradius -X` on its own config, users and ports (in the host's namespace, if one is
    given), serving the switch at `client`; the (auth, acct) ports."""
    auth, acct = free_udp_port(), free_udp_port()
    directory.mkdir()
    (directory / "radiusd.conf").write_text(RADIUS_CONF.format(
        dir=directory, secret=SECRET, auth=auth, acct=acct, listen=listen, client=client))
    (directory / "users").write_text(USERS)
    log = directory / "log"
    prefix = [] if host is None else ["ip", "netns", "exec", host.ns]
    with log.open("wb") as out:
        process = subprocess.Popen([*prefix, "freeradius", "-X", "-d", str(directory)],
                                   stdout=out, stderr=subprocess.STDOUT)
    try:
        eventually(lambda: "Ready to process requests" in log.read_text(), 15,
                   lambda: f"FreeRADIUS ready: {log.read_text()[-2000:]}")
        yield auth, acct
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def ssh(chassis: Any, user: str, password: str, command: str,
        source: str = "127.0.0.1") -> tuple[int, str]:
    """OpenSSH's exit status and output for one command."""
    status, out, _ = asyncio.run(openssh(chassis.ssh_port, "-b", source, f"{user}@127.0.0.1",
                                         command, password=password))
    return status, out.decode(errors="replace")


def telnet_enable(chassis: Any, login: tuple[str, str], enable: tuple[str, str]) -> None:
    """Log in over telnet as an operator, then `enable` with the second credentials: the
    manager prompt must follow."""
    client = telnet(chassis, "127.0.0.1")
    try:
        for expect, send in ((b"Press any key to continue", b" "),
                             (b"Username: ", f"{login[0]}\r".encode()),
                             (b"Password: ", f"{login[1]}\r".encode()),
                             (b"HP-8212zl> ", b"enable\r"),
                             (b"Username: ", f"{enable[0]}\r".encode()),
                             (b"Password: ", f"{enable[1]}\r".encode())):
            client.expect(expect)
            client.send(send)
        client.expect(b"HP-8212zl# ")
    finally:
        client.proc.kill()
        client.close()


def telnet(chassis: Any, source: str) -> PtyClient:
    return PtyClient(["telnet", "-b", source, "127.0.0.1", str(chassis.telnet_port)])


def telnet_login(chassis: Any, source: str, user: str, password: str, prompt: bytes) -> None:
    """The telnet client logs in and sees `prompt`."""
    client = telnet(chassis, source)
    try:
        client.expect(b"Press any key to continue")
        client.send(b" ")
        client.expect(b"Username: ")
        client.send(user.encode() + b"\r")
        client.expect(b"Password: ")
        client.send(password.encode() + b"\r")
        client.expect(prompt)
    finally:
        client.proc.kill()
        client.close()


def telnet_refused(chassis: Any, source: str) -> None:
    """The connection is closed before the switch says a word."""
    client = telnet(chassis, source)
    try:
        seen = client.expect(b"Connection closed by foreign host")
        assert b"Press any key" not in seen
    finally:
        client.close()


def snmp(chassis: Any, tool: str, source: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([tool, "-v2c", "-c", "public", "-t", "1", "-r", "0",
                           f"--clientaddr={source}", f"127.0.0.1:{chassis.snmp_port}", *args],
                          capture_output=True, text=True, check=False)


@pytest.mark.requires(missing_tool("snmpget", "snmp"))
def test_stations_outside_the_authorized_managers_are_refused(chassis_factory: Any) -> None:
    chassis = chassis_factory.start("--mgmt-netns", "none")
    configure(chassis, "ip authorized-managers 127.0.0.1",
              "ip authorized-managers 127.0.0.3 access operator")
    assert "IPV4 Authorized Managers" in chassis.show("show ip authorized-managers")
    # SSH: the outsider's connection is dropped, the operator entry caps a manager's login
    status, out = ssh(chassis, "manager", "manager", "show version", source="127.0.0.2")
    assert status != 0 and "K.15.16" not in out
    status, out = ssh(chassis, "manager", "manager", "show crypto host-public-key",
                      source="127.0.0.1")
    assert status == 0 and "ssh-rsa " in out
    status, out = ssh(chassis, "manager", "manager", "show crypto host-public-key",
                      source="127.0.0.3")
    assert "ssh-rsa " not in out
    # telnet: the same
    telnet_refused(chassis, "127.0.0.2")
    telnet_login(chassis, "127.0.0.3", "manager", "manager", b"HP-8212zl> ")
    telnet_login(chassis, "127.0.0.1", "manager", "manager", b"HP-8212zl# ")
    # SNMP: no answer for the outsider, reads only for the operator entry
    assert snmp(chassis, "snmpget", "127.0.0.2", "1.3.6.1.2.1.1.5.0").returncode != 0
    assert "HP-8212zl" in snmp(chassis, "snmpget", "127.0.0.3", "1.3.6.1.2.1.1.5.0").stdout
    refused = snmp(chassis, "snmpset", "127.0.0.3", "1.3.6.1.2.1.1.5.0", "s", "renamed")
    assert refused.returncode != 0, refused.stdout
    taken = snmp(chassis, "snmpset", "127.0.0.1", "1.3.6.1.2.1.1.6.0", "s", "rack 9")
    assert taken.returncode == 0, taken.stderr
    # no telnet-server closes telnet for everyone; telnet-server opens it again
    configure(chassis, "no telnet-server")
    telnet_refused(chassis, "127.0.0.1")
    configure(chassis, "telnet-server", "no ip authorized-managers 127.0.0.3")
    telnet_login(chassis, "127.0.0.1", "manager", "manager", b"HP-8212zl# ")
    telnet_refused(chassis, "127.0.0.3")


@pytest.mark.requires(missing_root("FreeRADIUS reads its own config as root"))
@pytest.mark.requires(missing_tool("freeradius"))
def test_freeradius_decides_logins_and_their_level(chassis_factory: Any,
                                                   tmp_path: Path) -> None:
    chassis = chassis_factory.start("--mgmt-netns", "none")
    with freeradius(tmp_path / "radius") as (auth, acct):
        configure(chassis, f"radius-server host 127.0.0.1 auth-port {auth} acct-port {acct} "
                           f"key {SECRET}",
                  "radius-server timeout 1", "radius-server retransmit 1",
                  "aaa authentication ssh login radius local",
                  "aaa authentication telnet login radius local",
                  "aaa authentication telnet enable radius local",
                  "aaa accounting exec start-stop radius")
        status, out = ssh(chassis, "alice", "wonder", "show crypto host-public-key")
        assert status == 0 and "ssh-rsa " in out  # Administrative-User: the manager
        status, out = ssh(chassis, "bob", "builder", "show crypto host-public-key")
        assert status == 0 and "ssh-rsa " not in out  # NAS-Prompt-User: the operator
        assert ssh(chassis, "alice", "guess", "show version")[0] != 0
        assert ssh(chassis, "operator", "operator", "show version")[0] != 0  # not RADIUS's
        telnet_login(chassis, "127.0.0.1", "alice", "wonder", b"HP-8212zl# ")
        telnet_login(chassis, "127.0.0.1", "bob", "builder", b"HP-8212zl> ")
        # enable asks the server: alice is a manager
        telnet_enable(chassis, ("bob", "builder"), ("alice", "wonder"))
        detail = tmp_path / "radius" / "detail"
        eventually(lambda: detail.exists() and 'User-Name = "alice"' in detail.read_text()
                   and "Acct-Status-Type = Stop" in detail.read_text(), 15,
                   "alice's session accounted")
        shown = chassis.show("show radius host 127.0.0.1")
        assert "Access Accepts          : 0" not in shown, shown
        assert "Access Rejects          : 0" not in shown, shown
        configure(chassis, "write memory")  # saved: the next active module asks the server too
        chassis.switchover()
        status, out = ssh(chassis, "alice", "wonder", "show crypto host-public-key")
        assert status == 0 and "ssh-rsa " in out
        assert ssh(chassis, "operator", "operator", "show version")[0] != 0
    # FreeRADIUS stopped: the local passwords apply (after the server's timeouts)
    status, out = ssh(chassis, "operator", "operator", "show version")
    assert status == 0 and "K.15.16" in out
    assert ssh(chassis, "alice", "wonder", "show version")[0] != 0
    telnet_login(chassis, "127.0.0.1", "manager", "manager", b"HP-8212zl# ")
    assert "RADIUS server(s) unreachable, trying the local method" in chassis.show("show log")


def telnet_manager(chassis: Any) -> PtyClient:
    """A manager's telnet session in config context."""
    client = telnet(chassis, "127.0.0.1")
    client.expect(b"Press any key to continue")
    client.send(b" ")
    client.expect(b"Username: ")
    client.send(b"manager\r")
    client.expect(b"Password: ")
    client.send(b"manager\r")
    client.expect(b"HP-8212zl# ")
    client.send(b"configure\r")
    client.expect(b"HP-8212zl(config)# ")
    return client


def answered(client: PtyClient, line: str, question: bool) -> None:
    """Run a line, answering its question with y, until the prompt is back."""
    client.seen = b""  # what the line makes the switch say, nothing before
    client.send(line.encode() + b"\r")
    if question:
        client.expect(b"[y/n]? ")
        client.send(b"y")
    client.expect(b"HP-8212zl(config)# ")
    assert b"Invalid" not in client.seen, client.seen


def test_host_keys_are_made_erased_and_kept_by_the_standby(chassis_factory: Any) -> None:
    """`crypto key generate ssh rsa bits 1024` changes the key OpenSSH sees, `crypto key
    zeroize ssh` turns SSH away until a key is made; the saved access settings and the key
    are the new active module's after a switchover."""
    chassis = chassis_factory.start("--mgmt-netns", "none")
    first = chassis.show("show crypto host-public-key")
    client = telnet_manager(chassis)
    try:
        answered(client, "crypto key generate ssh rsa bits 1024", question=True)
        second = chassis.show("show crypto host-public-key")
        assert second != first and "Host Key Size       : 1024" in chassis.show("show ip ssh")
        answered(client, "crypto key zeroize ssh", question=True)
        assert ssh(chassis, "manager", "manager", "show version")[0] != 0
        answered(client, "crypto key generate ssh", question=False)
        answered(client, "ip authorized-managers 127.0.0.1", question=False)
        answered(client, "write memory", question=False)
    finally:
        client.proc.kill()
        client.close()
    key = chassis.show("show crypto host-public-key")
    assert "Host Key Size       : 2048" in chassis.show("show ip ssh")
    new = chassis.switchover()
    assert chassis.show("show crypto host-public-key") == key
    telnet_refused(chassis, "127.0.0.2")
    assert ssh(chassis, "manager", "manager", "show version", source="127.0.0.2")[0] != 0
    # erased on the active, erased on the standby: the next active makes keys of its own
    chassis.wait_roles({new: "active", "MM1" if new == "MM2" else "MM2": "standby"})
    client = telnet_manager(chassis)
    try:
        answered(client, "crypto key zeroize ssh", question=True)
    finally:
        client.proc.kill()
        client.close()
    chassis.switchover()
    assert chassis.show("show crypto host-public-key") != key


@contextmanager
def tacacs_server(address: str, users: dict[str, tuple[str, int]]) -> Iterator[TacacsServer]:
    """The test suite's RFC 8907 server on ADDRESS, port 49 (the port K.15 uses), on an
    event loop of its own thread."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    server = TacacsServer(b"tk", users)
    try:
        asyncio.run_coroutine_threadsafe(server.start(address, 49), loop).result(5)
        yield server
    finally:
        asyncio.run_coroutine_threadsafe(server.stop(), loop).result(5)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)
        loop.close()


@pytest.mark.requires(missing_root("the TACACS+ port, 49, is privileged"))
def test_tacacs_decides_logins_enable_and_the_level(chassis_factory: Any) -> None:
    chassis = chassis_factory.start("--mgmt-netns", "none")
    users = {"manager": ("manager", 15), "alice": ("wonder", 15), "bob": ("builder", 1)}
    with tacacs_server("127.0.0.7", users) as server:
        configure(chassis, 'tacacs-server host 127.0.0.7 key "tk"', "tacacs-server timeout 2",
                  "aaa authentication login privilege-mode",
                  "aaa authentication ssh login tacacs local",
                  "aaa authentication telnet login tacacs local",
                  "aaa authentication telnet enable tacacs local")
        status, out = ssh(chassis, "alice", "wonder", "show crypto host-public-key")
        assert status == 0 and "ssh-rsa " in out  # priv-lvl 15: the manager
        status, out = ssh(chassis, "bob", "builder", "show crypto host-public-key")
        assert status == 0 and "ssh-rsa " not in out
        assert ssh(chassis, "operator", "operator", "show version")[0] != 0
        telnet_enable(chassis, ("bob", "builder"), ("bob", "enable"))
        assert (2, "alice") in server.seen  # the level came from authorization
        assert "127.0.0.7" in chassis.show("show tacacs")
    status, out = ssh(chassis, "operator", "operator", "show version")  # the server is gone
    assert status == 0 and "K.15.16" in out


def test_idle_sessions_end_at_the_inactivity_timer_and_banners_show(
        chassis_factory: Any) -> None:
    """`console inactivity-timer 1` (a minute: a second in the fast timing profile) ends an
    idle telnet session; the motd banner comes before the key press, the exec banner after
    the login."""
    chassis = chassis_factory.start("--mgmt-netns", "none")
    configure(chassis, 'banner motd "Authorized use only"', 'banner exec "Welcome, admin"')
    client = telnet(chassis, "127.0.0.1")
    try:
        before = client.expect(b"Press any key to continue")
        assert b"Authorized use only" in before and b"Welcome" not in before
        client.send(b" ")
        client.expect(b"Username: ")
        client.send(b"manager\r")
        client.expect(b"Password: ")
        client.send(b"manager\r")
        assert b"Welcome, admin" in client.expect(b"HP-8212zl# ").split(b"Password: ")[1]
        client.send(b"configure\r")
        client.expect(b"HP-8212zl(config)# ")
        client.send(b"console inactivity-timer 1\r")  # this session's next prompt obeys it
        client.expect(b"Connection closed by foreign host")
    finally:
        client.close()


@pytest.mark.requires(missing_root("TAP ports and namespaces"))
@pytest.mark.requires(missing_file("/dev/net/tun"))
@pytest.mark.requires(missing_tool("freeradius"))
def test_freeradius_in_band_on_the_vlan(chassis_factory: Any, lab: Lab,
                                        tmp_path: Path) -> None:
    """The switch asks a RADIUS server on its VLAN from its own IP stack (the management
    namespace), for an SSH login that reaches it in band."""
    chassis = chassis_factory.start("--port", f"A1=tap:{lab.tap('srv')}")
    (server,) = up(chassis, lab, "srv")
    with freeradius(tmp_path / "radius", listen=SERVER, client=SWITCH, host=server) as ports:
        configure(chassis, f"radius-server host {SERVER} auth-port {ports[0]} key {SECRET}",
                  "aaa authentication ssh login radius local")
        done = subprocess.run(["ip", "netns", "exec", server.ns, "sshpass", "-p", "wonder",
                               "ssh", *SSH_OPTIONS, f"alice@{SWITCH}",
                               "show crypto host-public-key"],
                              capture_output=True, text=True, timeout=30, check=False)
        assert done.returncode == 0 and "ssh-rsa " in done.stdout, done.stderr
