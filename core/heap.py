"""The garbage collector told to leave a worker's start-up heap alone (`gc.freeze`).

A full collection walks every tracked object: in a worker that has served pages, about
240,000 (Django, the URL patterns, templates, catalogues), 125 ms of CPU on a loaded 2-vCPU
machine, paid by whichever request triggers it: a p99 the code of that request did not
cause (docs/benchmarks.md, "feed-tail"). Objects alive once the worker is ready live as long
as it does, so they are moved out of the collector's sight; what requests create is still
collected as before. What the first requests leave for good (compiled statements, catalogues,
the graph index's objects) is frozen too, by `FreezeWarmHeap`.
"""

import gc

from django.conf import settings


def freeze_startup_heap() -> None:
    """Load what a worker keeps (the URL patterns, and so every view module), collect once,
    then freeze what is left."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (imports every view: kept for the worker's life)
    gc.collect()
    gc.freeze()


class FreezeWarmHeap:
    """Freezes what a worker still holds after each of `LINKWELL_WARM_FREEZES` requests, once
    collected: its caches, filled by then, leave the full collections' walk (measured at
    1,000,000 members: 40,000-70,000 objects, each full collection 20-130 ms of one request's
    CPU; docs/benchmarks.md, "a fifth time"). Those requests pay the collection. A cycle alive
    then is never collected after: bounded in a worker, but not in a test process, whose live
    server shares the tests' heap (after one, the SQLite suite found a table locked at a
    flush, likely by a frozen statement never finalised), so the tests set none."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.served = 0

    def __call__(self, request):
        response = self.get_response(request)
        self.served += 1  # unguarded between threads: a count off by one freezes a bit later
        if self.served in settings.LINKWELL_WARM_FREEZES:
            freeze_warm_heap()
        return response


def freeze_warm_heap() -> None:
    """Collect, then freeze what survives: what the requests so far left for good."""
    gc.collect()
    gc.freeze()
