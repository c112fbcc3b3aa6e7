"""`field__among=ids`: a list of ids as one query parameter (a PostgreSQL array, SQLite
JSON) instead of one placeholder per id as `__in` writes it.

For the long lists a viewer brings (their connections): for 1,044 ids, psycopg's parsing of
`IN (%s, ...)` and Django's preparing of each value cost about 10 ms of CPU per People You
May Know call; one parameter costs neither (docs/benchmarks.md, "Search"). Registered on
every field in `core.apps`.
"""

import json

from django.db.models import Lookup


class Among(Lookup):
    lookup_name = "among"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        ids = [int(i) for i in self.rhs]
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s)", [*lhs_params, ids]
        return f"{lhs} IN (SELECT value FROM json_each(%s))", [*lhs_params, json.dumps(ids)]
