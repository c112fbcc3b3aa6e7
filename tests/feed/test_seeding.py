"""The demo's living feed (feed.seeding): counters equal the rows, the rules hold by
construction (P1, P2), and the demo member's home page and notifications are full."""

import numpy as np
from django.db.models import Count

from feed import home, inbox
from feed.models import REACTION_COUNT_FIELDS, Post, Reaction
from feed.seeding import seed_activity
from tests.factories import make_member
from tests.feed.factories import connect


def test_seed_activity_writes_a_consistent_living_feed(db):
    members = [make_member(handle=f"m{i}", display_name=f"Member {i}") for i in range(14)]
    ids = [m.pk for m in members]
    pairs = [(0, j) for j in range(1, 10)] + [(i, i + 1) for i in range(1, 13)]
    for a, b in pairs:
        connect(members[a], members[b])
    a = np.array([ids[x] for x, _ in pairs])
    b = np.array([ids[y] for _, y in pairs])
    report = seed_activity(
        ids,
        [ids[5]],
        np.random.default_rng(7),
        connections=(a, b),
        posts_per_member=2.0,
        timeline_for=[ids[0]],
    )
    assert report["posts"] > 20 and report["comments"] and report["reactions"]
    for post in Post.objects.filter(kind="post"):
        thread = Post.objects.filter(root=post)
        assert post.comments_count == thread.count()
        assert post.reactions_count == Reaction.objects.filter(post=post).count()
        by_type = dict(
            Reaction.objects.filter(post=post).values_list("type").annotate(n=Count("id"))
        )
        for kind, field in REACTION_COUNT_FIELDS.items():
            assert getattr(post, field) == by_type.get(kind, 0)
        assert not thread.exclude(visibility=post.visibility).exists()  # a comment's is its root's
        if post.visibility == "connections":
            assert not Post.objects.filter(reblog=post).exists() and not post.quotes.exists()
    replies = Post.objects.filter(kind="comment").exclude(in_reply_to_id=models_root())
    assert all(r.in_reply_to.in_reply_to_id == r.root_id for r in replies)
    demo = members[0]
    assert len(home.home(demo).items) >= 5
    assert inbox.notices(demo)[0]


def models_root():
    from django.db.models import F

    return F("root_id")
