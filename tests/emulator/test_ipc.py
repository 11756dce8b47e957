"""The backplane protocol: frames, message types and fd passing."""

from __future__ import annotations

import asyncio
import os
import socket
from pathlib import Path

import pytest

from emulator.ipc import messages, wire
from emulator.ipc.messages import Role

SAMPLES: list[messages.Message] = [
    messages.Hello(slot="MM1", pid=42, selftest_passed=False, ever_booted=True,
                   active_last_boot=True, last_boot=1.5),
    messages.Grant(role=Role.ACTIVE, startup_config="hostname x\n", hostname="x"),
    messages.Grant(role=Role.ACTIVE, takeover_from="MM1", reason="MM1 crashed"),
    messages.Roles({"MM1": Role.ACTIVE, "MM2": Role.STANDBY}),
    messages.PeerLink([]),
    messages.FileSync("config/startup", "aG9zdG5hbWUK", 0o644, id=7),
    messages.FileSync("config/startup", None),
    messages.SyncAck("config/startup", reply_to=7),
    messages.RunningSync('hostname "unsaved"\n', id=8),
    messages.RunningSync(None),
    messages.Switchover("redundancy switchover command"),
    messages.RebootModule(None, "boot system flash primary"),
    messages.Fault("kill", "active", id=3),
    messages.SetRedundancy(False),
    messages.FabricLink([]),
    messages.FabricReset(),
    messages.FabricProgram(enabled={"A1": True, "A2": False}, pvid={"A1": 1, "A2": None},
                           tagged={"A1": [10]}, mac_age=300, id=9),
    messages.FabricQuery(id=10),
    messages.FabricState(macs=[["001871-c30001", "A1", 1]], counters={"A1": {"rx_bytes": 64}},
                         reply_to=10),
    messages.Ready(slot="MM1", hostname="HP-8212zl", manager_user="manager"),
    messages.PortsRequest(id=1),
    messages.PortsReply([messages.PortReport("A1", "tap:lab1", True)], reply_to=1),
    messages.StatusRequest(id=2),
    messages.StatusReply({"modules": [{"slot": "MM1", "pid": None}]}, reply_to=2),
    messages.Failure("no", reply_to=3),
    messages.Spawn(argv=["python", "-m", "emulator.module"], env={"LANG": "C"}, sockets=[],
                   id=11),
    messages.Spawned(4242, reply_to=11),
]


@pytest.mark.parametrize("msg", SAMPLES, ids=lambda m: m.kind)
def test_every_message_round_trips(msg: messages.Message) -> None:
    frame = wire.encode(msg)
    assert wire.decode(frame[wire.HEADER.size:]) == msg


def test_every_registered_type_has_a_sample() -> None:
    assert {m.kind for m in SAMPLES} == set(messages.REGISTRY)


@pytest.mark.parametrize("body", [b"{}", b"[]", b"nonsense", b'{"type": "Nope"}',
                                  b'{"type": "Hello"}'])
def test_garbage_is_refused(body: bytes) -> None:
    with pytest.raises(wire.IpcError):
        wire.decode(body)


def test_frames_split_and_glued_in_a_stream() -> None:
    a, b = socket.socketpair()
    with a, b:
        stream = (wire.encode(messages.Hello(slot="MM1", pid=1))
                  + wire.encode(messages.Ready(slot="MM1", hostname="sw")))
        for i in range(0, len(stream), 3):
            a.send(stream[i:i + 3])
        assert wire.recv_blocking(b)[0] == messages.Hello(slot="MM1", pid=1)
        assert wire.recv_blocking(b)[0] == messages.Ready(slot="MM1", hostname="sw")
        a.close()
        with pytest.raises(EOFError):
            wire.recv_blocking(b)


def test_oversized_frame_is_refused() -> None:
    a, b = socket.socketpair()
    with a, b:
        a.send(wire.HEADER.pack(wire.MAX_FRAME + 1))
        with pytest.raises(wire.IpcError):
            wire.recv_blocking(b)


