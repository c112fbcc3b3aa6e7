"""`linkwell serve`: gunicorn on config.wsgi, static files collected, the demo login shown."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import DatabaseError

DEMO_LOGIN = "Sign in as demo / linkwell-demo"
WSGI_APP = "config.wsgi:application"


def bind_address(host: str, port: int) -> str:
    """gunicorn wants IPv6 literals in brackets: [::1]:8000."""
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"{host}:{port}"


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
        "--access-logfile",
        "-",
        "--forwarded-allow-ips",
        "127.0.0.1,::1",
        WSGI_APP,
    ]


def site_url(host: str, port: int) -> str:
    """Where to point a browser; a wildcard bind is reached through loopback."""
    shown = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(host, host)
    return f"http://{bind_address(shown, port)}/"


def static_files_stale() -> bool:
    """collectstatic only when STATIC_ROOT is missing or older than a source static file."""
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
    from accounts.models import User

    try:
        return User.objects.filter(username__iexact="demo").exists()
    except DatabaseError:  # not migrated yet: serve anyway, without the hint
        return False


class Command(BaseCommand):
    help = "Serve Linkwell with gunicorn (collects static files first when needed)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST") or "127.0.0.1")
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT") or 8000))
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY") or 2)
        )

    def handle(self, *args, host, port, workers, **options):
        if static_files_stale():
            call_command("collectstatic", interactive=False, verbosity=0)
            marker = Path(settings.STATIC_ROOT) / ".collected"
            marker.parent.mkdir(parents=True, exist_ok=True)
            marker.touch()
        argv = gunicorn_argv(host=host, port=port, workers=workers)
        self.stdout.write(f"Linkwell is starting at {site_url(host, port)}")
        if demo_member_exists():
            self.stdout.write(DEMO_LOGIN)
        self.stdout.flush()
        sys.stderr.flush()
        os.execv(argv[0], argv)
