"""The Account entity: Mastodon's fields plus Linkwell's (headline, positions, connections...).

For other routers: `account_entities(members)` serialises a list in a constant number of
queries (one for members with their counts and profile, one for positions), whatever its
length; `account_entity(member)` is the one-member case. `Account` is the ninja schema to
declare as a response.
"""

from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.db.models import Count, F, IntegerField, Max, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.templatetags.static import static
from django.utils.html import linebreaks
from ninja import Schema

from accounts.models import User
from api.schemas import iso
from feed.models import Post
from network.models import Connection, Follow
from profiles.models import FollowersAllowed, Position


class PositionOut(Schema):
    title: str
    company: str
    started_on: date
    ended_on: date | None


class Account(Schema):
    id: str
    username: str
    acct: str
    display_name: str
    locked: bool
    bot: bool
    discoverable: bool
    indexable: bool
    group: bool
    created_at: str
    note: str
    url: str
    uri: str
    avatar: str
    avatar_static: str
    header: str
    header_static: str
    followers_count: int
    following_count: int
    statuses_count: int
    last_status_at: str | None
    hide_collections: bool
    noindex: bool
    emojis: list
    fields: list
    roles: list
    # Linkwell's own
    headline: str
    location: str
    industry: str
    positions: list[PositionOut]
    connections_count: int
    primary_action: str


class Source(Schema):
    note: str
    fields: list
    privacy: str
    sensitive: bool
    language: str
    follow_requests_count: int


class CredentialAccount(Account):
    source: Source


def _count(queryset, key: str):
    counted = queryset.order_by().values(key).annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def with_account_data(queryset):
    """Annotates what the entity needs, so a page of accounts costs two queries."""
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
        .prefetch_related(
            Prefetch(
                "positions",
                queryset=Position.objects.order_by(
                    F("ended_on").desc(nulls_first=True), "-started_on", "-id"
                ),
                to_attr="entity_positions",
            )
        )
    )


def _absolute(path: str) -> str:
    return path if path.startswith(("http://", "https://")) else f"{settings.SITE_URL}{path}"


def _serialise(member: User) -> dict:
    profile = member.profile
    url = f"{settings.SITE_URL}/in/{member.username}/"
    avatar = _absolute(profile.avatar.url if profile.avatar else static("api/avatar-missing.png"))
    header = _absolute(static("api/header-missing.png"))
    last_status = member.entity_last_status
    return {
        "id": str(member.pk),
        "username": member.username,
        "acct": member.username,
        "display_name": member.display_name,
        "locked": profile.followers_allowed == FollowersAllowed.CONNECTIONS,
        "bot": False,
        "discoverable": True,
        "indexable": False,
        "group": False,
        "created_at": iso(member.date_joined),
        "note": linebreaks(profile.about, autoescape=True) if profile.about else "",
        "url": url,
        "uri": url,
        "avatar": avatar,
        "avatar_static": avatar,
        "header": header,
        "header_static": header,
        "followers_count": member.entity_followers,
        "following_count": member.entity_following,
        "statuses_count": member.entity_statuses,
        "last_status_at": last_status.date().isoformat() if last_status else None,
        "hide_collections": profile.connections_visible_to == "only_me",
        "noindex": False,
        "emojis": [],
        "fields": [],
        "roles": [],
        "headline": profile.headline,
        "location": profile.location,
        "industry": profile.industry,
        "positions": [
            {
                "title": position.title,
                "company": position.company,
                "started_on": position.started_on,
                "ended_on": position.ended_on,
            }
            for position in member.entity_positions
        ],
        "connections_count": member.entity_connections_a + member.entity_connections_b,
        "primary_action": profile.primary_action,
    }


def account_entities(members: Iterable[User | int]) -> list[dict]:
    """In the order given; members that no longer exist are left out."""
    ids = [member if isinstance(member, int) else member.pk for member in members]
    if not ids:
        return []
    loaded = {m.pk: m for m in with_account_data(User.objects.filter(pk__in=ids))}
    return [_serialise(loaded[pk]) for pk in ids if pk in loaded]


def account_entity(member: User | int) -> dict:
    entities = account_entities([member])
    if not entities:
        raise User.DoesNotExist
    return entities[0]


def credential_account_entity(member: User) -> dict:
    """The signed-in member's own account, with Mastodon's `source` (the raw note)."""
    loaded = with_account_data(User.objects.filter(pk=member.pk)).get()
    entity = _serialise(loaded)
    entity["source"] = {
        "note": loaded.profile.about,
        "fields": [],
        "privacy": "public",
        "sensitive": False,
        "language": "",
        "follow_requests_count": 0,
    }
    return entity


__all__ = [
    "Account",
    "CredentialAccount",
    "account_entities",
    "account_entity",
    "credential_account_entity",
    "with_account_data",
]
