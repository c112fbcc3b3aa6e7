"""Reads of the network, and the door every other area, web and api come through.

Who a viewer may see (`visible_member`, `visible_members`, B1 and S1's public card), what they
see of the graph (`Viewpoint`: D1 degrees, D2 mutuals, D3 paths, suggestions, all with D4's
blocks cut), relationships, lists (S5) and invitations. Every function costs a constant number
of queries whatever the number of members asked about. Nothing outside network imports the
loader or the Viewpoint's module: docs/architecture.md, "The doors".
"""

from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
from django.db import router
from django.db.models import (
    Count,
    DateTimeField,
    Exists,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
)
from django.db.models.functions import Cast
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts import queries as accounts_queries
from accounts.models import User
from accounts.queries import MEMBER_NOT_FOUND
from core.compiled import CompiledRead
from core.errors import NotFound
from core.lookups import Ids
from core.paging import CompiledPages, keyset_page
from core.union import union_all
from network.models import Block, Connection, Follow, Invitation, InvitationStatus
from network.viewpoint import Viewpoint
from profiles.models import ConnectionsVisibleTo
from profiles.queries import ProfileView, fresh_counts

CONNECTIONS_HIDDEN = _(
    "This member shows their connections only to themselves; you see the connections you share."
)
CONNECTIONS_FOR_CONNECTIONS = _(
    "This member shows their connections only to their connections; you see the connections "
    "you share."
)


@dataclass
class Relationship:
    """How the viewer stands with one member: Mastodon's fields plus connect and degree."""

    id: int
    following: bool = False
    followed_by: bool = False
    blocking: bool = False
    blocked_by: bool = False
    connected: bool = False
    invitation_sent: bool = False
    invitation_received: bool = False
    invitation_sent_id: int | None = None
    invitation_received_id: int | None = None
    degree: int | None = None
    mutual_connections_count: int = 0
    note: str = ""
    # Rows of the `also` parts, by kind (a higher area's facts, read in the same statement).
    facts: dict[str, "FactRow"] = field(default_factory=dict, repr=False, compare=False)
    # The Connection row itself (its words, A1) when connected: read with the rest, so the
    # profile's private panel reads it no second time. Not one of Mastodon's fields.
    connection: Connection | None = field(default=None, repr=False, compare=False)


def blocks_of(viewer) -> list[tuple[int, int]]:
    """(blocker, blocked) pairs involving the viewer, either way, in one query."""
    if viewer is None or not viewer.is_authenticated:
        return []
    return list(block_rows(viewer).values_list("blocker_id", "blocked_id"))


def block_rows(viewer) -> QuerySet:
    """The Block rows involving the viewer (a member or an id), either way (for a caller
    reading them in one statement with its own rows: the feed's Sight reads them with the
    viewer's mutes)."""
    pk = getattr(viewer, "pk", viewer)
    return Block.objects.filter(Q(blocker_id=pk) | Q(blocked_id=pk))


def hidden_for(viewer) -> frozenset[int]:
    """D4: members blocked by or blocking the viewer, in one query."""
    return frozenset(b if a == viewer.pk else a for a, b in blocks_of(viewer))


def is_blocked_between(a, b) -> bool:
    """B1: either blocked the other, so each is hidden from the other (profile 404)."""
    if a is None or b is None or not getattr(a, "is_authenticated", True):
        return False
    x, y = getattr(a, "pk", a), getattr(b, "pk", b)
    if x == y:
        return False  # no one blocks themselves: no query
    return Block.objects.filter(
        Q(blocker_id=x, blocked_id=y) | Q(blocker_id=y, blocked_id=x)
    ).exists()


def blocks_involving(viewer_id: int, member_ids) -> list[tuple[int, int]]:
    """(blocker, blocked) pairs between the viewer and any of `member_ids`, in one query,
    compiled once (behind every list of accounts: 1.6 ms of CPU a call through the ORM)."""
    found = _BLOCKS_INVOLVING.rows(router.db_for_read(Block), viewer_id, list(member_ids))
    return [(blocker, blocked) for blocker, blocked in found]


_BLOCKS_INVOLVING = CompiledRead(
    lambda me, ids: Block.objects.filter(
        Q(blocker_id=me, blocked_id__among=ids) | Q(blocked_id=me, blocker_id__among=ids)
    ).values_list("blocker_id", "blocked_id"),
    -1,
    Ids("member_ids"),
)


def blocked_by(blocker, member) -> bool:
    return Block.objects.filter(blocker=blocker, blocked=member).exists()


def is_connected(a, b) -> bool:
    x, y = sorted((getattr(a, "pk", a), getattr(b, "pk", b)))
    return bool(_CONNECTED.rows(router.db_for_read(Connection), x, y))


# Asked on every list and profile a member opens (S5's "connections may see"): compiled once.
_CONNECTED = CompiledRead(
    lambda x, y: Connection.objects.filter(member_a_id=x, member_b_id=y).values_list("pk")[:1],
    -1,
    -2,
)


# --- Who the viewer may see (S1, B1): the one read behind every page and entity ----------


