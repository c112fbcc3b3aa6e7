"""Random invite/accept/ignore/don't-know/withdraw/disconnect/follow/unfollow/block/unblock
steps over five members; after every step the network's invariants hold (N2, N8, B1, D1, D4)."""

from collections import deque
from contextlib import suppress

import pytest
from django.db.models import Q
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from core.errors import Refused
from network import loader, queries, services
from network.models import (
    Block,
    Connection,
    ConnectionEvent,
    Follow,
    Invitation,
    InvitationStatus,
    Unblock,
)

pytestmark = pytest.mark.django_db

PEOPLE = st.integers(min_value=0, max_value=4)


def bfs_degrees(viewer: int, members: list[int], edges: list[tuple[int, int]], hidden) -> dict:
    """D1 by plain breadth-first search over the connection table, blocks cut (D4)."""
    adjacency: dict[int, set[int]] = {}
    for a, b in edges:
        if a in hidden or b in hidden:
            continue
        adjacency.setdefault(a, set()).add(b)
        adjacency.setdefault(b, set()).add(a)
    distance = {viewer: 0}
    queue = deque([viewer])
    while queue:
        node = queue.popleft()
        if distance[node] == 3:
            continue
        for nxt in adjacency.get(node, ()):
            if nxt not in distance:
                distance[nxt] = distance[node] + 1
                queue.append(nxt)
    return {m: (distance.get(m) if m not in hidden and m != viewer else None) for m in members}


class NetworkMachine(RuleBasedStateMachine):
    members: list = []
    clock = None

    def __init__(self):
        super().__init__()
        for model in (Invitation, Connection, ConnectionEvent, Follow, Block, Unblock):
            model.objects.all().delete()
        loader.reset()

    def _try(self, action, **kwargs):
        with suppress(Refused):  # an expected answer; the invariants say it left no trace
            action(**kwargs)

    def _pending(self, sender, recipient):
        return Invitation.objects.filter(
            sender=sender, recipient=recipient, status=InvitationStatus.PENDING
        ).first()

    @rule(a=PEOPLE, b=PEOPLE, with_email=st.booleans())
    def invite(self, a, b, with_email):
        sender, recipient = self.members[a], self.members[b]
        email = recipient.email if with_email else ""
        self._try(services.invite, sender=sender, recipient=recipient, email=email)

    @rule(a=PEOPLE, b=PEOPLE, answer=st.sampled_from(["accept", "ignore", "dont_know"]))
    def answer(self, a, b, answer):
        pending = self._pending(self.members[a], self.members[b])
        if pending is not None:
            self._try(getattr(services, answer), invitation_id=pending.pk, by=self.members[b])

    @rule(a=PEOPLE, b=PEOPLE)
    def withdraw(self, a, b):
        pending = self._pending(self.members[a], self.members[b])
        if pending is not None:
            self._try(services.withdraw, invitation_id=pending.pk, by=self.members[a])

    @rule(a=PEOPLE, b=PEOPLE)
    def disconnect(self, a, b):
        if a != b:
            self._try(services.disconnect, by=self.members[a], member=self.members[b])

    @rule(a=PEOPLE, b=PEOPLE)
    def follow(self, a, b):
        self._try(services.follow, follower=self.members[a], followee=self.members[b])

    @rule(a=PEOPLE, b=PEOPLE)
    def unfollow(self, a, b):
        self._try(services.unfollow, follower=self.members[a], followee=self.members[b])

    @rule(a=PEOPLE, b=PEOPLE)
    def block(self, a, b):
        self._try(services.block, blocker=self.members[a], blocked=self.members[b])

    @rule(a=PEOPLE, b=PEOPLE)
    def unblock(self, a, b):
        self._try(services.unblock, blocker=self.members[a], blocked=self.members[b])

    @rule(hours=st.sampled_from([1, 49, 24 * 22]))
    def wait(self, hours):
        self.clock.advance(hours=hours)

    @invariant()
    def connections_are_symmetric_unique_and_accepted(self):
        rows = list(Connection.objects.select_related("invitation"))
        pairs = [(c.member_a_id, c.member_b_id) for c in rows]
        assert all(a < b for a, b in pairs)
        assert len(set(pairs)) == len(pairs)
        for c in rows:
            assert c.invitation is not None and c.invitation.status == InvitationStatus.ACCEPTED
            assert {c.invitation.sender_id, c.invitation.recipient_id} == {
                c.member_a_id,
                c.member_b_id,
            }

    @invariant()
    def at_most_one_pending_invitation_per_pair_and_none_between_connections(self):
        pending = Invitation.objects.filter(status=InvitationStatus.PENDING)
        pairs = [tuple(sorted(p)) for p in pending.values_list("sender_id", "recipient_id")]
        assert len(set(pairs)) == len(pairs)
        connected = set(Connection.objects.values_list("member_a_id", "member_b_id"))
        assert not connected & set(pairs)

    @invariant()
    def blocked_pairs_share_no_edge(self):
        for blocker, blocked in Block.objects.values_list("blocker_id", "blocked_id"):
            pair = Q(member_a_id=min(blocker, blocked), member_b_id=max(blocker, blocked))
            assert not Connection.objects.filter(pair).exists()
            assert not Follow.objects.filter(
                Q(follower_id=blocker, followee_id=blocked)
                | Q(follower_id=blocked, followee_id=blocker)
            ).exists()
            assert not Invitation.objects.filter(
                Q(sender_id=blocker, recipient_id=blocked)
                | Q(sender_id=blocked, recipient_id=blocker),
                status=InvitationStatus.PENDING,
            ).exists()

    @invariant()
    def degrees_agree_with_breadth_first_search(self):
        edges = list(Connection.objects.values_list("member_a_id", "member_b_id"))
        ids = [m.pk for m in self.members]
        for viewer in self.members:
            hidden = set()
            for a, b in Block.objects.filter(Q(blocker=viewer) | Q(blocked=viewer)).values_list(
                "blocker_id", "blocked_id"
            ):
                hidden.add(b if a == viewer.pk else a)
            expected = bfs_degrees(viewer.pk, ids, edges, hidden)
            got = dict(zip(ids, queries.degrees_for(viewer, ids), strict=True))
            assert got == expected, (viewer.pk, got, expected)


def test_network_invariants_hold_under_random_steps(cast, frozen_now):
    NetworkMachine.members = list(cast.values())
    NetworkMachine.clock = frozen_now
    run_state_machine_as_test(
        NetworkMachine,
        settings=settings(
            max_examples=20,
            stateful_step_count=20,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        ),
    )
