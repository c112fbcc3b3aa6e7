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
from django.db.models.query import get_related_populators

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
    are kept as they are. `numbers`: the numeric literals it carries (a formula's factors),
    named one by one, each unlike every sentinel."""

    def __init__(
        self,
        build: Callable[..., QuerySet],
        *sentinels,
        constants: bool = False,
        numbers: tuple = (),
    ):
        if len(set(sentinels)) != len(sentinels):
            raise ValueError("sentinels must differ, so each placeholder names its argument")
        self.build = build
        self.sentinels = sentinels
        self.constants = constants
        self.numbers = numbers
        if any(n in sentinels for n in numbers):
            raise ValueError("a sentinel must differ from every number the statement carries")
        self._compiled: dict[str, tuple[str, tuple, list]] = {}  # sql, fill, converters
        self._makers: dict[str, tuple] = {}  # per alias: how `objects` builds instances

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
                    p in self.numbers
                    and not isinstance(p, bool)
                    or (
                        self.constants
                        and isinstance(p, _CONSTANT_TYPES)
                        and not any(isinstance(s, str) and s in str(p) for s in self.sentinels)
                    )
                ):
                    fill.append((None, p))
                else:
                    raise ValueError(f"compiled parameters {params!r} are not {self.sentinels!r}")
            found = (sql, tuple(fill), _converters(compiler, connections[alias]))
            self._compiled[alias] = found
            self._makers[alias] = _maker(compiler, alias)
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

    def objects(self, alias: str, *args) -> list:
        """The statement's rows as model instances, each `select_related` row attached and
        each annotation set, as the ORM's own iterable makes them (a QuerySet of models)."""
        rows = self.rows(alias, *args)
        model, init_list, start, end, populators, annotations = self._makers[alias]
        found = []
        for row in rows:
            obj = model.from_db(alias, init_list, row[start:end])
            for populator in populators:
                populator.populate(row, obj)
            for name, pos in annotations:
                setattr(obj, name, row[pos])
            found.append(obj)
        return found


def _maker(compiler, alias: str) -> tuple | None:
    """What `objects` needs of a compiled model statement (Django's ModelIterable's steps)."""
    klass_info = compiler.klass_info
    if not klass_info:
        return None
    select, fields = compiler.select, klass_info["select_fields"]
    start, end = fields[0], fields[-1] + 1
    init_list = [f[0].target.attname for f in select[start:end]]
    populators = get_related_populators(klass_info, select, alias)
    annotations = tuple(compiler.annotation_col_map.items())
    return klass_info["model"], init_list, start, end, populators, annotations


def _converters(compiler, connection) -> list:
    """Per selected column that needs them, the converters `values_list` would apply: found
    once with the statement, not on every call."""
    found = []
    for pos, (column, *_) in enumerate(compiler.select[: compiler.col_count]):
        convs = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        if convs:
            found.append((pos, convs, column))
    return found
