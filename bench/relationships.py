"""`linkwell bench relationships`: A4's "Closest first" and A3's prompts for one member with
N connections (30,000 by default, N7's limit), every one with a kept `Tie`.

It writes its own members, connections and ties in bulk inside one transaction and rolls
them back at the end, so it runs on any database, seeded or empty. Each figure is the whole
query function a page or an API call runs. Prints p50/p99, never asserts a time; the results
go in docs/benchmarks.md, "Relationships".
"""

from __future__ import annotations

import argparse
import json
import random
import time
from datetime import timedelta

from bench.timing import Rollback, percentiles_ms


def _timed(call, runs: int) -> dict:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        samples.append(time.perf_counter() - started)
    p50, p99 = percentiles_ms(samples)
    return {"p50_ms": round(p50, 2), "p99_ms": round(p99, 2), "n": runs}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="linkwell bench relationships", description=__doc__)
    parser.add_argument("--connections", type=int, default=30_000)
    parser.add_argument("--runs", type=int, default=20, help="timed calls per figure")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)

    import django

    django.setup()
    from django.db import connection, transaction
    from django.utils import timezone

    from accounts.models import User
    from network.models import Connection
    from profiles.models import Profile
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
            Tie.objects.bulk_create(
                [
                    Tie(
                        owner=me,
                        other=o,
                        score=rng.random() * 40,
                        scored_on=today - rng.randrange(0, 400),
                        messages=rng.randrange(0, 50),
                        last_interaction_at=now - timedelta(days=rng.randrange(0, 400)),
                        tags=rng.randrange(0, 2),
                    )
                    for o in others
                ],
                batch_size=5000,
            )
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE network_connection; ANALYZE relationships_tie")
            figures["load_s"] = round(time.perf_counter() - started, 1)

            def closest_page():
                members = queries.connections_for(me, order="strength")
                return list(members.values_list("pk", flat=True)[:50])

            figures["closest_first_page_50"] = _timed(closest_page, args.runs)
            figures["recent_page_50"] = _timed(
                lambda: list(
                    queries.connections_for(me, order="recent").values_list("pk", flat=True)[:50]
                ),
                args.runs,
            )
            page = closest_page()
            figures["strengths_of_a_page_50"] = _timed(
                lambda: queries.strengths_among(me, page), args.runs
            )
            figures["relationship_extras_40"] = _timed(
                lambda: queries.relationship_extras(me, page[:40]), args.runs
            )
            figures["strength_with_one_explained"] = _timed(
                lambda: queries.strength_with(me, page[0]), args.runs
            )
            figures["prompts_for"] = _timed(lambda: queries.prompts_for(me), max(3, args.runs // 4))
            figures["prompts"] = len(queries.prompts_for(me))
            raise Rollback
    except Rollback:
        pass
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        for key, value in figures.items():
            print(f"{key}: {value}")
    return 0
