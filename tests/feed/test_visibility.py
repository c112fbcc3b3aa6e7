"""The one door (P1, F2, B1/D4, mutes) and the home feed's rules (P3, S7), with the fan-out."""

import pytest

from core.errors import NotFound
from feed import home, impressions, queries, services
from feed.models import FeedAuthor, PostView, TimelineEntry
from messaging.queries import can_message
from network import queries as network
from network import services as network_services
from tests.feed.factories import connect, post, set_profile


def feed_ids(member, **kwargs):
    return [item.post.pk for item in home.home(member, **kwargs).items]


def everywhere(viewer, made):
    """Every list a post could appear in, for the viewer."""
    author = made.author
    places = {
        "home": feed_ids(viewer),
        "top": feed_ids(viewer, order="top"),
        "account": [
            p.pk
            for p in queries.page_of(viewer, queries.account_posts(viewer, author), limit=40)[0]
        ],
        "public": [p.pk for p in queries.page_of(viewer, queries.public_posts(), limit=40)[0]],
        "trending": [p.pk for p in queries.trending_posts(viewer)],
    }
    return {name for name, ids in places.items() if made.pk in ids}


def test_p1_connections_post_is_invisible_to_a_follower_who_is_not_connected(cast):
    ann, ben, cat = cast["ann"], cast["ben"], cast["cat"]
    connect(ann, ben)
    network_services.follow(follower=cat, followee=ann)
    private = post(ann, "For my connections #news", visibility="connections")
    services.react(member=ben, post_id=private.pk)
    with pytest.raises(NotFound) as refused:
        queries.visible_post(cat, private.pk)
    assert refused.value.rule == "P1"
    assert everywhere(cat, private) == set()
    assert "home" in everywhere(ben, private) and "account" in everywhere(ben, private)
    assert "public" not in everywhere(ben, private)
    with pytest.raises(NotFound):
        queries.visible_post(None, private.pk)


def test_f2_follower_sees_public_posts_and_the_followee_sees_nothing_of_the_follower(cast):
    ann, cat = cast["ann"], cast["cat"]
    network_services.follow(follower=cat, followee=ann)
    ann_post = post(ann, "Public thoughts")
    cat_post = post(cat, "Follower's post")
    assert ann_post.pk in feed_ids(cat)
    assert cat_post.pk not in feed_ids(ann)
    assert can_message(cat, ann).costs_credit  # F2, M6: no messaging right from following


def test_p3_unfollowing_a_connection_removes_their_posts_and_keeps_messaging(cast):
    ann, ben = cast["ann"], cast["ben"]
    connect(ann, ben)
    made = post(ben, "From a connection")
    assert made.pk in feed_ids(ann)
    network_services.unfollow(follower=ann, followee=ben)
    assert made.pk not in feed_ids(ann)
    rel = network.relationship(ann, ben)
    assert rel.connected and not rel.following
    assert can_message(ann, ben).route == "connection"  # N8: messaging stays open
    assert queries.visible_post(ann, made.pk)  # still visible, just not pushed


def test_b1_d4_a_block_hides_posts_and_comments_both_ways(cast):
    ann, ben, cat = cast["ann"], cast["ben"], cast["cat"]
    connect(ann, ben)
    connect(ann, cat)
    ann_post = post(ann, "Ann's post")
    ben_post = post(ben, "Ben's post")
    ben_comment = services.comment(author=ben, on=ann_post.pk, text="Ben's comment")
    network_services.block(blocker=ann, blocked=ben)
    for viewer, hidden in ((ann, ben_post), (ben, ann_post), (ann, ben_comment)):
        with pytest.raises(NotFound):
            queries.visible_post(viewer, hidden.pk)
        assert everywhere(viewer, hidden) == set()
    assert ben_comment.pk not in [p.pk for p in queries.thread(ann, ann_post)]
    assert ben_comment.pk in [p.pk for p in queries.thread(cat, ann_post)]
    with pytest.raises(NotFound):
        services.comment(author=ben, on=ann_post.pk, text="Sneaking back")
    with pytest.raises(NotFound):
        services.react(member=ben, post_id=ann_post.pk)


def test_b1_a_repost_of_a_blocked_members_post_is_hidden_too(cast):
    ann, ben, cat = cast["ann"], cast["ben"], cast["cat"]
    connect(ann, cat)
    ben_post = post(ben, "Original")
    repost = services.repost(author=cat, original=ben_post.pk)
    assert repost.pk in feed_ids(ann)
    network_services.block(blocker=ben, blocked=ann)
    assert repost.pk not in feed_ids(ann)
    with pytest.raises(NotFound):
        queries.visible_post(ann, repost.pk)


