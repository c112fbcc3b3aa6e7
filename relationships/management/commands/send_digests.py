"""`linkwell send_digests`: enqueue A3's weekly digest job (run it weekly from cron)."""

from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string


class Command(BaseCommand):
    help = "Send the weekly keep-in-touch digest to members who turned it on (A3)."

    def handle(self, *args, **options):
        # jobs sits above relationships: the task is named, not imported
        result = import_string("jobs.relationships.send_weekly_digests").enqueue()
        self.stdout.write(f"enqueued {result.id}")
