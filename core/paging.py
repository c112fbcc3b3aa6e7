"""Keyset paging over any queryset, as Mastodon clients page: by record id, newest first.

`max_id` pages down (older), `since_id` bounds below, `min_id` pages up from just above it
(the nearest newer records, returned newest first). No domain rule: the queryset says what
may be seen; this only cuts one page of it.
"""

from django.db.models import QuerySet


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
