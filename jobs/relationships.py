"""A3's weekly digest: a scheduled job (cron or the task queue runs it once a week,
`linkwell send_digests` enqueues it); only members who turned it on get one."""

from django.conf import settings
from django_tasks import task

from relationships import services


@task()
def send_weekly_digests() -> int:
    return services.send_weekly_digests(base_url=settings.SITE_URL)
