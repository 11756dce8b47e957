"""The backplane protocol: frames, message types and fd passing."""

from __future__ import annotations

import asyncio
import os
import socket
from pathlib import Path

import pytest

from emulator import ipc

SAMPLES: list[ipc.Message] = [
    ipc.Hello("MM1", 42, selftest_passed=False, ever_booted=True, active_last_boot=True,
              last_boot=1.5),
    ipc.Grant("active", [], startup_config="hostname x\n", hostname="x"),
    ipc.Grant("active", [], takeover_from="MM1", reason="MM1 crashed"),
    ipc.Roles({"MM1": "active", "MM2": "standby"}),
    ipc.PeerLink([]),
    ipc.FileSync("config/startup", "aG9zdG5hbWUK", 0o644),
    ipc.FileSync("config/startup", None),
    ipc.SyncAck("config/startup"),
    ipc.Switchover("redundancy switchover command"),
    ipc.RebootModule(None, "boot system flash primary"),
    ipc.Fault("kill", "active"),
    ipc.SetRedundancy(False),
    ipc.FabricLink([]),
    ipc.FabricReset(),
    ipc.FabricProgram({"A1": True, "A2": False}, {"A1": 1, "A2": None}, {"A1": [10]}, 300),
    ipc.FabricQuery(),
    ipc.FabricState([["001871-c30001", "A1", 1]], {"A1": {"rx_bytes": 64}}),
    ipc.Ready("MM1", "HP-8212zl", "manager", None),
    ipc.PortsRequest(),
    ipc.PortsReply([ipc.PortReport("A1", "tap:lab1", True)]),
    ipc.StatusRequest(),
    ipc.StatusReply({"modules": [{"slot": "MM1", "pid": None}]}),
    ipc.Failure("no"),
]


@pytest.mark.parametrize("msg", SAMPLES, ids=lambda m: m.kind)
def test_every_message_round_trips(msg: ipc.Message) -> None:
    frame = ipc.encode(msg)
    assert ipc.decode(frame[ipc.HEADER.size:]) == msg


def test_every_registered_type_has_a_sample() -> None:
    assert {m.kind for m in SAMPLES} == set(ipc._REGISTRY) - {"PortReport"}


@pytest.mark.parametrize("body", [b"{}", b"[]", b"nonsense", b'{"type": "Nope"}',
                                  b'{"type": "Hello"}'])
def test_garbage_is_refused(body: bytes) -> None:
    with pytest.raises(ipc.IpcError):
        ipc.decode(body)


def test_frames_split_and_glued_in_a_stream() -> None:
    a, b = socket.socketpair()
    with a, b:
        stream = ipc.encode(ipc.Hello("MM1", 1)) + ipc.encode(ipc.Ready("MM1", "sw"))
        for i in range(0, len(stream), 3):
            a.send(stream[i:i + 3])
        assert ipc.recv_blocking(b)[0] == ipc.Hello("MM1", 1)
        assert ipc.recv_blocking(b)[0] == ipc.Ready("MM1", "sw")
        a.close()
        with pytest.raises(EOFError):
            ipc.recv_blocking(b)


def test_oversized_frame_is_refused() -> None:
    a, b = socket.socketpair()
    with a, b:
        a.send(ipc.HEADER.pack(ipc.MAX_FRAME + 1))
        with pytest.raises(ipc.IpcError):
            ipc.recv_blocking(b)


def test_grant_hands_over_a_listening_socket() -> None:
    """The module must serve the very socket the chassis bound: a client queued before the
    grant is accepted afterwards."""
    listener = socket.create_server(("127.0.0.1", 0))
    client = socket.create_connection(listener.getsockname())
    a, b = socket.socketpair()
    with a, b, listener, client:
        ipc.send_blocking(a, ipc.Grant("active", ["ssh"]), [listener])
        msg, socks = ipc.recv_blocking(b)
        assert msg == ipc.Grant("active", ["ssh"])
        (received,) = socks
        with received:
            assert received.getsockname() == listener.getsockname()
            conn, _ = received.accept()
            conn.close()


def test_fd_count_must_match_the_grant() -> None:
    a, b = socket.socketpair()
    with a, b, pytest.raises(ValueError):
        asyncio.run(ipc.Link(a).send(ipc.Grant("active", ["ssh", "telnet"]), [b]))


def test_async_link_carries_fds_both_ways() -> None:
    async def exchange() -> tuple[ipc.Message, bytes]:
        a, b = socket.socketpair()
        left, right = ipc.Link(a), ipc.Link(b)
        console_ours, console_theirs = socket.socketpair()
        await left.send(ipc.Grant("active", ["console"]), [console_theirs])
        console_theirs.close()
        msg, (console,) = await right.recv()
        console.sendall(b"HP-8212zl# ")
        echoed = console_ours.recv(100)
        for s in (console, console_ours):
            s.close()
        await right.send(ipc.Ready("MM1", "HP-8212zl"))
        reply, _ = await left.recv()
        assert reply == ipc.Ready("MM1", "HP-8212zl")
        left.close()
        with pytest.raises(EOFError):
            await right.recv()
        right.close()
        return msg, echoed

    msg, echoed = asyncio.run(exchange())
    assert msg == ipc.Grant("active", ["console"])
    assert echoed == b"HP-8212zl# "


def test_large_message_survives_partial_sends() -> None:
    async def exchange() -> ipc.Message:
        a, b = socket.socketpair()
        left, right = ipc.Link(a), ipc.Link(b)
        big = ipc.StatusReply({"blob": "x" * 3_000_000})
        sender = asyncio.create_task(left.send(big))
        msg, _ = await right.recv()
        await sender
        left.close()
        right.close()
        return msg

    msg = asyncio.run(exchange())
    assert isinstance(msg, ipc.StatusReply) and len(msg.status["blob"]) == 3_000_000


def test_control_socket_with_a_path_longer_than_sun_path(tmp_path: Path) -> None:
    deep = tmp_path / ("d" * 60) / ("e" * 60)
    deep.mkdir(parents=True)
    path = deep / "control.sock"
    assert len(str(path)) > ipc.UNIX_PATH_MAX
    server = ipc.bind_unix(path)
    with server:
        client = ipc.connect_unix(path, timeout=5)
        conn, _ = server.accept()
        with client, conn:
            ipc.send_blocking(client, ipc.StatusRequest())
            assert ipc.recv_blocking(conn)[0] == ipc.StatusRequest()
    assert oct(os.stat(path).st_mode & 0o777) == oct(0o600)
