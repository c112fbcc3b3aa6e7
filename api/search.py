"""Mastodon's search and suggestions: GET /api/v2/search, GET /api/v1/accounts/search,
GET /api/v2/suggestions, DELETE /api/v1/suggestions/:account_id; Linkwell's extensions are
the filters (degree, company, past_company, school, location, industry) and, on each
account, `degree` and `mutual_count`; on each suggestion `reasons` and `action`.
search.queries does the work (blocks, S1, S5, P1); this module only translates (docs/api.md)."""

import re
from urllib.parse import urlsplit

from django.conf import settings
from ninja import Router, Schema

from api.auth import member_auth, optional_auth, require_scope, viewer
from api.payload import as_bool
from api.schemas.accounts import Account, account_entities
from api.schemas.statuses import status_entities, tag_entity
from core.errors import NotFound
from feed import queries as feed_queries
from network import queries as network
from search import queries, services

router = Router(tags=["search"])

FILTERS = queries.FILTERS


class SearchAccount(Account):
    degree: int | None
    mutual_count: int


class SearchResults(Schema):
    accounts: list[SearchAccount]
    statuses: list[dict]
    hashtags: list[dict]


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


_POST_PATH = re.compile(r"^/posts/(\d+)/?$")


def _local_post_id(request, q: str) -> int | None:
    """The id in a URL of one of this site's posts (what a Status's `url` and `uri` say)."""
    parts = urlsplit(q.strip())
    hosts = {request.get_host().lower(), urlsplit(settings.SITE_URL).netloc.lower()}
    if parts.scheme not in ("http", "https") or parts.netloc.lower() not in hosts:
        return None
    found = _POST_PATH.match(parts.path)
    return int(found.group(1)) if found else None


def _statuses(request, q: str, *, limit: int, offset: int) -> list[dict]:
    """P1, B1/D4: only posts the viewer may open (search.queries.posts, then the door)."""
    me = viewer(request)
    sight = feed_queries.Sight(me)
    post_id = _local_post_id(request, q)
    if post_id is not None:  # a post's own URL finds that post (everything here is local)
        try:
            found = [feed_queries.visible_post(me, post_id, sight=sight)]
        except NotFound:
            return []
        posts = feed_queries.decorate(me, found, sight=sight) if offset == 0 else []
    else:
        account = _int(request.GET.get("account_id"), 0) or None
        posts = queries.posts(me, q, limit=limit, offset=offset, author_id=account, sight=sight)
    return status_entities(me, posts)


def _hashtags(request, q: str, *, limit: int, offset: int) -> list[dict]:
    me = viewer(request)
    tags = queries.hashtags(q, limit=limit, offset=offset)
    followed = feed_queries.followed_hashtag_ids(me, [t.pk for t in tags]) if me else None
    return [tag_entity(t, following=None if followed is None else t.pk in followed) for t in tags]


@router.get(
    "/v2/search",
    auth=optional_auth,
    response=SearchResults,
    summary="Search accounts, statuses and hashtags (with Linkwell's people filters)",
)
def search_v2(request, q: str = "", type: str = "", limit: int = 20, offset: int = 0):
    """Accounts by name, handle and profile (the public card without a member's token, S1);
    statuses by their text, newest first, only those the reader may open (P1, B1); hashtags
    by prefix, the most used first. `resolve` is accepted: everything here is local, and a
    post's URL finds that post."""
    if getattr(request, "oauth_token", None) is not None:
        require_scope(request, "read:search", "read")
    limit = min(max(_int(limit, 20), 1), 40)
    offset = max(_int(offset, 0), 0)
    answer = {"accounts": [], "statuses": [], "hashtags": []}
    if type in ("", "accounts"):
        answer["accounts"] = _accounts(request, q, limit=limit, offset=offset)
    if type in ("", "statuses"):
        answer["statuses"] = _statuses(request, q, limit=limit, offset=offset)
    if type in ("", "hashtags"):
        answer["hashtags"] = _hashtags(request, q, limit=limit, offset=offset)
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
