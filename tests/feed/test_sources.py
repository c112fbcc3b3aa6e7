"""P3's sources (feed.sources): a read-time author's newest ids kept in the cache never hide
a new post, never show what the door refuses, and page past what is kept like the database."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from feed import home, sources
from feed.models import FeedAuthor
from network import services as network_services
from tests.feed.factories import connect, post


def feed_ids(member, **kwargs):
    return [item.post.pk for item in home.home(member, **kwargs).items]


def _leader(settings, cast):
    """Ann follows Ben, whose posts are read at read time (every author is, here)."""
    settings.LINKWELL_FEED_FANOUT_MAX_FOLLOWERS = 1
    ann, ben = cast["ann"], cast["ben"]
    network_services.follow(follower=ann, followee=ben)
    return ann, ben


def test_p3_a_read_time_authors_new_post_shows_at_once_though_their_ids_are_cached(cast, settings):
    ann, ben = _leader(settings, cast)
    first = post(ben, "First")
    assert FeedAuthor.objects.get(member=ben).read_time
    assert feed_ids(ann) == [first.pk]  # Ben's newest ids are now in the cache
    second = post(ben, "Second")
    assert feed_ids(ann) == [second.pk, first.pk]
    assert set(feed_ids(ann, order="top")) == {first.pk, second.pk}


def test_p3_a_new_post_shows_at_once_even_when_the_clock_stands_still(cast, settings, frozen_now):
    ann, ben = _leader(settings, cast)
    first = post(ben, "First")
    stamp = FeedAuthor.objects.get(member=ben).counted_at
    assert feed_ids(ann) == [first.pk]
    second = post(ben, "Second, same instant")
    assert FeedAuthor.objects.get(member=ben).counted_at > stamp  # the entry's key moved on
    assert feed_ids(ann) == [second.pk, first.pk]


def test_p3_b1_a_block_hides_a_cached_read_time_authors_posts_on_the_next_read(cast, settings):
    ann, ben = _leader(settings, cast)
    made = post(ben, "Before the block")
    assert feed_ids(ann) == [made.pk]
    network_services.block(blocker=ben, blocked=ann)
    assert feed_ids(ann) == []
    assert feed_ids(ann, order="top") == []


def test_p1_a_cached_connections_post_stays_with_connections(cast, settings):
    ann, ben, cat = cast["ann"], cast["ben"], cast["cat"]
    settings.LINKWELL_FEED_FANOUT_MAX_FOLLOWERS = 1
    connect(ann, ben)
    network_services.follow(follower=cat, followee=ben)
    private = post(ben, "Connections only", visibility="connections")
    assert feed_ids(ann) == [private.pk]  # cached for both readers alike
    assert feed_ids(cat) == []


def test_p3_unfollowing_a_cached_read_time_author_drops_their_posts(cast, settings):
    ann, ben = _leader(settings, cast)
    post(ben, "Followed, then not")
    assert feed_ids(ann)
    network_services.unfollow(follower=ann, followee=ben)
    assert feed_ids(ann) == []


def test_p3_paging_past_the_kept_ids_reads_the_rest_from_the_database(cast, settings):
    ann, ben = _leader(settings, cast)
    settings.LINKWELL_FEED_TOP_CANDIDATES = 3  # an entry keeps Ben's 3 newest ids
    made = [post(ben, f"Post {i}").pk for i in range(7)]
    seen, below = [], None
    while True:
        page = home.home(ann, order="recent", limit=2, max_id=below)
        seen += [item.post.pk for item in page.items]
        if page.next_max_id is None:
            break
        below = page.next_max_id
    assert seen == sorted(made, reverse=True)
    newer = home.home(ann, order="recent", limit=2, min_id=made[1])
    assert [item.post.pk for item in newer.items] == [made[3], made[2]]


def test_p3_a_second_read_takes_the_read_time_authors_ids_from_the_cache(cast, settings):
    ann, ben = _leader(settings, cast)
    post(ben, "Cached")

    def statements():
        with CaptureQueriesContext(connection) as captured:
            home.home(ann)
        return [q["sql"] for q in captured.captured_queries]

    sources.forget_all()
    cold, warm = statements(), statements()
    assert len(warm) == len(cold) - 1  # Ben's newest ids: read once, then kept
