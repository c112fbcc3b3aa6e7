"""`linkwell bench graph`: the index against networkit, igraph, rustworkx, networkx and SQL.

Every engine answers the same queries on the same synthetic graph (bench.synthetic, one of two
differently made families: `--family linkedin` or `communities`); answers are compared with
linkwell's and each mismatch is a disagreement. Peers use their own compiled calls where they
have one, and the cheapest that answers the question: a distance-only call for a pair's degree
(no predecessors stored, no path built), a 2-hop neighbourhood, numpy's sorted intersection for
mutual counts; Python sets over their adjacency where they have nothing better. Slow engines
run a prefix of the queries within a time budget per workload; the report says how many ran.
"""

import argparse
import contextlib
import io
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Callable

import numpy as np

from bench.synthetic import FAMILIES, SyntheticGraph
from graph.index import GraphIndex

ENGINES = ("linkwell", "networkit", "igraph", "rustworkx", "networkx", "postgres")
WORKLOADS = (
    "pair_degree",
    "degree_page",
    "degree_page_warm",
    "mutual_count",
    "paths",
    "second_degree_count",
    "suggestions",
)
NETWORKX_MAX_MEMBERS = 200_000
PAGE = 25
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/postgres"


class Queries:
    """The random queries every engine answers; member ids are node + 1."""

    def __init__(self, index: GraphIndex, degrees: np.ndarray, count: int, seed: int) -> None:
        rng = np.random.default_rng(seed + 1)
        n = degrees.shape[0]
        weight = degrees / degrees.sum()
        # Viewers in proportion to their connections, as real traffic is.
        self.viewers = (rng.choice(n, size=count, p=weight) + 1).tolist()

        def walk(v: int, steps: int) -> int:
            for _ in range(steps):
                nb = index.connections_of(v)
                if nb.shape[0] == 0:
                    break
                v = int(nb[rng.integers(nb.shape[0])])
            return v

        popular = iter((rng.choice(n, size=count * (PAGE + 1), p=weight) + 1).tolist())

        def target(v: int) -> int:
            roll = rng.random()
            if roll < 0.2:
                return next(popular)  # someone popular, likely far
            return walk(v, 2 if roll < 0.6 else 3)

        self.targets = [target(v) for v in self.viewers]
        self.pages = [[target(v) for _ in range(PAGE)] for v in self.viewers]


# ---------------------------------------------------------------- peer helpers


def _degree_from_sets(v: int, first: set, second: set, members, neighbours) -> list:
    out = []
    for m in members:
        if m == v:
            out.append(0)
        elif m in first:
            out.append(1)
        elif m in second:
            out.append(2)
        elif any(y in second for y in neighbours(m)):
            out.append(3)
        else:
            out.append(None)
    return out


def _second_degree(v: int, neighbours) -> tuple[set, Counter]:
    first = set(neighbours(v))
    counts: Counter = Counter()
    for x in first:
        counts.update(neighbours(x))
    counts.pop(v, None)
    for x in first:
        counts.pop(x, None)
    return first, counts


def _top(counts: Counter, k: int = 20) -> list[tuple[int, int]]:
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:k]


class SetEngine:
    """Peer operations over any `neighbours(node)`; engines override what they do natively."""

    name = "?"

    def neighbours(self, v: int):
        raise NotImplementedError

    def distance(self, a: int, b: int) -> tuple[int | None, list[int]]:
        raise NotImplementedError

    def hops(self, a: int, b: int) -> int | None:
        """The distance alone; engines with a distance-only call override it."""
        return self.distance(a, b)[0]

    def pair_degree(self, v, m):
        d = self.hops(v, m)
        return d if d is not None and d <= 3 else None

    def degree_page(self, v, members):
        first = set(self.neighbours(v))
        second: set = set()
        for x in first:
            second.update(self.neighbours(x))
        second -= first
        second.discard(v)
        return _degree_from_sets(v, first, second, members, self.neighbours)

    def mutual_count(self, a, b):
        """numpy's sorted intersection (compiled) over the engine's two lists."""
        first = np.fromiter(self.neighbours(a), dtype=np.int64)
        second = np.fromiter(self.neighbours(b), dtype=np.int64)
        return int(np.intersect1d(first, second, assume_unique=True).shape[0])

    def paths(self, a, b):
        d, path = self.distance(a, b)
        return [path] if d is not None and d <= 3 else []

    def second_degree_count(self, v):
        return len(_second_degree(v, self.neighbours)[1])

    def suggestions(self, v):
        return _top(_second_degree(v, self.neighbours)[1])


