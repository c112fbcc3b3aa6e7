"""`linkwell bench web`: the pages and API calls members use most, measured from outside.

It starts `linkwell serve` (gunicorn, uvicorn workers) on loopback against the configured
database with LINKWELL_BENCH_QUERIES on (each answer then names its SQL statement count in a
header; never on a production site), signs in seeded members (typical: about the median
connection count; heavy: 500+ connections), and drives every endpoint with a closed loop of
C clients (each sends its next request when the last one answered) spread over client
processes of their own, so the load generator never shares the server's GIL. Each
(endpoint, concurrency) cell stops after --requests answers or --seconds, whichever comes
first. Per cell it prints req/s (wall), req/s per core (answers per CPU-second the server's
workers, and PostgreSQL's backends when on PostgreSQL, spent: the machine is shared, so wall
throughput mostly measures the neighbours), p50/p99, queries per request and the workers'
memory. Nothing is asserted: speed targets are figures (docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import io
import json
import multiprocessing
import os
import random
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from bench.timing import cpu_seconds as _cpu_seconds
from bench.timing import percentiles_ms

HEADER = "X-Linkwell-Queries"
MIN_HEAVY_CONNECTIONS = 500


@dataclass
class Endpoint:
    name: str
    requests: list[tuple[str, dict]] = field(default_factory=list)  # (path, headers)


# ------------------------------------------------------------------ the client processes


def _client_loop(host, port, jobs, results):
    """One client process: runs each job it is given until it gets None."""
    while True:
        job = jobs.get()
        if job is None:
            return
        results.put(_run_job(host, port, *job))


def _run_job(host, port, requests, threads, budget, seconds):
    """`threads` closed-loop clients, each its own keep-alive connection, until the budget of
    answers or the deadline; returns (latencies, query counts, statuses)."""
    lock = threading.Lock()
    left = [budget]
    samples, queries, statuses = [], [], {}
    deadline = time.monotonic() + seconds

    def client(offset):
        conn = http.client.HTTPConnection(host, port, timeout=60)
        i = offset
        while time.monotonic() < deadline:
            with lock:
                if left[0] <= 0:
                    break
                left[0] -= 1
            path, headers = requests[i % len(requests)]
            i += threads
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection(host, port, timeout=60)
                status, count = "error", None
            else:
                status, count = response.status, response.getheader(HEADER)
            elapsed = time.perf_counter() - started
            with lock:
                samples.append(elapsed)
                statuses[status] = statuses.get(status, 0) + 1
                if count is not None:
                    queries.append(int(count))
        conn.close()

    pool = [
        threading.Thread(target=client, args=(random.randrange(len(requests)),))
        for _ in range(threads)
    ]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return samples, queries, statuses


class Clients:
    """A fixed set of client processes (forked before any measurement), fed one cell at a
    time."""

    def __init__(self, host, port, processes):
        context = multiprocessing.get_context("fork")
        self.jobs = [context.Queue() for _ in range(processes)]
        self.results = context.Queue()
        self.procs = [
            context.Process(target=_client_loop, args=(host, port, q, self.results), daemon=True)
            for q in self.jobs
        ]
        for p in self.procs:
            p.start()

    def run(self, requests, concurrency, budget, seconds):
        used = self.jobs[: min(concurrency, len(self.jobs))]
        for n, q in enumerate(used):
            threads = concurrency // len(used) + (1 if n < concurrency % len(used) else 0)
            share = budget // len(used) + (1 if n < budget % len(used) else 0)
            q.put((requests, threads, share, seconds))
        samples, queries, statuses = [], [], {}
        for _ in used:
            s, qs, st = self.results.get()
            samples += s
            queries += qs
            for k, v in st.items():
                statuses[k] = statuses.get(k, 0) + v
        return samples, queries, statuses

    def close(self):
        for q in self.jobs:
            q.put(None)
        for p in self.procs:
            p.join(timeout=5)


# ------------------------------------------------------------------ the server


def _rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            found += [int(x) for x in (task / "children").read_text().split()]
    return found


class Server:
    """`linkwell serve` as a child process in its own session, stopped by its own pid."""

    def __init__(self, port, workers, log_path):
        env = dict(os.environ)
        env.update(
            LINKWELL_BENCH_QUERIES="on",
            LINKWELL_HTTPS="off",
            PORT=str(port),
            HOST="127.0.0.1",
            WEB_CONCURRENCY=str(workers),
        )
        linkwell = str(Path(sys.executable).with_name("linkwell"))
        self.log = open(log_path, "w")  # noqa: SIM115 (kept open while the server runs)
        self.proc = subprocess.Popen(  # noqa: S603 (our own command line)
            [linkwell, "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.port = port

    def wait_ready(self, timeout=300):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(
                    f"linkwell serve exited ({self.proc.returncode}); see {self.log.name}"
                )
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/login/")
                conn.getresponse().read()
                return
            except OSError:
                time.sleep(0.5)
        raise SystemExit("linkwell serve did not answer")

    def workers(self) -> list[int]:
        return _children(self.proc.pid)

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
        self.log.close()


def _database_pids(connection) -> list[int]:
    """PostgreSQL backends of the server's workers (same database, not this process)."""
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
        )
        return [row[0] for row in cursor.fetchall()]


