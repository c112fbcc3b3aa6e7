"""`linkwell bench api`: the account entity, relationships and follow lists through the API.

Run it on a seeded network (`linkwell seed --members N`). For a typical member (the median
connection count) and the most-followed one, it times `GET /api/v1/accounts/:id`,
`relationships` for 25 ids, the first and a deep page (90% down, by `max_id`) of
followers, following and connections, the first page of their mutual connections, and the
viewer's own invitations and blocks, each as a real request through Django's stack (the
test client, in process, one thread: no network, no web server). `--leader-followers N`
first gives the most-followed member at least N followers (COPY on PostgreSQL, executemany
on SQLite, then `membership.services.recount` for the members it touched); those follows
are kept, so the next run reuses them. The token it makes is rolled back. Prints figures,
never asserts a time; the machine is shared, so its load is printed beside them, and each
figure is given twice: wall time, and the request thread's own CPU time (`thread_time`),
which the neighbours' load barely moves (on PostgreSQL it leaves out the server's work).
"""

from __future__ import annotations

import argparse
import os
import time

from bench.timing import Rollback, percentiles_ms
from core.heap import freeze_startup_heap, freeze_warm_heap


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="linkwell bench api", description=__doc__)
    parser.add_argument("--runs", type=int, default=50, help="timed requests per figure")
    parser.add_argument(
        "--leader-followers",
        type=int,
        default=0,
        help="first give the most-followed member at least this many followers (kept)",
    )
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    os.environ.setdefault("LINKWELL_HTTPS", "off")  # the in-process client speaks plain http
    import django

    django.setup()
    from django.db import connection, transaction

    if args.leader_followers:
        with transaction.atomic():
            _grow_leader(connection, args.leader_followers, args.seed)
    freeze_startup_heap()  # as a served worker's (config/wsgi.py): no full collection's pause
    try:
        with transaction.atomic():
            _run(args, connection)
            raise Rollback
    except Rollback:
        pass
    return 0


def _most_followed():
    from profiles.models import MemberCounts

    return MemberCounts.objects.order_by("-followers", "pk").values_list("pk", flat=True).first()


def _grow_leader(connection, wanted: int, seed: int) -> None:
    """A "thought leader": the most-followed member gets followers until they have `wanted`."""
    import numpy as np

    from accounts.models import User
    from core import clock
    from core.bulk import TableWriter, analyze_after_bulk_load
    from membership.services import recount
    from network.models import Follow

    leader = _most_followed()
    have = set(Follow.objects.filter(followee_id=leader).values_list("follower_id", flat=True))
    missing = wanted - len(have)
    if missing <= 0:
        return
    ids = np.asarray(User.objects.values_list("pk", flat=True), np.int64)
    ids = ids[~np.isin(ids, np.fromiter(have | {leader}, np.int64))]
    chosen = np.sort(np.random.default_rng(seed).permutation(ids)[:missing])
    started = time.perf_counter()
    writer = TableWriter(connection, Follow, ["follower_id", "followee_id", "created_at"])
    now = int(clock.now().timestamp())
    for lo in range(0, len(chosen), 200_000):
        part = chosen[lo : lo + 200_000]
        writer.write([part, np.full(len(part), leader), np.full(len(part), now)])
    recount(member_ids=[leader, *chosen.tolist()])
    analyze_after_bulk_load(connection, [Follow])
    print(
        f"leader #{leader}: {len(chosen):,} more followers written and counted "
        f"in {time.perf_counter() - started:.1f}s"
    )