def visible_members(
    viewer, members, *, blocked_as_card: bool = False, view: Viewpoint | None = None
) -> list[ProfileView]:
    """S1 and B1 for a list (Users, or ids loaded here with their profile), in its order, in
    at most one query (one more to load ids): a member blocked either way is left out, as are
    deactivated and unknown members; a signed-out reader (or an app without a member) gets
    the public card; any other signed-in member the whole profile.

    `blocked_as_card`: where the viewer acts on their own block (their block list, a report
    about a member they blocked), members the viewer blocked come as the public card; those
    who blocked the viewer stay out. `view`: the request's Viewpoint, whose blocks are then
    read instead of a query of their own."""
    found = [m for m in members if m is not None]
    ids = [m for m in found if isinstance(m, int)]
    if ids:
        loaded = accounts_queries.active_members(ids)
        found = [loaded.get(m) if isinstance(m, int) else m for m in found]
    found = [m for m in found if m is not None and m.is_active]
    seen = seen_in_full(viewer, [m.pk for m in found], blocked_as_card=blocked_as_card, view=view)
    me = viewer.pk if viewer is not None and viewer.is_authenticated else None
    return [ProfileView(m, full=seen[m.pk], own=m.pk == me) for m in found if m.pk in seen]


def seen_in_full(
    viewer, member_ids, *, blocked_as_card: bool = False, view: Viewpoint | None = None
) -> dict[int, bool]:
    """S1 and B1 for active members' ids, in at most one query: {id: True for the whole
    profile, False for the public card}; an id hidden from the viewer is left out. The one
    decision behind `visible_members` and the API's Account entities (loaded as plain rows)."""
    if viewer is None or not viewer.is_authenticated:
        return dict.fromkeys(member_ids, False)
    me = viewer.pk
    others = [pk for pk in member_ids if pk != me]
    if view is not None:  # the request's Viewpoint already holds them
        blocks = view.blocks
    elif others:
        blocks = blocks_involving(me, others)
    else:
        blocks = []
    viewer_blocked = {blocked for blocker, blocked in blocks if blocker == me}
    blocked_viewer = {blocker for blocker, blocked in blocks if blocked == me}
    seen = {}
    for pk in member_ids:
        if pk in viewer_blocked:
            if blocked_as_card:
                seen[pk] = False
        elif pk not in blocked_viewer:
            seen[pk] = True
    return seen


def visible_member(
    viewer,
    *,
    handle: str | None = None,
    pk: int | None = None,
    member: User | None = None,
    blocked_as_card: bool = False,
    view: Viewpoint | None = None,
) -> ProfileView:
    """The member (by handle in any case, by id, or already loaded) as this viewer may see
    them: the whole profile or the public card. NotFound, the same for an unknown, a
    deactivated and a blocked-either-way member, which every surface answers as its 404."""
    if member is None:
        member = accounts_queries.active_member(handle=handle, pk=pk)
    found = visible_members(viewer, [member], blocked_as_card=blocked_as_card, view=view)
    if not found:
        raise NotFound(MEMBER_NOT_FOUND)
    return found[0]


def member_to_block(*, handle: str | None = None, pk: int | None = None) -> User:
    """B1, B2: a member may block (or unblock) any active member, one who blocked them too, so
    their own block holds whatever the other does later; NotFound only when unknown."""
    return accounts_queries.active_member(handle=handle, pk=pk)


# --- How the viewer stands with members --------------------------------------------------


def relationship(viewer, member, *, view=None) -> Relationship:
    return relationships(viewer, [member], view=view)[0]


def relationships(
    viewer, members, *, view=None, omit_blocked_by=False, also=()
) -> list[Relationship]:
    """Two statements for any number of members: the facts in one (the viewer's blocks unless
    `view` holds them, follows both ways, connection rows, pending invitations both ways, and
    the `also` parts), and the index's event replay. Who may message whom is messaging's
    (`messaging.queries.can_message`). `also`: a higher area's rows about the same members,
    each a module-level function (viewer id, member ids) -> QuerySet shaped by `fact_rows`
    (kind, viewer, member, ...), read in the same statement and kept by kind on each
    Relationship's `facts`. `omit_blocked_by`: leave out members who blocked the viewer, as
    unknown ids are (B1)."""
    ids = [getattr(m, "pk", m) for m in members]
    result = {i: Relationship(id=i) for i in ids}
    if not ids or viewer is None or not viewer.is_authenticated:
        return [result[i] for i in ids]
    me = viewer.pk
    view = view or Viewpoint(viewer)
    rows = _fact_rows(me, ids, tuple(also), with_blocks=not view.blocks_read)
    blocks = None if view.blocks_read else []
    for row in map(FactRow._make, rows):
        if row.kind == "block":
            blocks.append((row.a, row.b))
            continue
        found = result.get(row.b)
        if found is None:
            continue
        if row.kind == "following":
            found.following = True
        elif row.kind == "followed_by":
            found.followed_by = True
        elif row.kind == "connection":
            a, b = sorted((row.a, row.b))
            found.connected = True
            found.connection = Connection(
                pk=row.n,
                member_a_id=a,
                member_b_id=b,
                invited_by_id=row.m,
                created_at=row.at,
                reason=row.t1,
                recipient_reason=row.t2,
                note=row.t3,
                recipient_note=row.t4,
            )
        elif row.kind == "sent":
            found.invitation_sent, found.invitation_sent_id = True, row.n
        elif row.kind == "received":
            if row.at is None:  # N3: an ignored invitation is gone for its recipient
                found.invitation_received, found.invitation_received_id = True, row.n
        else:
            found.facts[row.kind] = row
    if blocks is not None:
        view.blocks_were(blocks)
    for blocker, blocked in view.blocks:
        if blocker == me and blocked in result:
            result[blocked].blocking = True
        elif blocked == me and blocker in result:
            result[blocker].blocked_by = True
    hidden = view.hidden
    view.prime(ids)
    for member_id in ids:
        rel = result[member_id]
        rel.degree = view.degree(member_id)
        if member_id in hidden or member_id == me:
            rel.degree = None
            continue
        rel.mutual_connections_count = view.mutual_count(member_id)
    if omit_blocked_by:
        return [result[i] for i in ids if not result[i].blocked_by]
    return [result[i] for i in ids]


