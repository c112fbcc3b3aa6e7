"""`linkwell bench <what>`: benchmarks that print figures (never timed unit tests)."""

import argparse


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="linkwell bench")
    parser.add_argument("what", choices=["graph"], help="which benchmark to run")
    args, rest = parser.parse_known_args(argv)
    if args.what == "graph":
        from graph.bench import main as graph_bench

        return graph_bench(rest)
    return 2
