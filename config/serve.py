"""`linkwell serve`: gunicorn with uvicorn workers on config.asgi, static files collected, the
demo login shown. ASGI, so an open stream (the streaming API, the page's live updates) is an
async task in a worker, not a worker held for as long as the page stays open.

Part of the `linkwell` command (config.cli) rather than a management command of an area:
it runs the whole site, so it sits above every area.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from config.env import bind_address, env_int, env_str, local_site_url

DEMO_LOGIN = "Sign in as demo / linkwell-demo"
ASGI_APP = "config.asgi:application"
WORKER_CLASS = "uvicorn_worker.UvicornWorker"


def gunicorn_argv(*, host: str, port: int, workers: int, python: str | None = None) -> list[str]:
    """The gunicorn command line, run with this interpreter so the same virtualenv serves."""
    return [
        python or sys.executable,
        "-m",
        "gunicorn",
        "--bind",
        bind_address(host, port),
        "--workers",
        str(workers),
        "--worker-class",
        WORKER_CLASS,
        "--access-logfile",
        "-",
        "--forwarded-allow-ips",
        "127.0.0.1,::1",
        ASGI_APP,
    ]


def site_url(host: str, port: int) -> str:
    """Where to point a browser; a wildcard bind is reached through loopback."""
    return f"{local_site_url(host, port)}/"


def served_environment(*, host: str, port: int, environ=None) -> dict[str, str]:
    """The workers' environment: HOST and PORT as bound, so their default SITE_URL (settings)
    names the address actually served, whether it came from the flags or the environment."""
    served = dict(os.environ if environ is None else environ)
    served["HOST"] = host
    served["PORT"] = str(port)
    return served


def static_files_stale() -> bool:
    """collectstatic only when STATIC_ROOT is missing or older than a source static file."""
    from django.conf import settings
    from django.contrib.staticfiles import finders

    root = Path(settings.STATIC_ROOT)
    marker = root / ".collected"
    if not marker.exists():
        return True
    collected_at = marker.stat().st_mtime
    for finder in finders.get_finders():
        for path, storage in finder.list([]):
            if os.path.getmtime(storage.path(path)) > collected_at:
                return True
    return False


def demo_member_exists() -> bool:
    from django.db import DatabaseError

    from accounts.queries import with_handle

    try:
        return with_handle("demo").exists()
    except DatabaseError:  # not migrated yet: serve anyway, without the hint
        return False


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="linkwell serve",
        description="Serve Linkwell with gunicorn (collects static files first when needed).",
    )
    parser.add_argument("--host", default=env_str("HOST") or "127.0.0.1")
    parser.add_argument("--port", type=int, default=env_int("PORT", 8000))
    parser.add_argument("--workers", type=int, default=env_int("WEB_CONCURRENCY", 2))
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    """Prepares, prints where to go, then hands this process over to gunicorn."""
    import django
    from django.conf import settings
    from django.core.management import call_command
    from django.core.management.base import BaseCommand, CommandError

    args = parse(argv)
    django.setup()
    try:
        BaseCommand().check()  # the system checks every management command runs first
    except CommandError as exc:
        print(exc, file=sys.stderr)
        return 1
    if static_files_stale():
        call_command("collectstatic", interactive=False, verbosity=0)
        marker = Path(settings.STATIC_ROOT) / ".collected"
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.touch()
    command = gunicorn_argv(host=args.host, port=args.port, workers=args.workers)
    print(f"Linkwell is starting at {site_url(args.host, args.port)}")
    if demo_member_exists():
        print(DEMO_LOGIN)
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(command[0], command, served_environment(host=args.host, port=args.port))
    return 0  # not reached: execve replaces the process
