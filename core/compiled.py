"""Reads on every request whose SQL the ORM compiles once per database, not once per call.

Building a statement (filters, joins, quoting: `SQLCompiler.as_sql`) costs more CPU than
PostgreSQL's round trip for an indexed row: a quarter of the profile page's CPU was the ORM
compiling its 18 statements (docs/benchmarks.md, "Per-request CPU outside the page's
reads"). The few statements nearly every signed-in request runs are built by the ORM once,
with a distinct sentinel in place of each parameter, and executed as that SQL after.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import QuerySet


class CompiledRead:
    """`build(*sentinels)` is the QuerySet; its SQL is kept per database alias with, for
    each placeholder, which argument fills it (a sentinel the compiler rewrote is refused
    when compiled, so a call never runs with a stale value)."""

    def __init__(self, build: Callable[..., QuerySet], *sentinels):
        if len(set(sentinels)) != len(sentinels):
            raise ValueError("sentinels must differ, so each placeholder names its argument")
        self.build = build
        self.sentinels = sentinels
        self._compiled: dict[str, tuple[str, tuple[int, ...]]] = {}

    def sql(self, alias: str, *args) -> tuple[str, list]:
        """The SQL for `alias` and its parameters for `args` (given in the sentinels' order)."""
        found = self._compiled.get(alias)
        if found is None:
            queryset = self.build(*self.sentinels)
            sql, params = queryset.query.get_compiler(alias).as_sql()
            if any(p not in self.sentinels for p in params):
                raise ValueError(f"compiled parameters {params!r} are not {self.sentinels!r}")
            found = (sql, tuple(self.sentinels.index(p) for p in params))
            self._compiled[alias] = found
        sql, positions = found
        return sql, [args[i] for i in positions]
