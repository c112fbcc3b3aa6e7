"""`linkwell bench feed`: home-feed reads, publishing and fan-out, on the current database.

Run it on a seeded network (`linkwell seed --members N`). Everything it writes (activity when
the seed has none, the heavy member's follows, the posts it publishes) is inside one
transaction that is rolled back, so the database is left as it was. Prints figures, never
asserts a time. Results and the machine go in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import numpy as np

from bench.timing import Rollback, percentiles_ms
from core.heap import freeze_startup_heap


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="linkwell bench feed", description=__doc__)
    parser.add_argument("--runs", type=int, default=50, help="timed repetitions per figure")
    parser.add_argument(
        "--fanout",
        default="100,1000,5000",
        help="follower counts to time the fan-out job at (comma separated)",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--activity-posts",
        type=float,
        default=2.0,
        help="posts per member of the activity added to a seed that has none",
    )
    parser.add_argument(
        "--keep-activity",
        action="store_true",
        help="commit the activity added to a seed that has none, so later runs reuse it",
    )
    parser.add_argument(
        "--reads-only",
        action="store_true",
        help="time the home feed and its requests only (no publish, fan-out or impressions)",
    )
    parser.add_argument(
        "--reach",
        default="100,100000",
        help="follower counts of the authors whose publish and fan-out are timed as configured",
    )
    args = parser.parse_args(argv)

    os.environ.setdefault("LINKWELL_HTTPS", "off")  # the in-process client speaks plain http
    import django

    django.setup()
    from django.db import connection, transaction

    if args.keep_activity:
        with transaction.atomic():
            _seed_activity(args)
    try:
        with transaction.atomic():
            _run(args, connection)
            raise Rollback
    except Rollback:
        pass
    return 0


def _run(args, connection) -> None:
    from django.conf import settings

    from accounts.models import User
    from feed import fanout, services
    from feed.models import Post, TimelineEntry
    from feed.queries import with_context as queries_with_context
    from membership.services import recount
    from network.models import Connection, Follow

    members = User.objects.count()
    print(
        f"database: {connection.vendor}, {members:,} members, "
        f"{Connection.objects.count():,} connections, {Follow.objects.count():,} follows"
    )
    _seed_activity(args)
    typical, heavy, leaders = members_to_read()
    readers = [m for m in User.objects.order_by("?").values_list("pk", flat=True)[:2000]]
    freeze_startup_heap()  # as a served worker is (config/asgi.py): full collections are short

    print(
        f"\ntypical member: {Connection.objects.filter(member_a=typical).count()}+ connections;"
        f" heavy member: {Connection.objects.filter(member_a=heavy).count()}+ connections,"
        f" {min(50, len(leaders))} followed leaders"
    )
    _time_reads(args, connection, typical, heavy)
    _time_requests(args, connection, typical, heavy)
    if args.reads_only:
        return

    print("\npublish (the request: services.publish, fan-out deferred to after commit), ms:")
    for label, author in (("typical", typical), ("leader", User.objects.get(pk=leaders[0]))):
        followers = Follow.objects.filter(followee=author).count()
        samples = []
        for i in range(args.runs):
            started = time.perf_counter()
            with transaction_savepoint():
                services.publish(
                    author=author, text=f"Benchmark post {i} #bench @{author.username}"
                )
            samples.append(time.perf_counter() - started)
        p50, p99 = percentiles_ms(samples)
        print(f"{label:10} {followers:>8,} followers  p50 {p50:6.1f}  p99 {p99:6.1f}")

    threshold = settings.LINKWELL_FEED_FANOUT_MAX_FOLLOWERS
    print(
        f"\npublish request and fan-out job as configured (fan-out under {threshold:,} "
        "followers, read-time above), by follower count, ms:"
    )
    everyone = list(User.objects.order_by("pk").values_list("pk", flat=True))
    taken = {typical.pk, heavy.pk, *leaders}
    quiet = [m for m in everyone if m not in taken]
    for n, count in enumerate(int(c) for c in args.reach.split(",")):
        author = User.objects.get(pk=quiet[-1 - n])
        pool = [m for m in everyone if m != author.pk][:count]
        Follow.objects.bulk_create(
            [
                Follow(follower_id=r, followee_id=author.pk, created_at=author.date_joined)
                for r in pool
            ],
            ignore_conflicts=True,
            batch_size=10_000,
        )
        followers = Follow.objects.filter(followee=author).count()
        samples, jobs, rows = [], [], 0
        for i in range(args.runs):
            started = time.perf_counter()
            with transaction_savepoint():
                post = services.publish(author=author, text=f"Reach {i} #bench")
            samples.append(time.perf_counter() - started)
            if i < 5:
                started = time.perf_counter()
                rows = fanout.fan_out_post(post.pk)
                jobs.append(time.perf_counter() - started)
        p50, p99 = percentiles_ms(samples)
        job = statistics.median(jobs) * 1000
        print(
            f"{followers:>8,} followers  publish p50 {p50:6.1f}  p99 {p99:6.1f}   "
            f"fan-out job {job:8.1f} ms ({rows:,} rows)"
        )

    print("\nfan-out job (feed.fanout.fan_out_post), by follower count:")
    for count in [int(c) for c in args.fanout.split(",")]:
        count = min(count, len(readers))
        author = typical
        Follow.objects.bulk_create(
            [
                Follow(follower_id=r, followee_id=author.pk, created_at=author.date_joined)
                for r in readers[:count]
                if r != author.pk
            ],
            ignore_conflicts=True,
        )
        # The fan-out reads the author's kept count; the readers' own counts it never reads,
        # and recounting them (ids spread over the whole range) took minutes at 1M members.
        recount(member_ids=[author.pk])
        followers = Follow.objects.filter(followee=author).count()
        settings.LINKWELL_FEED_FANOUT_MAX_FOLLOWERS = 10**9
        post = services.publish(author=author, text="Fan-out timing")
        started = time.perf_counter()
        rows = fanout.fan_out_post(post.pk)
        seconds = time.perf_counter() - started
        print(
            f"{followers:>8,} followers: {rows:>8,} rows in {seconds * 1000:8.1f} ms "
            f"({seconds / max(rows, 1) * 1e6:.1f} µs per row; 100,000 followers ≈ "
            f"{seconds / max(rows, 1) * 100_000:.1f} s)"
        )

    from feed import impressions

    print("\nimpressions (P4): recording a page of 20 posts, and one flush of a batch, ms:")
    sample = list(Post.objects.order_by("-id").values_list("pk", flat=True)[:2000])
    shown = list(queries_with_context(Post.objects.filter(pk__in=sample[:20])))
    impressions.drain()
    samples = []
    for viewer_id in readers[:200]:
        viewer = User(pk=viewer_id)
        started = time.perf_counter()
        impressions.record(viewer, shown)
        samples.append(time.perf_counter() - started)
    impressions.drain()
    p50, p99 = percentiles_ms(samples)
    print(f"record a page (cache look-up, buffer)  p50 {p50:6.2f}  p99 {p99:6.2f}")
    for size in (500, 5000):
        batch = [(sample[i % len(sample)], readers[i % len(readers)]) for i in range(size)]
        started = time.perf_counter()
        written = impressions.flush(batch)
        seconds = time.perf_counter() - started
        print(
            f"flush {size:>5,} views ({written:,} new): {seconds * 1000:7.1f} ms "
            f"({seconds / size * 1e6:.0f} µs per view)"
        )

    print("\nrows and bytes per post:")
    posts = Post.objects.count()
    entries = TimelineEntry.objects.count()
    print(f"{posts:,} posts, {entries:,} timeline rows ({entries / max(posts, 1):.1f} per post)")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in ("feed_post", "feed_timelineentry", "feed_posttag", "feed_reaction"):
                cursor.execute("SELECT pg_total_relation_size(%s)", [table])
                size = cursor.fetchone()[0]
                print(
                    f"{table:22} {size / 1e6:10.1f} MB  {size / max(posts, 1):8.0f} bytes per post"
                )


def _time_reads(args, connection, typical, heavy) -> None:
    """feed.home.home alone and with its Status entities, first and next page, both orders;
    the first page twice: with the sources' cache cleared before each call (a member whose
    leaders nobody read in the last LINKWELL_FEED_SOURCES_CACHE_SECONDS) and warm."""
    from django.test.utils import CaptureQueriesContext

    from api.schemas.statuses import status_entities
    from feed import home, queries, sources

    print(
        "\nhome feed, ms: the page (feed.home.home) and the page with its Status entities "
        "(wall; cpu is this process's own time, which the neighbours' load barely moves); "
        "`cold` clears the sources' cache before each call, `next` times the second page alone:"
    )
    print(
        f"{'member':8} {'order':7} {'page':6} {'feed p50':>9} {'feed p99':>9} "
        f"{'+entities p50':>14} {'p99':>8} {'cpu p50':>8} {'cpu p99':>8} {'queries':>8}"
    )
    for label, member in (("typical", typical), ("heavy", heavy)):
        for order in ("recent", "top"):
            first = home.home(member, order=order)
            for which in ("cold", "first", "next"):
                cursor = {}
                if which == "next":
                    cursor = {
                        "max_id": first.next_max_id,
                        "offset": first.next_offset or 0,
                        "anchor": first.anchor,
                    }
                feed_samples, samples, cpu, queries_seen = [], [], [], 0
                for _ in range(args.runs):
                    if which == "cold":
                        sources.forget_all()
                    # The log holds 9,000 statements: past that, CaptureQueriesContext counts
                    # none (the 1M runs' "0" and "—"); emptied, each call is counted.
                    connection.queries_log.clear()
                    started, started_cpu = time.perf_counter(), time.process_time()
                    with CaptureQueriesContext(connection) as captured:
                        sight = queries.Sight(member)  # one per request, as the API's
                        page = home.home(member, order=order, sight=sight, **cursor)
                        feed_samples.append(time.perf_counter() - started)
                        status_entities(member, [i.post for i in page.items], sight=sight)
                    samples.append(time.perf_counter() - started)
                    cpu.append(time.process_time() - started_cpu)
                    queries_seen = len(captured)
                f50, f99 = percentiles_ms(feed_samples)
                p50, p99 = percentiles_ms(samples)
                c50, c99 = percentiles_ms(cpu)
                print(
                    f"{label:8} {order:7} {which:6} {f50:9.1f} {f99:9.1f} "
                    f"{p50:14.1f} {p99:8.1f} {c50:8.1f} {c99:8.1f} {queries_seen:8}"
                )


def _time_requests(args, connection, typical, heavy) -> None:
    """The first page as a request through Django's whole stack (the test client, in
    process): the web home page and `GET /api/v1/timelines/home`, both orders."""
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from oauth.services import create_personal_token

    load = os.getloadavg()
    print(
        f"\nfirst page as a request, ms (load {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}; "
        "cpu is the request's own process time):"
    )
    print(
        f"{'member':8} {'request':32} {'p50':>8} {'p99':>8} {'cpu p50':>8} {'cpu p99':>8} "
        f"{'queries':>8}"
    )
    for label, member in (("typical", typical), ("heavy", heavy)):
        web = Client()
        web.force_login(member)
        _, raw = create_personal_token(member=member, scopes=["read"])
        bearer = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
        calls = [
            (f"web /?order={order}", web, f"/?order={order}", {}) for order in ("recent", "top")
        ] + [
            (f"api timelines/home?order={order}", Client(), "/api/v1/timelines/home", bearer)
            for order in ("recent", "top")
        ]
        for name, client, path, headers in calls:
            query = {"order": name.rsplit("=", 1)[1]} if path.startswith("/api/") else {}
            client.get(path, query, **headers)  # warm: the session, the token, the graph
            samples, cpu = [], []
            for _ in range(args.runs):
                started, started_cpu = time.perf_counter(), time.process_time()
                response = client.get(path, query, **headers)
                samples.append(time.perf_counter() - started)
                cpu.append(time.process_time() - started_cpu)
                assert response.status_code == 200, (path, response.status_code)
            connection.queries_log.clear()
            with CaptureQueriesContext(connection) as captured:
                client.get(path, query, **headers)
            p50, p99 = percentiles_ms(samples)
            c50, c99 = percentiles_ms(cpu)
            print(
                f"{label:8} {name:32} {p50:8.1f} {p99:8.1f} {c50:8.1f} {c99:8.1f} {len(captured):8}"
            )


def members_to_read():
    """(typical, heavy, read-time leader ids): the typical member has the median connection
    count; the heavy one the most, and is made to follow 50 read-time leaders (marked so when
    the seed has fewer); both get the timeline rows the fan-out would have written. Writes:
    call it inside the benchmark's rolled-back transaction."""
    from django.db.models import Count

    from accounts.models import User
    from feed.models import FeedAuthor, Post, TimelineEntry
    from membership.services import recount
    from network.models import Connection, Follow

    degree = Connection.objects.values("member_a_id").annotate(n=Count("id")).order_by("-n")
    heavy_id = degree.values_list("member_a_id", flat=True).first()
    counts = sorted(degree.values_list("n", flat=True))
    typical_n = counts[len(counts) // 2] if counts else 0
    typical_id = (
        degree.filter(n=typical_n)
        .order_by("member_a_id")
        .values_list("member_a_id", flat=True)
        .first()
    )
    heavy, typical = User.objects.get(pk=heavy_id), User.objects.get(pk=typical_id)

    # The heavy member follows 50 leaders (read-time authors) as well as their connections.
    leaders = list(FeedAuthor.objects.filter(read_time=True).values_list("member_id", flat=True))
    if len(leaders) < 50:
        extra = (
            Follow.objects.values("followee_id")
            .annotate(n=Count("id"))
            .order_by("-n")
            .values_list("followee_id", flat=True)[:50]
        )
        for leader in extra:
            FeedAuthor.objects.update_or_create(
                member_id=leader,
                defaults={
                    "read_time": True,
                    "followers": 0,
                    "counted_at": Post.objects.first().created_at,
                },
            )
        leaders = list(
            FeedAuthor.objects.filter(read_time=True).values_list("member_id", flat=True)
        )
    Follow.objects.bulk_create(
        [
            Follow(follower_id=heavy.pk, followee_id=m, created_at=heavy.date_joined)
            for m in leaders[:50]
            if m != heavy.pk
        ],
        ignore_conflicts=True,
    )
    recount(member_ids=[heavy.pk, *leaders[:50]])
    for member in (typical, heavy):  # their timelines as the fan-out would have written them
        followed = set(Follow.objects.filter(follower=member).values_list("followee_id", flat=True))
        posts = Post.objects.filter(author_id__in=followed).exclude(author_id__in=leaders)
        TimelineEntry.objects.bulk_create(
            [
                TimelineEntry(member_id=member.pk, post_id=p)
                for p in posts.order_by("-id").values_list("pk", flat=True)[:800]
            ],
            ignore_conflicts=True,
        )
    return typical, heavy, leaders


def _seed_activity(args) -> None:
    """Posts, comments and reactions when the seed has none (`feed.seeding`)."""
    from django.db import connection
    from django.db.models import Count

    from accounts.models import User
    from core.bulk import analyze_after_bulk_load
    from feed import seeding
    from feed.models import Hashtag, Mention, Post, PostTag, Reaction, TimelineEntry
    from membership.services import recount
    from network.models import Connection, Follow
    from profiles.models import MemberCounts

    if Reaction.objects.exists():
        return
    rng = np.random.default_rng(args.seed)
    started = time.perf_counter()
    ids = list(User.objects.values_list("pk", flat=True))
    a, b = zip(*Connection.objects.values_list("member_a_id", "member_b_id"), strict=True)
    leaders = list(
        Follow.objects.values("followee_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .values_list("followee_id", flat=True)[: max(3, len(ids) // 1000)]
    )
    report = seeding.seed_activity(
        ids, leaders, rng, connections=(a, b), posts_per_member=args.activity_posts
    )
    recount()  # bulk rows: their kept counts, once
    # Fresh statistics, or the planner misjudges the new rows (a mention read hashed all
    # 100,000 members); inside the benchmark's transaction they are rolled back with it.
    analyze_after_bulk_load(
        connection, [Post, PostTag, Hashtag, Mention, Reaction, TimelineEntry, MemberCounts]
    )
    print(f"seeded activity in {time.perf_counter() - started:.1f}s: {report}")


class transaction_savepoint:
    """Each publish in its own savepoint, as a request is its own transaction."""

    def __enter__(self):
        from django.db import transaction

        self.atomic = transaction.atomic()
        self.atomic.__enter__()

    def __exit__(self, *exc):
        return self.atomic.__exit__(*exc)
