"""Enqueue background work after commit, by the task's dotted name.

Services sit below `jobs/` (the tasks are thin wrappers on top of them), so they name the task
rather than import it. Inline (ImmediateBackend) on the embedded default: the task then runs
right after the commit, in the same process.
"""

from django.db import transaction
from django.utils.module_loading import import_string


def enqueue_after_commit(task_path: str, *args) -> None:
    def enqueue():
        import_string(task_path).enqueue(*args)

    transaction.on_commit(enqueue)
