"""Company and school pages (G1–G3, F3): Linkwell's `/api/v1/pages` extensions, and the
page side of Mastodon's account endpoints (view, follow, statuses), which api.accounts,
api.network and api.statuses hand over for page account ids. docs/api.md, "Pages"."""

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from ninja import Router, Schema

from accounts import queries as accounts_queries
from api.auth import member_auth, optional_auth, require_scope, viewer
from api.payload import payload
from api.schemas.accounts import Account, account_entities
from api.schemas.pages import AlumniOut, PageOut, page_account_entity, page_entity
from core.errors import Invalid
from feed import queries as feed_queries
from network import queries as network
from pages import queries, services

router = Router(tags=["pages"])

BAD_YEAR = _("start_year and end_year are years, such as 2012.")
PAGE_FIELDS = ("name", "tagline", "about", "website", "industry", "size_band", "headquarters")

_text = {"type": "string"}
PAGE_FORM = {
    "requestBody": {
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "name": _text,
                        "kind": {"enum": ["company", "school"]},
                        "slug": _text,
                        "tagline": _text,
                        "about": _text,
                        "website": _text,
                        "industry": _text,
                        "size_band": _text,
                        "headquarters": _text,
                        "locations": {"type": "string", "description": "one a line"},
                        "logo": {"type": "string", "format": "binary"},
                        "cover": {"type": "string", "format": "binary"},
                    },
                }
            }
        }
    }
}
ADMIN_FORM = {
    "requestBody": {
        "content": {
            "application/x-www-form-urlencoded": {
                "schema": {
                    "type": "object",
                    "required": ["account_id"],
                    "properties": {"account_id": _text},
                }
            }
        },
        "required": True,
    }
}


class FollowersDay(Schema):
    date: str
    followers: int


class AnalyticsOut(Schema):
    followers: list[FollowersDay]
    posts: int
    impressions: int
    reactions: int


def account(account_id: int) -> dict:
    return page_account_entity(queries.page_for_account(account_id))


def statuses_rows(account_id: int):
    return feed_queries.page_posts(queries.page_for_account(account_id))


def _fields(data) -> dict:
    fields = {name: data[name] for name in PAGE_FIELDS if name in data}
    if "locations" in data:
        value = data["locations"]
        fields["locations"] = "\n".join(value) if isinstance(value, list) else str(value or "")
    return fields


def _year(value) -> int | None:
    if value in (None, ""):
        return None
    text = str(value).strip()
    if not text.isdigit() or not 1900 <= int(text) <= 2100:
        raise Invalid(BAD_YEAR, rule="G3")
    return int(text)


def _bool_or_none(value) -> bool | None:
    if value in (None, ""):
        return None
    return str(value).lower() in ("true", "1", "yes")


# --- The extensions ---------------------------------------------------------------------------


@router.get("/v1/pages", auth=optional_auth, response=list[Account], summary="Find pages by name")
def find_pages(request, q: str = "", kind: str = ""):
    """Autocomplete for a position's company or a school: claimed pages first."""
    found = queries.pages_named(q, kind=kind if kind in ("company", "school") else None)
    return [page_account_entity(page) for page in found]


@router.post(
    "/v1/pages",
    auth=member_auth,
    response=PageOut,
    openapi_extra=PAGE_FORM,
    summary="Create a page",
)
def create_page(request):
    """G1: the creator becomes its first admin (and follows it). A retry (same creator,
    same slug) answers the page made the first time."""
    require_scope(request, "write:accounts")
    data, files = payload(request)
    page = services.create_page(
        by=request.auth,
        kind=str(data.get("kind") or ""),
        name=str(data.get("name") or ""),
        slug=str(data.get("slug") or ""),
        **{k: v for k, v in _fields(data).items() if k != "name"},
    )
    if files.get("logo") or files.get("cover"):
        page = services.set_images(
            by=request.auth, page=page, logo=files.get("logo"), cover=files.get("cover")
        )
    return page_entity(page, viewer=request.auth)


@router.get("/v1/pages/{int:page_id}", auth=optional_auth, response=PageOut, summary="A page")
def get_page(request, page_id: int):
    """`page_id` is the page's account id; anyone may read a page."""
    return page_entity(queries.page_for_account(page_id), viewer=viewer(request))


@router.patch(
    "/v1/pages/{int:page_id}",
    auth=member_auth,
    response=PageOut,
    openapi_extra=PAGE_FORM,
    summary="Change a page (admins)",
)
def update_page(request, page_id: int):
    require_scope(request, "write:accounts")
    page = queries.page_for_account(page_id)
    data, files = payload(request)
    page = services.update_page(by=request.auth, page=page, **_fields(data))
    if files.get("logo") or files.get("cover"):
        page = services.set_images(
            by=request.auth, page=page, logo=files.get("logo"), cover=files.get("cover")
        )
    return page_entity(page, viewer=request.auth)


