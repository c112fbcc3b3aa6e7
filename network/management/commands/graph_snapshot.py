"""`linkwell graph_snapshot`: build the graph index from the database and publish it as the
shared memory-mapped snapshot that every worker process loads (docs/architecture.md)."""

from django.core.management.base import BaseCommand

from network import loader


class Command(BaseCommand):
    help = "Build the connection graph from the database and save it as the shared snapshot."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dir",
            default=None,
            help="snapshot directory (default: settings.LINKWELL_GRAPH_DIR)",
        )

    def handle(self, *args, **options):
        published = loader.publish_snapshot(options["dir"])
        self.stdout.write(
            f"graph snapshot {published.path}: {published.members} members, "
            f"{published.connections} connections, generation {published.generation}; "
            f"built in {published.build_seconds:.1f} s, saved in {published.save_seconds:.1f} s"
        )
