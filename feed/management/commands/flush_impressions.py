"""`linkwell flush_impressions`: write this process's buffered views (P4); run it from cron."""

from django.core.management.base import BaseCommand

from feed import impressions


class Command(BaseCommand):
    help = "Flush buffered post impressions (unique viewers) to the database."

    def handle(self, *args, **options):
        written = impressions.flush(impressions.drain())
        self.stdout.write(f"Flushed {written} views.")
