"""P4: impressions are unique viewers per post, counted without a database write per view.

A view is first deduplicated in the cache (`cache.add` of a per-post-and-viewer key, so the
same viewer seen again costs one cache look-up), then buffered in the process; the buffer is
flushed as one batch through the `jobs.feed.flush_impressions` task when it holds
LINKWELL_IMPRESSIONS_FLUSH_SIZE views or is LINKWELL_IMPRESSIONS_FLUSH_SECONDS old, and by
the process exits (`atexit`: gunicorn's workers exit through it on a graceful stop or
restart). The flush inserts (post, viewer) rows whose unique key makes them unique across
processes and adds to each post's counter exactly the rows that were new (the insert's
`RETURNING`), so two processes flushing the same post at once both count right. A crash
(SIGKILL, power loss) loses at most one buffer: at most FLUSH_SIZE views or FLUSH_SECONDS of
one worker's views.
"""

import atexit
import logging
import threading
import time
from collections import Counter

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F

from feed.models import Post, PostView

log = logging.getLogger(__name__)

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
    if fresh:
        cache.set_many(dict.fromkeys(fresh, 1), SEEN_FOR)
    _buffer_views(list(fresh.values()))  # even with nothing new: an old buffer goes now


def _buffer_views(pairs) -> None:
    global _since
    with _lock:
        _buffer.extend(pairs)
        if not _buffer:
            return
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


INSERT_BATCH = 500  # 1,000 parameters a statement: under SQLite's limit


@transaction.atomic
def flush(pairs) -> int:
    """Store a batch of views; each post's counter grows by the views that were new. Returns
    the number of new views."""
    pairs = sorted({(int(p), int(v)) for p, v in pairs})
    if not pairs:
        return 0
    existing = set(Post.objects.filter(pk__in={p for p, _ in pairs}).values_list("pk", flat=True))
    pairs = [(p, v) for p, v in pairs if p in existing]
    new: Counter = Counter()
    table = connection.ops.quote_name(PostView._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(pairs), INSERT_BATCH):
            chunk = pairs[start : start + INSERT_BATCH]
            values = ", ".join(["(%s, %s)"] * len(chunk))
            cursor.execute(
                f"INSERT INTO {table} (post_id, viewer_id) VALUES {values} "  # noqa: S608
                "ON CONFLICT DO NOTHING RETURNING post_id",
                [x for pair in chunk for x in pair],
            )
            new.update(row[0] for row in cursor.fetchall())
    by_amount: dict[int, list[int]] = {}
    for post_id, n in new.items():
        by_amount.setdefault(n, []).append(post_id)
    for n, post_ids in by_amount.items():  # a handful of statements, not one per post
        Post.objects.filter(pk__in=post_ids).update(impressions_count=F("impressions_count") + n)
    return sum(new.values())


@atexit.register
def _flush_at_exit() -> None:
    """A worker stopping (gunicorn's graceful stop or restart) writes what it buffered."""
    batch = drain()
    if not batch:
        return
    try:
        flush(batch)
    except Exception:  # the interpreter is going away: say so, don't raise
        log.exception("could not flush %s buffered impressions at exit", len(batch))
