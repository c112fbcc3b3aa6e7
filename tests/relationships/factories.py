"""Relationships' setup through the services, so setup is itself behaviour."""

from network import services


def connect(a, b, *, reason="", note=""):
    invitation = services.invite(sender=a, recipient=b, reason=reason, note=note)
    services.accept(invitation_id=invitation.pk, by=b)
    return invitation