def _own_parts(me, ids, with_blocks: bool) -> list[QuerySet]:
    """network's parts of `relationships`' statement; every block of the viewer's when asked
    (D4 cuts paths through them too)."""
    parts = [
        fact_rows(
            Follow.objects.filter(follower_id=me, followee_id__among=ids),
            "following",
            a="follower_id",
            b="followee_id",
        ),
        fact_rows(
            Follow.objects.filter(followee_id=me, follower_id__among=ids),
            "followed_by",
            a="followee_id",
            b="follower_id",
        ),
        *(
            fact_rows(
                Connection.objects.filter(**{mine: me, f"{theirs}__among": ids}),
                "connection",
                a=mine,
                b=theirs,
                n="pk",
                m="invited_by_id",
                at="created_at",
                t1="reason",
                t2="recipient_reason",
                t3="note",
                t4="recipient_note",
            )
            for mine, theirs in (("member_a_id", "member_b_id"), ("member_b_id", "member_a_id"))
        ),
        *(
            fact_rows(
                Invitation.objects.filter(
                    **{mine: me, f"{theirs}__among": ids}, status=InvitationStatus.PENDING
                ),
                kind,
                a=mine,
                b=theirs,
                n="pk",
                at="ignored_at",
            )
            for kind, mine, theirs in (
                ("sent", "sender_id", "recipient_id"),
                ("received", "recipient_id", "sender_id"),
            )
        ),
    ]
    if with_blocks:
        parts.append(
            fact_rows(
                Block.objects.filter(Q(blocker_id=me) | Q(blocked_id=me)),
                "block",
                a="blocker_id",
                b="blocked_id",
            )
        )
    return parts


# The facts statement compiled once per shape (its parts, and blocks or not), the members'
# ids one parameter (`__among`): building and compiling its parts was most of the
# relationships endpoint's CPU, and psycopg parsing an IN list of each part's ids much of the
# rest (docs/benchmarks.md, "Relationships for 25 ids: CPU cut").
_FACT_READS: dict[tuple, CompiledRead] = {}
_ME, _IDS = -1, Ids("member_ids")


def _fact_rows(me: int, ids: list[int], also: tuple, *, with_blocks: bool) -> list:
    key = (also, with_blocks)
    read = _FACT_READS.get(key)
    if read is None:

        def build(viewer_id, member_ids):
            parts = [
                *_own_parts(viewer_id, member_ids, with_blocks),
                *(part(viewer_id, member_ids) for part in also),
            ]
            return parts[0].union(*parts[1:], all=True)

        read = _FACT_READS[key] = CompiledRead(build, _ME, _IDS, constants=True)
    return read.rows(router.db_for_read(Follow), me, ids)


class FactRow(NamedTuple):
    """One row of `relationships`' statement: its kind, the viewer (a) and the member (b),
    then what the kind's part put in each typed column (the rest NULL)."""

    kind: str
    a: int
    b: int
    n: int | None
    m: int | None
    at: object
    x: float | None
    y: float | None
    t1: str | None
    t2: str | None
    t3: str | None
    t4: str | None


FACT_COLUMNS = tuple(f"fact_{name}" for name in FactRow._fields[1:])
# The one shape of every row `relationships` reads: each column's NULL, cast to its type, made
# once (building the Fields anew for every part was a third of the statement's CPU).
_FACT_NULLS = {
    name: Cast(Value(None), output_field=output)
    for name, output in zip(
        FACT_COLUMNS,
        [IntegerField()] * 4 + [DateTimeField(), FloatField(), FloatField()] + [TextField()] * 4,
        strict=True,
    )
}
_KIND_FIELD = TextField()


def fact_rows(queryset: QuerySet, kind: str, **columns) -> QuerySet:
    """`queryset` as one part of `relationships`' statement, read back as `FactRow`s: each
    column (by FactRow's names) a field name or an expression given here, or a NULL cast to its
    type (PostgreSQL can't match an untyped NULL with a date across a UNION)."""
    shaped = {}
    for name in FACT_COLUMNS:
        given = columns.get(name[5:])
        shaped[name] = (
            _FACT_NULLS[name] if given is None else F(given) if isinstance(given, str) else given
        )
    return (
        queryset.order_by()
        .annotate(fact_kind=Value(kind, output_field=_KIND_FIELD), **shaped)
        .values_list("fact_kind", *FACT_COLUMNS)
    )


# --- Lists -------------------------------------------------------------------------------


def among_connections_of(member, field: str) -> Q:
    """`field` names one of the member's connections, as a filter: two indexed subqueries, one
    per column, without the accounts table between them (PostgreSQL read every member for a
    `pk IN (members whose id is in either column)`: 60 ms of a home page at 100,000 members,
    2.3 s of a leader's follower page at 1,000,000)."""
    pk = getattr(member, "pk", member)
    return Q(
        **{f"{field}__in": Connection.objects.filter(member_a_id=pk).values("member_b_id")}
    ) | Q(**{f"{field}__in": Connection.objects.filter(member_b_id=pk).values("member_a_id")})


def connected_to(member, field: str) -> Q:
    """`field` names one of the member's connections, as EXISTS on the pair's unique index:
    the planner may probe it per row of a page or hash the member's connections, where
    `among_connections_of` always reads all of them (a leader's 20,000 at 1M)."""
    pk = getattr(member, "pk", member)
    return Q(Exists(Connection.objects.filter(member_a_id=pk, member_b_id=OuterRef(field)))) | Q(
        Exists(Connection.objects.filter(member_a_id=OuterRef(field), member_b_id=pk))
    )


