"""The demo network's seeder: deterministic, bulk, bounded in memory.

The same member count and seed give the same members, profiles, connections, follows,
invitations, posts and news; only timestamps move with the clock (they are offsets from now).
Rows are written in chunks as plain columns (core.bulk), never as model instances: a million
members through the services would take days. So this is the one place besides the services
that writes network state; it writes only what the services would have reached (N7 through
the generator's cap, N8's two follows per connection, pending invitations only between
members who are not connected), in the domain's own values, and tests/demo/test_seed.py
checks those invariants on a seeded network. The kept counts are then counted from the rows
(`membership.services.recount`).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction

from accounts.models import User
from bench.synthetic import linkedin_like_graph
from core import clock
from core.bulk import (
    NULL_DAY,
    TableWriter,
    analyze_after_bulk_load,
    loading,
    next_id,
    reset_sequences,
)
from core.errors import Conflict, Invalid
from demo.logos import draw_logo
from demo.people import DAY, YEAR, PersonMaker, company_names, region_cities, school_names
from demo.progress import Progress
from feed import seeding as feed_seeding
from feed.models import FeedAuthor, Post, PostKind, TimelineEntry, Visibility
from membership.services import RECOUNT_RANGE, recount
from network.models import Connection, Follow, Invitation, InvitationReason, InvitationStatus
from pages import services as pages_services
from pages.models import EducationPage, Page, PageAdmin, PageFollow, PageKind, PositionPage
from profiles.models import Education, MemberCounts, Position, PrimaryAction, Profile, Skill
from search import services as search_services
from search.models import MemberDocument, MemberFacet

DEMO_HANDLE = "demo"
DEMO_PASSWORD = "linkwell-demo"  # every seeded member shares it: one hash, not a million
DEMO_DISPLAY_NAME = "Demo Member"
EMAIL_DOMAIN = "demo.linkwell.test"
NOT_EMPTY = (
    "The database already has members; seed fills an empty database only "
    "(pass --if-empty to skip quietly)."
)
TOO_FEW = "A demo network needs at least 10 members."

MEMBER_CHUNK = 10_000
EDGE_CHUNK = 250_000
# Connections per member (each member's list averages twice this): 1M members make
# 25M connections and 50M follows, which SQLite and PostgreSQL load in minutes.
DEFAULT_AVG_CONNECTIONS = 25
LEADER_SHARE = 0.001  # "thought leaders": 0.1% of members, at least 3
DEMO_TARGET_DEGREE = 150
DEMO_INVITATIONS_RECEIVED = 6
DEMO_INVITATIONS_SENT = 4
# S7: members who started a new position lately and let their network know (the default
# `share_profile_updates`), so the demo's feed has news; a few are the demo member's contacts.
JOB_CHANGE_SHARE = 0.02
DEMO_JOB_CHANGES = 6


@dataclass
class SeedReport:
    members: int
    connections: int
    follows: int
    invitations: int
    posts: int
    positions: int
    leaders: list[str]
    pages: int
    demo_handle: str
    seconds: float
    rows: int  # every row written, in all tables
    news: int = 0  # S7 items ("X has a new position"), posts of kind news besides `posts`
    timeline_entries: int = 0


def default_posts_per_member(members: int) -> float:
    """A few each for a small demo; fewer for large N so posts don't dominate the seed."""
    return 3.0 if members <= 20_000 else max(0.5, 60_000 / members)


def _chunks(total: int, size: int) -> Iterator[tuple[int, int]]:
    for start in range(0, total, size):
        yield start, min(total, start + size)


