"""`linkwell flush_impressions`: write this process's buffered views (P4). Workers flush their
own buffers (when full, when old, and at exit), so this is for scripts that record views."""

from django.core.management.base import BaseCommand

from feed import impressions


class Command(BaseCommand):
    help = "Flush this process's buffered post impressions (unique viewers) to the database."

    def handle(self, *args, **options):
        written = impressions.flush(impressions.drain())
        self.stdout.write(f"Flushed {written} views.")
