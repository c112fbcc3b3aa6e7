"""P3's write side: a new post into its readers' timelines, after commit, in a job.

Fan-out on write for authors under LINKWELL_FEED_FANOUT_MAX_FOLLOWERS followers; past it the
author is marked `read_time` and their posts are merged into feeds when read (feed.home), so a
member followed by 100,000 people publishes without waiting for 100,000 rows. Measured
figures and the reasons: docs/architecture.md, "Home feed".
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction

from core import clock, live
from feed.models import FeedAuthor, Post, PostKind, TimelineEntry, Visibility
from network import queries as network

BATCH = 5_000


def _insert(member_ids, post_id: int) -> int:
    rows = [TimelineEntry(member_id=m, post_id=post_id) for m in member_ids]
    for start in range(0, len(rows), BATCH):
        TimelineEntry.objects.bulk_create(rows[start : start + BATCH], ignore_conflicts=True)
    return len(rows)


def author_reach(author_id: int) -> FeedAuthor:
    """Count the author's followers and record whether their posts are read-time; hysteresis
    (a read-time author returns to fan-out only under half the threshold) keeps an author
    near the line from flapping. Run for every post the author publishes, so `counted_at`
    (strictly later each time) is also the version of their newest posts: feed.sources
    keeps a read-time author's newest ids under it."""
    threshold = settings.LINKWELL_FEED_FANOUT_MAX_FOLLOWERS
    followers = network.follower_count(author_id)
    row = FeedAuthor.objects.filter(member_id=author_id).first()
    was = row.read_time if row else False
    read_time = followers >= threshold or (was and followers >= threshold // 2)
    if row is None:
        row = FeedAuthor(member_id=author_id)
    now = clock.now()
    if row.counted_at is not None and now <= row.counted_at:  # a clock that stood still
        now = row.counted_at + timedelta(microseconds=1)
    row.followers, row.read_time, row.counted_at = followers, read_time, now
    row.save()
    return row


def live_readers(post: Post) -> list[int]:
    """Whose open streams hear of the post (Mastodon's `update`, `status.update`, `delete` on
    the user stream): the home timeline's readers, its author's followers (only those who
    are connections, for a `connections` post) and the author. Each stream still asks the
    feed's door for its member before it sends a status (P1, B1)."""
    readers = set(network.follower_ids(post.author_id))
    if post.visibility == Visibility.CONNECTIONS:
        readers &= set(network.connection_id_list(post.author_id))
    readers.add(post.author_id)
    return sorted(readers)


def publish_live(post: Post, event: str) -> None:
    """After commit, one event to the post's live readers (one Redis message for them all);
    comments aren't on home timelines, so they send none."""
    if post.kind == PostKind.COMMENT:
        return
    data = {"post_id": post.pk}
    live.publish_many_after_commit(live_readers(post), event, data)


@transaction.atomic
def fan_out_post(post_id: int) -> int:
    """Rows written: the author's own timeline and their followers' (for a `connections` post,
    only followers who are connections, P1/F2). None for a read-time author."""
    post = (
        Post.objects.filter(pk=post_id)
        .only("id", "author_id", "kind", "visibility", "page_id")
        .first()
    )
    if post is None or post.kind == PostKind.COMMENT or post.page_id:
        return 0  # G2: a page's posts are read into its followers' feeds at read time
    reach = author_reach(post.author_id)
    readers = live_readers(post)
    live.publish_many_after_commit(readers, "update", {"post_id": post.pk})
    if reach.read_time:
        return _insert([post.author_id], post.pk)
    return _insert(readers, post.pk)


@transaction.atomic
def fan_out_activity(member_id: int, post_id: int) -> int:
    """A member commented on or reacted to a post: it becomes a candidate in their
    connections' timelines; the read shows it only while the reason holds and the viewer may
    see the post ("Dana commented on this")."""
    post = Post.objects.filter(pk=post_id).only("id", "kind").first()
    if post is None or post.kind == PostKind.COMMENT:
        return 0
    return _insert(network.connection_id_list(member_id), post.pk)
