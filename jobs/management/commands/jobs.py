"""`linkwell jobs`: what the queue holds, for operators; `--failed` lists the jobs that used
up their attempts (with the error), `--retry ID` / `--retry-failed` queues them again."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django_tasks.backends.database.models import DBTaskResult
from django_tasks.task import ResultStatus


def _last_line(traceback: str) -> str:
    lines = [line for line in traceback.strip().splitlines() if line.strip()]
    return lines[-1].strip() if lines else ""


class Command(BaseCommand):
    help = "List queued, running and failed jobs; queue failed ones again."

    def add_arguments(self, parser):
        parser.add_argument("--failed", action="store_true", help="only jobs that failed for good")
        parser.add_argument("--retry", metavar="ID", help="queue this failed job again")
        parser.add_argument("--retry-failed", action="store_true", help="queue every failed job")
        parser.add_argument("--limit", type=int, default=50)

    def handle(self, *, failed, retry, retry_failed, limit, **options):
        if retry or retry_failed:
            chosen = DBTaskResult.objects.failed()
            if retry:
                chosen = chosen.filter(id=retry)
            count = chosen.update(
                status=ResultStatus.READY, run_after=timezone.now(), worker_ids=[]
            )
            if retry and not count:
                raise CommandError(f"no failed job {retry}")
            self.stdout.write(f"queued {count} job(s) again")
            return
        counts = {
            status: DBTaskResult.objects.filter(status=status).count()
            for status in (ResultStatus.READY, ResultStatus.RUNNING, ResultStatus.FAILED)
        }
        self.stdout.write(
            "ready {READY}, running {RUNNING}, failed {FAILED}".format(
                **{status.name: count for status, count in counts.items()}
            )
        )
        rows = DBTaskResult.objects.exclude(status=ResultStatus.SUCCEEDED)
        if failed:
            rows = rows.filter(status=ResultStatus.FAILED)
        for row in rows.order_by("-enqueued_at")[:limit]:
            error = _last_line(row.traceback) or "-"
            self.stdout.write(
                f"{row.id}  {row.status:<9} {row.task_path}  attempts {len(row.worker_ids)}  "
                f"enqueued {row.enqueued_at:%Y-%m-%d %H:%M:%S}  {error}"
            )
