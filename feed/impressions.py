"""P4: impressions are unique viewers per post, counted without a database write per view.

A view is first deduplicated in the cache (`cache.add` of a per-post-and-viewer key, so the
same viewer seen again costs one cache look-up), then buffered in the process; the buffer is
flushed as one batch through the `jobs.feed.flush_impressions` task when it holds
LINKWELL_IMPRESSIONS_FLUSH_SIZE views or is LINKWELL_IMPRESSIONS_FLUSH_SECONDS old, and by
`linkwell flush_impressions` (run it from cron, and at shutdown). The flush inserts
(post, viewer) rows whose unique key makes the count exact across processes, then sets each
touched post's counter from those rows. A crash loses at most one buffer of views.
"""

import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count

from feed.models import Post, PostView

SEEN_FOR = 60 * 60 * 24 * 30  # a viewer's key lives 30 days in the cache

_lock = threading.Lock()
_buffer: list[tuple[int, int]] = []
_since = time.monotonic()


def record(viewer, posts) -> None:
    """Called by pages and timelines that show posts to a signed-in member (not the author)."""
    if viewer is None or not viewer.is_authenticated:
        return
    pairs = []
    for post in posts:
        for shown in (post, getattr(post, "reblog", None) if post.reblog_id else None):
            if shown is not None and shown.author_id != viewer.pk:
                pairs.append((shown.pk, viewer.pk))
    if not pairs:
        return
    keys = {f"linkwell:seen:{p}:{v}": (p, v) for p, v in pairs}
    known = cache.get_many(list(keys))
    fresh = {k: pair for k, pair in keys.items() if k not in known}
    if not fresh:
        return
    cache.set_many(dict.fromkeys(fresh, 1), SEEN_FOR)
    _buffer_views(list(fresh.values()))


def _buffer_views(pairs) -> None:
    global _since
    with _lock:
        _buffer.extend(pairs)
        full = len(_buffer) >= settings.LINKWELL_IMPRESSIONS_FLUSH_SIZE
        old = time.monotonic() - _since >= settings.LINKWELL_IMPRESSIONS_FLUSH_SECONDS
        if not (full or old):
            return
        batch = list(_buffer)
        _buffer.clear()
        _since = time.monotonic()
    from django.utils.module_loading import import_string

    import_string("jobs.feed.flush_impressions").enqueue([list(p) for p in batch])


def drain() -> list[tuple[int, int]]:
    """Take what this process buffered (the command and tests flush it)."""
    global _since
    with _lock:
        batch = list(_buffer)
        _buffer.clear()
        _since = time.monotonic()
    return batch


@transaction.atomic
def flush(pairs) -> int:
    """Store a batch of views and bring the touched posts' counters up to date."""
    pairs = {(int(p), int(v)) for p, v in pairs}
    if not pairs:
        return 0
    existing = set(Post.objects.filter(pk__in={p for p, _ in pairs}).values_list("pk", flat=True))
    rows = [PostView(post_id=p, viewer_id=v) for p, v in pairs if p in existing]
    PostView.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    counts = (
        PostView.objects.filter(post_id__in=existing)
        .values("post_id")
        .annotate(n=Count("viewer_id"))
        .values_list("post_id", "n")
    )
    for post_id, n in counts:
        Post.objects.filter(pk=post_id).update(impressions_count=n)
    return len(rows)