def can_see_connections_of(viewer, member) -> bool:
    """S5: the owner always; their connections unless the owner chose `only_me`."""
    if viewer is None or not viewer.is_authenticated:
        return False
    if viewer.pk == member.pk:
        return True
    if member.profile.connections_visible_to != ConnectionsVisibleTo.CONNECTIONS:
        return False
    return is_connected(viewer, member)


def connections_hidden_reason(member) -> str:
    if member.profile.connections_visible_to == ConnectionsVisibleTo.ONLY_ME:
        return CONNECTIONS_HIDDEN
    return CONNECTIONS_FOR_CONNECTIONS


def connections_of(member, viewer, *, search: str = "", order: str = "recent") -> tuple:
    """S5: (members with `connected_at`, whether the list is cut to the shared connections)."""
    pk = member.pk
    connected_at = Connection.objects.filter(
        Q(member_a_id=pk, member_b_id=OuterRef("pk"))
        | Q(member_b_id=pk, member_a_id=OuterRef("pk"))
    ).values("created_at")[:1]
    members = User.objects.filter(among_connections_of(pk, "pk")).annotate(
        connected_at=Subquery(connected_at)
    )
    only_shared = not can_see_connections_of(viewer, member)
    if only_shared:
        if viewer is None or not viewer.is_authenticated:
            members = members.none()
        else:
            members = members.filter(among_connections_of(viewer, "pk"))
    members = _visible_to(members, viewer)
    if search:
        members = members.filter(
            Q(display_name__icontains=search.strip()) | Q(username__icontains=search.strip())
        )
    if order == "name":
        members = members.order_by("display_name", "username", "pk")
    else:
        members = members.order_by(F("connected_at").desc(nulls_last=True), "-pk")
    return members.select_related("profile"), only_shared


def connection_page(
    member,
    viewer,
    *,
    limit: int,
    max_id: int | None = None,
    since_id: int | None = None,
    min_id: int | None = None,
    search: str = "",
) -> tuple[list[tuple[int, int, object]], bool]:
    """S5 and D4 as `connections_of`, one keyset page by the Connection's id, newest first:
    ([(connection id, member id, connected at)], whether the list is cut to the shared
    connections). A pair is stored once (member_a < member_b), so the member's connections
    are two index ranges, `(member_a, -id)` and `(member_b, -id)`, each read for one page and
    merged: two statements at any depth, whatever the list's length. `search` keeps the
    connections whose name or handle contains it (My Network's search box)."""
    pk = member.pk
    only_shared = not can_see_connections_of(viewer, member)
    signed_in = viewer is not None and viewer.is_authenticated
    if only_shared and not signed_in:
        return [], True
    found = []
    for side in ("member_a", "member_b"):
        if search.strip():
            rows = _connection_side(side, pk, viewer.pk if signed_in else None, only_shared)
            other = "member_b" if side == "member_a" else "member_a"
            rows = rows.filter(
                Q(**{f"{other}__display_name__icontains": search.strip()})
                | Q(**{f"{other}__username__icontains": search.strip()})
            )
            found += keyset_page(
                rows, "pk", limit=limit, max_id=max_id, since_id=since_id, min_id=min_id
            )
        else:
            found += _connection_side_page(
                side,
                pk,
                viewer.pk if signed_in else None,
                only_shared,
                limit,
                max_id,
                since_id,
                min_id,
            )
    if min_id is not None:  # the nearest newer ones, still shown newest first
        return sorted(found)[:limit][::-1], only_shared
    return sorted(found, reverse=True)[:limit], only_shared


def _connection_side(side: str, pk, viewer_pk, only_shared: bool) -> QuerySet:
    """The member's connections stored on one side of the pair, as (connection id, the other
    member's id, connected at), without the viewer's blocks either way (B1, D4), cut to the
    viewer's own connections when the list is hidden from them (S5)."""
    other = "member_b" if side == "member_a" else "member_a"
    rows = Connection.objects.filter(**{f"{side}_id": pk}).values_list(
        "pk", f"{other}_id", "created_at"
    )
    if only_shared:
        rows = rows.filter(among_connections_of(viewer_pk, f"{other}_id"))
    if viewer_pk is not None:
        rows = rows.exclude(
            **{f"{other}_id__in": Block.objects.filter(blocker_id=viewer_pk).values("blocked_id")}
        ).exclude(
            **{f"{other}_id__in": Block.objects.filter(blocked_id=viewer_pk).values("blocker_id")}
        )
    return rows


def _connection_rows(shape, member, viewer) -> QuerySet:
    side, only_shared, signed_in = shape
    return _connection_side(side, member, viewer if signed_in else None, only_shared)


# One side's page compiled once per shape (the side, S5's cut, a viewer or none, the limit,
# which cursors are given): the ORM building the two statements with their block
# subqueries was a third of a connections page's CPU (docs/benchmarks.md, "Compiled reads").
_CONNECTION_PAGES = CompiledPages(_connection_rows, "pk", arguments=2)


def _connection_side_page(
    side: str, pk, viewer_pk, only_shared: bool, limit: int, max_id, since_id, min_id
) -> list[tuple]:
    found = _CONNECTION_PAGES.page(
        router.db_for_read(Connection),
        (side, only_shared, viewer_pk is not None),
        pk,
        viewer_pk or 0,
        limit=limit,
        max_id=max_id,
        since_id=since_id,
        min_id=min_id,
    )
    return [tuple(row) for row in found]


