from django.db import migrations, models


class Migration(migrations.Migration):
    """A member's current positions from the index alone: M5's coworkers and the alumni
    tool's "where they work" and "what they do" (pages.queries, docs/benchmarks.md)."""

    dependencies = [
        ("profiles", "0005_profile_discoverable"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="position",
            index=models.Index(
                condition=models.Q(("ended_on__isnull", True)),
                fields=["member", "company", "title"],
                name="position_current",
            ),
        ),
    ]
