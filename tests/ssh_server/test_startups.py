"""Admission of connections in login (ssh_server/startups.py): per source, and the random
early drop's curve from `start` to `full`."""

from __future__ import annotations

from ssh_server.startups import LAB_STARTUPS, MaxStartups, Startups


def fill(startups: Startups, count: int) -> None:
    for n in range(count):
        assert startups.admit(f"10.0.{n // 250}.{n % 250}")


def test_one_source_gets_its_share_and_the_others_still_get_in() -> None:
    startups = Startups(LAB_STARTUPS, draw=lambda: 0.0)  # the coin always says "drop"
    admitted = sum(startups.admit("127.0.0.1") for _ in range(64))
    assert admitted == LAB_STARTUPS.per_source < LAB_STARTUPS.start
    assert startups.admit("127.0.0.2")
    startups.release("127.0.0.1")
    assert startups.admit("127.0.0.1") and not startups.admit("127.0.0.1")


def test_random_early_drop_rises_from_rate_at_start_to_all_at_full() -> None:
    limits = MaxStartups(per_source=1, start=10, rate=30, full=20)
    coin = [0.0]
    startups = Startups(limits, draw=lambda: coin[0])
    fill(startups, 10)
    coin[0] = 0.29  # below 30 %: dropped at `start`
    assert not startups.admit("192.0.2.1")
    coin[0] = 0.31
    assert startups.admit("192.0.2.1")  # 11 in login now: 37 % are dropped
    coin[0] = 0.36
    assert not startups.admit("192.0.2.2")
    coin[0] = 0.38
    assert startups.admit("192.0.2.2")
    fill_more = [f"198.51.100.{n}" for n in range(8)]
    coin[0] = 0.999
    for address in fill_more:
        assert startups.admit(address)
    assert startups.total == limits.full
    assert not startups.admit("203.0.113.1")  # full: no coin can let it in
    for address in fill_more:
        startups.release(address)
    assert startups.total == 12 and startups.admit("203.0.113.1")
