"""Reads for the token settings page."""

from oauth2_provider.models import AccessToken


def personal_tokens(member):
    """The member's personal access tokens, newest first."""
    return AccessToken.objects.filter(
        user=member, application__registration__personal=True
    ).order_by("-created", "-id")
