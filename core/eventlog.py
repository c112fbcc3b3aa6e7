"""Pruning the append-only logs that in-memory indexes replay (network's ConnectionEvent,
profiles' ProfileEvent). A reader whose last applied event is pruned notices it and reads
afresh, so pruning costs a rebuild at worst, never a wrong answer."""

from datetime import datetime

from django.db import transaction

BATCH = 10_000  # ids per DELETE: short transactions beside the writers


def prune_log(model, *, before: datetime, keep_from: int | None = None) -> int:
    """Delete the events written before `before`, always keeping the newest one (the mark
    every reader checks) and every id from `keep_from` on (a snapshot's generation)."""
    newest = model.objects.order_by("-id").values_list("id", flat=True).first()
    if newest is None:
        return 0
    # The newest old event, found walking the primary key down from the top: ids grow with
    # time, so this reads only the events kept.
    cutoff = model.objects.filter(at__lt=before).order_by("-id").values_list("id", flat=True)
    cutoff = cutoff.first()
    if cutoff is None:
        return 0
    cutoff = min(cutoff, newest - 1, (keep_from or newest) - 1)
    low = model.objects.order_by("id").values_list("id", flat=True).first()
    deleted = 0
    while low is not None and low <= cutoff:
        with transaction.atomic():
            count, _ = model.objects.filter(
                id__gte=low, id__lt=low + BATCH, id__lte=cutoff
            ).delete()
        deleted += count
        low = model.objects.filter(id__gte=low + BATCH).order_by("id").values_list("id", flat=True)
        low = low.first()
    return deleted
