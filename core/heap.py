"""The garbage collector told to leave a worker's start-up heap alone (`gc.freeze`).

A full collection walks every tracked object: in a worker that has served pages, about
240,000 (Django, the URL patterns, templates, catalogues), 125 ms of CPU on a loaded 2-vCPU
machine, paid by whichever request triggers it: a p99 the code of that request did not
cause (docs/benchmarks.md, "feed-tail"). Objects alive once the worker is ready live as long
as it does, so they are moved out of the collector's sight; what requests create is still
collected as before.
"""

import gc


def freeze_startup_heap() -> None:
    """Load what a worker keeps (the URL patterns, and so every view module), collect once,
    then freeze what is left."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (imports every view: kept for the worker's life)
    gc.collect()
    gc.freeze()