# ------------------------------------------------------------------ the members and pages


SIGNED_IN: list = []  # (session key, token) made by this run, signed out at its end


def _sign_in(user) -> dict:
    """A web session cookie for `user`, made as a sign-in makes it (no password round)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    name = settings.SESSION_COOKIE_NAME
    SIGNED_IN.append(("session", client.cookies[name].value))
    return {"Cookie": f"{name}={client.cookies[name].value}"}


def _token(user) -> dict:
    from oauth.services import create_personal_token

    token, raw = create_personal_token(member=user, scopes=["read"])
    SIGNED_IN.append(("token", (user, token.pk)))
    return {"Authorization": f"Bearer {raw}"}


def _sign_out() -> None:
    """The sessions and tokens this run made go again: the database stays as it was read."""
    from django.contrib.sessions.models import Session

    from oauth.services import revoke_personal_token

    Session.objects.filter(
        session_key__in=[k for kind, k in SIGNED_IN if kind == "session"]
    ).delete()
    for kind, made in SIGNED_IN:
        if kind == "token":
            revoke_personal_token(member=made[0], token_id=made[1])


def _targets(viewer, rng: random.Random) -> tuple[list[int], dict[int, int | None]]:
    """The viewer's connections, and a 1st-, 2nd- and 3rd-degree member of theirs: walks of
    two and three steps, their degrees confirmed by the graph (network.queries)."""
    from network.queries import connection_id_list, degrees_for

    first = connection_id_list(viewer)
    found: dict[int, int | None] = {1: rng.choice(first) if first else None, 2: None, 3: None}
    walked: list[int] = []
    for hop in rng.sample(first, min(8, len(first))):
        second = connection_id_list(hop)
        walked += rng.sample(second, min(10, len(second)))
        for far in rng.sample(second, min(2, len(second))):
            third = connection_id_list(far)
            walked += rng.sample(third, min(10, len(third)))
    walked = [m for m in dict.fromkeys(walked) if m != viewer.pk]
    for member, degree in zip(walked, degrees_for(viewer, walked), strict=True):
        if degree in (2, 3) and found[degree] is None:
            found[degree] = member
    return first, found


def _fan_out_for(readers: list[int]) -> None:
    """A network seeded before the seed fanned its posts out has no timeline rows, so its
    home feeds hold only read-time leaders: write the signed-in members' rows (committed, so
    the next run finds them) by the seed's own rule."""
    from django.db import transaction

    from core import clock
    from demo.seeder import fan_out_seeded_posts

    started = time.perf_counter()
    with transaction.atomic():
        written = fan_out_seeded_posts(int(clock.now().timestamp()), readers=readers)
    print(
        f"no timeline rows: fanned the seeded posts out to the {len(readers)} signed-in members "
        f"({written:,} rows, {time.perf_counter() - started:.1f} s)",
        flush=True,
    )