class Linkwell:
    name = "linkwell"

    def __init__(self, index: GraphIndex) -> None:
        self.index = index

    def pair_degree(self, v, m):
        return self.index.degree(v, m)

    def degree_page(self, v, members):
        return self.index.degrees(v, members)

    def mutual_count(self, a, b):
        return self.index.mutual_count(a, b)

    def paths(self, a, b):
        return self.index.paths(a, b)

    def second_degree_count(self, v):
        return self.index.second_degree_count(v)

    def suggestions(self, v):
        return self.index.suggestions(v)


class Networkit(SetEngine):
    name = "networkit"

    def __init__(self, g: SyntheticGraph) -> None:
        import networkit as nk

        nk.setNumberOfThreads(1)
        self.nk = nk
        self.g = nk.GraphFromCoo(
            (
                np.ones(g.a.shape[0], dtype=np.float64),
                (g.a.astype(np.uint64) + 1, g.b.astype(np.uint64) + 1),
            ),
            n=g.n_members + 1,
            directed=False,
            weighted=False,
        )

    def neighbours(self, v):
        return list(self.g.iterNeighbors(v))

    def hops(self, a, b):
        if a == b:
            return 0
        bfs = self.nk.distance.BidirectionalBFS(self.g, a, b, storePred=False)
        bfs.run()
        d = bfs.getDistance()
        return None if d > 1e300 else int(d)

    def distance(self, a, b):
        if a == b:
            return 0, [a]
        bfs = self.nk.distance.BidirectionalBFS(self.g, a, b, storePred=True)
        bfs.run()
        d = bfs.getDistance()
        if d > 1e300:
            return None, []
        return int(d), [a, *bfs.getPath(), b]

    def degree_page(self, v, members):
        return [self.pair_degree(v, m) for m in members]


class Igraph(SetEngine):
    """Pair degree through `get_shortest_path`, which stops at the target: its distance-only
    call, `distances(a, b)`, runs a whole breadth-first search (1.45 s p50 at 100k members)."""

    name = "igraph"

    def __init__(self, g: SyntheticGraph) -> None:
        import igraph as ig

        edges = np.column_stack([g.a + 1, g.b + 1])
        self.g = ig.Graph(n=g.n_members + 1, edges=edges, directed=False)

    def neighbours(self, v):
        return self.g.neighbors(v)

    def distance(self, a, b):
        with contextlib.redirect_stderr(io.StringIO()):
            import warnings

            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                path = self.g.get_shortest_path(a, b)
        if not path:
            return None, []
        return len(path) - 1, path

    def degree_page(self, v, members):
        first = set(self.g.neighbors(v))
        second = set(self.g.neighborhood(v, order=2, mindist=2))
        return _degree_from_sets(v, first, second, members, self.g.neighbors)

    def second_degree_count(self, v):
        return len(self.g.neighborhood(v, order=2, mindist=2))


class Rustworkx(SetEngine):
    """Pair degree through its path call: its only distance-only call that stops at the target,
    `graph_dijkstra_shortest_path_lengths(goal=)`, calls a Python cost function per edge
    (3.8 s p50 per pair at 100k members, against ~0.3 s for the path call)."""

    name = "rustworkx"

    def __init__(self, g: SyntheticGraph) -> None:
        import rustworkx as rx

        self.rx = rx
        self.g = rx.PyGraph(multigraph=False)
        self.g.add_nodes_from(range(g.n_members + 1))
        step = 1_000_000
        for s in range(0, g.a.shape[0], step):
            chunk = zip(
                (g.a[s : s + step] + 1).tolist(), (g.b[s : s + step] + 1).tolist(), strict=True
            )
            self.g.add_edges_from_no_data(list(chunk))

    def neighbours(self, v):
        return self.g.neighbors(v)

    def distance(self, a, b):
        found = self.rx.graph_dijkstra_shortest_paths(self.g, a, target=b)
        if a == b:
            return 0, [a]
        if b not in found:
            return None, []
        path = list(found[b])
        return len(path) - 1, path


class Networkx(SetEngine):
    name = "networkx"

    def __init__(self, g: SyntheticGraph) -> None:
        import networkx as nx

        self.nx = nx
        self.g = nx.Graph()
        self.g.add_nodes_from(range(1, g.n_members + 1))
        self.g.add_edges_from(zip((g.a + 1).tolist(), (g.b + 1).tolist(), strict=True))

    def neighbours(self, v):
        return self.g.adj[v].keys()

    def hops(self, a, b):
        try:
            return self.nx.shortest_path_length(self.g, a, b)
        except self.nx.NetworkXNoPath:
            return None

    def distance(self, a, b):
        try:
            path = self.nx.bidirectional_shortest_path(self.g, a, b)
        except self.nx.NetworkXNoPath:
            return None, []
        return len(path) - 1, path


