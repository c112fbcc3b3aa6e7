"""`linkwell worker`: django-tasks' database worker, with leases, retries and outages survived.

django-tasks runs a claimed job once and marks it failed on any error; a worker killed in the
middle leaves its job "running" for ever. Here (docs/architecture.md, "Background work"):
- a failed run is queued again after LINKWELL_JOB_BACKOFF_SECONDS × 2^(attempt-1), up to
  LINKWELL_JOB_MAX_ATTEMPTS runs; only then is it FAILED (`linkwell jobs --failed`, the admin);
- a job still RUNNING LINKWELL_JOB_LEASE_SECONDS after it started is queued again (its worker
  died: the row lock went with its connection, and the transaction it had open rolled back);
- the database going away (a PostgreSQL restart) pauses the worker instead of ending it.
Every job is idempotent, so a second run of a job changes nothing more than the first.
"""

from __future__ import annotations

import contextlib
import logging
import time
from datetime import timedelta

from django.conf import settings
from django.db import (
    InterfaceError,
    OperationalError,
    close_old_connections,
    connections,
    transaction,
)
from django.utils import timezone
from django_tasks.backends.database.management.commands.db_worker import Worker
from django_tasks.backends.database.models import DBTaskResult
from django_tasks.task import ResultStatus, TaskContext
from django_tasks.utils import get_exception_traceback, get_module_path

logger = logging.getLogger("linkwell.worker")
REAP_EVERY = 5.0  # seconds between looks for jobs whose worker died


def backoff_seconds(attempt: int) -> int:
    """How long a job waits after its `attempt`-th run failed (1, 2, ...)."""
    return settings.LINKWELL_JOB_BACKOFF_SECONDS * 2 ** max(0, attempt - 1)


def requeue_abandoned(now=None) -> int:
    """Jobs RUNNING past their lease go back to READY at once; how many did."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.LINKWELL_JOB_LEASE_SECONDS)
    return DBTaskResult.objects.filter(status=ResultStatus.RUNNING, started_at__lt=cutoff).update(
        status=ResultStatus.READY, run_after=now
    )


def record_failure(db_result: DBTaskResult, exc: BaseException) -> bool:
    """After a failed run: queued again with backoff (True), or FAILED for good (False). The
    error is kept either way, so an operator sees why a job is retrying."""
    attempt = len(db_result.worker_ids)
    if attempt >= settings.LINKWELL_JOB_MAX_ATTEMPTS:
        db_result.set_failed(exc)
        return False
    db_result.status = ResultStatus.READY
    db_result.run_after = timezone.now() + timedelta(seconds=backoff_seconds(attempt))
    db_result.exception_class_path = get_module_path(type(exc))
    db_result.traceback = get_exception_traceback(exc)
    db_result.save(update_fields=["status", "run_after", "exception_class_path", "traceback"])
    return True


class LeasedWorker(Worker):
    """The database worker with retries with backoff and abandoned jobs taken back."""

    _reaped_at = 0.0
    _current = None  # the id of the job being run, to give back after an outage

    def run(self) -> None:
        """Claims and runs jobs until stopped; a database outage pauses it, never ends it."""
        logger.info("worker %s on queues %s", self.worker_id, ",".join(self.queue_names))
        while self.running:
            try:
                if self._current is not None:
                    self._give_back()
                if self._loop():
                    return
            except (OperationalError, InterfaceError) as exc:
                logger.warning("database unavailable (%s); trying again in 2 s", exc)
                for connection in connections.all(initialized_only=True):
                    with contextlib.suppress(Exception):  # a dead socket may not close cleanly
                        connection.close()
                time.sleep(2.0)

    def _loop(self) -> bool:
        """The upstream loop (claim one ready job FOR UPDATE SKIP LOCKED, run it), plus the
        reaping; True when done (--batch, --max-tasks)."""
        while self.running:
            self._reap()
            ready = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
            if not self.process_all_queues:
                ready = ready.filter(queue_name__in=self.queue_names)
            # SQLite: our connections BEGIN IMMEDIATE (settings), the one writer's lock, so no
            # two workers claim a job; PostgreSQL: FOR UPDATE SKIP LOCKED.
            with transaction.atomic(using=ready.db):
                try:
                    claimed = ready.get_locked()
                except OperationalError as exc:
                    if "is locked" not in str(exc):  # SQLite's busy writer: look again
                        raise
                    claimed = None
                if claimed is not None:
                    claimed.claim(self.worker_id)
            if claimed is not None:
                self.run_task(claimed)
            elif self.batch:
                return True
            if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                return True
            if not connections[ready.db].in_atomic_block:
                # As a request's end does; never inside a caller's transaction (a test's),
                # which closing would end under its owner (core.live does the same).
                close_old_connections()
            if self.running and claimed is None:
                time.sleep(self.interval)
        return True

    def _reap(self) -> None:
        now = time.monotonic()
        if now - self._reaped_at >= REAP_EVERY:
            self._reaped_at = now
            taken = requeue_abandoned()
            if taken:
                logger.warning("queued %d abandoned job(s) again", taken)

    def _give_back(self) -> None:
        """The job an outage interrupted goes back to the queue at once (not after a lease)."""
        DBTaskResult.objects.filter(id=self._current, status=ResultStatus.RUNNING).update(
            status=ResultStatus.READY, run_after=timezone.now()
        )
        self._current = None

    def run_task(self, db_task_result: DBTaskResult) -> None:
        self.running_task = True
        self._current = db_task_result.id
        try:
            task = db_task_result.task
            result = db_task_result.task_result
            if task.takes_context:
                value = task.call(TaskContext(task_result=result), *result.args, **result.kwargs)
            else:
                value = task.call(*result.args, **result.kwargs)
            db_task_result.set_succeeded(value)
            self._current = None
        except (OperationalError, InterfaceError):
            raise  # the database went away: given back once it is here again
        except Exception as exc:  # noqa: BLE001 - any job error is recorded and retried
            self._current = None
            again = record_failure(db_task_result, exc)
            logger.warning(
                "job %s (%s) failed: %r; %s",
                db_task_result.id,
                db_task_result.task_path,
                exc,
                "queued again" if again else "failed for good",
            )
        finally:
            self.running_task = False
            self._run_tasks += 1
