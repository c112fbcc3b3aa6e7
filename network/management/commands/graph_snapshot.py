"""`linkwell graph_snapshot`: build the graph index from the database and publish it as the
shared memory-mapped snapshot that every worker process loads (docs/architecture.md)."""

import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from network import index as graph_loader


class Command(BaseCommand):
    help = "Build the connection graph from the database and save it as the shared snapshot."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dir",
            default=None,
            help="snapshot directory (default: settings.LINKWELL_GRAPH_DIR)",
        )

    def handle(self, *args, **options):
        directory = Path(options["dir"] or settings.LINKWELL_GRAPH_DIR)
        directory.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        with graph_loader._snapshot_lock(directory, exclusive=True):
            index = graph_loader.build_from_database()
            built = time.perf_counter()
            path = graph_loader.save_snapshot(index, directory)
        saved = time.perf_counter()
        self.stdout.write(
            f"graph snapshot {path}: {index.members} members, {index.connections} connections, "
            f"generation {index.generation}; built in {built - started:.1f} s, "
            f"saved in {saved - built:.1f} s"
        )
