"""`linkwell worker` on the database queue: retries with backoff, a dead worker's job taken
back, failed jobs visible to operators (`linkwell jobs --failed`, the admin)."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone
from django_tasks.backends.database.models import DBTaskResult
from django_tasks.task import ResultStatus

from jobs.worker import LeasedWorker, backoff_seconds, requeue_abandoned
from tests.jobs import tasks

# Enqueued at once: a test's transaction never commits (services enqueue after commit anyway).
QUEUE = {
    "default": {
        "BACKEND": "django_tasks.backends.database.DatabaseBackend",
        "ENQUEUE_ON_COMMIT": False,
    }
}


@pytest.fixture
def queue(settings):
    settings.TASKS = QUEUE
    settings.LINKWELL_JOB_MAX_ATTEMPTS = 3
    settings.LINKWELL_JOB_BACKOFF_SECONDS = 10
    settings.LINKWELL_JOB_LEASE_SECONDS = 60
    cache.clear()
    yield


def drain() -> None:
    """One worker, in batch mode: runs every job ready now, then returns."""
    LeasedWorker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
    ).run()


def make_due(result_id) -> None:
    """As if the backoff had passed."""
    DBTaskResult.objects.filter(id=result_id).update(run_after=timezone.now())


def test_backoff_doubles_from_the_setting(settings):
    settings.LINKWELL_JOB_BACKOFF_SECONDS = 10
    assert [backoff_seconds(n) for n in (1, 2, 3, 4)] == [10, 20, 40, 80]


@pytest.mark.django_db
def test_a_failed_job_runs_again_after_its_backoff_and_then_succeeds(queue):
    result = tasks.flaky.enqueue("flaky-1", 1)
    drain()
    row = DBTaskResult.objects.get(id=result.id)
    assert row.status == ResultStatus.READY  # queued again, not failed
    assert "run 1 fails on purpose" in row.traceback  # why it is retrying, for an operator
    wait = (row.run_after - timezone.now()).total_seconds()
    assert 8 < wait <= 10
    drain()  # not due yet: nothing runs
    assert cache.get("flaky-1") == 1
    make_due(result.id)
    drain()
    row.refresh_from_db()
    assert row.status == ResultStatus.SUCCEEDED
    assert row.return_value == 2
    assert len(row.worker_ids) == 2


@pytest.mark.django_db
def test_a_job_failing_every_attempt_is_failed_and_listed_for_operators(queue):
    result = tasks.always_fails.enqueue()
    for _ in range(3):
        make_due(result.id)
        drain()
    row = DBTaskResult.objects.get(id=result.id)
    assert row.status == ResultStatus.FAILED
    assert len(row.worker_ids) == 3
    out = StringIO()
    call_command("jobs", "--failed", stdout=out)
    listing = out.getvalue()
    assert "failed 1" in listing
    assert str(row.id) in listing
    assert "tests.jobs.tasks.always_fails" in listing
    assert "ValueError: the input can never be processed" in listing
    assert "attempts 3" in listing


@pytest.mark.django_db
def test_retry_queues_a_failed_job_again_with_fresh_attempts(queue):
    result = tasks.always_fails.enqueue()
    for _ in range(3):
        make_due(result.id)
        drain()
    call_command("jobs", "--retry", str(result.id), stdout=StringIO())
    row = DBTaskResult.objects.get(id=result.id)
    assert row.status == ResultStatus.READY
    assert row.worker_ids == []


@pytest.mark.django_db
def test_a_job_whose_worker_died_is_taken_back_after_its_lease_and_runs_once(queue):
    result = tasks.flaky.enqueue("lease-1", 0)
    # A worker claimed it 61 s ago and was killed: the row still says RUNNING.
    DBTaskResult.objects.filter(id=result.id).update(
        status=ResultStatus.RUNNING,
        started_at=timezone.now() - timedelta(seconds=61),
        worker_ids=["killed-worker"],
    )
    drain()
    row = DBTaskResult.objects.get(id=result.id)
    assert row.status == ResultStatus.SUCCEEDED
    assert row.worker_ids == ["killed-worker", "test-worker"]
    assert cache.get("lease-1") == 1  # the killed run never finished; this one ran once


@pytest.mark.django_db
def test_a_running_job_within_its_lease_is_left_to_its_worker(queue):
    result = tasks.flaky.enqueue("lease-2", 0)
    DBTaskResult.objects.filter(id=result.id).update(
        status=ResultStatus.RUNNING,
        started_at=timezone.now() - timedelta(seconds=30),
        worker_ids=["busy-worker"],
    )
    assert requeue_abandoned() == 0
    drain()
    assert DBTaskResult.objects.get(id=result.id).status == ResultStatus.RUNNING
    assert cache.get("lease-2") is None
