"""P3's `top` order: the documented formula over plain values, the one place an extra
per-author weight plugs in, and paging through a ranked window that holds still while the
door still runs on every page (B1)."""

import math

import pytest
from django.utils import timezone

from feed import home, services
from network import services as network
from tests.feed.factories import connect, post


def test_p3_top_ranks_by_the_formula_in_docs_feed(cast, settings):
    ann, ben, cat = cast["ann"], cast["ben"], cast["cat"]
    connect(ann, ben)
    network.follow(follower=ann, followee=cat)  # followed, not connected
    quiet = post(ben, "Quiet connection post")
    liked = post(cat, "Followed member, liked")
    for reactor in (ben, cast["dan"], cast["eve"]):
        services.react(member=reactor, post_id=liked.pk)
    window = home._candidates([liked.pk, quiet.pk])
    signals = home._signals(ann, window, home.queries.Sight(ann))
    now = timezone.now()
    ids, scores = home.rank(ann, window, signals, {ben.pk}, now)

    def expected(relationship, engagement, at):
        age = max((now - at).total_seconds(), 0) / 3600
        half_life = settings.LINKWELL_FEED_TOP_HALF_LIFE_HOURS
        return relationship * (1 + math.log1p(engagement)) * 0.5 ** (age / half_life)

    # ben's reaction is a connection's: the liked post's age runs from it, and its weight is
    # the larger of "followed" (1.5) and "a connection reacted" (2.0)
    at = max(liked.created_at, liked.reactions.get(member=ben).created_at)  # dan, eve: not ann's
    want = {
        quiet.pk: expected(home.WEIGHT_CONNECTION, 0, quiet.created_at),
        liked.pk: expected(home.WEIGHT_CONNECTION_ACTIVITY, 3, at),
    }
    assert ids == sorted(want, key=lambda i: -want[i])
    assert list(scores) == pytest.approx([want[i] for i in ids])


def test_p3_author_weights_is_the_one_place_an_extra_author_weight_plugs_in(cast, monkeypatch):
    ann, ben, cat = cast["ann"], cast["ben"], cast["cat"]
    connect(ann, ben)
    connect(ann, cat)
    older = post(cat, "Cat's older post")
    newer = post(ben, "Ben's newer post")
    assert home.home(ann, order="top").items[0].post.pk == newer.pk

    def stronger_cat(viewer, author_ids):
        return [10.0 if a == cat.pk else 1.0 for a in author_ids]

    monkeypatch.setattr(home, "author_weights", stronger_cat)
    assert home.home(ann, order="top").items[0].post.pk == older.pk


def test_p3_top_pages_cover_the_window_once_and_b1_still_holds_on_a_later_page(cast):
    ann, ben, cat = cast["ann"], cast["ben"], cast["cat"]
    connect(ann, ben)
    connect(ann, cat)
    made = [post(author, f"Post {i}") for i, author in enumerate([ben, cat] * 4)]
    first = home.home(ann, order="top", limit=3)
    second = home.home(ann, order="top", limit=3, offset=first.next_offset, anchor=first.anchor)
    seen = [i.post.pk for i in first.items + second.items]
    assert len(seen) == len(set(seen)) == 6
    network.block(blocker=ann, blocked=cat)  # the window is cached; the door is not
    third = home.home(ann, order="top", limit=3, offset=second.next_offset, anchor=first.anchor)
    assert third.items and all(i.post.author_id == ben.pk for i in third.items)
    assert {i.post.pk for i in third.items} <= {p.pk for p in made} - set(seen)
