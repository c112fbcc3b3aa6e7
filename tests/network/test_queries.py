"""Reads: the graph index's freshness, S5 lists and D3 naming."""

import pytest

from network import queries, services
from network.models import ConnectionEvent
from tests.network.factories import connect, set_profile

pytestmark = pytest.mark.django_db


def test_d1_a_change_is_visible_in_the_very_next_call(cast):
    ann, ben, cat = cast["ann"], cast["ben"], cast["cat"]
    assert queries.degrees_for(ann, [ben, cat]) == [None, None]
    connect(ann, ben)
    connect(ben, cat)
    assert queries.degrees_for(ann, [ben, cat]) == [1, 2]
    services.disconnect(by=ben, member=cat)
    assert queries.degrees_for(ann, [ben, cat]) == [1, None]


def test_index_reloads_when_the_event_log_went_back(cast):
    ann, ben = cast["ann"], cast["ben"]
    connect(ann, ben)
    assert queries.degrees_for(ann, [ben]) == [1]
    ConnectionEvent.objects.all().delete()  # as a rolled-back test or a restored backup does
    services.disconnect(by=ann, member=ben)
    ConnectionEvent.objects.all().delete()
    assert queries.degrees_for(ann, [ben]) == [None]


def test_d4_blocks_cut_degrees_mutuals_and_paths(cast):
    ann, ben, cat, dan = cast["ann"], cast["ben"], cast["cat"], cast["dan"]
    connect(ann, ben)
    connect(ben, cat)
    connect(ann, dan)
    connect(dan, cat)
    services.block(blocker=ben, blocked=ann)
    assert queries.degrees_for(ann, [ben, cat]) == [None, 2]
    count, ids = queries.mutuals_for(ann, cat)
    assert (count, ids) == (1, [dan.pk])
    paths = queries.paths_for(ann, cat)
    assert [[s.member_id for s in p] for p in paths] == [[ann.pk, dan.pk, cat.pk]]


def test_d3_steps_named_only_where_s5_allows(cast):
    ann, ben, cat, dan = cast["ann"], cast["ben"], cast["cat"], cast["dan"]
    connect(ann, ben)
    connect(ben, cat)
    connect(cat, dan)
    labels = [[s.label for s in p] for p in queries.paths_for(ann, dan)]
    # Issue 8: naming Cat would reveal Cat–Dan, which Ann may not see whatever Ben shows.
    assert labels == [["Ann", "Ben", "a connection of Ben", "Dan"]]
    set_profile(ben, connections_visible_to="only_me")
    paths = queries.paths_for(ann, dan)
    assert [[s.label for s in p] for p in paths] == [["Ann", "Ben", "a connection of Ben", "Dan"]]
    assert paths[0][2].member is None


def test_s5_connections_of_cut_to_shared(cast):
    ann, ben, cat, dan = cast["ann"], cast["ben"], cast["cat"], cast["dan"]
    connect(ben, cat)
    connect(ben, dan)
    connect(ann, cat)
    members, only_shared = queries.connections_of(ben, ann)
    assert only_shared and list(members) == [cat]
    connect(ann, ben)
    members, only_shared = queries.connections_of(ben, ann)
    assert not only_shared and {m.pk for m in members} == {ann.pk, cat.pk, dan.pk}
    set_profile(ben, connections_visible_to="only_me")
    members, only_shared = queries.connections_of(ben, ann)
    assert only_shared and list(members) == [cat]
    assert queries.connections_hidden_reason(ben) == queries.CONNECTIONS_HIDDEN


def test_hidden_for_and_is_blocked_between(cast):
    ann, ben, cat = cast["ann"], cast["ben"], cast["cat"]
    services.block(blocker=ann, blocked=ben)
    services.block(blocker=cat, blocked=ann)
    assert queries.hidden_for(ann) == frozenset({ben.pk, cat.pk})
    assert queries.is_blocked_between(ben, ann) and not queries.is_blocked_between(ben, cat)


def test_n3_ignored_invitation_hidden_from_recipient_pending_for_sender(cast):
    invitation = services.invite(sender=cast["ann"], recipient=cast["ben"])
    services.ignore(invitation_id=invitation.pk, by=cast["ben"])
    assert list(queries.received_invitations(cast["ben"])) == []
    assert list(queries.sent_invitations(cast["ann"])) == [invitation]
    assert queries.relationship(cast["ann"], cast["ben"]).invitation_sent
    assert not queries.relationship(cast["ben"], cast["ann"]).invitation_received
