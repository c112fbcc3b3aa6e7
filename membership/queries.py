"""Reads that span areas: a member as the API's Account entity and the profile page show them.

The counts are the kept ones (`profiles.MemberCounts`, changed by network's and feed's
writes), read with the member, never counted at read time; `ProfileView.counts` decides what a
reader sees of them. Who may see which member is still `network.queries.visible_members`'
answer: these functions load, that one decides.
"""

from accounts.models import User
from accounts.queries import MEMBER_NOT_FOUND
from core.errors import NotFound
from membership import services
from network import queries as network
from profiles.queries import ProfileView, current_first_positions, kept_counts


def with_account_data(queryset):
    """What the entity needs, so a page of accounts costs two queries (the members with
    their profile and counts, then their positions)."""
    return queryset.select_related("profile", "counts").prefetch_related(current_first_positions())


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


def visible_accounts(viewer, members, *, blocked_as_card: bool = False) -> list[ProfileView]:
    """Members (Users or ids) with their account data, in the order given, as `viewer` may
    see them: unknown ones and those hidden from the viewer are left out (B1, S1)."""
    ids = [member if isinstance(member, int) else member.pk for member in members]
    if not ids:
        return []
    loaded = {m.pk: m for m in with_account_data(User.objects.filter(pk__in=ids))}
    found = _with_counts([loaded[pk] for pk in ids if pk in loaded])
    return network.visible_members(viewer, found, blocked_as_card=blocked_as_card)


def visible_account(viewer, member, *, blocked_as_card: bool = False) -> ProfileView:
    """One member as `visible_accounts`; NotFound when unknown or hidden from the viewer."""
    found = visible_accounts(
        viewer, [member] if member is not None else [], blocked_as_card=blocked_as_card
    )
    if not found:
        raise NotFound(MEMBER_NOT_FOUND)
    return found[0]


def visible_profile(viewer, *, handle: str | None = None, member=None, view=None) -> ProfileView:
    """The profile page's member (by handle, any case, or already loaded) as
    `visible_account` gives the API's: the same door, with the same kept counts."""
    found = network.visible_member(viewer, handle=handle, member=member, view=view)
    _with_counts([found.member])
    return found


def own_account(member: User) -> ProfileView:
    """The signed-in member's own account, whole."""
    loaded = _with_counts([with_account_data(User.objects.filter(pk=member.pk)).get()])[0]
    return network.visible_member(member, member=loaded)