def connections_by_name(
    member, viewer, *, limit: int, after: int | None = None, search: str = ""
) -> list[User]:
    """One page of `connections_of` sorted by name (display name, handle, id), by keyset
    after the member `after` (the last one shown): never an offset, so a page that follows
    a removed or added connection neither skips nor repeats anyone."""
    members, _ = connections_of(member, viewer, search=search, order="name")
    if after is not None:
        last = User.objects.filter(pk=after).values_list("display_name", "username").first()
        if last is not None:
            name, handle = last
            members = members.filter(
                Q(display_name__gt=name)
                | Q(display_name=name, username__gt=handle)
                | Q(display_name=name, username=handle, pk__gt=after)
            )
    return list(members[:limit])


def connection_count(member) -> int:
    """The kept count (N7's limit reads it in the locked transaction); counted only for a
    member whose counter row is missing."""
    kept = _kept(member)
    if kept is not None:
        return kept.connections
    return Connection.objects.filter(Q(member_a=member) | Q(member_b=member)).count()


def follower_count(member) -> int:
    """All of the member's followers (the fan-out's threshold), kept, not counted."""
    kept = _kept(member)
    if kept is not None:
        return kept.followers
    return Follow.objects.filter(followee_id=getattr(member, "pk", member)).count()


def _kept(member):
    return fresh_counts(getattr(member, "pk", member))


def counted_in_range(lo: int, hi: int) -> dict[int, dict[str, int]]:
    """Followers, following and connections counted from the rows for members with
    lo <= id < hi: four grouped statements, each on an index led by the member column."""
    found: dict[int, dict[str, int]] = {}

    def add(rows, key: str, field: str) -> None:
        grouped = (
            rows.filter(**{f"{key}__gte": lo, f"{key}__lt": hi})
            .order_by()
            .values_list(key)
            .annotate(n=Count("pk"))
        )
        for member_id, n in grouped:
            counts = found.setdefault(member_id, {})
            counts[field] = counts.get(field, 0) + n

    add(Follow.objects.all(), "followee_id", "followers")
    add(Follow.objects.all(), "follower_id", "following")
    add(Connection.objects.all(), "member_a_id", "connections")
    add(Connection.objects.all(), "member_b_id", "connections")
    return found


def _viewer_pk(viewer) -> int | None:
    """The signed-in viewer's id; None for a signed-out reader."""
    return viewer.pk if viewer is not None and viewer.is_authenticated else None


def _follows_cut(member, viewer) -> bool | None:
    """S5 for a follow list of `member`: None when the viewer may see none of it, True when
    the member's connections must be cut from it (`_follows_seen`), False when it is whole.
    A connection is also a follow both ways, so these lists would show the member's
    connections: the owner sees everything; others see nothing when the member chose
    `only_me` (Mastodon's hide_collections); under `connections`, a viewer who may see the
    connection list sees it all, anyone else only pure follows plus the connections they
    share with the member."""
    if _viewer_pk(viewer) == member.pk:
        return False
    if member.profile.connections_visible_to == ConnectionsVisibleTo.ONLY_ME:
        return None
    return not can_see_connections_of(viewer, member)


def _follows_seen(member_pk, viewer_pk, field: str, cut: bool) -> Q:
    """S5 and D4 as a filter on `field`, the column naming the other member: with `cut`, the
    member's connections are left out but those shared with the viewer; blocked members are
    left out both ways (D4). `viewer_pk` None: signed out."""
    seen = Q()
    if cut:
        hidden = connected_to(member_pk, field)
        if viewer_pk is not None:
            hidden &= ~connected_to(viewer_pk, field)
        seen &= ~hidden
    if viewer_pk is not None:
        seen &= ~Q(
            **{f"{field}__in": Block.objects.filter(blocker_id=viewer_pk).values("blocked_id")}
        )
        seen &= ~Q(
            **{f"{field}__in": Block.objects.filter(blocked_id=viewer_pk).values("blocker_id")}
        )
    return seen


def _follow_sides(direction: str) -> tuple[str, str]:
    """(the column naming the list's owner, the column naming the member listed)."""
    if direction == "followers":
        return "followee_id", "follower_id"
    if direction == "following":
        return "follower_id", "followee_id"
    raise ValueError(f"direction must be followers or following, not {direction!r}")


def follow_list(member, viewer, *, direction: str) -> QuerySet:
    """F2 with S5 and D4 (`_follows_seen`): `member`'s followers or following as members,
    newest follow first, annotated with the Follow id for paging (the owner's own pages)."""
    own, other = _follow_sides(direction)
    related = "following_set" if direction == "followers" else "follower_set"
    members = User.objects.filter(**{f"{related}__{own}": member.pk})
    members = members.annotate(follow_id=F(f"{related}__id"))
    cut = _follows_cut(member, viewer)
    if cut is None:
        return members.none()
    members = members.filter(_follows_seen(member.pk, _viewer_pk(viewer), "pk", cut))
    return members.order_by("-follow_id").select_related("profile")


def _follow_side(direction: str, member_pk, viewer_pk, cut: bool) -> QuerySet:
    """The same list as `follow_list`, as `(follow id, member id)` rows of the follow table
    alone, newest first: a keyset page (`core.paging`, key "id") is one range scan of the
    `(followee, -id)` or `(follower, -id)` index at any depth. Joined to the members, the
    planner read all 1,000,000 of them for a leader's followers: 1.5–3 s (benchmarks.md)."""
    own, other = _follow_sides(direction)
    rows = Follow.objects.filter(**{own: member_pk})
    rows = rows.filter(_follows_seen(member_pk, viewer_pk, other, cut))
    return rows.order_by("-id").values_list("id", other)


def _follow_rows(shape, member_pk, viewer_pk) -> QuerySet:
    direction, cut, signed_in = shape
    return _follow_side(direction, member_pk, viewer_pk if signed_in else None, cut)


