"""What Mastodon knows about a client application that django-oauth-toolkit does not."""

from django.conf import settings
from django.db import models


class Registration(models.Model):
    """The scopes an app registered with (it may never ask for more), and its website.

    Personal access tokens hang off one such app per member, marked `personal`.
    """

    application = models.OneToOneField(
        settings.OAUTH2_PROVIDER_APPLICATION_MODEL,
        on_delete=models.CASCADE,
        related_name="registration",
    )
    scopes = models.CharField(max_length=1000, default="read")
    website = models.URLField(max_length=500, blank=True)
    personal = models.BooleanField(default=False)
    created_at = models.DateTimeField()
