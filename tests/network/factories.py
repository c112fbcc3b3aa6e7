"""Network setup through the services, so setup is itself behaviour."""

from network import services


def connect(a, b):
    invitation = services.invite(sender=a, recipient=b)
    services.accept(invitation_id=invitation.pk, by=b)
    return invitation


def set_profile(member, **fields):
    for name, value in fields.items():
        setattr(member.profile, name, value)
    member.profile.save(update_fields=list(fields))
