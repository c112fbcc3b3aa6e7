"""N2 under real concurrency: two threads, two database connections, 50 trials each.

PostgreSQL only: SQLite's IMMEDIATE transactions serialise writers, so there is no race to
lose there (and the in-memory test database can't be shared between threads).
"""

import threading

import pytest
from django.db import connection, connections

from core.errors import Refused
from network import services
from network.models import Connection, Invitation, InvitationStatus
from tests.factories import make_member

TRIALS = 50

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="race tests need PostgreSQL (SQLite serialises writers; run with DATABASE_URL)",
    ),
]


def race(*actions) -> list:
    """Run the actions at the same moment, each in its own thread and connection."""
    barrier = threading.Barrier(len(actions))
    outcomes: list = [None] * len(actions)

    def run(i, action):
        try:
            barrier.wait()
            outcomes[i] = action()
        except Refused as refused:
            outcomes[i] = refused
        except BaseException as error:  # noqa: BLE001 - anything else is a 500: a bug
            outcomes[i] = ("crash", error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_n2_concurrent_mutual_invitations_end_in_one_connection():
    for trial in range(TRIALS):
        a = make_member(handle=f"racea{trial}")
        b = make_member(handle=f"raceb{trial}")
        outcomes = race(
            lambda a=a, b=b: services.invite(sender=a, recipient=b),
            lambda a=a, b=b: services.invite(sender=b, recipient=a),
        )
        assert not [o for o in outcomes if isinstance(o, tuple)], outcomes
        pair = (min(a.pk, b.pk), max(a.pk, b.pk))
        assert Connection.objects.filter(member_a_id=pair[0], member_b_id=pair[1]).count() == 1
        between = Invitation.objects.filter(sender__in=[a, b], recipient__in=[a, b])
        assert not between.filter(status=InvitationStatus.PENDING).exists()
        assert between.filter(status=InvitationStatus.ACCEPTED).count() == 1


def test_n2_n4_accept_against_withdraw_ends_consistent():
    seen = set()
    for trial in range(TRIALS):
        a = make_member(handle=f"acca{trial}")
        b = make_member(handle=f"accb{trial}")
        invitation = services.invite(sender=a, recipient=b)
        outcomes = race(
            lambda i=invitation, b=b: services.accept(invitation_id=i.pk, by=b),
            lambda i=invitation, a=a: services.withdraw(invitation_id=i.pk, by=a),
        )
        assert not [o for o in outcomes if isinstance(o, tuple)], outcomes
        invitation.refresh_from_db()
        connected = Connection.objects.filter(invitation=invitation).exists()
        assert invitation.status in (InvitationStatus.ACCEPTED, InvitationStatus.WITHDRAWN)
        assert connected == (invitation.status == InvitationStatus.ACCEPTED)
        assert sum(isinstance(o, Refused) for o in outcomes) == 1  # the loser is told why
        seen.add(invitation.status)
    print(f"accept vs withdraw outcomes seen: {sorted(seen)}")


def test_n2_double_click_accept_connects_once():
    for trial in range(TRIALS):
        a = make_member(handle=f"dbla{trial}")
        b = make_member(handle=f"dblb{trial}")
        invitation = services.invite(sender=a, recipient=b)
        outcomes = race(
            lambda i=invitation, b=b: services.accept(invitation_id=i.pk, by=b),
            lambda i=invitation, b=b: services.accept(invitation_id=i.pk, by=b),
        )
        assert not [o for o in outcomes if isinstance(o, tuple | Refused)], outcomes
        assert Connection.objects.filter(invitation=invitation).count() == 1


def test_n2_a_pair_lock_never_holds_up_an_insert_naming_either_member():
    """The double-click deadlock: the first accept's notification (its foreign keys checked
    actor first) waited on the second accept's pair lock while that one waited on it."""
    from django.db import transaction
    from django.utils import timezone

    from accounts.services import lock_members
    from notifications.models import Kind, Notification

    a, b = make_member(handle="locka"), make_member(handle="lockb")
    locked, release = threading.Event(), threading.Event()

    def hold_the_pair():
        try:
            with transaction.atomic():
                lock_members(a.pk, b.pk)
                locked.set()
                release.wait(10)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold_the_pair)
    holder.start()
    try:
        assert locked.wait(10)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '2s'")
            Notification.objects.create(
                recipient=a,
                actor=b,
                kind=Kind.CONNECTION_ACCEPTED,
                subject_id=1,
                group_key="x",
                created_at=timezone.now(),
            )
    finally:
        release.set()
        holder.join()
    assert Notification.objects.filter(recipient=a, actor=b).count() == 1
