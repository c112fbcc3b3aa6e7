"""What Mastodon knows about a client application that django-oauth-toolkit does not.

The tables keep the `api` app label they were created under (api/migrations), so moving the
code out of api/ needed no data migration; `api.models` imports these classes so the app
registry finds them.
"""

from django.conf import settings
from django.db import models
from oauth2_provider.settings import oauth2_settings


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

    class Meta:
        app_label = "api"


class RedeemedCode(models.Model):
    """An authorization code already exchanged, and what it bought (RFC 6749 §4.1.2).

    django-oauth-toolkit deletes the grant on use; this remembers it, hashed, so that a
    replay revokes the tokens issued from it instead of only failing.
    """

    code_checksum = models.CharField(max_length=64, unique=True)  # SHA-256 of the code
    application = models.ForeignKey(
        settings.OAUTH2_PROVIDER_APPLICATION_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    access_token = models.ForeignKey(
        oauth2_settings.ACCESS_TOKEN_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    token_family = models.UUIDField(null=True)  # the refresh tokens rotated from it
    redeemed_at = models.DateTimeField()

    class Meta:
        app_label = "api"
