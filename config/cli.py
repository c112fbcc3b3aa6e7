"""The `linkwell` command: `serve`, `bench ...`, and every Django management command (`seed`,
`migrate`, `graph_snapshot`...)."""

import os
import sys


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if argv[:1] == ["serve"]:
        from config.serve import main as serve

        return serve(argv[1:])
    if argv[:1] == ["bench"]:
        from bench.cli import main as bench

        return bench(argv[1:])
    from django.core.management import execute_from_command_line

    execute_from_command_line(["linkwell", *argv])
    return 0


if __name__ == "__main__":
    sys.exit(main())
