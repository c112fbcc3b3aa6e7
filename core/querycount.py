"""Bench-only: the SQL statements a request ran, as the `X-Linkwell-Queries` header.

`linkwell bench web` reads it from outside the server to report queries per request. It is
added to MIDDLEWARE only when LINKWELL_BENCH_QUERIES is on and LINKWELL_HTTPS is off (a
production site is behind TLS), so no production answer ever carries it.
"""

from django.db import connections

HEADER = "X-Linkwell-Queries"


class QueryCountHeader:
    """Outermost middleware: counts every statement on every database alias, session and
    authentication reads included, and names the total in a response header."""

    sync_capable = True
    async_capable = False

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = [0]

        def counted(execute, sql, params, many, context):
            count[0] += 1
            return execute(sql, params, many, context)

        wrappers = [c.execute_wrapper(counted) for c in connections.all()]
        for wrapper in wrappers:
            wrapper.__enter__()
        try:
            response = self.get_response(request)
        finally:
            for wrapper in reversed(wrappers):
                wrapper.__exit__(None, None, None)
        response[HEADER] = str(count[0])
        return response
