"""`linkwell bench page-cpu`: one page's CPU time and SQL statements, in process.

The Django test client in one thread, so no server, socket or neighbour's queueing is in the
figure: `time.process_time` per request (best of --rounds rounds of --each requests), the
statement count, and with --sql every statement of one request, with --profile a
pyinstrument report. Signed-in members are picked as `bench web` picks them (typical, about
the median connection count), and everything the run writes (sessions) is rolled back.
"""

from __future__ import annotations

import argparse
import os
import random
import time


class _Rollback(Exception):
    pass


def _pages(viewer, rng) -> dict[str, str]:
    from accounts.models import User
    from bench.web import _targets

    _first, targets = _targets(viewer, rng)
    handles = dict(
        User.objects.filter(pk__in=[t for t in targets.values() if t]).values_list("pk", "username")
    )
    pages = {"profile_own": f"/in/{viewer.username}/"}
    for degree, name in ((1, "profile_1st"), (2, "profile_2nd"), (3, "profile_3rd")):
        if targets[degree]:
            pages[name] = f"/in/{handles[targets[degree]]}/"
    pages["my_network"] = "/mynetwork/"
    # The home feed in both orders (issue 12): the query string saves the order in the
    # session once, at the warm-up request, so the measured requests write nothing.
    pages["home_top"] = "/?order=top"
    pages["home_recent"] = "/?order=recent"
    return pages


def _measure(args) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from bench.web import _pick_members

    rng = random.Random(args.seed)
    _median, typical, _heavy = _pick_members(argparse.Namespace(typical=args.members, heavy=0), rng)
    chosen = set(args.only.split(",")) if args.only else None
    best: dict[str, list[float]] = {}
    in_templates: dict[str, list[float]] = {}
    counts: dict[str, set[int]] = {}
    _TemplateClock.install()
    for member in typical:
        viewer = User.objects.get(pk=member)
        client = Client()
        client.force_login(viewer)
        for name, path in _pages(viewer, rng).items():
            if chosen is not None and name not in chosen:
                continue
            status = client.get(path).status_code  # warm: the index, the templates
            assert status == 200, (path, status)
            with CaptureQueriesContext(connection) as captured:
                client.get(path)
            counts.setdefault(name, set()).add(len(captured))
            if args.sql and member == typical[0]:
                print(f"\n{name} {path}: {len(captured)} statements")
                for i, query in enumerate(captured.captured_queries, 1):
                    print(f"{i:3}. {query['sql'][: args.sql]}")
            rounds = []
            for _ in range(args.rounds):
                _TemplateClock.spent = 0.0
                started = time.process_time()
                for _ in range(args.each):
                    client.get(path)
                total = (time.process_time() - started) / args.each * 1000
                rounds.append((total, _TemplateClock.spent / args.each * 1000))
            fastest = min(rounds)
            best.setdefault(name, []).append(fastest[0])
            in_templates.setdefault(name, []).append(fastest[1])
            if args.cprofile and member == typical[0]:
                _cprofiled(client, path, args.each * 4, f"{args.cprofile}-{name}.txt")
            if args.profile and member == typical[0]:
                from pyinstrument import Profiler

                profiler = Profiler(interval=0.0005)
                with profiler:
                    for _ in range(args.each * 4):
                        client.get(path)
                out = f"{args.profile}-{name}.txt"
                with open(out, "w") as f:
                    f.write(profiler.output_text(unicode=False, color=False, show_all=False))
                print(f"{name}: pyinstrument report in {out}")
    shape = f"best of {args.rounds}×{args.each}"
    print(f"\n{connection.vendor}, {len(typical)} typical members, {shape}")
    print(
        f"{'page':14} {'CPU ms/request (median over members)':>38} "
        f"{'templates ms':>13} {'share':>6} {'statements':>11}"
    )
    for name, values in best.items():
        total = _middle(values)
        templates = _middle(in_templates[name])
        shown = sorted(counts[name])
        q = f"{shown[0]}" if len(shown) == 1 else f"{shown[0]}-{shown[-1]}"
        print(f"{name:14} {total:38.1f} {templates:13.1f} {templates / total:6.0%} {q:>11}")


def _middle(values: list[float]) -> float:
    return sorted(values)[len(values) // 2]


class _TemplateClock:
    """CPU spent rendering the view's templates (the outermost render, includes and tags
    inside it), so a page's figure splits into templates and everything else."""

    spent = 0.0
    depth = 0

    @classmethod
    def install(cls) -> None:
        from django.template.backends.django import Template

        rendering = Template.render

        def render(self, *args, **kwargs):
            cls.depth += 1
            started = time.process_time()
            try:
                return rendering(self, *args, **kwargs)
            finally:
                cls.depth -= 1
                if cls.depth == 0:
                    cls.spent += time.process_time() - started

        Template.render = render


def _cprofiled(client, path: str, requests: int, out: str) -> None:
    """cProfile on the process's CPU clock, so time waiting for the database is left out."""
    import cProfile
    import io
    import pstats

    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    for _ in range(requests):
        client.get(path)
    profiler.disable()
    text = io.StringIO()
    stats = pstats.Stats(profiler, stream=text)
    stats.sort_stats("cumulative").print_stats(80)
    stats.sort_stats("tottime").print_stats(40)
    with open(out, "w") as f:
        f.write(text.getvalue())
    print(f"{path}: cProfile report ({requests} requests) in {out}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="linkwell bench page-cpu", description=__doc__)
    parser.add_argument("--members", type=int, default=4, help="typical members signed in")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--each", type=int, default=10, help="requests per round")
    parser.add_argument("--only", default="", help="comma-separated page names")
    parser.add_argument("--sql", type=int, default=0, help="print statements, cut to N chars")
    parser.add_argument(
        "--profile",
        default="",
        help="pyinstrument reports to PREFIX-page.txt (pyinstrument installed)",
    )
    parser.add_argument("--cprofile", default="", help="cProfile reports to PREFIX-page.txt")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    os.environ.setdefault("LINKWELL_HTTPS", "off")  # the test client speaks plain HTTP

    import django

    django.setup()
    from django.db import transaction

    try:
        with transaction.atomic():
            _measure(args)
            raise _Rollback
    except _Rollback:
        pass  # the sessions made to sign in go again: the database stays as it was read
    return 0
