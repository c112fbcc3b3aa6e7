"""A real client: Mastodon.py sets a private note, creates a list (a private tag), adds a
connection to it and reads the list's timeline (A1)."""

import pytest
from mastodon import Mastodon

from feed import services as feed
from tests.api.factories import member_token
from tests.relationships.factories import connect

pytestmark = pytest.mark.django_db(transaction=True)


def test_a1_mastodon_py_note_list_and_list_timeline(live_server, cast):
    ann, ben, cat = cast["ann"], cast["ben"], cast["cat"]
    connect(ann, ben)
    connect(ann, cat)
    ben_post = feed.publish(author=ben, text="Ben on query plans")
    feed.publish(author=cat, text="Cat on something else")
    api = Mastodon(access_token=member_token(ann), api_base_url=live_server.url)

    relationship = api.account_note_set(ben.pk, "Met at PGConf; likes sailing")
    assert relationship.note == "Met at PGConf; likes sailing"
    (seen,) = api.account_relationships(ben.pk)
    assert seen.note == "Met at PGConf; likes sailing"
    assert seen.connected is True and seen.connection_reason is None

    made = api.list_create("Lisbon 2026")
    assert made.title == "Lisbon 2026" and made.replies_policy == "list"
    api.list_accounts_add(made.id, [ben.pk])
    assert [str(a.id) for a in api.list_accounts(made.id)] == [str(ben.pk)]
    assert [x.title for x in api.lists()] == ["Lisbon 2026"]
    assert [str(x.id) for x in api.account_lists(ben.pk)] == [str(made.id)]

    statuses = api.timeline_list(made.id)
    assert [str(s.id) for s in statuses] == [str(ben_post.pk)]

    api.list_accounts_delete(made.id, [ben.pk])
    assert api.list_accounts(made.id) == []
    api.list_delete(made.id)
    assert api.lists() == []

    other = Mastodon(access_token=member_token(ben), api_base_url=live_server.url)
    (bens,) = other.account_relationships(ann.pk)
    assert bens.note == ""  # A1: the note is Ann's alone