def test_grant_hands_over_a_listening_socket() -> None:
    """The module must serve the very socket the chassis bound: a client queued before the
    grant is accepted afterwards."""
    listener = socket.create_server(("127.0.0.1", 0))
    client = socket.create_connection(listener.getsockname())
    a, b = socket.socketpair()
    with a, b, listener, client:
        wire.send_blocking(a, messages.Grant(role=Role.ACTIVE, sockets=["ssh"]), [listener])
        msg, socks = wire.recv_blocking(b)
        assert msg == messages.Grant(role=Role.ACTIVE, sockets=["ssh"])
        (received,) = socks
        with received:
            assert received.getsockname() == listener.getsockname()
            conn, _ = received.accept()
            conn.close()


def test_fd_count_must_match_the_grant() -> None:
    a, b = socket.socketpair()
    with a, b, pytest.raises(ValueError):
        grant = messages.Grant(role=Role.ACTIVE, sockets=["ssh", "telnet"])
        asyncio.run(wire.Link(a).send(grant, [b]))


def test_async_link_carries_fds_both_ways() -> None:
    async def exchange() -> tuple[messages.Message, bytes]:
        a, b = socket.socketpair()
        left, right = wire.Link(a), wire.Link(b)
        console_ours, console_theirs = socket.socketpair()
        await left.send(messages.Grant(role=Role.ACTIVE, sockets=["console"]), [console_theirs])
        console_theirs.close()
        msg, (console,) = await right.recv()
        console.sendall(b"HP-8212zl# ")
        echoed = console_ours.recv(100)
        for s in (console, console_ours):
            s.close()
        await right.send(messages.Ready(slot="MM1", hostname="HP-8212zl"))
        reply, _ = await left.recv()
        assert reply == messages.Ready(slot="MM1", hostname="HP-8212zl")
        left.close()
        with pytest.raises(EOFError):
            await right.recv()
        right.close()
        return msg, echoed

    msg, echoed = asyncio.run(exchange())
    assert msg == messages.Grant(role=Role.ACTIVE, sockets=["console"])
    assert echoed == b"HP-8212zl# "


def test_large_message_survives_partial_sends() -> None:
    async def exchange() -> messages.Message:
        a, b = socket.socketpair()
        left, right = wire.Link(a), wire.Link(b)
        big = messages.StatusReply({"blob": "x" * 3_000_000})
        sender = asyncio.create_task(left.send(big))
        msg, _ = await right.recv()
        await sender
        left.close()
        right.close()
        return msg

    msg = asyncio.run(exchange())
    assert isinstance(msg, messages.StatusReply) and len(msg.status["blob"]) == 3_000_000


def test_control_socket_with_a_path_longer_than_sun_path(tmp_path: Path) -> None:
    deep = tmp_path / ("d" * 60) / ("e" * 60)
    deep.mkdir(parents=True)
    path = deep / "control.sock"
    assert len(str(path)) > wire.UNIX_PATH_MAX
    server = wire.bind_unix(path)
    with server:
        client = wire.connect_unix(path, timeout=5)
        conn, _ = server.accept()
        with client, conn:
            wire.send_blocking(client, messages.StatusRequest())
            assert wire.recv_blocking(conn)[0] == messages.StatusRequest()
    assert oct(os.stat(path).st_mode & 0o777) == oct(0o600)


@pytest.mark.parametrize("body", [
    b'{"type":"Hello","slot":[1],"pid":1}',
    b'{"type":"Hello","slot":"MM1","pid":true}',
    b'{"type":"Hello","slot":"MM1","pid":1.5}',
    b'{"type":"Hello","slot":"MM1","pid":1,"last_boot":"yesterday"}',
    b'{"type":"Grant","role":"boss"}',
    b'{"type":"Roles","roles":{"MM1":"boss"}}',
    b'{"type":"Roles","roles":["MM1"]}',
    b'{"type":"FileSync","path":"config/startup","data":7}',
    b'{"type":"FabricProgram","tagged":{"A1":["10"]}}',
    b'{"type":"PortsReply","ports":[{"port":"A1","backend":"tap:x","link_up":"yes"}]}',
    b'{"type":"StatusRequest","id":"1"}',
    b'{"type":"Hello","slot":"MM1","pid":1,"last_boot":NaN}',
], ids=lambda body: body.decode()[9:40])
def test_a_field_of_the_wrong_type_is_refused(body: bytes) -> None:
    with pytest.raises(wire.IpcError):
        wire.decode(body)