def seed_network(
    *,
    members: int,
    seed: int,
    avg_connections: float = DEFAULT_AVG_CONNECTIONS,
    posts_per_member: float | None = None,
    progress: Progress | None = None,
) -> SeedReport:
    """Builds the whole network in one transaction; refuses a database that has members."""
    if members < 10:
        raise Invalid(TOO_FEW)
    if User.objects.exists():
        raise Conflict(NOT_EMPTY)
    started = time.monotonic()
    progress = progress or Progress(stream=_Silent())
    if posts_per_member is None:
        posts_per_member = default_posts_per_member(members)
    n = members
    cap = settings.LINKWELL_MAX_CONNECTIONS
    now = int(clock.now().timestamp()) // 60 * 60

    progress.start("graph", 1)
    # N7 is the generator's cap: no member gets more than `cap` connections.
    graph = linkedin_like_graph(n, avg_connections=avg_connections, seed=seed, cap=cap)
    a, b = np.asarray(graph.a, np.int64), np.asarray(graph.b, np.int64)
    company = np.asarray(graph.company, np.int64)
    school = np.asarray(graph.school, np.int64)
    region = np.asarray(graph.region, np.int64)
    del graph
    progress.update(1)
    degree = np.bincount(a, minlength=n) + np.bincount(b, minlength=n)

    rng = np.random.default_rng([seed, 1])
    leader_count = min(max(3, round(n * LEADER_SHARE)), n // 10)
    leaders = np.argsort(-degree, kind="stable")[:leader_count]
    is_leader = np.zeros(n, bool)
    is_leader[leaders] = True
    candidates = np.flatnonzero(~is_leader)
    target = min(DEMO_TARGET_DEGREE, int(degree[candidates].max()))
    demo = int(candidates[np.argmin(np.abs(degree[candidates] - target))])
    joined = now - rng.integers(30 * DAY, 6 * YEAR, n)
    joined[demo] = now - 5 * YEAR
    weight = np.sqrt(degree + 1.0)
    post_counts = rng.poisson(posts_per_member * weight / weight.mean())
    post_counts[leaders] += 3
    post_counts[demo] = 4
    post_counts = np.minimum(post_counts, 20)

    maker = PersonMaker(
        seed=seed,
        now=now,
        companies=company_names(int(company.max()) + 1, seed),
        schools=school_names(int(school.max()) + 1, seed),
        cities=region_cities(int(region.max()) + 1, seed),
    )
    password = make_password(DEMO_PASSWORD)
    counts = {
        "connections": 0,
        "follows": 0,
        "invitations": 0,
        "posts": 0,
        "positions": 0,
        "pages": 0,
    }

    with transaction.atomic():
        _tune_for_bulk(n)
        base = next_id(connection, User)
        writers = _writers()

        progress.start("members", n)
        for lo, hi in _chunks(n, MEMBER_CHUNK):
            rows = _member_rows(
                maker,
                range(lo, hi),
                base,
                company,
                school,
                region,
                post_counts,
                is_leader,
                demo,
                joined,
                password,
                now,
            )
            for name, columns in rows.items():
                writers[name].write(columns)
            progress.update(hi)
        reset_sequences(connection, [User])
        counts["posts"] = writers["posts"].rows_written
        counts["positions"] = writers["positions"].rows_written

        edge_rng = np.random.default_rng([seed, 2])
        at = np.maximum(joined[a], joined[b])
        at += (edge_rng.random(len(a)) * (now - at)).astype(np.int64)
        with loading(connection, Connection), loading(connection, Follow):
            progress.start("connections", len(a))
            for lo, hi in _chunks(len(a), EDGE_CHUNK):
                ea, eb = a[lo:hi], b[lo:hi]
                reason = np.where(
                    company[ea] == company[eb],
                    InvitationReason.COLLEAGUE.value,
                    np.where(school[ea] == school[eb], InvitationReason.CLASSMATE.value, ""),
                )
                writers["connections"].write([ea + base, eb + base, reason, at[lo:hi]])
                progress.update(hi)
            counts["connections"] = writers["connections"].rows_written

            follower, followee, followed_at = _follows(
                a, b, at, leaders, is_leader, degree, demo, joined, n, seed, now
            )
            progress.start("follows", len(follower))
            for lo, hi in _chunks(len(follower), 2 * EDGE_CHUNK):
                writers["follows"].write(
                    [follower[lo:hi] + base, followee[lo:hi] + base, followed_at[lo:hi]]
                )
                progress.update(hi)
            del follower, followee, followed_at
            counts["follows"] = writers["follows"].rows_written
            progress.start("indexes", 1)
        progress.update(1)
        counts["invitations"] = _demo_invitations(
            writers["invitations"], a, b, demo, is_leader, base, n, seed, now
        )
        progress.start("news", 1)
        changes = _job_changes(a, b, demo, base, n, seed, now)
        counts["news"] = feed_seeding.seed_news(changes, timeline_for=[demo + base])
        progress.update(1)
        analyze_after_bulk_load(connection, [writer.model for writer in writers.values()])
        progress.start("pages", 1)
        counts["pages"] = _seed_pages(maker, demo + base, now)
        progress.update(1)
        # The rows went in past the services, so their kept counts are counted once here, after
        # ANALYZE: without statistics PostgreSQL read the whole follow table for each range.
        ranges = max(1, -(-n // RECOUNT_RANGE))
        progress.start("counts", ranges)
        recount(progress=lambda done, _total: progress.update(done))
        analyze_after_bulk_load(connection, [MemberCounts])
        progress.start("timelines", 1)
        counts["timeline_entries"] = fan_out_seeded_posts(now)
        progress.update(1)
    # Bulk rows bypass the profile services that keep search current: index them all once.
    progress.start("search index", n)
    search_services.reindex(progress=lambda done, total: progress.update(done))
    analyze_after_bulk_load(connection, [MemberDocument, MemberFacet])

    handles = dict(
        User.objects.filter(id__in=[int(x) + base for x in leaders]).values_list("id", "username")
    )
    return SeedReport(
        members=n,
        leaders=[handles[int(x) + base] for x in leaders],
        demo_handle=DEMO_HANDLE,
        seconds=time.monotonic() - started,
        rows=sum(writer.rows_written for writer in writers.values()),
        **counts,
    )


def _seed_pages(maker, demo_id: int, now: int) -> int:
    """G3: every company and school the seed names becomes a page with a logo drawn from its
    initials; positions and education link to their page by name (two INSERT ... SELECT),
    members follow their current company's page, and the demo member runs the pages of their
    current company and their school. Returns the pages made."""
    from datetime import UTC, datetime

    from django.utils.text import slugify

    at = datetime.fromtimestamp(now, UTC)
    # Pages outlive members: a seed into a database whose members were removed finds its
    # pages still there, and links to them instead of making a second page of the name.
    taken = {slug.lower() for slug in Page.objects.values_list("slug", flat=True)}
    existing = set(Page.objects.values_list("kind", "name"))
    rows = []
    for kind, names in ((PageKind.COMPANY, maker.companies), (PageKind.SCHOOL, maker.schools)):
        for name in dict.fromkeys(names):
            if (kind, name) in existing:
                continue
            slug, n = slugify(name)[:90] or "page", 1
            while slug in taken:
                n += 1
                slug = f"{slugify(name)[:90]}-{n}"
            taken.add(slug)
            rows.append(
                Page(
                    kind=kind,
                    name=name,
                    name_key=pages_services.fold(name),
                    slug=slug,
                    claimed=True,
                    created_at=at,
                    tagline=name,
                )
            )
    Page.objects.bulk_create(rows, batch_size=1000)
    with connection.cursor() as cursor:
        for link, source, column, kind in (
            ("pages_positionpage", "profiles_position", "company", "company"),
            ("pages_educationpage", "profiles_education", "school", "school"),
        ):
            key = "position_id" if link == "pages_positionpage" else "education_id"
            cursor.execute(
                f"INSERT INTO {link} ({key}, page_id, member_id)"  # noqa: S608
                f" SELECT s.id, pg.id, s.member_id FROM {source} s"
                f" JOIN pages_page pg ON pg.kind = %s AND pg.name = s.{column}",
                [kind],
            )
        cursor.execute(
            "INSERT INTO pages_pagefollow (page_id, member_id, created_at)"
            " SELECT DISTINCT pp.page_id, pp.member_id, %s FROM pages_positionpage pp"
            " JOIN profiles_position p ON p.id = pp.position_id WHERE p.ended_on IS NULL",
            [at],
        )
    for kind, table, key in (
        ("company", "profiles_position", "position"),
        ("school", "profiles_education", "education"),
    ):
        link = "pages_positionpage" if kind == "company" else "pages_educationpage"
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT l.page_id FROM {link} l JOIN {table} t ON t.id = l.{key}_id"  # noqa: S608
                " WHERE l.member_id = %s ORDER BY t.id DESC",
                [demo_id],
            )
            found = cursor.fetchone()
        if found:
            PageAdmin.objects.get_or_create(
                page_id=found[0], member_id=demo_id, defaults={"created_at": at}
            )
            PageFollow.objects.get_or_create(
                page_id=found[0], member_id=demo_id, defaults={"created_at": at}
            )
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE pages_page SET followers_count ="
            " (SELECT COUNT(*) FROM pages_pagefollow f WHERE f.page_id = pages_page.id)"
        )
    for page in Page.objects.only("pk", "name", "slug", "logo", "cover"):
        pages_services.store_images(page, logo=draw_logo(page.name))
    analyze_after_bulk_load(connection, [Page, PageFollow, PageAdmin, PositionPage, EducationPage])
    return len(rows)


def fan_out_seeded_posts(now: int, readers: list[int] | None = None) -> int:
    """The fan-out the posting service would have scheduled (feed.fanout), done once in SQL:
    every author's reach as a FeedAuthor row (read-time from the threshold up), and a timeline
    row for each post's author and, unless read-time, each follower (a `connections` post only
    for followers who are connections, P1/F2). Without it a seeded home feed shows only the
    read-time leaders' posts. `readers` limits the rows to those members' timelines (a
    benchmark on a network seeded before the seed fanned out). Returns the rows written."""
    from datetime import UTC, datetime

    threshold = settings.LINKWELL_FEED_FANOUT_MAX_FOLLOWERS
    counted_at = datetime.fromtimestamp(now, UTC)
    post, follow = Post._meta.db_table, Follow._meta.db_table
    pair, author = Connection._meta.db_table, FeedAuthor._meta.db_table
    kept = MemberCounts._meta.db_table
    # S7 news went in with its own timeline rows (feed.seeding.seed_news): not fanned again.
    skipped = (PostKind.COMMENT.value, PostKind.NEWS.value)
    anyone = Visibility.ANYONE.value
    only = ""
    if readers is not None:
        only = f"WHERE reader IN ({', '.join(str(int(r)) for r in readers) or 'NULL'})"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {author} (member_id, followers, read_time, counted_at) "  # noqa: S608
            f"SELECT member_id, followers, followers >= %s, %s FROM {kept} "
            f"WHERE member_id IN (SELECT author_id FROM {post}) "
            f"AND member_id NOT IN (SELECT member_id FROM {author})",
            [threshold, counted_at],
        )
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL work_mem = '256MB'")
    with loading(connection, TimelineEntry), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TimelineEntry._meta.db_table} (member_id, post_id) "  # noqa: S608
            f"SELECT reader, post_id FROM ("
            f" SELECT p.author_id AS reader, p.id AS post_id FROM {post} p"
            f" WHERE p.kind NOT IN (%s, %s)"
            f" UNION ALL"
            f" SELECT f.follower_id, p.id FROM {post} p"
            f" JOIN {author} a ON a.member_id = p.author_id AND NOT a.read_time"
            f" JOIN {follow} f ON f.followee_id = p.author_id"
            f" WHERE p.kind NOT IN (%s, %s)"
            f" AND (p.visibility = %s OR EXISTS (SELECT 1 FROM {pair} c"
            f"  WHERE c.member_a_id = CASE WHEN f.follower_id < p.author_id"
            f"   THEN f.follower_id ELSE p.author_id END"
            f"  AND c.member_b_id = CASE WHEN f.follower_id < p.author_id"
            f"   THEN p.author_id ELSE f.follower_id END))"
            f") AS fanned {only} ORDER BY reader, post_id",
            [*skipped, *skipped, anyone],
        )
        written = cursor.rowcount
    analyze_after_bulk_load(connection, [FeedAuthor, TimelineEntry])
    return written