def _run(args, connection) -> None:
    from django.db.models import Q
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from network.models import Connection, Follow
    from oauth.services import create_personal_token
    from profiles.models import MemberCounts

    members = User.objects.count()
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    print(
        f"database: {connection.vendor}, {members:,} members, "
        f"{Connection.objects.count():,} connections, {Follow.objects.count():,} follows; "
        f"machine shared with other work ({os.cpu_count()} CPUs, load {load[0]:.1f} "
        f"{load[1]:.1f} {load[2]:.1f}), {args.runs} requests per figure"
    )
    by_connections = MemberCounts.objects.order_by("connections", "pk")
    typical = by_connections.values_list("pk", flat=True)[members // 2]
    leader = _most_followed()
    client = Client()
    print(
        f"\n{'member':8} {'call':30} {'p50 ms':>8} {'p99 ms':>8} {'cpu p50':>8} {'cpu p99':>8} "
        f"{'queries':>8} {'answer':>7}"
    )
    plans = []
    for label, member_id in (("typical", typical), ("leader", leader)):
        counts = MemberCounts.objects.get(pk=member_id)
        pairs = Connection.objects.filter(Q(member_a_id=member_id) | Q(member_b_id=member_id))
        a, b = pairs.values_list("member_a_id", "member_b_id").first() or (None, None)
        viewer_id = (b if a == member_id else a) or member_id  # a connection sees whole lists
        viewer = User.objects.get(pk=viewer_id)
        _, raw = create_personal_token(member=viewer, scopes=["read"])
        headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
        followers = Follow.objects.filter(followee_id=member_id).order_by("-pk")
        following = Follow.objects.filter(follower_id=member_id).order_by("-pk")
        some = list(followers.values_list("follower_id", flat=True)[:25])
        connection_ids = sorted(pairs.values_list("pk", flat=True), reverse=True)
        calls = [
            ("account", f"/api/v1/accounts/{member_id}"),
            (
                "relationships (25 ids)",
                "/api/v1/accounts/relationships?" + "&".join(f"id[]={i}" for i in some),
            ),
        ]
        for name, rows, total in (
            ("followers", followers, counts.followers),
            ("following", following, counts.following),
        ):
            calls.append((f"{name} first page", f"/api/v1/accounts/{member_id}/{name}"))
            deep = rows.values_list("pk", flat=True)[int(total * 0.9)] if total > 40 else None
            if deep is not None:
                calls.append(
                    (
                        f"{name} deep page (90%)",
                        f"/api/v1/accounts/{member_id}/{name}?max_id={deep}",
                    )
                )
        calls.append(("connections first page", f"/api/v1/accounts/{member_id}/connections"))
        if len(connection_ids) > 40:
            deep = connection_ids[int(len(connection_ids) * 0.9)]
            calls.append(
                (
                    "connections deep page (90%)",
                    f"/api/v1/accounts/{member_id}/connections?max_id={deep}",
                )
            )
        calls += [
            ("mutual connections", f"/api/v1/accounts/{member_id}/mutual_connections"),
            ("invitations received (viewer)", "/api/v1/invitations?direction=received"),
            ("invitations sent (viewer)", "/api/v1/invitations?direction=sent"),
            ("blocks (viewer)", "/api/v1/blocks"),
        ]
        plans.append((label, member_id, counts, viewer_id, headers, calls))
    # A served worker's steady state: every call served once (the token, the index's replay,
    # the compiled statements), then what that left frozen, as the worker's own warm freezes
    # do (core.heap.FreezeWarmHeap); without it, a full collection walked those caches in one
    # request of about fifty (20-130 ms).
    for *_, headers, calls in plans:
        for _name, path in calls:
            client.get(path, **headers)
    freeze_warm_heap()
    for label, member_id, counts, viewer_id, headers, calls in plans:
        print(
            f"{label} #{member_id}: {counts.followers:,} followers, {counts.following:,} "
            f"following, {counts.connections:,} connections (viewer #{viewer_id})"
        )
        for name, path in calls:
            samples, cpu = [], []
            for _ in range(args.runs):
                started, started_cpu = time.perf_counter(), time.thread_time()
                response = client.get(path, **headers)
                samples.append(time.perf_counter() - started)
                cpu.append(time.thread_time() - started_cpu)
            with CaptureQueriesContext(connection) as captured:
                response = client.get(path, **headers)
            p50, p99 = percentiles_ms(samples)
            cpu50, cpu99 = percentiles_ms(cpu)
            body = response.json()
            size = len(body) if isinstance(body, list) else response.status_code
            print(
                f"{label:8} {name:30} {p50:8.1f} {p99:8.1f} {cpu50:8.1f} {cpu99:8.1f} "
                f"{len(captured):8} {size:>7}"
            )