def test_mute_hides_posts_without_unfollowing_or_disconnecting(cast):
    ann, ben = cast["ann"], cast["ben"]
    connect(ann, ben)
    made = post(ben, "Noisy")
    services.mute(member=ann, muted=ben)
    assert made.pk not in feed_ids(ann)
    rel = network.relationship(ann, ben)
    assert rel.connected and rel.following
    services.unmute(member=ann, muted=ben)
    assert made.pk in feed_ids(ann)


def test_p3_keyword_filter_hides_matching_posts_from_the_home_feed(cast):
    ann, ben = cast["ann"], cast["ben"]
    connect(ann, ben)
    noisy = post(ben, "Crypto moon soon")
    calm = post(ben, "Hiring engineers")
    services.create_filter(
        member=ann, title="No crypto", context=["home"], action="hide", keywords=[("crypto", True)]
    )
    assert feed_ids(ann) == [calm.pk]
    warned = services.create_filter(
        member=ann, title="Hiring", context=["home"], action="warn", keywords=[("hiring", True)]
    )
    page = home.home(ann)
    assert [i.post.pk for i in page.items] == [calm.pk]
    assert page.items[0].post.filtered[0][0].pk == warned.pk
    assert noisy.pk not in feed_ids(ann)


def test_p3_connection_activity_brings_a_post_with_the_reason_once(cast):
    ann, ben, cat, dan = cast["ann"], cast["ben"], cast["cat"], cast["dan"]
    connect(ann, ben)
    connect(ann, cat)
    outside = post(dan, "A stranger's post #talk")
    assert outside.pk not in feed_ids(ann)
    services.comment(author=ben, on=outside.pk, text="Good point")
    services.react(member=cat, post_id=outside.pk, kind="insightful")
    services.react(member=ben, post_id=outside.pk, kind="like")
    services.follow_hashtag(member=ann, name="talk")
    page = home.home(ann)
    items = [i for i in page.items if i.post.pk == outside.pk]
    assert len(items) == 1
    kinds = {r.kind: [a.username for a in r.actors] for r in items[0].reasons}
    assert kinds["commented"] == ["ben"]
    assert sorted(kinds["reacted"]) == ["ben", "cat"]
    assert "hashtag" in kinds
    services.unfollow_hashtag(member=ann, name="talk")
    services.unreact(member=cat, post_id=outside.pk)
    services.unreact(member=ben, post_id=outside.pk)
    services.delete(by=ben, post_id=outside.thread.get().pk)
    assert outside.pk not in feed_ids(ann)  # no reason left


def test_s7_no_connection_news_in_anyones_feed(cast):
    ann, ben, cat = cast["ann"], cast["ben"], cast["cat"]
    connect(ann, cat)
    connect(ben, cat)
    set_profile(ann, share_network_updates=False)
    connect(ann, ben)
    assert home.home(cat).items == []
    assert home.home(ann).items == []


def test_p3_read_time_author_is_merged_and_publish_writes_no_fan_out(cast, settings):
    settings.LINKWELL_FEED_FANOUT_MAX_FOLLOWERS = 3
    ann, ben, cat, dan, eve = (cast[n] for n in ("ann", "ben", "cat", "dan", "eve"))
    for follower in (ben, cat, dan):
        network_services.follow(follower=follower, followee=ann)
    made = post(ann, "To my many followers")
    assert FeedAuthor.objects.get(member=ann).read_time
    assert list(TimelineEntry.objects.filter(post=made).values_list("member_id", flat=True)) == [
        ann.pk
    ]
    for follower in (ben, cat, dan):
        assert made.pk in feed_ids(follower)
        assert made.pk in feed_ids(follower, order="top")
    assert made.pk not in feed_ids(eve)
    small = post(ben, "To my few")
    assert set(TimelineEntry.objects.filter(post=small).values_list("member_id", flat=True)) == {
        ben.pk
    }


def test_p3_fan_out_writes_one_row_per_reader(cast):
    ann, ben, cat = cast["ann"], cast["ben"], cast["cat"]
    connect(ann, ben)
    network_services.follow(follower=cat, followee=ann)
    public = post(ann, "Public")
    private = post(ann, "Private", visibility="connections")

    def readers(p):
        return set(TimelineEntry.objects.filter(post=p).values_list("member_id", flat=True))  # noqa: E731

    assert readers(public) == {ann.pk, ben.pk, cat.pk}
    assert readers(private) == {ann.pk, ben.pk}