class _Silent:
    def write(self, _text):
        pass

    def flush(self):
        pass


def _tune_for_bulk(n: int) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Deferred foreign-key checks would queue one event per row until commit.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        elif connection.vendor == "sqlite" and n > 50_000:
            cursor.execute("PRAGMA cache_size = -1000000")  # 1 GB of page cache


def _writers() -> dict[str, TableWriter]:
    return {
        "users": TableWriter(
            connection,
            User,
            [
                "id",
                "password",
                "username",
                "first_name",
                "last_name",
                "email",
                "date_joined",
                "display_name",
                "email_confirmed",
            ],
        ),
        "profiles": TableWriter(
            connection,
            Profile,
            [
                "member_id",
                "headline",
                "location",
                "industry",
                "about",
                "primary_action",
            ],
        ),
        "positions": TableWriter(
            connection,
            Position,
            [
                "member_id",
                "title",
                "company",
                "location",
                "started_on",
                "ended_on",
            ],
        ),
        "education": TableWriter(
            connection,
            Education,
            [
                "member_id",
                "school",
                "degree",
                "field_of_study",
                "start_year",
                "end_year",
            ],
        ),
        "skills": TableWriter(connection, Skill, ["member_id", "name"]),
        "posts": TableWriter(connection, Post, ["author_id", "text", "visibility", "created_at"]),
        "connections": TableWriter(
            connection, Connection, ["member_a_id", "member_b_id", "reason", "created_at"]
        ),
        "follows": TableWriter(connection, Follow, ["follower_id", "followee_id", "created_at"]),
        "invitations": TableWriter(
            connection,
            Invitation,
            [
                "sender_id",
                "recipient_id",
                "note",
                "reason",
                "status",
                "created_at",
            ],
        ),
    }


