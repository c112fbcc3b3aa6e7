"""Keyset paging over any queryset, as Mastodon clients page: by record id, newest first.

`max_id` pages down (older), `since_id` bounds below, `min_id` pages up from just above it
(the nearest newer records, returned newest first). No domain rule: the queryset says what
may be seen; this only cuts one page of it.
"""

from django.db.models import QuerySet

from core.compiled import CompiledRead


def keyset_page(
    rows: QuerySet,
    key: str,
    *,
    limit: int,
    max_id: int | None = None,
    since_id: int | None = None,
    min_id: int | None = None,
) -> list:
    page, oldest_first = keyset_query(
        rows, key, limit=limit, max_id=max_id, since_id=since_id, min_id=min_id
    )
    found = list(page)
    return found[::-1] if oldest_first else found


def keyset_query(
    rows: QuerySet,
    key: str,
    *,
    limit: int,
    max_id: int | None = None,
    since_id: int | None = None,
    min_id: int | None = None,
) -> tuple[QuerySet, bool]:
    """The page's statement, unevaluated, and whether it reads oldest first (a `min_id`
    page, which the caller turns round): for a caller that compiles it once (core.compiled)."""
    if max_id is not None:
        rows = rows.filter(**{f"{key}__lt": max_id})
    if since_id is not None:
        rows = rows.filter(**{f"{key}__gt": since_id})
    if min_id is not None:
        return rows.filter(**{f"{key}__gt": min_id}).order_by(key)[:limit], True
    return rows.order_by(f"-{key}")[:limit], False


class CompiledPages:
    """Keyset pages of one list whose statement is compiled once per shape (core.compiled):
    `rows(shape, *args)` builds the list's QuerySet, `shape` naming what changes its SQL
    (a side, S5's cut, a viewer or none), and each (shape, limit, cursors given) is compiled
    on first use. `options` go to CompiledRead (`numbers=(1,)` for an EXISTS)."""

    def __init__(self, rows, key: str, *, arguments: int, **options):
        self.rows = rows
        self.key = key
        self.arguments = arguments
        self.options = options
        self._reads: dict[tuple, CompiledRead] = {}

    def page(
        self,
        alias: str,
        shape,
        *args: int,
        limit: int,
        max_id: int | None = None,
        since_id: int | None = None,
        min_id: int | None = None,
    ) -> list[list]:
        """One page of rows for `args` (ints: a None stands as 0 where the shape ignores it),
        newest first as `keyset_page` gives it."""
        cursors = (max_id is not None, since_id is not None, min_id is not None)
        read = self._reads.get((shape, limit, cursors))
        if read is None:
            read = self._reads[(shape, limit, cursors)] = self._compiled(shape, limit, cursors)
        found = read.rows(alias, *args, max_id or 0, since_id or 0, min_id or 0)
        return found[::-1] if min_id is not None else found

    def _compiled(self, shape, limit: int, cursors: tuple[bool, bool, bool]) -> CompiledRead:
        def build(*values):
            given = [v if on else None for v, on in zip(values[-3:], cursors, strict=True)]
            rows = self.rows(shape, *values[:-3])
            page, _ = keyset_query(
                rows, self.key, limit=limit, max_id=given[0], since_id=given[1], min_id=given[2]
            )
            return page

        sentinels = tuple(-n for n in range(1, self.arguments + 4))  # the args, then cursors
        return CompiledRead(build, *sentinels, **self.options)
