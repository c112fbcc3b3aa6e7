"""A living feed for the demo network (issue 12): posts with hashtags and mentions, comments,
replies, reactions and reposts with realistic counts, written in bulk.

`seed_activity` is called by the demo seeder once members and connections exist. It writes
rows directly (bulk inserts with explicit ids, counters computed beforehand so they equal the
rows), never through the services: a million members must fit in minutes. The rules still
hold by construction: comments take their root's visibility, a `connections` post is never
reposted, one reaction per member per post, replies attach to top-level comments.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import numpy as np
from django.db import connection, transaction
from django.db.models import Max

from accounts.models import User
from feed import text as texts
from feed.models import (
    REACTION_COUNT_FIELDS,
    FeedAuthor,
    Hashtag,
    Mention,
    Post,
    PostKind,
    PostTag,
    Reaction,
    TimelineEntry,
    Visibility,
)
from network import queries as network
from notifications.models import Kind, Notification

TAGS = [
    "Leadership",
    "Hiring",
    "Python",
    "DataEngineering",
    "ProductManagement",
    "Remote",
    "Careers",
    "Design",
    "OpenSource",
    "Sales",
    "Marketing",
    "AI",
    "Security",
    "Startups",
    "Learning",
    "Mentoring",
    "Cloud",
    "UX",
    "Finance",
    "Sustainability",
]
OPENERS = [
    "Three things I learned this quarter about {topic}:",
    "Excited to share that our team shipped a new {topic} project.",
    "Hot take on {topic}: small teams move faster.",
    "What is the one book on {topic} you would recommend?",
    "Grateful for everyone who helped with our {topic} launch.",
    "We are hiring for {topic} roles. Reach out if you know someone.",
    "A short thread on mistakes I made early in {topic}.",
    "Notes from today's meetup on {topic}.",
]
BODIES = [
    "Start with the problem, not the tool. Write things down. Ask for feedback early.",
    "It took longer than planned, and it was worth it.",
    "Curious to hear how others approach this.",
    "The best advice I got was to listen more than I talk.",
    "Link to the write-up in the comments.",
    "Thank you for the thoughtful discussion last week.",
]
COMMENTS = [
    "Great point!",
    "Congratulations, well deserved.",
    "Thanks for sharing this.",
    "I had the same experience.",
    "Would love to read more about this.",
    "Insightful, thank you.",
    "Agreed, especially the first part.",
    "Saving this for later.",
]
REPLIES = ["Thank you!", "Exactly.", "Happy to chat about it.", "Good question, let me check."]
QUOTES = ["Worth a read.", "This matches what we see at work.", "Sharing with my team."]
REACTION_WEIGHTS = {
    "like": 0.55,
    "celebrate": 0.14,
    "support": 0.08,
    "love": 0.08,
    "insightful": 0.12,
    "funny": 0.03,
}
BATCH = 5_000


def _adjacency(ids: np.ndarray, a: np.ndarray, b: np.ndarray):
    """CSR of connections over positions in `ids` (a, b are member ids)."""
    position = {int(m): i for i, m in enumerate(ids.tolist())}
    pa = np.fromiter((position.get(int(x), -1) for x in a), np.int64, len(a))
    pb = np.fromiter((position.get(int(x), -1) for x in b), np.int64, len(b))
    keep = (pa >= 0) & (pb >= 0)
    pa, pb = pa[keep], pb[keep]
    src = np.concatenate([pa, pb])
    dst = np.concatenate([pb, pa])
    order = np.argsort(src, kind="stable")
    src, dst = src[order], dst[order]
    start = np.searchsorted(src, np.arange(len(ids) + 1))
    return start, dst


def _next_id(model) -> int:
    return (model.objects.aggregate(m=Max("id"))["m"] or 0) + 1


def _write(model, rows) -> None:
    for lo in range(0, len(rows), BATCH):
        model.objects.bulk_create(rows[lo : lo + BATCH], batch_size=BATCH)


def _reset_sequences(models) -> None:
    from django.core.management.color import no_style

    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


@transaction.atomic
def seed_activity(
    member_ids: Sequence[int],
    leader_ids: Sequence[int],
    rng: np.random.Generator,
    *,
    connections: tuple[Sequence[int], Sequence[int]],
    now: datetime | None = None,
    posts_per_member: float = 2.0,
    timeline_for: Sequence[int] = (),
    days: int = 30,
) -> dict:
    """Posts, comments, replies, reactions and reposts among `member_ids`; `connections` are
    (member_a, member_b) id arrays. Leaders post more and draw more engagement, and become
    read-time authors (feed.fanout). Home timelines and notifications are written for the
    members in `timeline_for` (the demo member), so their first page is full at sign-in."""
    now = now or datetime.now(UTC)
    ids = np.asarray(member_ids, np.int64)
    n = len(ids)
    if n == 0:
        return {"posts": 0}
    leaders = set(int(x) for x in leader_ids)
    is_leader = np.fromiter((int(m) in leaders for m in ids), bool, n)
    start, nbr = _adjacency(
        ids, np.asarray(connections[0], np.int64), np.asarray(connections[1], np.int64)
    )
    degree = np.diff(start)
    handles = dict(User.objects.filter(pk__in=ids.tolist()).values_list("pk", "username"))

    def connection_of(position: int, k: int) -> list[int]:
        lo, hi = start[position], start[position + 1]
        if hi <= lo or k <= 0:
            return []
        picks = rng.choice(hi - lo, size=min(k, hi - lo), replace=False)
        return [int(ids[nbr[lo + p]]) for p in picks]

    # Hashtags
    existing = {t.key: t for t in Hashtag.objects.filter(key__in=[t.lower() for t in TAGS])}
    missing = [
        Hashtag(name=t, key=t.lower(), created_at=now) for t in TAGS if t.lower() not in existing
    ]
    Hashtag.objects.bulk_create(missing)
    tags = {t.key: t for t in Hashtag.objects.filter(key__in=[t.lower() for t in TAGS])}

    counts = rng.poisson(posts_per_member, n) + np.where(is_leader, 5, 0)
    counts = np.minimum(counts, 20)
    next_post = _next_id(Post)
    posts, post_tags, mentions = [], [], []
    meta = []  # (post id, author position, visibility, created_at, is leader)
    span = days * 86_400
    for position in range(n):
        author = int(ids[position])
        for _ in range(int(counts[position])):
            tag_names = list(rng.choice(TAGS, size=int(rng.integers(1, 3)), replace=False))
            text = rng.choice(OPENERS).format(topic=tag_names[0]) + " " + rng.choice(BODIES)
            mentioned = []
            if degree[position] and rng.random() < 0.25:
                mentioned = [connection_of(position, 1)[0]]
                text += f" @{handles[mentioned[0]]}"
            text += " " + " ".join(f"#{t}" for t in tag_names)
            known = {handles[m].lower(): handles[m] for m in mentioned}
            age = int(span * rng.random() ** 2)  # skewed to recent
            at = now - timedelta(seconds=age)
            visibility = Visibility.CONNECTIONS if rng.random() < 0.15 else Visibility.ANYONE
            post = Post(
                id=next_post,
                author_id=author,
                kind=PostKind.POST,
                text=text,
                html=texts.render(text, known_handles=known).html,
                visibility=visibility,
                created_at=at,
            )
            posts.append(post)
            post_tags += [
                PostTag(post_id=next_post, hashtag_id=tags[t.lower()].pk) for t in tag_names
            ]
            mentions += [Mention(post_id=next_post, member_id=m) for m in mentioned]
            meta.append((next_post, position, visibility, at, bool(is_leader[position])))
            next_post += 1

    comments, reactions, reposts = [], [], []
    by_id = {p.id: p for p in posts}
    weights = np.array(list(REACTION_WEIGHTS.values()))
    kinds = list(REACTION_WEIGHTS)
    for post_id, position, visibility, at, leader in meta:
        root = by_id[post_id]
        audience_extra = leader and visibility == Visibility.ANYONE
        # Reactions: connections, plus anyone for a leader's public post
        want = int(rng.poisson(40 if leader else 4))
        people = connection_of(position, want)
        if audience_extra and len(people) < want:
            people += [int(x) for x in rng.choice(ids, size=want - len(people))]
        people = [p for p in dict.fromkeys(people) if p != root.author_id]
        for member in people:
            kind = kinds[int(rng.choice(len(kinds), p=weights))]
            reactions.append(
                Reaction(
                    post_id=post_id,
                    member_id=member,
                    type=kind,
                    created_at=at + timedelta(seconds=int(rng.integers(60, 86_400))),
                )
            )
            setattr(
                root, REACTION_COUNT_FIELDS[kind], getattr(root, REACTION_COUNT_FIELDS[kind]) + 1
            )
            root.reactions_count += 1
        # Comments and replies
        commenters = connection_of(position, int(rng.poisson(8 if leader else 1.2)))
        for member in commenters:
            comment = Post(
                id=next_post,
                author_id=member,
                kind=PostKind.COMMENT,
                text=str(rng.choice(COMMENTS)),
                visibility=visibility,
                root_id=post_id,
                in_reply_to_id=post_id,
                created_at=at + timedelta(seconds=int(rng.integers(60, 86_400))),
            )
            comment.html = texts.render(comment.text).html
            comments.append(comment)
            root.comments_count += 1
            next_post += 1
            if rng.random() < 0.3:
                reply = Post(
                    id=next_post,
                    author_id=root.author_id,
                    kind=PostKind.COMMENT,
                    text=str(rng.choice(REPLIES)),
                    visibility=visibility,
                    root_id=post_id,
                    in_reply_to_id=comment.id,
                    created_at=comment.created_at + timedelta(minutes=30),
                )
                reply.html = texts.render(reply.text).html
                comments.append(reply)
                comment.comments_count += 1
                root.comments_count += 1
                next_post += 1
        # Reposts: never of a `connections` post (P1)
        if visibility == Visibility.ANYONE and rng.random() < (0.5 if leader else 0.05):
            for member in connection_of(position, int(rng.integers(1, 3))):
                quote = rng.random() < 0.3
                text = str(rng.choice(QUOTES)) if quote else ""
                repost = Post(
                    id=next_post,
                    author_id=member,
                    kind=PostKind.REPOST,
                    text=text,
                    html=texts.render(text).html if text else "",
                    visibility=Visibility.ANYONE,
                    reblog_id=None if quote else post_id,
                    quote_id=post_id if quote else None,
                    created_at=at + timedelta(hours=int(rng.integers(1, 48))),
                )
                reposts.append(repost)
                root.reposts_count += 1
                next_post += 1
        root.impressions_count = root.reactions_count * int(rng.integers(6, 15)) + int(
            rng.integers(0, 30)
        )

    _write(Post, posts)
    _write(Post, comments)
    _write(Post, reposts)
    _write(PostTag, post_tags)
    _write(Mention, mentions)
    _write(Reaction, reactions)
    _reset_sequences([Post])

    # Leaders are read-time authors: their posts reach followers without fan-out rows.
    leader_rows = [
        FeedAuthor(member_id=m, followers=network.follower_count(m), read_time=True, counted_at=now)
        for m in leaders
    ]
    FeedAuthor.objects.bulk_create(leader_rows, ignore_conflicts=True)

    entries, notes = _for_members(timeline_for, posts, comments, reposts, reactions, now)
    return {
        "posts": len(posts),
        "comments": len(comments),
        "reposts": len(reposts),
        "reactions": len(reactions),
        "timeline_entries": entries,
        "notifications": notes,
    }


def _for_members(members, posts, comments, reposts, reactions, now) -> tuple[int, int]:
    """Timeline rows for these members (what they follow, what their connections engaged
    with) and the notifications of activity on their own posts."""
    members = [int(m) for m in members]
    if not members:
        return 0, 0
    authored = {p.id: p.author_id for p in [*posts, *reposts]}
    entries = []
    for member in members:
        followed = {row["followee_id"] for row in network.followed_ids(member)}
        chosen = {pid for pid, author in authored.items() if author in followed or author == member}
        chosen |= {c.root_id for c in comments if c.author_id in followed}
        chosen |= {r.post_id for r in reactions if r.member_id in followed}
        entries += [TimelineEntry(member_id=member, post_id=pid) for pid in sorted(chosen)]
    TimelineEntry.objects.bulk_create(entries, ignore_conflicts=True, batch_size=BATCH)
    own = {p.id: p.author_id for p in posts if p.author_id in members}
    notes = []
    for r in reactions:
        if r.post_id in own:
            notes.append(
                Notification(
                    recipient_id=own[r.post_id],
                    actor_id=r.member_id,
                    kind=Kind.REACTION,
                    subject_id=r.post_id,
                    detail=r.type,
                    group_key=f"{Kind.REACTION}-{r.post_id}",
                    created_at=r.created_at,
                )
            )
    for c in comments:
        if c.root_id in own and c.in_reply_to_id == c.root_id and c.author_id != own[c.root_id]:
            notes.append(
                Notification(
                    recipient_id=own[c.root_id],
                    actor_id=c.author_id,
                    kind=Kind.COMMENT,
                    subject_id=c.id,
                    group_key=f"ungrouped-c{c.id}",
                    created_at=c.created_at,
                )
            )
    for p in reposts:
        original = p.reblog_id or p.quote_id
        if original in own:
            notes.append(
                Notification(
                    recipient_id=own[original],
                    actor_id=p.author_id,
                    kind=Kind.REPOST,
                    subject_id=original,
                    group_key=f"{Kind.REPOST}-{original}",
                    created_at=p.created_at,
                )
            )
    notes.sort(key=lambda n: n.created_at)
    Notification.objects.bulk_create(notes, ignore_conflicts=True, batch_size=BATCH)
    return len(entries), len(notes)


def seed_news(changes: Sequence[tuple[int, int, datetime]], *, timeline_for: Sequence[int] = ()):
    """S7 for a bulk-loaded network: "X has a new position" for each (member, position, when)
    in `changes`, as `feed.news.announce_position` would have written it when the member
    added the position (one item per member and day; only members who kept
    `share_profile_updates`, only current positions begun in the last NEW_POSITION_DAYS),
    and the items into the timelines of the members in `timeline_for` who follow the member
    (the fan-out's rows). Returns the number of news items written."""
    from feed.models import News, NewsKind, NewsSubject
    from feed.news import is_news
    from profiles.models import Position

    positions = Position.objects.select_related("member__profile").in_bulk(
        [p for _m, p, _at in changes]
    )
    items, seen = [], set()
    for member_id, position_id, at in sorted(changes, key=lambda c: c[2]):
        position = positions.get(position_id)
        if position is None or position.member_id != member_id or not is_news(position):
            continue
        if not position.member.profile.share_profile_updates:
            continue
        if (member_id, at.date()) in seen:
            continue
        seen.add((member_id, at.date()))
        items.append((member_id, position_id, at))
    if not items:
        return 0
    next_post = _next_id(Post)
    posts, news, subjects = [], [], []
    for n, (member_id, position_id, at) in enumerate(items):
        post_id = next_post + n
        posts.append(
            Post(
                id=post_id,
                author_id=member_id,
                kind=PostKind.NEWS,
                visibility=Visibility.ANYONE,
                created_at=at,
            )
        )
        news.append(
            News(post_id=post_id, member_id=member_id, kind=NewsKind.POSITION, day=at.date())
        )
        subjects.append(NewsSubject(news_id=post_id, position_id=position_id, created_at=at))
    _write(Post, posts)
    _write(News, news)
    _write(NewsSubject, subjects)
    _reset_sequences([Post])
    authors = {p.id: p.author_id for p in posts}
    entries = []
    for member in timeline_for:
        followed = {row["followee_id"] for row in network.followed_ids(member)} | {member}
        entries += [
            TimelineEntry(member_id=member, post_id=pid)
            for pid, author in authors.items()
            if author in followed
        ]
    TimelineEntry.objects.bulk_create(entries, ignore_conflicts=True, batch_size=BATCH)
    return len(posts)
