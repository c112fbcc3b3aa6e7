"""Mastodon's search and suggestions: GET /api/v2/search, GET /api/v1/accounts/search,
GET /api/v2/suggestions, DELETE /api/v1/suggestions/:account_id; Linkwell's extensions are
the filters (degree, company, past_company, school, location, industry) and, on each
account, `degree` and `mutual_count`; on each suggestion `reasons` and `action`.
search.queries does the work (blocks, S1, S5); this module only translates (docs/api.md)."""

from django.conf import settings
from ninja import Router, Schema

from api.auth import member_auth, optional_auth, require_scope, viewer
from api.payload import as_bool
from api.schemas.accounts import Account, account_entities
from api.schemas.statuses import tag_entity
from network import queries as network
from search import queries, services

router = Router(tags=["search"])

FILTERS = queries.FILTERS


class SearchAccount(Account):
    degree: int | None
    mutual_count: int


class SearchResults(Schema):
    accounts: list[SearchAccount]
    statuses: list
    hashtags: list


class Suggestion(Schema):
    source: str
    sources: list[str]
    account: Account
    reasons: list[str]
    action: str


def _int(value, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _local_handle(request, q: str) -> str | None:
    """An acct the query names exactly ("@ana", "ana@this.site"), to put that member first."""
    local, _, domain = q.strip().lstrip("@").partition("@")
    hosts = {request.get_host().lower(), settings.SITE_URL.split("://", 1)[-1].lower()}
    if not local or " " in local or (domain and domain.lower() not in hosts):
        return None
    return local


def _accounts(request, q: str, *, limit: int, offset: int) -> list[dict]:
    me = viewer(request)
    view = network.Viewpoint(me)
    degrees = [part for value in request.GET.getlist("degree") for part in value.split(",")]
    chosen = {k: request.GET.get(k, "") for k in FILTERS}
    if as_bool("following", request.GET.get("following", "false")) and me is not None:
        degrees = degrees or ["1"]  # Mastodon's "only accounts you follow": connections here
    results = queries.people(
        me,
        q=q,
        degrees=[d for d in degrees if d.isdigit()],
        offset=offset,
        limit=limit,
        view=view,
        handle=_local_handle(request, q),
        **chosen,
    )
    people = {p.member.pk: p for p in results.people}
    entities = account_entities([p.member for p in results.people], viewer=me)
    for entity in entities:
        person = people[int(entity["id"])]
        entity["degree"] = person.degree
        entity["mutual_count"] = person.mutual_count
    return entities


@router.get(
    "/v2/search",
    auth=optional_auth,
    response=SearchResults,
    summary="Search accounts and hashtags (with Linkwell's people filters)",
)
def search_v2(request, q: str = "", type: str = "", limit: int = 20, offset: int = 0):
    """Accounts by name, handle and profile (the public card without a member's token, S1);
    hashtags by prefix; statuses are not searched yet (always empty)."""
    if getattr(request, "oauth_token", None) is not None:
        require_scope(request, "read:search", "read")
    limit = min(max(_int(limit, 20), 1), 40)
    offset = max(_int(offset, 0), 0)
    answer = {"accounts": [], "statuses": [], "hashtags": []}
    if type in ("", "accounts"):
        answer["accounts"] = _accounts(request, q, limit=limit, offset=offset)
    if type in ("", "hashtags") and offset == 0:
        answer["hashtags"] = [tag_entity(t) for t in queries.hashtags(q, limit=limit)]
    return answer


@router.get(
    "/v1/accounts/search",
    auth=optional_auth,
    response=list[SearchAccount],
    summary="Search accounts (with Linkwell's people filters)",
)
def accounts_search(request, q: str = "", limit: int = 40, offset: int = 0):
    if getattr(request, "oauth_token", None) is not None:
        require_scope(request, "read:accounts", "read")
    limit = min(max(_int(limit, 40), 1), 40)
    return _accounts(request, q, limit=limit, offset=max(_int(offset, 0), 0))


@router.get(
    "/v2/suggestions",
    auth=member_auth,
    response=list[Suggestion],
    summary="People you may know, with their reasons",
)
def suggestions(request, limit: int = 40):
    require_scope(request, "read:accounts", "read")
    me = request.auth
    found = queries.suggestions(me, limit=min(max(_int(limit, 40), 1), 80))
    entities = {
        int(e["id"]): e for e in account_entities([s.person.member for s in found], viewer=me)
    }
    return [
        {
            "source": "past_interactions" if "friends_of_friends" in s.sources else "global",
            "sources": s.sources,
            "account": entities[s.person.member.pk],
            "reasons": s.reasons,
            "action": s.action,
        }
        for s in found
        if s.person.member.pk in entities
    ]


@router.delete(
    "/v1/suggestions/{int:account_id}",
    auth=member_auth,
    summary="Don't suggest this account (for 90 days)",
)
def dismiss(request, account_id: int):
    require_scope(request, "write:accounts", "write")
    services.dismiss_suggestion(member=request.auth, dismissed_id=account_id)
    return {}