class Postgres:
    """The same questions in SQL over a temp table of both directions of every connection."""

    name = "postgres"

    def __init__(self, g: SyntheticGraph, url: str) -> None:
        import psycopg

        self.conn = psycopg.connect(url, autocommit=True, connect_timeout=5)
        cur = self.conn.cursor()
        cur.execute("SET temp_buffers = '2GB'")
        cur.execute("SET work_mem = '256MB'")
        cur.execute("CREATE TEMP TABLE e (src int4 NOT NULL, dst int4 NOT NULL)")
        with cur.copy("COPY e (src, dst) FROM STDIN (FORMAT BINARY)") as copy:
            copy.write(b"PGCOPY\n\xff\r\n\x00" + b"\x00" * 8)
            row = np.dtype([("f", ">i2"), ("l1", ">i4"), ("s", ">i4"), ("l2", ">i4"), ("d", ">i4")])
            step = 2_000_000
            for src, dst in ((g.a, g.b), (g.b, g.a)):
                for s in range(0, src.shape[0], step):
                    rows = np.empty(min(step, src.shape[0] - s), dtype=row)
                    rows["f"] = 2
                    rows["l1"] = 4
                    rows["l2"] = 4
                    rows["s"] = src[s : s + step] + 1
                    rows["d"] = dst[s : s + step] + 1
                    copy.write(rows.tobytes())
            copy.write(b"\xff\xff")
        cur.execute("ALTER TABLE e ADD PRIMARY KEY (src, dst)")
        cur.execute("ANALYZE e")
        self.cur = cur

    def _one(self, sql, params):
        self.cur.execute(sql, params)
        return self.cur.fetchone()[0]

    _PAIR = """
        SELECT CASE
          WHEN %(v)s = %(m)s THEN 0
          WHEN EXISTS (SELECT 1 FROM e WHERE src = %(v)s AND dst = %(m)s) THEN 1
          WHEN EXISTS (SELECT 1 FROM e a JOIN e b ON b.src = %(m)s AND b.dst = a.dst
                       WHERE a.src = %(v)s) THEN 2
          WHEN EXISTS (SELECT 1 FROM e a JOIN e c ON c.src = %(m)s
                       JOIN e b ON b.src = a.dst AND b.dst = c.dst WHERE a.src = %(v)s) THEN 3
        END"""

    def pair_degree(self, v, m):
        return self._one(self._PAIR, {"v": v, "m": m})

    def degree_page(self, v, members):
        self.cur.execute(
            """
            WITH n1 AS (SELECT dst FROM e WHERE src = %(v)s),
            n2 AS (SELECT DISTINCT b.dst FROM n1 JOIN e b ON b.src = n1.dst
                   WHERE b.dst <> %(v)s AND b.dst NOT IN (SELECT dst FROM n1)),
            m AS (SELECT id, i FROM unnest(%(ms)s::int4[]) WITH ORDINALITY AS t(id, i))
            SELECT CASE
              WHEN m.id = %(v)s THEN 0
              WHEN m.id IN (SELECT dst FROM n1) THEN 1
              WHEN m.id IN (SELECT dst FROM n2) THEN 2
              WHEN EXISTS (SELECT 1 FROM e c JOIN n2 ON n2.dst = c.dst WHERE c.src = m.id) THEN 3
            END FROM m ORDER BY m.i""",
            {"v": v, "ms": list(members)},
        )
        return [r[0] for r in self.cur.fetchall()]

    def mutual_count(self, a, b):
        return self._one(
            "SELECT count(*) FROM e x JOIN e y ON y.src = %(b)s AND y.dst = x.dst "
            "WHERE x.src = %(a)s",
            {"a": a, "b": b},
        )

    def paths(self, a, b):
        d = self.pair_degree(a, b)
        p = {"a": a, "b": b}
        if d is None:
            return []
        if d == 0:
            return [[a]]
        if d == 1:
            return [[a, b]]
        if d == 2:
            self.cur.execute(
                "SELECT x.dst FROM e x JOIN e y ON y.src = %(b)s AND y.dst = x.dst "
                "WHERE x.src = %(a)s ORDER BY 1 LIMIT 3",
                p,
            )
            return [[a, r[0], b] for r in self.cur.fetchall()]
        self.cur.execute(
            "SELECT x.dst, z.dst FROM e x JOIN e y ON y.src = x.dst "
            "JOIN e z ON z.src = %(b)s AND z.dst = y.dst WHERE x.src = %(a)s "
            "ORDER BY 1, 2 LIMIT 3",
            p,
        )
        return [[a, r[0], r[1], b] for r in self.cur.fetchall()]

    _SECOND = """
        SELECT y.dst, count(*) AS c FROM e x JOIN e y ON y.src = x.dst
        WHERE x.src = %(v)s AND y.dst <> %(v)s
          AND NOT EXISTS (SELECT 1 FROM e z WHERE z.src = %(v)s AND z.dst = y.dst)
        GROUP BY y.dst"""

    def second_degree_count(self, v):
        return self._one(f"SELECT count(*) FROM ({self._SECOND}) s", {"v": v})

    def suggestions(self, v):
        self.cur.execute(f"{self._SECOND} ORDER BY c DESC, y.dst LIMIT 20", {"v": v})
        return [(r[0], r[1]) for r in self.cur.fetchall()]

    def close(self):
        self.conn.close()


