"""`linkwell seed`: the demo network, deterministic for a given --members and --seed."""

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from core.errors import Refused
from demo import seeder
from demo.progress import Progress


class Command(BaseCommand):
    help = "Build a realistic, deterministic demo network into an empty database."

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=2000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--avg-connections",
            type=float,
            default=seeder.DEFAULT_AVG_CONNECTIONS,
            help="connections per member; each member's list averages twice this",
        )
        parser.add_argument(
            "--posts-per-member",
            type=float,
            default=None,
            help="average posts per member (default: 3, fewer above 20,000 members)",
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing when members already exist"
        )

    def handle(self, *args, members, seed, avg_connections, posts_per_member, if_empty, **opts):
        if User.objects.exists():
            if if_empty:
                self.stdout.write("Members already exist; the demo network is not seeded again.")
                return
            raise CommandError(seeder.NOT_EMPTY)
        progress = Progress(stream=self.stderr._out) if opts["verbosity"] > 0 else None
        try:
            report = seeder.seed_network(
                members=members,
                seed=seed,
                avg_connections=avg_connections,
                posts_per_member=posts_per_member,
                progress=progress,
            )
        except Refused as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            f"Seeded {report.members:,} members, {report.connections:,} connections, "
            f"{report.follows:,} follows, {report.invitations:,} invitations, "
            f"{report.posts:,} posts and {report.news:,} news items in {report.seconds:.1f}s "
            f"({report.rows / report.seconds:,.0f} rows/s)."
        )
        leaders = ", ".join(report.leaders[:5])
        self.stdout.write(f"Thought leaders (Follow is primary): {leaders}")
        self.stdout.write(f"Sign in as {seeder.DEMO_HANDLE} / {seeder.DEMO_PASSWORD}")
