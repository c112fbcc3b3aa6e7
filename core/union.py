"""Several reads a page needs at once, asked as one statement.

Each part annotates a tag column naming where its rows came from, so the caller splits them
again; one round trip instead of one per part (the home feed's signals, the Sight's blocks
and mutes, a reader's followed sources).
"""

from django.db.models import QuerySet


def union_all(columns: tuple[str, ...], *parts: QuerySet) -> QuerySet:
    """The parts' `columns`, each part unordered (a UNION takes no ORDER BY of its own),
    joined by UNION ALL: every row of every part, duplicates kept."""
    first, *rest = (part.order_by().values_list(*columns) for part in parts)
    return first.union(*rest, all=True)
