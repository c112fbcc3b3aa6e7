"""Kept counts for the members who joined before they were kept: counted once from the rows.

Grouped counts per table, in member-id ranges, so a large network is a few statements per
range; `linkwell recount` does the same later, for repair."""

from django.db import migrations
from django.db.models import Count, Max

RANGE = 50_000


def _grouped(rows, key, lo, hi, **extra):
    found = (
        rows.filter(**{f"{key}__gte": lo, f"{key}__lt": hi})
        .order_by()
        .values(key)
        .annotate(n=Count("pk"), **extra)
    )
    return {row[key]: row for row in found}


def count_existing(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    Counts = apps.get_model("profiles", "MemberCounts")
    Follow = apps.get_model("network", "Follow")
    Connection = apps.get_model("network", "Connection")
    Post = apps.get_model("feed", "Post")
    top = User.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    for lo in range(1, top + 1, RANGE):
        hi = lo + RANGE
        ids = list(User.objects.filter(pk__gte=lo, pk__lt=hi).values_list("pk", flat=True))
        if not ids:
            continue
        followers = _grouped(Follow.objects.all(), "followee_id", lo, hi)
        following = _grouped(Follow.objects.all(), "follower_id", lo, hi)
        as_a = _grouped(Connection.objects.all(), "member_a_id", lo, hi)
        as_b = _grouped(Connection.objects.all(), "member_b_id", lo, hi)
        posts = _grouped(Post.objects.all(), "author_id", lo, hi, last=Max("created_at"))
        Counts.objects.bulk_create(
            [
                Counts(
                    member_id=pk,
                    followers=followers.get(pk, {}).get("n", 0),
                    following=following.get(pk, {}).get("n", 0),
                    connections=as_a.get(pk, {}).get("n", 0) + as_b.get(pk, {}).get("n", 0),
                    posts=posts.get(pk, {}).get("n", 0),
                    last_post_at=posts.get(pk, {}).get("last"),
                )
                for pk in ids
            ],
            batch_size=5000,
            ignore_conflicts=True,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("profiles", "0002_member_counts"),
        ("network", "0002_report_unblock"),
        ("feed", "0002_posts_interactions_timeline"),
    ]

    operations = [migrations.RunPython(count_existing, migrations.RunPython.noop)]
