"""Writes to the inbox, called after commit by the areas that cause a notification.

Idempotent (one row per recipient, kind, actor and subject), and silent when there is no one
to tell: nobody is notified of their own actions, except of the kinds about the member's own
things (`OWN`: their data export is ready), where they are their own actor.
"""

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from core import clock, live
from core.errors import NotFound
from notifications.models import GROUPED, OWN, Kind, Marker, Notification

MARKER_TIMELINES = ("home", "notifications")
NOTIFICATION_NOT_FOUND = _("Record not found")


def _group_key(kind: str, subject_id: int, recipient_id: int) -> str:
    if kind in GROUPED:
        return f"{kind}-{subject_id or recipient_id}"
    return ""


@transaction.atomic
def notify(
    *, recipient_id: int, actor_id: int, kind: str, subject_id: int = 0, detail: str = ""
) -> Notification | None:
    """Tell `recipient` that `actor` did `kind` about `subject_id`; a repeat changes nothing
    but the reaction's type (`detail`)."""
    if kind not in Kind.values or (recipient_id == actor_id) != (kind in OWN):
        return None
    found = Notification.objects.filter(
        recipient_id=recipient_id, kind=kind, actor_id=actor_id, subject_id=subject_id
    ).first()
    if found is not None:
        if found.detail != detail:
            found.detail = detail
            found.save(update_fields=["detail"])
        return found
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient_id=recipient_id,
                actor_id=actor_id,
                kind=kind,
                subject_id=subject_id,
                detail=detail,
                group_key=_group_key(kind, subject_id, recipient_id),
                created_at=clock.now(),
            )
    except IntegrityError:  # a concurrent call made it first
        return Notification.objects.filter(
            recipient_id=recipient_id, kind=kind, actor_id=actor_id, subject_id=subject_id
        ).first()
    if not notification.group_key:
        notification.group_key = f"ungrouped-{notification.pk}"
        notification.save(update_fields=["group_key"])
    live.publish_after_commit(recipient_id, "notification", {"notification_id": notification.pk})
    return notification


@transaction.atomic
def withdraw(*, recipient_id: int, actor_id: int, kind: str, subject_id: int = 0) -> None:
    """Silently take back a notification whose cause is undone (N4: a withdrawn invitation;
    a removed reaction)."""
    Notification.objects.filter(
        recipient_id=recipient_id, kind=kind, actor_id=actor_id, subject_id=subject_id
    ).delete()


@transaction.atomic
def forget_subjects(*, kinds: list[str], subject_ids: list[int]) -> None:
    """The posts these notifications were about are gone."""
    if subject_ids:
        Notification.objects.filter(kind__in=kinds, subject_id__in=subject_ids).delete()


@transaction.atomic
def dismiss(*, recipient, notification_id: int) -> None:
    deleted, _ = Notification.objects.filter(pk=notification_id, recipient=recipient).delete()
    if not deleted:
        raise NotFound(NOTIFICATION_NOT_FOUND, rule="P5")


@transaction.atomic
def clear(*, recipient) -> None:
    Notification.objects.filter(recipient=recipient).delete()


@transaction.atomic
def set_marker(*, member, timeline: str, last_read_id: int) -> Marker:
    """Mastodon's markers; the notifications marker is what the unread badge counts from."""
    now = clock.now()
    marker, created = Marker.objects.select_for_update().get_or_create(
        member=member,
        timeline=timeline,
        defaults={"last_read_id": last_read_id, "updated_at": now},
    )
    if not created and marker.last_read_id != last_read_id:
        marker.last_read_id = last_read_id
        marker.version += 1
        marker.updated_at = now
        marker.save(update_fields=["last_read_id", "version", "updated_at"])
    return marker


def mark_all_read(*, member) -> Marker:
    newest = Notification.objects.filter(recipient=member).aggregate(m=Max("id"))["m"] or 0
    return set_marker(member=member, timeline="notifications", last_read_id=newest)
