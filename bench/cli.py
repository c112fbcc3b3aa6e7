"""`linkwell bench <what>`: every benchmark's entry point, each printing figures.

Speed targets are checked here, never by timed unit tests. The peers a benchmark compares
against are the `bench` extra (`pip install -e '.[bench]'`, or `make bench`).
"""

import argparse
from collections.abc import Callable


def _graph(argv: list[str]) -> int:
    from bench.graph import main

    return main(argv)


def _feed(argv: list[str]) -> int:
    from bench.feed import main

    return main(argv)


def _streaming(argv: list[str]) -> int:
    from bench.streaming import main

    return main(argv)


def _api(argv: list[str]) -> int:
    from bench.api import main

    return main(argv)


def _web(argv: list[str]) -> int:
    from bench.web import main

    return main(argv)


def _search(argv: list[str]) -> int:
    from bench.search import main

    return main(argv)


def _import(argv: list[str]) -> int:
    from bench.imports import main

    return main(argv)


def _pages(argv: list[str]) -> int:
    from bench.pages import main

    return main(argv)


def _relationships(argv: list[str]) -> int:
    from bench.relationships import main

    return main(argv)


def _page_cpu(argv: list[str]) -> int:
    from bench.page_cpu import main

    return main(argv)


BENCHMARKS: dict[str, Callable[[list[str]], int]] = {
    "graph": _graph,
    "feed": _feed,
    "streaming": _streaming,
    "search": _search,
    "api": _api,
    "import": _import,  # issue 17: a LinkedIn Connections.csv to the match list
    "pages": _pages,
    "relationships": _relationships,
    "web": _web,
    "page-cpu": _page_cpu,  # issue 18: one page's CPU time and statements, in process
}


def main(argv: list[str]) -> int:
    # `--help` after the benchmark's name is that benchmark's: only the name is parsed here.
    parser = argparse.ArgumentParser(prog="linkwell bench")
    parser.add_argument(
        "what",
        choices=sorted(BENCHMARKS),
        help="which benchmark to run (its own options follow; see `linkwell bench graph --help`)",
    )
    args = parser.parse_args(argv[:1])
    return BENCHMARKS[args.what](argv[1:])
