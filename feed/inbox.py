"""P5's read side: which notifications a member sees, and what each is about.

notifications/ stores plain ids; this is the one door that turns them into something to
show. A notification is left out when its actor is hidden from the recipient (blocks both
ways, B1/D4), muted (unless the mute spares notifications), or when the post it is about is
gone or no longer visible to the recipient (feed.queries.visible_posts). Reactions group per
post ("Dana and 12 others reacted to your post"). A notice about the member's own thing
(`notifications.models.OWN`: their data export is ready) has them as its actor; what it is
about belongs to an area above this one, so web and API attach it (`Notice.subject`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from accounts.models import User
from feed import queries
from feed.models import Post
from notifications import queries as inbox_queries
from notifications.models import Kind, Notification

POST_KINDS = {Kind.MENTION, Kind.COMMENT, Kind.REPLY, Kind.REACTION, Kind.REPOST}


@dataclass
class Notice:
    notification: Notification
    actor: User
    post: Post | None = None
    subject: object | None = None  # attached above: the export of an export_ready notice


@dataclass
class NoticeGroup:
    key: str
    kind: str
    notices: list[Notice] = field(default_factory=list)
    unread: bool = False

    @property
    def latest(self) -> Notice:
        return self.notices[0]

    @property
    def actors(self) -> list[User]:
        return list({n.actor.pk: n.actor for n in self.notices}.values())

    @property
    def others(self) -> int:
        return len(self.actors) - 1


def _muted_for_notifications(viewer) -> set[int]:
    return set(
        queries.mutes_in_force(viewer).filter(notifications=True).values_list("muted_id", flat=True)
    )


def _resolve(viewer, rows: list[Notification], sight) -> list[Notice]:
    actors = User.objects.select_related("profile").in_bulk({n.actor_id for n in rows})
    post_ids = {n.subject_id for n in rows if n.kind in POST_KINDS}
    posts = {}
    if post_ids:
        candidates = queries.with_context(Post.objects.filter(pk__in=post_ids))
        seen = queries.visible_posts(viewer, candidates, sight=sight)
        posts = {p.pk: p for p in queries.filtered(viewer, "notifications", seen)}
        queries.decorate(viewer, list(posts.values()), sight=sight)
    result = []
    for n in rows:
        actor = actors.get(n.actor_id)
        if actor is None:
            continue
        post = posts.get(n.subject_id) if n.kind in POST_KINDS else None
        if n.kind in POST_KINDS and post is None:
            continue
        result.append(Notice(n, actor, post))
    return result


def _base(viewer, sight, types=None, exclude_types=None):
    sight = sight or queries.Sight(viewer)
    hidden = set(sight.hidden) | _muted_for_notifications(viewer)
    rows = inbox_queries.inbox(
        viewer, kinds=types, exclude_kinds=exclude_types, exclude_actor_ids=hidden
    )
    return rows, sight


def notices(
    viewer,
    *,
    types=None,
    exclude_types=None,
    max_id=None,
    since_id=None,
    min_id=None,
    limit: int = 40,
    sight=None,
) -> tuple[list[Notice], int | None]:
    """(notices newest first, the id to continue below or None): keyset paging by id."""
    rows, sight = _base(viewer, sight, types, exclude_types)
    if max_id is not None:
        rows = rows.filter(pk__lt=max_id)
    if since_id is not None:
        rows = rows.filter(pk__gt=since_id)
    if min_id is not None:
        batch = list(rows.filter(pk__gt=min_id).order_by("id")[: limit * 2])
        found = _resolve(viewer, batch, sight)[:limit]
        found.reverse()
        return found, (found[-1].notification.pk if found else None)
    batch = list(rows[: limit * 2])
    found = _resolve(viewer, batch, sight)[:limit]
    if len(found) == limit:
        return found, found[-1].notification.pk
    if len(batch) == limit * 2:
        return found, batch[-1].pk
    return found, None


def notice(viewer, notification_id: int, *, sight=None) -> Notice:
    from core.errors import NotFound

    rows, sight = _base(viewer, sight)
    found = _resolve(viewer, list(rows.filter(pk=notification_id)), sight)
    if not found:
        raise NotFound(queries.POST_NOT_FOUND, rule="P5")
    return found[0]


def groups(
    viewer, *, limit: int = 40, max_id=None, types=None, exclude_types=None, sight=None
) -> tuple[list[NoticeGroup], int | None]:
    """Grouped: reactions, reposts and follows about the same thing are one group, newest
    first; unread first is the page's business (it knows the marker)."""
    found, next_max = notices(
        viewer,
        limit=limit * 3,
        max_id=max_id,
        types=types,
        exclude_types=exclude_types,
        sight=sight,
    )
    last_read = inbox_queries.last_read_id(viewer)
    grouped: dict[str, NoticeGroup] = {}
    for item in found:
        n = item.notification
        group = grouped.get(n.group_key)
        if group is None:
            if len(grouped) >= limit:
                next_max = n.pk + 1
                break
            group = grouped[n.group_key] = NoticeGroup(key=n.group_key, kind=n.kind)
        group.notices.append(item)
        group.unread = group.unread or n.pk > last_read
    return list(grouped.values()), next_max


def unread_count(viewer) -> int:
    """The top bar's badge: notifications newer than the reading marker, hidden ones left out."""
    if viewer is None or not viewer.is_authenticated:
        return 0
    last_read = inbox_queries.last_read_id(viewer)
    rows, _ = _base(viewer, None)
    return rows.filter(pk__gt=last_read).count()
