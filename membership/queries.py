"""Reads that span areas: a member as the API's Account entity and the profile page show them.

The counts are the kept ones (`profiles.MemberCounts`, changed by network's and feed's
writes), read with the member, never counted at read time; `profiles.queries.counts_seen`
decides what a reader sees of them (for a ProfileView and an AccountRecord alike). Who may
see which member is `network.queries.seen_in_full`'s answer (behind `visible_members`):
these functions load, that one decides.
"""

from django.db import router
from django.db.models import F

from accounts import queries as accounts_queries
from accounts.models import User
from accounts.queries import MEMBER_NOT_FOUND
from core.compiled import CompiledRead
from core.errors import NotFound
from core.lookups import Ids
from membership import services
from network import queries as network
from profiles.models import MemberCounts, Position
from profiles.queries import (
    AccountRecord,
    PositionLine,
    ProfileView,
    kept_counts,
)


def _with_counts(members: list[User]) -> list[User]:
    """A member without a counter row (loaded in bulk, past the services) is counted from
    the rows now, once: a repair, so no reader ever sees counts that were never kept."""
    missing = [m.pk for m in members if kept_counts(m) is None]
    if not missing:
        return members
    services.recount(member_ids=missing)
    fresh = {m.pk: m for m in User.objects.filter(pk__in=missing).select_related("counts")}
    for member in members:
        if member.pk in fresh:
            member.counts = fresh[member.pk].counts
    return members


# The member's and profile's columns an AccountRecord holds, then the kept counts' five.
_MEMBER_COLUMNS = {
    "id": "pk",
    "username": "username",
    "display_name": "display_name",
    "date_joined": "date_joined",
    "avatar": "profile__avatar",
    "headline": "profile__headline",
    "location": "profile__location",
    "industry": "profile__industry",
    "about": "profile__about",
    "followers_allowed": "profile__followers_allowed",
    "primary_action": "profile__primary_action",
    "connections_visible_to": "profile__connections_visible_to",
    "language": "profile__language",
    "discoverable": "profile__discoverable",
}
_COUNT_COLUMNS = ("followers", "following", "connections", "posts", "last_post_at")


class _Kept:
    """The five kept counts of one member, as read with them (a counter row's fields)."""

    __slots__ = _COUNT_COLUMNS

    def __init__(self, values):
        for name, value in zip(_COUNT_COLUMNS, values, strict=True):
            setattr(self, name, value)


# The two statements of every list of accounts, compiled once (core/compiled.py), the ids one
# parameter: the ORM building them was half of `visible_accounts`' CPU (docs/benchmarks.md,
# "Compiled reads").
_ACCOUNT_ROWS = CompiledRead(
    lambda ids: User.objects.filter(pk__among=ids, is_active=True).values_list(
        *_MEMBER_COLUMNS.values(), *(f"counts__{c}" for c in _COUNT_COLUMNS)
    ),
    Ids("member_ids"),
    constants=True,
)
_POSITION_ROWS = CompiledRead(
    lambda ids: (
        Position.objects.filter(member_id__among=ids)
        .order_by(F("ended_on").desc(nulls_first=True), "-started_on", "-id")
        .values_list("member_id", "id", "title", "company", "started_on", "ended_on")
    ),
    Ids("member_ids"),
)


def visible_accounts(
    viewer, members, *, blocked_as_card: bool = False, view=None
) -> list[AccountRecord]:
    """Members (Users or ids), in the order given, as `viewer` may see them (S1, B1, S5's
    counts): unknown, deactivated and hidden ones are left out. Three queries for any
    number (the members with profile and counts, their positions, the viewer's blocks with
    them: none with `view`), read as plain rows, not model objects: a page of 40 accounts
    was 35–58 ms of Python at 100,000 members (docs/benchmarks.md, "Accounts and lists")."""
    ids = list(dict.fromkeys(m if isinstance(m, int) else m.pk for m in members))
    if not ids:
        return []
    width = len(_MEMBER_COLUMNS)
    rows = {row[0]: row for row in _ACCOUNT_ROWS.rows(router.db_for_read(User), ids)}
    seen = network.seen_in_full(
        viewer, [pk for pk in ids if pk in rows], blocked_as_card=blocked_as_card, view=view
    )
    if not seen:
        return []
    missing = [pk for pk in seen if rows[pk][width] is None]
    kept = {pk: _Kept(rows[pk][width:]) for pk in seen if pk not in missing}
    if missing:  # loaded past the services: counted from the rows now, once (a repair)
        services.recount(member_ids=missing)
        for counter in MemberCounts.objects.filter(pk__in=missing):
            kept[counter.pk] = counter
    positions: dict[int, list[PositionLine]] = {pk: [] for pk in seen}
    lines = _POSITION_ROWS.rows(router.db_for_read(Position), list(seen))
    for member_id, pk, title, company, started_on, ended_on in lines:
        positions[member_id].append(PositionLine(title, company, started_on, ended_on, pk=pk))
    me = viewer.pk if viewer is not None and viewer.is_authenticated else None
    records = []
    for pk, full in seen.items():
        row = dict(zip(_MEMBER_COLUMNS, rows[pk], strict=False))
        for name, value in row.items():
            if value is None and name != "date_joined":  # a member without a profile row
                row[name] = ""
        records.append(AccountRecord.of(row, positions[pk], kept[pk], full=full, own=pk == me))
    return records


def visible_account(viewer, member, *, blocked_as_card: bool = False) -> AccountRecord:
    """One member as `visible_accounts`; NotFound when unknown or hidden from the viewer."""
    found = visible_accounts(
        viewer, [member] if member is not None else [], blocked_as_card=blocked_as_card
    )
    if not found:
        raise NotFound(MEMBER_NOT_FOUND)
    return found[0]


def visible_profile(viewer, *, handle: str | None = None, member=None, view=None) -> ProfileView:
    """The profile page's member (by handle, any case, or already loaded) as
    `visible_account` gives the API's: the same door, with the same kept counts (read with
    the member, one statement)."""
    if member is None:
        member = accounts_queries.active_member(handle=handle, related=("counts",))
    found = network.visible_member(viewer, member=member, view=view)
    _with_counts([found.member])
    return found


def own_account(member: User) -> AccountRecord:
    """The signed-in member's own account, whole."""
    return visible_account(member, member.pk)
