"""P3's candidates: the post ids that may be in a viewer's home feed, before the door
(feed.queries.visible_posts) and the reasons (feed.home) decide which stay.

Four sources merged by id: the viewer's timeline rows (fanned out on write), and the newest
posts of the followed read-time authors, hashtags and pages (read when the feed is read).
What the viewer follows of the last three is one statement (`Followed`). A read-time
author's newest ids are the same for every reader and were most of a heavy member's
sources (50 leaders: one index range each), so they are kept in the cache per author,
under the author's `FeedAuthor.counted_at`, which the fan-out job moves on for every post
the author publishes (feed.fanout.author_reach): a new post changes the key, so an entry
never hides one, in any process and whatever the cache backend. Only the ids of deleted
posts can linger in an entry, and the door drops them. Nothing here decides visibility.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.db import connection, router
from django.db.models import DateTimeField, F, Value

from core.compiled import CompiledRead
from core.paging import CompiledPages
from core.union import union_all
from feed.models import FeedAuthor, HashtagFollow, Post, PostKind, PostTag, TimelineEntry
from feed.queries import bounded
from network import queries as network
from pages import queries as pages

SOURCES_PER_STATEMENT = 100
_KEY = -7_000_000_001  # stands for each author's or tag's id in the one compiled statement
_generation = 0  # forget_all() moves it on: a benchmark's cold reads


def _newest_of_each(page_of, keys) -> list[tuple]:
    """Run many small "newest n of this author / this tag" reads as one UNION ALL statement,
    each its own index range scan; the rows as `page_of` selects them. One `author IN (...)
    ORDER BY id DESC LIMIT n` instead lets the database walk the whole post index backwards
    hoping to meet those authors (PostgreSQL did, 140 ms at 100,000 members, even for a
    member following no tag). `page_of(key)` is compiled once, with a stand-in key, and run
    for every key: compiling 50 querysets cost more than running them (170 ms under load)."""
    keys = list(keys)
    if not keys:
        return []
    sql, template = page_of(_KEY).query.sql_with_params()
    rows: list[tuple] = []
    for start in range(0, len(keys), SOURCES_PER_STATEMENT):
        chunk = keys[start : start + SOURCES_PER_STATEMENT]
        parts = [f"SELECT * FROM ({sql}) AS source_{n}" for n in range(len(chunk))]  # noqa: S608
        params = [key if p == _KEY else p for key in chunk for p in template]
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), params)
            rows.extend(cursor.fetchall())
    return rows


def _followed(me):
    none = Value(None, output_field=DateTimeField())
    authors = FeedAuthor.objects.filter(
        read_time=True, member_id__in=network.followed_ids(me)
    ).annotate(source=Value("author"), key=F("member_id"), stamp=F("counted_at"))
    tags = HashtagFollow.objects.filter(member_id=me).annotate(
        source=Value("tag"), key=F("hashtag_id"), stamp=none
    )
    followed_pages = pages.page_follows_of(me).annotate(
        source=Value("page"), key=F("page_id"), stamp=none
    )
    return union_all(("source", "key", "stamp"), authors, tags, followed_pages)


# Every home feed page reads it: compiled once per database (core.compiled).
_FOLLOWED = CompiledRead(_followed, -1, constants=True)


class Followed:
    """What the viewer follows that is read at read time: read-time authors (with the
    version of their newest posts), hashtags and pages, in one statement, on first use."""

    def __init__(self, viewer):
        self.viewer = viewer
        self._rows: list[tuple] | None = None

    def _read(self) -> list[tuple]:
        if self._rows is None:
            alias = router.db_for_read(FeedAuthor)
            self._rows = [tuple(row) for row in _FOLLOWED.rows(alias, self.viewer.pk)]
        return self._rows

    @property
    def authors(self) -> dict:
        """{read-time author id: the version of their newest posts (counted_at)}"""
        return {key: stamp for source, key, stamp in self._read() if source == "author"}

    @property
    def tags(self) -> list[int]:
        return [key for source, key, _stamp in self._read() if source == "tag"]

    @property
    def pages(self) -> list[int]:
        return [key for source, key, _stamp in self._read() if source == "page"]


def candidate_ids(
    viewer, followed: Followed, *, limit, max_id=None, since_id=None, min_id=None
) -> list[int]:
    """Candidate post ids from the four sources, newest first (oldest first for min_id)."""
    ascending = min_id is not None
    order = "post_id" if ascending else "-post_id"
    bounds = {"max_id": max_id, "since_id": since_id, "min_id": min_id}

    def bound(rows, key):
        return bounded(rows, key, **bounds)

    found = set(_timeline_ids(viewer.pk, limit=limit, **bounds))
    found.update(_authors_newest(followed.authors, limit=limit, **bounds))
    tagged = _newest_of_each(
        lambda tag: (
            bound(PostTag.objects.filter(hashtag_id=tag, post__kind=PostKind.POST), "post_id")
            .order_by(order)
            .values_list("post_id", flat=True)[:limit]
        ),
        followed.tags,
    )
    paged = _newest_of_each(
        lambda page: (
            bound(Post.objects.filter(page_id=page), "id")
            .order_by(order.replace("post_id", "id"))
            .values_list("id", flat=True)[:limit]
        ),
        followed.pages,
    )
    found.update(row[0] for row in tagged + paged)
    return sorted(found, reverse=not ascending)[:limit]


# The viewer's timeline rows, one compiled statement per limit and cursors given: every feed
# page reads them.
_TIMELINE_PAGES = CompiledPages(
    lambda _shape, member: TimelineEntry.objects.filter(member_id=member).values_list("post_id"),
    "post_id",
    arguments=1,
)


def _timeline_ids(member_id: int, *, limit: int, max_id, since_id, min_id) -> list[int]:
    rows = _TIMELINE_PAGES.page(
        router.db_for_read(TimelineEntry),
        None,
        member_id,
        limit=limit,
        max_id=max_id,
        since_id=since_id,
        min_id=min_id,
    )
    return [post_id for (post_id,) in rows]


def _authors_posts(author_id: int):
    """A read-time author's posts, reposts and news, never comments (the partial index)."""
    return Post.objects.filter(author_id=author_id).exclude(kind=PostKind.COMMENT)