def test_p3_recent_pages_by_post_id_and_top_ranks_engagement(cast):
    ann, ben = cast["ann"], cast["ben"]
    connect(ann, ben)
    made = [post(ben, f"Post {i}") for i in range(7)]
    first = home.home(ann, limit=3)
    assert [i.post.pk for i in first.items] == [p.pk for p in made[::-1][:3]]
    second = home.home(ann, limit=3, max_id=first.next_max_id)
    assert [i.post.pk for i in second.items] == [p.pk for p in made[::-1][3:6]]
    services.react(member=ann, post_id=made[0].pk)
    services.comment(author=ann, on=made[0].pk, text="!")
    top = home.home(ann, order="top", limit=3)
    assert top.items[0].post.pk == made[0].pk
    more = home.home(ann, order="top", limit=3, offset=top.next_offset, anchor=top.anchor)
    seen = [i.post.pk for i in top.items + more.items]
    assert len(seen) == len(set(seen)) == 6


def test_p4_impressions_count_unique_viewers_without_a_write_per_view(
    cast, settings, django_assert_num_queries
):
    settings.LINKWELL_IMPRESSIONS_FLUSH_SIZE = 1000
    settings.LINKWELL_IMPRESSIONS_FLUSH_SECONDS = 3600
    ann, ben, cat = cast["ann"], cast["ben"], cast["cat"]
    made = post(ann, "Count me")
    impressions.drain()
    with django_assert_num_queries(0):
        for viewer in (ben, cat, ben, ben, ann):
            impressions.record(viewer, [made])
    assert not PostView.objects.exists()
    impressions.flush(impressions.drain())
    made.refresh_from_db()
    assert made.impressions_count == 2


def test_p4_overlapping_flushes_from_two_workers_count_each_viewer_once(cast):
    ann, ben, cat, dan = (cast[n] for n in ("ann", "ben", "cat", "dan"))
    made = post(ann, "Seen by many")
    assert impressions.flush([(made.pk, ben.pk), (made.pk, cat.pk)]) == 2
    # another worker's buffer saw Cat too (its cache is its own) and Dan
    assert impressions.flush([(made.pk, cat.pk), (made.pk, dan.pk)]) == 1
    made.refresh_from_db()
    assert made.impressions_count == 3 == PostView.objects.filter(post=made).count()


def test_p4_a_worker_writes_its_buffer_when_it_is_old_or_when_it_exits(cast, settings):
    settings.LINKWELL_IMPRESSIONS_FLUSH_SIZE = 1000
    settings.LINKWELL_IMPRESSIONS_FLUSH_SECONDS = 3600
    ann, ben, cat = cast["ann"], cast["ben"], cast["cat"]
    made = post(ann, "Quiet worker")
    impressions.drain()
    impressions.record(ben, [made])
    assert not PostView.objects.exists()
    impressions._flush_at_exit()  # what atexit runs when gunicorn stops the worker
    assert PostView.objects.filter(post=made, viewer=ben).exists()
    impressions.record(cat, [made])
    settings.LINKWELL_IMPRESSIONS_FLUSH_SECONDS = 0
    impressions.record(cat, [made])  # nothing new, but the buffer is old: it goes now
    made.refresh_from_db()
    assert made.impressions_count == 2


def test_p3_home_queries_do_not_grow_with_followed_tags_or_read_time_authors(cast, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.LINKWELL_FEED_FANOUT_MAX_FOLLOWERS = 1  # every author is read-time
    ann = cast["ann"]

    def queries_for_home():
        with CaptureQueriesContext(connection) as captured:
            page = home.home(ann)
        return len(captured), len(page.items)

    network_services.follow(follower=ann, followee=cast["ben"])
    services.follow_hashtag(member=ann, name="one")
    post(cast["ben"], "Ben #one")
    post(cast["eve"], "Eve #one")
    few = queries_for_home()
    for name in ("cat", "dan", "eve"):
        network_services.follow(follower=ann, followee=cast[name])
        post(cast[name], f"{name} #two #three")
    for tag in ("two", "three", "four"):
        services.follow_hashtag(member=ann, name=tag)
    many = queries_for_home()
    assert few[1] == 2 and many[1] == 5
    assert many[0] == few[0]
