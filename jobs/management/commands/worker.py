"""`linkwell worker`: runs queued jobs (LINKWELL_TASKS=queue), retrying failed ones with
backoff and taking back the jobs of a worker that died (jobs/worker.py)."""

from django_tasks.backends.database.management.commands import db_worker

from jobs.worker import LeasedWorker


class Command(db_worker.Command):
    help = "Run queued jobs: retries with backoff, leases, database outages survived."

    def handle(
        self,
        *,
        verbosity,
        queue_name,
        interval,
        batch,
        backend_name,
        startup_delay,
        reload,
        max_tasks,
        worker_id,
        **options,
    ):
        self.configure_logging(verbosity)
        worker = LeasedWorker(
            queue_names=queue_name.split(","),
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
        )
        worker.configure_signals()
        worker.run()
