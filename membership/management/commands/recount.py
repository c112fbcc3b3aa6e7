"""`linkwell recount`: the kept counts counted again from the rows (repair, bulk loads)."""

import time

from django.core.management.base import BaseCommand

from membership import services


class Command(BaseCommand):
    help = "Count every member's followers, following, connections and posts from the rows."

    def add_arguments(self, parser):
        parser.add_argument(
            "--span", type=int, default=services.RECOUNT_RANGE, help="member ids per transaction"
        )

    def handle(self, *args, span, **options):
        started = time.monotonic()
        counted = services.recount(span=max(span, 1))
        seconds = time.monotonic() - started
        self.stdout.write(f"Counted {counted:,} members again in {seconds:.1f}s.")
