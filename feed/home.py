"""P3's read side: the home feed, in `recent` and `top` order, with the reasons shown.

Candidates come from four indexed sources merged by post id (feed.sources): the member's
timeline rows (fanned out on write), the recent posts of followed read-time authors (past the
fan-out threshold), of followed hashtags and of followed pages (G2: a page's posts are never
fanned out). Each candidate then goes through the one door (feed.queries.visible_posts) and must
still have a reason: the viewer follows the author (connections do, unless unfollowed) or the
page it speaks for, follows one of its hashtags, or a connection commented on or reacted to
it. Each post shows once however many reasons, with the reasons. The number
of queries does not depend on the page length nor the size of the network.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
from django.conf import settings
from django.core.cache import cache
from django.db import router
from django.db.models import F, Value

from accounts.models import User
from core import clock
from core.compiled import CompiledRead
from core.edge import INT64_MAX
from core.lookups import Ids
from core.union import union_all
from feed import queries, sources
from feed.models import Post, PostKind, PostTag, Reaction
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
WEIGHT_PAGE = 1.5  # G2: a followed page as a followed member
WEIGHT_STRENGTH = 1.0  # A4: the score times (1 + strength / 100 × this)
# S7 news ("Ann is now connected to Ben") ranks below what members wrote themselves.
NEWS_FACTOR = 0.5
TOP_SLACK = 5  # ids read past the page, so a few hidden ones don't cost another round
PROBE_ROWS = 1_000  # `_signals`: up to this many activity rows, probe each; past it, hash


@dataclass
class Reason:
    kind: str  # own, follow, page, hashtag, commented, reacted
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


@dataclass
class Candidate:
    """One candidate as the ranking reads it: plain values, no model instance (building all
    200 posts with their authors, roots and originals was most of `top`'s time)."""

    id: int
    author_id: int
    target_id: int  # the original of a plain repost, else the post itself
    kind: str
    created_at: datetime
    engagement: int  # the target's reactions + 2 x comments + 3 x reposts
    page_id: int | None = None  # G2: the page a post speaks for
    original_author_id: int | None = None  # a plain repost's original's author
    activity: int = 0  # the target's reaction and comment rows (what `_signals` probes)


@dataclass
class Signals:
    """Why each candidate may be in the feed, read once per window and shared by the ranking
    and the reasons shown: followed authors, followed tags, connections' activity."""

    followed: set[int]
    tags: dict[int, list[str]]
    commented: dict[int, list[tuple[int, datetime]]]
    reacted: dict[int, list[tuple[int, datetime]]]
    followed_pages: set[int] = field(default_factory=set)


_COUNTERS = ("reactions_count", "comments_count", "reposts_count")

# The feed's statements on every page, compiled once per database (core.compiled): the ORM
# building them cost more of a page's CPU than PostgreSQL's answers did (docs/benchmarks.md,
# "One million members on PostgreSQL, a fifth time").
_CANDIDATE_ROWS = CompiledRead(
    lambda ids: (
        Post.objects.filter(pk__among=ids)
        .exclude(kind=PostKind.COMMENT)
        .values_list(
            "id",
            "author_id",
            "reblog_id",
            "kind",
            "created_at",
            "page_id",
            "reblog__author_id",
            *_COUNTERS,
            *(f"reblog__{c}" for c in _COUNTERS),
        )
    ),
    Ids("ids"),
    constants=True,
)
_FOLLOWED_TAGS = CompiledRead(
    lambda ids, me: PostTag.objects.filter(
        post_id__among=ids, hashtag__followers__member_id=me
    ).values_list("post_id", "hashtag__name"),
    Ids("ids"),
    -1,
)


def _activity_read(among) -> CompiledRead:
    """Connections' comments and reactions on the targets, as one UNION ALL; `among` says
    how "a connection of the viewer" is asked (`_signals`)."""
    parts = lambda targets, me: [  # noqa: E731
        model.objects.filter(**{f"{target}__among": targets})
        .filter(among(me, actor))
        .annotate(source=Value(tag), target=F(target), actor=F(actor), at=F("created_at"))
        for model, tag, target, actor in (
            (Post, "c", "root_id", "author_id"),
            (Reaction, "r", "post_id", "member_id"),
        )
    ]
    return CompiledRead(
        lambda targets, me: union_all(("source", "target", "actor", "at"), *parts(targets, me)),
        Ids("targets"),
        -1,
        constants=True,
        numbers=(1,),  # EXISTS carries its own `SELECT 1 ... LIMIT 1`
    )


_ACTIVITY = {
    among: _activity_read(among) for among in (network.connected_to, network.among_connections_of)
}


def _candidates(ids: list[int]) -> list[Candidate]:
    """The window's rows as tuples (one query), in `ids` order; comments never show."""
    rows = _CANDIDATE_ROWS.rows(router.db_for_read(Post), ids)
    found = {}
    for pk, author, reblog, kind, at, page, original, r, c, p, rr, rc, rp in rows:
        counts = (rr or 0, rc or 0, rp or 0) if reblog is not None else (r, c, p)
        found[pk] = _candidate(pk, author, reblog or pk, kind, at, page, original, counts)
    return [found[i] for i in ids if i in found]


def _candidate(pk, author, target, kind, at, page, original, counts) -> Candidate:
    """A window's row; `counts`: its target's reactions, comments and reposts."""
    r, c, p = counts
    return Candidate(pk, author, target, kind, at, r + 2 * c + 3 * p, page, original, r + c)


def _candidates_of(posts: list[Post]) -> list[Candidate]:
    """The same values from posts already loaded with their originals (`posts_in_context`),
    so a page whose posts were read needs no second read of them."""
    found = []
    for post in posts:
        target = post.reblog if post.reblog_id else post
        counts = (
            (target.reactions_count, target.comments_count, target.reposts_count)
            if target is not None
            else (0, 0, 0)
        )
        original = target.author_id if post.reblog_id and target is not None else None
        found.append(
            _candidate(
                post.pk,
                post.author_id,
                post.reblog_id or post.pk,
                post.kind,
                post.created_at,
                post.page_id,
                original,
                counts,
            )
        )
    return found


def _authors_known(viewer, sight: queries.Sight, candidates: list[Candidate]) -> set[int]:
    """Which of the candidates' authors the viewer follows; which of them (and of the
    originals' authors) are connections is kept in `sight`, so the door and the ranking ask
    no more: one statement for both questions."""
    ids = {c.author_id for c in candidates}
    ids.update(c.original_author_id for c in candidates if c.original_author_id)
    ids.discard(viewer.pk)
    followed, connected = network.followed_and_connected_among(viewer, ids)
    sight.note_connected(ids, connected)
    return followed


def _signals(
    viewer, candidates: list[Candidate], sight: queries.Sight, follows=None, authors=None
) -> Signals:
    """Three queries whatever the window's size: the authors' follows and connections (none
    when `authors`, `_authors_known`'s answer, is given), tags, and connections' comments
    and reactions (and the followed pages, when a page's post is among them and the sources
    didn't read them)."""
    if not candidates:
        return Signals(set(), {}, {}, {})
    ids = [c.id for c in candidates]
    target_ids = list({c.target_id for c in candidates})
    if authors is None:
        authors = _authors_known(viewer, sight, candidates)
    followed = {c.author_id for c in candidates if not c.page_id} & authors
    follows = follows or sources.Followed(viewer)
    followed_pages = set(follows.pages) if any(c.page_id for c in candidates) else set()
    tags: dict[int, list[str]] = {}
    for post_id, name in _FOLLOWED_TAGS.rows(router.db_for_read(PostTag), ids, viewer.pk):
        tags.setdefault(post_id, []).append(name)
    unseen = sight.unseen
    # Whose comments and reactions are the viewer's connections': probed per row on the
    # connection pair's index when the targets carry few rows, else the viewer's connections
    # hashed (reading all of them: 6,400 for the heavy member at 100,000 members, 29 ms, where
    # probing the window's 320 rows took 8; probing 11,000 rows took 83, hashing 37).
    rows = sum({c.target_id: c.activity for c in candidates}.values())
    among = network.connected_to if rows <= PROBE_ROWS else network.among_connections_of
    activity = _ACTIVITY[among].rows(router.db_for_read(Post), target_ids, viewer.pk)
    commented: dict[int, list[tuple[int, datetime]]] = {}
    reacted: dict[int, list[tuple[int, datetime]]] = {}
    for source, target, actor, at in activity:
        if actor not in unseen and actor != viewer.pk:
            (commented if source == "c" else reacted).setdefault(target, []).append((actor, at))
    return Signals(followed, tags, commented, reacted, followed_pages)


def _reasons(viewer, posts: list[Post], signals: Signals) -> dict[int, list[Reason]]:
    """Why each post is in the feed now, from the signals; a post with no reason left is
    dropped. Only the actors named on these posts are loaded (one query)."""
    if not posts:
        return {}
    targets = {p.pk: (p.reblog_id or p.pk) for p in posts}
    actor_ids = {
        a
        for t in targets.values()
        for rows in (signals.commented.get(t, []), signals.reacted.get(t, []))
        for a, _at in rows
    }
    actors = User.objects.select_related("profile").in_bulk(list(actor_ids)) if actor_ids else {}
    result = {}
    for post in posts:
        target = targets[post.pk]
        reasons = []
        if post.page_id:
            if post.page_id in signals.followed_pages:
                reasons.append(Reason("page"))  # G2
        elif post.author_id == viewer.pk:
            reasons.append(Reason("own"))
        elif post.author_id in signals.followed:
            reasons.append(Reason("follow"))
        if signals.tags.get(post.pk):
            reasons.append(Reason("hashtag", hashtags=signals.tags[post.pk]))
        for kind, rows in (("commented", signals.commented), ("reacted", signals.reacted)):
            people = sorted(rows.get(target, []), key=lambda r: r[1], reverse=True)
            people = [actors[a] for a in dict.fromkeys(a for a, _t in people) if a in actors]
            if people:
                reasons.append(Reason(kind, actors=people))
        result[post.pk] = reasons
    return result


def _items(viewer, ids: list[int], sight: queries.Sight, followed, signals=None):
    """The posts of `ids` (in order) that pass the door and still have a reason, each post
    once, keyword filters applied; `signals` are the window's when it was read already."""
    rows = queries.posts_in_context(ids)
    candidates = [rows[i] for i in ids if i in rows]
    candidates = [p for p in candidates if p.kind != PostKind.COMMENT]
    window, authors = [], None
    if signals is None:
        window = _candidates_of(candidates)
        authors = _authors_known(viewer, sight, window)  # the door's connections too
    visible = queries.visible_posts(viewer, candidates, sight=sight)
    if signals is None:
        shown = {p.pk for p in visible}
        window = [c for c in window if c.id in shown]
        signals = _signals(viewer, window, sight, followed, authors)
    reasons = _reasons(viewer, visible, signals)
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
    followed = sources.Followed(viewer)
    if order == "top" and since_id is None and min_id is None and (max_id is None or anchor):
        return _top(
            viewer, limit=limit, offset=offset, anchor=anchor, sight=sight, followed=followed
        )
    ids = sources.candidate_ids(
        viewer, followed, limit=limit * 2, max_id=max_id, since_id=since_id, min_id=min_id
    )
    items = _items(viewer, ids, sight, followed)
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


# --- `top` ---------------------------------------------------------------------------------


def author_weights(viewer, author_ids: np.ndarray) -> np.ndarray:
    """The one place an extra per-author weight plugs into `top`: A4's relationship strength,
    1 + strength / 100 x WEIGHT_STRENGTH per candidate's author, from the kept counters (one
    query per ranked window); an author the viewer has no tie to keeps 1.0."""
    closeness = relationships.strength_by_member(viewer, {int(a) for a in author_ids})
    strength = np.fromiter((closeness.get(int(a), 0) for a in author_ids), np.float64)
    return 1 + strength / 100 * WEIGHT_STRENGTH


def rank(viewer, candidates: list[Candidate], signals: Signals, connected: set[int], now):
    """(ids best first, their scores) by the formula in docs/feed.md, "Orders":

        relationship x author_weights x (1 + ln(1 + engagement)) x 0.5 ^ (age_hours / half-life)

    relationship is the largest of the candidate's reasons (a connection's post 3, a post a
    connection commented on or reacted to 2, a followed member's or page's 1.5, a followed
    tag's or your own 1; news half that); age runs from the latest of the post and its
    connections' activity on it. Ties: the newer post first. numpy over plain values: no query."""
    n = len(candidates)
    if not n:
        return [], np.zeros(0)
    ids = np.fromiter((c.id for c in candidates), np.int64, n)
    authors = np.fromiter((c.author_id for c in candidates), np.int64, n)
    engagement = np.fromiter((c.engagement for c in candidates), np.float64, n)
    relationship, latest = np.empty(n), np.empty(n)
    for i, c in enumerate(candidates):
        weights = []
        if c.page_id:
            if c.page_id in signals.followed_pages:
                weights.append(WEIGHT_PAGE)
        elif c.author_id == viewer.pk:
            weights.append(WEIGHT_OWN)
        elif c.author_id in signals.followed:
            weights.append(WEIGHT_CONNECTION if c.author_id in connected else WEIGHT_FOLLOW)
        if c.id in signals.tags:
            weights.append(WEIGHT_HASHTAG)
        activity = signals.commented.get(c.target_id, []) + signals.reacted.get(c.target_id, [])
        if activity:
            weights.append(WEIGHT_CONNECTION_ACTIVITY)
        news = NEWS_FACTOR if c.kind == PostKind.NEWS else 1.0
        relationship[i] = max(weights, default=WEIGHT_OWN) * news
        latest[i] = max([c.created_at, *(t for _a, t in activity)]).timestamp()
    age_hours = np.maximum(now.timestamp() - latest, 0) / 3600
    half_life = settings.LINKWELL_FEED_TOP_HALF_LIFE_HOURS
    score = (
        relationship
        * author_weights(viewer, authors)
        * (1 + np.log1p(engagement))
        * 0.5 ** (age_hours / half_life)
    )
    order = np.lexsort((-ids, -score))
    return [int(i) for i in ids[order]], score[order]


@dataclass
class RankedWindow:
    ids: list[int]  # best first
    scores: dict[int, float]
    anchor: int | None  # the newest candidate id: the window's place
    last: int | None  # the oldest candidate id when the window was full (recent goes on)


TOP_CACHE_SECONDS = 300


def _window(viewer, *, anchor, sight, followed) -> tuple[RankedWindow, Signals | None]:
    """The ranked window (below `anchor` when paging, so it holds still), from the cache when
    an earlier page of the same window put it there: the next pages then read no sources and
    rank nothing (and have no signals: each page reads its own, for its posts only)."""
    if anchor:
        found = cache.get(f"feed:top:{viewer.pk}:{anchor}")
        if found is not None:
            return found, None
    size = settings.LINKWELL_FEED_TOP_CANDIDATES
    # The anchor itself is a candidate (max_id is exclusive), the largest id the edge lets in
    # included: one past it would overflow SQLite's integer.
    below = min(anchor + 1, INT64_MAX) if anchor else None
    ids = sources.candidate_ids(viewer, followed, limit=size, max_id=below)
    candidates = _candidates(ids)
    authors = _authors_known(viewer, sight, candidates)
    signals = _signals(viewer, candidates, sight, followed, authors)
    connected = sight.connected({c.author_id for c in candidates})  # read with `authors`
    ranked, scores = rank(viewer, candidates, signals, connected, clock.now())
    window = RankedWindow(
        ids=ranked,
        scores=dict(zip(ranked, scores.tolist(), strict=True)),
        anchor=ids[0] if ids else None,
        last=ids[-1] if len(ids) == size else None,
    )
    if window.anchor:
        cache.set(f"feed:top:{viewer.pk}:{window.anchor}", window, TOP_CACHE_SECONDS)
    return window, signals


def _top(viewer, *, limit, offset, anchor, sight, followed) -> FeedPage:
    """Rank the newest LINKWELL_FEED_TOP_CANDIDATES candidates as plain values (`rank`), then
    build only the page: the door and the reasons run on the ranked ids from `offset` on, a
    chunk at a time, until the page is full. Past the window, `recent` continues.
    Measured at 100,000 members on PostgreSQL, heavy member, one process alternating main's
    code and this (docs/benchmarks.md, "`top` ranked over plain values"; load average ~23):
    first page p50 934 -> 856 ms, p99 2,120 -> 1,136; next page p50 1,952 -> 415 ms (the
    cached window). Before, all 200 candidates were built as posts and ranked in Python."""
    window, signals = _window(viewer, anchor=anchor, sight=sight, followed=followed)
    position = max(offset, 0)
    shown: list[FeedItem] = []
    while len(shown) < limit and position < len(window.ids):
        chunk = window.ids[position : position + limit - len(shown) + TOP_SLACK]
        place = {pk: position + n for n, pk in enumerate(chunk)}
        position += len(chunk)
        for item in _items(viewer, chunk, sight, followed, signals):
            item.score = window.scores[item.post.pk]
            shown.append(item)
            if len(shown) == limit:
                position = place[item.post.pk] + 1
                break
    page = FeedPage(items=shown, anchor=window.anchor)
    if position < len(window.ids):
        page.next_offset = position
    elif window.last is not None:
        page.next_max_id = window.last  # the window is used up: continue in recent order
    page.newest_id = window.anchor
    queries.decorate(viewer, [i.post for i in shown], sight=sight)
    return page
