"""`linkwell bench pages`: the alumni tool's facets and "N of your connections work here".

Run it on a seeded network (`linkwell seed --members N` makes the pages and links), migrated
(the index replays `profiles_profileevent`). It only reads, inside a transaction it rolls
back. The school is the one with the most linked alumni; each alumni figure is the whole
`pages.queries.alumni` call (blocks read, the facets and the first page of 20 members) for a
different signed-in viewer each call, unfiltered and with three stacked filters (start year,
city and current company, each the school's commonest value, so the filtered set is never
empty). "Connections work here" is `pages.queries.connections_here` for members with
connections, against their current company, with a fresh Viewpoint each call on the warm
graph index.

Each figure is timed on both paths in one process: `index` (pages' in-memory index, what the
site runs) and `tables` (the same answer from SQL, the reference), with p50/p99 of the wall
time, the mean CPU time (`time.process_time`) and the statements per call. The index's first
read of the school (cold) and what it holds are printed too. Prints figures, never asserts a
time; results go in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import time

import numpy as np

from bench.timing import Rollback, percentiles_ms


def _timed(calls) -> dict:
    samples, cpu = [], 0.0
    for call in calls:
        started, started_cpu = time.perf_counter(), time.process_time()
        call()
        cpu += time.process_time() - started_cpu
        samples.append(time.perf_counter() - started)
    p50, p99 = percentiles_ms(samples)
    return {
        "p50_ms": round(p50, 2),
        "p99_ms": round(p99, 2),
        "cpu_ms": round(cpu * 1000 / max(len(samples), 1), 2),
        "n": len(samples),
    }


def _statements(call) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured.captured_queries)


def _both(paths: dict, make_calls, table_runs: int) -> dict:
    """Each path timed over the same calls (the tables' path over the first `table_runs`
    of them: at 1M members one call of it takes seconds), then its statements per call
    counted once."""
    found = {}
    for name, function in paths.items():
        function_calls = list(make_calls(function))
        if name == "tables":
            function_calls = function_calls[: max(1, table_runs)]
        found[name] = {**_timed(function_calls), "statements": _statements(function_calls[0])}
    return found


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="linkwell bench pages", description=__doc__)
    parser.add_argument("--runs", type=int, default=200, help="timed calls per figure")
    parser.add_argument(
        "--table-runs", type=int, default=20, help="timed calls of the SQL-over-tables path"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)

    import django

    django.setup()
    from django.db import connection, transaction

    figures: dict = {}
    try:
        with transaction.atomic():
            code = _measure(args, figures)
            raise Rollback
    except Rollback:
        pass
    if args.json:
        print(json.dumps(figures, indent=2, default=str))
    else:
        for key, value in figures.items():
            print(f"{key}: {value}")
    connection.close()
    return code


def _measure(args, figures: dict) -> int:
    from django.db import connection
    from django.db.models import Count

    from accounts.models import User
    from network import queries as network
    from pages import index, queries
    from pages.models import EducationPage, Page, PositionPage

    rng = np.random.default_rng(args.seed)
    figures.update(
        {
            "database": connection.vendor,
            "members": User.objects.count(),
            "load_average": os.getloadavg(),
        }
    )
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

    index.reset()
    started, started_cpu = time.perf_counter(), time.process_time()
    unfiltered = queries.alumni(members[viewers[0]], school)
    figures["index_first_read_of_school"] = {
        "wall_ms": round((time.perf_counter() - started) * 1000, 1),
        "cpu_ms": round((time.process_time() - started_cpu) * 1000, 1),
        **index.current_index().held(),
    }
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
    alumni_paths = {"index": queries.alumni, "tables": queries.alumni_from_tables}
    figures["alumni_paths_agree"] = all(  # the same answer both ways
        queries.alumni(viewer, school, f) == queries.alumni_from_tables(viewer, school, f)
        for viewer in (members[v] for v in viewers[:5])
        for f in (None, stacked)
    )
    for function in alumni_paths.values():  # warm
        for _ in range(3):
            function(members[viewers[0]], school)

    def viewer(i):
        return members[viewers[i % len(viewers)]]

    figures["alumni_unfiltered"] = _both(
        alumni_paths,
        lambda f: ((lambda i=i: f(viewer(i), school)) for i in range(args.runs)),
        args.table_runs,
    )
    figures["alumni_three_filters"] = _both(
        alumni_paths,
        lambda f: ((lambda i=i: f(viewer(i), school, stacked)) for i in range(args.runs)),
        args.table_runs,
    )

    graph = network.Viewpoint(members[viewers[0]]).index  # the graph index, through the door
    graph.warm_up()
    pairs = []
    rows = PositionPage.objects.filter(position__ended_on__isnull=True).values_list(
        "member_id", "page_id"
    )
    sample = list(rows.order_by("?")[: args.runs * 3])
    rng.shuffle(sample)
    for member_id, page_id in sample:
        if graph.connection_count(member_id) > 0:
            pairs.append((member_id, page_id))
        if len(pairs) == args.runs:
            break
    people = User.objects.in_bulk([m for m, _ in pairs])
    pages = Page.objects.in_bulk([p for _, p in pairs])
    here_paths = {"index": queries.connections_here, "tables": queries.connections_here_from_tables}
    figures["connections_here_paths_agree"] = all(  # and the index reads each page once here
        queries.connections_here(people[m], pages[p])
        == queries.connections_here_from_tables(people[m], pages[p])
        for m, p in pairs
    )
    figures["connections_here_counts_sample"] = [
        queries.connections_here(people[m], pages[p]).count for m, p in pairs[:20]
    ]
    figures["connections_here"] = _both(
        here_paths,
        lambda f: (
            (lambda m=m, p=p: f(people[m], pages[p], view=network.Viewpoint(people[m])))
            for m, p in pairs
        ),
        args.table_runs,
    )
    figures["index_held"] = index.current_index().held()
    figures["load_average_end"] = os.getloadavg()
    return 0
