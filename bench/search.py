"""`linkwell bench search`: typeahead, people search and suggestions on the current database.

Run it on a seeded network (`linkwell seed --members N`, which indexes search too; an
unindexed database is indexed first, and the time printed). It only reads. Each figure is
the whole query function a page calls (search.queries: engine, graph degrees, visibility
read, mutuals), with a fresh Viewpoint per call as a request has, plus the bare engine call
for the typeahead. Prints p50/p99, never asserts a time; results go in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

import numpy as np

from core.heap import freeze_startup_heap


def _percentiles(samples: list[float]) -> dict:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return {"p50_ms": statistics.median(ordered) * 1000, "p99_ms": p99 * 1000, "n": len(ordered)}


def _timed(calls) -> dict:
    """Wall p50/p99, plus this process's CPU time per call and the statements per call:
    on a shared machine the wall time mostly measures the others' load (HOUSE.md)."""
    from django.db import connection

    statements = [0]

    def count(execute, sql, params, many, context):
        statements[0] += 1
        return execute(sql, params, many, context)

    samples = []
    cpu_started = time.process_time()
    with connection.execute_wrapper(count):
        for call in calls:
            started = time.perf_counter()
            call()
            samples.append(time.perf_counter() - started)
    figures = _percentiles(samples)
    figures["cpu_ms"] = (time.process_time() - cpu_started) * 1000 / len(samples)
    figures["queries"] = statements[0] / len(samples)
    return figures


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="linkwell bench search", description=__doc__)
    parser.add_argument("--runs", type=int, default=300, help="timed calls per figure")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)

    import django

    django.setup()
    from django.db import connection

    from accounts.models import User
    from network import queries as network
    from network.models import Connection
    from search import fulltext, queries, services
    from search.models import MemberDocument, MemberFacet

    freeze_startup_heap()  # as a served worker's (config/wsgi.py): no full collection's pause

    rng = np.random.default_rng(args.seed)
    members = User.objects.count()
    figures: dict = {"database": connection.vendor, "members": members}
    if MemberDocument.objects.count() < members * 0.9:
        started = time.perf_counter()
        services.reindex()
        figures["reindex_s"] = time.perf_counter() - started
    figures["documents"] = MemberDocument.objects.count()
    figures["facets"] = MemberFacet.objects.count()
    ids = np.array(User.objects.values_list("pk", flat=True))
    viewers = list(User.objects.filter(pk__in=rng.choice(ids, size=min(200, len(ids))).tolist()))
    names = [
        n.split()[0].lower()
        for n in User.objects.filter(pk__in=rng.choice(ids, size=500).tolist()).values_list(
            "display_name", flat=True
        )
        if n.split()
    ]
    words = [
        w
        for text in MemberDocument.objects.filter(
            member_id__in=rng.choice(ids, size=500).tolist()
        ).values_list("card", flat=True)
        for w in text.split()[:2]
        if len(w) > 3
    ]
    index = network.Viewpoint(viewers[0]).index  # built or mapped once, numba warmed
    heavy_id = max(
        (int(x) for x in rng.choice(ids, size=2000)), key=lambda i: index.connection_count(i)
    )
    heavy = User.objects.get(pk=heavy_id)
    figures["connections"] = Connection.objects.count()
    figures["heavy_connections"] = index.connection_count(heavy_id)

    def pick(seq, i):
        return seq[i % len(seq)]

    runs = args.runs
    for call in range(3):  # warm the caches a running site has warm
        queries.typeahead(viewers[call], names[call][:2])
        queries.people(viewers[call], q=words[call])
    for length in (1, 2, 3, 4):
        figures[f"typeahead_{length}"] = _timed(
            (lambda i=i, n=length: queries.typeahead(pick(viewers, i), pick(names, i)[:n]))
            for i in range(runs)
        )
        figures[f"engine_prefix_{length}"] = _timed(
            (lambda i=i, n=length: fulltext.prefix_names(pick(names, i)[:n], limit=50))
            for i in range(runs)
        )
    figures["search"] = _timed(
        (lambda i=i: queries.people(pick(viewers, i), q=pick(words, i))) for i in range(runs)
    )
    figures["search_two_terms"] = _timed(
        (lambda i=i: queries.people(pick(viewers, i), q=f"{pick(names, i)} {pick(words, i)[:3]}"))
        for i in range(runs)
    )
    figures["search_degree_2"] = _timed(
        (lambda i=i: queries.people(pick(viewers, i), q=pick(words, i), degrees=[2]))
        for i in range(runs)
    )
    figures["search_degree_1_no_text"] = _timed(
        (lambda i=i: queries.people(pick(viewers, i), degrees=[1])) for i in range(runs)
    )
    figures["suggestions_typical"] = _timed(
        (lambda i=i: queries.suggestions(pick(viewers, i))) for i in range(runs)
    )
    figures["suggestions_heavy"] = _timed(
        (lambda: queries.suggestions(heavy)) for _ in range(max(20, runs // 5))
    )
    if args.json:
        print(json.dumps(figures, indent=2))
        return 0
    print(
        f"database: {figures['database']}, {members:,} members, {figures['documents']:,} "
        f"documents, {figures['facets']:,} facets, {figures['connections']:,} connections; "
        f"heavy member: {figures['heavy_connections']} connections"
    )
    if "reindex_s" in figures:
        print(f"reindex: {figures['reindex_s']:.1f} s")
    print(f"{'figure':32} {'p50 ms':>8} {'p99 ms':>8} {'cpu ms':>8} {'queries':>8}")
    for name, value in figures.items():
        if isinstance(value, dict):
            print(
                f"{name:32} {value['p50_ms']:8.2f} {value['p99_ms']:8.2f}"
                f" {value['cpu_ms']:8.2f} {value['queries']:8.1f}"
            )
    return 0
