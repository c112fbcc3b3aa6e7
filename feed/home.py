"""P3's read side: the home feed, in `recent` and `top` order, with the reasons shown.

Candidates come from three indexed sources merged by post id: the member's timeline rows
(fanned out on write), the recent posts of followed read-time authors (past the fan-out
threshold) and of followed hashtags. Each candidate then goes through the one door
(feed.queries.visible_posts) and must still have a reason: the viewer follows the author
(connections do, unless unfollowed), follows one of its hashtags, or a connection commented
on or reacted to it. Each post shows once however many reasons, with the reasons. The number
of queries does not depend on the page length nor the size of the network.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db import connection

from accounts.models import User
from core import clock
from feed import queries
from feed.models import (
    FeedAuthor,
    HashtagFollow,
    Post,
    PostKind,
    PostTag,
    Reaction,
    TimelineEntry,
)
from network import queries as network
from relationships import queries as relationships

ORDERS = ("top", "recent")

# P3 "top": relationship weights (1st-degree connection over follow), relationship strength
# (A4: up to twice the weight for the closest), engagement and recency; docs/feed.md.
WEIGHT_OWN = 1.0
WEIGHT_CONNECTION = 3.0
WEIGHT_CONNECTION_ACTIVITY = 2.0
WEIGHT_FOLLOW = 1.5
WEIGHT_HASHTAG = 1.0
WEIGHT_STRENGTH = 1.0  # A4: the score times (1 + strength / 100 × this)
# S7 news ("Ann is now connected to Ben") ranks below what members wrote themselves.
NEWS_FACTOR = 0.5


@dataclass
class Reason:
    kind: str  # own, follow, hashtag, commented, reacted
    actors: list = field(default_factory=list)  # Users, for commented / reacted
    hashtags: list = field(default_factory=list)  # names, for hashtag


@dataclass
class FeedItem:
    post: Post
    reasons: list[Reason]
    score: float = 0.0
    activity_at: datetime | None = None

    @property
    def activity(self) -> list[Reason]:
        """The reasons worth a line above the post ("Dana commented on this")."""
        return [r for r in self.reasons if r.kind in ("commented", "reacted", "hashtag")]


@dataclass
class FeedPage:
    items: list[FeedItem]
    next_max_id: int | None = None  # recent: continue below this post id
    next_offset: int | None = None  # top: continue at this rank within the same window
    anchor: int | None = None  # top: the newest post id of the ranked window
    newest_id: int | None = None


SOURCES_PER_STATEMENT = 100


def _newest_of_each(pages) -> list[int]:
    """Run many small "newest n of this author / this tag" reads as one UNION ALL statement,
    each its own index range scan. One `author IN (...) ORDER BY id DESC LIMIT n` instead
    lets the database walk the whole post index backwards hoping to meet those authors
    (PostgreSQL did, 140 ms at 100,000 members, even for a member following no tag)."""
    ids: list[int] = []
    pages = list(pages)
    for start in range(0, len(pages), SOURCES_PER_STATEMENT):
        parts, params = [], []
        for n, page in enumerate(pages[start : start + SOURCES_PER_STATEMENT]):
            sql, page_params = page.query.sql_with_params()
            parts.append(f"SELECT * FROM ({sql}) AS source_{n}")  # noqa: S608
            params.extend(page_params)
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), params)
            ids.extend(row[0] for row in cursor.fetchall())
    return ids


def _sources(viewer, *, limit, max_id=None, since_id=None, min_id=None) -> list[int]:
    """Candidate post ids from the three sources, newest first (oldest first for min_id)."""
    ascending = min_id is not None
    order = "post_id" if ascending else "-post_id"

    def bound(rows, key):
        if max_id is not None:
            rows = rows.filter(**{f"{key}__lt": max_id})
        if since_id is not None:
            rows = rows.filter(**{f"{key}__gt": since_id})
        if min_id is not None:
            rows = rows.filter(**{f"{key}__gt": min_id})
        return rows

    entries = bound(TimelineEntry.objects.filter(member_id=viewer.pk), "post_id")
    found = set(entries.order_by(order).values_list("post_id", flat=True)[:limit])
    leaders = FeedAuthor.objects.filter(
        read_time=True, member_id__in=network.followed_ids(viewer)
    ).values_list("member_id", flat=True)
    found.update(
        _newest_of_each(
            [
                bound(Post.objects.filter(author_id=leader).exclude(kind=PostKind.COMMENT), "id")
                .order_by(order.replace("post_id", "id"))
                .values_list("id", flat=True)[:limit]
                for leader in leaders
            ]
        )
    )
    tags = HashtagFollow.objects.filter(member_id=viewer.pk).values_list("hashtag_id", flat=True)
    found.update(
        _newest_of_each(
            [
                bound(PostTag.objects.filter(hashtag_id=tag, post__kind=PostKind.POST), "post_id")
                .order_by(order)
                .values_list("post_id", flat=True)[:limit]
                for tag in tags
            ]
        )
    )
    return sorted(found, reverse=not ascending)[:limit]


def _reasons(viewer, posts: list[Post], sight: queries.Sight) -> dict[int, list[Reason]]:
    """Why each post is in the feed now; a post with no reason left is dropped."""
    if not posts:
        return {}
    ids = [p.pk for p in posts]
    targets = {p.pk: (p.reblog_id or p.pk) for p in posts}
    target_ids = list(set(targets.values()))
    followed = network.followed_among(viewer, {p.author_id for p in posts})
    tags: dict[int, list[str]] = {}
    for post_id, name in PostTag.objects.filter(
        post_id__in=ids, hashtag__followers__member=viewer
    ).values_list("post_id", "hashtag__name"):
        tags.setdefault(post_id, []).append(name)
    unseen = sight.unseen
    commented: dict[int, list[tuple[int, datetime]]] = {}
    for root_id, author_id, at in (
        Post.objects.filter(root_id__in=target_ids)
        .filter(network.among_connections_of(viewer, "author_id"))
        .values_list("root_id", "author_id", "created_at")
    ):
        if author_id not in unseen:
            commented.setdefault(root_id, []).append((author_id, at))
    reacted: dict[int, list[tuple[int, datetime]]] = {}
    for post_id, member_id, at in (
        Reaction.objects.filter(post_id__in=target_ids)
        .filter(network.among_connections_of(viewer, "member_id"))
        .values_list("post_id", "member_id", "created_at")
    ):
        if member_id not in unseen:
            reacted.setdefault(post_id, []).append((member_id, at))
    actor_ids = {a for rows in (*commented.values(), *reacted.values()) for a, _ in rows}
    actors = User.objects.select_related("profile").in_bulk(list(actor_ids)) if actor_ids else {}
    result = {}
    for post in posts:
        target = targets[post.pk]
        reasons = []
        if post.author_id == viewer.pk:
            reasons.append(Reason("own"))
        elif post.author_id in followed:
            reasons.append(Reason("follow"))
        if tags.get(post.pk):
            reasons.append(Reason("hashtag", hashtags=tags[post.pk]))
        for kind, rows in (("commented", commented), ("reacted", reacted)):
            people = sorted(rows.get(target, []), key=lambda r: r[1], reverse=True)
            people = [actors[a] for a, _ in dict((a, t) for a, t in people).items() if a in actors]
            people = [p for p in people if p.pk != viewer.pk]
            if people:
                reasons.append(Reason(kind, actors=people))
        post.activity_times = [t for a, t in commented.get(target, []) + reacted.get(target, [])]
        result[post.pk] = reasons
    return result


def _score(item: FeedItem, connected: set[int], now: datetime) -> float:
    post = item.post.reblog if item.post.reblog_id else item.post
    weights = {
        "own": WEIGHT_OWN,
        "follow": WEIGHT_CONNECTION if item.post.author_id in connected else WEIGHT_FOLLOW,
        "hashtag": WEIGHT_HASHTAG,
        "commented": WEIGHT_CONNECTION_ACTIVITY,
        "reacted": WEIGHT_CONNECTION_ACTIVITY,
    }
    relationship = max((weights[r.kind] for r in item.reasons), default=WEIGHT_OWN)
    if post.kind == PostKind.NEWS:
        relationship *= NEWS_FACTOR
    engagement = post.reactions_count + 2 * post.comments_count + 3 * post.reposts_count
    latest = max([item.post.created_at, *getattr(item.post, "activity_times", [])])
    age_hours = max((now - latest).total_seconds(), 0) / 3600
    half_life = settings.LINKWELL_FEED_TOP_HALF_LIFE_HOURS
    return relationship * (1 + math.log1p(engagement)) * 0.5 ** (age_hours / half_life)


def _items(viewer, ids: list[int], sight: queries.Sight) -> list[FeedItem]:
    rows = queries.with_context(Post.objects.filter(pk__in=ids)).in_bulk(ids)
    candidates = [rows[i] for i in ids if i in rows]
    candidates = [p for p in candidates if p.kind != PostKind.COMMENT]
    visible = queries.visible_posts(viewer, candidates, sight=sight)
    reasons = _reasons(viewer, visible, sight)
    items, seen, told = [], set(), set()
    for post in visible:
        why = reasons.get(post.pk) or []
        target = post.reblog_id or post.pk
        if not why or target in seen or not _news_left(post, told):
            continue
        seen.add(target)
        items.append(FeedItem(post=post, reasons=why))
    filters = queries.active_filters(viewer, "home")
    kept = {p.pk for p in queries.apply_filters(filters, [i.post for i in items])}
    return [i for i in items if i.post.pk in kept]


def _news_left(post: Post, told: set) -> bool:
    """S7, never noise: "Ann is now connected to Ben" and "Ben is now connected to Ann" are
    one piece of news, so a page tells each connection once (the newer item keeps it)."""
    if post.kind != PostKind.NEWS:
        return True
    left = []
    for subject in post.news_subjects:
        if subject.member_id:
            pair = tuple(sorted((post.author_id, subject.member_id)))
            if pair in told:
                continue
            told.add(pair)
        left.append(subject)
    post.news_subjects = left
    return bool(left)


def home(
    viewer,
    *,
    order: str = "recent",
    limit: int | None = None,
    max_id: int | None = None,
    since_id: int | None = None,
    min_id: int | None = None,
    offset: int = 0,
    anchor: int | None = None,
    sight: queries.Sight | None = None,
) -> FeedPage:
    """One page of the viewer's home feed (P3); posts come decorated for display."""
    sight = sight or queries.Sight(viewer)
    limit = limit or settings.LINKWELL_FEED_PAGE
    if order == "top" and since_id is None and min_id is None and (max_id is None or anchor):
        return _top(viewer, limit=limit, offset=offset, anchor=anchor, sight=sight)
    ids = _sources(viewer, limit=limit * 2, max_id=max_id, since_id=since_id, min_id=min_id)
    items = _items(viewer, ids, sight)
    if min_id is not None:
        items = items[:limit]
        items.reverse()
        page = FeedPage(items=items, next_max_id=items[-1].post.pk if items else None)
    else:
        shown = items[:limit]
        if len(shown) == limit:
            next_max = shown[-1].post.pk
        elif len(ids) == limit * 2:
            next_max = ids[-1]
        else:
            next_max = None
        page = FeedPage(items=shown, next_max_id=next_max)
    page.newest_id = page.items[0].post.pk if page.items else None
    queries.decorate(viewer, [i.post for i in page.items], sight=sight)
    return page