def _member_rows(
    maker,
    indices,
    base,
    company,
    school,
    region,
    post_counts,
    is_leader,
    demo,
    joined,
    password,
    now,
) -> dict[str, list]:
    users = [[] for _ in range(9)]
    profiles = [[] for _ in range(6)]
    positions = [[] for _ in range(6)]
    education = [[] for _ in range(6)]
    skills = [[], []]
    posts = [[], [], [], []]
    for index in indices:
        member_id = index + base
        person = maker.make(
            index,
            company=int(company[index]),
            school=int(school[index]),
            region=int(region[index]),
            posts=int(post_counts[index]),
            leader=bool(is_leader[index]),
            demo=index == demo,
        )
        display = DEMO_DISPLAY_NAME if index == demo else person.display_name
        for column, value in zip(
            users,
            (
                member_id,
                password,
                person.handle,
                person.first,
                person.last,
                f"{person.handle}@{EMAIL_DOMAIN}",
                int(joined[index]),
                display,
                True,
            ),
            strict=True,
        ):
            column.append(value)
        for column, value in zip(
            profiles,
            (
                member_id,
                person.headline,
                person.location,
                person.industry,
                person.about,
                PrimaryAction.FOLLOW if is_leader[index] else PrimaryAction.CONNECT,
            ),
            strict=True,
        ):
            column.append(value)
        for title, company_name, location, started, ended in person.positions:
            for column, value in zip(
                positions,
                (
                    member_id,
                    title,
                    company_name,
                    location,
                    started,
                    NULL_DAY if ended is None else ended,
                ),
                strict=True,
            ):
                column.append(value)
        for row in person.education:
            for column, value in zip(education, (member_id, *row), strict=True):
                column.append(value)
        for name in person.skills:
            skills[0].append(member_id)
            skills[1].append(name)
        for text, connections_only, age in person.posts:
            visibility = Visibility.CONNECTIONS if connections_only else Visibility.ANYONE
            for column, value in zip(posts, (member_id, text, visibility, now - age), strict=True):
                column.append(value)
    return {
        "users": users,
        "profiles": profiles,
        "positions": positions,
        "education": education,
        "skills": skills,
        "posts": posts,
    }


