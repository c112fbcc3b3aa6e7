"""Reads that span areas: a member as the API's Account entity shows them.

The entity's counts come from three areas' tables (network's follows and connections, feed's
posts), so the read that gathers them lives above all three. Who may see which member is still
`network.queries.visible_members`' answer: these functions load, that one decides.
"""

from django.db.models import Count, IntegerField, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce

from accounts.models import User
from accounts.queries import MEMBER_NOT_FOUND
from core.errors import NotFound
from feed.models import Post
from network import queries as network
from network.models import Connection, Follow
from profiles.queries import ProfileView, current_first_positions


def _count(queryset, key: str):
    counted = queryset.order_by().values(key).annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def with_account_data(queryset):
    """Annotates what the entity needs, so a page of accounts costs two queries (the members
    with their counts and profile, then their positions)."""
    member = OuterRef("pk")
    return (
        queryset.select_related("profile")
        .annotate(
            entity_followers=_count(Follow.objects.filter(followee=member), "followee"),
            entity_following=_count(Follow.objects.filter(follower=member), "follower"),
            entity_statuses=_count(Post.objects.filter(author=member), "author"),
            entity_connections_a=_count(Connection.objects.filter(member_a=member), "member_a"),
            entity_connections_b=_count(Connection.objects.filter(member_b=member), "member_b"),
            entity_last_status=Subquery(
                Post.objects.filter(author=member)
                .order_by()
                .values("author")
                .annotate(last=Max("created_at"))
                .values("last")[:1]
            ),
        )
        .prefetch_related(current_first_positions())
    )


def visible_accounts(viewer, members, *, blocked_as_card: bool = False) -> list[ProfileView]:
    """Members (Users or ids) with their account data, in the order given, as `viewer` may
    see them: unknown ones and those hidden from the viewer are left out (B1, S1)."""
    ids = [member if isinstance(member, int) else member.pk for member in members]
    if not ids:
        return []
    loaded = {m.pk: m for m in with_account_data(User.objects.filter(pk__in=ids))}
    found = [loaded[pk] for pk in ids if pk in loaded]
    return network.visible_members(viewer, found, blocked_as_card=blocked_as_card)


def visible_account(viewer, member, *, blocked_as_card: bool = False) -> ProfileView:
    """One member as `visible_accounts`; NotFound when unknown or hidden from the viewer."""
    found = visible_accounts(
        viewer, [member] if member is not None else [], blocked_as_card=blocked_as_card
    )
    if not found:
        raise NotFound(MEMBER_NOT_FOUND)
    return found[0]


def own_account(member: User) -> ProfileView:
    """The signed-in member's own account, whole."""
    loaded = with_account_data(User.objects.filter(pk=member.pk)).get()
    return network.visible_member(member, member=loaded)
