"""`field__among=ids`: a list of ids as one query parameter (a PostgreSQL array, SQLite
JSON) instead of one placeholder per id as `__in` writes it.

For the long lists a viewer brings (their connections): for 1,044 ids, psycopg's parsing of
`IN (%s, ...)` and Django's preparing of each value cost about 10 ms of CPU per People You
May Know call; one parameter costs neither (docs/benchmarks.md, "Search"). Registered on
every field in `core.apps`.
"""

import json

from django.db.models import Lookup


class Ids:
    """Stands for a list of ids in a statement compiled once (`core.compiled`): `__among`
    keeps it as its parameter, and each call's list is shaped by `among_param`."""

    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return f"Ids({self.name!r})"


def among_param(connection, ids):
    """The one parameter `__among` passes for `ids` on this database."""
    ids = [int(i) for i in ids]
    return ids if connection.vendor == "postgresql" else json.dumps(ids)


class Among(Lookup):
    lookup_name = "among"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        param = self.rhs if isinstance(self.rhs, Ids) else among_param(connection, self.rhs)
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s)", [*lhs_params, param]
        return f"{lhs} IN (SELECT value FROM json_each(%s))", [*lhs_params, param]