# A follow list's page compiled once per shape (the direction, S5's cut, a viewer or none,
# the limit, which cursors are given), as the connection pages are: the ORM building it with
# its block and connection subqueries cost more CPU than the page's reads. EXISTS carries
# its own `SELECT 1 ... LIMIT 1`: the one number kept as it is.
_FOLLOW_PAGES = CompiledPages(_follow_rows, "id", arguments=2, numbers=(1,))


def follow_page(
    member, viewer, *, direction: str, limit: int, max_id=None, since_id=None, min_id=None
) -> list[tuple[int, int]]:
    """One keyset page of `member`'s followers or following as the viewer may see them (S5,
    D4: `_follows_cut`, `_follows_seen`), newest first (a `min_id` page too): (follow id,
    member id) pairs."""
    cut = _follows_cut(member, viewer)
    if cut is None:
        return []
    viewer_pk = _viewer_pk(viewer)
    found = _FOLLOW_PAGES.page(
        router.db_for_read(Follow),
        (direction, cut, viewer_pk is not None),
        member.pk,
        viewer_pk or 0,
        limit=limit,
        max_id=max_id,
        since_id=since_id,
        min_id=min_id,
    )
    return [(follow_id, member_id) for follow_id, member_id in found]


def may_see_connection(viewer, x, y, *, view=None) -> bool:
    """D3 with S5: whether the viewer may know that x and y are connected. Yes when the
    viewer is one of them, may see x's or y's connection list, or is connected to x or to y
    (that one is then a connection they share with the other, which S5 always shows)."""
    if viewer is None or not viewer.is_authenticated:
        return False
    x, y = getattr(x, "pk", x), getattr(y, "pk", y)
    if viewer.pk in (x, y):
        return True
    view = view or Viewpoint(viewer)
    if x in view.hidden or y in view.hidden:
        return False  # D4: nothing of a member blocked either way
    # S5 shows a list only to its owner and, at most, their connections, so "may see x's
    # list" is already covered by "is x or connected to x": no setting can add to this.
    return view.degree(x) == 1 or view.degree(y) == 1


# --- The graph as the viewer may see it (D1–D4) -------------------------------------------


def degrees_for(viewer, members, *, view: Viewpoint | None = None) -> list[int | None]:
    """D1 with D4: one batch call for a whole list of members."""
    view = view or Viewpoint(viewer)
    view.prime(members)
    return [view.degree(m) for m in members]


def mutuals_for(viewer, member, *, offset: int = 0, limit: int = 20, view=None):
    """D2 with D4: (count of shared connections, one page of their ids)."""
    return (view or Viewpoint(viewer)).mutuals(member, offset=offset, limit=limit)


def mutual_page(
    viewer,
    member,
    *,
    limit: int,
    max_id: int | None = None,
    since_id: int | None = None,
    min_id: int | None = None,
    view=None,
) -> tuple[int, list[int]]:
    """D2 with D4 by keyset on the member id, highest first, as every other list pages: the
    index intersects the two lists in memory whatever the page (bounded by N7's 30,000), so
    a deep page costs what the first does. (count, one page of ids)."""
    view = view or Viewpoint(viewer)
    count, ids = view.mutuals(member, offset=0, limit=max(view.mutual_count(member), 1))
    ids = [i for i in ids if (max_id is None or i < max_id) and (since_id is None or i > since_id)]
    if min_id is not None:
        return count, [i for i in ids if i > min_id][:limit][::-1]
    return count, ids[::-1][:limit]


def mutual_members(
    viewer, member, *, offset: int = 0, limit: int = 20, view=None
) -> tuple[int, list[User]]:
    """D2 with D4: the count and one page of the shared connections, with their profiles."""
    count, ids = mutuals_for(viewer, member, offset=offset, limit=limit, view=view)
    people = accounts_queries.members_by_id(ids)
    return count, [people[i] for i in ids if i in people]


def first_mutuals(viewer, member_ids, *, view=None) -> dict[int, User]:
    """D2 with D4 for a list: the first shared connection with each member (A2's "I see we
    both know Cat"), from the index, with one query for all the names."""
    view = view or Viewpoint(viewer)
    firsts = {}
    for member_id in member_ids:
        _count, ids = view.mutuals(member_id, limit=1)
        if ids:
            firsts[member_id] = ids[0]
    people = accounts_queries.members_by_id(list(firsts.values())) if firsts else {}
    return {member_id: people[i] for member_id, i in firsts.items() if i in people}


def suggestions_for(viewer, *, limit: int = 20, view=None) -> list[tuple[User, int]]:
    """People you may know, with their mutual count: 2nd-degree members, most mutual
    connections first, never a member blocked either way (D4)."""
    found = (view or Viewpoint(viewer)).suggestions(limit=limit)
    people = accounts_queries.members_by_id([member_id for member_id, _count in found])
    return [(people[i], count) for i, count in found if i in people and people[i].is_active]


@dataclass(frozen=True)
class Step:
    member_id: int
    member: User | None  # the User, when the viewer may see who this step is
    label: str  # a name, or "a connection of Sam" (D3)


def paths_for(viewer, member, *, limit: int = 3, view=None) -> list[list[Step]]:
    """D3: up to 3 shortest paths within 3 hops. A step between the two ends is named only
    where the viewer may see both connections beside it (`may_see_connection`), so a path
    never tells who is connected to whom beyond what S5 shows; on a 3-hop path the step next
    to the member always reads "a connection of <the step before>"."""
    view = view or Viewpoint(viewer)
    raw = view.paths(member, limit=limit)
    if not raw:
        return []
    people = accounts_queries.members_by_id({m for path in raw for m in path})
    return _named_paths(raw, people, view)


