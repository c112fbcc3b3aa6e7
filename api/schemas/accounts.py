"""The Account entity: Mastodon's fields plus Linkwell's (headline, positions, connections...).

For other routers: `account_entities(members, viewer=...)` serialises a list in a constant
number of queries (members with their counts and profile, positions, and the viewer's
blocks), whatever its length; `account_entity(member, viewer=...)` is the one-member case.
Both read `membership.queries.visible_accounts`, which asks
`network.queries.visible_members`: a member hidden from the viewer is left out (or, for one
member, NotFound), and a signed-out reader gets the public card (S1, B1). No answer embeds
an account any other way. `Account` is the ninja schema to declare; this module only shapes.
"""

from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.templatetags.static import static
from django.utils.html import linebreaks
from ninja import Schema

from accounts.models import User
from api.schemas import iso
from membership.queries import own_account, visible_account, visible_accounts
from profiles.models import FollowersAllowed
from profiles.queries import ProfileView


class PositionOut(Schema):
    title: str
    company: str
    started_on: date | None  # null on the public card, which shows no dates (S1)
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
    kind: str = "member"  # or a page's: company, school (docs/pages.md)


class Source(Schema):
    note: str
    fields: list
    privacy: str
    sensitive: bool
    language: str
    follow_requests_count: int


class CredentialAccount(Account):
    source: Source


def _absolute(path: str) -> str:
    return path if path.startswith(("http://", "https://")) else f"{settings.SITE_URL}{path}"


def _serialise(view: ProfileView) -> dict:
    """Renders what `view` lets the viewer see; on the public card the hidden fields are
    empty and the counts 0 (the signed-out page shows none); the counts are `view.counts`,
    the kept ones as this viewer may see them (S5: docs/security.md, "Counts")."""
    member, profile = view.member, view.member.profile
    url = f"{settings.SITE_URL}/in/{member.username}/"
    avatar = _absolute(profile.avatar.url if profile.avatar else static("api/avatar-missing.png"))
    header = _absolute(static("api/header-missing.png"))
    counts = view.counts
    last_status = counts.last_post_at
    return {
        "id": str(member.pk),
        "username": member.username,
        "acct": member.username,
        "display_name": member.display_name,
        "locked": profile.followers_allowed == FollowersAllowed.CONNECTIONS,
        "bot": False,
        "discoverable": profile.discoverable,
        "indexable": False,
        "group": False,
        "created_at": iso(member.date_joined),
        "note": linebreaks(view.about, autoescape=True) if view.about else "",
        "url": url,
        "uri": url,
        "avatar": avatar,
        "avatar_static": avatar,
        "header": header,
        "header_static": header,
        "followers_count": counts.followers,
        "following_count": counts.following,
        "statuses_count": counts.posts,
        "last_status_at": last_status.date().isoformat() if last_status else None,
        "hide_collections": profile.connections_visible_to == "only_me",
        "noindex": False,
        "emojis": [],
        "fields": [],
        "roles": [],
        "headline": view.headline,
        "location": view.location,
        "industry": view.industry,
        "positions": [
            {
                "title": position.title,
                "company": position.company,
                "started_on": position.started_on,
                "ended_on": position.ended_on,
            }
            for position in view.positions
        ],
        "connections_count": counts.connections,
        "primary_action": profile.primary_action,
        "kind": "member",
    }


def account_entities(
    members: Iterable[User | int], *, viewer, blocked_as_card: bool = False
) -> list[dict]:
    """In the order given; members that no longer exist or that are hidden from `viewer`
    are left out. `blocked_as_card`: see `network.queries.visible_members`."""
    views = visible_accounts(viewer, list(members), blocked_as_card=blocked_as_card)
    return [_serialise(view) for view in views]


def account_entity(member: User | int | None, *, viewer, blocked_as_card: bool = False) -> dict:
    """NotFound (a 404) when the member is unknown or hidden from `viewer`."""
    return _serialise(visible_account(viewer, member, blocked_as_card=blocked_as_card))


def credential_account_entity(member: User) -> dict:
    """The signed-in member's own account, with Mastodon's `source` (the raw note)."""
    view = own_account(member)
    entity = _serialise(view)
    entity["source"] = {
        "note": view.member.profile.about,
        "fields": [],
        "privacy": "public",
        "sensitive": False,
        "language": view.member.profile.language,  # the interface language, "" unset
        "follow_requests_count": 0,
    }
    return entity


__all__ = [
    "Account",
    "CredentialAccount",
    "account_entities",
    "account_entity",
    "credential_account_entity",
]
