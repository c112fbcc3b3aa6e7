"""`linkwell reindex`: every member's and post's search document and every hashtag's count
again (after a bulk load or restore)."""

from django.core.management.base import BaseCommand

from search import services


class Command(BaseCommand):
    help = "Rebuild the search index: people (documents, facets), posts and hashtags."

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=services.BATCH)

    def handle(self, *args, batch, **options):
        def progress(done, total):
            self.stdout.write(f"{done}/{total}")

        count = services.reindex(
            batch=batch, progress=progress if options["verbosity"] > 1 else None
        )
        posts = services.reindex_posts(progress=progress if options["verbosity"] > 1 else None)
        self.stdout.write(f"Indexed {count} members and {posts} posts.")