def _kept() -> int:
    """How many of each read-time author's newest ids an entry keeps: `top`'s whole window."""
    return settings.LINKWELL_FEED_TOP_CANDIDATES


def _authors_newest(authors: dict, *, limit, max_id, since_id, min_id) -> list[int]:
    """The newest `limit` ids of each author within the bounds, from the cache's entries
    (the ones missing read in one statement and kept), falling back to a bounded read for
    the authors whose entry can't tell (a page older than the kept ids)."""
    if not authors:
        return []
    kept = _kept()
    bounds = {"max_id": max_id, "since_id": since_id, "min_id": min_id}
    if limit > kept:
        return _bounded_newest(list(authors), limit=limit, **bounds)
    keys = {a: _entry_key(kept, a, stamp) for a, stamp in authors.items()}
    entries = cache.get_many(list(keys.values()))
    lists = {a: entries[key] for a, key in keys.items() if key in entries}
    missing = [a for a in authors if a not in lists]
    if missing:
        for a in missing:
            lists[a] = []
        rows = _newest_of_each(
            lambda a: _authors_posts(a).order_by("-id").values_list("author_id", "id")[:kept],
            missing,
        )
        for author_id, post_id in rows:
            lists[author_id].append(post_id)
        for a in missing:
            lists[a] = tuple(sorted(lists[a], reverse=True))
        cache.set_many({keys[a]: lists[a] for a in missing}, settings.LINKWELL_FEED_SOURCES_SECONDS)
    found, deep = [], []
    for author_id, ids in lists.items():
        answer = _within(ids, kept, limit=limit, **bounds)
        if answer is None:
            deep.append(author_id)
        else:
            found.extend(answer)
    return found + _bounded_newest(deep, limit=limit, **bounds)


def _entry_key(kept: int, author_id: int, stamp) -> str:
    """One author's entry, for this version of their newest posts (no spaces: any backend)."""
    version = stamp.isoformat() if hasattr(stamp, "isoformat") else str(stamp).replace(" ", "T")
    return f"feed:newest:{kept}:{_generation}:{author_id}:{version}"


def _within(ids, kept: int, *, limit, max_id, since_id, min_id) -> list[int] | None:
    """The ids the database would give for these bounds, from an author's newest `ids`
    (newest first, at most `kept`): None when the answer may lie below the oldest kept id."""
    complete = len(ids) < kept  # the author has no other posts
    lower = max(since_id or 0, min_id or 0)  # exclusive
    inside = [i for i in ids if (max_id is None or i < max_id) and i > lower]
    covered = complete or (bool(ids) and ids[-1] <= lower)
    if min_id is not None:  # the oldest above min_id
        return inside[::-1][:limit] if covered else None
    return inside[:limit] if covered or len(inside) >= limit else None


def _bounded_newest(author_ids, *, limit, max_id, since_id, min_id) -> list[int]:
    """Each author's newest (or, for min_id, oldest) `limit` ids within the bounds, read."""
    order = "id" if min_id is not None else "-id"
    bounds = {"max_id": max_id, "since_id": since_id, "min_id": min_id}

    def page_of(author_id):
        rows = bounded(_authors_posts(author_id), "id", **bounds)
        return rows.order_by(order).values_list("id", flat=True)[:limit]

    return [row[0] for row in _newest_of_each(page_of, author_ids)]


def forget_all() -> None:
    """This process stops reading the entries it kept (`linkwell bench feed`'s cold reads)."""
    global _generation
    _generation += 1
