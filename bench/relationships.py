"""`linkwell bench relationships`: A4's "Closest first" and A3's prompts for one member with
N connections (30,000 by default, N7's limit), every one with a kept `Tie` (200 of them
never a word: say-hello reminders), 3,000 with a current position.

It writes its own members, connections, ties and positions in bulk inside one transaction
and rolls them back at the end, so it runs on any database, seeded or empty. Each figure is
the whole query function a page or an API call runs (`catch_up_reads`: all the Catch up page
asks of relationships), with p50/p99 wall time, this process's CPU (SQLite's work included),
the PostgreSQL backend's CPU from /proc and the statement count; `--explain` adds the plans
of the Catch up page's and count's statement. Never asserts a time; the results go in
docs/benchmarks.md, "Relationships".
"""

from __future__ import annotations

import argparse
import json
import random
import time
from datetime import timedelta

from bench.timing import Rollback, cpu_seconds, percentiles_ms

SILENT = 200  # connections without any interaction: say-hello prompts, before the dormant
NEWS = 3000  # connections with a current position (a few started lately, some in this month)


def _backend_pid() -> int | None:
    """The local PostgreSQL backend serving this process, whose CPU /proc shows."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def _timed(call, runs: int, backend: int | None = None) -> dict:
    """p50/p99 of the wall time, the median CPU time of this process (on SQLite the
    database's work too), on PostgreSQL the mean CPU of its backend (`backend`, from /proc:
    the figures to compare on a loaded machine), and the SQL statements of one call."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    samples, cpu = [], []
    db_started = cpu_seconds(backend) if backend else 0.0
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        call()
        samples.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    db_cpu = (cpu_seconds(backend) - db_started) / runs if backend else None
    with CaptureQueriesContext(connection) as captured:
        call()
    p50, p99 = percentiles_ms(samples)
    cpu_ms = sorted(cpu)[len(cpu) // 2] * 1000
    figures = {
        "p50_ms": round(p50, 2),
        "p99_ms": round(p99, 2),
        "cpu_p50_ms": round(cpu_ms, 2),
        "queries": len(captured),
        "n": runs,
    }
    if db_cpu is not None:
        figures["db_cpu_mean_ms"] = round(db_cpu * 1000, 1)
    return figures


def _plan(statement: str, params: list) -> list[str]:
    """EXPLAIN (ANALYZE on PostgreSQL, QUERY PLAN on SQLite), one line a row."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {statement}", params)
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"EXPLAIN QUERY PLAN {statement}", params)
        return [" ".join(str(c) for c in row) for row in cursor.fetchall()]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="linkwell bench relationships", description=__doc__)
    parser.add_argument("--connections", type=int, default=30_000)
    parser.add_argument("--runs", type=int, default=20, help="timed calls per figure")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--explain", action="store_true", help="print the plans of Catch up's page and count"
    )
    args = parser.parse_args(argv)

    import django

    django.setup()
    from django.db import connection, transaction
    from django.utils import timezone

    from accounts.models import User
    from network.models import Connection
    from profiles.models import Position, Profile
    from relationships import queries
    from relationships.models import Tie

    n = args.connections
    rng = random.Random(1)
    figures: dict = {"database": connection.vendor, "connections": n}
    try:
        with transaction.atomic():
            now = timezone.now()
            started = time.perf_counter()
            tag = f"rb{rng.randrange(10**9)}"
            User.objects.bulk_create(
                [
                    User(
                        username=f"{tag}_{i}",
                        email=f"{tag}_{i}@bench.invalid",
                        display_name=f"Bench {i}",
                        password="!",
                    )
                    for i in range(n + 1)
                ],
                batch_size=5000,
            )
            people = list(User.objects.filter(username__startswith=f"{tag}_").order_by("pk"))
            Profile.objects.bulk_create([Profile(member=p) for p in people], batch_size=5000)
            me, others = people[0], people[1:]
            Connection.objects.bulk_create(
                [
                    Connection(
                        member_a_id=me.pk,
                        member_b_id=o.pk,
                        created_at=now - timedelta(days=rng.randrange(1, 2000)),
                    )
                    for o in others
                ],
                batch_size=5000,
            )
            today = queries.day_number(now)
            quiet = set(others[-SILENT:])  # never a word: A2's say-hello reminders
            Tie.objects.bulk_create(
                [
                    Tie(
                        owner=me,
                        other=o,
                        score=0 if o in quiet else rng.random() * 40,
                        scored_on=today - rng.randrange(0, 400),
                        messages=0 if o in quiet else rng.randrange(0, 50),
                        last_interaction_at=None
                        if o in quiet
                        else now - timedelta(days=rng.randrange(0, 400)),
                        tags=rng.randrange(0, 2),
                    )
                    for o in others
                ],
                batch_size=5000,
            )
            Position.objects.bulk_create(  # A3's new positions and anniversaries
                [
                    Position(
                        member=o,
                        title="Engineer",
                        company=f"Company {i % 7}",
                        started_on=(now - timedelta(days=rng.randrange(1, 3000))).date(),
                    )
                    for i, o in enumerate(others[:NEWS])
                ],
                batch_size=5000,
            )
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute(
                        "ANALYZE network_connection; ANALYZE relationships_tie;"
                        " ANALYZE profiles_position"
                    )
            figures["load_s"] = round(time.perf_counter() - started, 1)
            backend = _backend_pid()

            def closest_page():
                members = queries.connections_for(me, order="strength")
                return list(members.values_list("pk", flat=True)[:50])

            figures["closest_first_page_50"] = _timed(closest_page, args.runs, backend)
            figures["recent_page_50"] = _timed(
                lambda: list(
                    queries.connections_for(me, order="recent").values_list("pk", flat=True)[:50]
                ),
                args.runs,
                backend,
            )
            page = closest_page()
            figures["strengths_of_a_page_50"] = _timed(
                lambda: queries.strengths_among(me, page), args.runs, backend
            )
            figures["relationship_extras_40"] = _timed(
                lambda: queries.relationship_extras(me, page[:40]), args.runs, backend
            )
            figures["strength_with_one_explained"] = _timed(
                lambda: queries.strength_with(me, page[0]), args.runs, backend
            )
            few = max(3, args.runs // 4)
            figures["prompts_for"] = _timed(lambda: queries.prompts_for(me), few, backend)
            figures["prompt_count"] = _timed(lambda: queries.prompt_count(me), few, backend)

            def catch_up_reads():  # what the Catch up page asks of relationships
                prompts = queries.prompts_for(me)
                offers = queries.say_hello_texts(me, queries.say_hello_offers(me))
                return prompts, offers, queries.prompt_count(me)

            figures["catch_up_reads"] = _timed(catch_up_reads, few, backend)
            figures["prompts"] = len(queries.prompts_for(me))
            figures["prompts_by_type"] = {}
            for prompt in queries.prompts_for(me, limit=n):
                kinds = figures["prompts_by_type"]
                kinds[prompt.type] = kinds.get(prompt.type, 0) + 1
            figures["count"] = queries.prompt_count(me)
            if args.explain:
                sql, params = queries.prompts_statement(me)
                figures["count_plan"] = _plan(f"SELECT COUNT(*) FROM ({sql}) p", params)
                page = f"SELECT * FROM ({sql}) p{queries.PAGE_ORDER} LIMIT 50"
                figures["page_plan"] = _plan(page, params)
            raise Rollback
    except Rollback:
        pass
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        for key, value in figures.items():
            print(f"{key}: {value}")
    return 0
