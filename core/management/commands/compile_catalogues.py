"""`linkwell compile_catalogues`: locale/*.po to .mo without GNU gettext (make run/test do it)."""

from django.core.management.base import BaseCommand

from core.catalogues import compile_catalogues


class Command(BaseCommand):
    help = "Compile the translation catalogues (.po to .mo) in pure Python."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="recompile even when current")

    def handle(self, *args, force=False, **options):
        for mo_path in compile_catalogues(force=force):
            self.stdout.write(f"compiled {mo_path}")
