"""P5 from the network: who is told what, after commit. The silences stay silent: ignoring
(N3), "I don't know" (N3), removing a connection (N9) and blocking notify nobody, and a
withdrawn invitation (N4) takes the recipient's notification back without a word."""

from django.db import transaction

from notifications import services as notices
from notifications.models import Kind


def invitation_received(invitation) -> None:
    transaction.on_commit(
        lambda: notices.notify(
            recipient_id=invitation.recipient_id,
            actor_id=invitation.sender_id,
            kind=Kind.CONNECTION_REQUEST,
            subject_id=invitation.pk,
        )
    )


def invitation_accepted(invitation) -> None:
    transaction.on_commit(
        lambda: notices.notify(
            recipient_id=invitation.sender_id,
            actor_id=invitation.recipient_id,
            kind=Kind.CONNECTION_ACCEPTED,
            subject_id=invitation.pk,
        )
    )


def invitation_withdrawn(invitation) -> None:
    transaction.on_commit(
        lambda: notices.withdraw(
            recipient_id=invitation.recipient_id,
            actor_id=invitation.sender_id,
            kind=Kind.CONNECTION_REQUEST,
            subject_id=invitation.pk,
        )
    )


def new_follower(follower_id: int, followee_id: int) -> None:
    transaction.on_commit(
        lambda: notices.notify(recipient_id=followee_id, actor_id=follower_id, kind=Kind.FOLLOW)
    )


def follower_gone(follower_id: int, followee_id: int) -> None:
    transaction.on_commit(
        lambda: notices.withdraw(recipient_id=followee_id, actor_id=follower_id, kind=Kind.FOLLOW)
    )
