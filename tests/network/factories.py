"""Network setup through the services, so setup is itself behaviour."""

from membership.services import update_settings
from network import services


def connect(a, b):
    invitation = services.invite(sender=a, recipient=b)
    services.accept(invitation_id=invitation.pk, by=b)
    return invitation


def set_profile(member, **settings):
    """S2–S7 as the settings page sets them (S3's follower purge included)."""
    update_settings(member=member, **settings)
    member.profile.refresh_from_db()