# ------------------------------------------------------------------ running


def _calls(engine, q: Queries, workload: str) -> list[tuple[Callable, tuple]]:
    v, t, pages = q.viewers, q.targets, q.pages
    if workload == "pair_degree":
        return [(engine.pair_degree, (a, b)) for a, b in zip(v, t, strict=True)]
    if workload in ("degree_page", "degree_page_warm"):
        return [(engine.degree_page, (a, p)) for a, p in zip(v, pages, strict=True)]
    if workload == "mutual_count":
        return [(engine.mutual_count, (a, b)) for a, b in zip(v, t, strict=True)]
    if workload == "paths":
        return [(engine.paths, (a, b)) for a, b in zip(v, t, strict=True)]
    if workload == "second_degree_count":
        return [(engine.second_degree_count, (a,)) for a in v]
    return [(engine.suggestions, (a,)) for a in v]


def _run(
    engine, q: Queries, workload: str, limit: int, budget_s: float, clock=time.perf_counter_ns
):
    """Times each call; (latencies in ms, answers). Stops at `limit` calls or the budget."""
    # Cold: the viewer's 2nd-degree set is not cached (second_degree_count would read it).
    cold = engine.name == "linkwell" and workload in ("degree_page", "second_degree_count")
    warm = engine.name == "linkwell" and workload == "degree_page_warm"
    times, answers = [], []
    started = time.perf_counter()
    for fn, args in _calls(engine, q, workload)[:limit]:
        if cold:
            engine.index.clear_cache()
        elif warm:
            engine.index.prefetch(args[0])
        t0 = clock()
        out = fn(*args)
        times.append((clock() - t0) / 1e6)
        answers.append(out)
        if time.perf_counter() - started > budget_s:
            break
    return times, answers


def _agrees(index: GraphIndex, workload: str, mine, theirs) -> bool:
    if workload == "paths":
        if not mine or not theirs:
            return not mine and not theirs
        length = len(mine[0])
        for path in theirs:
            if len(path) != length or len(set(path)) != length:
                return False
            if path[0] != mine[0][0] or path[-1] != mine[0][-1]:
                return False
            if any(index.degree(x, y) != 1 for x, y in zip(path, path[1:], strict=False)):
                return False
        return True
    if workload == "suggestions":
        return [c for _, c in mine] == [c for _, c in theirs]
    return list(mine) == list(theirs) if isinstance(mine, list) else mine == theirs


def _say(args, *lines) -> None:
    print(*lines, file=sys.stderr if args.json else sys.stdout, flush=True)


def _percentiles(times: list[float]) -> dict:
    arr = np.asarray(times)
    return {
        "p50_ms": round(float(np.percentile(arr, 50)), 5),
        "p99_ms": round(float(np.percentile(arr, 99)), 5),
    }


def _make_engine(name: str, g: SyntheticGraph):
    if name == "networkit":
        return Networkit(g)
    if name == "igraph":
        return Igraph(g)
    if name == "rustworkx":
        return Rustworkx(g)
    if name == "networkx":
        if g.n_members > NETWORKX_MAX_MEMBERS:
            raise _Skip(
                f"networkx skipped: {g.n_members:,} members > {NETWORKX_MAX_MEMBERS:,} "
                "(a dict per member and per connection: tens of GB at this size)"
            )
        return Networkx(g)
    if name == "postgres":
        url = os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)
        if not url.startswith("postgres"):
            url = DEFAULT_DATABASE_URL
        try:
            return Postgres(g, url)
        except ImportError as exc:
            raise _Skip(f"postgres skipped: {exc}") from exc
        except Exception as exc:  # no server answering, or no rights: say so and go on
            if type(exc).__module__.startswith("psycopg"):
                raise _Skip(f"postgres skipped: {exc}".strip()) from exc
            raise
    raise _Skip(f"{name}: unknown engine")


