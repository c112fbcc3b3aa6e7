"""Reads on every request whose SQL the ORM compiles once per database, not once per call.

Building a statement (filters, joins, quoting: `SQLCompiler.as_sql`) costs more CPU than
PostgreSQL's round trip for an indexed row: a quarter of the profile page's CPU was the ORM
compiling its 18 statements (docs/benchmarks.md, "Per-request CPU outside the page's
reads"). The few statements nearly every signed-in request runs are built by the ORM once,
with a distinct sentinel in place of each parameter, and executed as that SQL after.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import connections
from django.db.models import QuerySet

from core.lookups import Ids, among_param

# The literals a statement may carry besides its sentinels (`constants=True`): a status, a
# flag. Never an int or a moment, which is what a sentinel is and what a call passes.
_CONSTANT_TYPES = (str, bool, type(None))


class CompiledRead:
    """`build(*sentinels)` is the QuerySet; its SQL is kept per database alias with, for
    each placeholder, which argument fills it (a sentinel the compiler rewrote is refused
    when compiled, so a call never runs with a stale value). A `core.lookups.Ids` sentinel
    stands for a list of ids under `__among`, one parameter whatever the list's length.
    `constants`: the statement's own string or boolean literals (the same on every call)
    are kept as they are."""

    def __init__(self, build: Callable[..., QuerySet], *sentinels, constants: bool = False):
        if len(set(sentinels)) != len(sentinels):
            raise ValueError("sentinels must differ, so each placeholder names its argument")
        self.build = build
        self.sentinels = sentinels
        self.constants = constants
        self._compiled: dict[str, tuple[str, tuple, list]] = {}  # sql, fill, converters

    def _compile(self, alias: str) -> tuple[str, tuple, list]:
        found = self._compiled.get(alias)
        if found is None:
            compiler = self.build(*self.sentinels).query.get_compiler(alias)
            sql, params = compiler.as_sql()
            fill = []
            for p in params:
                if isinstance(p, Ids) or (p in self.sentinels and not isinstance(p, bool)):
                    fill.append((self.sentinels.index(p), None))
                elif (
                    self.constants
                    and isinstance(p, _CONSTANT_TYPES)
                    and not any(isinstance(s, str) and s in str(p) for s in self.sentinels)
                ):
                    fill.append((None, p))
                else:
                    raise ValueError(f"compiled parameters {params!r} are not {self.sentinels!r}")
            found = (sql, tuple(fill), _converters(compiler, connections[alias]))
            self._compiled[alias] = found
        return found

    def sql(self, alias: str, *args) -> tuple[str, list]:
        """The SQL for `alias` and its parameters for `args` (given in the sentinels' order)."""
        sql, fill, _ = self._compile(alias)
        return sql, self._params(connections[alias], fill, args)

    def _params(self, connection, fill, args) -> list:
        return [
            value
            if i is None
            else among_param(connection, args[i])
            if isinstance(self.sentinels[i], Ids)
            else args[i]
            for i, value in fill
        ]

    def rows(self, alias: str, *args) -> list[list]:
        """The statement's rows for `args`, each column through the converters the ORM's
        `values_list` applies (SQLite's moments come back as text without them)."""
        sql, fill, converters = self._compile(alias)
        connection = connections[alias]
        with connection.cursor() as cursor:
            cursor.execute(sql, self._params(connection, fill, args))
            found = cursor.fetchall()
        if not converters:
            return [list(row) for row in found]
        rows = []
        for row in map(list, found):
            for pos, convs, column in converters:
                value = row[pos]
                for converter in convs:
                    value = converter(value, column, connection)
                row[pos] = value
            rows.append(row)
        return rows


def _converters(compiler, connection) -> list:
    """Per selected column that needs them, the converters `values_list` would apply: found
    once with the statement, not on every call."""
    found = []
    for pos, (column, *_) in enumerate(compiler.select[: compiler.col_count]):
        convs = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        if convs:
            found.append((pos, convs, column))
    return found


class CompiledObjects:
    """Model instances as `select_related(*related)` gives them, from a statement compiled
    once: `build(*sentinels)` is the filtered QuerySet of `model`; `related` are forward or
    reverse one-to-one and foreign-key paths ("user", "user__profile"), each attached to its
    parent without a query of its own (or left to load lazily when the row has none);
    `extra` names attributes set on each instance from a lookup's value ("user__x")."""

    def __init__(
        self,
        model,
        related: tuple[str, ...],
        build: Callable[..., QuerySet],
        *sentinels,
        extra: dict[str, str] | None = None,
        constants: bool = False,
    ):
        self.extra = dict(extra or {})
        self.parts = [("", None, model)]  # (path, field on the parent, model)
        for path in related:
            parent_path, _, name = path.rpartition("__")
            parent = next(m for p, _, m in self.parts if p == parent_path)
            field = parent._meta.get_field(name)
            self.parts.append((path, field, field.related_model))
        columns = [
            f"{path}__{f.name}" if path else f.name
            for path, _, part in self.parts
            for f in part._meta.concrete_fields
        ] + list(self.extra.values())
        self.read = CompiledRead(
            lambda *args: build(*args).values_list(*columns), *sentinels, constants=constants
        )

    def objects(self, alias: str, *args) -> list:
        found = []
        for row in self.read.rows(alias, *args):
            start, made = 0, {}
            for path, field, part in self.parts:
                fields = part._meta.concrete_fields
                values = row[start : start + len(fields)]
                start += len(fields)
                parent = made.get(path.rpartition("__")[0]) if path else None
                if path and (parent is None or values[fields.index(part._meta.pk)] is None):
                    continue  # no such row (or no parent to hang it on): loaded lazily
                obj = part.from_db(alias, [f.attname for f in fields], values)
                made[path] = obj
                if field is not None:
                    field.set_cached_value(parent, obj)
                    if field.remote_field is not None and not field.concrete:
                        field.remote_field.set_cached_value(obj, parent)  # the reverse side
            for name, value in zip(self.extra, row[start:], strict=True):
                setattr(made[""], name, value)
            found.append(made[""])
        return found
