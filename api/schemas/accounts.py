"""The Account entity: Mastodon's fields plus Linkwell's (headline, positions, connections...).

For other routers: `account_entities(members, viewer=...)` serialises a list in a constant
number of queries (members with their counts and profile, positions, and the viewer's
blocks), whatever its length; `account_entity(member, viewer=...)` is the one-member case.
Both read `membership.queries.visible_accounts` (plain rows), which asks
`network.queries.seen_in_full`: a member hidden from the viewer is left out (or, for one
member, NotFound), and a signed-out reader gets the public card (S1, B1). No answer embeds
an account any other way. `Account` is the ninja schema to declare; this module only shapes.
`entities_answer` sends a page of them as JSON without ninja's per-field validation.
"""

import json
from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.http import HttpResponse
from django.templatetags.static import static
from django.utils.html import linebreaks
from ninja import Schema

from accounts.models import User
from api.schemas import absolute, iso
from membership.queries import own_account, visible_account, visible_accounts
from profiles.models import FollowersAllowed, Profile
from profiles.queries import AccountRecord


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


_avatars = Profile._meta.get_field("avatar").storage


def _serialiser():
    """A function from AccountRecord to the entity, with what every entity shares (the site's
    URL, the placeholder images) worked out once per answer, not once per account."""
    site = settings.SITE_URL
    missing_avatar = absolute(static("api/avatar-missing.png"))
    header = absolute(static("api/header-missing.png"))
    connections_only = FollowersAllowed.CONNECTIONS

    def entity(record: AccountRecord) -> dict:
        """What `record` lets its reader see: on the public card the hidden fields are empty
        and the counts 0 (the signed-out page shows none); the counts are the kept ones as
        this reader may see them (S5: docs/security.md, "Counts")."""
        url = f"{site}/in/{record.username}/"
        avatar = absolute(_avatars.url(record.avatar)) if record.avatar else missing_avatar
        counts = record.counts
        last_status = counts.last_post_at
        return {
            "id": str(record.id),
            "username": record.username,
            "acct": record.username,
            "display_name": record.display_name,
            "locked": record.followers_allowed == connections_only,
            "bot": False,
            "discoverable": record.discoverable,
            "indexable": False,
            "group": False,
            "created_at": iso(record.date_joined),
            "note": linebreaks(record.about, autoescape=True) if record.about else "",
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
            "hide_collections": record.connections_visible_to == "only_me",
            "noindex": False,
            "emojis": [],
            "fields": [],
            "roles": [],
            "headline": record.headline,
            "location": record.location,
            "industry": record.industry,
            "positions": [
                {
                    "title": position.title,
                    "company": position.company,
                    "started_on": _day(position.started_on),
                    "ended_on": _day(position.ended_on),
                }
                for position in record.positions
            ],
            "connections_count": counts.connections,
            "primary_action": record.primary_action,
            "kind": "member",
        }

    return entity


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def account_entities(
    members: Iterable[User | int], *, viewer, blocked_as_card: bool = False, view=None
) -> list[dict]:
    """In the order given; members that no longer exist or that are hidden from `viewer`
    are left out. `blocked_as_card`: see `network.queries.visible_members`; `view`: what
    already holds the viewer's blocks (a Viewpoint, or the feed's Sight), read instead."""
    records = visible_accounts(viewer, list(members), blocked_as_card=blocked_as_card, view=view)
    entity = _serialiser()
    return [entity(record) for record in records]


def account_entity(member: User | int | None, *, viewer, blocked_as_card: bool = False) -> dict:
    """NotFound (a 404) when the member is unknown or hidden from `viewer`."""
    record = visible_account(viewer, member, blocked_as_card=blocked_as_card)
    return _serialiser()(record)


def credential_account_entity(member: User) -> dict:
    """The signed-in member's own account, with Mastodon's `source` (the raw note)."""
    record = own_account(member)
    entity = _serialiser()(record)
    entity["source"] = {
        "note": record.about,
        "fields": [],
        "privacy": "public",
        "sensitive": False,
        "language": record.language,  # the interface language, "" unset
        "follow_requests_count": 0,
    }
    return entity


def entities_answer(entities: list, link: str = "", **headers) -> HttpResponse:
    """A list of entities as JSON, straight: django-ninja's validation of the declared
    `list[Account]` (or `list[Relationship]`) wraps every field of every entity (a third of
    a 40-account page's time, a quarter of `relationships`' CPU); these dicts are built by
    one function each, whose shape tests check against the schema. `link`: Mastodon's Link
    header."""
    response = HttpResponse(json.dumps(entities), content_type="application/json")
    if link:
        response["Link"] = link
    for name, value in headers.items():
        response[name] = value
    return response


__all__ = [
    "Account",
    "CredentialAccount",
    "account_entities",
    "account_entity",
    "entities_answer",
    "credential_account_entity",
]
