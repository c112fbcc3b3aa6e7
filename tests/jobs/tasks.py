"""Jobs the worker's tests enqueue: one that fails a given number of times, one that always
fails. Runs are counted in the cache, which the test clears."""

from django.core.cache import cache
from django_tasks import task


@task()
def flaky(key: str, failures: int) -> int:
    runs = cache.get_or_set(key, 0) + 1
    cache.set(key, runs)
    if runs <= failures:
        raise RuntimeError(f"run {runs} fails on purpose")
    return runs


@task()
def always_fails() -> None:
    raise ValueError("the input can never be processed")


@task()
def trivial(number: int) -> int:
    """The queue's own cost, measured (docs/architecture.md, "Background work")."""
    return number