def _pick_members(args, rng):
    from django.db.models import Q

    from profiles.models import MemberCounts, PrimaryAction

    counts = MemberCounts.objects.exclude(
        member__profile__primary_action=PrimaryAction.FOLLOW
    ).order_by("connections", "pk")
    total = counts.count()
    median = counts.values_list("connections", flat=True)[total // 2]
    typical = list(
        counts.filter(
            Q(connections__gte=max(1, int(median * 0.8)))
            & Q(connections__lte=int(median * 1.2) + 1)
        ).values_list("pk", flat=True)[:5000]
    )
    heavy = list(
        counts.filter(connections__gte=MIN_HEAVY_CONNECTIONS).values_list("pk", flat=True)[:5000]
    )
    rng.shuffle(typical)
    rng.shuffle(heavy)
    return median, typical[: args.typical], heavy[: args.heavy]


def _build_endpoints(args, connection, rng):
    """Every endpoint's requests, spread over the signed-in members (typical and heavy)."""
    from django.core.management import call_command
    from django.db.models import Max, Min

    from accounts.models import User
    from feed.models import TimelineEntry
    from network.models import Follow
    from profiles.models import MemberCounts

    published = io.StringIO()
    call_command("graph_snapshot", stdout=published)  # timed: the index from the database
    print(f"{connection.vendor}: {published.getvalue().strip()}", flush=True)

    median, typical, heavy = _pick_members(args, rng)
    viewers = [("typical", m) for m in typical] + [("heavy", m) for m in heavy]
    if not TimelineEntry.objects.exists():
        _fan_out_for([m for _, m in viewers])
    lowest, highest = User.objects.aggregate(lo=Min("pk"), hi=Max("pk")).values()
    users = User.objects.in_bulk([m for _, m in viewers])
    leader = (
        MemberCounts.objects.order_by("-followers", "pk").values_list("pk", "followers").first()
    )
    leader_id, leader_followers = leader
    deep = (
        Follow.objects.filter(followee_id=leader_id)
        .order_by("-pk")
        .values_list("pk", flat=True)[int(leader_followers * 0.9)]
        if leader_followers > 40
        else None
    )
    print(
        f"members signed in: {len(typical)} typical (median {median} connections), "
        f"{len(heavy)} heavy (>= {MIN_HEAVY_CONNECTIONS}); most-followed #{leader_id} "
        f"({leader_followers:,} followers)",
        flush=True,
    )
    names = [
        "profile_1st",
        "profile_2nd",
        "profile_3rd",
        "my_network",
        "home_top",
        "home_recent",
        "search",
        "typeahead",
        "api_relationships_25",
        "api_timelines_home",
        "api_leader_followers",
        "api_leader_followers_deep",
        "api_leader_account",
    ]
    endpoints = {name: Endpoint(name) for name in names}
    handles: dict[int, str] = {}
    first_names = list(
        User.objects.filter(pk__in=[m for _, m in viewers]).values_list("first_name", flat=True)
    )
    words = ["engineer", "manager", "design", "data", "sales", "product"]
    for _kind, member in viewers:
        user = users[member]
        cookie, bearer = _sign_in(user), _token(user)
        first, targets = _targets(user, rng)
        handles.update(
            User.objects.filter(pk__in=[t for t in targets.values() if t]).values_list(
                "pk", "username"
            )
        )
        for degree, name in ((1, "profile_1st"), (2, "profile_2nd"), (3, "profile_3rd")):
            if targets[degree]:
                endpoints[name].requests.append((f"/in/{handles[targets[degree]]}/", cookie))
        endpoints["my_network"].requests.append(("/mynetwork/", cookie))
        endpoints["home_top"].requests.append(("/?order=top", cookie))
        endpoints["home_recent"].requests.append(("/?order=recent", cookie))
        for _ in range(4):
            q = rng.choice(words) if rng.random() < 0.5 else rng.choice(first_names)
            endpoints["search"].requests.append(("/search/?" + urlencode({"q": q}), cookie))
            prefix = rng.choice(first_names)[: rng.randint(2, 4)].lower()
            endpoints["typeahead"].requests.append(
                ("/search/typeahead/?" + urlencode({"q": prefix}), cookie)
            )
        some = first[:15] + [rng.randrange(lowest, highest) for _ in range(25 - len(first[:15]))]
        endpoints["api_relationships_25"].requests.append(
            ("/api/v1/accounts/relationships?" + "&".join(f"id[]={i}" for i in some), bearer)
        )
        endpoints["api_timelines_home"].requests.append(("/api/v1/timelines/home", bearer))
        endpoints["api_leader_followers"].requests.append(
            (f"/api/v1/accounts/{leader_id}/followers", bearer)
        )
        if deep is not None:
            endpoints["api_leader_followers_deep"].requests.append(
                (f"/api/v1/accounts/{leader_id}/followers?max_id={deep}", bearer)
            )
        endpoints["api_leader_account"].requests.append((f"/api/v1/accounts/{leader_id}", bearer))
    chosen = set(args.only.split(",")) if args.only else None
    return [e for e in endpoints.values() if e.requests and (chosen is None or e.name in chosen)]


# ------------------------------------------------------------------ the run


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="linkwell bench web", description=__doc__)
    parser.add_argument("--port", type=int, default=8160)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--concurrency", default="1,8,32", help="closed-loop clients per cell")
    parser.add_argument("--requests", type=int, default=300, help="answers per cell, at most")
    parser.add_argument("--seconds", type=float, default=20.0, help="time per cell, at most")
    parser.add_argument("--client-processes", type=int, default=4)
    parser.add_argument("--typical", type=int, default=12, help="typical members signed in")
    parser.add_argument("--heavy", type=int, default=4, help="heavy members signed in")
    parser.add_argument("--only", default="", help="comma-separated endpoint names")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", default="", help="also write the figures to this file")
    args = parser.parse_args(argv)
    os.environ.setdefault("LINKWELL_HTTPS", "off")

    import django

    django.setup()
    from django.db import connection, connections

    rng = random.Random(args.seed)
    endpoints = _build_endpoints(args, connection, rng)
    connections.close_all()  # the client processes fork next: they must not share it

    clients = Clients("127.0.0.1", args.port, args.client_processes)
    log = Path(f"/tmp/linkwell-bench-web-{args.port}.log")
    server = Server(args.port, args.workers, log)
    rows = []
    try:
        server.wait_ready()
        warm_started = time.perf_counter()
        for endpoint in endpoints:  # every worker: its graph, templates, first statements
            clients.run(endpoint.requests, args.workers * 2, len(endpoint.requests) * 2, 120)
        workers = server.workers()
        rss_warm = {pid: _rss_mb(pid) for pid in workers}
        load = os.getloadavg()
        print(
            f"server: {len(workers)} workers, warm-up {time.perf_counter() - warm_started:.0f} s, "
            f"RSS after warm-up {', '.join(f'{v:.0f}' for v in rss_warm.values())} MB; "
            f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} CPUs",
            flush=True,
        )
        print(
            f"\n{'endpoint':28} {'c':>3} {'n':>5} {'req/s':>7} {'/core':>7} {'p50 ms':>8} "
            f"{'p99 ms':>8} {'queries':>9} {'status':>12} {'load':>5}",
            flush=True,
        )
        for c in [int(x) for x in args.concurrency.split(",")]:
            for endpoint in endpoints:
                db_pids = _database_pids(connection)
                pids = workers + db_pids
                cpu0 = sum(_cpu_seconds(p) for p in pids)
                wall0 = time.perf_counter()
                samples, queries, statuses = clients.run(
                    endpoint.requests, c, max(args.requests, c * 4), args.seconds
                )
                wall = time.perf_counter() - wall0
                cpu = sum(_cpu_seconds(p) for p in pids) - cpu0
                connection.close()
                p50, p99 = percentiles_ms(samples)
                qmin, qmax = (min(queries), max(queries)) if queries else (0, 0)
                load = os.getloadavg()[0]
                row = {
                    "endpoint": endpoint.name,
                    "concurrency": c,
                    "requests": len(samples),
                    "req_s": len(samples) / wall,
                    "req_s_per_core": len(samples) / cpu if cpu else None,
                    "server_cpu_s": cpu,
                    "p50_ms": p50,
                    "p99_ms": p99,
                    "queries_min": qmin,
                    "queries_max": qmax,
                    "statuses": {str(k): v for k, v in statuses.items()},
                    "load": load,
                }
                rows.append(row)
                shown = f"{qmin}" if qmin == qmax else f"{qmin}-{qmax}"
                status = ",".join(f"{k}:{v}" for k, v in sorted(statuses.items(), key=str))
                per_core = f"{row['req_s_per_core']:7.1f}" if cpu else "      -"
                print(
                    f"{endpoint.name:28} {c:3} {len(samples):5} {row['req_s']:7.1f} {per_core} "
                    f"{p50:8.1f} {p99:8.1f} {shown:>9} {status:>12} {load:5.1f}",
                    flush=True,
                )
        rss = {pid: _rss_mb(pid) for pid in server.workers()}
        print(
            f"\nworker RSS at the end: {', '.join(f'{v:.0f}' for v in rss.values())} MB "
            f"(after warm-up: {', '.join(f'{v:.0f}' for v in rss_warm.values())} MB)"
        )
        if args.json:
            Path(args.json).write_text(
                json.dumps(
                    {
                        "rows": rows,
                        "rss_mb": list(rss.values()),
                        "rss_warm_mb": list(rss_warm.values()),
                    },
                    indent=1,
                )
            )
    finally:
        server.stop()
        clients.close()
        _sign_out()
    return 0
