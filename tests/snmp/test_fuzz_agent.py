"""The agent's entry for a datagram (Agent.datagram_received, called as the event loop calls
it) under v1, v2c and v3 messages, valid and mangled: every datagram is counted in
snmpInPkts, and neither the callback nor the answer it schedules raises."""

from __future__ import annotations

import asyncio
import functools

from hypothesis import given
from hypothesis import strategies as st

from snmp.agent import Agent
from tests.fuzzing import mangled
from tests.snmp.test_fuzz_ber import encoded_messages
from tests.snmp.test_fuzz_usm import v3_device, v3_messages

MANAGER: tuple[str, int] = ("192.0.2.1", 161)


@functools.cache
def agent() -> Agent:
    """No transport: answers are encoded and dropped, as on a socket that cannot send."""
    return Agent(v3_device())


async def deliver(data: bytes) -> None:
    served = agent()
    served.datagram_received(data, MANAGER)
    await asyncio.gather(*served.tasks)


communities = st.sampled_from((b"public", b"public", b"wrong"))
datagrams = st.one_of(st.binary(max_size=400), mangled(encoded_messages),
                      mangled(v3_messages), v3_messages)


@given(datagrams)
def test_fuzz_agent_takes_any_datagram(data: bytes) -> None:
    counters = agent().device.snmp_counters
    before = counters.get("snmpInPkts", 0)
    asyncio.run(deliver(data))
    assert counters["snmpInPkts"] == before + 1
