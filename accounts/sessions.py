"""Django's database sessions, with the one read every request makes as SQL built once.

The same row, the same expiry check (a session past `expire_date` is no session, its key
dropped, as Django's `load`), the same signed and compressed data: only the ORM's building
of `Session.objects.get(session_key=..., expire_date__gt=now)` on every request is gone
(issue 18; docs/benchmarks.md, "Per-request CPU outside the page's reads"). Writes,
`exists`, `create` and the async methods are Django's.
"""

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone


class SessionStore(db.SessionStore):
    def load(self):
        data = self._data_from_db()
        if data is None:
            self._session_key = None
            return {}
        return self.decode(data)

    def _data_from_db(self) -> str | None:
        if not self.session_key:
            return None
        alias = router.db_for_read(self.model)
        connection = connections[alias]
        quote = connection.ops.quote_name
        sql = (
            f"SELECT {quote('session_data')} FROM {quote(self.model._meta.db_table)}"
            f" WHERE {quote('session_key')} = %s AND {quote('expire_date')} > %s"
        )
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.session_key, now])
            row = cursor.fetchone()
        return row[0] if row else None
