"""Kept counts under real concurrency (issue 10): many threads following and unfollowing one
member, each in its own connection, end with the counter equal to the rows.

PostgreSQL only, as tests/network/test_races.py: SQLite's IMMEDIATE transactions serialise
writers, so there is no race to lose there.
"""

import pytest
from django.db import connection

from network import services
from network.models import Connection, Follow
from profiles.models import MemberCounts
from tests.factories import make_member
from tests.network.factories import connect
from tests.network.test_races import race

THREADS = 12
ROUNDS = 15

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="race tests need PostgreSQL (SQLite serialises writers; run with DATABASE_URL)",
    ),
]


def test_concurrent_follows_and_unfollows_of_one_member_keep_the_counter_equal_to_the_rows():
    leader = make_member(handle="leader")
    fans = [make_member(handle=f"fan{i}") for i in range(THREADS)]

    def churn(fan, rounds):
        def run():
            for i in range(rounds):
                services.follow(follower=fan, followee=leader)
                if i % 3 != 2:
                    services.unfollow(follower=fan, followee=leader)
                services.follow(follower=leader, followee=fan)
                services.unfollow(follower=leader, followee=fan)
            return "done"

        return run

    outcomes = race(*(churn(fan, ROUNDS) for fan in fans))  # the last round stays followed
    assert outcomes == ["done"] * THREADS
    kept = MemberCounts.objects.get(pk=leader.pk)
    assert kept.followers == Follow.objects.filter(followee=leader).count() == THREADS
    assert kept.following == Follow.objects.filter(follower=leader).count() == 0
    for fan in fans:
        row = MemberCounts.objects.get(pk=fan.pk)
        assert row.following == Follow.objects.filter(follower=fan).count() == 1
        assert row.followers == Follow.objects.filter(followee=fan).count() == 0


def test_concurrent_connects_and_disconnects_keep_connection_counts_equal_to_the_rows():
    hub = make_member(handle="hub")
    spokes = [make_member(handle=f"spoke{i}") for i in range(THREADS)]

    def cycle(spoke):
        def run():
            for _ in range(5):
                connect(spoke, hub)
                services.disconnect(by=hub, member=spoke)
            connect(hub, spoke)
            return "done"

        return run

    assert race(*(cycle(spoke) for spoke in spokes)) == ["done"] * THREADS
    kept = MemberCounts.objects.get(pk=hub.pk)
    rows = (
        Connection.objects.filter(member_a=hub).count()
        + Connection.objects.filter(member_b=hub).count()
    )
    assert kept.connections == rows == THREADS
    assert kept.followers == Follow.objects.filter(followee=hub).count() == THREADS
