"""`linkwell bench <what>`: benchmarks that print figures (never timed unit tests)."""

import argparse

BENCHMARKS = ("graph", "feed")


def main(argv: list[str]) -> int:
    # `--help` after the benchmark's name is that benchmark's: only the name is parsed here.
    parser = argparse.ArgumentParser(prog="linkwell bench")
    parser.add_argument(
        "what",
        choices=BENCHMARKS,
        help="which benchmark to run (its own options follow; see `linkwell bench graph --help`)",
    )
    args = parser.parse_args(argv[:1])
    rest = argv[1:]
    if args.what == "graph":
        from graph.bench import main as graph_bench

        return graph_bench(rest)
    if args.what == "feed":  # issue 12
        from config.bench_feed import main as feed_bench

        return feed_bench(rest)
    return 2