class _Skip(Exception):
    pass


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="linkwell bench graph", description=__doc__)
    parser.add_argument("--members", type=int, required=True)
    parser.add_argument("--avg-connections", type=float, default=50)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--family",
        choices=sorted(FAMILIES),
        default="linkedin",
        help="the generator: linkedin (log-normal degrees, nested company/school/region, "
        "closed triangles) or communities (power-law degrees, one level of communities)",
    )
    parser.add_argument("--queries", type=int, default=1000, help="queries per workload")
    parser.add_argument(
        "--peer-queries", type=int, default=200, help="prefix of the queries peers run"
    )
    parser.add_argument(
        "--sql-queries", type=int, default=50, help="prefix of the queries postgres runs"
    )
    parser.add_argument(
        "--budget-s", type=float, default=60, help="time budget per engine and workload"
    )
    parser.add_argument("--engines", default=",".join(ENGINES))
    parser.add_argument(
        "--clock",
        choices=["wall", "cpu"],
        default="wall",
        help="wall time, or this thread's CPU time (ignores waits for a shared core; "
        "postgres work happens in the server, so use wall for it)",
    )
    parser.add_argument("--json", action="store_true")
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    args = parse(argv)
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    unknown = set(engines) - set(ENGINES)
    if unknown:
        print(f"unknown engines: {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    if "linkwell" not in engines:
        engines.insert(0, "linkwell")

    t0 = time.perf_counter()
    g = FAMILIES[args.family](args.members, avg_connections=args.avg_connections, seed=args.seed)
    generate_s = time.perf_counter() - t0
    _say(
        args,
        f"generated {g.n_members:,} members, {g.connections:,} connections ({args.family}) "
        f"in {generate_s:.1f} s",
    )
    a = g.a.astype(np.int64) + 1
    b = g.b.astype(np.int64) + 1
    t0 = time.perf_counter()
    index = GraphIndex.from_edges(a, b, n_members=g.n_members)
    build_s = time.perf_counter() - t0
    del a, b
    bpc = index.nbytes() / max(1, index.connections)
    _say(args, f"linkwell: built in {build_s:.2f} s, {bpc:.2f} bytes per connection")
    index.warm_up()
    q = Queries(index, g.degrees(), args.queries, args.seed)

    workloads: dict[str, dict] = {w: {} for w in WORKLOADS}
    reference: dict[str, list] = {}
    disagreements = 0
    for name in engines:
        if name == "linkwell":
            engine = Linkwell(index)
        else:
            t0 = time.perf_counter()
            try:
                engine = _make_engine(name, g)
            except _Skip as skip:
                _say(args, str(skip))
                continue
            _say(args, f"{name}: loaded in {time.perf_counter() - t0:.1f} s")
        limit = {
            "linkwell": args.queries,
            "postgres": args.sql_queries,
        }.get(name, args.peer_queries)
        for w in WORKLOADS:
            clock = time.thread_time_ns if args.clock == "cpu" else time.perf_counter_ns
            times, answers = _run(engine, q, w, limit, args.budget_s, clock)
            if name == "linkwell":
                reference[w] = answers
                bad = 0
            else:
                bad = sum(
                    not _agrees(index, w, mine, theirs)
                    for mine, theirs in zip(reference[w], answers, strict=False)
                )
            disagreements += bad
            workloads[w][name] = _percentiles(times)
            stats = workloads[w][name]
            _say(
                args,
                f"  {w:20s} {name:10s} p50 {stats['p50_ms']:10.4f} ms  "
                f"p99 {stats['p99_ms']:10.4f} ms  ({len(times)} queries, {bad} disagreements)",
            )
        if hasattr(engine, "close"):
            engine.close()
        del engine

    result = {
        "family": args.family,
        "generate_s": round(generate_s, 1),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "members": g.n_members,
        "connections": index.connections,
        "build_s": round(build_s, 3),
        "bytes_per_connection": round(bpc, 3),
        "workloads": workloads,
        "disagreements": disagreements,
    }
    if args.json:
        print(json.dumps(result))
    else:
        _say(args, f"disagreements: {disagreements}")
    return 0 if disagreements == 0 else 1
