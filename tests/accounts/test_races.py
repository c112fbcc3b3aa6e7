"""U3 under real concurrency: parallel wrong passwords, each thread its own connection.

PostgreSQL only: SQLite's IMMEDIATE transactions serialise writers, so there is no race to
lose there (and the in-memory test database can't be shared between threads). Before the
count was taken under a lock, 24 parallel attempts let 6 through (hand-written throttle) and
24 through (stock django-axes, which checks in the backend and counts from a signal later).
"""

import threading

import pytest
from django.db import connection, connections
from django.test import RequestFactory

from accounts.services import WRONG_CREDENTIALS, authenticate_member
from core.errors import RateLimited, Refused
from tests.factories import make_member

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="race tests need PostgreSQL (SQLite serialises writers; run with DATABASE_URL)",
    ),
]

ATTEMPTS = 24
TRIALS = 3


def guess_in_parallel(guesses) -> list:
    """(identifier, ip) pairs tried at the same moment with a wrong password."""
    barrier = threading.Barrier(len(guesses))
    outcomes: list = [None] * len(guesses)

    def run(i, identifier, ip):
        request = RequestFactory().post("/login/", REMOTE_ADDR=ip)
        try:
            barrier.wait()
            outcomes[i] = authenticate_member(
                request=request, identifier=identifier, password="wrong-password"
            )
        except Refused as refused:
            outcomes[i] = refused
        except BaseException as error:  # noqa: BLE001 - anything else is a 500: a bug
            outcomes[i] = ("crash", error)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=(i, identifier, ip))
        for i, (identifier, ip) in enumerate(guesses)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def tally(outcomes) -> tuple[int, int]:
    assert not [o for o in outcomes if not isinstance(o, Refused)], outcomes
    checked = sum(o.message == WRONG_CREDENTIALS for o in outcomes)
    throttled = sum(isinstance(o, RateLimited) for o in outcomes)
    assert checked + throttled == len(outcomes), outcomes
    return checked, throttled


def test_u3_parallel_wrong_passwords_check_at_most_five_against_one_account():
    for trial in range(TRIALS):
        make_member(handle=f"target{trial}")
        # Typed by handle and by address, from several networks: all one account.
        guesses = [
            (f"target{trial}" if n % 2 else f"TARGET{trial}@example.com", f"198.51.100.{n % 4}")
            for n in range(ATTEMPTS)
        ]
        checked, throttled = tally(guess_in_parallel(guesses))
        print(f"trial {trial}: {checked} passwords checked, {throttled} throttled")
        assert checked == 5


def test_u3_parallel_guesses_from_one_network_check_at_most_twenty():
    guesses = [(f"nobody{n}", "203.0.113.50") for n in range(30)]
    checked, throttled = tally(guess_in_parallel(guesses))
    print(f"one network, 30 accounts: {checked} passwords checked, {throttled} throttled")
    assert checked == 20