def mutuals_and_paths(
    viewer, member: User, *, mutual_limit: int = 3, path_limit: int = 3, view=None
) -> tuple[int, list[User], list[list[Step]]]:
    """D2 and D3 for one profile: the mutual count, the first `mutual_limit` mutual
    connections and the named paths (as `mutual_members` and `paths_for`), with one read of
    the members they name; the two ends are the viewer and `member`, already loaded."""
    view = view or Viewpoint(viewer)
    count, mutual_ids = view.mutuals(member, limit=mutual_limit)
    raw = view.paths(member, limit=path_limit)
    ends = {view.viewer.pk: view.viewer, member.pk: member} if view.viewer else {}
    wanted = (set(mutual_ids) | {m for path in raw for m in path}) - set(ends)
    people = {**accounts_queries.members_by_id(wanted), **ends} if wanted else ends
    mutuals = [people[i] for i in mutual_ids if i in people]
    return count, mutuals, _named_paths(raw, people, view)


def _named_paths(raw: list[list[int]], people: dict[int, User], view) -> list[list[Step]]:
    viewer = view.viewer
    result = []
    for path in raw:
        steps, last_named = [], None
        for position, member_id in enumerate(path):
            person = people.get(member_id)
            # The ends are the viewer and the member whose profile this is.
            named = person is not None and (
                position in (0, len(path) - 1)
                or (
                    may_see_connection(viewer, path[position - 1], member_id, view=view)
                    and may_see_connection(viewer, member_id, path[position + 1], view=view)
                )
            )
            if named:
                steps.append(Step(member_id, person, person.name))
                last_named = person
            else:
                name = last_named.name if last_named else gettext("your network")
                text = gettext("a connection of %(name)s") % {"name": name}
                steps.append(Step(member_id, None, text))
        result.append(steps)
    return result


# --- Invitations and blocks ----------------------------------------------------------------


def received_invitations(member) -> QuerySet:
    """N3: pending invitations the member hasn't ignored (ignored ones stay pending for the
    sender)."""
    return (
        Invitation.objects.filter(
            recipient=member, status=InvitationStatus.PENDING, ignored_at__isnull=True
        )
        .select_related("sender__profile")
        .order_by("-pk")
    )


def sent_invitations(member) -> QuerySet:
    return (
        Invitation.objects.filter(sender=member, status=InvitationStatus.PENDING)
        .select_related("recipient__profile")
        .order_by("-pk")
    )


def _pending_and_followed(pk):
    pending = Invitation.objects.filter(status=InvitationStatus.PENDING)
    parts = [
        pending.filter(sender_id=pk).annotate(tag=Value("i")).values_list("recipient_id", "tag"),
        pending.filter(recipient_id=pk).annotate(tag=Value("i")).values_list("sender_id", "tag"),
        Follow.objects.filter(follower_id=pk)
        .annotate(tag=Value("f"))
        .values_list("followee_id", "tag"),
    ]
    return parts[0].union(*parts[1:], all=True)


# Every People You May Know call: compiled once per database (docs/benchmarks.md, "search-cpu").
_PENDING_AND_FOLLOWED = CompiledRead(_pending_and_followed, _ME, constants=True)


def invited_and_followed(member) -> tuple[set[int], set[int]]:
    """(members with a pending invitation from or to `member`, ignored ones too: N3 keeps
    them pending; the members `member` follows) in one statement: People You May Know
    leaves out the first and, for a follow-first member (S2), the second."""
    pk = getattr(member, "pk", member)
    invited, followed = set(), set()
    for other, tag in _PENDING_AND_FOLLOWED.rows(router.db_for_read(Follow), pk):
        (invited if tag == "i" else followed).add(other)
    return invited, followed


def blocked_members(member) -> QuerySet:
    return Block.objects.filter(blocker=member).select_related("blocked").order_by("-pk")


def counts(member, *, received: list | None = None, sent: list | None = None) -> dict:
    """Counts for My Network: the kept connections, followers and following (the member's
    own, so nothing is hidden), and the pending invitations counted on their index.
    `received`, `sent`: the whole list (`received_invitations`, `sent_invitations`) when the
    page has read all of it already (a first page shorter than a page), counted in memory."""
    kept = visible_member(member, member=member).counts
    return {
        "connections": kept.connections,
        "followers": kept.followers,
        "following": kept.following,
        "received": len(received) if received is not None else received_invitations(member).count(),
        "sent": len(sent) if sent is not None else sent_invitations(member).count(),
    }


def _visible_to(members: QuerySet, viewer) -> QuerySet:
    """D4/B1: blocked or blocking members never show to the viewer."""
    if viewer is None or not viewer.is_authenticated:
        return members
    return members.exclude(
        pk__in=Block.objects.filter(blocker=viewer).values("blocked_id")
    ).exclude(pk__in=Block.objects.filter(blocked=viewer).values("blocker_id"))


# --- For the feed (issue 12): the ids it needs, through this one door --------------------


def followed_ids(member) -> QuerySet:
    """The ids `member` follows, as a subquery-friendly values queryset."""
    return Follow.objects.filter(follower_id=getattr(member, "pk", member)).values("followee_id")


def follower_ids(member) -> list[int]:
    return list(
        Follow.objects.filter(followee_id=getattr(member, "pk", member)).values_list(
            "follower_id", flat=True
        )
    )


def connection_id_list(member) -> list[int]:
    pk = getattr(member, "pk", member)
    pairs = Connection.objects.filter(Q(member_a_id=pk) | Q(member_b_id=pk)).values_list(
        "member_a_id", "member_b_id"
    )
    return [b if a == pk else a for a, b in pairs]


