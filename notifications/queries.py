"""Reads of the inbox. Who may see the actor and the post is decided above (feed.inbox)."""

from django.db.models import QuerySet

from notifications.models import Marker, Notification


def inbox(recipient, *, kinds=None, exclude_kinds=None, exclude_actor_ids=()) -> QuerySet:
    rows = Notification.objects.filter(recipient=recipient)
    if kinds:
        rows = rows.filter(kind__in=kinds)
    if exclude_kinds:
        rows = rows.exclude(kind__in=exclude_kinds)
    if exclude_actor_ids:
        rows = rows.exclude(actor_id__in=list(exclude_actor_ids))
    return rows.order_by("-id")


def markers(member, timelines) -> dict[str, Marker]:
    rows = Marker.objects.filter(member=member, timeline__in=list(timelines))
    return {marker.timeline: marker for marker in rows}


def last_read_id(member) -> int:
    marker = Marker.objects.filter(member=member, timeline="notifications").first()
    return marker.last_read_id if marker else 0
