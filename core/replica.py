"""Reads on a PostgreSQL streaming replica, with read-your-writes for the member who wrote.

With `DATABASE_REPLICA_URL` set, settings add the `replica` alias and this router: a GET (or
HEAD, OPTIONS) request reads the replica, every write and every other request uses the
primary (`default`), and so does everything outside a request (workers, commands). A member
who sent a write is marked for `LINKWELL_READ_PRIMARY_SECONDS`, by a cookie (browsers) and by
a cache entry under a hash of their credential (API clients keep no cookies; the cache is
Redis, shared by every host), and their requests read the primary meanwhile, so they never
miss what they just did while the replica catches up. Design: docs/scaling.md.
"""

from __future__ import annotations

import contextlib
import hashlib
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache
from django.db import connections

PRIMARY = "default"
REPLICA = "replica"
PIN_COOKIE = "lw_primary"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Read where the freshest row matters to correctness, not to one member: the task queue
# claims rows FOR UPDATE, and the graph and pages indexes' event logs must never go backwards.
PRIMARY_APPS = frozenset({"django_tasks_database"})
PRIMARY_MODELS = frozenset({"network.connectionevent", "profiles.profileevent"})

_reads: ContextVar[str] = ContextVar("linkwell_reads", default=PRIMARY)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


class PrimaryReplicaRouter:
    """Writes and migrations on the primary; reads where the request said (primary by default)."""

    def db_for_read(self, model, **hints):
        alias = _reads.get()
        if alias == PRIMARY:
            return PRIMARY
        meta = model._meta
        if meta.app_label in PRIMARY_APPS or meta.label_lower in PRIMARY_MODELS:
            return PRIMARY
        if connections[PRIMARY].in_atomic_block:
            return PRIMARY  # a transaction reads what it wrote
        return alias

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, two copies of it

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY


def reading_from() -> str:
    """The alias this request's reads go to (tests and the cluster harness look)."""
    return _reads.get()


def _credential_key(request) -> str | None:
    credential = request.headers.get("Authorization") or request.COOKIES.get(
        settings.SESSION_COOKIE_NAME
    )
    if not credential:
        return None
    return "linkwell:wrote:" + hashlib.sha256(credential.encode()).hexdigest()[:32]


def _recently_wrote(request) -> bool:
    if PIN_COOKIE in request.COOKIES:
        return True
    key = _credential_key(request)
    if key is None:
        return False
    try:
        return bool(cache.get(key))
    except Exception:  # noqa: BLE001 - no cache: the cookie still holds for browsers
        return False


def _mark_wrote(request, response) -> None:
    seconds = settings.LINKWELL_READ_PRIMARY_SECONDS
    response.set_cookie(
        PIN_COOKIE,
        "1",
        max_age=seconds,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    key = _credential_key(request)
    if key is not None:
        with contextlib.suppress(Exception):  # no cache: the cookie still holds for browsers
            cache.set(key, 1, timeout=seconds)


class ReadYourWrites:
    """Chooses the request's read alias; after a write, pins the writer to the primary."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.enabled = replica_configured()

    def __call__(self, request):
        if not self.enabled:
            return self.get_response(request)
        writes = request.method not in SAFE_METHODS
        alias = PRIMARY if writes or _recently_wrote(request) else REPLICA
        token = _reads.set(alias)
        try:
            response = self.get_response(request)
        finally:
            _reads.reset(token)
        if writes:
            _mark_wrote(request, response)
        return response
