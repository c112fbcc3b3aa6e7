"""A page as a Mastodon account (`group: false`, `bot: false`, Linkwell's `kind`), so clients
view it, follow it and read its statuses with the account endpoints, and the Page entity of
the `/api/v1/pages` extensions (docs/api.md). Only shapes what pages.queries returned."""

from django.conf import settings
from django.templatetags.static import static
from django.utils.html import linebreaks
from ninja import Schema

from api.schemas import absolute, iso
from api.schemas.accounts import Account, account_entities
from pages import queries
from pages.models import Page


class ConnectionsHereOut(Schema):
    count: int
    accounts: list[Account]


class PageOut(Account):
    slug: str
    tagline: str
    website: str
    size_band: str
    headquarters: str
    locations: list[str]
    claimed: bool
    following: bool
    admin: bool
    logo: str | None
    cover: str | None
    connections_here: ConnectionsHereOut | None


class FacetValue(Schema):
    value: str
    count: int


class AlumniOut(Schema):
    total: int
    facets: dict[str, list[FacetValue]]
    accounts: list[Account]


def page_account_entity(page: Page) -> dict:
    """The page as an Account: what anyone may see of a page is public."""
    url = f"{settings.SITE_URL}{page.path}"
    avatar = absolute(page.logo.url if page.logo else static("api/avatar-missing.png"))
    header = absolute(page.cover.url if page.cover else static("api/header-missing.png"))
    fields = []
    if page.website:
        fields.append({"name": "Website", "value": page.website, "verified_at": None})
    return {
        "id": str(page.account_id),
        "username": page.slug,
        "acct": page.slug,
        "display_name": page.name,
        "locked": False,
        "bot": False,
        "discoverable": True,
        "indexable": False,
        "group": False,
        "created_at": iso(page.created_at),
        "note": linebreaks(page.about, autoescape=True) if page.about else "",
        "url": url,
        "uri": url,
        "avatar": avatar,
        "avatar_static": avatar,
        "header": header,
        "header_static": header,
        "followers_count": page.followers_count,
        "following_count": 0,
        "statuses_count": page.posts_count,
        "last_status_at": page.last_post_at.date().isoformat() if page.last_post_at else None,
        "hide_collections": True,
        "noindex": False,
        "emojis": [],
        "fields": fields,
        "roles": [],
        "headline": page.tagline,
        "location": page.headquarters,
        "industry": page.industry,
        "positions": [],
        "connections_count": 0,
        "primary_action": "follow",
        "kind": page.kind,
    }


def page_entity(page: Page, *, viewer) -> dict:
    """The Page entity: the account plus the page's own fields, and for a signed-in member
    whether they follow it, administer it, and which of their connections work there."""
    entity = page_account_entity(page)
    signed_in = viewer is not None and viewer.is_authenticated
    here = queries.connections_here(viewer, page) if signed_in else None
    entity.update(
        {
            "slug": page.slug,
            "tagline": page.tagline,
            "website": page.website,
            "size_band": page.size_band,
            "headquarters": page.headquarters,
            "locations": page.location_list,
            "claimed": page.claimed,
            "following": queries.follows(viewer, page),
            "admin": queries.is_admin(viewer, page),
            "logo": absolute(page.logo.url) if page.logo else None,
            "cover": absolute(page.cover.url) if page.cover else None,
            "connections_here": (
                {"count": here.count, "accounts": account_entities(here.faces, viewer=viewer)}
                if here is not None
                else None
            ),
        }
    )
    return entity


def page_account_entities(pages) -> dict[int, dict]:
    """By account id, for the statuses a page wrote."""
    return {page.account_id: page_account_entity(page) for page in pages}