def _follows(a, b, at, leaders, is_leader, degree, demo, joined, n, seed, now):
    """Each connection's two follows (N8) plus thought leaders' one-way followers, who are
    not their connections (S2); sorted by (follower, followee) so the unique index appends."""
    touching_a, touching_b = is_leader[a], is_leader[b]
    owner = np.concatenate([a[touching_a], b[touching_b]])
    other = np.concatenate([b[touching_a], a[touching_b]])
    order = np.argsort(owner, kind="stable")
    owner, other = owner[order], other[order]
    extra_from, extra_to, extra_at = [], [], []
    for rank, leader in enumerate(leaders.tolist()):
        rng = np.random.default_rng([seed, 3, rank])
        want = int(min(n - 1 - degree[leader], max(5, n * 0.3 / (rank + 1) ** 0.8)))
        connected = other[np.searchsorted(owner, leader) : np.searchsorted(owner, leader, "right")]
        sample = rng.choice(n, size=min(n, want + len(connected) + 2), replace=False)
        sample = np.concatenate([[demo], sample[sample != demo]])  # the demo follows them all
        sample = sample[(sample != leader) & ~np.isin(sample, connected)][:want]
        start = np.maximum(joined[sample], joined[leader])
        extra_from.append(sample)
        extra_to.append(np.full(len(sample), leader))
        extra_at.append(start + (rng.random(len(sample)) * (now - start)).astype(np.int64))
    follower = np.concatenate([a, b, *extra_from]).astype(np.int64)
    followee = np.concatenate([b, a, *extra_to]).astype(np.int64)
    followed_at = np.concatenate([at, at, *extra_at])
    del extra_from, extra_to, extra_at
    order = np.argsort(follower * n + followee)
    return follower[order], followee[order], followed_at[order]


