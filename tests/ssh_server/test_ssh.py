"""The SSH transport with the clients labs use: OpenSSH (exec and interactive), asyncssh and
paramiko configured as netmiko configures it."""

from __future__ import annotations

import asyncio

import asyncssh
import paramiko
import pytest

from tests.ssh_server.clients import (
    BANNER,
    PROMPT,
    LineCli,
    ServerFactory,
    command,
    connect,
    openssh,
    shell,
)


def test_openssh_exec_gets_all_output_and_status_zero(ssh_server: ServerFactory) -> None:
    async def main() -> None:
        cli = LineCli()
        async with ssh_server(cli) as (_, port):
            for _ in range(5):
                status, out, err = await openssh(port, "manager@127.0.0.1", "show version")
                assert (status, err) == (0, b"")
                assert out == BANNER + b"said: show version len=12\r\n"
            assert cli.peers[0].command == "show version" and not cli.peers[0].pty

    asyncio.run(main())


def test_openssh_interactive_with_pty(ssh_server: ServerFactory) -> None:
    async def main() -> None:
        cli = LineCli()
        async with ssh_server(cli) as (_, port):
            status, out, _ = await openssh(port, "-tt", "manager@127.0.0.1",
                                           stdin=b"hello\rpeer\rsize\rexit\r")
        assert status == 0
        assert out.startswith(BANNER + PROMPT)
        assert b"said: hello len=5\r\n" in out
        assert b"ssh 127.0.0.1 manager manager pty=True\r\n" in out
        assert b"80x24\r\n" in out  # ssh's stdin is no terminal: it reports 0x0
        assert cli.peers[0].username == "manager"

    asyncio.run(main())


def test_openssh_wrong_password_and_password_only(ssh_server: ServerFactory) -> None:
    async def main() -> None:
        async with ssh_server(LineCli()) as (_, port):
            status, _, _ = await openssh(port, "manager@127.0.0.1", "x", password="wrong")
            assert status == 5  # sshpass: wrong password
            status, _, err = await openssh(
                port, "-o", "BatchMode=yes", "manager@127.0.0.1", "x")
            assert status == 255
            assert b"(password)" in err  # neither publickey nor keyboard-interactive

    asyncio.run(main())


def test_asyncssh_pty_size_and_window_change(ssh_server: ServerFactory) -> None:
    async def main() -> None:
        cli = LineCli()
        async with ssh_server(cli) as (_, port), await connect(port, "operator", "op") as conn:
            process = await shell(conn, term_type="vt100", term_size=(132, 50))
            assert await command(process, b"size") == b"132x50\r\n"
            process.change_terminal_size(200, 60)
            assert await command(process, b"size") == b"200x60\r\n"
            assert await command(process, b"peer") == (
                b"ssh 127.0.0.1 operator operator pty=True\r\n")
            process.stdin.write(b"exit\r")
            result = await process.wait(timeout=5)
            assert result.exit_status == 0

    asyncio.run(main())


def test_shell_without_pty_and_bad_utf8(ssh_server: ServerFactory) -> None:
    async def main() -> None:
        cli = LineCli()
        async with ssh_server(cli) as (_, port), await connect(port) as conn:
            process = await shell(conn)
            assert await command(process, b"size") == b"80x24\r\n"
            assert await command(process, b"peer") == b"ssh 127.0.0.1 manager manager pty=False\r\n"
            assert await command(process, b"\xff\xfe\xc3") == b"said: \xff\xfe\xc3 len=3\r\n"
            process.stdin.write_eof()
            assert (await process.wait(timeout=5)).exit_status == 0
        assert cli.finished == 1

    asyncio.run(main())


def paramiko_session(port: int, disabled_keys: list[str]) -> tuple[str, bytes]:
    """A shell opened the way netmiko's hp_procurve driver opens it."""
    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    client.connect(
        "127.0.0.1", port, "manager", "secret", look_for_keys=False, allow_agent=False,
        disabled_algorithms={"pubkeys": ["rsa-sha2-256", "rsa-sha2-512"],
                             "keys": disabled_keys},
    )
    try:
        transport = client.get_transport()
        assert transport is not None
        chan = client.invoke_shell(width=511, height=1000)
        chan.sendall(b"size\rexit\r")
        out = b""
        while data := chan.recv(4096):
            out += data
        return transport.host_key_type or "", out
    finally:
        client.close()


@pytest.mark.parametrize(
    ("disabled_keys", "host_key_type"),
    [([], "ecdsa-sha2-nistp256"), (["ecdsa-sha2-nistp256", "rsa-sha2-512"], "rsa-sha2-256")],
)
def test_paramiko_as_netmiko_uses_it(
    ssh_server: ServerFactory, disabled_keys: list[str], host_key_type: str
) -> None:
    async def main() -> None:
        async with ssh_server(LineCli()) as (_, port):
            key_type, out = await asyncio.to_thread(paramiko_session, port, disabled_keys)
        assert key_type == host_key_type
        assert out.startswith(BANNER) and b"511x1000\r\n" in out

    asyncio.run(main())


def test_sha1_only_client_gets_ssh_rsa_host_key(ssh_server: ServerFactory) -> None:
    """Old clients and scripts pinned to a real K.15 switch know only `ssh-rsa`."""

    async def main() -> None:
        async with ssh_server(LineCli()) as (_, port):
            status, out, _ = await openssh(
                port, "-o", "HostKeyAlgorithms=ssh-rsa", "manager@127.0.0.1", "x")
        assert status == 0 and out.startswith(BANNER)

    asyncio.run(main())


def test_one_session_per_connection_and_session_cap(ssh_server: ServerFactory) -> None:
    async def main() -> None:
        async with ssh_server(LineCli(), max_sessions=2) as (_, port):
            first, second = await connect(port), await connect(port)
            await shell(first)
            with pytest.raises(asyncssh.ChannelOpenError):
                await first.create_process(encoding=None)
            status, _, err = await openssh(port, "manager@127.0.0.1", "x")
            assert status == 255 and b"Too many sessions" in err
            first.close()
            await first.wait_closed()
            await shell(second)
            second.close()

    asyncio.run(main())


def test_close_connections_ends_sessions_and_keeps_listening(
    ssh_server: ServerFactory,
) -> None:
    async def main() -> None:
        cli = LineCli()
        async with ssh_server(cli) as (handle, port):
            async with await connect(port) as conn:
                process = await shell(conn)
                handle.close_connections()
                with pytest.raises(asyncssh.ConnectionLost):
                    await process.stdout.read()
                await conn.wait_closed()
            async with await connect(port) as conn:
                await shell(conn)
            handle.close()
            await handle.wait_closed()
            assert cli.finished == 2
            with pytest.raises(OSError):
                await connect(port)

    asyncio.run(main())