def _top(viewer, *, limit, offset, anchor, sight) -> FeedPage:
    """Rank the newest LINKWELL_FEED_TOP_CANDIDATES candidates (below `anchor` when paging,
    so the window holds still) and serve them by rank; past the window, `recent` continues."""
    window = settings.LINKWELL_FEED_TOP_CANDIDATES
    ids = _sources(viewer, limit=window, max_id=(anchor + 1) if anchor else None)
    items = _items(viewer, ids, sight)
    now = clock.now()
    connected = sight.connected({i.post.author_id for i in items})
    # A4: how close the viewer is to each author, from the kept counters (one query)
    closeness = relationships.strength_by_member(viewer, {i.post.author_id for i in items})
    for item in items:
        item.score = _score(item, connected, now) * (
            1 + closeness.get(item.post.author_id, 0) / 100 * WEIGHT_STRENGTH
        )
    items.sort(key=lambda i: (-i.score, -i.post.pk))
    offset = max(offset, 0)
    shown = items[offset : offset + limit]
    page = FeedPage(items=shown, anchor=ids[0] if ids else None)
    if offset + limit < len(items):
        page.next_offset = offset + limit
    elif len(ids) == window:
        page.next_max_id = ids[-1]  # the window is used up: continue in recent order
    page.newest_id = max((i.post.pk for i in items), default=None)
    queries.decorate(viewer, [i.post for i in shown], sight=sight)
    return page