def followed_among(viewer, member_ids) -> set[int]:
    """Which of `member_ids` the viewer follows (F2; connections follow each other, N8)."""
    ids = list(set(member_ids))
    if viewer is None or not ids:
        return set()
    return set(
        Follow.objects.filter(follower_id=viewer.pk, followee_id__in=ids).values_list(
            "followee_id", flat=True
        )
    )


def connected_among(viewer, member_ids) -> set[int]:
    """Which of `member_ids` are the viewer's 1st-degree connections (P1), in one query."""
    ids = list(set(member_ids))
    if viewer is None or not ids:
        return set()
    me = viewer.pk
    pairs = Connection.objects.filter(
        Q(member_a_id=me, member_b_id__in=ids) | Q(member_b_id=me, member_a_id__in=ids)
    ).values_list("member_a_id", "member_b_id")
    return {b if a == me else a for a, b in pairs}


def followed_and_connected_among(viewer, member_ids) -> tuple[set[int], set[int]]:
    """(which of `member_ids` the viewer follows, which are the viewer's 1st-degree
    connections): `followed_among` and `connected_among` asked of the same members in one
    statement (the home feed asks both of every page's authors)."""
    ids = list(set(member_ids))
    if viewer is None or not ids:
        return set(), set()
    followed, connected = set(), set()
    for kind, other in _FOLLOWED_AND_CONNECTED.rows(router.db_for_read(Follow), viewer.pk, ids):
        (followed if kind == "f" else connected).add(other)
    return followed, connected


def _followed_and_connected(me, ids) -> QuerySet:
    follows = Follow.objects.filter(follower_id=me, followee_id__among=ids).annotate(
        kind=Value("f"), other=F("followee_id")
    )
    as_a = Connection.objects.filter(member_a_id=me, member_b_id__among=ids).annotate(
        kind=Value("c"), other=F("member_b_id")
    )
    as_b = Connection.objects.filter(member_b_id=me, member_a_id__among=ids).annotate(
        kind=Value("c"), other=F("member_a_id")
    )
    return union_all(("kind", "other"), follows, as_a, as_b)


# Every home feed page asks it of its authors: compiled once per database.
_FOLLOWED_AND_CONNECTED = CompiledRead(_followed_and_connected, _ME, _IDS, constants=True)


def connected_pairs(pairs) -> set[tuple[int, int]]:
    """Which of these (x, y) member pairs are connected, as (smaller id, larger id), in one
    query: S7's news checks that "X is now connected to Y" still holds."""
    wanted = {tuple(sorted((int(x), int(y)))) for x, y in pairs if x != y}
    if not wanted:
        return set()
    match = Q()
    for a, b in wanted:
        match |= Q(member_a_id=a, member_b_id=b)
    return set(Connection.objects.filter(match).values_list("member_a_id", "member_b_id"))


# --- A member's own network, for their export (issue 17, X2) ------------------------------


def own_connections(member) -> list[tuple[int, object]]:
    """(the other member's id, when connected) for each of the member's own connections:
    their own list, which S5 never hides from them."""
    pk = member.pk
    rows = Connection.objects.filter(Q(member_a_id=pk) | Q(member_b_id=pk)).order_by("created_at")
    return [
        (b if a == pk else a, at)
        for a, b, at in rows.values_list("member_a_id", "member_b_id", "created_at")
    ]


def own_invitations(member) -> list[Invitation]:
    """Every invitation the member sent or received, any status: both ends saw its note."""
    return list(
        Invitation.objects.filter(Q(sender=member) | Q(recipient=member))
        .select_related("sender", "recipient")
        .order_by("created_at", "pk")
    )


def indexed_connections(viewer, *, view: Viewpoint | None = None) -> np.ndarray:
    """The viewer's connections as the graph index holds them, ascending member ids, blocks
    either way cut (D4): pages' "N of your connections work here" meets these with a page's
    members in memory instead of a join over the connection table."""
    if viewer is None or not viewer.is_authenticated:
        return np.empty(0, dtype=np.int64)
    view = view or Viewpoint(viewer)
    found = np.sort(view.index.connections_of(viewer.pk))
    if view.hidden:
        found = found[~np.isin(found, np.fromiter(view.hidden, dtype=np.int64))]
    return found


def connection_between(viewer, member, *, relationship: Relationship | None = None):
    """A1: the connection of two members (its reason and notes), None when not connected or
    blocked either way; what both of them see of why they connected. `relationship`: the
    viewer's with the member, already read (the profile page), which holds the answer."""
    if relationship is not None:
        hidden = relationship.blocking or relationship.blocked_by
        return None if hidden else relationship.connection
    a, b = sorted((getattr(viewer, "pk", viewer), getattr(member, "pk", member)))
    if is_blocked_between(a, b):
        return None
    return Connection.objects.filter(member_a_id=a, member_b_id=b).first()


def connections_since(member, after) -> list[tuple[int, object]]:
    """A2: (member id, connected at) for the member's connections made after `after`: two
    index ranges, each cut by the moment (no list of every connection)."""
    pk = getattr(member, "pk", member)
    return list(
        Connection.objects.filter(member_a_id=pk, created_at__gt=after).values_list(
            "member_b_id", "created_at"
        )
    ) + list(
        Connection.objects.filter(member_b_id=pk, created_at__gt=after).values_list(
            "member_a_id", "created_at"
        )
    )


def connections_among(viewer, member_ids) -> dict:
    """The viewer's Connection rows with each of `member_ids` (A1's words), one query."""
    me = getattr(viewer, "pk", viewer)
    ids = list(member_ids)
    rows = Connection.objects.filter(
        Q(member_a_id=me, member_b_id__in=ids) | Q(member_b_id=me, member_a_id__in=ids)
    )
    return {(c.member_b_id if c.member_a_id == me else c.member_a_id): c for c in rows}
