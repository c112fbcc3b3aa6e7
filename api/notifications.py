"""Mastodon's notifications (v1 and grouped v2) and markers (P5), through feed.inbox.

Types: Mastodon's names where Mastodon has the thing (`follow`, `mention`, `favourite` for a
reaction, `reblog` for a repost), Linkwell's own for the rest (`connection_request`,
`connection_accepted`, `export_ready`); comments and replies are `mention`s, as Mastodon
notifies replies. `linkwell_type` always carries Linkwell's own kind and `reaction` the
reaction's type; `export_ready` carries the Export entity (`export`), its account is the
member themself.
"""

from urllib.parse import urlencode

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from ninja import Router

from api.auth import member_auth, require_scope
from api.payload import payload
from api.portability import export_entity
from api.schemas import iso
from api.schemas.accounts import account_entities
from api.schemas.statuses import status_entities
from core.errors import Invalid
from feed import inbox, queries
from notifications import queries as notification_queries
from notifications import services as notices
from notifications.models import Kind
from portability import queries as portability_queries

router = Router(tags=["notifications"])

MASTODON_TYPE = {
    Kind.FOLLOW: "follow",
    Kind.MENTION: "mention",
    Kind.COMMENT: "mention",
    Kind.REPLY: "mention",
    Kind.REACTION: "favourite",
    Kind.REPOST: "reblog",
    Kind.CONNECTION_REQUEST: "connection_request",
    Kind.CONNECTION_ACCEPTED: "connection_accepted",
    Kind.MESSAGE: "message",
    Kind.MESSAGE_REQUEST: "message_request",
    Kind.EXPORT_READY: "export_ready",
}
BAD_LAST_READ = _("Validation failed: last_read_id must be an id")
BAD_TIMELINE = _("Validation failed: a marker's timeline is home or notifications")


def _kinds(names) -> list[str]:
    """Mastodon or Linkwell type names to Linkwell kinds."""
    kinds = set()
    for name in names:
        kinds.update(k for k, t in MASTODON_TYPE.items() if t == name or k == name)
    return sorted(kinds)


def _types(request):
    include = request.GET.getlist("types[]") + request.GET.getlist("types")
    exclude = request.GET.getlist("exclude_types[]") + request.GET.getlist("exclude_types")
    kinds = _kinds(include) if include else None
    if include and not kinds:
        kinds = ["-none-"]
    return kinds, (_kinds(exclude) or None)


def _int(value):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None


def _entities(viewer, found) -> list[dict]:
    accounts = {
        int(a["id"]): a for a in account_entities([n.actor.pk for n in found], viewer=viewer)
    }
    posts = [n.post for n in found if n.post is not None]
    statuses = {int(s["id"]): s for s in status_entities(viewer, posts)}
    portability_queries.attach_exports(viewer, found)
    result = []
    for item in found:
        n = item.notification
        if n.actor_id not in accounts:
            continue
        entity = {
            "id": str(n.pk),
            "type": MASTODON_TYPE[n.kind],
            "created_at": iso(n.created_at),
            "group_key": n.group_key,
            "account": accounts[n.actor_id],
            "status": statuses.get(item.post.pk) if item.post else None,
            "linkwell_type": n.kind,
        }
        if n.kind == Kind.REACTION:
            entity["reaction"] = n.detail
        if n.kind in (Kind.CONNECTION_REQUEST, Kind.CONNECTION_ACCEPTED):
            entity["invitation_id"] = str(n.subject_id)
        if n.kind == Kind.EXPORT_READY:
            entity["export"] = export_entity(item.subject) if item.subject else None
        result.append(entity)
    return result


def _link(request, response, next_below, newest):
    base = request.build_absolute_uri(request.path)
    keep = [
        (k, v)
        for k in request.GET
        for v in request.GET.getlist(k)
        if k not in ("max_id", "min_id", "since_id")
    ]
    links = []
    if next_below:
        links.append(f'<{base}?{urlencode(keep + [("max_id", next_below)])}>; rel="next"')
    if newest:
        links.append(f'<{base}?{urlencode(keep + [("min_id", newest)])}>; rel="prev"')
    if links:
        response["Link"] = ", ".join(links)


