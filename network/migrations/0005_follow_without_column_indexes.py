"""Follow's two single-column indexes dropped, the foreign keys kept as they are.

The page indexes lead with each column, so nothing needs these; with them, PostgreSQL read a
leader's 20,884 follows by one and sorted them (7.3 ms) instead of reading the first 40 of
`follow_following_page` (0.9 ms) at 1,000,000 members. Only the indexes go: Django's own
AlterField would drop and re-add both foreign keys, re-checking 54 million rows.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# The names Django gave them (the same on PostgreSQL and SQLite).
_INDEXES = ("network_follow_follower_id_b23adea3", "network_follow_followee_id_f6b1ae16")


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0004_connection_words"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="follow",
                    name=name,
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name=related,
                        to=settings.AUTH_USER_MODEL,
                    ),
                )
                for name, related in (
                    ("followee", "follower_set"),
                    ("follower", "following_set"),
                )
            ],
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{index}"',
                    reverse_sql=f'CREATE INDEX "{index}" ON "network_follow" ("{column}")',
                )
                for index, column in zip(_INDEXES, ("follower_id", "followee_id"), strict=True)
            ],
        )
    ]