@router.get(
    "/v1/pages/{int:page_id}/people",
    auth=optional_auth,
    response=list[Account],
    summary="A page's people: employees or students and alumni",
)
def page_people(
    request,
    page_id: int,
    response: HttpResponse,
    current: str = "",
    limit: int = 40,
    max_id: int | None = None,
):
    """G3, B1: `current=true` works (or studies) there now, `false` did; blocks either way
    are left out. Paged by `max_id` (a member id) with a Link header."""
    me = viewer(request)
    page = queries.page_for_account(page_id)
    limit = min(max(limit, 1), 80)
    ids = queries.people(me, page, current=_bool_or_none(current), limit=limit, max_id=max_id)
    if len(ids) == limit:
        path = request.build_absolute_uri(request.path)
        response["Link"] = f'<{path}?max_id={ids[-1]}&current={current}>; rel="next"'
    return account_entities(ids, viewer=me)


@router.get(
    "/v1/pages/{int:page_id}/alumni",
    auth=optional_auth,
    response=AlumniOut,
    summary="The alumni tool: counted facets and the matching members",
)
def page_alumni(
    request,
    page_id: int,
    start_year: str = "",
    end_year: str = "",
    location: str = "",
    company: str = "",
    title: str = "",
    field: str = "",
    offset: int = 0,
    limit: int = 20,
):
    """G3: top 10 of each facet, with counts, among the alumni every filter leaves; members
    hidden from search (`discoverable` off) and blocks either way count nowhere."""
    me = viewer(request)
    page = queries.page_for_account(page_id)
    filters = queries.AlumniFilters(
        start_year=_year(start_year),
        end_year=_year(end_year),
        location=location.strip(),
        company=company.strip(),
        title=title.strip(),
        field=field.strip(),
    )
    found = queries.alumni(me, page, filters, limit=min(max(limit, 1), 80), offset=offset)
    return {
        "total": found.total,
        "facets": {
            name: [{"value": v, "count": n} for v, n in values]
            for name, values in found.facets.items()
        },
        "accounts": account_entities(found.member_ids, viewer=me),
    }


@router.get(
    "/v1/pages/{int:page_id}/admins",
    auth=member_auth,
    response=list[Account],
    summary="A page's admins",
)
def page_admins(request, page_id: int):
    """Anyone signed in sees who runs a page (B1: not across a block)."""
    require_scope(request, "read:accounts")
    page = queries.page_for_account(page_id)
    return account_entities(queries.admin_ids(page), viewer=request.auth)


@router.post(
    "/v1/pages/{int:page_id}/admins",
    auth=member_auth,
    response=list[Account],
    openapi_extra=ADMIN_FORM,
    summary="Add an admin (admins)",
)
def add_page_admin(request, page_id: int):
    require_scope(request, "write:accounts")
    page = queries.page_for_account(page_id)
    data, _ = payload(request)
    raw = str(data.get("account_id") or "")
    member = network.visible_member(request.auth, pk=int(raw) if raw.isdigit() else 0).member
    services.add_admin(by=request.auth, page=page, member=member)
    return account_entities(queries.admin_ids(page), viewer=request.auth)


@router.delete(
    "/v1/pages/{int:page_id}/admins/{int:account_id}",
    auth=member_auth,
    response=list[Account],
    summary="Remove an admin, or leave (never the last admin)",
)
def remove_page_admin(request, page_id: int, account_id: int):
    require_scope(request, "write:accounts")
    page = queries.page_for_account(page_id)
    member = accounts_queries.active_member(pk=account_id)
    services.remove_admin(by=request.auth, page=page, member=member)
    return account_entities(queries.admin_ids(page), viewer=request.auth)


@router.get(
    "/v1/pages/{int:page_id}/analytics",
    auth=member_auth,
    response=AnalyticsOut,
    summary="Followers over 30 days and post impressions (admins)",
)
def page_analytics(request, page_id: int):
    require_scope(request, "read:accounts")
    page = queries.page_for_account(page_id)
    services.require_admin(page, request.auth)
    figures = feed_queries.page_post_figures(page)
    return {
        "followers": [
            {"date": day.isoformat(), "followers": n}
            for day, n in queries.followers_over_time(page)
        ],
        **figures,
    }


class ClaimOut(Schema):
    id: str
    status: str


@router.post(
    "/v1/pages/{int:page_id}/claim",
    auth=member_auth,
    response=ClaimOut,
    summary="Claim a page nobody runs",
)
def claim_page(request, page_id: int):
    """Approved at once for a confirmed address at the page's website domain; otherwise it
    waits for a site administrator."""
    require_scope(request, "write:accounts")
    page = queries.page_for_account(page_id)
    data, _ = payload(request)
    claim = services.claim_page(by=request.auth, page=page, note=str(data.get("note") or ""))
    return {"id": str(claim.pk), "status": claim.status}
