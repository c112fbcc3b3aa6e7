"""`linkwell prune_events`: trims the two replayed logs (connections, page facts) to the
last `--days` days, for operators to run daily from cron beside `graph_snapshot`."""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from core import clock
from network import services as network
from profiles import services as profiles


class Command(BaseCommand):
    help = "Delete connection and page-fact events older than --days (the newest stay)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=7, help="days of events kept (7)")

    def handle(self, *, days, **options):
        if days < 1:
            raise CommandError("--days must be 1 or more")
        before = clock.now() - timedelta(days=days)
        connections = network.prune_connection_events(before=before)
        pages = profiles.prune_profile_events(before=before)
        self.stdout.write(
            f"deleted {connections} connection event(s) and {pages} page-fact event(s) "
            f"written before {before:%Y-%m-%d %H:%M} UTC"
        )