@router.get("/v1/notifications", auth=member_auth)
def notifications(request, response: HttpResponse):
    """`types[]`, `exclude_types[]`, `max_id`, `since_id`, `min_id`, `limit` (≤ 80)."""
    require_scope(request, "read:notifications")
    me = request.auth
    kinds, excluded = _types(request)
    limit = min(max(_int(request.GET.get("limit")) or 40, 1), 80)
    found, below = inbox.notices(
        me,
        types=kinds,
        exclude_types=excluded,
        limit=limit,
        max_id=_int(request.GET.get("max_id")),
        since_id=_int(request.GET.get("since_id")),
        min_id=_int(request.GET.get("min_id")),
    )
    _link(request, response, below, found[0].notification.pk if found else None)
    return _entities(me, found)


@router.get("/v1/notifications/unread_count", auth=member_auth)
def unread_count(request):
    require_scope(request, "read:notifications")
    return {"count": inbox.unread_count(request.auth)}


@router.get("/v1/notifications/{int:notification_id}", auth=member_auth)
def notification(request, notification_id: int):
    require_scope(request, "read:notifications")
    return _entities(request.auth, [inbox.notice(request.auth, notification_id)])[0]


@router.post("/v1/notifications/clear", auth=member_auth)
def clear(request):
    require_scope(request, "write:notifications")
    notices.clear(recipient=request.auth)
    return {}


@router.post("/v1/notifications/{int:notification_id}/dismiss", auth=member_auth)
def dismiss(request, notification_id: int):
    require_scope(request, "write:notifications")
    notices.dismiss(recipient=request.auth, notification_id=notification_id)
    return {}


@router.get("/v2/notifications", auth=member_auth)
def grouped(request, response: HttpResponse):
    """Grouped notifications: reactions, reposts and follows of one subject are one group."""
    require_scope(request, "read:notifications")
    me = request.auth
    kinds, excluded = _types(request)
    limit = min(max(_int(request.GET.get("limit")) or 40, 1), 80)
    groups, below = inbox.groups(
        me,
        limit=limit,
        max_id=_int(request.GET.get("max_id")),
        types=kinds,
        exclude_types=excluded,
    )
    actors = list(dict.fromkeys(a.pk for g in groups for a in g.actors))
    posts = list({g.latest.post.pk: g.latest.post for g in groups if g.latest.post}.values())
    _link(request, response, below, None)
    return {
        "accounts": account_entities(actors, viewer=me),
        "statuses": status_entities(me, posts),
        "notification_groups": [
            {
                "group_key": g.key,
                "notifications_count": len(g.notices),
                "type": MASTODON_TYPE[g.kind],
                "linkwell_type": g.kind,
                "most_recent_notification_id": str(g.latest.notification.pk),
                "page_min_id": str(g.notices[-1].notification.pk),
                "page_max_id": str(g.latest.notification.pk),
                "latest_page_notification_at": iso(g.latest.notification.created_at),
                "sample_account_ids": [str(a.pk) for a in g.actors[:8]],
                "status_id": str(g.latest.post.pk) if g.latest.post else None,
            }
            for g in groups
        ],
    }


def _marker(marker) -> dict:
    return {
        "last_read_id": str(marker.last_read_id),
        "version": marker.version,
        "updated_at": iso(marker.updated_at),
    }


@router.get("/v1/markers", auth=member_auth)
def get_markers(request):
    """`timeline[]=home&timeline[]=notifications`."""
    require_scope(request, "read:statuses", "read:notifications")
    wanted = request.GET.getlist("timeline[]") + request.GET.getlist("timeline")
    wanted = [t for t in wanted if t in notices.MARKER_TIMELINES] or list(notices.MARKER_TIMELINES)
    found = notification_queries.markers(request.auth, wanted)
    return {name: _marker(marker) for name, marker in found.items()}


@router.post("/v1/markers", auth=member_auth)
def set_markers(request):
    """`home[last_read_id]` and `notifications[last_read_id]` (form) or nested JSON; the
    notifications marker is what the unread badge counts from."""
    require_scope(request, "write:statuses", "write:notifications")
    data, _ = payload(request)
    result = {}
    for timeline in notices.MARKER_TIMELINES:
        value = data.get(f"{timeline}[last_read_id]")
        if isinstance(data.get(timeline), dict):
            value = data[timeline].get("last_read_id")
        if value is None:
            continue
        last = _int(value)
        if last is None:
            raise Invalid(BAD_LAST_READ, rule="P5")
        result[timeline] = _marker(
            notices.set_marker(member=request.auth, timeline=timeline, last_read_id=last)
        )
    if not result:
        raise Invalid(BAD_TIMELINE, rule="P5")
    return result


__all__ = ["router", "queries"]