def _promoted(title: str) -> str:
    if title.startswith("Senior "):
        return "Lead " + title.removeprefix("Senior ")
    return title if title.startswith(("Lead ", "Head ", "Chief ")) else f"Senior {title}"


def _job_changes(a, b, demo, base, n, seed, now) -> list[tuple[int, int, datetime]]:
    """A share of members (and a few of the demo member's connections) were promoted in the
    last weeks: their current position ends, a new one begins, and they added it to their
    profile lately. (member id, new position id, when added), for S7's news."""
    rng = np.random.default_rng([seed, 5])
    neighbours = np.concatenate([b[a == demo], a[b == demo]])
    picked = set(
        rng.choice(neighbours, size=min(DEMO_JOB_CHANGES, len(neighbours)), replace=False).tolist()
    )
    picked |= set(rng.choice(n, size=int(n * JOB_CHANGE_SHARE), replace=False).tolist())
    picked.discard(demo)
    ids = sorted(int(i) + base for i in picked)
    today = datetime.fromtimestamp(now, UTC)
    ended, started = [], []
    for lo, hi in _chunks(len(ids), 500):
        for old in Position.objects.filter(member_id__in=ids[lo:hi], ended_on__isnull=True):
            age_days = int(rng.integers(3, 50))
            start = (today - timedelta(days=age_days)).date()
            if old.started_on >= start:
                continue
            old.ended_on = start - timedelta(days=1)
            ended.append(old)
            added = today - timedelta(seconds=int(rng.integers(3600, min(age_days, 10) * DAY)))
            new = Position(
                member_id=old.member_id,
                title=_promoted(old.title)[:100],
                company=old.company,
                location=old.location,
                started_on=start,
            )
            started.append((new, added))
    Position.objects.bulk_update(ended, ["ended_on"], batch_size=1000)
    Position.objects.bulk_create([p for p, _at in started], batch_size=1000)
    return [(p.member_id, p.pk, at) for p, at in started]


def _demo_invitations(writer, a, b, demo, is_leader, base, n, seed, now) -> int:
    """Pending invitations both ways, mostly from friends of friends, so the demo feels alive."""
    rng = np.random.default_rng([seed, 4])
    neighbours = np.concatenate([b[a == demo], a[b == demo]])
    near = np.isin(a, neighbours) | np.isin(b, neighbours)
    friends_of_friends = np.unique(np.concatenate([a[near], b[near]]))
    excluded = np.zeros(n, bool)
    excluded[neighbours] = True
    excluded[demo] = True
    excluded |= is_leader  # N10 would make the sender a follower: keep the demo simple
    pool = friends_of_friends[~excluded[friends_of_friends]]
    pool = rng.permutation(pool)
    wanted = DEMO_INVITATIONS_RECEIVED + DEMO_INVITATIONS_SENT
    if len(pool) < wanted:
        others = rng.permutation(np.flatnonzero(~excluded))
        pool = np.concatenate([pool, others[~np.isin(others, pool)]])
    pool = pool[:wanted]
    if len(pool) < wanted:
        raise Conflict("Not enough members for the demo member's invitations.")
    notes = [
        ("We met at the meetup last week. Would love to stay in touch!", InvitationReason.MET),
        ("Hi! I enjoyed your post about data platforms.", InvitationReason.LEARN),
        ("", ""),
        ("We worked on the same migration project a while back.", InvitationReason.COLLEAGUE),
        ("", InvitationReason.BUSINESS),
    ]
    senders, recipients, texts, reasons, ages = [], [], [], [], []
    for number, other in enumerate(pool.tolist()):
        received = number < DEMO_INVITATIONS_RECEIVED
        senders.append((other if received else demo) + base)
        recipients.append((demo if received else other) + base)
        note, reason = notes[number % len(notes)]
        texts.append(note)
        reasons.append(reason)
        ages.append(now - int(rng.integers(3600, 10 * DAY)))
    return writer.write(
        [
            senders,
            recipients,
            texts,
            reasons,
            [InvitationStatus.PENDING] * len(pool),
            np.array(ages),
        ]
    )
