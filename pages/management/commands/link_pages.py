"""`linkwell link_pages`: match free-text companies and schools to pages (G3)."""

from django.core.management.base import BaseCommand

from pages import services


class Command(BaseCommand):
    help = "Link every position and school entry without a page to the page its name stands for."

    def handle(self, *args, **options):
        made = services.link_unlinked()
        self.stdout.write(f"Linked {made} positions and school entries to pages.")