def test_enums_travel_as_their_values_and_come_back_as_members() -> None:
    frame = wire.encode(messages.Roles({"MM1": Role.NOT_PRESENT}))
    assert b'"MM1":"not-present"' in frame
    (role,) = wire.decode(frame[wire.HEADER.size:]).roles.values()  # type: ignore[attr-defined]
    assert role is Role.NOT_PRESENT


def test_a_reply_resolves_exactly_the_request_it_names() -> None:
    async def scenario() -> None:
        asker = wire.Asker()
        first, first_reply = asker.number(messages.PortsRequest())
        second, second_reply = asker.number(messages.StatusRequest())
        assert first.id != second.id
        assert not asker.resolve(messages.Failure("stray", reply_to=second.id + 100))
        assert asker.resolve(messages.StatusReply({"n": 2}, reply_to=second.id))
        assert await second_reply == messages.StatusReply({"n": 2}, reply_to=second.id)
        assert not first_reply.done()  # a reply to another request never resolves it
        asker.fail_all("gone")
        with pytest.raises(EOFError):
            await first_reply

    asyncio.run(scenario())


def test_exchange_refuses_a_reply_to_another_request() -> None:
    async def scenario() -> None:
        a, b = socket.socketpair()
        asking, answering = wire.Link(a), wire.Link(b)
        try:
            async def answer(offset: int) -> None:
                request = await answering.recv_message()
                assert isinstance(request, messages.Request) and request.id > 0
                await answering.send(messages.PortsReply([], reply_to=request.id + offset))

            task = asyncio.create_task(answer(0))
            assert await asking.exchange(messages.PortsRequest()) == messages.PortsReply(
                [], reply_to=1)
            await task
            task = asyncio.create_task(answer(1))
            with pytest.raises(wire.IpcError, match="does not answer"):
                await asking.exchange(messages.PortsRequest())
            await task
        finally:
            asking.close()
            answering.close()

    asyncio.run(scenario())


class _Receiver:
    """A receiver with a dispatch table of two handlers, noting what each was given."""

    table: wire.Handlers[_Receiver, str] = wire.Handlers()

    def __init__(self) -> None:
        self.seen: list[messages.Message] = []

    @table.on(messages.Switchover)
    async def _switchover(self, msg: messages.Switchover, _socks: list[socket.socket]) -> str:
        self.seen.append(msg)
        return "switched"

    @table.on(messages.SetRedundancy)
    async def _redundancy(self, msg: messages.SetRedundancy,
                          _socks: list[socket.socket]) -> str:
        self.seen.append(msg)
        return "set"


def test_dispatch_by_type_and_an_unhandled_message_closes_its_sockets() -> None:
    async def scenario() -> None:
        receiver = _Receiver()
        table = _Receiver.table
        assert await table.dispatch(receiver, messages.SetRedundancy(False), [], "?") == "set"
        assert await table.dispatch(receiver, messages.Switchover("x"), [], "?") == "switched"
        ours, theirs = socket.socketpair()
        with ours:
            assert await table.dispatch(receiver, messages.PeerLink(), [theirs], "?") == "?"
            assert theirs.fileno() == -1
        assert receiver.seen == [messages.SetRedundancy(False), messages.Switchover("x")]

    asyncio.run(scenario())


def test_a_control_reply_that_names_another_request_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "control.sock"
    server = wire.bind_unix(path)

    def confused_chassis() -> None:
        conn, _ = server.accept()
        with conn:
            request, _ = wire.recv_blocking(conn)
            assert isinstance(request, messages.StatusRequest)
            wire.send_blocking(conn, messages.StatusReply({}, reply_to=request.id + 1))

    async def scenario() -> None:
        serving = asyncio.get_running_loop().run_in_executor(None, confused_chassis)
        with pytest.raises(wire.IpcError, match="does not answer"):
            await asyncio.to_thread(wire.request, path, messages.StatusRequest(), 5)
        await serving

    with server:
        asyncio.run(scenario())
