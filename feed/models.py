"""P1: posts. Comments, reactions, reposts and impressions come with the feed issue."""

from django.conf import settings
from django.db import models


class Visibility(models.TextChoices):
    ANYONE = "anyone", "Anyone"
    CONNECTIONS = "connections", "Connections only"


class Post(models.Model):
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="posts"
    )
    text = models.TextField(max_length=3000)
    visibility = models.CharField(
        max_length=12, choices=Visibility.choices, default=Visibility.ANYONE
    )
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["author", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(visibility__in=Visibility.values), name="post_visibility_valid"
            ),
        ]
