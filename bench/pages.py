"""`linkwell bench pages`: the alumni tool's facets and "N of your connections work here".

Run it on a seeded network (`linkwell seed --members N` makes the pages and links). It only
reads. The school is the one with the most linked alumni; each figure is the whole
`pages.queries.alumni` call (the facets statement and the first page of members) for a
signed-in viewer, with a fresh viewer per call, unfiltered and with three stacked filters
(start year, city and current company, each the school's commonest value, so the filtered
set is never empty). "Connections work here" is `pages.queries.connections_here` for
members with connections, against their current company, with a fresh Viewpoint each call
on the warm graph index. Prints p50/p99, never asserts a time; results go in
docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np

from bench.timing import percentiles_ms


def _timed(calls) -> dict:
    samples = []
    for call in calls:
        started = time.perf_counter()
        call()
        samples.append(time.perf_counter() - started)
    p50, p99 = percentiles_ms(samples)
    return {"p50_ms": round(p50, 2), "p99_ms": round(p99, 2), "n": len(samples)}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="linkwell bench pages", description=__doc__)
    parser.add_argument("--runs", type=int, default=200, help="timed calls per figure")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)

    import django

    django.setup()
    from django.db import connection
    from django.db.models import Count

    from accounts.models import User
    from network import queries as network
    from pages import queries
    from pages.models import EducationPage, Page, PositionPage

    rng = np.random.default_rng(args.seed)
    figures: dict = {"database": connection.vendor, "members": User.objects.count()}
    top = (
        EducationPage.objects.values("page_id")
        .annotate(n=Count("member_id", distinct=True))
        .order_by("-n")
        .first()
    )
    if top is None:
        print("No school pages with alumni: seed first (linkwell seed --members N).")
        return 1
    school = Page.objects.get(pk=top["page_id"])
    viewers = list(
        User.objects.filter(is_active=True).order_by("?").values_list("pk", flat=True)[:500]
    )
    members = User.objects.in_bulk(viewers)
    unfiltered = queries.alumni(members[viewers[0]], school)
    figures["school"] = {"name": school.name, "alumni": unfiltered.total}

    def pick(name):
        values = unfiltered.facets[name]
        return values[0][0] if values else ""

    start_year = int(
        EducationPage.objects.filter(page=school)
        .values_list("education__start_year", flat=True)
        .order_by("education__start_year")[top["n"] // 4]
        or 2000
    )
    stacked = queries.AlumniFilters(
        start_year=start_year, location=pick("location"), company=pick("company")
    )
    figures["stacked_filters"] = {
        "start_year": start_year,
        "location": stacked.location,
        "company": stacked.company,
        "total": queries.alumni(members[viewers[0]], school, stacked).total,
    }

    def viewer(i):
        return members[viewers[i % len(viewers)]]

    for _ in range(5):  # warm the caches and the plan
        queries.alumni(viewer(0), school)
        queries.alumni(viewer(0), school, stacked)
    figures["alumni_unfiltered"] = _timed(
        (lambda i=i: queries.alumni(viewer(i), school)) for i in range(args.runs)
    )
    figures["alumni_three_filters"] = _timed(
        (lambda i=i: queries.alumni(viewer(i), school, stacked)) for i in range(args.runs)
    )

    index = network.Viewpoint(members[viewers[0]]).index  # the graph index, through the door
    index.warm_up()
    pairs = []
    rows = PositionPage.objects.filter(position__ended_on__isnull=True).values_list(
        "member_id", "page_id"
    )
    sample = list(rows.order_by("?")[: args.runs * 3])
    rng.shuffle(sample)
    for member_id, page_id in sample:
        if index.connection_count(member_id) > 0:
            pairs.append((member_id, page_id))
        if len(pairs) == args.runs:
            break
    people = User.objects.in_bulk([m for m, _ in pairs])
    pages = Page.objects.in_bulk([p for _, p in pairs])
    found = [
        queries.connections_here(people[m], pages[p], view=network.Viewpoint(people[m])).count
        for m, p in pairs[:20]
    ]
    figures["connections_here_counts_sample"] = found
    figures["connections_here"] = _timed(
        (
            lambda m=m, p=p: queries.connections_here(
                people[m], pages[p], view=network.Viewpoint(people[m])
            )
        )
        for m, p in pairs
    )
    if args.json:
        print(json.dumps(figures, indent=2, default=str))
    else:
        for key, value in figures.items():
            print(f"{key}: {value}")
    return 0
